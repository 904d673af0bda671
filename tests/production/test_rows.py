"""The production lists show each row's cells (rendered from values by the rows' Jinja templates):
the name linking to the detail, the organisation, days and wages, weights in 斤, the price's unit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from hongniudai.production import services

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def test_the_plantings_list_shows_each_ones_cells(farm):
    planting = farm.planting()
    services.record_work(
        actor=farm.secretary,
        org=farm.org,
        worker=farm.worker,
        worked_on=dt.date(YEAR, 5, 6),
        worked_until=dt.date(YEAR, 5, 8),
        days=Decimal("2.5"),
        daily_rate=Decimal("120"),
        task="间苗除草",
        planting=planting,
    )
    services.record_harvest(
        actor=farm.secretary, planting=planting, harvested_on=dt.date(YEAR, 9, 20), quantity_kg=Decimal("1500")
    )
    body = farm.town.client_for("xuqiao").get(reverse("production:planting_list")).content.decode()
    url = reverse("production:planting_detail", args=[planting.pk])
    assert f'<a href="{url}">{YEAR}年红高粱</a> <span class="small text-muted">徐桥村5组、6组连片</span>' in body
    assert "<td>徐桥村股份经济合作社</td>" in body and "<td>鄂州种业有限公司</td>" in body
    assert '<td class="text-end">300.00</td>' in body  # the area, and the wages to the fen
    assert '<td class="text-end">2.5</td>' in body and '<td class="text-end">3000</td>' in body  # days, 斤


def test_the_contracts_list_shows_each_ones_cells(farm):
    contract = farm.contract()
    services.record_delivery(
        actor=farm.secretary, contract=contract, delivered_on=dt.date(YEAR, 9, 25), quantity_kg=Decimal("30000")
    )
    body = farm.town.client_for("xuqiao").get(reverse("production:contract_list")).content.decode()
    url = reverse("production:contract_detail", args=[contract.pk])
    assert f'<a href="{url}">红高粱 · 徐桥酒业有限公司</a>' in body
    assert f'<span class="small text-muted">{YEAR}-03-01 · 1.30元/斤</span>' in body
    assert '<td class="text-end">200000</td>' in body and '<td class="text-end">60000</td>' in body
    assert '<td class="text-end">140000</td>' in body and '<td class="text-end">78000.00</td>' in body
