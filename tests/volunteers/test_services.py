"""The volunteers' writes: registering (a resident, or someone from outside with a valid phone),
teams, participation in order, hours that only the organiser confirms."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hongniudai.accounts.models import Role, RoleAssignment
from hongniudai.audit.models import AuditEvent
from hongniudai.volunteers import selectors, services, services_tasks
from hongniudai.volunteers.models import HoursStatus, ParticipationStatus, VolunteerTask
from tests import factories as f

from .conftest import SHANGHAI

pytestmark = pytest.mark.django_db


def test_an_outsider_needs_a_valid_phone(town):
    actor = town.users["xuqiao"]
    with pytest.raises(ValidationError) as e:
        services.register_volunteer(actor=actor, area=town.xuqiao.area, name="王五", joined_on=dt.date(2025, 1, 1))
    assert "须填写手机号" in str(e.value)
    with pytest.raises(ValidationError) as e:
        services.register_volunteer(
            actor=actor, area=town.xuqiao.area, name="王五", phone="12345", joined_on=dt.date(2025, 1, 1)
        )
    assert "11 位数字" in str(e.value)


def test_a_resident_of_another_village_is_refused(town):
    with pytest.raises(PermissionDenied):
        services.register_volunteer(
            actor=town.users["xuqiao"],
            area=town.fashuihe.area,
            resident=town.fashuihe.head,
            joined_on=dt.date(2025, 1, 1),
        )
    with pytest.raises(ValidationError) as e:
        services.register_volunteer(
            actor=town.users["admin"], area=town.xuqiao.area, resident=town.fashuihe.head, joined_on=dt.date(2025, 1, 1)
        )
    assert "不是该地区的居民" in str(e.value)


def test_audit_masks_the_phone(crew):
    event = AuditEvent.objects.filter(action="volunteer_registered", target_id=str(crew.li.pk)).get()
    assert "13800138000" not in str(event.changes)
    assert "138****8000" in str(event.changes)


def test_team_leader_must_be_a_member(town, crew):
    actor = town.users["xuqiao"]
    team = services.create_team(actor=actor, area=town.xuqiao.area, name="徐桥村爱心汤队")
    with pytest.raises(ValidationError) as e:
        services.update_team(actor=actor, team=team, name=team.name, leader=crew.li)
    assert "队长须是本队队员" in str(e.value)
    services.update_volunteer(
        actor=actor, volunteer=crew.li, name="李明", phone="13800138000", team=team, joined_on=crew.li.joined_on
    )
    services.update_team(actor=actor, team=team, name=team.name, leader=crew.li)
    assert team.leader == crew.li


def test_link_account_grants_the_volunteer_role(town, crew):
    user = f.user("liming", Role.GRID_WORKER, area=town.xuqiao.grid)
    services.link_account(actor=town.users["admin"], volunteer=crew.li, user=user)
    assert RoleAssignment.objects.filter(user=user, role=Role.VOLUNTEER, area=town.xuqiao.area).exists()
    crew.li.refresh_from_db()
    assert crew.li.user == user


def test_participation_goes_in_order(town, crew):
    actor = town.users["xuqiao"]
    p = services_tasks.request_participation(actor=actor, task=crew.soup, volunteer=crew.li)
    assert p.status == ParticipationStatus.REQUESTED
    with pytest.raises(ValidationError) as e:
        services_tasks.complete_participation(actor=actor, participation=p)
    assert "只有“已确认”的参与可以标记完成,当前为“报名”" in str(e.value)
    services_tasks.confirm_participation(actor=actor, participation=p)
    with pytest.raises(ValidationError) as e:
        services_tasks.confirm_participation(actor=actor, participation=p)
    assert "只有“报名”状态的参与可以确认,当前为“已确认”" in str(e.value)
    services_tasks.complete_participation(actor=actor, participation=p)
    p.refresh_from_db()
    assert (p.status, p.confirmed_by, p.done_by) == (ParticipationStatus.DONE, actor, actor)
    with pytest.raises(ValidationError) as e:
        services_tasks.decline_participation(actor=actor, participation=p, reason="人满")
    assert "当前为“已完成”" in str(e.value)


def test_a_declined_participation_stays_declined(town, crew):
    actor = town.users["xuqiao"]
    p = services_tasks.request_participation(actor=actor, task=crew.soup, volunteer=crew.li)
    services_tasks.decline_participation(actor=actor, participation=p, reason="人已够")
    p.refresh_from_db()
    assert (p.status, p.decline_reason) == (ParticipationStatus.DECLINED, "人已够")
    with pytest.raises(ValidationError):
        services_tasks.confirm_participation(actor=actor, participation=p)
    with pytest.raises(ValidationError):
        services_tasks.assign(actor=actor, task=crew.soup, volunteers=[crew.li])


def test_confirmations_stop_at_the_number_needed(town, crew):
    actor = town.users["xuqiao"]
    task = services_tasks.schedule_task(
        actor=actor,
        area=town.xuqiao.area,
        kind="activity",
        title="清洁家园",
        starts_at=timezone.now() + dt.timedelta(days=1),
        ends_at=timezone.now() + dt.timedelta(days=1, hours=3),
        needed=1,
    )
    services_tasks.assign(actor=actor, task=task, volunteers=[crew.huang])
    p = services_tasks.request_participation(actor=actor, task=task, volunteer=crew.li)
    with pytest.raises(ValidationError) as e:
        services_tasks.confirm_participation(actor=actor, participation=p)
    assert "已确认满员" in str(e.value)


def test_schedule_task_checks_times_and_keeps_the_source(town, crew):
    actor = town.users["xuqiao"]
    now = timezone.now()
    with pytest.raises(ValidationError) as e:
        services_tasks.schedule_task(
            actor=actor, area=town.xuqiao.area, kind="activity", title="x", starts_at=now, ends_at=now
        )
    assert "结束时间应晚于开始时间" in str(e.value)
    owned = services_tasks.schedule_task(
        actor=actor,
        area=town.xuqiao.area,
        kind="soup_round",
        title="12月9日爱心汤",
        starts_at=now,
        ends_at=now + dt.timedelta(hours=3),
        source=crew.soup,  # any record may own a task
    )
    assert list(selectors.tasks_of_source(crew.soup)) == [owned]


def _on_soup(town, crew, volunteer):
    return services_tasks.assign(actor=town.users["xuqiao"], task=crew.soup, volunteers=[volunteer])[0]


def test_hours_are_positive_and_at_most_24_a_day(town, crew):
    p = _on_soup(town, crew, crew.huang)
    for bad, message in (
        ("0", "大于零"),
        ("-1", "大于零"),
        ("24.5", "24 小时"),
        ("1.25", "一位小数"),
        ("abc", "有效的数字"),
    ):
        with pytest.raises(ValidationError) as e:
            services_tasks.log_hours(actor=crew.huang_user, participation=p, hours=bad)
        assert message in str(e.value)
    services_tasks.log_hours(actor=crew.huang_user, participation=p, hours="20")
    with pytest.raises(ValidationError) as e:
        services_tasks.log_hours(actor=crew.huang_user, participation=p, hours="4.5")
    assert "一天合计不能超过 24 小时" in str(e.value)


def test_hours_need_a_confirmed_participation(town, crew):
    p = services_tasks.request_participation(actor=town.users["xuqiao"], task=crew.soup, volunteer=crew.li)
    with pytest.raises(ValidationError) as e:
        services_tasks.log_hours(actor=town.users["xuqiao"], participation=p, hours="2")
    assert "当前为“报名”" in str(e.value)


def test_a_volunteer_cannot_confirm_their_own_hours(town, crew):
    """Not as a volunteer, and not as staff either: 黄文华 is also made the village's grid worker."""
    p = _on_soup(town, crew, crew.huang)
    logged = services_tasks.log_hours(actor=crew.huang_user, participation=p, hours="3")
    with pytest.raises(PermissionDenied):
        services_tasks.confirm_hours(actor=crew.huang_user, hours=logged)
    staff = town.users["xuqiao"]
    services.link_account(actor=town.users["admin"], volunteer=crew.huang, user=staff)  # the secretary volunteers
    with pytest.raises(PermissionDenied) as e:
        services_tasks.confirm_hours(actor=staff, hours=logged)
    assert "不能审核自己的服务时长" in str(e.value)
    logged.refresh_from_db()
    assert logged.status == HoursStatus.PENDING
    services_tasks.confirm_hours(actor=town.users["admin"], hours=logged)
    logged.refresh_from_db()
    assert logged.status == HoursStatus.CONFIRMED


