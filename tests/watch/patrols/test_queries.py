"""Every list of night patrols and campaigns reads a fixed number of queries whatever its rows."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hongniudai.places.models import AreaKind
from hongniudai.watch.patrols import services
from hongniudai.watch.patrols.models import PatrolShift
from tests import factories as f
from tests.watch.patrols.conftest import at

OCT = dt.date(2026, 10, 1)


def _grow(pt, n: int, start: int) -> None:
    admin = pt.users["admin"]
    for i in range(start, start + n):
        grid = f.area(pt.xuqiao.area, f"{10 + i}组", AreaKind.GRID)
        team = services.team_set_up(actor=admin, area=pt.town, name=f"巡逻队{i}")
        services.member_add(actor=admin, team=team, kind="militia", name=f"民兵{i}")
        services.rota_generate(actor=admin, team=team, month=OCT, route=[grid, pt.xuqiao.grid], weekdays=[i % 7])
        shift = PatrolShift.objects.filter(team=team).first()
        services.shift_start(actor=admin, shift=shift, now=shift.starts_at)
        services.incident_raise(actor=admin, shift=shift, place=grid, description=f"发现{i}")
        campaign = services.campaign_set_up(
            actor=admin,
            area=pt.town,
            areas=[grid],
            kind="epidemic",
            name=f"专项{i}",
            starts_on=OCT,
            ends_on=OCT + dt.timedelta(days=3),
        )
        services.point_add(
            actor=admin, campaign=campaign, grid=grid, kind="checkpoint", name=f"卡口{i}", lat=30, lng=114
        )
        with time_machine.travel(at(OCT, 9), tick=False):
            services.report_make(actor=admin, campaign=campaign, grid=grid, nothing_found=True)


@pytest.mark.parametrize(
    "name",
    [
        "patrols:team_list",
        "patrols:shift_list",
        "patrols:log_list",
        "patrols:measures",
        "patrols:campaign_list",
        "patrols:report_list",
        "api:patrol-team-list",
        "api:patrol-shift-list",
        "api:patrol-log-list",
        "api:campaign-list",
        "api:campaign-report-list",
        "api:campaign-point-list",
    ],
)
def test_list_queries_do_not_grow_with_rows(pt, name):
    client = pt.client_for("admin")
    url = reverse(name)
    params = {"month": "2026-10"} if name in ("patrols:shift_list", "patrols:measures") else {}
    _grow(pt, 1, start=0)
    client.get(url, params)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, params).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    _grow(pt, 3, start=1)
    assert count() == before


def test_the_board_reads_a_fixed_number_of_queries_whatever_the_grids_and_days(pt):
    url = reverse("patrols:campaign_board", args=[pt.campaign.pk])

    def count(day) -> int:
        with time_machine.travel(at(day, 20), tick=False):
            client = pt.client_for("admin")
            client.get(url)
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count(OCT)
    admin = pt.users["admin"]
    grids = [f.area(pt.fashuihe.area, f"{n}组", AreaKind.GRID) for n in (7, 8, 9)]
    services.campaign_update(
        actor=admin,
        campaign=pt.campaign,
        areas=[pt.xuqiao.area, pt.fashuihe.area, *grids],
        kind="straw_burning",
        name=pt.campaign.name,
        starts_on=pt.campaign.starts_on,
        ends_on=pt.campaign.ends_on,
        deadline_hour=18,
    )
    for g in grids:
        with time_machine.travel(at(OCT + dt.timedelta(days=2), 9), tick=False):
            services.report_make(actor=admin, campaign=pt.campaign, grid=g, nothing_found=True)
    assert count(OCT + dt.timedelta(days=4)) == before


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan")
def test_the_board_counts_its_reports_from_one_covering_index(pt):
    """The board's two counts (per grid, per day) read each report of the window from the index
    (campaign, date, …) alone, never the table: a county campaign has 5,000 reports."""
    url = reverse("patrols:campaign_board", args=[pt.campaign.pk])
    with time_machine.travel(at(OCT + dt.timedelta(days=2), 9), tick=False):
        services.report_make(actor=pt.users["admin"], campaign=pt.campaign, grid=pt.grid2, nothing_found=True)
    with time_machine.travel(at(OCT + dt.timedelta(days=4), 20), tick=False):
        client = pt.client_for("admin")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
    counts = [
        q["sql"] for q in ctx.captured_queries if 'FROM "watch_campaignreport"' in q["sql"] and "COUNT(" in q["sql"]
    ]
    assert len(counts) == 2
    with connection.cursor() as cursor:
        for sql in counts:
            plan = " ".join(str(row[-1]) for row in cursor.execute("EXPLAIN QUERY PLAN " + sql).fetchall())
            assert "COVERING INDEX watch_report_campaign_date" in plan, plan
