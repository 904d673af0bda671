"""The reports list counts each report's matters with a subquery per row shown (not a GROUP BY over
every report in scope): the counts stay right, and the page's count does not carry them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hongniudai.watch.patrols import selectors, services
from tests.watch.patrols.conftest import at

OCT = dt.date(2026, 10, 1)
pytestmark = pytest.mark.django_db


def test_each_report_counts_its_own_matters(pt: Any) -> None:
    admin = pt.users["admin"]
    with time_machine.travel(at(OCT, 9), tick=False):
        found = services.report_make(
            actor=admin,
            campaign=pt.campaign,
            grid=pt.xuqiao.grid,
            findings="田边有人焚烧秸秆",
            attributes={"burning_now": "yes"},
        )
        zero = services.report_make(actor=admin, campaign=pt.campaign, grid=pt.fashuihe.grid, nothing_found=True)
    counts = dict(selectors.reports(admin).values_list("pk", "matter_count"))
    assert counts == {found.pk: 1, zero.pk: 0}
    with CaptureQueriesContext(connection) as queries:
        assert selectors.reports(admin).count() == 2
    sql = queries.captured_queries[-1]["sql"].upper()
    assert "GROUP BY" not in sql and "WATCH_CAMPAIGNFINDING" not in sql
