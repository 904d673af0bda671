"""The read-only API of 利益联结: a household's year and a village's year, scoped, 400 on a bad year."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from .conftest import DIVIDEND, RENT, RETURNEE_WAGES, WAGES, YEAR, Year

pytestmark = pytest.mark.django_db


def _client(year: Year, username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(year.town.users[username])
    return client


def test_a_household_s_year_through_the_api(year: Year) -> None:
    url = reverse("api:benefit-household-detail", args=[year.household.pk])
    data = _client(year, "xuqiao").get(url, {"year": YEAR}).json()
    assert [(r["kind"], r["amount"]) for r in data["rows"]] == [
        ("rent", str(RENT)),
        ("wages", str(WAGES)),
        ("dividends", str(DIVIDEND)),
        ("returnee_wages", str(RETURNEE_WAGES)),
    ]
    assert data["totals"]["total"] == str(RENT + WAGES + DIVIDEND + RETURNEE_WAGES)
    assert data["rows"][0]["voucher"] == year.events["rent"].voucher_id
    assert data["rows"][3]["voucher"] is None
    assert "id_number" not in str(data)


def test_a_village_s_year_through_the_api(year: Year) -> None:
    url = reverse("api:benefit-village-detail", args=[year.town.xuqiao.area.pk])
    data = _client(year, "xuqiao").get(url, {"year": YEAR}).json()
    assert [h["household"] for h in data["households"]] == [year.household.pk]
    assert data["formerly_poor"] == str(RENT + WAGES + DIVIDEND + RETURNEE_WAGES)
    assert data["monitored"] == "0.00"


@pytest.mark.parametrize("bad", ["abc", "1800", "99999", "2026.5"])
def test_a_bad_year_is_a_400(year: Year, bad: str) -> None:
    client = _client(year, "xuqiao")
    for url in (
        reverse("api:benefit-household-detail", args=[year.household.pk]),
        reverse("api:benefit-village-detail", args=[year.town.xuqiao.area.pk]),
    ):
        response = client.get(url, {"year": bad})
        assert response.status_code == 400
        assert "year" in response.json()


def test_out_of_scope_is_404(year: Year) -> None:
    client = _client(year, "fashuihe")
    assert client.get(reverse("api:benefit-household-detail", args=[year.household.pk])).status_code == 404
    assert client.get(reverse("api:benefit-village-detail", args=[year.town.xuqiao.area.pk])).status_code == 404
