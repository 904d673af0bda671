"""The pages of 利益联结: a village's year with the formerly-poor summary and its export, a
household's year with its events and vouchers, the printable statement, the household page's link."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hongniudai.benefits import views
from tests import factories as f

from .conftest import YEAR, Year, build_year

pytestmark = pytest.mark.django_db


def test_the_village_page_shows_each_household_and_the_formerly_poor_summary(year: Year) -> None:
    client = year.town.client_for("xuqiao")
    response = client.get(reverse("benefits:village_year"), {"area": year.town.xuqiao.area.pk, "year": YEAR})
    body = response.content.decode()
    assert response.status_code == 200
    assert "今年流向脱贫户 26340.00 元,监测户 0.00 元" in body
    assert year.town.xuqiao.head.name in body
    assert "26340.00" in body
    export = client.get(
        reverse("benefits:village_year"), {"area": year.town.xuqiao.area.pk, "year": YEAR, "export": "xlsx"}
    )
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_hamlet_chosen_in_the_picker_shows_its_village(year: Year) -> None:
    client = year.town.client_for("xuqiao")
    response = client.get(reverse("benefits:village_year"), {"area": year.town.xuqiao.hamlet.pk, "year": YEAR})
    assert "今年流向脱贫户 26340.00 元" in response.content.decode()


def test_a_bad_year_is_not_found(year: Year) -> None:
    client = year.town.client_for("xuqiao")
    assert client.get(reverse("benefits:village_year"), {"year": "abc"}).status_code == 404
    url = reverse("benefits:household_year", args=[year.household.pk])
    assert client.get(url, {"year": "1800"}).status_code == 404


def test_the_household_page_links_events_and_vouchers_for_those_who_read_the_books(year: Year) -> None:
    url = reverse("benefits:household_year", args=[year.household.pk])
    body = year.town.client_for("xuqiao").get(url, {"year": YEAR}).content.decode()
    for event in ("rent", "wages", "payout", "returnee_wages"):
        assert year.events[event].get_absolute_url() in body
    for event in ("rent", "wages", "payout"):
        assert reverse("ledger:voucher_detail", args=[year.events[event].voucher_id]) in body
    assert "26340.00" in body
    # A grid worker reads the economy but not the books: voucher numbers without links.
    body = year.town.client_for("gridworker").get(url, {"year": YEAR}).content.decode()
    assert "26340.00" in body
    assert reverse("ledger:voucher_detail", args=[year.events["rent"].voucher_id]) not in body


def test_the_statement_is_printable_and_shows_no_id_number(year: Year) -> None:
    url = reverse("benefits:household_statement", args=[year.household.pk, YEAR])
    body = year.town.client_for("xuqiao").get(url).content.decode()
    assert "@media print" in body
    assert "navbar" not in body
    assert year.town.xuqiao.head.name in body
    assert "徐桥" in body
    assert "26340.00" in body
    assert "签字" in body
    assert year.town.xuqiao.head.id_masked not in body


def test_the_household_page_links_to_the_benefits(town: Any) -> None:
    build_year(town)
    url = reverse("places:household_detail", args=[town.xuqiao.household.pk])
    body = town.client_for("xuqiao").get(url).content.decode()
    this_year = dt.date.today().year
    assert reverse("benefits:household_year", args=[town.xuqiao.household.pk]) in body
    assert f"利益联结 {this_year}年" in body


def _grow(year: Year, n: int) -> None:
    """n more households of 徐桥村, each paid a dividend-free amount through a returnee business."""
    from hongniudai.returnees import services
    from hongniudai.returnees.models import Business

    actor = year.town.users["xuqiao"]
    business = Business.objects.get(name="徐桥鱼苗繁育场")
    for i in range(n):
        hh = f.household(year.town.xuqiao.hamlet, f"徐桥湾{20 + i}号", is_monitored=True)
        worker = f.resident(hh, f"工人{i}", relation="head", birth=dt.date(1980, 1, 1))
        job = services.employ_resident(actor=actor, business=business, resident=worker, started_on=dt.date(2021, 1, 1))
        services.record_wages(actor=actor, employment=job, year=YEAR, amount=Decimal("1000.00"))


@pytest.mark.parametrize("name", ["benefits:village_year", "api:benefit-village-detail"])
def test_the_village_s_year_reads_a_fixed_number_of_queries(year: Year, name: str) -> None:
    if name.startswith("api:"):
        from rest_framework.test import APIClient

        client: Any = APIClient()
        client.force_authenticate(year.town.users["xuqiao"])
        url = reverse(name, args=[year.town.xuqiao.area.pk])
    else:
        client = year.town.client_for("xuqiao")
        url = reverse(name)
    params = {"area": year.town.xuqiao.area.pk, "year": YEAR}
    client.get(url, params)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, params).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    _grow(year, 3)
    assert count() == before


@pytest.mark.parametrize("name", ["benefits:household_year", "places:household_detail"])
def test_the_household_s_pages_read_a_fixed_number_of_queries(year: Year, name: str) -> None:
    from hongniudai.production import services as production

    town = year.town
    client = town.client_for("xuqiao")
    url = reverse(name, args=[year.household.pk])
    params = {"year": YEAR} if name.startswith("benefits") else {}
    client.get(url, params)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, params).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    actor = town.users["xuqiao"]
    for day in (5, 6, 7):  # three more days of work, each paid
        worked_on = dt.date(dt.date.today().year if name.startswith("places") else YEAR, 5, day)
        production.record_work(
            actor=actor,
            org=year.collective,
            worker=town.xuqiao.head,
            worked_on=worked_on,
            days=Decimal("1"),
            daily_rate=Decimal("100.00"),
            task="施肥",
        )
        production.pay_wages(
            actor=actor, org=year.collective, worker=town.xuqiao.head, amount=Decimal("100.00"), paid_on=worked_on
        )
    assert count() == before


def test_the_village_page_lists_a_page_of_households_under_the_villages_totals(year: Year, monkeypatch: Any) -> None:
    """Hundreds of households are listed a page at a time; the totals are the whole village's."""
    monkeypatch.setattr(views, "PER_PAGE", 1)
    client = year.town.client_for("xuqiao")
    url = reverse("benefits:village_year")
    params = {"area": year.town.xuqiao.area.pk, "year": YEAR}
    alone = client.get(url, params).content.decode()
    _grow(year, 2)
    first = client.get(url, params).content.decode()
    assert "第 1/3 页" in first
    assert first.count("benefits/households/") == 1
    assert "今年流向脱贫户 26340.00 元" in first  # the formerly poor household's, whatever the page
    total = re.search(r"全村合计</td>(.*?)</tr>", first, re.S)
    assert total is not None and total.group(1) != re.search(r"全村合计</td>(.*?)</tr>", alone, re.S).group(1)  # type: ignore[union-attr]
    pages = [client.get(url, {**params, "page": n}).content.decode() for n in (1, 2, 3)]
    assert len({re.search(r"benefits/households/(\d+)/", p).group(1) for p in pages}) == 3  # type: ignore[union-attr]
