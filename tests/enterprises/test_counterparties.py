"""The other party of the collective economy's business (`enterprises.counterparties`): a village's
staff name any enterprise of their town — the distillery in the town's park buys 徐桥村's sorghum —
by typing its name, and nothing of another town; the enterprise's own page stays out of their scope."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from hongniudai.accounts.models import Role
from hongniudai.enterprises.interface import counterparties
from hongniudai.enterprises.models import Enterprise
from hongniudai.places.models import AreaKind
from tests import factories as f
from tests.production.conftest import YEAR, make_org

PICK = reverse("enterprises:counterparty_pick")


def _labels(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'data-pick-label="([^"]*)"', response.content.decode())


@pytest.fixture
def parties(town):
    """The distillery in 宋河镇's park, and a mill in another town of the county."""
    other_town = f.area(town.county, "杨叶镇", AreaKind.TOWN)
    distillery = Enterprise.objects.create(
        name="湖北徐桥酒业有限公司", uscc="91420704MA4JY0009X", industry="liquor_food", area=town.park
    )
    mill = Enterprise.objects.create(
        name="杨叶米业有限公司", uscc="91420704MA4MY0008Y", industry="agri_processing", area=other_town
    )
    accountant = town.users["xq_accountant"] = f.user("xq_accountant", Role.VILLAGE_ACCOUNTANT, area=town.xuqiao.area)
    return distillery, mill, accountant


def test_village_staff_find_the_towns_enterprises_by_name_and_none_of_another_town(town, parties):
    distillery, mill, accountant = parties
    for client in (town.client_for("xuqiao"), town.client_for(accountant.username)):
        assert _labels(client.get(PICK, {"buyer__q": "酒业"})) == ["湖北徐桥酒业有限公司"]
        assert _labels(client.get(PICK, {"buyer__q": "米业"})) == []  # 杨叶镇's mill
        assert _labels(client.get(PICK)) == []  # nothing listed before typing
    assert set(counterparties(accountant)) == {distillery}
    # Naming it is all: the enterprise's page stays outside the village's scope.
    page = reverse("enterprises:enterprise_detail", args=[distillery.pk])
    assert town.client_for("xuqiao").get(page).status_code == 404


def test_a_user_without_the_economy_finds_only_their_own_scope(town, parties):
    distillery, _mill, _accountant = parties
    instructor = town.users["instructor"] = f.user("instructor", Role.INSTRUCTOR, area=town.xuqiao.area)
    assert distillery not in set(counterparties(instructor))
    assert _labels(town.client_for(instructor.username).get(PICK, {"buyer__q": "酒业"})) == []


def test_the_accountant_signs_the_sale_to_the_park_distillery_through_the_api(town, parties):
    distillery, mill, accountant = parties
    org = make_org(town.xuqiao.area, "徐桥村红高粱种植股份制合作社")
    client = APIClient()
    client.force_authenticate(accountant)
    body = {
        "org": org.pk,
        "buyer": distillery.pk,
        "crop": "红高粱",
        "quantity_kg": "95000",
        "price": "2800.00",
        "price_unit": "tonne",
        "signed_on": f"{YEAR}-03-01",
        "schedule": [{"due_on": f"{YEAR}-10-31", "quantity_kg": "95000"}],
    }
    response = client.post("/api/v1/production-contracts/", body, format="json")
    assert response.status_code == 201, response.json()
    refused = client.post("/api/v1/production-contracts/", {**body, "buyer": mill.pk}, format="json")
    assert refused.status_code == 400 and "buyer" in refused.json()


def test_the_planting_form_offers_the_counterparty_picker(town, parties):
    make_org(town.xuqiao.area, "徐桥村红高粱种植股份制合作社")
    page = town.client_for("xuqiao").get(reverse("production:planting_create"))
    assert page.status_code == 200
    assert PICK in page.content.decode() and f'"{reverse("enterprises:enterprise_pick")}"' not in page.content.decode()


def test_the_counterparty_scope_keeps_a_county_node_as_it_is(town, parties):
    distillery, mill, _accountant = parties
    county_admin = f.user("county_admin", Role.TOWN_ADMIN, area=town.county)
    assert {distillery, mill} <= set(counterparties(county_admin))
    assert dt.date.today().year >= YEAR
