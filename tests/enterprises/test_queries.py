"""The enterprise lists run the same number of queries for few rows as for many."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .conftest import employ, make_enterprise

pytestmark = pytest.mark.django_db

PAGES = ["enterprises:enterprise_list", "enterprises:instructor_list", "enterprises:visit_list"]


def _queries(client, url: str) -> int:
    client.get(url)  # warm caches that are not per row (session save, content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_enterprise_lists_cost_the_same_for_few_and_many_rows(town, admin_client):
    area = town.fashuihe.area
    make_enterprise("发水河化工一厂", area)
    few = {name: _queries(admin_client, reverse(name)) for name in PAGES}
    for i in range(15):
        e = make_enterprise(f"发水河化工{i + 2}厂", area)
        if i % 3 == 0:
            employ(e, town.fashuihe.branch, 2, prefix=f"职工{i}")
    many = {name: _queries(admin_client, reverse(name)) for name in PAGES}
    html = admin_client.get(reverse("enterprises:enterprise_list")).content.decode()
    assert html.count("发水河化工") >= 16
    assert many == few


def test_the_coverage_page_costs_the_same_for_few_and_many_towns_and_villages(town, client):
    """A county's coverage page (the superuser's: every town) reads the same queries whatever the
    number of towns, villages and enterprises: a row per town, summed in one pass."""
    from tests import factories as f

    client.force_login(f.superuser())
    url = reverse("enterprises:coverage")
    make_enterprise("发水河化工一厂", town.fashuihe.area)

    def add_town(i: int) -> None:
        district = f.area(f.area(None, f"新{i}镇", "town"), f"新{i}片区", "district")
        for j in range(3):
            make_enterprise(f"新{i}村{j}厂", f.area(district, f"新{i}村{j}", "village"))

    add_town(0)
    few = _queries(client, url)
    for i in range(1, 6):
        add_town(i)
    many = _queries(client, url)
    html = client.get(url).content.decode()
    assert "新5镇" in html and "新5村0" not in html.split("按行业")[0]
    assert many == few
