"""The rollup of 利益联结 (`ReceivedYear`): a village's year read from it is the one summed from
every payment (the computation it replaced, kept here), each service that pays a household keeps
it equal to a rebuild, and the page reads a fixed number of queries however many households."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.models import Sum
from django.urls import reverse

from hongniudai.accounts.scope import Capability, scope_for
from hongniudai.benefits import rollups, selectors
from hongniudai.benefits.models import ReceivedYear
from hongniudai.common import rollups as common_rollups
from hongniudai.distribution.interface import dividends_paid_in_village
from hongniudai.land.interface import rent_paid_in_village
from hongniudai.ledger import services as ledger
from hongniudai.places.models import AreaNode, Household
from hongniudai.production import services as production
from hongniudai.production.interface import wages_paid_in_village
from hongniudai.returnees import services as returnees
from hongniudai.returnees.interface import returnee_wages_in_village
from hongniudai.returnees.models import Business
from tests import factories as f

from .conftest import YEAR, Year

pytestmark = pytest.mark.django_db

SOURCES = (
    ("rent", rent_paid_in_village, "household_id"),
    ("wages", wages_paid_in_village, "household_id"),
    ("dividends", dividends_paid_in_village, "dividend__household_id"),
    ("returnee_wages", returnee_wages_in_village, "employment__household_id"),
)


def old_village_year(user: Any, village: AreaNode, year: int) -> dict[str, Any]:
    """The village's year as the page summed it before the rollup: every source's payments grouped
    per household, the households in the user's scope in the page's order, their totals."""
    by_household: dict[int, dict[str, Decimal]] = {}
    for source, payments, household in SOURCES:
        sums = payments(village, year).order_by().values_list(household).annotate(total=Sum("amount"))
        for household_id, total in sums.values_list(household, "total"):
            if household_id is not None:
                by_household.setdefault(household_id, dict.fromkeys((s for s, _p, _h in SOURCES), Decimal(0)))
                by_household[household_id][source] += total
    households = scope_for(user, Capability.ECONOMY_VIEW).filter(Household.objects.filter(pk__in=list(by_household)))
    rows = []
    totals = dict.fromkeys((s for s, _p, _h in SOURCES), Decimal(0))
    poor = monitored = Decimal(0)
    for h in households.order_by("hamlet__name", "number", "id"):
        received = by_household[h.pk]
        total = sum(received.values(), Decimal(0))
        rows.append((h.pk, *received.values(), total))
        for key, amount in received.items():
            totals[key] += amount
        poor += total if h.is_formerly_poor else 0
        monitored += total if h.is_monitored else 0
    return {"rows": rows, "totals": totals, "poor": poor, "monitored": monitored, "count": len(rows)}


def new_village_year(user: Any, village: AreaNode, year: int) -> dict[str, Any]:
    report = selectors.village_year(user, village, year)
    rows = [
        (r.household.pk, r.totals.rent, r.totals.wages, r.totals.dividends, r.totals.returnee_wages, r.totals.total)
        for r in report.rows()
    ]
    totals = {key: getattr(report.totals, key) for key, _p, _h in SOURCES}
    return {
        "rows": rows,
        "totals": totals,
        "poor": report.formerly_poor,
        "monitored": report.monitored,
        "count": report.count,
    }


def kept() -> list[tuple[Any, ...]]:
    fields = ("village_id", "household_id", "year", "rent", "wages", "dividends", "returnee_wages", "total")
    return list(ReceivedYear.objects.order_by("village_id", "household_id", "year").values_list(*fields))


def assert_kept_true() -> None:
    """The rows the services kept are the rows a rebuild writes."""
    before = kept()
    rollups.rebuild()
    assert kept() == before


def grow(year: Year, n: int) -> list[Household]:
    """n more households of 徐桥村 (in the hamlets of two grids), each with wages from the returnee
    business, every other one monitored, every third formerly poor."""
    actor = year.town.users["xuqiao"]
    business = Business.objects.get(name="徐桥鱼苗繁育场")
    hamlets = [year.town.xuqiao.hamlet, *AreaNode.objects.filter(path__startswith=year.town.xuqiao.area.path)]
    hamlets = [h for h in hamlets if h.kind == "hamlet"]
    made = []
    for i in range(n):
        hh = f.household(hamlets[i % len(hamlets)], f"新户{i}号", is_monitored=i % 2 == 0, is_formerly_poor=i % 3 == 0)
        worker = f.resident(hh, f"工人{i}", relation="head", birth=dt.date(1980, 1, 1))
        job = returnees.employ_resident(actor=actor, business=business, resident=worker, started_on=dt.date(2021, 1, 1))
        returnees.record_wages(actor=actor, employment=job, year=YEAR, amount=Decimal("1000.00") + i)
        made.append(hh)
    return made


@pytest.mark.parametrize("who", ["xuqiao", "admin", "gridworker"])
def test_the_village_s_year_is_the_one_summed_from_every_payment(year: Year, who: str) -> None:
    grow(year, 7)
    user = year.town.users[who]
    village = year.town.xuqiao.area
    for in_year in (YEAR, YEAR - 1):
        old = old_village_year(user, village, in_year)
        assert new_village_year(user, village, in_year) == old
    assert old_village_year(user, village, YEAR)["count"] > 0


def test_each_service_that_pays_a_household_keeps_the_rollup_true(year: Year) -> None:
    """The year's rent, wages, dividend and returnee wages were paid through the services."""
    village = year.town.xuqiao.area
    rows = {(r[1], r[2]): r[3:] for r in kept() if r[0] == village.pk}
    amounts = (Decimal("1600.00"), Decimal("240.00"), Decimal("12500.00"), Decimal("12000.00"), Decimal("26340.00"))
    assert rows == {(year.household.pk, YEAR): amounts}
    assert_kept_true()
    # A year's wages corrected, and more wages paid.
    actor = year.town.users["xuqiao"]
    returnees.record_wages(
        actor=actor, employment=year.events["returnee_wages"].employment, year=YEAR, amount=Decimal("9000.00")
    )
    assert_kept_true()
    production.record_work(
        actor=actor,
        org=year.collective,
        worker=year.town.xuqiao.head,
        worked_on=dt.date(YEAR, 5, 1),
        days=Decimal("1"),
        daily_rate=Decimal("100.00"),
        task="施肥",
    )
    payment = production.pay_wages(
        actor=actor,
        org=year.collective,
        worker=year.town.xuqiao.head,
        amount=Decimal("100"),
        paid_on=dt.date(YEAR, 5, 2),
    )
    assert_kept_true()
    assert ReceivedYear.objects.get(household=year.household, year=YEAR).wages == Decimal("340.00")
    # The payment's voucher reversed in red: the payment no longer counts.
    assert payment.voucher is not None
    ledger.reverse_voucher(actor=year.town.users["admin"], voucher=payment.voucher)
    assert ReceivedYear.objects.get(household=year.household, year=YEAR).wages == Decimal("240.00")
    assert_kept_true()
    grow(year, 2)
    assert_kept_true()
    assert new_village_year(actor, village, YEAR) == old_village_year(actor, village, YEAR)


