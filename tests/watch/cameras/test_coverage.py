"""The coverage's totals are grouped counts of the cameras, the same numbers as summing every
grid's counts, in a fixed number of queries whatever the grids."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hongniudai.places.models import AreaKind
from hongniudai.watch.cameras import selectors
from tests import factories as f

pytestmark = pytest.mark.django_db


def old_totals(user: Any, area: Any = None) -> selectors.CoverageTotals:
    """The totals as they were computed before: every grid's counts, summed."""
    rows = list(selectors.coverage(user, area=area).values_list("camera_count", "working_count"))
    return selectors.CoverageTotals(
        grids=len(rows),
        cameras=sum(c for c, _w in rows),
        working=sum(w for _c, w in rows),
        grids_without=sum(1 for c, _w in rows if c == 0),
    )


def _net(town: Any, start: int, n: int) -> None:
    """`n` more grids in 徐桥村, every third without cameras, the others with working, faulty,
    offline and removed ones."""
    for i in range(start, start + n):
        grid = f.area(town.xuqiao.area, f"{i}组", AreaKind.GRID)
        if i % 3 == 0:
            continue
        for j, status in enumerate(("working", "faulty", "offline", "removed", "working")[: 1 + i % 5]):
            f.camera(grid, f"C-{i}-{j}", status=status)


def test_the_totals_are_the_grids_counts_summed(town: Any) -> None:
    f.camera(town.fashuihe.grid, "F-1", status="removed")
    f.camera(town.hemeifan.grid, "H-1", status="faulty")
    _net(town, 10, 12)
    for user in ("admin", "xuqiao", "fashuihe", "gridworker", "zhangshengfu"):
        for area in (None, town.town, town.xuqiao.area, town.xuqiao.grid, town.fashuihe.area):
            got = selectors.coverage_totals(town.users[user], area=area)
            assert got == old_totals(town.users[user], area=area), (user, area)
    assert selectors.coverage_totals(town.users["admin"]).grids_without > 0


def test_the_coverage_page_reads_a_fixed_number_of_queries(town: Any) -> None:
    client = town.client_for("admin")
    _net(town, 10, 2)
    for query in ({}, {"without": "1"}):
        client.get(reverse("cameras:coverage"), query)

        def count(query: dict[str, str] = query) -> int:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse("cameras:coverage"), query).status_code == 200
            return len(ctx.captured_queries)

        before = count()
        _net(town, 20 + len(query) * 10, 6)
        assert count() == before


def test_the_totals_do_not_count_each_grid(town: Any) -> None:
    _net(town, 10, 6)
    admin = town.users["admin"]
    selectors.coverage_totals(admin)
    with CaptureQueriesContext(connection) as ctx:
        selectors.coverage_totals(admin)
    assert len(ctx.captured_queries) == 2
    assert all("COALESCE((SELECT" not in q["sql"] for q in ctx.captured_queries), "no correlated count per grid"
