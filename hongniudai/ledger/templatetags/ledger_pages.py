"""Amounts on the books' pages: whole fen shown as yuan with thousands separators and two decimals."""

from __future__ import annotations

from django import template

from ..money import yuan

register = template.Library()


@register.filter
def fen(value: int | None) -> str:
    """12345678 → "123,456.78"; a negative (red) amount keeps its sign; nothing is "" ."""
    if value is None or value == "":
        return ""
    return f"{yuan(int(value)):,.2f}"


@register.filter
def fen_or_blank(value: int | None) -> str:
    """As `fen`, but 0 is left blank (the empty side of a line)."""
    return "" if not value else fen(value)
