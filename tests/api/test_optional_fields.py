"""Every optional field of a request body is optional in the service it reaches too: leaving it
out gives what the schema says (a top-level record), never a 500. (The mediation agreement's
`signatures_noted`: tests/governance/test_optional_fields.py.)"""

from __future__ import annotations

import json
import re

from rest_framework.test import APIClient

from hongniudai.accounts.services_tokens import issue_token
from hongniudai.party.models import PartyOrg
from hongniudai.places.models import AreaNode
from tests import factories as f

CJK = re.compile(r"[\u4e00-\u9fff]")


def api(user):
    key, _token = issue_token(actor=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_an_area_without_a_parent_is_refused_to_a_town_admin_in_chinese(town):
    r = api(town.users["admin"]).post("/api/v1/areas/", {"name": "新镇", "kind": "town"}, format="json")
    assert r.status_code == 403, (r.status_code, r.content[:300])
    assert CJK.search(json.dumps(r.json(), ensure_ascii=False))
    assert not AreaNode.objects.filter(name="新镇").exists()


def test_a_system_administrator_creates_a_top_level_area_without_naming_a_parent(town):
    r = api(f.superuser()).post("/api/v1/areas/", {"name": "新县", "kind": "county"}, format="json")
    assert r.status_code in (201, 400), (r.status_code, r.content[:300])
    if r.status_code == 201:
        assert AreaNode.objects.get(name="新县").parent is None
    else:
        assert CJK.search(json.dumps(r.json(), ensure_ascii=False))


def test_a_party_organisation_without_a_parent_is_a_top_level_one(town):
    """The schema calls `parent` optional: without it the organisation is created at the top
    (the service's rules decide who may), not a server error."""
    r = api(town.users["admin"]).post(
        "/api/v1/party-orgs/", {"name": "新党委", "kind": "town_committee", "area": town.town.pk}, format="json"
    )
    assert r.status_code == 201, (r.status_code, r.content[:300])
    assert PartyOrg.objects.get(name="新党委").parent is None
