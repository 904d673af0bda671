"""What the other domains of the collective economy (production, the household's benefit) may use
of `land`: parcels and transfer contracts, and the rent paid to each household in a year with its
vouchers."""

from __future__ import annotations

from .models import Parcel, TransferContract
from .selectors import PaidRow, rent_paid_to_households

__all__ = ["PaidRow", "Parcel", "TransferContract", "rent_paid_to_households"]
