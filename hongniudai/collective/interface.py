"""What the other domains of the collective economy (land, production, distribution, the
household's benefit) may use of `collective`: the organisations and their books, the decisions
that authorise what they do (and the steps they still lack), a household's sub-account in the books,
the share register's holdings on a day, and what households paid in for their shares."""

from __future__ import annotations

from .ledger_accounts import INTERNAL, LABOUR_PAYABLE, PAYABLE, household_account
from .models import Decision, DecisionSubject, EconomicOrg, Membership, OrgKind, ShareEntry, ShareKind, StepKind
from .pickers import org_widget
from .selectors import HouseholdShareRow, decision_missing_steps, holdings, household_share_entries, org_for_village

__all__ = [
    "INTERNAL",
    "LABOUR_PAYABLE",
    "PAYABLE",
    "Decision",
    "DecisionSubject",
    "EconomicOrg",
    "HouseholdShareRow",
    "Membership",
    "OrgKind",
    "ShareEntry",
    "ShareKind",
    "StepKind",
    "decision_missing_steps",
    "holdings",
    "household_account",
    "household_share_entries",
    "org_for_village",
    "org_widget",
]
