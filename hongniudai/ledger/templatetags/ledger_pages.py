"""Amounts on the books' pages: whole fen shown as yuan with thousands separators and two decimals,
by the same filters as the reports (`ledger_reports`)."""

from __future__ import annotations

from django import template

from .ledger_reports import fen, fen_or_blank

register = template.Library()
register.filter("fen", fen)
register.filter("fen_or_blank", fen_or_blank)

__all__ = ["fen", "fen_or_blank", "register"]
