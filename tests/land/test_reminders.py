"""The daily job: rent due and unpaid and contracts ending within 90 days, told to the village's
secretary once a day per thing, however often it runs."""

from __future__ import annotations

import datetime as dt

import pytest

from hongniudai.land import rent, tasks
from hongniudai.land.models import RentInstalment
from hongniudai.land.reminders import send_land_reminders
from hongniudai.notifications.models import Notification

from .conftest import YEAR, LandTown, contract

pytestmark = pytest.mark.django_db


def _inbox(lt: LandTown, username: str) -> list[str]:
    return list(
        Notification.objects.filter(user=lt.town.users[username]).order_by("id").values_list("message", flat=True)
    )


def test_overdue_rent_and_an_ending_contract_are_told_once_a_day(lt: LandTown) -> None:
    c = contract(lt, ends_on=dt.date(YEAR, 5, 31), number="XQ-短期")
    today = dt.date(YEAR, 3, 10)
    assert send_land_reminders(today=today) == 2
    assert send_land_reminders(today=today) == 0  # run twice: told once
    inbox = _inbox(lt, "xuqiao")
    assert inbox == ["土地流转合同“XQ-短期”有 3 笔租金已到期未付。", "土地流转合同“XQ-短期”将于 2025-05-31 到期。"]
    assert _inbox(lt, "fashuihe") == []
    assert Notification.objects.filter(url=c.get_absolute_url()).count() == 2
    # The next day, told again; once paid, no longer.
    for instalment in RentInstalment.objects.filter(contract=c):
        rent.pay_instalment(actor=lt.xq, instalment=instalment, paid_on=today)
    assert send_land_reminders(today=today + dt.timedelta(days=1)) == 1
    assert _inbox(lt, "xuqiao")[-1].endswith("到期。")


def test_nothing_due_nothing_told(lt: LandTown) -> None:
    contract(lt)
    assert send_land_reminders(today=dt.date(YEAR, 2, 1)) == 0
    assert _inbox(lt, "xuqiao") == []


def test_the_periodic_task_runs_the_reminders(lt: LandTown) -> None:
    assert tasks.send_land_reminders.call_local() == 0
