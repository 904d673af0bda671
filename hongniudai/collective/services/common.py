"""What the collective's services share: constants, where an audit row hangs, the names of steps."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from hongniudai.audit import services as audit
from hongniudai.ledger.models import OrgKind as BooksKind
from hongniudai.orglife.interface import MeetingKind
from hongniudai.places.models import AreaKind, AreaNode

from ..models import (
    Decision,
    EconomicOrg,
    OrgKind,
    StepKind,
)

CENT = Decimal("0.01")
BANK = "102"  # 银行存款
CAPITAL = "301"  # 资本

# The steps a party meeting takes, and the kind of meeting that takes each.
MEETING_KIND_OF_STEP: dict[str, str] = {
    StepKind.PROPOSE: MeetingKind.COMMITTEE_MEETING,
    StepKind.REVIEW: MeetingKind.MEMBER_MEETING,
}
# The steps a cooperative's founding decision must have recorded.
FOUNDING_STEPS = (StepKind.REVIEW, StepKind.RESOLVE)
COOPERATIVE_KINDS = (OrgKind.SHAREHOLDING_COOPERATIVE, OrgKind.SPECIALISED_COOPERATIVE)

# The kind of books (ledger) each kind of organisation keeps.
BOOKS_KIND: dict[str, str] = {
    OrgKind.SHAREHOLDING_COLLECTIVE: BooksKind.SHAREHOLDING,
    OrgKind.ECONOMIC_COOPERATIVE: BooksKind.COOPERATIVE,
    OrgKind.VILLAGE_COMMITTEE: BooksKind.VILLAGE_COMMITTEE,
    OrgKind.SHAREHOLDING_COOPERATIVE: BooksKind.SHAREHOLDING,
    OrgKind.SPECIALISED_COOPERATIVE: BooksKind.COOPERATIVE,
}

DECISION_FIELDS = ("village", "subject", "title", "content")
STEP_FIELDS = ("decision", "kind", "held_on", "meeting", "attended", "agreed", "note")
ORG_FIELDS = ("village", "name", "kind", "founded_by", "decision", "books", "credit_code", "founded_on", "business")
MEMBER_FIELDS = ("org", "household", "confirmed_on", "decision", "ended_on", "note")
SHARE_FIELDS = ("org", "household", "kind", "contribution", "shares", "amount", "effective_on", "reason", "decision")


def where(obj: Decision | EconomicOrg) -> audit.Where:
    return {"area_path": obj.area_path, "org_path": ""}


def step_label(kind: str) -> str:
    return str(StepKind(kind).label)


def same_village(decision: Decision | None, org: EconomicOrg, errors: dict[str, str]) -> None:
    if decision is not None and decision.village_id != org.village_id:
        errors["decision"] = _("所选事项不是本村的事项。")


def village_errors(village: AreaNode, errors: dict[str, str]) -> None:
    if village.kind != AreaKind.VILLAGE:
        errors["village"] = _("请选择村(社区)。")
