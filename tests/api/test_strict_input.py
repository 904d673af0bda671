"""Ids, whole numbers and references are read one strict way by every filter and field: an id
beyond the database's keys, `10.5` for a whole number or a reference are a 400 in Chinese,
never a 500 or a silent rounding."""

from __future__ import annotations

import json

import pytest

from hongniudai.common.parsing import MAX_ID
from hongniudai.places.models import Household

BEYOND = str(MAX_ID + 1)  # 9223372036854775808
TWENTY_NINES = "9" * 20

ID_FILTERS = [
    ("/api/v1/party-orgs/", "parent"),
    ("/api/v1/party-orgs/", "within"),
    ("/api/v1/areas/", "parent"),
    ("/api/v1/areas/", "within"),
    ("/api/v1/households/", "area"),
    ("/api/v1/residents/", "area"),
    ("/api/v1/members/", "org"),
    ("/api/v1/centre-households/", "area"),
    ("/api/v1/matters/", "area"),
    ("/api/v1/matter-measures/", "area"),
    ("/api/v1/orglife-compliance/", "org"),
    ("/api/v1/meetings/", "org"),
    ("/api/v1/development/cases/", "org"),
    ("/api/v1/development/rules/", "org"),
    ("/api/v1/development/due/", "org"),
    ("/api/v1/enterprise-coverage/", "area"),
    ("/api/v1/enterprises/", "area"),
    ("/api/v1/enterprises/", "branch"),
    ("/api/v1/employments/", "enterprise"),
    ("/api/v1/instructor-assignments/", "instructor"),
    ("/api/v1/instructor-assignments/", "enterprise"),
    ("/api/v1/instructor-assignments/", "org"),
    ("/api/v1/guidance-visits/", "org"),
    ("/api/v1/guidance-visits/", "enterprise"),
    ("/api/v1/guidance-visits/", "instructor"),
    ("/api/v1/guidance-follow-ups/", "visit"),
    ("/api/v1/vanguard-posts/", "org"),
    ("/api/v1/vanguard-posts/", "enterprise"),
    ("/api/v1/party-activities/", "org"),
    ("/api/v1/party-activities/", "enterprise"),
]


def chinese(body: object) -> bool:
    text = json.dumps(body, ensure_ascii=False)
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize("value", [TWENTY_NINES, BEYOND, "10.5", "1e3", "0"])
@pytest.mark.parametrize("url, name", ID_FILTERS)
def test_an_id_filter_beyond_the_keys_or_not_whole_is_a_400_in_chinese(town, api_for, url, name, value):
    r = api_for("admin").get(url, {name: value})
    assert r.status_code == 400, (r.status_code, r.content[:300])
    assert name in r.json() and chinese(r.json()[name]), r.json()


@pytest.mark.parametrize("url, name", ID_FILTERS)
def test_an_id_filter_at_the_largest_key_matches_nothing(town, api_for, url, name):
    r = api_for("admin").get(url, {name: str(MAX_ID)})
    assert r.status_code in (200, 404), (r.status_code, r.content[:300])


def test_the_schema_states_the_bounds_of_every_id_filter(town, api_for):
    schema = api_for("admin").get("/api/schema/", {"format": "json"}).json()
    for url, name in ID_FILTERS:
        (parameter,) = [p for p in schema["paths"][url]["get"]["parameters"] if p["name"] == name]
        assert parameter["schema"]["type"] == "integer", (url, name)
        assert (parameter["schema"]["minimum"], parameter["schema"]["maximum"]) == (1, MAX_ID), (url, name)


@pytest.mark.parametrize("hamlet", [10.5, "10.5", 1.0, True, "1e1"])
def test_a_reference_is_a_whole_number_not_a_rounded_one(town, api_for, hamlet):
    before = Household.objects.count()
    r = api_for("admin").post("/api/v1/households/", {"hamlet": hamlet, "address": "黄家湾2号"}, format="json")
    assert r.status_code == 400, r.content
    assert chinese(r.json()["hamlet"]), r.json()
    assert Household.objects.count() == before


def test_a_reference_beyond_the_keys_is_a_record_not_found(town, api_for):
    r = api_for("admin").post("/api/v1/households/", {"hamlet": BEYOND, "address": "黄家湾2号"}, format="json")
    assert r.status_code == 400 and chinese(r.json()["hamlet"]), r.json()


def test_a_whole_number_field_refuses_a_fraction(town, api_for):
    r = api_for("admin").post(
        "/api/v1/areas/",
        {"parent": town.xuqiao.area.pk, "name": "新组", "kind": "grid", "sort_order": 2.5},
        format="json",
    )
    assert r.status_code == 400 and chinese(r.json()["sort_order"]), r.json()
