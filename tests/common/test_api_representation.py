"""The API lists answer the same bytes whatever is changed in how a row is turned into JSON: a
fixed record per endpoint is pinned (`representation/*.json`, ids and instants masked, since they
depend on the database's sequences and the clock)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
import time_machine
from rest_framework.test import APIClient

from hongniudai.accounts.models import Role
from hongniudai.accounts.services_tokens import issue_token
from hongniudai.governance import services as governance
from hongniudai.governance.models import Category, Outcome
from hongniudai.party import services as party_services
from tests import factories as f

PINNED = Path(__file__).parent / "representation"
INSTANT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
# Keys holding a record's id (or a reference to one): their values depend on the sequences.
ID_KEYS = {"id", "household", "hamlet", "head", "category", "place", "area", "org", "party_group", "resident_id"}
# The number of a matter carries its id.
NUMBERED = {"number"}
# A masked ID number ends with the last four digits of a number the factories draw at random.
MASKED_ID = re.compile(r"^(\d{3}\*+)[\dX]{4}$")
# Ages, elderly flags and time limits are those of this instant.
NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


def _masked(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _masked(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v, key) for v in value]
    if key in ID_KEYS and isinstance(value, int):
        return "<id>"
    if key in NUMBERED and isinstance(value, str):
        return "<number>"
    if isinstance(value, str) and INSTANT.match(value):
        return "<instant>"
    if key == "id_masked" and isinstance(value, str):
        return MASKED_ID.sub(r"\1####", value)
    return value


@pytest.fixture
def frozen() -> Any:
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def records(town: Any) -> dict[str, Any]:
    """The town plus a settled matter (two parties, an invited adviser, a session) and an accepted one."""
    hmf = town.hemeifan
    party_services.set_centre_household(
        actor=town.users["admin"],
        hamlet=hmf.hamlet,
        member=hmf.member,
        linked_households=[hmf.household],
        since=dt.date(2020, 1, 1),
    )
    lawyer = f.user("hmf_lawyer", Role.LEGAL_ADVISER, area=hmf.area)
    zsf = town.users["zhangshengfu"]
    li = f.resident(hmf.household, "李某忠", birth=dt.date(1965, 5, 1), phone="13812345678")
    zhao = f.resident(hmf.household, "赵某发", birth=dt.date(1968, 8, 8))
    matter = governance.report_matter(
        actor=zsf,
        category=Category.objects.get(code="dispute-forest"),
        title="山林界址纠纷",
        description="李某忠与赵某发因山林界址扯皮",
        channel="centre_household",
        place=hmf.hamlet,
        parties=[li, zhao],
    )
    governance.accept(actor=zsf, matter=matter)
    governance.record_session(
        actor=zsf, matter=matter, held_on=dt.date(2026, 3, 2), place="张家冲", participants="张圣福", summary="走访"
    )
    governance.invite(actor=zsf, matter=matter, user=lawyer)
    governance.resolve(actor=zsf, matter=matter, outcome=Outcome.RECONCILED, resolution="和好")
    open_matter = governance.report_matter(
        actor=zsf,
        category=Category.objects.get(code="dispute-forest"),
        title="塘埂渗水",
        description="张家冲塘埂渗水",
        channel="centre_household",
        place=hmf.hamlet,
    )
    governance.accept(actor=zsf, matter=open_matter)
    return {"matter": matter, "resident": li}


def _client(town: Any) -> APIClient:
    key, _token = issue_token(actor=town.users["admin"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _paths(town: Any, records: dict[str, Any]) -> dict[str, str]:
    resident = records["resident"]
    return {
        "matters": "/api/v1/matters/",
        "matter": f"/api/v1/matters/{records['matter'].pk}/",
        "residents": f"/api/v1/residents/?area={town.hemeifan.area.pk}",
        "resident": f"/api/v1/residents/{resident.pk}/",
        "members": f"/api/v1/members/?org={town.hemeifan.branch.pk}",
        "users": "/api/v1/users/?q=hmf_lawyer",
        "households": f"/api/v1/households/?area={town.hemeifan.area.pk}",
    }


ENDPOINTS = ["matters", "matter", "residents", "resident", "members", "users", "households"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_fixed_record_is_answered_as_pinned(frozen, town, records, endpoint):
    response = _client(town).get(_paths(town, records)[endpoint])
    assert response.status_code == 200, response.content
    body = _masked(response.json())
    pinned = PINNED / f"{endpoint}.json"
    if os.environ.get("PIN_REPRESENTATION"):
        pinned.write_text(json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    assert body == json.loads(pinned.read_text(encoding="utf-8"))
