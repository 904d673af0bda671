"""The development lists run the same number of queries for few cases as for many."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f

from .conftest import open_case, walk_to

pytestmark = pytest.mark.django_db

PAGES = ["development:case_list", "development:due_list", "development:rule_list"]


def _queries(client, url: str) -> int:
    client.get(url)  # warm caches that are not per row (session save, content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_development_lists_cost_the_same_for_few_and_many_cases(town, admin_client, applicant):
    walk_to(town, open_case(town, applicant), "candidate")
    few = {name: _queries(admin_client, reverse(name)) for name in PAGES}
    for i in range(12):
        res = f.resident(town.xuqiao.household, f"黄申请{i}", birth=dt.date(1998, 1, 1) + dt.timedelta(days=i))
        case = open_case(town, res)
        if i % 2:
            walk_to(town, case, "activist")
    many = {name: _queries(admin_client, reverse(name)) for name in PAGES}
    assert admin_client.get(reverse("development:case_list")).content.decode().count("黄申请") >= 12
    assert many == few
