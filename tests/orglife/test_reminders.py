"""Daily reminders of obligations about to be missed: the right people, once."""

from __future__ import annotations

import datetime as dt

from hongniudai.notifications.models import Notification
from hongniudai.orglife import services, tasks
from hongniudai.orglife.models import ReminderSent

from .conftest import YEAR, hold

LATE_MARCH = dt.date(YEAR, 3, 25)


def _inbox(user):
    return list(Notification.objects.filter(user=user).values_list("message", flat=True))


def test_reminders_reach_the_secretary_and_instructor_once(ol):
    t = ol.town
    branch = t.xuqiao.branch
    hold(branch, dt.date(YEAR, 3, 3), "committee_meeting", "theme_day")  # March's are met
    sent = services.send_due_reminders(today=LATE_MARCH)
    assert sent > 0
    secretary = _inbox(t.users["xuqiao"])
    # The Q1 member meeting and lecture are pending and end within 15 days; March's are met.
    assert any("徐桥村党支部" in m and "支部党员大会" in m and "2025年第1季度" in m for m in secretary)
    assert any("党课" in m for m in secretary)
    assert not any("支部委员会" in m or "主题党日" in m for m in secretary)
    # The group meeting of March is owed by the group: the branch's secretary hears of it.
    assert any("徐桥村5组党小组" in m and "党小组会" in m for m in secretary)
    # The instructor assigned to the branch hears of the branch's obligations.
    assert any("徐桥村党支部" in m for m in _inbox(ol.instructor))
    # Not other villages' secretaries; not the grid worker.
    assert not any("徐桥村" in m for m in _inbox(t.users["fashuihe"]))
    assert _inbox(t.users["gridworker"]) == []
    # 发水河村 owes its own, told to its own secretary.
    assert any("发水河村党支部" in m and "支部委员会" in m for m in _inbox(t.users["fashuihe"]))
    # Never twice.
    before = Notification.objects.count()
    assert services.send_due_reminders(today=LATE_MARCH) == 0
    assert services.send_due_reminders(today=LATE_MARCH + dt.timedelta(days=2)) == 0
    assert Notification.objects.count() == before
    assert ReminderSent.objects.filter(org=branch, kind="member_meeting", unit_start=dt.date(YEAR, 1, 1)).count() == 1


def test_nothing_is_sent_before_the_reminder_window(ol):
    assert services.send_due_reminders(today=dt.date(YEAR, 3, 10)) == 0
    assert Notification.objects.count() == 0


def test_new_unit_is_reminded_again(ol):
    services.send_due_reminders(today=LATE_MARCH)
    count = Notification.objects.filter(user=ol.town.users["xuqiao"]).count()
    services.send_due_reminders(today=dt.date(YEAR, 4, 28))  # April's monthly kinds
    messages = Notification.objects.filter(user=ol.town.users["xuqiao"]).values_list("message", flat=True)
    assert len(messages) > count
    assert any("2025年4月" in m for m in messages)


def test_the_daily_task_runs_the_service(ol, monkeypatch):
    calls = []
    monkeypatch.setattr(services, "send_due_reminders", lambda **kw: calls.append(kw) or 3)
    assert tasks.send_due_reminders.call_local() == 3
    assert calls == [{}]
