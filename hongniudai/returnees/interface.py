"""What the other domains (the household's benefit, phase 2) may use of the returnee programme:
the records, and per household and year the wages paid by returnee businesses with the
employments behind them."""

from __future__ import annotations

from .models import Business, BusinessKind, Employment, Returnee, Support, WageRecord
from .selectors import HouseholdWages, returnee_wages_of_households, returnee_wages_to_households

__all__ = [
    "Business",
    "BusinessKind",
    "Employment",
    "HouseholdWages",
    "Returnee",
    "Support",
    "WageRecord",
    "returnee_wages_of_households",
    "returnee_wages_to_households",
]
