"""The daily job tells the handler of an overdue request once a day, however often it runs."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hongniudai.care.stations import reminders, services
from hongniudai.care.stations.models import RequestReminder
from hongniudai.notifications.models import Notification

from .conftest import BJ, FRIDAY

pytestmark = pytest.mark.django_db


def test_the_job_tells_the_handler_once_a_day(town, stations):
    with time_machine.travel(FRIDAY, tick=False):
        overdue = services.request_receive(
            actor=town.users["xuqiao"],
            station=stations.xuqiao,
            item=stations.certificate,
            channel="phone",
            resident=town.xuqiao.head,
        )
        later = services.request_receive(  # due Wednesday: still green on Tuesday
            actor=town.users["xuqiao"],
            station=stations.xuqiao,
            item=stations.insurance,
            channel="phone",
            resident=town.xuqiao.head,
        )
    tuesday = dt.datetime(2026, 3, 10, 8, 10, tzinfo=BJ)
    with time_machine.travel(tuesday, tick=False):
        assert reminders.send_overdue_notices() == 1
        assert reminders.send_overdue_notices() == 0
    notes = Notification.objects.filter(user=town.users["xuqiao"])
    assert notes.count() == 1
    assert "已超过办理期限" in notes.get().message
    with time_machine.travel(tuesday + dt.timedelta(days=1), tick=False):
        assert reminders.send_overdue_notices() == 1  # still overdue the next day: told again, once
    services.request_complete(actor=town.users["xuqiao"], request=overdue, outcome="done")
    with time_machine.travel(tuesday + dt.timedelta(days=2), tick=False):
        assert (
            reminders.send_overdue_notices() == 1
        )  # the later one, due Wednesday, turned red; the closed one is quiet
    assert set(RequestReminder.objects.values_list("request_id", flat=True)) == {overdue.pk, later.pk}


def test_the_periodic_task_runs_the_job(town, stations):
    from hongniudai.care.stations.tasks import send_overdue_request_notices

    assert send_overdue_request_notices.call_local() == 0
