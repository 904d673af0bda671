"""Weights as people say them: a kg figure shown in 斤 (jin = 0.5 kg), or in 吨 and 斤."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from hongniudai.production.models import KG_PER_JIN
from hongniudai.production.services import figure, kg_text

register = template.Library()


@register.filter
def jin(kg: Any) -> str:
    """`kg` in 斤, without trailing zeros ("" for nothing)."""
    if kg is None or kg == "":
        return ""
    return figure(Decimal(kg) / KG_PER_JIN)


@register.filter
def weight(kg: Any) -> str:
    """`kg` as 斤, with 吨 from one tonne up."""
    if kg is None or kg == "":
        return ""
    return kg_text(Decimal(kg))


@register.filter
def plain(value: Any) -> str:
    """A quantity without trailing zeros (2.5 天, 10000 瓶)."""
    if value is None or value == "":
        return ""
    return figure(Decimal(value))
