"""One way to read ids, whole numbers, dates and periods from a request, for the pages and the API.

- An id is a whole number written in ASCII digits (no sign, no decimal point, no exponent) between
  1 and `MAX_ID`, the largest value of the database's bigint key: a larger number names no record,
  and is refused before it reaches the database (which would fail to convert it).
- A whole number is strict: `10.5` and `10.0` are not whole numbers.
- A date lies between `EARLIEST` and `LATEST`: a day outside that window names nothing the
  township records, and turning it into an instant (the start of a local day) could overflow.
- A period (start to end) is at most `MAX_PERIOD_YEARS` long: statistics over centuries would take
  minutes to count.

`parse_id` and `parse_date` read a raw request value (None when absent or unreadable); `IdField`,
`IntegerField` and `DateField` are the form fields the filters and forms use; `period_errors`
checks a start and an end. The API's building blocks (`hongniudai.common.api`) wrap the same rules.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_ID = 2**63 - 1
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)
MAX_PERIOD_YEARS = 10
MAX_PERIOD_DAYS = 3660  # ten years and their leap days, with a little room

WHOLE_NUMBER = re.compile(r"[0-9]{1,30}\Z")

ID_MESSAGE = _("请输入 1 到 9223372036854775807 之间的整数编号。")
INTEGER_MESSAGE = _("请输入整数。")
DATE_MESSAGE = _("日期应在 1900-01-01 至 2100-12-31 之间。")
DATE_FORMAT_MESSAGE = _("日期格式应为“年-月-日”,例如 2026-01-31。")
PERIOD_ORDER_MESSAGE = _("开始日期不能晚于结束日期。")
PERIOD_LENGTH_MESSAGE = _("统计时间跨度不能超过 10 年。")


def whole_number(value: Any) -> int | None:
    """`value` as a whole number, or None: an int (not a bool), or ASCII digits (surrounding
    spaces allowed, a leading minus sign too); never a float, a decimal or an exponent."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    sign = -1 if text.startswith("-") else 1
    digits = text[1:] if sign < 0 else text
    return sign * int(digits) if WHOLE_NUMBER.match(digits) else None


def parse_id(value: Any) -> int | None:
    """The id a request value names, or None when it is blank, not a whole number or out of range."""
    number = whole_number(value)
    return number if number is not None and 1 <= number <= MAX_ID else None


def in_window(day: dt.date) -> bool:
    return EARLIEST <= day <= LATEST


def parse_date(value: Any) -> dt.date | None:
    """The day a request value names (`YYYY-MM-DD`), or None when blank, malformed or outside
    `EARLIEST`..`LATEST`."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value or "").strip()[:10])
        except ValueError:
            return None
    return value if in_window(value) else None


def period_errors(start: dt.date | None, end: dt.date | None) -> list[str]:
    """What is wrong with a period (both ends included): empty when it is fine."""
    if start is None or end is None:
        return []
    if start > end:
        return [str(PERIOD_ORDER_MESSAGE)]
    if (end - start).days > MAX_PERIOD_DAYS:
        return [str(PERIOD_LENGTH_MESSAGE)]
    return []


def validate_date_window(day: dt.date) -> None:
    if not in_window(day):
        raise ValidationError(DATE_MESSAGE, code="date_window")


# ---- form fields --------------------------------------------------------------------------


class IntegerField(forms.IntegerField):
    """A whole number, strictly: `10.5`, `10.0` and `1e3` are refused with a Chinese message."""

    default_error_messages = {"invalid": INTEGER_MESSAGE}

    def to_python(self, value: Any) -> int | None:
        if value in validators.EMPTY_VALUES:
            return None
        number = whole_number(value)
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class IdField(IntegerField):
    """The id of a record: a whole number from 1 to `MAX_ID`."""

    default_error_messages = {"invalid": ID_MESSAGE}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)
        for validator in self.validators:
            if isinstance(validator, validators.MinValueValidator | validators.MaxValueValidator):
                validator.message = ID_MESSAGE


class DateField(forms.DateField):
    """A day between `EARLIEST` and `LATEST`."""

    default_validators = [validate_date_window]
