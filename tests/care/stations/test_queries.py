"""Every list of the stations reads a fixed number of queries whatever its rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hongniudai.care.stations import orgs, services
from tests import factories as f


def _grow(town, stations, n: int, start: int = 1) -> None:
    admin = town.users["admin"]
    kind = "trade_union" if start == 0 else "youth_league"
    org = orgs.org_create(actor=admin, kind=kind, area=town.xuqiao.area, name=f"组织{start}")
    for i in range(start, start + n):
        res = f.resident(f.household(town.xuqiao.hamlet), f"居民{i}", phone="13800001111")
        r = services.request_receive(
            actor=admin, station=stations.xuqiao, item=stations.certificate, channel="walk_in", resident=res
        )
        services.request_complete(actor=admin, request=r, outcome="done")
        services.request_rate(actor=admin, request=r, satisfaction="satisfied")
        services.staff_add(actor=admin, station=stations.xuqiao, name=f"工作人员{i}")
        a = orgs.activity_record(
            actor=admin, org=org, title=f"活动{i}", held_on=dt.date(2026, 3, 1), participants=[res], participant_count=3
        )
        assert a.pk


@pytest.mark.parametrize(
    "name",
    [
        "stations:station_list",
        "stations:catalogue",
        "stations:request_list",
        "stations:measures",
        "stations:org_list",
        "stations:activity_list",
        "api:service-station-list",
        "api:service-item-list",
        "api:service-request-list",
        "api:mass-org-list",
        "api:mass-activity-list",
        "api:service-measures-list",
    ],
)
def test_list_queries_do_not_grow_with_rows(town, stations, name):
    client = town.client_for("admin")
    url = reverse(name)
    _grow(town, stations, 1, start=0)
    client.get(url)  # warm the caches (sessions, menus)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    _grow(town, stations, 4, start=10)
    assert count() == before
