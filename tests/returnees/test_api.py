"""The returnee programme's API: scoped lists with filters and counts, writes through the services
(400 with Chinese messages, 403 without the right, 404 outside the scope), and a schema that says
what it answers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from hongniudai.accounts.services_tokens import issue_token
from hongniudai.returnees.models import Employment, Returnee, Support, WageRecord
from tests import factories as f

RETURNEES = "/api/v1/returnees/"
BUSINESSES = "/api/v1/returnee-businesses/"
EMPLOYMENTS = "/api/v1/returnee-employments/"
WAGES = "/api/v1/returnee-wages/"
SUPPORTS = "/api/v1/returnee-supports/"


@pytest.fixture
def api_for(town: Any):
    def make(username: str) -> APIClient:
        key, _token = issue_token(actor=town.users[username])
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


def _rows(response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_lists_are_scoped_with_derived_flags_and_counts(town, programme, api_for):
    xq = api_for("xuqiao")
    rows = {r["resident_name"]: r for r in _rows(xq.get(RETURNEES))}
    assert set(rows) == {"罗华清", "陈磊"}
    assert rows["罗华清"]["is_party_member"] is True and rows["陈磊"]["is_veteran"] is True
    assert [r["resident_name"] for r in _rows(xq.get(RETURNEES, {"veteran": "true"}))] == ["陈磊"]
    businesses = {b["name"]: b for b in _rows(xq.get(BUSINESSES))}
    assert businesses["陈磊生猪养殖场"]["poor_household_count"] == 1
    assert businesses["陈磊生猪养殖场"]["investment"] == "3000000.00"
    assert len(_rows(api_for("admin").get(BUSINESSES))) == 3
    assert _rows(xq.get(BUSINESSES, {"village": town.fashuihe.area.pk})) == []


def test_the_chain_through_the_api(town, programme, api_for):
    xq = api_for("xuqiao")
    res = f.resident(f.household(town.xuqiao.hamlet, is_formerly_poor=True), "黄文华")
    response = xq.post(
        EMPLOYMENTS,
        {"business": programme.grape.pk, "resident": res.pk, "started_on": "2022-03-01", "job": "采摘工"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["is_formerly_poor"] is True
    job = response.json()["id"]
    response = xq.post(WAGES, {"employment": job, "year": 2024, "amount": "18000.00"}, format="json")
    assert response.status_code == 201, response.content
    assert WageRecord.objects.get(employment_id=job).amount == Decimal("18000.00")
    response = xq.post(f"{EMPLOYMENTS}{job}/end/", {"ended_on": "2024-12-31"}, format="json")
    assert response.status_code == 200 and response.json()["ended_on"] == "2024-12-31"
    response = xq.post(
        SUPPORTS,
        {
            "business": programme.grape.pk,
            "kind": "subsidy",
            "given_on": "2023-01-01",
            "amount": "20000",
            "given_by": "区农业农村局",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["returnee"] == programme.luo.pk
    assert _rows(xq.get(WAGES, {"year": 2024}))[0]["amount"] == "18000.00"


@pytest.mark.parametrize(
    ("url", "body", "field", "message"),
    [
        (WAGES, {"year": 2024, "amount": "-1.00"}, "amount", "大于零"),
        (WAGES, {"year": 2024, "amount": "1.005"}, "amount", None),
        (WAGES, {"year": 2019, "amount": "1.00"}, "year", "用工期间"),
        (EMPLOYMENTS, {"started_on": "2021-01-01"}, "resident", "重叠"),
        (EMPLOYMENTS, {"started_on": "2021-01-01", "ended_on": "2020-01-01"}, "ended_on", "不能早于开始日期"),
    ],
)
def test_bad_input_is_a_400_in_chinese(town, programme, api_for, url, body, field, message):
    payload = dict(body)
    if url == WAGES:
        payload["employment"] = programme.worker_job.pk
    else:
        payload.update(business=programme.pigs.pk, resident=programme.worker.pk)
    before = (Employment.objects.count(), WageRecord.objects.count())
    response = api_for("xuqiao").post(url, payload, format="json")
    assert response.status_code == 400, response.content
    errors = response.json()[field]
    if message:
        assert message in errors[0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in errors[0])
    assert (Employment.objects.count(), WageRecord.objects.count()) == before


def test_a_returnee_registered_twice_is_a_400(town, programme, api_for):
    response = api_for("admin").post(
        RETURNEES,
        {"resident": programme.luo.resident_id, "returned_on": "2020-01-01", "came_from": "上海"},
        format="json",
    )
    assert response.status_code == 400
    assert "已登记为返乡能人" in response.json()["resident"][0]
    assert Returnee.objects.count() == 3


def test_out_of_scope_and_without_right(town, programme, api_for):
    xq = api_for("xuqiao")
    assert xq.get(f"{BUSINESSES}{programme.fish.pk}/").status_code == 404
    response = xq.post(
        SUPPORTS,
        {"business": programme.fish.pk, "kind": "site", "given_on": "2023-01-01", "given_by": "x"},
        format="json",
    )
    assert response.status_code == 400  # an id outside the scope is like a missing one
    grid = api_for("gridworker")
    assert grid.get(f"{RETURNEES}{programme.luo.pk}/").status_code == 200
    response = grid.post(
        SUPPORTS,
        {"returnee": programme.luo.pk, "kind": "site", "given_on": "2023-01-01", "given_by": "x"},
        format="json",
    )
    assert response.status_code in (400, 403)
    assert not Support.objects.exists()
    assert xq.delete(f"{RETURNEES}{programme.luo.pk}/").status_code == 405


def test_patch_keeps_what_it_does_not_name(town, programme, api_for):
    response = api_for("xuqiao").patch(f"{BUSINESSES}{programme.grape.pk}/", {"scale": "葡萄 100 亩"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["scale"] == "葡萄 100 亩" and response.json()["investment"] == "800000.00"
    response = api_for("xuqiao").patch(
        f"{BUSINESSES}{programme.grape.pk}/", {"founder": programme.chen.pk}, format="json"
    )
    assert response.status_code == 400


def test_bad_filters_are_400(town, programme, api_for):
    xq = api_for("xuqiao")
    assert xq.get(WAGES, {"year": "abc"}).status_code == 400
    assert xq.get(RETURNEES, {"village": "1.5"}).status_code == 400
    assert xq.get(BUSINESSES, {"kind": "nope"}).status_code == 400


def test_schema_names_the_endpoints(town, api_for):
    response = api_for("admin").get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for url in (RETURNEES, BUSINESSES, EMPLOYMENTS, WAGES, SUPPORTS):
        assert url in paths
    assert "delete" not in paths[f"{RETURNEES}{{id}}/"]
    assert f"{EMPLOYMENTS}{{id}}/end/" in paths
