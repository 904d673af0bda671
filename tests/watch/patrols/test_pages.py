"""The patrol and campaign pages, as a patrol leader and a grid worker use them on a phone: the
shift page's 开始巡逻 / 结束巡逻 buttons, an incident raised in one step, the daily report's one tap
for 今日无情况 and a second tap refused, the board, the lists and their Excel exports."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from hongniudai.governance.interface import Channel, Matter
from hongniudai.watch.patrols import services
from hongniudai.watch.patrols.models import CampaignReport, PatrolShift, ShiftStatus
from tests.watch.patrols.conftest import at

OCT = dt.date(2026, 10, 1)


def _shift(pt):
    services.rota_generate(actor=pt.users["admin"], team=pt.team, month=OCT, route=[pt.xuqiao.grid])
    return PatrolShift.objects.get(team=pt.team, date=OCT)


def test_a_patrol_starts_ends_and_raises_an_incident_from_the_shift_page(pt):
    shift = _shift(pt)
    client = pt.client_for("admin")
    with time_machine.travel(at(OCT, 20, 1), tick=False):
        page = client.get(reverse("patrols:shift_detail", args=[shift.pk])).content.decode()
        assert "开始巡逻" in page and "结束巡逻" not in page
        r = client.post(reverse("patrols:shift_start", args=[shift.pk]), {"lat": "30.4", "lng": "114.9"})
        assert r.status_code == 302
        page = client.get(reverse("patrols:shift_detail", args=[shift.pk])).content.decode()
        assert "结束巡逻" in page and "上报为事项" in page
        r = client.post(
            reverse("patrols:shift_incident", args=[shift.pk]),
            {"place": pt.xuqiao.grid.pk, "description": "村口有人聚众赌博"},
        )
        assert r.status_code == 302
        r = client.post(
            reverse("patrols:shift_log", args=[shift.pk]),
            {"present": [pt.m_party.pk], "weather": "rain", "route_notes": "雨夜巡逻,一切正常"},
        )
        assert r.status_code == 302
    with time_machine.travel(at(OCT, 23, 50), tick=False):
        client = pt.client_for("admin")  # a new session: the evening's has idled out
        client.post(reverse("patrols:shift_end", args=[shift.pk]))
    shift.refresh_from_db()
    assert shift.status == ShiftStatus.KEPT
    matter = Matter.objects.get()
    assert (matter.channel, matter.place) == (Channel.NIGHT_PATROL, pt.xuqiao.grid)
    client = pt.client_for("admin")
    logs = client.get(reverse("patrols:log_list")).content.decode()
    assert "集镇夜间巡逻队" in logs
    assert client.get(reverse("patrols:log_list"), {"export": "xlsx"}).status_code == 200


def test_a_second_check_in_is_refused_with_a_message_not_an_error(pt):
    shift = _shift(pt)
    client = pt.client_for("admin")
    with time_machine.travel(at(OCT, 20), tick=False):
        client.post(reverse("patrols:shift_start", args=[shift.pk]))
        r = client.post(reverse("patrols:shift_start", args=[shift.pk]), follow=True)
    assert r.status_code == 200 and "该班次已开始巡逻" in r.content.decode()


def test_a_village_secretary_may_not_check_in_the_town_teams_shift(pt):
    shift = _shift(pt)
    with time_machine.travel(at(OCT, 20), tick=False):
        r = pt.client_for("xuqiao").post(reverse("patrols:shift_start", args=[shift.pk]))
    assert r.status_code in (403, 404)
    shift.refresh_from_db()
    assert shift.status == ShiftStatus.PLANNED


def test_the_grid_worker_reports_nothing_found_in_one_tap_and_cannot_report_twice(pt):
    client = pt.client_for("gridworker")
    url = reverse("patrols:campaign_today", args=[pt.campaign.pk])
    with time_machine.travel(at(OCT, 17, 30), tick=False):
        page = client.get(url).content.decode()
        assert "今日无情况" in page and "5组" in page and "1组" not in page
        r = client.post(url, {"grid": pt.xuqiao.grid.pk, "nothing_found": "1"})
        assert r.status_code == 302
        r = client.post(url, {"grid": pt.xuqiao.grid.pk, "findings": "发现焚烧"})
        assert r.status_code == 200 and "已上报过,不能重复上报" in r.content.decode()
    report = CampaignReport.objects.get()
    assert report.nothing_found and report.on_time
    with time_machine.travel(at(OCT, 19), tick=False):
        board = pt.client_for("admin").get(reverse("patrols:campaign_board", args=[pt.campaign.pk])).content.decode()
    assert "33.3%" in board  # 1 of 3 grids reported today (the zero-report counts)


def test_findings_on_the_daily_report_raise_a_matter(pt):
    client = pt.client_for("gridworker")
    url = reverse("patrols:campaign_today", args=[pt.campaign.pk])
    with time_machine.travel(at(OCT, 19), tick=False):
        r = client.post(
            url, {"grid": pt.xuqiao.grid.pk, "checked": "巡查 3 块田", "findings": "有人焚烧秸秆", "burning_now": "on"}
        )
    assert r.status_code == 302
    report = CampaignReport.objects.get()
    assert not report.on_time and not report.nothing_found
    matter = Matter.objects.get()
    assert matter.channel == Channel.CAMPAIGN and matter.attributes == {"burning_now": "yes"}


def test_someone_without_grids_in_the_campaign_gets_no_report_page(pt):
    r = pt.client_for("hemeifan").get(reverse("patrols:campaign_today", args=[pt.campaign.pk]))
    assert r.status_code == 404  # 何梅畈村 is not covered: the campaign is not theirs to see


def test_pages_render_for_the_town_and_a_village(pt):
    services.point_add(
        actor=pt.users["admin"],
        campaign=pt.campaign,
        grid=pt.xuqiao.grid,
        kind="straw_field",
        name="黄家湾北田",
        lat="30.40",
        lng="114.88",
    )
    shift = _shift(pt)
    for user in ("admin", "xuqiao"):
        client = pt.client_for(user)
        for name, args in [
            ("patrols:team_list", []),
            ("patrols:shift_list", []),
            ("patrols:log_list", []),
            ("patrols:measures", []),
            ("patrols:campaign_list", []),
            ("patrols:report_list", []),
            ("patrols:campaign_detail", [pt.campaign.pk]),
            ("patrols:campaign_board", [pt.campaign.pk]),
        ]:
            r = client.get(reverse(name, args=args))
            assert r.status_code == 200, (user, name)
            assert client.get(reverse(name, args=args), {"export": "xlsx"}).status_code == 200
    admin = pt.client_for("admin")
    for name, args in [
        ("patrols:team_detail", [pt.team.pk]),
        ("patrols:team_edit", [pt.team.pk]),
        ("patrols:rota_generate", [pt.team.pk]),
        ("patrols:member_add", [pt.team.pk]),
        ("patrols:shift_detail", [shift.pk]),
        ("patrols:team_create", []),
        ("patrols:campaign_create", []),
        ("patrols:duty_create", [pt.campaign.pk]),
        ("patrols:point_create", [pt.campaign.pk]),
    ]:
        assert admin.get(reverse(name, args=args)).status_code == 200, name
    detail = admin.get(reverse("patrols:campaign_detail", args=[pt.campaign.pk])).content.decode()
    assert "leaflet" in detail and "黄家湾北田" in detail


def test_a_team_and_a_campaign_are_set_up_and_a_month_planned_through_the_pages(pt):
    admin = pt.client_for("admin")
    r = admin.post(reverse("patrols:team_create"), {"area": pt.xuqiao.area.pk, "name": "徐桥村巡逻队"})
    assert r.status_code == 302
    team = pt.team.__class__.objects.get(name="徐桥村巡逻队")
    r = admin.post(
        reverse("patrols:rota_generate", args=[team.pk]),
        {"month": "2026-11", "start": "20:00", "hours": "4", "weekdays": ["5", "6"], "route": [pt.xuqiao.grid.pk]},
    )
    assert r.status_code == 302
    assert PatrolShift.objects.filter(team=team).count() == 9  # the Saturdays and Sundays of Nov 2026
    r = admin.post(
        reverse("patrols:campaign_create"),
        {
            "area": pt.town.pk,
            "kind": "flood",
            "name": "2026年汛期巡查",
            "starts_on": "2026-06-01",
            "ends_on": "2026-08-31",
            "deadline_hour": "18",
            "villages": [pt.xuqiao.area.pk, pt.hemeifan.area.pk],
        },
    )
    assert r.status_code == 302
    r = admin.post(reverse("patrols:campaign_create"), {"area": pt.town.pk, "kind": "flood", "name": "x"})
    assert r.status_code == 200 and "必填" in r.content.decode()


def test_the_menu_leads_to_night_patrols_and_campaigns(pt):
    page = pt.client_for("gridworker").get(reverse("patrols:campaign_list")).content.decode()
    assert "平安守护" in page and reverse("patrols:team_list") in page and reverse("patrols:campaign_list") in page


def test_members_are_added_by_kind_and_a_bad_number_is_a_message(pt):
    admin = pt.client_for("admin")
    url = reverse("patrols:member_add", args=[pt.team.pk])
    r = admin.post(url, {"kind": "party_member", "person": "99999999999999999999999"})
    assert r.status_code == 200 and "请选择您范围内的一名居民" in r.content.decode()
    r = admin.post(url, {"kind": "volunteer", "volunteer": "99999999999999999999999"})
    assert r.status_code == 200 and "编号不存在" in r.content.decode()
    r = admin.post(url, {"kind": "party_member", "person": pt.fashuihe.head.pk})  # picked as the resident
    assert r.status_code == 302
    assert pt.team.members.get(name="施华成").party_member == pt.fashuihe.member
    r = admin.post(url, {"kind": "party_member", "person": ""})
    assert r.status_code == 200 and "请选择一名党员" in r.content.decode()
    r = admin.post(url, {"kind": "militia", "name": "赵民兵"})
    assert r.status_code == 302
    page = admin.get(reverse("patrols:team_detail", args=[pt.team.pk])).content.decode()
    assert "赵民兵" in page and "民兵" in page and "志愿者" in page


def test_the_rota_is_a_months_list_by_team_or_area(pt):
    services.rota_generate(actor=pt.users["admin"], team=pt.team, month=OCT, route=[pt.xuqiao.grid])
    other = services.team_set_up(actor=pt.users["admin"], area=pt.fashuihe.area, name="发水河村巡逻队")
    services.rota_generate(actor=pt.users["admin"], team=other, month=OCT, route=[pt.fashuihe.grid], weekdays=[0])
    admin = pt.client_for("admin")
    page = admin.get(reverse("patrols:shift_list"), {"month": "2026-10", "team": pt.team.pk}).content.decode()
    assert "集镇夜间巡逻队" in page and "发水河村巡逻队" not in page
    page = admin.get(reverse("patrols:shift_list"), {"month": "2026-10", "area": pt.fashuihe.area.pk}).content.decode()
    assert "发水河村巡逻队" in page and "集镇夜间巡逻队" not in page
    r = admin.get(reverse("patrols:shift_list"), {"team": "99999999999999999999999"})
    assert r.status_code == 200


def test_a_month_out_of_range_is_ignored_not_an_error(pt):
    admin = pt.client_for("admin")
    for name in ("patrols:shift_list", "patrols:measures"):
        assert admin.get(reverse(name), {"month": "9999-12"}).status_code == 200
