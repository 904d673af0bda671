"""What the other domains of the collective economy (the household's benefit, distribution) may use
of `production`: the wages paid to households, with their vouchers, and an organisation's income
from production by source."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from hongniudai.collective.interface import EconomicOrg
from hongniudai.places.models import AreaNode

from .models import WagePayment
from .selectors import IncomeSource, org_income_by_source, orgs_income_by_source


@dataclass(frozen=True)
class PaidToHousehold:
    """One payment to a household: how much, its voucher, the payment itself."""

    household_id: int
    amount: Decimal
    voucher_id: int | None
    event: WagePayment


@dataclass(frozen=True)
class HouseholdWages:
    """What a household was paid in wages in a year, with the vouchers of the payments."""

    household_id: int
    amount: Decimal
    voucher_ids: tuple[int, ...]


def paid_to_households(village: AreaNode, year: int) -> list[PaidToHousehold]:
    """Every wage payment of `year` by the organisations of `village`, one row per payment (the
    household, the amount, its voucher and the payment itself; a payment whose voucher was reversed
    in red is left out). No scope: the caller checks it."""
    payments = (
        WagePayment.objects.filter(area_path=village.path, paid_on__year=year, voucher__reversed_by__isnull=True)
        .select_related("worker", "voucher")
        .order_by("household_id", "paid_on", "id")
    )
    return [PaidToHousehold(p.household_id, p.amount, p.voucher_id, p) for p in payments]


def wages_paid_to_household(household_id: int, year: int, village_paths: Iterable[str]) -> QuerySet[WagePayment]:
    """The wage payments of `year` to one household by the organisations of the villages at
    `village_paths` (a payment reversed in red left out), not evaluated (a caller sums its `amount`
    inside a larger query). Not scoped."""
    return WagePayment.objects.filter(
        household_id=household_id,
        paid_on__year=year,
        area_path__in=list(village_paths),
        voucher__reversed_by__isnull=True,
    )


def wages_paid_in_village(village: AreaNode, year: int | None) -> QuerySet[WagePayment]:
    """The wage payments (`household_id`) of `year` (None: every year, `paid_on__year`) by the
    organisations of `village` (a payment reversed in red left out), not evaluated (a caller sums
    `amount` per household). Not scoped."""
    paid = WagePayment.objects.filter(area_path=village.path, voucher__reversed_by__isnull=True)
    return paid if year is None else paid.filter(paid_on__year=year)


def wages_paid_with_voucher(voucher_id: int) -> list[tuple[str, int]]:
    """The village path and year of the wage payments a voucher records (none for another voucher):
    what a red reversal of the voucher takes out of `wages_paid_in_village`."""
    paid = WagePayment.objects.filter(voucher_id=voucher_id).order_by()
    return [(path, day.year) for path, day in paid.values_list("area_path", "paid_on")]


def wages_paid_to_households(village: AreaNode, year: int) -> list[HouseholdWages]:
    """Per household of `village`: the wages paid to it in `year` and the payments' vouchers."""
    totals: dict[int, tuple[Decimal, list[int]]] = {}
    for row in paid_to_households(village, year):
        amount, vouchers = totals.get(row.household_id, (Decimal("0.00"), []))
        totals[row.household_id] = (amount + row.amount, [*vouchers, *([row.voucher_id] if row.voucher_id else [])])
    return [HouseholdWages(pk, amount, tuple(vouchers)) for pk, (amount, vouchers) in totals.items()]


def income_by_source(org: EconomicOrg, year: int) -> list[IncomeSource]:
    """`org`'s income from production in `year`, by source, from its vouchers' amounts."""
    return org_income_by_source(org, year)


def incomes_by_source(org_ids: Iterable[int], year: int) -> dict[int, list[IncomeSource]]:
    """`income_by_source` of each organisation of `org_ids` (by id), in three queries whatever their number."""
    return orgs_income_by_source(org_ids, year)


__all__ = [
    "HouseholdWages",
    "IncomeSource",
    "PaidToHousehold",
    "income_by_source",
    "incomes_by_source",
    "paid_to_households",
    "wages_paid_in_village",
    "wages_paid_with_voucher",
    "wages_paid_to_household",
    "wages_paid_to_households",
]
