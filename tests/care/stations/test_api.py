"""The stations' API: scoped lists, writes through the services (400 in Chinese, 403 without the
right, 404 outside the scope), the request actions, and measures."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from rest_framework.test import APIClient

from hongniudai.accounts.services_tokens import issue_token
from hongniudai.care.stations.models import ServiceRequest
from hongniudai.governance.interface import Channel, Matter
from hongniudai.governance.models import Category

from .conftest import FRIDAY

REQUESTS = "/api/v1/service-requests/"


@pytest.fixture
def api_for(town: Any):
    def make(username: str) -> APIClient:
        key, _token = issue_token(actor=town.users[username])
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


@time_machine.travel(FRIDAY, tick=False)
def test_create_act_and_read_a_request(town, stations, api_for):
    api = api_for("xuqiao")
    created = api.post(
        REQUESTS,
        {
            "station": stations.xuqiao.pk,
            "item": stations.certificate.pk,
            "channel": "walk_in",
            "resident": town.xuqiao.head.pk,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["person"] == "黄文华" and body["person_phone_masked"] == "139****5678"
    assert "13912345678" not in created.content.decode()
    assert body["limit_days"] == 1 and body["deadline"].startswith("2026-03-09")
    assert body["signal"] == "green"
    pk = body["id"]
    refused = api.post(f"{REQUESTS}{pk}/satisfaction/", {"satisfaction": "satisfied"}, format="json")
    assert refused.status_code == 400 and "服务办结后才能登记满意度" in refused.content.decode()
    assert api.post(f"{REQUESTS}{pk}/steps/", {"kind": "in_progress"}, format="json").json()["status"] == "in_progress"
    done = api.post(f"{REQUESTS}{pk}/complete/", {"outcome": "done"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "closed"
    rated = api.post(f"{REQUESTS}{pk}/satisfaction/", {"satisfaction": "satisfied"}, format="json")
    assert rated.json()["satisfaction_label"] == "满意"


@time_machine.travel(FRIDAY, tick=False)
def test_refusals_are_in_chinese_and_save_nothing(town, stations, api_for):
    api = api_for("xuqiao")
    bad = api.post(
        REQUESTS, {"station": stations.xuqiao.pk, "item": stations.certificate.pk, "channel": "walk_in"}, format="json"
    )
    assert bad.status_code == 400
    assert "请选择居民,或填写未登记群众的姓名" in bad.json()["person_name"][0]
    out = api.post(
        REQUESTS,
        {"station": stations.fashuihe.pk, "item": stations.certificate.pk, "channel": "walk_in", "person_name": "某"},
        format="json",
    )
    assert out.status_code == 400  # a station out of scope is one that does not exist
    no_right = api_for("admin")  # sanity: the admin may
    assert no_right.get(REQUESTS).status_code == 200
    assert ServiceRequest.objects.count() == 0


@time_machine.travel(FRIDAY, tick=False)
def test_to_matter_through_the_api(town, stations, api_for):
    api = api_for("xuqiao")
    pk = api.post(
        REQUESTS,
        {
            "station": stations.xuqiao.pk,
            "item": stations.certificate.pk,
            "channel": "phone",
            "resident": town.xuqiao.head.pk,
        },
        format="json",
    ).json()["id"]
    category = Category.objects.get(code="dispute-neighbour")
    response = api.post(
        f"{REQUESTS}{pk}/to-matter/", {"category": category.pk, "description": "邻里纠纷"}, format="json"
    )
    assert response.status_code == 201, response.content
    matter = Matter.objects.get(pk=response.json()["matter"])
    assert matter.channel == Channel.SERVICE_STATION and matter.place == town.xuqiao.hamlet
    assert response.json()["request"]["matter"] == matter.pk


def test_the_other_lists_and_the_measures(town, stations, api_for):
    api = api_for("xuqiao")
    names = [s["name"] for s in api.get("/api/v1/service-stations/").json()["results"]]
    assert names == ["徐桥村便民服务站"]
    assert {i["name"] for i in api.get("/api/v1/service-items/").json()["results"]} == {"医保参保", "证明开具"}
    org = api.post(
        "/api/v1/mass-orgs/",
        {"kind": "youth_league", "area": town.xuqiao.area.pk, "name": "徐桥村团支部"},
        format="json",
    )
    assert org.status_code == 201, org.content
    act = api.post(
        "/api/v1/mass-activities/",
        {
            "org": org.json()["id"],
            "title": "青年志愿者义诊",
            "held_on": "2026-03-01",
            "participant_count": 30,
            "station": stations.xuqiao.pk,
        },
        format="json",
    )
    assert act.status_code == 201, act.content
    measures = api.get("/api/v1/service-measures/", {"from": "2026-03-01", "to": "2026-03-31"})
    assert measures.status_code == 200, measures.content
    assert measures.json()["mass_orgs"] == [
        {"village": "徐桥村", "kind": "youth_league", "kind_label": "共青团", "activities": 1, "participants": 30}
    ]
    refused = api.post(
        "/api/v1/service-items/", {"town": town.town.pk, "name": "代办跑腿", "time_limit": 2}, format="json"
    )
    assert refused.status_code == 400  # the catalogue is the town admin's: the town is not one xuqiao keeps
    admin = api_for("admin")
    item = admin.post(
        "/api/v1/service-items/", {"town": town.town.pk, "name": "代办跑腿", "time_limit": 2}, format="json"
    )
    assert item.status_code == 201, item.content
    limit = admin.post(
        f"/api/v1/service-items/{item.json()['id']}/limit/", {"days": 3, "valid_from": "2099-01-01"}, format="json"
    )
    assert limit.status_code == 200 and [r["days"] for r in limit.json()] == [3, 2]
    assert (
        api_for("zhangshengfu")
        .post("/api/v1/mass-orgs/", {"kind": "trade_union", "area": town.town.pk, "name": "x"}, format="json")
        .status_code
        == 400
    )
