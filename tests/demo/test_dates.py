"""The demo holds on any day: early January, 29 February of a leap year, mid-year, 31 December
and today. The plans are pure functions of the reference date, checked at every date; the whole
demo is loaded at two frozen dates (a full load takes about a minute) and checked as the demo
loaded today is (`dated`)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from hongniudai.demo import data
from hongniudai.demo.governance import SEASONS, history_days, season_counts, season_stretches
from hongniudai.demo.loader import reference_moment
from hongniudai.demo.partywork import QUARTER_MIDDLES, meeting_months, meeting_window, short_quorum_month
from hongniudai.orglife.models import Frequency
from hongniudai.orglife.periods import units_overlapping
from tests.demo import dated

SHANGHAI = ZoneInfo("Asia/Shanghai")
DATES = [
    dt.date(2027, 1, 2),  # early January: the year to date is two days, and a public holiday
    dt.date(2028, 2, 29),  # a leap day
    dt.date(2027, 6, 15),  # mid-year, inside the straw and flood seasons
    dt.date(2026, 12, 31),  # the last day of a year
    dt.date(2027, 1, 1),
]


def dates() -> list[Any]:
    return [*(pytest.param(day, id=str(day)) for day in DATES), pytest.param(dt.date.today(), id="today")]


@pytest.mark.parametrize("today", dates())
def test_seasons_keep_their_shape(today: dt.date) -> None:
    first, last = history_days(today)
    for code, table in SEASONS.items():
        counts = season_counts(code, today)
        assert set(counts) <= set(table)
        peak = sorted(table, key=table.__getitem__, reverse=True)[: 2 if code == "straw-burning" else 3]
        total = sum(counts.values())
        assert sum(counts[m] for m in peak) >= 0.9 * total
        assert abs(total - sum(table.values())) <= 2  # a whole year of each season, give or take rounding
        for day, length, _n in season_stretches(code, today):
            assert first <= day and day + dt.timedelta(days=length - 1) < last  # none today or later


@pytest.mark.parametrize("today", dates())
def test_meetings_cover_the_window_the_demo_promises(today: dt.date) -> None:
    start, end = meeting_window(today)
    months = meeting_months(today)
    assert months[-1] == today.replace(day=1) and end < today
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == 11  # twelve whole months
    # Every unit the window touches is laid out whole: each month of its quarters, each January review.
    for frequency in (Frequency.MONTHLY, Frequency.QUARTERLY):
        for unit in units_overlapping(frequency, start, end):
            assert unit.start in months, (frequency, unit)
    years = {m.year for m in months}
    assert {u.start.year for u in units_overlapping(Frequency.YEARLY, start, end)} <= years
    # The gaps the demo tells of fall inside the window.
    assert start <= dated.months_before(today, 3) <= end
    short = short_quorum_month(today)
    assert start <= short <= end and short.month in QUARTER_MIDDLES


def test_dates_a_number_of_years_back() -> None:
    assert data.years_before(dt.date(2028, 2, 29), 22) == dt.date(2006, 2, 28)
    assert data.years_before(dt.date(2028, 2, 29), 4) == dt.date(2024, 2, 29)
    assert data.years_before(dt.date(2026, 12, 6), 18) == dt.date(2008, 12, 6)


@time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=SHANGHAI), tick=False)
def test_the_reference_moment() -> None:
    assert reference_moment(dt.date(2027, 3, 1)) == timezone.now()
    moment = reference_moment(dt.date(2027, 2, 26))
    assert timezone.localtime(moment).date() == dt.date(2027, 2, 26) and moment < timezone.now()


@time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=SHANGHAI), tick=False)
@pytest.mark.parametrize(
    ("value", "message"), [("2027-03-02", "晚于今天"), ("2025-01-01", "不能早于"), ("2027-3-x", "YYYY-MM-DD")]
)
def test_load_demo_refuses_a_reference_date_out_of_range(db: Any, value: str, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("load_demo", "--today", value, stdout=io.StringIO())


def check_everything(today: dt.date) -> None:
    now = timezone.now()
    dated.check_nothing_after(now)
    dated.check_year_of_matters(today)
    dated.check_story(now)
    dated.check_open_and_overdue()
    dated.check_meetings(today)


def test_the_demo_on_a_leap_day(db: Any) -> None:
    with time_machine.travel(dt.datetime(2028, 2, 29, 10, 30, tzinfo=SHANGHAI), tick=False):
        call_command("load_demo", stdout=io.StringIO())
        check_everything(dt.date(2028, 2, 29))


def test_the_demo_laid_out_to_an_early_january_day(db: Any) -> None:
    """Loaded on 3 January with `--today 2027-01-02`: the demo as it stood on the evening of the
    2nd (a public holiday, two days into the year), checked at that moment."""
    with time_machine.travel(dt.datetime(2027, 1, 3, 8, 0, tzinfo=SHANGHAI), tick=False):
        call_command("load_demo", "--today", "2027-01-02", stdout=io.StringIO())
    moment = reference_moment(dt.date(2027, 1, 2))
    with time_machine.travel(moment, tick=False):
        check_everything(dt.date(2027, 1, 2))
