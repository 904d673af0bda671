"""Every list of the returnee programme reads a fixed number of queries whatever its rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hongniudai.returnees import services
from tests import factories as f


def _grow(town, n: int, start: int = 1) -> None:
    admin = town.users["admin"]
    for i in range(start, start + n):
        hh = f.household(town.hemeifan.hamlet, is_formerly_poor=bool(i % 2))
        res = f.resident(hh, f"返乡人{i}")
        r = services.register_returnee(actor=admin, resident=res, returned_on=dt.date(2020, 1, 1), came_from="上海")
        b = services.register_business(
            actor=admin, founder=r, name=f"项目{i}", kind="other", started_on=dt.date(2020, 2, 1)
        )
        job = services.employ_resident(actor=admin, business=b, resident=res, started_on=dt.date(2020, 3, 1))
        services.record_support(actor=admin, business=b, kind="site", given_on=dt.date(2020, 3, 1), given_by="镇政府")
        services.record_wages(actor=admin, employment=job, year=2024, amount="1000.00")


@pytest.mark.parametrize(
    "name",
    [
        "returnees:returnee_list",
        "returnees:business_list",
        "returnees:measures",
        "api:returnee-list",
        "api:returnee-business-list",
        "api:returnee-employment-list",
        "api:returnee-wage-list",
        "api:returnee-support-list",
    ],
)
def test_list_queries_do_not_grow_with_rows(town, programme, name):
    client = town.client_for("admin")
    url = reverse(name)
    _grow(town, 1, start=0)
    services.record_wages(actor=town.users["admin"], employment=programme.worker_job, year=2024, amount="100.00")
    client.get(url)  # warm the caches (sessions, menus)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    _grow(town, 4)
    assert count() == before
