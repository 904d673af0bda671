"""The campaign board over more than one village (issue 14): a row per village with its grids'
figures summed, leading to the board of its grids; a village's users see their grids as before.
The figures are those of the board by grid; the days' table is unchanged."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hongniudai.places.models import AreaKind
from hongniudai.watch.patrols import selectors, services
from tests import factories as f

from .conftest import at

pytestmark = pytest.mark.django_db
OCT = dt.date(2026, 10, 5)


def _reports(pt) -> None:
    with time_machine.travel(at(OCT, 19), tick=False):
        pt.client_for("gridworker").post(
            reverse("patrols:campaign_today", args=[pt.campaign.pk]), {"grid": pt.xuqiao.grid.pk, "nothing_found": "1"}
        )
    with time_machine.travel(at(OCT - dt.timedelta(days=1), 9), tick=False):
        services.report_make(actor=pt.users["admin"], campaign=pt.campaign, grid=pt.fashuihe.grid, nothing_found=True)


def _rate(value) -> str:
    return "—" if not value else str(value)


def test_the_town_s_board_shows_a_row_per_village_with_its_grids_summed(pt):
    _reports(pt)
    url = reverse("patrols:campaign_board", args=[pt.campaign.pk])
    with time_machine.travel(at(OCT, 20), tick=False):
        body = pt.client_for("admin").get(url).content.decode()
        by_grid = selectors.board(pt.users["admin"], pt.campaign)
    rows = body.split("<tbody>")[1].split("</tbody>")[0]
    assert 'class="ps-3"' not in rows  # no grid's row
    for v in by_grid.villages:
        link = f'<a href="{url}?village={v.village.pk}">{v.village.name}</a>'
        cells = (
            f"<td>{v.today.reported}/{v.today.expected}</td>"
            f'<td class="text-end">{v.so_far.reported}/{v.so_far.expected}</td>'
            f'<td class="text-end">{_rate(v.so_far.reporting_rate)}%</td>'
            f'<td class="text-end">{_rate(v.so_far.on_time_rate)}%</td>'
        )
        assert f'<tr class="table-light fw-bold"><td>{link}</td>{cells}</tr>' in rows
    assert "<td>1/2</td>" in rows and "<td>0/1</td>" in rows
    assert '<div class="fs-4">3</div>' in body and '<div class="fs-4">1</div>' in body  # today: expected, reported


def test_the_days_table_is_the_board_s_history(pt):
    _reports(pt)
    url = reverse("patrols:campaign_board", args=[pt.campaign.pk])
    with time_machine.travel(at(OCT, 20), tick=False):
        body = pt.client_for("admin").get(url).content.decode()
    day = OCT - dt.timedelta(days=1)
    assert (
        f'<tr><td>{day:%m-%d}</td><td class="text-end">3</td><td class="text-end">1</td>'
        '<td class="text-end">1</td><td class="text-end">2</td><td class="text-end">33.3%</td>'
        '<td class="text-end">33.3%</td></tr>'
    ) in body
    assert f'<tr><td>{dt.date(2026, 10, 1):%m-%d}</td><td class="text-end">3</td><td class="text-end">0</td>' in body
    assert '<td class="text-end">—%</td><td class="text-end">—%</td></tr>' in body


def test_a_village_s_users_see_their_grids_and_no_other_village(pt):
    _reports(pt)
    url = reverse("patrols:campaign_board", args=[pt.campaign.pk])
    client = pt.client_for("xuqiao")
    with time_machine.travel(at(OCT, 20), tick=False):
        body = client.get(url).content.decode()
        other = client.get(url, {"village": pt.fashuihe.area.pk}).content.decode()
    assert (
        f'<tr><td class="ps-3">{pt.xuqiao.grid.name}</td>' in body and f'<td class="ps-3">{pt.grid2.name}</td>' in body
    )
    assert "全部村" not in body
    assert pt.fashuihe.grid.name not in other.split("<tbody>")[1].split("</tbody>")[0]
    assert "没有您范围内的网格。" in other


def test_the_board_by_village_and_a_village_s_board_read_a_fixed_number_of_queries(pt):
    url = reverse("patrols:campaign_board", args=[pt.campaign.pk])

    def count(params) -> int:
        with time_machine.travel(at(OCT, 20), tick=False):
            client = pt.client_for("admin")
            client.get(url, params)
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url, params).status_code == 200
        return len(ctx.captured_queries)

    village = {"village": pt.fashuihe.area.pk}
    before, before_village = count({}), count(village)
    grids = [f.area(pt.fashuihe.area, f"{n}组", AreaKind.GRID) for n in (7, 8, 9)]
    more = [f.area(pt.district, f"新村{i}", AreaKind.VILLAGE) for i in range(3)]
    for v in more:
        f.area(v, "1组", AreaKind.GRID)
    services.campaign_update(
        actor=pt.users["admin"],
        campaign=pt.campaign,
        areas=[pt.xuqiao.area, pt.fashuihe.area, *grids, *more],
        kind="straw_burning",
        name=pt.campaign.name,
        starts_on=pt.campaign.starts_on,
        ends_on=pt.campaign.ends_on,
        deadline_hour=18,
    )
    for g in grids:
        with time_machine.travel(at(OCT, 9), tick=False):
            services.report_make(actor=pt.users["admin"], campaign=pt.campaign, grid=g, nothing_found=True)
    assert count({}) == before
    assert count(village) == before_village
