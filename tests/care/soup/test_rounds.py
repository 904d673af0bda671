"""Rounds fall only on dates with a 9 (逢九送汤), once per village however often the job runs; in a
February without a 29th the town's setting decides (the 28th by default)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from hongniudai.care.soup import services, tasks
from hongniudai.care.soup.calendar import is_round_day
from hongniudai.care.soup.models import FebruaryRule, Outcome, SoupRound, SoupVisit

from .conftest import SoupTown

pytestmark = pytest.mark.django_db


def _run_job_on(day: dt.date, times: int = 1) -> int:
    made = 0
    with time_machine.travel(dt.datetime(day.year, day.month, day.day, 6, 0, tzinfo=dt.UTC), tick=False):
        for _ in range(times):
            made += tasks.create_soup_rounds.call_local()
    return made


def test_the_job_run_three_times_on_the_19th_makes_one_round_per_village(soup: SoupTown) -> None:
    assert _run_job_on(dt.date(2026, 12, 19), times=3) == 2
    rounds = SoupRound.objects.filter(date=dt.date(2026, 12, 19))
    assert sorted(r.village.name for r in rounds) == ["何梅畈村", "发水河村"]
    mine = rounds.get(village=soup.village)
    visits = SoupVisit.objects.filter(round=mine)
    assert sorted(v.recipient.resident.name for v in visits) == ["张老太", "张老汉"]
    assert {v.volunteer for v in visits} == {soup.volunteer}  # the hamlet's volunteer
    assert {v.outcome for v in visits} == {Outcome.PENDING}


def test_no_round_on_the_18th(soup: SoupTown) -> None:
    assert _run_job_on(dt.date(2026, 12, 18), times=3) == 0
    assert not SoupRound.objects.exists()


@pytest.mark.parametrize(
    "day", [dt.date(2026, 12, 9), dt.date(2026, 12, 19), dt.date(2026, 12, 29), dt.date(2027, 1, 9)]
)
def test_every_date_with_a_9_is_a_round_day(day: dt.date) -> None:
    assert is_round_day(day)


def test_only_dates_with_a_9_are_round_days_in_a_year() -> None:
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(365)]
    # 2026 has no 29 February: the default adds the 28th.
    assert {d.day for d in days if is_round_day(d)} == {9, 19, 29, 28}
    assert [d for d in days if d.day == 28 and is_round_day(d)] == [dt.date(2026, 2, 28)]
    assert sum(is_round_day(d) for d in days) == 36


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (None, [dt.date(2027, 2, 28)]),  # the default: the 28th, so the elderly are not skipped
        (FebruaryRule.FEB_28, [dt.date(2027, 2, 28)]),
        (FebruaryRule.MARCH_1, [dt.date(2027, 3, 1)]),
        (FebruaryRule.NONE, []),
    ],
)
def test_february_2027_follows_the_town_setting(soup: SoupTown, rule: str | None, expected: list[dt.date]) -> None:
    if rule is not None:
        services.save_settings(actor=soup.admin, town=soup.town.town, february_rule=rule)
    for day in (dt.date(2027, 2, 27), dt.date(2027, 2, 28), dt.date(2027, 3, 1), dt.date(2027, 3, 2)):
        _run_job_on(day, times=2)
    dates = sorted(set(SoupRound.objects.values_list("date", flat=True)))
    assert dates == expected
    assert SoupRound.objects.count() == 2 * len(expected)  # one per village


@pytest.mark.parametrize("rule", [None, FebruaryRule.FEB_28, FebruaryRule.MARCH_1, FebruaryRule.NONE])
def test_in_leap_2028_the_29th_is_the_round_whatever_the_setting(soup: SoupTown, rule: str | None) -> None:
    if rule is not None:
        services.save_settings(actor=soup.admin, town=soup.town.town, february_rule=rule)
    for day in (dt.date(2028, 2, 28), dt.date(2028, 2, 29), dt.date(2028, 3, 1)):
        _run_job_on(day, times=2)
    assert sorted(set(SoupRound.objects.values_list("date", flat=True))) == [dt.date(2028, 2, 29)]


def test_a_round_by_hand_only_on_a_soup_day_and_once(soup: SoupTown) -> None:
    with pytest.raises(ValidationError) as err:
        services.create_round(actor=soup.hmf, village=soup.village, day=dt.date(2026, 12, 18))
    assert "逢九" in str(err.value)
    first = services.create_round(actor=soup.hmf, village=soup.village, day=dt.date(2026, 12, 29))
    again = services.create_round(actor=soup.hmf, village=soup.village, day=dt.date(2026, 12, 29))
    assert first.pk == again.pk
    assert SoupVisit.objects.filter(round=first).count() == 2
    assert _run_job_on(dt.date(2026, 12, 29)) == 1  # only 发水河村's is new


def test_a_village_cannot_set_the_towns_february(soup: SoupTown) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.save_settings(actor=soup.hmf, town=soup.town.town, february_rule=FebruaryRule.NONE)
