"""The production API: scoped reads, records through the services, 400 with Chinese messages by
field (the rules' and the ledger's), and nothing saved when refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from hongniudai.production import services
from hongniudai.production.models import Delivery, WorkRecord

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def _client(farm, username: str = "xuqiao") -> APIClient:
    client = APIClient()
    client.force_authenticate(farm.town.users[username])
    return client


def test_recording_work_through_the_api_accrues_the_exact_wage(farm):
    planting = farm.planting()
    body = {
        "org": farm.org.pk,
        "planting": planting.pk,
        "worker": farm.worker.pk,
        "worked_on": f"{YEAR}-05-06",
        "worked_until": f"{YEAR}-05-08",
        "days": "2.5",
        "daily_rate": "120.00",
        "task": "间苗除草",
    }
    response = _client(farm).post("/api/v1/production-work/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["amount"] == "300.00" and response.json()["voucher"]
    planting_row = _client(farm).get(f"/api/v1/production-plantings/{planting.pk}/").json()
    assert planting_row["wages"] == "300.00" and planting_row["work_days"] == "2.5"
    due = _client(farm).get("/api/v1/production-wages-due/").json()
    assert [(r["worker_name"], r["due"]) for r in due] == [("黄文华", "300.00")]


def test_refusals_answer_400_in_chinese_and_save_nothing(farm):
    body = {
        "org": farm.org.pk,
        "worker": farm.outsider.pk,
        "worked_on": f"{YEAR}-05-06",
        "days": "1",
        "daily_rate": "120",
        "task": "除草",
    }
    # 施华成 is not a villager the secretary may record work for: not even a choice.
    response = _client(farm).post("/api/v1/production-work/", body, format="json")
    assert response.status_code == 400 and "worker" in response.json()
    body.update(worker=farm.worker.pk, days="0")
    response = _client(farm).post("/api/v1/production-work/", body, format="json")
    assert response.status_code == 400 and "必须大于零" in str(response.json()["days"])
    assert not WorkRecord.objects.exists()


def test_a_delivery_beyond_the_contract_answers_400_with_the_figure(farm):
    contract = farm.contract()
    client = _client(farm)
    ok = client.post(
        "/api/v1/production-deliveries/",
        {"contract": contract.pk, "delivered_on": f"{YEAR}-09-20", "quantity_kg": "99500"},
        format="json",
    )
    assert ok.status_code == 201 and ok.json()["amount"] == "258700.00"  # 199,000 jin × 1.30
    refused = client.post(
        "/api/v1/production-deliveries/",
        {"contract": contract.pk, "delivered_on": f"{YEAR}-09-21", "quantity_kg": "600"},
        format="json",
    )
    assert refused.status_code == 400 and "500" in str(refused.json()["quantity_kg"])
    assert Delivery.objects.count() == 1
    row = client.get(f"/api/v1/production-contracts/{contract.pk}/").json()
    assert row["owed_kg"] == "500.000" and len(row["schedule"]) == 2


def test_signing_a_contract_and_selling_through_the_api(farm):
    client = _client(farm)
    response = client.post(
        "/api/v1/production-contracts/",
        {
            "org": farm.org.pk,
            "buyer": farm.distillery.pk,
            "crop": "红高粱",
            "quantity_kg": "100000",
            "price": "2600.00",
            "price_unit": "tonne",
            "signed_on": f"{YEAR}-03-01",
            "schedule": [{"due_on": f"{YEAR}-10-31", "quantity_kg": "100000"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["price_unit"] == "tonne" and response.json()["price"] == "2600.00"
    sale = client.post(
        "/api/v1/production-sales/",
        {
            "org": farm.org.pk,
            "product": "高粱酒",
            "quantity": "10000",
            "product_unit": "jin",
            "unit_price": "10.00",
            "buyer_name": "县城超市",
            "sold_on": f"{YEAR}-12-01",
        },
        format="json",
    )
    assert sale.status_code == 201 and sale.json()["amount"] == "100000.00"
    income = client.get("/api/v1/production-income/", {"village": farm.town.xuqiao.area.pk, "year": YEAR}).json()
    assert income[0]["sources"][0]["amount"] == "100000.00"


def test_another_village_sees_nothing_and_may_record_nothing_here(farm):
    planting = farm.planting()
    services.record_harvest(
        actor=farm.secretary, planting=planting, harvested_on=dt.date(YEAR, 9, 1), quantity_kg=Decimal(10)
    )
    other = _client(farm, "fashuihe")
    assert other.get("/api/v1/production-plantings/").json()["results"] == []
    assert other.get(f"/api/v1/production-plantings/{planting.pk}/").status_code == 404
    response = other.post(
        "/api/v1/production-harvests/",
        {"planting": planting.pk, "harvested_on": f"{YEAR}-09-02", "quantity_kg": "5"},
        format="json",
    )
    assert response.status_code == 400 and "planting" in response.json()
    grid = _client(farm, "gridworker")
    assert grid.get("/api/v1/production-plantings/").status_code == 200
    response = grid.post(
        "/api/v1/production-plantings/",
        {
            "org": farm.org.pk,
            "crop": "红高粱",
            "year": YEAR,
            "area_mu": "1",
            "land": "x",
            "started_on": f"{YEAR}-04-01",
        },
        format="json",
    )
    # A grid worker records the economy nowhere: refused before any lookup, as in every economy package.
    assert response.status_code == 403 and "权限" in response.json()["detail"]
