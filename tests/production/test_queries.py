"""The production lists (pages and API) run the same number of queries for few rows as for many."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from hongniudai.production import services
from hongniudai.production.models import OutputUnit
from tests import factories as f

from .conftest import YEAR

pytestmark = pytest.mark.django_db

PAGES = [
    "production:planting_list",
    "production:work_list",
    "production:wages",
    "production:contract_list",
    "production:processing_list",
    "production:sale_list",
]
API = [
    "/api/v1/production-plantings/",
    "/api/v1/production-work/",
    "/api/v1/production-wage-payments/",
    "/api/v1/production-wages-due/",
    "/api/v1/production-contracts/",
    "/api/v1/production-deliveries/",
    "/api/v1/production-harvests/",
    "/api/v1/production-receipts/",
    "/api/v1/production-processing/",
    "/api/v1/production-sales/",
]


def _queries(client, url: str) -> int:
    client.get(url)  # warm caches that are not per row (session, content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _add(farm, i: int) -> None:
    actor = farm.secretary
    planting = farm.planting(crop=f"高粱{i}")
    worker = f.resident(farm.town.xuqiao.household, f"村民{i}", birth=dt.date(1970, 1, 1 + i))
    services.record_work(
        actor=actor,
        org=farm.org,
        planting=planting,
        worker=worker,
        worked_on=dt.date(YEAR, 5, 1 + i),
        days=Decimal("1"),
        daily_rate=Decimal("120"),
        task="除草",
    )
    services.pay_wages(actor=actor, org=farm.org, worker=worker, amount=Decimal(60), paid_on=dt.date(YEAR, 6, 1 + i))
    services.record_harvest(actor=actor, planting=planting, harvested_on=dt.date(YEAR, 9, 1), quantity_kg=Decimal(5))
    contract = farm.contract(schedule=[])
    delivery = services.record_delivery(
        actor=actor, contract=contract, delivered_on=dt.date(YEAR, 9, 2), quantity_kg=Decimal(10)
    )
    services.record_receipt(actor=actor, delivery=delivery, received_on=dt.date(YEAR, 9, 3), amount=Decimal(1))
    services.record_processing(
        actor=actor,
        org=farm.org,
        input_crop="红高粱",
        input_kg=Decimal(10),
        product="高粱酒",
        output_quantity=Decimal(10),
        product_unit=OutputUnit.JIN,
        processed_on=dt.date(YEAR, 11, 1),
    )
    services.record_sale(
        actor=actor,
        org=farm.org,
        product="高粱酒",
        quantity=Decimal(1),
        product_unit=OutputUnit.BOTTLE,
        unit_price=Decimal(50),
        sold_on=dt.date(YEAR, 12, 1),
        buyer_name="县城超市",
    )


def _all(farm) -> dict[str, int]:
    page_client = farm.town.client_for("xuqiao")
    api_client = APIClient()
    api_client.force_authenticate(farm.town.users["xuqiao"])
    counts = {name: _queries(page_client, reverse(name)) for name in PAGES}
    counts.update({url: _queries(api_client, url) for url in API})
    counts["income"] = _queries(page_client, reverse("production:income") + f"?year={YEAR}")
    return counts


def test_production_lists_cost_the_same_for_few_and_many_rows(farm):
    _add(farm, 0)
    few = _all(farm)
    for i in range(1, 12):
        _add(farm, i)
    many = _all(farm)
    assert farm.town.client_for("xuqiao").get(reverse("production:work_list")).content.decode().count("除草") >= 12
    assert many == few
