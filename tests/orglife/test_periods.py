"""Compliance is counted over periods of at most ten years: longer (or outside the calendar) is
refused with a Chinese message on the API and explained on the page, at once."""

from __future__ import annotations

import json
import re

import pytest
from rest_framework.test import APIClient

from hongniudai.accounts.services_tokens import issue_token

CJK = re.compile(r"[\u4e00-\u9fff]")


def token_client(user):
    key, _token = issue_token(actor=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.mark.parametrize(
    "params, field",
    [
        ({"start": "0001-01-01", "end": "9999-12-31"}, "start"),
        ({"start": "2000-01-01", "end": "9999-12-31"}, "end"),
        ({"start": "2001-01-01", "end": "2025-12-31"}, "start"),
    ],
)
def test_the_api_refuses_a_period_beyond_ten_years(town, params, field):
    r = token_client(town.users["admin"]).get("/api/v1/orglife-compliance/", params)
    assert r.status_code == 400, (r.status_code, r.content[:300])
    assert CJK.search(json.dumps(r.json().get(field), ensure_ascii=False)), r.json()


def test_the_api_counts_ten_years(town):
    r = token_client(town.users["admin"]).get(
        "/api/v1/orglife-compliance/", {"start": "2016-01-01", "end": "2025-12-31"}
    )
    assert r.status_code == 200, r.content


def test_the_schema_states_the_limit(town):
    schema = token_client(town.users["admin"]).get("/api/schema/", {"format": "json"}).json()
    assert "10 年" in schema["paths"]["/api/v1/orglife-compliance/"]["get"]["description"]


@pytest.mark.parametrize("path", ["/orglife/", "/orglife/missing/"])
@pytest.mark.parametrize(
    "params",
    [{"start": "2000-01-01", "end": "9999-12-31"}, {"start": "2001-01-01", "end": "2025-12-31"}, {"end": "0000-00-00"}],
)
def test_the_pages_explain_a_bad_period_and_count_the_default(town, path, params):
    r = town.client_for("admin").get(path, params)
    assert r.status_code == 200
    html = r.content.decode()
    assert "不能超过 10 年" in html or "1900-01-01 至 2100-12-31" in html or "有效的日期" in html, html[:3000]
