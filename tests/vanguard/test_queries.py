"""The vanguard lists run the same number of queries for few posts and activities as for many."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hongniudai.vanguard import services
from hongniudai.vanguard.models import ActivityKind

pytestmark = pytest.mark.django_db

PAGES = ["vanguard:post_list", "vanguard:activity_list"]


def _queries(client, url: str) -> int:
    client.get(url)  # warm caches that are not per row (session save, content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _add(vt, i: int) -> None:
    t = vt.town
    xq = t.users["xuqiao"]
    member = t.xuqiao.member if i % 2 else vt.xu_ming
    services.create_post(actor=xq, member=member, title=f"先锋岗{i}", place_name="车间", since=dt.date(2024, 3, 1))
    services.create_activity(
        actor=xq,
        kind=ActivityKind.VOLUNTEER_SERVICE,
        title=f"志愿服务{i}",
        held_on=dt.date(2025, 1, 1) + dt.timedelta(days=i),
        org=t.xuqiao.branch,
        enterprise=vt.xq_enterprise if i % 2 else None,
        participants=[t.xuqiao.member, vt.xu_ming],
    )


def test_vanguard_lists_cost_the_same_for_few_and_many_rows(vt, admin_client):
    _add(vt, 0)
    few = {name: _queries(admin_client, reverse(name)) for name in PAGES}
    for i in range(1, 16):
        _add(vt, i)
    many = {name: _queries(admin_client, reverse(name)) for name in PAGES}
    assert admin_client.get(reverse("vanguard:activity_list")).content.decode().count("志愿服务") >= 16
    assert admin_client.get(reverse("vanguard:post_list")).content.decode().count("先锋岗") >= 16
    assert many == few
