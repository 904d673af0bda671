"""Blockers: due on the working-day calendar, escalated up the ladder, solved only with evidence and
signed off (销号) only by the team leader; the daily job flags overdue ones and tells once a day."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hongniudai.audit.models import AuditEvent
from hongniudai.notifications.models import Notification
from hongniudai.projects import reminders, selectors_blockers, services_blockers, services_visits
from hongniudai.projects.models import Blocker, BlockerStatus, StepKind

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def _raise(town, park, **kw):
    kw.setdefault("description", "供电线路需迁改")
    kw.setdefault("category", park["category"])
    return services_blockers.blocker_raise(actor=town.users["cadre"], project=park["project"], **kw)


def test_a_friday_blocker_with_one_working_day_is_due_monday(town, park):
    with time_machine.travel(dt.datetime(2026, 3, 6, 10, 0, tzinfo=SH), tick=False):  # Friday
        blocker = _raise(town, park, due_days=1)
    assert blocker.due_at.astimezone(SH).date() == dt.date(2026, 3, 9)


def test_holidays_come_from_the_official_calendar(town, park):
    with time_machine.travel(dt.datetime(2026, 9, 30, 10, 0, tzinfo=SH), tick=False):  # before National Day
        blocker = _raise(town, park, due_days=1)
    assert blocker.due_at.astimezone(SH).date() == dt.date(2026, 10, 8)


def test_the_category_gives_the_time_limit(town, park):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=SH), tick=False):  # Monday, 用工: 10 days
        blocker = _raise(town, park)
    assert blocker.due_at.astimezone(SH).date() == dt.date(2026, 3, 16)


def test_a_blocker_cannot_be_signed_off_without_evidence(town, park):
    blocker, leader = park["blocker"], town.users["leader"]
    with pytest.raises(ValidationError):
        services_blockers.blocker_sign_off(actor=leader, blocker=blocker)
    with pytest.raises(ValidationError) as exc:
        services_blockers.blocker_resolve(actor=town.users["cadre"], blocker=blocker, evidence="  ")
    assert "evidence" in exc.value.message_dict
    blocker.refresh_from_db()
    assert blocker.status == BlockerStatus.OPEN


def test_only_the_team_leader_signs_off(town, park):
    blocker = park["blocker"]
    services_blockers.blocker_resolve(actor=town.users["cadre"], blocker=blocker, evidence="已招聘电焊工 20 名")
    for who in ("cadre", "other", "admin"):  # at the team's level, not even the town administrator
        with pytest.raises(PermissionDenied):
            services_blockers.blocker_sign_off(actor=town.users[who], blocker=blocker)
    signed = services_blockers.blocker_sign_off(actor=town.users["leader"], blocker=blocker)
    assert signed.status == BlockerStatus.SOLVED and signed.signed_off_by == town.users["leader"]
    assert [s.kind for s in selectors_blockers.steps(signed)] == [
        StepKind.RAISED,
        StepKind.RESOLVED,
        StepKind.SIGNED_OFF,
    ]
    assert AuditEvent.objects.filter(action="project_blocker_signed_off", target_id=str(blocker.pk)).exists()
    with pytest.raises(ValidationError):
        services_blockers.blocker_step(actor=town.users["cadre"], blocker=signed, text="再办")


def test_evidence_may_be_a_photo(town, park):
    photo = SimpleUploadedFile("现场.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="image/png")
    blocker = services_blockers.blocker_resolve(
        actor=town.users["cadre"], blocker=park["blocker"], evidence="", upload=photo
    )
    assert blocker.evidence_file and "现场" not in blocker.evidence_file.name
    assert (
        services_blockers.blocker_sign_off(actor=town.users["leader"], blocker=blocker).status == BlockerStatus.SOLVED
    )


def test_blocking_time_is_counted_in_working_days(town, park):
    with time_machine.travel(dt.datetime(2026, 3, 6, 10, 0, tzinfo=SH), tick=False):  # Friday
        blocker = _raise(town, park)
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, 0, tzinfo=SH), tick=False):  # Tuesday
        services_blockers.blocker_resolve(actor=town.users["cadre"], blocker=blocker, evidence="已解决")
        blocker = services_blockers.blocker_sign_off(actor=town.users["leader"], blocker=blocker)
    assert blocker.working_days_blocked == 2  # Monday and Tuesday


def test_escalation_goes_up_the_ladder_on_the_working_day_calendar(town, park):
    blocker, cadre = park["blocker"], town.users["cadre"]
    with time_machine.travel(dt.datetime(2026, 3, 6, 10, 0, tzinfo=SH), tick=False):  # Friday
        b = services_blockers.blocker_escalate(actor=cadre, blocker=blocker, reason="需镇协调用工")
    assert b.status == BlockerStatus.ESCALATED_TOWN and b.level == "town"
    assert b.due_at.astimezone(SH).date() == dt.date(2026, 3, 20)  # 用工: 10 working days
    b = services_blockers.blocker_escalate(actor=cadre, blocker=b, reason="需县人社局支持")
    assert b.status == BlockerStatus.ESCALATED_COUNTY
    with pytest.raises(ValidationError):
        services_blockers.blocker_escalate(actor=cadre, blocker=b, reason="再上报")
    # Up at the town or the county, the town administrator may sign it off as well.
    services_blockers.blocker_resolve(actor=cadre, blocker=b, evidence="县人社局组织专场招聘")
    assert services_blockers.blocker_sign_off(actor=town.users["admin"], blocker=b).status == BlockerStatus.SOLVED


def test_the_overdue_job_flags_and_tells_once_a_day(town, park):
    with time_machine.travel(dt.datetime(2026, 3, 6, 10, 0, tzinfo=SH), tick=False):  # Friday
        blocker = _raise(town, park, due_days=1, owner=town.users["cadre"])  # due Monday 9 March
    with time_machine.travel(dt.datetime(2026, 3, 9, 20, 0, tzinfo=SH), tick=False):  # Monday evening
        assert reminders.flag_overdue_blockers() == 0
        assert not selectors_blockers.blockers(town.users["admin"], overdue=True).filter(pk=blocker.pk).exists()
    with time_machine.travel(dt.datetime(2026, 3, 10, 7, 40, tzinfo=SH), tick=False):  # Tuesday
        assert reminders.flag_overdue_blockers() == 1
        assert reminders.flag_overdue_blockers() == 0  # run twice: told once
        assert selectors_blockers.blockers(town.users["admin"], overdue=True).filter(pk=blocker.pk).exists()
    blocker.refresh_from_db()
    assert blocker.overdue_since == dt.date(2026, 3, 10)
    assert blocker.steps.filter(kind=StepKind.OVERDUE).count() == 1
    told = Notification.objects.filter(message__contains="已超过办结时限")
    assert sorted(n.user.username for n in told) == ["lizhuanban", "wangganbu"]
    with time_machine.travel(dt.datetime(2026, 3, 11, 7, 40, tzinfo=SH), tick=False):  # the next day again
        assert reminders.flag_overdue_blockers() == 1
    assert blocker.steps.filter(kind=StepKind.OVERDUE).count() == 1


def test_a_visit_raises_a_blocker_in_one_step(town, park):
    visit = services_visits.visit_record(
        actor=town.users["cadre"],
        team=park["team"],
        visited_on=dt.date(2026, 3, 5),
        project=park["project"],
        findings="场地未平整",
        blockers=[
            {"category": park["category"], "description": "二期场地需平整 30 亩", "owner_department": "镇建设办"}
        ],
    )
    blocker = Blocker.objects.get(visit=visit)
    assert blocker.project == park["project"] and blocker.raised_by == town.users["cadre"]
    assert [c.user for c in visit.checkins.all()] == [town.users["cadre"]]


def test_a_bad_blocker_on_a_visit_saves_nothing(town, park):
    before = Blocker.objects.count()
    with pytest.raises(ValidationError):
        services_visits.visit_record(
            actor=town.users["cadre"],
            team=park["team"],
            visited_on=dt.date(2026, 3, 5),
            project=park["project"],
            blockers=[{"category": park["category"], "description": ""}],
        )
    assert Blocker.objects.count() == before


def test_measures(town, park):
    cadre, leader = town.users["cadre"], town.users["leader"]
    for text in ("甲", "乙"):
        b = _raise(town, park, description=text, owner_department="镇经发办")
        services_blockers.blocker_resolve(actor=cadre, blocker=b, evidence="已办")
        services_blockers.blocker_sign_off(actor=leader, blocker=b)
    m = selectors_blockers.measures(town.users["admin"])
    assert (m["totals"]["raised"], m["totals"]["solved"], m["totals"]["overdue"]) == (3, 2, 0)
    by_dept = {r["name"]: r for r in m["by_department"]}
    assert (by_dept["镇经发办"]["raised"], by_dept["镇经发办"]["solved"]) == (2, 2)
    assert by_dept["镇经发办"]["mean_days"] == 0
    assert {r["name"]: r["solved"] for r in m["by_team"]} == {"专班一": 2}
    assert selectors_blockers.measures(town.users["xuqiao"])["totals"]["raised"] == 0
