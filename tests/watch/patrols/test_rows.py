"""The patrols' list pages show each row's cells (rendered from values by the rows' Jinja templates):
a team linking to its page with its area and active members, a night's log with its hours, weather,
members present and incidents, a campaign's kind, window and grids, a daily report's time and what
was found."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import time as time_filter
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import timezone

from hongniudai.watch.patrols import services
from hongniudai.watch.patrols.models import PatrolShift

from .conftest import at

pytestmark = pytest.mark.django_db
OCT = dt.date(2026, 10, 5)


def test_the_teams_list_shows_each_ones_cells(pt):
    body = pt.client_for("admin").get(reverse("patrols:team_list")).content.decode()
    url = reverse("patrols:team_detail", args=[pt.team.pk])
    assert f'<a href="{url}">集镇夜间巡逻队</a>' in body
    assert f'<td>{pt.town.name} <span class="badge text-bg-warning">集镇</span></td>' in body
    assert '<td class="text-end">3</td>' in body and "<td>在用</td>" in body


def test_the_logs_list_shows_each_nights_cells(pt):
    services.rota_generate(actor=pt.users["admin"], team=pt.team, month=OCT, route=[pt.xuqiao.grid])
    shift = PatrolShift.objects.get(team=pt.team, date=OCT)
    client = pt.client_for("admin")
    with time_machine.travel(at(OCT, 20, 1), tick=False):
        client.post(reverse("patrols:shift_start", args=[shift.pk]), {"lat": "30.4", "lng": "114.9"})
        place = {"place": pt.xuqiao.grid.pk, "description": "村口有人聚众赌博"}
        client.post(reverse("patrols:shift_incident", args=[shift.pk]), place)
        log = {"present": [pt.m_party.pk, pt.m_militia.pk], "weather": "rain", "route_notes": "雨夜"}
        client.post(reverse("patrols:shift_log", args=[shift.pk]), log)
    body = pt.client_for("admin").get(reverse("patrols:log_list")).content.decode()
    url = reverse("patrols:shift_detail", args=[shift.pk])
    assert f'<a href="{url}">2026-10-05</a>' in body and "<td>集镇夜间巡逻队</td>" in body
    assert "<td>20:01–—</td>" in body and "<td>雨</td>" in body
    assert '<td class="text-end">2</td>' in body and '<span class="badge text-bg-danger">1</span>' in body


def test_the_campaigns_list_shows_each_ones_cells(pt):
    body = pt.client_for("admin").get(reverse("patrols:campaign_list")).content.decode()
    url = reverse("patrols:campaign_detail", args=[pt.campaign.pk])
    assert f'<a href="{url}">2026年秋季秸秆禁烧</a>' in body and f"<td>{pt.campaign.get_kind_display()}</td>" in body
    assert '<td class="small">2026-10-01—10-10</td>' in body and '<td class="text-end">3</td>' in body
    assert f'href="{reverse("patrols:campaign_board", args=[pt.campaign.pk])}">看板</a>' in body


def test_the_reports_list_shows_each_ones_time_and_findings(pt):
    client = pt.client_for("gridworker")
    url = reverse("patrols:campaign_today", args=[pt.campaign.pk])
    with time_machine.travel(at(OCT, 19), tick=False):
        found = {"grid": pt.xuqiao.grid.pk, "checked": "巡查 3 块田", "findings": "有人焚烧秸秆" * 8}
        client.post(url, {**found, "burning_now": "on"})
    body = pt.client_for("admin").get(reverse("patrols:report_list")).content.decode()
    board = reverse("patrols:campaign_board", args=[pt.campaign.pk])
    assert "<td>2026-10-05</td>" in body and f'<a href="{board}">2026年秋季秸秆禁烧</a>' in body
    assert f"<td>{pt.xuqiao.grid.name}</td>" in body
    assert '<td>10-05 19:00 <span class="badge text-bg-secondary">迟报</span></td>' in body
    cut = truncatechars("有人焚烧秸秆" * 8, 40)  # as the template filter cut it
    assert f'<td class="small">{cut} <span class="badge text-bg-danger">事项 1</span></td>' in body


def test_the_rota_shows_each_nights_weekday_hours_route_and_status(pt):
    route = [pt.xuqiao.grid, pt.grid2]
    services.rota_generate(actor=pt.users["admin"], team=pt.team, month=OCT, route=route)
    shift = PatrolShift.objects.filter(team=pt.team).order_by("date").first()
    body = pt.client_for("admin").get(reverse("patrols:shift_list"), {"month": "2026-10"}).content.decode()
    url = reverse("patrols:shift_detail", args=[shift.pk])
    assert f'<a href="{url}">{date_filter(shift.date, "m-d D")}</a>' in body and "<td>集镇夜间巡逻队</td>" in body
    hours = f"{time_filter(timezone.localtime(shift.starts_at), 'H:i')}–{time_filter(timezone.localtime(shift.ends_at), 'H:i')}"
    assert f"<td>{hours}</td>" in body
    names = "、".join(g.name for g in sorted(route, key=lambda g: g.path))
    assert f'<td class="small">{names}</td>' in body
    assert f'<span class="badge text-bg-secondary">{shift.get_status_display()}</span>' in body


def test_the_board_shows_each_village_and_grid_with_todays_report_and_rates(pt):
    """A village's board (the town's board drilled down to 徐桥村) shows its grids."""
    board = reverse("patrols:campaign_board", args=[pt.campaign.pk])
    with time_machine.travel(at(OCT, 19), tick=False):
        client = pt.client_for("gridworker")
        client.post(
            reverse("patrols:campaign_today", args=[pt.campaign.pk]), {"grid": pt.xuqiao.grid.pk, "nothing_found": "1"}
        )
        body = pt.client_for("admin").get(board, {"village": pt.xuqiao.area.pk}).content.decode()
    village = f'<tr class="table-light fw-bold"><td>{pt.xuqiao.area.name}</td><td>1/2</td>'
    assert (
        village + '<td class="text-end">1/10</td><td class="text-end">10.0%</td><td class="text-end">—%</td></tr>'
        in body
    )
    assert f'<tr><td class="ps-3">{pt.xuqiao.grid.name}</td>' in body
    assert (
        '<span class="badge text-bg-success">无情况</span> 19:00 <span class="badge text-bg-secondary">迟报</span>'
        in body
    )
    assert '<span class="badge text-bg-danger">未报</span>' in body  # 6组 has not reported
    assert f'<a href="{board}"><i class="bi bi-arrow-left"></i> 全部村</a>' in body
    assert pt.fashuihe.area.name not in body.split("<tbody>")[1]  # the other village's grid is not listed
