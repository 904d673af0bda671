"""What the other domains (the household's benefit page, phase 2) may use of `distribution`: the
dividends paid to households in a year, each with its amount, its voucher and the payout."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from hongniudai.places.models import AreaNode

from .models import Payout
from .selectors import PaidRow, paid_to_households


def dividends_paid_to_households(village: AreaNode | int, year: int) -> list[PaidRow]:
    """The dividends the organisations of a village (a node or its id) paid to households in `year`
    (by the day paid), one row per payout: household_id, amount, voucher_id, paid_on, plan_year and
    the payout itself (`event`, whose page is the plan's)."""
    village_id = village if isinstance(village, int) else village.pk
    return paid_to_households(village_id=village_id, year=year)


def dividends_paid_in_village(village: AreaNode, year: int | None) -> QuerySet[Payout]:
    """The dividends paid to households (`dividend__household_id`) in `year` (None: every year,
    `paid_on__year`) by the organisations of `village`, not evaluated (a caller sums `amount` per
    household). Not scoped."""
    paid = Payout.objects.filter(dividend__household__isnull=False, dividend__plan__org__village_id=village.pk)
    return paid if year is None else paid.filter(paid_on__year=year)


def dividends_paid_to_household(household_id: int, year: int, village_paths: Iterable[str]) -> QuerySet[Payout]:
    """The dividends paid to one household in `year` by the organisations of the villages at
    `village_paths`, not evaluated (a caller sums their `amount` inside a larger query). Not scoped."""
    return Payout.objects.filter(
        dividend__household_id=household_id, paid_on__year=year, dividend__plan__area_path__in=list(village_paths)
    )


__all__ = [
    "PaidRow",
    "dividends_paid_in_village",
    "dividends_paid_to_household",
    "dividends_paid_to_households",
    "paid_to_households",
]
