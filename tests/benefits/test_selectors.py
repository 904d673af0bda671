"""A household's year, built through the economy packages' services: each amount, each total, and
the ledger-backed amounts equal to its vouchers' debits on the household's sub-accounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hongniudai.benefits import selectors
from hongniudai.collective.models import HouseholdAccount
from hongniudai.enterprises.interface import Enterprise
from hongniudai.land import rent
from hongniudai.land import services as land
from hongniudai.ledger.models import VoucherLine
from hongniudai.places.models import AreaKind, AreaNode, Household

from .conftest import DIVIDEND, RENT, RETURNEE_WAGES, WAGES, YEAR, Year

pytestmark = pytest.mark.django_db


def test_a_household_s_year_lists_every_amount_by_source(year: Year) -> None:
    user = year.town.users["xuqiao"]
    report = selectors.household_year(user, year.household, YEAR)
    assert [(r.source, r.amount) for r in report.rows] == [
        ("rent", RENT),
        ("wages", WAGES),
        ("dividends", DIVIDEND),
        ("returnee_wages", RETURNEE_WAGES),
    ]
    rent, wages, dividend, returnee = report.rows
    assert rent.event == year.events["rent"] and rent.voucher_id == year.events["rent"].voucher_id
    assert wages.event == year.events["wages"] and wages.voucher_id == year.events["wages"].voucher_id
    assert dividend.event == year.events["payout"] and dividend.voucher_id == year.events["payout"].voucher_id
    assert returnee.voucher_id is None and returnee.event == year.events["returnee_wages"]
    assert all(r.voucher_number for r in (rent, wages, dividend))
    assert report.totals.as_dict() == {
        "rent": RENT,
        "wages": WAGES,
        "dividends": DIVIDEND,
        "returnee_wages": RETURNEE_WAGES,
        "total": RENT + WAGES + DIVIDEND + RETURNEE_WAGES,
    }
    assert report.can_read_books
    # Another year holds nothing.
    assert selectors.household_year(user, year.household, YEAR - 2).rows == []


def test_the_ledger_backed_amounts_equal_the_vouchers_debits_on_the_household_s_accounts(year: Year) -> None:
    report = selectors.household_year(year.town.users["xuqiao"], year.household, YEAR)
    ledger_backed = report.totals.rent + report.totals.wages + report.totals.dividends
    accounts = HouseholdAccount.objects.filter(household=year.household).values_list("account_id", flat=True)
    vouchers = [r.voucher_id for r in report.rows if r.voucher_id]
    lines = VoucherLine.objects.filter(voucher__in=vouchers, account__in=list(accounts))
    debits = [line for line in lines if line.debit_fen]
    assert {line.account.code[:3] for line in debits} == {"113", "213"}
    assert Decimal(sum(line.debit_fen for line in debits)) / 100 == ledger_backed


def test_a_village_s_year_totals_each_household_and_the_formerly_poor(year: Year) -> None:
    report = selectors.village_year(year.town.users["xuqiao"], year.town.xuqiao.area, YEAR)
    by_household = {r.household.pk: r.totals for r in report.rows()}
    mine = by_household[year.household.pk]
    assert mine.total == RENT + WAGES + DIVIDEND + RETURNEE_WAGES
    # The three other shareholders were not paid yet; only the household received anything.
    assert list(by_household) == [year.household.pk]
    assert report.formerly_poor == mine.total
    assert report.monitored == Decimal("0.00")
    assert report.totals.total == mine.total
    assert [org.pk for org, _sources in report.income] == [year.collective.pk, year.coop.pk]


def test_out_of_scope_is_not_found(year: Year) -> None:
    other: Any = year.town.users["fashuihe"]
    with pytest.raises(Http404):
        selectors.household_year(other, year.household, YEAR)
    with pytest.raises(Http404):
        selectors.village_year(other, year.town.xuqiao.area, YEAR)


def test_the_household_page_s_total_reads_one_query(year: Year) -> None:
    household = Household.objects.select_related("hamlet").get(pk=year.household.pk)
    with CaptureQueriesContext(connection) as ctx:
        total = selectors.household_year_total(year.town.users["xuqiao"], household, YEAR)
    assert total == RENT + WAGES + DIVIDEND + RETURNEE_WAGES
    assert len(ctx.captured_queries) == 1
    # Another year, another village's user: nothing.
    assert selectors.household_year_total(year.town.users["xuqiao"], household, YEAR - 2) == Decimal("0.00")
    assert selectors.household_year_total(year.town.users["fashuihe"], household, YEAR) == Decimal("0.00")


def test_the_rent_the_collective_kept_is_in_the_village_s_income(year: Year) -> None:
    """An enterprise leases 5 mu the collective holds itself at 600 a mu and pays 3,000.00: the
    village's year shows it as the collective's land rent, with its voucher."""
    actor = year.town.users["xuqiao"]
    enterprise = Enterprise.objects.create(
        name="徐桥米业有限公司", uscc="91420704MA4XQ0001A", industry="agri_processing", area=year.town.xuqiao.area
    )
    contract = land.create_contract(
        actor=actor,
        village=year.town.xuqiao.area,
        org=year.collective,
        enterprise=enterprise,
        collective_area=Decimal("5"),
        starts_on=dt.date(YEAR, 1, 1),
        ends_on=dt.date(YEAR + 4, 12, 31),
        rent_per_mu=Decimal("600.00"),
        signed_on=dt.date(YEAR - 1, 12, 1),
    )
    receipt = rent.receive_rent(actor=actor, contract=contract, received_on=dt.date(YEAR, 6, 1), amount=Decimal("3000"))
    report = selectors.village_year(actor, year.town.xuqiao.area, YEAR)
    sources = dict(report.income)[year.collective]
    kept = [s for s in sources if s.kind == "rent"]
    assert [(s.amount, s.voucher_ids) for s in kept] == [(Decimal("3000.00"), [receipt.voucher_id])]
    assert report.income_total == sum((s.amount for s in sources), Decimal("0.00"))
    body = year.town.client_for("xuqiao").get(
        reverse("benefits:village_year"), {"area": year.town.xuqiao.area.pk, "year": YEAR}
    )
    assert "集体土地租金" in body.content.decode()
    assert "3000.00" in body.content.decode()


def test_the_village_a_page_shows_is_found_in_one_query(year: Year, django_assert_num_queries: Any) -> None:
    """The village an area lies in, or else the first below it: one query either way."""
    town = year.town
    admin = town.users["admin"]
    selectors.village_at(admin, None)  # the scope, read once
    villages = AreaNode.objects.filter(kind=AreaKind.VILLAGE, path__startswith=town.town.path).order_by("path")
    first = villages.first()
    assert first is not None and villages.count() > 1
    for area, village in ((None, first), (town.town, first), (town.xuqiao.hamlet, town.xuqiao.area)):
        with django_assert_num_queries(1):
            assert selectors.village_at(admin, area) == village
    with django_assert_num_queries(1):
        assert selectors.village_at(admin, town.xuqiao.area) == town.xuqiao.area