def test_bulk_writes_inside_deferred_are_caught_up_by_the_rebuild(year: Year) -> None:
    with common_rollups.deferred():
        ReceivedYear.objects.all().delete()
        grow(year, 2)
        assert not ReceivedYear.objects.exists()  # the services skipped their refreshes
    assert_kept_true()
    assert ReceivedYear.objects.filter(year=YEAR).count() == 3


@contextmanager
def counting() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield statements


@pytest.mark.parametrize("who", ["xuqiao", "admin", "gridworker"])
def test_the_village_page_reads_as_many_queries_for_many_households(year: Year, who: str) -> None:
    client = year.town.client_for(who)
    url = reverse("benefits:village_year")
    params = {"year": YEAR} if who != "xuqiao" else {"area": year.town.xuqiao.area.pk, "year": YEAR}
    client.get(url, params)
    with counting() as few:
        assert client.get(url, params).status_code == 200
    grow(year, 60)
    with counting() as many:
        body = client.get(url, params).content.decode()
    assert len(many) == len(few)
    assert len(few) <= 15
    payments = ("production_wagepayment", "distribution_payout", "returnees_wagerecord")
    assert not [q for q in many if any(table in q for table in payments)]  # the rollup, not the payments
    assert "全村合计" in body


@pytest.mark.parametrize("who", ["xuqiao", "admin", "gridworker"])
def test_the_page_shows_the_households_and_amounts_of_the_old_computation(year: Year, who: str) -> None:
    grow(year, 7)
    client = year.town.client_for(who)
    params = {"year": YEAR} if who != "xuqiao" else {"area": year.town.xuqiao.area.pk, "year": YEAR}
    body = client.get(reverse("benefits:village_year"), params).content.decode()
    old = old_village_year(year.town.users[who], year.town.xuqiao.area, YEAR)
    shown = [
        (int(pk), *(Decimal(x) for x in re.findall(r'<td class="text-end[^"]*">([\d.]+)</td>', cells)))
        for pk, cells in re.findall(r"benefits/households/(\d+)/\?year=\d+\"(.*?)</tr>", body, re.S)
    ]
    assert shown == old["rows"]
    assert len(shown) == old["count"] > 0
    footer = re.search(r"全村合计</td>(.*?)</tr>", body, re.S)
    assert footer is not None
    totals = [Decimal(x) for x in re.findall(r">([\d.]+)</td>", footer.group(1))]
    assert totals == [*old["totals"].values(), sum(old["totals"].values(), Decimal(0))]
    assert f"今年流向脱贫户 {old['poor']:.2f} 元,监测户 {old['monitored']:.2f} 元" in body


def test_the_command_rebuilds_the_rollup(year: Year) -> None:
    from io import StringIO

    from django.core.management import call_command

    before = kept()
    ReceivedYear.objects.all().delete()
    out = StringIO()
    call_command("rebuild_rollups", "benefits_received", stdout=out)
    assert kept() == before
    assert "benefits_received" in out.getvalue()
