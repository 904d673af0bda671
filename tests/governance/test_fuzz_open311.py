"""Fuzzing of Open311 GeoReport v2 (/open311/v2/), which is not in the OpenAPI schema: each
endpoint gets requests built from its documented parameters, with valid values (a real api_key,
service codes, request ids, tokens) mixed with odd ones (huge and negative numbers, impossible
dates, 5,000-character strings, unicode, empty and repeated parameters). No answer may be a 500,
and every answer is a well-formed body of the format asked for (the specification's error body
for a refusal). Each example runs in a rolled-back savepoint: all start from the same town.
Budget: `HND_FUZZ_EXAMPLES` × 4 examples per endpoint (see tests/fuzzing.py)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode
from xml.etree import ElementTree as ET

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hongniudai.governance import services
from hongniudai.governance.models import Category, Matter
from tests import fuzzing

ODD = [
    "",
    " ",
    "0",
    "-1",
    "10.5",
    "1e308",
    "NaN",
    "99999999999999999999",
    "0001-01-01",
    "9999-12-31",
    "0000-00-00",
    "2026-02-30",
    "2026-01-01T25:61:00+08:00",
    "2026-01-01T00:00:00+99:00",
    "x" * 5000,
    "宋河镇" * 700,
    "\U0001f600\u202e\ufeff",
    "a,b,,c," * 50,
    "%00",
    "<x/>&amp;",
]
QUERY = [
    "jurisdiction_id",
    "api_key",
    "service_code",
    "service_request_id",
    "status",
    "start_date",
    "end_date",
    "page",
    "page_size",
]
POST = [
    "jurisdiction_id",
    "api_key",
    "service_code",
    "lat",
    "long",
    "address_string",
    "address_id",
    "email",
    "device_id",
    "account_id",
    "first_name",
    "last_name",
    "phone",
    "description",
    "media_url",
    "attribute[hazard_type]",
    "attribute[area_mu]",
    "attribute[burning_now][]",
]
# name: (method, path with {path} for the path's own value, parameter names)
ENDPOINTS = {
    "discovery": ("GET", "discovery.{fmt}", ["jurisdiction_id"]),
    "services": ("GET", "services.{fmt}", ["jurisdiction_id"]),
    "service": ("GET", "services/{path}.{fmt}", ["jurisdiction_id"]),
    "requests-get": ("GET", "requests.{fmt}", QUERY),
    "requests-post": ("POST", "requests.{fmt}", POST),
    "request": ("GET", "requests/{path}.{fmt}", ["jurisdiction_id", "api_key"]),
    "token": ("GET", "tokens/{path}.{fmt}", ["jurisdiction_id"]),
}


@pytest.fixture
def open311_town(town: Any) -> Any:
    fuzzing.populate(town)
    town.open311_key, _record = services.issue_open311_key(actor=town.users["admin"], name="宋河随手拍", area=town.town)
    return town


def value_strategy(real: list[str]) -> st.SearchStrategy[str]:
    """A real value, an odd one, or any text."""
    return st.one_of(st.sampled_from(real or [""]), st.sampled_from(ODD), st.text(max_size=30))


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_open311_endpoint_never_fails(open311_town: Any, endpoint: str) -> None:
    method, template, names = ENDPOINTS[endpoint]
    matters = list(Matter.objects.values_list("number", "open311_token"))
    real: dict[str, list[str]] = {
        "jurisdiction_id": [str(open311_town.town.pk), open311_town.town.code or "420704"],
        "api_key": [open311_town.open311_key],
        "service_code": list(Category.objects.filter(is_public=True).values_list("code", flat=True)),
        "service_request_id": [n for n, _t in matters],
        "status": ["open", "closed", "open,closed"],
        "start_date": ["2026-01-01", "2026-01-01T00:00:00+08:00"],
        "end_date": ["2026-03-31", "2026-03-31T23:59:59Z"],
        "page": ["1", "2"],
        "page_size": ["1", "200"],
        "lat": ["30.305"],
        "long": ["114.805"],
        "description": ["路边垃圾堆积"],
        "phone": ["13912345678"],
        "email": ["a@example.com"],
    }
    path_values = {
        "service": real["service_code"],
        "request": real["service_request_id"],
        "token": [str(t) for _n, t in matters],
    }.get(endpoint, [""])
    pairs = st.lists(
        st.sampled_from(names).flatmap(lambda n: st.tuples(st.just(n), value_strategy(real.get(n, [])))),
        max_size=12,
    )
    # A valid request to start from, half the time: the random parameters then change or repeat
    # some of its values (the last of repeated values counts), so the fuzzing reaches past the
    # first refusal into the service.
    valid = {
        "requests-post": [
            ("api_key", open311_town.open311_key),
            ("service_code", "environment"),
            ("address_id", str(open311_town.xuqiao.hamlet.pk)),
            ("description", "路边垃圾堆积"),
        ],
        "requests-get": [("api_key", open311_town.open311_key), ("status", "open")],
    }.get(endpoint, [])
    client = Client()

    @settings(
        max_examples=fuzzing.examples() * 4,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        fmt=st.sampled_from(["json", "xml", "JSON", "html", "x" * 30]),
        path_value=value_strategy(path_values),
        start_valid=st.booleans(),
        params=pairs,
    )
    def run(fmt: str, path_value: str, start_valid: bool, params: list[tuple[str, str]]) -> None:
        params = (valid if start_valid else []) + params
        url = f"/open311/v2/{template.format(fmt=fmt, path=quote(path_value.replace('/', '') or 'x', safe=''))}"
        body = urlencode(params)
        with transaction.atomic():
            try:
                if method == "GET":
                    r = client.get(f"{url}?{body}")
                else:
                    r = client.post(url, body, content_type="application/x-www-form-urlencoded")
            finally:
                transaction.set_rollback(True)
        assert r.status_code < 500, (method, url, params, r.content[:500])
        statuses.append(r.status_code)
        if r["Content-Type"].startswith("application/json"):
            json.loads(r.content)
        else:
            assert r["Content-Type"].startswith("text/xml"), r["Content-Type"]
            ET.fromstring(r.content)

    statuses: list[int] = []
    run()
    if valid:
        # The valid start is valid (so examples built on it reach past the first refusal); how
        # often the random parameters then spoil it depends on the draw (a NUL anywhere is a 400).
        url = f"/open311/v2/{template.format(fmt='json', path='x')}"
        with transaction.atomic():
            try:
                r = client.get(f"{url}?{urlencode(valid)}") if method == "GET" else client.post(url, dict(valid))
            finally:
                transaction.set_rollback(True)
        assert 200 <= r.status_code < 300, r.content[:500]
        assert statuses
