"""What the other domains of the collective economy (production, the household's benefit) may use
of `land`: parcels and transfer contracts, and the rent paid to each household in a year with its
vouchers."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from hongniudai.places.models import AreaNode

from .models import Parcel, PaymentKind, RentPayment, TransferContract
from .selectors import KeptRow, PaidRow, rent_kept_by_collective, rent_paid_to_households


def rent_paid_to_household(household_id: int, year: int, village_paths: Iterable[str]) -> QuerySet[RentPayment]:
    """The rent paid to one household in `year` by contracts of the villages at `village_paths`, not
    evaluated (a caller sums its `amount` inside a larger query). Not scoped."""
    return RentPayment.objects.filter(
        household_id=household_id,
        kind=PaymentKind.PAID,
        paid_on__year=year,
        contract__area_path__in=list(village_paths),
    )


def rent_paid_in_village(village: AreaNode, year: int | None) -> QuerySet[RentPayment]:
    """The rent paid to households (`household_id`) in `year` (None: every year, `paid_on__year`)
    under the contracts of `village`, not evaluated (a caller sums `amount` per household in one
    grouped query). Not scoped."""
    paid = RentPayment.objects.filter(contract__village=village, kind=PaymentKind.PAID, household__isnull=False)
    return paid if year is None else paid.filter(paid_on__year=year)


__all__ = [
    "KeptRow",
    "PaidRow",
    "Parcel",
    "TransferContract",
    "rent_kept_by_collective",
    "rent_paid_in_village",
    "rent_paid_to_household",
    "rent_paid_to_households",
]
