"""Figures of the ledger's reports: whole fen shown as yuan with thousands separators and two
decimals (`1,234.56`, a negative with its sign), and the drill-down links behind them."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def fen(value: int | None) -> str:
    """Whole fen as yuan, `1,234,567.89` (a negative, red amount keeps its sign); None (a heading) or
    "" as nothing."""
    if value is None or value == "":
        return ""
    sign = "-" if value < 0 else ""
    whole, cents = divmod(abs(int(value)), 100)
    return f"{sign}{whole:,}.{cents:02d}"


@register.filter
def fen_or_blank(value: int | None) -> str:
    """As `fen`, with zero left blank (the trial balance's empty sides)."""
    return fen(value) if value else ""


@register.filter
def at(values: list[str], index: int) -> str:
    """The `index`th item of a list (a row's link of one column)."""
    try:
        return values[index]
    except (IndexError, TypeError):
        return ""
