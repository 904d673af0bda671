"""The land lists run the same number of queries for few records as for many."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hongniudai.land import rent, services
from hongniudai.land.models import RentInstalment

from .conftest import YEAR, LandTown, contract, parcel

pytestmark = pytest.mark.django_db

PAGES = ["land:parcel_list", "land:contract_list", "land:internal_accounts"]


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _add(lt: LandTown, i: int) -> None:
    p = parcel(lt.xq, lt.households[i % 3], f"加{i}号田", "2")
    c = contract(lt, enterprise=bool(i % 2), areas=(), number=f"XQ-{i}")
    services.add_parcel(actor=lt.xq, contract=c, parcel=p, area=Decimal("1"))
    if i % 2:
        rent.receive_rent(actor=lt.xq, contract=c, received_on=dt.date(YEAR, 2, 1), amount=Decimal("800"))
    else:
        first = RentInstalment.objects.filter(contract=c).first()
        assert first is not None
        rent.pay_instalment(actor=lt.xq, instalment=first, paid_on=dt.date(YEAR, 3, 1))


def test_land_lists_cost_the_same_for_few_and_many_rows(lt: LandTown) -> None:
    client = lt.town.client_for("xuqiao")
    _add(lt, 0)
    _add(lt, 1)
    few = {name: _queries(client, reverse(name)) for name in PAGES}
    for i in range(2, 12):
        _add(lt, i)
    many = {name: _queries(client, reverse(name)) for name in PAGES}
    assert client.get(reverse("land:contract_list")).content.decode().count("XQ-") >= 12
    assert many == few


def test_a_contract_page_costs_the_same_for_few_and_many_instalments(lt: LandTown) -> None:
    client = lt.town.client_for("xuqiao")
    short = contract(lt, ends_on=dt.date(YEAR, 12, 31), number="短")
    long = contract(lt, starts_on=dt.date(YEAR + 3, 1, 1), ends_on=dt.date(YEAR + 12, 12, 31), number="长")
    assert _queries(client, short.get_absolute_url()) == _queries(client, long.get_absolute_url())


API_LISTS = ["parcels", "contracts", "instalments", "payments"]


def test_land_api_lists_cost_the_same_for_few_and_many_rows(lt: LandTown, api_for) -> None:  # type: ignore[no-untyped-def]
    api = api_for("xuqiao")

    def count(name: str) -> int:
        url = f"/api/v1/land/{name}/"
        api.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(url).status_code == 200
        return len(ctx.captured_queries)

    _add(lt, 0)
    _add(lt, 1)
    few = {name: count(name) for name in API_LISTS}
    for i in range(2, 10):
        _add(lt, i)
    assert {name: count(name) for name in API_LISTS} == few
