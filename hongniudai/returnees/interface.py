"""What the other domains (the household's benefit, phase 2) may use of the returnee programme:
the records, and per household and year the wages paid by returnee businesses with the
employments behind them."""

from __future__ import annotations

from django.db.models import QuerySet

from hongniudai.places.models import AreaNode

from .models import Business, BusinessKind, Employment, Returnee, Support, WageRecord
from .selectors import HouseholdWages, returnee_wages_of_households, returnee_wages_to_households


def returnee_wages_in_village(village: AreaNode, year: int | None) -> QuerySet[WageRecord]:
    """The wages of `year` (None: every year, `year`) paid by the returnee businesses of `village`
    (`employment__household_id`), not evaluated (a caller sums `amount` per household). Not scoped."""
    paid = WageRecord.objects.filter(employment__business__village=village)
    return paid if year is None else paid.filter(year=year)


def returnee_wages_of_household(household_id: int, year: int) -> QuerySet[WageRecord]:
    """The wages returnee businesses paid one household for `year`, whatever village the business
    lies in, not evaluated (a caller sums their `amount` inside a larger query). Not scoped."""
    return WageRecord.objects.filter(year=year, employment__household_id=household_id)


__all__ = [
    "Business",
    "BusinessKind",
    "Employment",
    "HouseholdWages",
    "Returnee",
    "Support",
    "WageRecord",
    "returnee_wages_in_village",
    "returnee_wages_of_household",
    "returnee_wages_of_households",
    "returnee_wages_to_households",
]
