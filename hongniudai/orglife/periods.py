"""Calendar units of the rules: months, quarters, half-years and years (plain functions)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Frequency

MONTHS_PER_UNIT: dict[str, int] = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.HALF_YEARLY: 6,
    Frequency.YEARLY: 12,
}


def units_per_year(frequency: str) -> int:
    return 12 // MONTHS_PER_UNIT[frequency]


@dataclass(frozen=True, order=True)
class Unit:
    start: dt.date
    end: dt.date
    frequency: str

    @property
    def label(self) -> str:
        y, m = self.start.year, self.start.month
        if self.frequency == Frequency.MONTHLY:
            return _("%(y)s年%(m)s月") % {"y": y, "m": m}
        if self.frequency == Frequency.QUARTERLY:
            return _("%(y)s年第%(q)s季度") % {"y": y, "q": (m - 1) // 3 + 1}
        if self.frequency == Frequency.HALF_YEARLY:
            return (_("%(y)s年上半年") if m == 1 else _("%(y)s年下半年")) % {"y": y}
        return _("%(y)s年") % {"y": y}

    @property
    def short_label(self) -> str:
        m = self.start.month
        if self.frequency == Frequency.MONTHLY:
            return _("%(m)s月") % {"m": m}
        if self.frequency == Frequency.QUARTERLY:
            return _("第%(q)s季度") % {"q": (m - 1) // 3 + 1}
        if self.frequency == Frequency.HALF_YEARLY:
            return _("上半年") if m == 1 else _("下半年")
        return _("%(y)s年") % {"y": self.start.year}


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def unit_containing(frequency: str, day: dt.date) -> Unit:
    size = MONTHS_PER_UNIT[frequency]
    first_month = ((day.month - 1) // size) * size + 1
    last_month = first_month + size - 1
    return Unit(dt.date(day.year, first_month, 1), _month_end(day.year, last_month), frequency)


def units_overlapping(frequency: str, start: dt.date, end: dt.date) -> list[Unit]:
    """Every unit of `frequency` that has at least one day within [start, end], in order."""
    out: list[Unit] = []
    if end < start:
        return out
    unit = unit_containing(frequency, start)
    while unit.start <= end:
        out.append(unit)
        unit = unit_containing(frequency, unit.end + dt.timedelta(days=1))
    return out


# ---- period presets of the compliance pages -------------------------------------------------

PRESETS: list[tuple[str, Any]] = [
    ("this_year", gettext_lazy("今年以来")),
    ("this_quarter", gettext_lazy("本季度")),
    ("this_month", gettext_lazy("本月")),
    ("last_quarter", gettext_lazy("上季度")),
    ("last_year", gettext_lazy("去年全年")),
]


def preset_period(preset: str, today: dt.date) -> tuple[dt.date, dt.date] | None:
    if preset == "this_year":
        return dt.date(today.year, 1, 1), today
    if preset == "this_quarter":
        return unit_containing(Frequency.QUARTERLY, today).start, today
    if preset == "this_month":
        return today.replace(day=1), today
    if preset == "last_quarter":
        unit = unit_containing(Frequency.QUARTERLY, unit_containing(Frequency.QUARTERLY, today).start - dt.timedelta(1))
        return unit.start, unit.end
    if preset == "last_year":
        return dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
    return None
