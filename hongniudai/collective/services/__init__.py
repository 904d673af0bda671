"""Every write to the collective economy's organisations, decisions, members and share register.

- A decision (四议两公开) is recorded, then its steps one by one, in `StepKind` order: a step needs
  every earlier one recorded, on a day not before them; the committee's proposal (PROPOSE) and the
  members' meeting's review (REVIEW) may point to the orglife meeting of the village's branch that
  took them.
- A village registers its collective economic organisation once (a kind of `COLLECTIVE_KINDS`),
  which keeps books in the ledger; it founds cooperatives by a decision of subject COOPERATIVE whose
  REVIEW and RESOLVE steps are recorded, each cooperative opening books of its own (2023 chart).
- Households of the organisation's village are confirmed as members once, and leave on a day.
- The share register only grows: shares added or taken away for a member household or the
  collective share, never taking a holder below zero; a cash contribution is posted to the books
  (Dr 102 银行存款 / Cr 301 资本; a refund the other way) through `ledger.interface.post_entry`.

Every write checks ECONOMY_WRITE over the village, validates, writes and records one audit event."""

from .common import BOOKS_KIND, COOPERATIVE_KINDS, FOUNDING_STEPS, MEETING_KIND_OF_STEP
from .decisions import create_decision, record_step
from .members import confirm_member, end_membership, holding, record_shares
from .organisations import clean_credit_code, found_cooperative, register_collective

__all__ = [
    "BOOKS_KIND",
    "COOPERATIVE_KINDS",
    "FOUNDING_STEPS",
    "MEETING_KIND_OF_STEP",
    "clean_credit_code",
    "confirm_member",
    "create_decision",
    "end_membership",
    "found_cooperative",
    "holding",
    "record_shares",
    "record_step",
    "register_collective",
]
