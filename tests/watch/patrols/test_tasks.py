"""The huey jobs, as huey runs them (found through `hongniudai.watch.tasks`): run twice, one effect."""

from __future__ import annotations

import datetime as dt

import time_machine

from hongniudai.notifications.models import Notification
from hongniudai.watch import tasks as watch_tasks
from hongniudai.watch.patrols import services, tasks
from hongniudai.watch.patrols.models import PatrolShift, ShiftStatus
from tests.watch.patrols.conftest import at

OCT = dt.date(2026, 10, 1)


def test_the_watch_app_gathers_the_patrol_jobs_for_huey():
    assert watch_tasks.patrols is tasks


def test_the_missed_shift_job_flags_once(pt):
    services.rota_generate(actor=pt.users["admin"], team=pt.team, month=OCT, route=[pt.xuqiao.grid])
    with time_machine.travel(at(OCT + dt.timedelta(days=2), 3), tick=False):
        assert tasks.flag_missed_shifts.call_local() == 2  # the nights of Oct 1 and Oct 2
        assert tasks.flag_missed_shifts.call_local() == 0
    assert PatrolShift.objects.filter(status=ShiftStatus.MISSED).count() == 2


def test_the_reminder_job_tells_each_grid_once(pt):
    with time_machine.travel(at(OCT, 18, 15), tick=False):
        assert tasks.send_campaign_reminders.call_local() == 3
        assert tasks.send_campaign_reminders.call_local() == 0
    assert Notification.objects.filter(user=pt.users["gridworker"]).count() == 1
