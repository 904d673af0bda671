"""The patrol and campaign API: a check-in and an incident raised as a matter in one call; the
zero-report and a refused second report; the board; refusals — a user who records the watch
nowhere gets 403 before any lookup, an out-of-scope record is a 404, bad input a 400 in Chinese."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from hongniudai.accounts.models import Role
from hongniudai.governance.interface import Channel, Matter
from hongniudai.watch.patrols import services
from hongniudai.watch.patrols.models import CampaignReport, PatrolShift, PatrolTeam
from tests import factories as f
from tests.watch.patrols.conftest import at

OCT = dt.date(2026, 10, 1)


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_patrol_through_the_api_rota_check_in_incident_check_out(pt):
    admin = _api(pt.users["admin"])
    r = admin.post(
        reverse("api:patrol-team-rota", args=[pt.team.pk]),
        {"month": "2026-10-01", "route": [pt.xuqiao.grid.pk, pt.fashuihe.grid.pk]},
        format="json",
    )
    assert r.status_code == 201 and r.json() == {"created": 31}
    shift = PatrolShift.objects.get(team=pt.team, date=OCT)
    with time_machine.travel(at(OCT, 20, 5), tick=False):
        r = admin.post(
            reverse("api:patrol-shift-start", args=[shift.pk]), {"lat": "30.4", "lng": "114.9"}, format="json"
        )
        assert r.status_code == 200 and r.json()["started_at"]
        r = admin.post(
            reverse("api:patrol-shift-incident", args=[shift.pk]),
            {"place": pt.fashuihe.hamlet.pk, "description": "施家湾有陌生车辆徘徊"},
            format="json",
        )
        assert r.status_code == 201
        matter = Matter.objects.get(pk=r.json()["matter_id"])
        assert (matter.channel, matter.place) == (Channel.NIGHT_PATROL, pt.fashuihe.hamlet)
        r = admin.post(
            reverse("api:patrol-shift-log", args=[shift.pk]),
            {"present": [pt.m_party.pk], "weather": "fog"},
            format="json",
        )
        assert r.status_code == 200 and r.json()["present_count"] == 1
        r = admin.post(reverse("api:patrol-shift-end", args=[shift.pk]), {}, format="json")
        assert r.status_code == 200 and r.json()["incident_count"] == 1
        r = admin.post(reverse("api:patrol-shift-end", args=[shift.pk]), {}, format="json")
        assert r.status_code == 400 and "已结束巡逻" in r.content.decode()
    assert admin.get(reverse("api:patrol-shift-detail", args=[shift.pk])).json()["status"] == "kept"


def test_an_incident_outside_the_teams_area_is_a_400(pt):
    team = services.team_set_up(actor=pt.users["admin"], area=pt.xuqiao.area, name="徐桥村巡逻队")
    services.rota_generate(actor=pt.users["admin"], team=team, month=OCT, route=[pt.xuqiao.grid])
    shift = PatrolShift.objects.get(team=team, date=OCT)
    admin = _api(pt.users["admin"])
    with time_machine.travel(at(OCT, 20), tick=False):
        admin.post(reverse("api:patrol-shift-start", args=[shift.pk]), {}, format="json")
        r = admin.post(
            reverse("api:patrol-shift-incident", args=[shift.pk]),
            {"place": pt.fashuihe.grid.pk, "description": "x"},
            format="json",
        )
    assert r.status_code == 400 and "巡逻区域" in r.content.decode()
    assert not Matter.objects.exists()


def test_the_zero_report_the_refused_second_report_and_the_board(pt):
    worker = _api(pt.users["gridworker"])
    url = reverse("api:campaign-report-list")
    with time_machine.travel(at(OCT, 17), tick=False):
        r = worker.post(
            url, {"campaign": pt.campaign.pk, "grid": pt.xuqiao.grid.pk, "nothing_found": True}, format="json"
        )
        assert r.status_code == 201, r.content
        assert r.json()["on_time"] is True and r.json()["date"] == "2026-10-01"
        r = worker.post(
            url, {"campaign": pt.campaign.pk, "grid": pt.xuqiao.grid.pk, "findings": "又一处"}, format="json"
        )
        assert r.status_code == 400 and "不能重复上报" in r.content.decode()
        r = worker.post(url, {"campaign": pt.campaign.pk, "grid": pt.grid2.pk, "nothing_found": True}, format="json")
        assert r.status_code in (400, 403)  # 6组 is not his grid
        board = _api(pt.users["admin"]).get(reverse("api:campaign-board", args=[pt.campaign.pk])).json()
    assert board["today"] == {
        "expected": 3,
        "reported": 1,
        "on_time": 1,
        "missing": 2,
        "nothing_found": 1,
        "reporting_rate": "33.3",
        "on_time_rate": "33.3",
    }
    assert [v["village_name"] for v in board["villages"]] == ["徐桥村", "发水河村"]
    assert CampaignReport.objects.count() == 1


def test_findings_through_the_api_raise_a_matter(pt):
    worker = _api(pt.users["gridworker"])
    with time_machine.travel(at(OCT, 9), tick=False):
        r = worker.post(
            reverse("api:campaign-report-list"),
            {
                "campaign": pt.campaign.pk,
                "grid": pt.xuqiao.grid.pk,
                "findings": "发现焚烧",
                "attributes": {"burning_now": "yes"},
            },
            format="json",
        )
    assert r.status_code == 201, r.content
    assert Matter.objects.get(pk=r.json()["matter_ids"][0]).channel == Channel.CAMPAIGN


def test_someone_who_records_the_watch_nowhere_is_refused_before_any_lookup(pt):
    centre = _api(pt.users["zhangshengfu"])  # a centre household: sees, does not record the watch
    assert (
        centre.post(reverse("api:patrol-team-list"), {"area": pt.town.pk, "name": "x"}, format="json").status_code
        == 403
    )
    assert centre.post(reverse("api:patrol-shift-start", args=[999999]), {}, format="json").status_code == 403
    assert centre.post(reverse("api:campaign-report-list"), {}, format="json").status_code == 403
    assert not PatrolTeam.objects.filter(name="x").exists()


def test_out_of_scope_records_are_404_and_lists_show_only_ones_own(pt):
    services.rota_generate(actor=pt.users["admin"], team=pt.team, month=OCT, route=[pt.xuqiao.grid])
    hemeifan = _api(pt.users["hemeifan"])
    shift = PatrolShift.objects.filter(team=pt.team).first()
    assert hemeifan.get(reverse("api:patrol-team-detail", args=[pt.team.pk])).status_code == 404
    assert hemeifan.post(reverse("api:patrol-shift-start", args=[shift.pk]), {}, format="json").status_code == 404
    assert hemeifan.get(reverse("api:campaign-board", args=[pt.campaign.pk])).status_code == 404
    assert hemeifan.get(reverse("api:campaign-list")).json()["results"] == []
    # the village secretary of 徐桥村 sees the town's campaign over his village
    xuqiao = _api(pt.users["xuqiao"])
    assert [c["name"] for c in xuqiao.get(reverse("api:campaign-list")).json()["results"]] == ["2026年秋季秸秆禁烧"]


def test_bad_input_is_a_400_in_chinese(pt):
    admin = _api(pt.users["admin"])
    r = admin.post(
        reverse("api:campaign-list"),
        {
            "area": pt.town.pk,
            "kind": "flood",
            "name": "汛期",
            "starts_on": "2026-07-02",
            "ends_on": "2026-07-01",
            "areas": [pt.xuqiao.area.pk],
        },
        format="json",
    )
    assert r.status_code == 400 and "结束日期不能早于开始日期" in r.content.decode()
    r = admin.post(
        reverse("api:campaign-point-list"),
        {
            "campaign": pt.campaign.pk,
            "grid": pt.hemeifan.grid.pk,
            "kind": "danger_spot",
            "name": "堤",
            "lat": "30",
            "lng": "114",
        },
        format="json",
    )
    assert r.status_code == 400 and "覆盖范围" in r.content.decode()
    r = admin.post(reverse("api:patrol-member-list"), {"team": pt.team.pk, "kind": "militia"}, format="json")
    assert r.status_code == 400 and "民兵姓名" in r.content.decode()


def test_a_grid_worker_elsewhere_cannot_put_himself_in_another_villages_team(pt):
    other = f.user("worker2", Role.GRID_WORKER, area=pt.hemeifan.grid)
    r = _api(other).post(
        reverse("api:patrol-member-list"), {"team": pt.team.pk, "kind": "militia", "name": "张三"}, format="json"
    )
    assert r.status_code == 400  # the town's team is not among his choices
