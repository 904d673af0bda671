"""A household's or resident's note has a limit (2,000 characters) kept by the page, the API and the service."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from hongniudai.places import services
from hongniudai.places.models import Household

TOO_LONG = "注" * 2001


def test_an_over_long_household_note_is_refused_by_the_page(town):
    client = town.client_for("xuqiao")
    xq = town.xuqiao
    url = reverse("places:household_edit", args=[xq.household.pk])
    data = {"hamlet": xq.hamlet.pk, "address": xq.household.address, "note": TOO_LONG}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "2000" in response.content.decode()
    xq.household.refresh_from_db()
    assert xq.household.note == ""


def test_an_over_long_household_note_is_refused_by_the_api_even_1_mb(town):
    client = APIClient()
    client.force_authenticate(town.users["xuqiao"])
    body = {"hamlet": town.xuqiao.hamlet.pk, "address": "黄家湾8号", "note": "注" * 1_000_000}
    response = client.post("/api/v1/households/", body, format="json")
    assert response.status_code == 400 and "note" in response.data
    assert not Household.objects.filter(address="黄家湾8号").exists()
    response = client.post("/api/v1/households/", {**body, "note": "注" * 2000}, format="json")
    assert response.status_code == 201, response.data


def test_the_services_refuse_an_over_long_note(town):
    xq = town.xuqiao
    with pytest.raises(ValidationError) as caught:
        services.create_household(actor=town.users["xuqiao"], hamlet=xq.hamlet, address="黄家湾9号", note=TOO_LONG)
    assert caught.value.message_dict == {"note": ["备注不能超过 2000 字。"]}
    with pytest.raises(ValidationError) as caught:
        services.update_resident(
            actor=town.users["xuqiao"], resident=xq.head, household=xq.household, name=xq.head.name, note=TOO_LONG
        )
    assert "note" in caught.value.message_dict