def test_rejected_hours_keep_their_reason(town, crew):
    p = _on_soup(town, crew, crew.li)
    logged = services_tasks.log_hours(actor=town.users["xuqiao"], participation=p, hours="2")
    with pytest.raises(ValidationError):
        services_tasks.reject_hours(actor=town.users["admin"], hours=logged, reason=" ")
    services_tasks.reject_hours(actor=town.users["admin"], hours=logged, reason="当天未到岗")
    logged.refresh_from_db()
    assert (logged.status, logged.reason) == (HoursStatus.REJECTED, "当天未到岗")
    with pytest.raises(ValidationError):
        services_tasks.confirm_hours(actor=town.users["admin"], hours=logged)


def _past_task(town, day: dt.date, title: str) -> VolunteerTask:
    start = dt.datetime(day.year, day.month, day.day, 9, tzinfo=SHANGHAI)
    return services_tasks.schedule_task(
        actor=town.users["xuqiao"],
        area=town.xuqiao.area,
        kind="activity",
        title=title,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=4),
        needed=5,
    )


def serve(town, volunteer, day: dt.date, hours: str, *, confirm: bool = True, title: str = "活动"):
    task = _past_task(town, day, title)
    p = services_tasks.assign(actor=town.users["xuqiao"], task=task, volunteers=[volunteer])[0]
    logged = services_tasks.log_hours(actor=town.users["xuqiao"], participation=p, hours=hours, day=day)
    if confirm:
        services_tasks.confirm_hours(actor=town.users["admin"], hours=logged)
    return logged


