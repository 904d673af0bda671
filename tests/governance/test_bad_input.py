"""Dates at the edge of the calendar and periods too long to count: a 400 in Chinese on the API,
a message on the pages, never a 500."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from rest_framework.test import APIClient

from hongniudai.accounts.services_tokens import issue_token
from hongniudai.governance import services
from hongniudai.governance.models import Matter

CJK = re.compile(r"[\u4e00-\u9fff]")


def token_client(user: Any) -> APIClient:
    key, _token = issue_token(actor=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def chinese_error(response: Any, field: str) -> None:
    assert response.status_code == 400, (response.status_code, response.content[:300])
    body = response.json()
    assert field in body, body
    assert CJK.search(json.dumps(body[field], ensure_ascii=False)), body


def _report(gov: Any) -> Matter:
    return services.report_matter(
        actor=gov.users["zhangshengfu"],
        category=gov.forest,
        title="山林界址纠纷",
        description="李某忠与赵某发因山林界址扯皮",
        channel="centre_household",
        place=gov.hemeifan.hamlet,
    )


@pytest.mark.parametrize(
    "url, params, field",
    [
        ("/api/v1/matters/", {"reported_from": "0001-01-01"}, "reported_from"),
        ("/api/v1/matters/", {"reported_to": "9999-12-31"}, "reported_to"),
        ("/api/v1/matters/", {"reported_from": "1899-12-31"}, "reported_from"),
        ("/api/v1/matter-measures/", {"from": "0001-01-01"}, "from"),
        ("/api/v1/matter-measures/", {"to": "9999-12-31"}, "to"),
        ("/api/v1/matter-measures/", {"from": "2001-01-01", "to": "2026-01-01"}, "from"),
    ],
)
def test_dates_outside_the_calendar_or_too_long_a_period_are_refused_in_chinese(gov, url, params, field):
    chinese_error(token_client(gov.users["admin"]).get(url, params), field)


def test_dates_at_the_edges_of_the_window_are_fine(gov):
    admin = token_client(gov.users["admin"])
    r = admin.get("/api/v1/matters/", {"reported_from": "1900-01-01", "reported_to": "2100-12-31"})
    assert r.status_code == 200, r.content
    r = admin.get("/api/v1/matter-measures/", {"from": "2016-01-01", "to": "2025-12-31"})
    assert r.status_code == 200, r.content


def test_the_schema_states_the_period_limit_of_the_measures(gov):
    schema = token_client(gov.users["admin"]).get("/api/schema/", {"format": "json"}).json()
    assert "10 年" in schema["paths"]["/api/v1/matter-measures/"]["get"]["description"]


@pytest.mark.parametrize(
    "params",
    [
        {"from": "0001-01-01"},
        {"to": "9999-12-31"},
        {"from": "0001-01-01", "to": "9999-12-31"},
        {"from": "1000-01-01", "to": "2026-01-01"},
    ],
)
def test_the_measures_page_explains_a_bad_period(gov, params):
    r = gov.client_for("admin").get("/matters/measures/", params)
    assert r.status_code == 200
    html = r.content.decode()
    assert "1900-01-01 至 2100-12-31" in html or "不能超过" in html, html[:2000]


@pytest.mark.parametrize("params", [{"from": "0001-01-01"}, {"to": "9999-12-31"}, {"from": "0000-00-00"}])
def test_the_matter_list_page_ignores_dates_outside_the_calendar(gov, params):
    _report(gov)
    r = gov.client_for("admin").get("/matters/", params)
    assert r.status_code == 200
    assert "山林界址纠纷" in r.content.decode()
