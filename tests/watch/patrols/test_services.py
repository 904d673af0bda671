"""Night patrols and campaigns as the people who keep them would notice: a patrol's incident lands
as a matter in its grid; a shift nobody checked in to is flagged missed, once; the board counts
zero-reports as reports and missing days as missing, on time by the deadline hour in Asia/Shanghai;
the reminder goes once however often the job runs; a second report of a grid and day is refused."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from hongniudai.audit.models import AuditEvent
from hongniudai.governance.interface import Channel, Matter
from hongniudai.notifications.models import Notification
from hongniudai.watch.patrols import selectors, services
from hongniudai.watch.patrols.models import (
    CampaignGrid,
    CampaignReminder,
    CampaignReport,
    PatrolShift,
    ShiftStatus,
)
from tests.watch.patrols.conftest import at

OCT = dt.date(2026, 10, 1)


def _rota(pt, month=OCT):
    return services.rota_generate(
        actor=pt.users["admin"], team=pt.team, month=month, route=[pt.xuqiao.grid, pt.fashuihe.grid]
    )


def test_the_market_town_team_is_on_every_night_and_the_rota_is_not_doubled(pt):
    added = _rota(pt)
    assert len(added) == 31
    first = PatrolShift.objects.get(team=pt.team, date=OCT)
    assert first.starts_at == at(OCT, 20) and first.ends_at == at(OCT, 20) + dt.timedelta(hours=4)
    assert {g.name for g in first.route.all()} == {"5组", "1组"}
    assert _rota(pt) == []  # generated again: nothing added
    assert PatrolShift.objects.filter(team=pt.team).count() == 31


def test_a_route_outside_the_teams_area_is_refused(pt):
    team = services.team_set_up(actor=pt.users["xuqiao"], area=pt.xuqiao.area, name="徐桥村巡逻队")
    with pytest.raises(ValidationError) as exc:
        services.rota_generate(actor=pt.users["xuqiao"], team=team, month=OCT, route=[pt.fashuihe.grid])
    assert "不是本队巡逻区域" in str(exc.value)


def test_a_shift_checked_in_and_out_is_kept_with_its_places(pt):
    _rota(pt)
    shift = PatrolShift.objects.get(team=pt.team, date=OCT)
    worker = pt.users["admin"]
    log = services.shift_start(actor=worker, shift=shift, lat="30.401", lng="114.88", now=at(OCT, 20, 3))
    assert log.start_lat is not None
    services.log_update(actor=worker, shift=shift, present=[pt.m_party, pt.m_militia], weather="rain")
    services.shift_end(actor=worker, shift=shift, now=at(OCT, 23, 58))
    shift.refresh_from_db()
    assert shift.status == ShiftStatus.KEPT
    assert shift.log.ended_at == at(OCT, 23, 58) and shift.log.end_lat is None
    assert {m.name for m in shift.log.present.all()} == {"黄文华", "李民兵"}
    with pytest.raises(ValidationError, match="已结束巡逻"):
        services.shift_end(actor=worker, shift=shift, now=at(OCT, 23, 59))


def test_a_patrol_incident_lands_as_a_matter_in_its_grid_with_the_patrol_as_channel(pt):
    _rota(pt)
    shift = PatrolShift.objects.get(team=pt.team, date=OCT)
    services.shift_start(actor=pt.users["admin"], shift=shift, now=at(OCT, 20))
    incident = services.incident_raise(
        actor=pt.users["admin"],
        shift=shift,
        place=pt.fashuihe.grid,
        title="路灯不亮",
        description="1组村口路灯损坏,夜间无照明。",
    )
    matter = Matter.objects.get(pk=incident.matter_id)
    assert matter.channel == Channel.NIGHT_PATROL
    assert matter.place == pt.fashuihe.grid
    assert matter.get_channel_display() == "夜间巡逻"
    assert list(selectors.incidents(pt.users["admin"], shift=shift)) == [incident]
    # the village sees the matter raised in its grid on its ladder, not the town team's log
    assert selectors.team_measures(pt.users["admin"], month=OCT).get(pk=pt.team.pk).incidents == 1


def test_an_incident_outside_the_route_area_or_before_the_start_is_refused(pt):
    _rota(pt)
    shift = PatrolShift.objects.get(team=pt.team, date=OCT)
    with pytest.raises(ValidationError, match="开始巡逻"):
        services.incident_raise(actor=pt.users["admin"], shift=shift, place=pt.xuqiao.grid, description="x")
    assert not Matter.objects.exists()


def test_a_missed_shift_is_flagged_once_however_often_the_job_runs(pt):
    _rota(pt)
    with time_machine.travel(at(OCT + dt.timedelta(days=1), 1), tick=False):
        assert services.flag_missed_shifts() == 1  # Oct 1st 20:00–24:00 nobody came
        assert services.flag_missed_shifts() == 0
    shift = PatrolShift.objects.get(team=pt.team, date=OCT)
    assert shift.status == ShiftStatus.MISSED
    assert AuditEvent.objects.filter(action="patrol_shift_missed").count() == 1
    with pytest.raises(ValidationError, match="缺勤"):
        services.shift_start(actor=pt.users["admin"], shift=shift, now=at(OCT + dt.timedelta(days=1), 1))
    measures = selectors.team_measures(pt.users["admin"], month=OCT).get(pk=pt.team.pk)
    assert (measures.planned, measures.kept, measures.missed) == (31, 0, 1)


def test_a_shift_checked_in_to_is_not_flagged(pt):
    _rota(pt)
    shift = PatrolShift.objects.get(team=pt.team, date=OCT)
    services.shift_start(actor=pt.users["admin"], shift=shift, now=at(OCT, 20))
    assert services.flag_missed_shifts(now=at(OCT + dt.timedelta(days=1), 2)) == 0


def test_a_village_secretary_cannot_record_the_town_teams_shift(pt):
    _rota(pt)
    shift = PatrolShift.objects.get(team=pt.team, date=OCT)
    with pytest.raises(PermissionDenied):
        services.shift_start(actor=pt.users["xuqiao"], shift=shift, now=at(OCT, 20))


# ---- campaigns ---------------------------------------------------------------------------------


def test_a_campaign_covers_the_grids_of_the_villages_chosen(pt):
    grids = set(CampaignGrid.objects.filter(campaign=pt.campaign).values_list("grid__name", "village__name"))
    assert grids == {("5组", "徐桥村"), ("6组", "徐桥村"), ("1组", "发水河村")}


def _report(pt, grid, moment, **kw):
    with time_machine.travel(moment, tick=False):
        return services.report_make(actor=pt.users["admin"], campaign=pt.campaign, grid=grid, **kw)


def test_the_board_counts_zero_reports_as_reports_and_missing_days_as_missing(pt):
    x5, x6, f1 = pt.xuqiao.grid, pt.grid2, pt.fashuihe.grid
    # Oct 1: 5组 zero-report at 17:59 (on time), 6组 findings at 18:00 (late: due before 18:00),
    # 1组 nothing. Oct 2: 5组 zero-report 09:00; others not yet (board is read at 10:00 on Oct 2).
    _report(pt, x5, at(OCT, 17, 59), nothing_found=True)
    _report(
        pt, x6, at(OCT, 18, 0), checked="巡查田块 3 处", findings="发现一处焚烧痕迹", attributes={"burning_now": "no"}
    )
    _report(pt, x5, at(OCT + dt.timedelta(days=1), 9), nothing_found=True)
    # 1组 reports Oct 1 late the next morning, as a late report of that day
    _report(pt, f1, at(OCT + dt.timedelta(days=1), 8), nothing_found=True, date=OCT)
    b = selectors.board(pt.users["admin"], pt.campaign, today=OCT + dt.timedelta(days=1))
    assert b.days_so_far == 2
    t = b.totals
    assert (t.expected, t.reported, t.on_time, t.missing, t.nothing_found) == (6, 4, 2, 2, 3)
    assert str(t.reporting_rate) == "66.7" and str(t.on_time_rate) == "33.3"
    today = b.totals_today
    assert (today.expected, today.reported, today.on_time, today.missing) == (3, 1, 1, 2)
    by_village = {v.village.name: v for v in b.villages}
    assert (by_village["徐桥村"].so_far.expected, by_village["徐桥村"].so_far.reported) == (4, 3)
    assert (by_village["发水河村"].so_far.reported, by_village["发水河村"].so_far.on_time) == (1, 0)
    history = {d.date: d.tally for d in b.history}
    assert (history[OCT].expected, history[OCT].reported, history[OCT].on_time) == (3, 3, 1)
    assert history[OCT + dt.timedelta(days=1)].reported == 1
    # A village secretary's board: his village's grids only.
    mine = selectors.board(pt.users["xuqiao"], pt.campaign, today=OCT + dt.timedelta(days=1))
    assert (mine.totals.expected, mine.totals.reported) == (4, 3)
    assert [v.village.name for v in mine.villages] == ["徐桥村"]


def test_the_board_counts_in_asia_shanghai_not_utc(pt):
    # 09:30 UTC is 17:30 in Shanghai: on time; 10:30 UTC is 18:30: late.
    _report(pt, pt.xuqiao.grid, dt.datetime(2026, 10, 1, 9, 30, tzinfo=dt.UTC), nothing_found=True)
    _report(pt, pt.grid2, dt.datetime(2026, 10, 1, 10, 30, tzinfo=dt.UTC), nothing_found=True)
    on_time = dict(CampaignReport.objects.values_list("grid__name", "on_time"))
    assert on_time == {"5组": True, "6组": False}
    # 16:30 UTC on Oct 1 is already Oct 2 in Shanghai: the report is Oct 2's.
    _report(pt, pt.fashuihe.grid, dt.datetime(2026, 10, 1, 16, 30, tzinfo=dt.UTC), nothing_found=True)
    assert CampaignReport.objects.get(grid=pt.fashuihe.grid).date == OCT + dt.timedelta(days=1)


def test_a_finding_raises_a_matter_in_the_grid_linked_to_the_report(pt):
    report = _report(
        pt,
        pt.xuqiao.grid,
        at(OCT, 10),
        findings="5组黄家湾田边有人焚烧秸秆",
        attributes={"burning_now": "yes"},
    )
    finding = report.matters.get()
    matter = Matter.objects.get(pk=finding.matter_id)
    assert (matter.channel, matter.place, matter.category.code) == (Channel.CAMPAIGN, pt.xuqiao.grid, "straw-burning")


def test_a_second_report_for_the_same_grid_and_day_is_refused_in_chinese(pt):
    _report(pt, pt.xuqiao.grid, at(OCT, 10), nothing_found=True)
    with pytest.raises(ValidationError) as exc:
        _report(pt, pt.xuqiao.grid, at(OCT, 11), findings="又发现一处")
    assert "已上报过,不能重复上报" in " ".join(exc.value.messages)
    assert CampaignReport.objects.count() == 1 and not Matter.objects.exists()


def test_reports_outside_the_window_or_grids_or_ahead_are_refused(pt):
    with pytest.raises(ValidationError, match="专项巡查期间"):
        _report(pt, pt.xuqiao.grid, at(dt.date(2026, 9, 30), 10), nothing_found=True)
    with pytest.raises(ValidationError, match="覆盖范围"):
        _report(pt, pt.hemeifan.grid, at(OCT, 10), nothing_found=True)
    with pytest.raises(ValidationError, match="提前"):
        _report(pt, pt.xuqiao.grid, at(OCT, 10), nothing_found=True, date=OCT + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="今日无情况"):
        _report(pt, pt.xuqiao.grid, at(OCT, 10))
    assert not CampaignReport.objects.exists()


def test_a_grid_worker_reports_only_for_his_grid(pt):
    worker = pt.users["gridworker"]
    with time_machine.travel(at(OCT, 10), tick=False):
        services.report_make(actor=worker, campaign=pt.campaign, grid=pt.xuqiao.grid, nothing_found=True)
        with pytest.raises(PermissionDenied):
            services.report_make(actor=worker, campaign=pt.campaign, grid=pt.grid2, nothing_found=True)


def test_the_reminder_goes_once_however_often_the_job_runs(pt):
    services.duty_assign(
        actor=pt.users["admin"], campaign=pt.campaign, date=OCT, grid=pt.grid2, user=pt.users["xuqiao"]
    )
    _report(pt, pt.fashuihe.grid, at(OCT, 9), nothing_found=True)
    assert services.send_campaign_reminders(now=at(OCT, 17, 45)) == 0  # before the deadline hour
    assert services.send_campaign_reminders(now=at(OCT, 18, 0)) == 2  # 5组 and 6组
    assert services.send_campaign_reminders(now=at(OCT, 18, 15)) == 0
    assert services.send_campaign_reminders(now=at(OCT, 23, 45)) == 0
    assert CampaignReminder.objects.count() == 2
    # 5组's grid worker is told once; 6组's duty (the secretary) once; 发水河村 reported: nobody.
    assert Notification.objects.filter(user=pt.users["gridworker"]).count() == 1
    assert Notification.objects.filter(user=pt.users["xuqiao"]).count() == 1
    assert "尚未上报" in Notification.objects.filter(user=pt.users["gridworker"]).get().message
    # The next day is another day.
    assert services.send_campaign_reminders(now=at(OCT + dt.timedelta(days=1), 18, 30)) == 3


def test_no_reminder_outside_the_window(pt):
    assert services.send_campaign_reminders(now=at(dt.date(2026, 9, 30), 20)) == 0
    assert services.send_campaign_reminders(now=at(dt.date(2026, 10, 11), 20)) == 0


@pytest.mark.parametrize("hour", [0, 24, "x"])
def test_a_bad_deadline_hour_is_refused(pt, hour):
    with pytest.raises(ValidationError, match="截止时间"):
        services.campaign_set_up(
            actor=pt.users["admin"],
            area=pt.town,
            areas=[pt.xuqiao.area],
            kind="flood",
            name="汛期巡查",
            starts_on=OCT,
            ends_on=OCT,
            deadline_hour=hour,
        )
