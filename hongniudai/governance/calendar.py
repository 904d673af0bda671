"""Working days: the official calendar (chinese-calendar: weekends, public holidays and the
weekend days made working days) corrected by the administrator's `CalendarDay` rows. Years the
library does not cover fall back to Monday–Friday plus the administrator's corrections."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import chinese_calendar
from django.conf import settings
from django.utils import timezone

from .models import CalendarDay


def official_working(day: dt.date) -> bool:
    """Whether `day` is a working day by the State Council's calendar alone (no corrections)."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


class WorkCalendar:
    """Loads the administrator's corrections once for a span of dates."""

    def __init__(self, start: dt.date, end: dt.date) -> None:
        self.overrides = dict(
            CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_working")
        )

    def is_working(self, day: dt.date) -> bool:
        if day in self.overrides:
            return bool(self.overrides[day])
        return official_working(day)


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """The end (23:59:59 local) of the `days`-th working day after the day of `start`.

    A matter arriving on Friday with one working day to accept is due at the end of Monday
    (or of the next working day after a holiday)."""
    local = timezone.localtime(start, _tz())
    day = local.date()
    cal = WorkCalendar(day, day + dt.timedelta(days=days * 3 + 40))
    remaining = days
    if remaining <= 0:
        end_day = day
    else:
        while remaining > 0:
            day += dt.timedelta(days=1)
            if cal.is_working(day):
                remaining -= 1
        end_day = day
    return dt.datetime.combine(end_day, dt.time(23, 59, 59), tzinfo=_tz())


def working_days_left(now: dt.datetime, due: dt.datetime) -> int:
    """Working days from tomorrow up to the due day inclusive; 0 on the due day, <0 when past."""
    today = timezone.localtime(now, _tz()).date()
    due_day = timezone.localtime(due, _tz()).date()
    if now > due:
        return -1
    cal = WorkCalendar(today, due_day)
    count = 0
    day = today
    while day < due_day:
        day += dt.timedelta(days=1)
        if cal.is_working(day):
            count += 1
    return count


class Signal:
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


def signal(now: dt.datetime, due: dt.datetime | None) -> str:
    """Red past the deadline, yellow on its last working day, green before."""
    if due is None:
        return Signal.GREEN
    if now > due:
        return Signal.RED
    if working_days_left(now, due) == 0:
        return Signal.YELLOW
    return Signal.GREEN
