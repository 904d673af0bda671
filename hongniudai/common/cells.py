"""A list row's figures and dates as Django's template engine shows them, for the rows that
`hongniudai.common.rows` renders from values: the same text as `{{ value }}`, `|floatformat:2` and
`|date:"Y-m-d"` (no thousands separator, a "." for decimals), without the engine's per-cell cost."""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.text import Truncator

CENT = Decimal("0.01")


def figure(value: Any) -> str:
    """`{{ value }}` of a number: a Decimal as it is stored ("12.50"), "None" for nothing (as the
    engine prints it; use `figure_or` where the page showed a default)."""
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def figure_or(value: Any, default: str) -> str:
    """`{{ value|default:"0" }}`: `default` for nothing or zero."""
    return figure(value) if value else default


def two_places(value: Any) -> str:
    """`{{ value|floatformat:2 }}`: rounded half up to the fen ("" for nothing)."""
    if value is None or value == "":
        return ""
    rounded = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    return "0.00" if rounded.is_zero() else f"{rounded:f}"


def day(value: dt.date | None) -> str:
    """`{{ value|date:"Y-m-d" }}` ("" for nothing)."""
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}" if value is not None else ""


def cut(text: str, length: int) -> str:
    """`Truncator(text).chars(length)` (`|truncatechars`): `text` (composed, NFC) when it is no
    longer than `length`, as most are, without the truncator's per-call cost (its ellipsis is a
    translation looked up on every call); cut with an ellipsis by the truncator otherwise."""
    composed = unicodedata.normalize("NFC", text)
    if len(composed) <= length:
        return composed
    return Truncator(text).chars(length)
