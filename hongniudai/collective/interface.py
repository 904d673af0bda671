"""What the other domains of the collective economy (land, production, distribution, the
household's benefit) may use of `collective`: the organisations and their books, the decisions
that authorise what they do, and a household's sub-account in the books."""

from __future__ import annotations

from .ledger_accounts import INTERNAL, LABOUR_PAYABLE, PAYABLE, household_account
from .models import Decision, DecisionSubject, EconomicOrg, Membership, OrgKind, ShareEntry, ShareKind

__all__ = [
    "INTERNAL",
    "LABOUR_PAYABLE",
    "PAYABLE",
    "Decision",
    "DecisionSubject",
    "EconomicOrg",
    "Membership",
    "OrgKind",
    "ShareEntry",
    "ShareKind",
    "household_account",
]
