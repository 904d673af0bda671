"""Helpers for the county generator's economy tests."""

from __future__ import annotations

from hongniudai.collective.models import EconomicOrg, HouseholdAccount
from hongniudai.distribution.models import DistributionPlan, Dividend, Payout
from hongniudai.land.models import RentInstalment, RentPayment, TransferContract
from hongniudai.ledger.models import Books


def strip_economy(books: Books) -> None:
    """Take a collective's economy off its books (what names its vouchers or accounts), as if the
    village had been generated before the books: the organisation stays, without books."""
    Payout.objects.filter(voucher__books=books).delete()
    Dividend.objects.filter(plan__org__books=books).delete()
    DistributionPlan.objects.filter(org__books=books).delete()
    RentPayment.objects.filter(contract__org__books=books).delete()
    RentInstalment.objects.filter(contract__org__books=books).delete()
    TransferContract.objects.filter(org__books=books).delete()
    HouseholdAccount.objects.filter(books=books).delete()
    EconomicOrg.objects.filter(books=books).update(books=None)
