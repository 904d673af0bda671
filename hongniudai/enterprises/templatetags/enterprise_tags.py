"""Filters of the enterprise pages: `{% load enterprise_tags %}`."""

from __future__ import annotations

from django import template

from hongniudai.enterprises.models import CheckItem, Coverage

register = template.Library()


@register.filter
def coverage_label(value: str | None) -> str:
    """The Chinese label of a `Coverage` value (the annotation `coverage` of an enterprise)."""
    return str(Coverage(value).label) if value in Coverage.values else ""


@register.filter
def check_labels(values: list[str] | None) -> str:
    return "、".join(str(CheckItem(v).label) for v in values or () if v in CheckItem.values)


@register.filter
def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"
