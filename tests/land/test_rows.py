"""The land lists show each row's cells (rendered from values by the rows' Jinja templates): the
name linking to the detail, the household or the party taking the land, the labels of the choices,
the areas and the dates."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from hongniudai.land.models import LandGrade

from .conftest import LandTown, contract, parcel

pytestmark = pytest.mark.django_db


def test_the_parcels_list_shows_each_ones_cells(lt: LandTown) -> None:
    measured = parcel(lt.xq, lt.households[1], "9号田", "3", measured_area=Decimal("2.75"), grade=LandGrade.SECOND)
    contract(lt, areas=("1.5",))
    body = lt.town.client_for("xuqiao").get(reverse("land:parcel_list")).content.decode()
    assert f'<a href="{reverse("land:parcel_detail", args=[measured.pk])}">9号田</a>' in body
    assert "<td>黄建国</td>" in body  # the household by its head
    assert '<td class="d-none d-sm-table-cell">耕地 · 二等</td>' in body
    assert '<td class="text-end">2.75</td>' in body  # the measured area, not the registered one
    assert '<td class="text-end">1.5' in body and '<td class="text-end">0</td>' in body  # transferred (SQLite: 1.5)


def test_the_contracts_list_shows_each_ones_cells(lt: LandTown) -> None:
    by_enterprise = contract(lt, enterprise=True, areas=("1", "2"))
    unnumbered = contract(lt, number="", areas=("0.5",))
    body = lt.town.client_for("xuqiao").get(reverse("land:contract_list")).content.decode()
    url = reverse("land:contract_detail", args=[by_enterprise.pk])
    assert f'<a href="{url}">XQ-2025-01</a> <span class="small text-muted">出租</span>' in body
    assert "<td>徐桥米业有限公司</td>" in body and "<td>徐桥村稻虾种养专业合作社</td>" in body
    assert f">流转合同{unnumbered.pk}</a>" in body
    assert "2025-01-01 — 2027-12-31" in body and '<td class="text-end">3' in body
    assert '<td class="text-end d-none d-sm-table-cell">800.00</td>' in body and "<td>履行中</td>" in body
