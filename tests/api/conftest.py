"""Helpers for the API tests: clients that authenticate with a real token, and a JSON scan for
anything shaped like a whole citizen ID number."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from hongniudai.accounts.services_tokens import issue_token
from hongniudai.common.identity import decrypt_id_number
from hongniudai.party import services as party_services
from hongniudai.places.models import Resident

FULL_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


@pytest.fixture
def api_for(town: Any) -> Callable[[str], APIClient]:
    """`api_for("xuqiao")`: a client sending `Authorization: Token …` for that user."""

    def make(username: str) -> APIClient:
        key, _token = issue_token(actor=town.users[username])
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


@pytest.fixture
def centre_households(town: Any) -> dict[str, Any]:
    """A centre household in each village's hamlet (its head member looks after its own household)."""
    out = {}
    for name in ("xuqiao", "fashuihe", "hemeifan"):
        v = getattr(town, name)
        out[name] = party_services.set_centre_household(
            actor=town.users["admin"], hamlet=v.hamlet, member=v.member, linked_households=[v.household]
        )
    return out


def full_id_numbers() -> set[str]:
    return {decrypt_id_number(c) for c in Resident.objects.values_list("id_cipher", flat=True)}


def assert_no_full_id(body: Any) -> None:
    """Neither a stored ID number nor anything shaped like one appears in the body."""
    text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    for number in full_id_numbers():
        assert number not in text
    assert not FULL_ID.search(text), FULL_ID.search(text)
