"""The month the calendar page shows: official working days, the administrator's corrections on top."""

from __future__ import annotations

import datetime as dt

import pytest

from hongniudai.governance import selectors, services

pytestmark = pytest.mark.django_db

SATURDAY = dt.date(2025, 3, 15)


def test_a_corrected_saturday_shows_as_a_working_day_of_its_month(gov):
    admin = gov.users["admin"]
    services.set_calendar_day(actor=admin, date=SATURDAY, is_working=True, note="调休上班")
    month = selectors.calendar_month(admin, first=dt.date(2025, 3, 1), today=dt.date(2025, 3, 14), selected=SATURDAY)
    days = {d["date"]: d for week in month.weeks for d in week}
    assert month.weeks[0][0]["date"] == dt.date(2025, 2, 24)  # weeks start on Monday
    assert days[SATURDAY]["working"] and not days[SATURDAY]["official"]
    assert days[dt.date(2025, 3, 14)]["today"] and not days[dt.date(2025, 2, 28)]["in_month"]
    assert not days[dt.date(2025, 3, 16)]["working"]
    assert (month.prev_month, month.next_month) == (dt.date(2025, 2, 1), dt.date(2025, 4, 1))
    assert month.selected_correction is not None and month.selected_correction.note == "调休上班"
    assert [c.date for c in month.month_corrections] == [SATURDAY]


def test_a_day_outside_the_grid_finds_its_own_correction(gov):
    admin = gov.users["admin"]
    services.set_calendar_day(actor=admin, date=SATURDAY, is_working=True)
    month = selectors.calendar_month(admin, first=dt.date(2025, 5, 1), today=dt.date(2025, 5, 2), selected=SATURDAY)
    assert month.selected_correction is not None and month.month_corrections == []
    assert selectors.calendar_day(admin, day=SATURDAY) == (month.selected_correction, True)
    assert selectors.calendar_day(admin, day=dt.date(2025, 3, 16)) == (None, False)