def test_yearly_totals_count_confirmed_hours_only(town, crew):
    serve(town, crew.huang, dt.date(2025, 6, 1), "4")
    serve(town, crew.huang, dt.date(2025, 7, 1), "2.5")
    serve(town, crew.huang, dt.date(2025, 8, 1), "3", confirm=False)
    rejected = serve(town, crew.huang, dt.date(2025, 9, 1), "5", confirm=False)
    services_tasks.reject_hours(actor=town.users["admin"], hours=rejected, reason="重复登记")
    serve(town, crew.huang, dt.date(2024, 6, 1), "7")
    assert selectors.confirmed_total(crew.huang, 2025) == Decimal("6.5")
    assert selectors.confirmed_total(crew.huang, 2024) == Decimal("7")


def test_ranking_orders_by_confirmed_hours(town, crew):
    serve(town, crew.huang, dt.date(2025, 6, 1), "4")
    serve(town, crew.li, dt.date(2025, 6, 2), "6")
    serve(town, crew.li, dt.date(2024, 6, 2), "20")  # another year
    serve(town, crew.huang, dt.date(2025, 6, 3), "9", confirm=False)  # not confirmed
    rows = selectors.ranking(town.users["admin"], year=2025, area=town.xuqiao.area)
    assert [(r.rank, r.name, r.hours) for r in rows] == [(1, "李明", Decimal("6")), (2, "黄文华", Decimal("4"))]
    serve(town, crew.huang, dt.date(2025, 6, 4), "2")
    rows = selectors.ranking(town.users["admin"], year=2025, area=town.xuqiao.area)
    assert [(r.rank, r.name) for r in rows] == [(1, "李明"), (1, "黄文华")]
    assert selectors.ranking(town.users["xuqiao"], year=2025, area=town.fashuihe.area) == []


def test_the_system_schedules_and_assigns_for_a_periodic_job(town, crew):
    """A soup round's job has no user: the task and its roster are written all the same, audited."""
    now = timezone.now()
    task = services_tasks.schedule_task(
        actor=None,
        area=town.xuqiao.hamlet,
        kind="soup_round",
        title="12月9日爱心汤",
        starts_at=now,
        ends_at=now + dt.timedelta(hours=3),
        needed=2,
    )
    [p] = services_tasks.assign(actor=None, task=task, volunteers=[crew.huang])
    assert (task.organiser, p.status) == (None, ParticipationStatus.CONFIRMED)
    assert AuditEvent.objects.filter(action="volunteer_task_scheduled", target_id=str(task.pk), actor_id=None).exists()


def test_staff_of_another_village_cannot_schedule_or_assign(town, crew):
    with pytest.raises(PermissionDenied):
        services_tasks.assign(actor=town.users["fashuihe"], task=crew.soup, volunteers=[crew.huang])
    with pytest.raises(PermissionDenied):
        services_tasks.assign(actor=town.users["xuqiao"], task=crew.soup, volunteers=[crew.shi])
