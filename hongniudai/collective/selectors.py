"""Every read of the collective economy's organisations, decisions, members and share register, for
an acting user (ECONOMY_VIEW scope; what a form offers to write, ECONOMY_WRITE scope), and the
plain reads the other packages use through `interface` (`holdings`, `org_for_village`,
`decision_missing_steps`, `household_share_entries`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, scope_for
from hongniudai.common import parsing, pick
from hongniudai.common.pinyin import typed
from hongniudai.ledger.interface import Books
from hongniudai.orglife.interface import Meeting
from hongniudai.places.models import AreaKind, AreaNode, Household

from .models import STEP_ORDER, Decision, DecisionStep, EconomicOrg, Membership, ShareEntry

ACTIVE = "active"
ENDED = "ended"


def _view(user: User) -> Any:
    return scope_for(user, Capability.ECONOMY_VIEW)


def _get(user: User, queryset: QuerySet[Any], pk: Any) -> Any:
    """The record if it exists and `user` reads the collective economy over it; else 404, alike."""
    obj = _view(user).filter(queryset).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


# ---- decisions ------------------------------------------------------------------------------


def decision_missing_steps(decision: Decision, upto: str | None = None) -> list[str]:
    """The steps (`StepKind` values) of `decision` not yet recorded, in order; those before `upto`
    only, when given. Reads the prefetched `steps` when the caller prefetched them."""
    recorded = {s.kind for s in decision.steps.all()}
    order = STEP_ORDER if upto is None else STEP_ORDER[: STEP_ORDER.index(upto)]
    return [kind for kind in order if kind not in recorded]


def decision_step_kinds(ids: list[int]) -> dict[int, set[str]]:
    """The kinds of step recorded for each of the decisions `ids` (a page of them), in one query."""
    kinds: dict[int, set[str]] = {pk: set() for pk in ids}
    for decision_id, kind in DecisionStep.objects.filter(decision_id__in=ids).values_list("decision_id", "kind"):
        kinds[decision_id].add(kind)
    return kinds


def _steps() -> Prefetch:
    return Prefetch("steps", queryset=DecisionStep.objects.select_related("meeting").order_by("held_on", "id"))


def decisions(user: User, *, q: str = "", subject: str = "", village: AreaNode | None = None) -> QuerySet[Decision]:
    """Visible decisions, newest first, with their steps (prefetched: one more query per page)."""
    qs = _view(user).filter(Decision.objects.select_related("village").prefetch_related(_steps()))
    if subject:
        qs = qs.filter(subject=subject)
    if village is not None:
        qs = qs.filter(area_path__under=village.path)
    q = (q or "").strip()
    if q:
        qs = qs.filter(title__icontains=q)
    return qs.order_by("-created_at", "-id")


def decision_get(user: User, pk: Any) -> Decision:
    decision: Decision = _get(
        user, Decision.objects.select_related("village", "created_by").prefetch_related(_steps()), pk
    )
    return decision


def decisions_for_choice(user: User, *, village_path: str = "", subject: str = "") -> QuerySet[Decision]:
    """Decisions `user` may cite in a write (ECONOMY_WRITE scope), of one village (its path) and subject."""
    qs = scope_for(user, Capability.ECONOMY_WRITE).filter(Decision.objects.select_related("village"))
    if village_path:
        qs = qs.filter(area_path=village_path)
    if subject:
        qs = qs.filter(subject=subject)
    return qs.order_by("-id")


def meetings_for_step(user: User, decision: Decision) -> QuerySet[Meeting]:
    """The party meetings of the decision's village a step may name (the user's scope)."""
    qs = scope_for(user).filter(Meeting.objects.select_related("org"))
    return qs.filter(org__area__path__under=decision.area_path).order_by("-held_on", "-id")


def villages_for_choice(user: User) -> QuerySet[AreaNode]:
    """The villages `user` records the collective economy of."""
    return (
        scope_for(user, Capability.ECONOMY_WRITE)
        .filter(AreaNode.objects.filter(kind=AreaKind.VILLAGE))
        .order_by("path")
    )


def books_for_choice(user: User) -> QuerySet[Books]:
    """Open books of the villages `user` writes to that no organisation keeps yet."""
    qs = scope_for(user, Capability.ECONOMY_WRITE).filter(Books.objects.select_related("village"))
    return qs.filter(economic_org__isnull=True).order_by("area_path", "id")


# ---- organisations --------------------------------------------------------------------------


def _members_now() -> Q:
    return Q(ended_on__isnull=True)


def orgs(user: User, *, q: str = "", village: AreaNode | None = None, kind: str = "") -> QuerySet[EconomicOrg]:
    """Visible organisations with their number of current members (`member_count`), total shares
    (`total_shares`) and cooperatives (`cooperative_count`): the figures the services keep on each
    organisation (`collective.rollups`), so a page of them reads no membership or share entry."""
    qs = _view(user).filter(EconomicOrg.objects.select_related("village", "founded_by", "books"))
    if village is not None:
        qs = qs.filter(area_path__under=village.path)
    if kind:
        qs = qs.filter(kind=kind)
    q = (q or "").strip()
    if q:
        qs = qs.filter(name__icontains=q)
    return qs.annotate(
        member_count=F("members_now"), total_shares=F("shares_total"), cooperative_count=F("cooperatives_founded")
    ).order_by("area_path", "founded_by_id", "id")


def org_get(user: User, pk: Any) -> EconomicOrg:
    org: EconomicOrg = _get(user, orgs(user), pk)
    return org


def cooperatives(user: User, org: EconomicOrg) -> QuerySet[EconomicOrg]:
    return orgs(user).filter(founded_by=org)


def org_for_village(village: AreaNode) -> EconomicOrg | None:
    """The village's collective economic organisation (not a cooperative), if registered."""
    return EconomicOrg.objects.filter(village=village, founded_by__isnull=True).select_related("books").first()


def orgs_for_choice(user: User) -> QuerySet[EconomicOrg]:
    """Organisations `user` records members and shares of (ECONOMY_WRITE scope)."""
    return scope_for(user, Capability.ECONOMY_WRITE).filter(EconomicOrg.objects.all()).order_by("area_path", "id")


# ---- members --------------------------------------------------------------------------------


def members(user: User, org: EconomicOrg, *, q: str = "", state: str = "") -> QuerySet[Membership]:
    """The members of `org` (visible to `user`), by hamlet and household number."""
    qs = _view(user).filter(
        Membership.objects.filter(org=org).select_related(
            "org", "household", "household__head", "household__hamlet", "decision"
        )
    )
    if state == ACTIVE:
        qs = qs.filter(_members_now())
    elif state == ENDED:
        qs = qs.filter(ended_on__isnull=False)
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(household__head__name__icontains=q) | Q(household__address__icontains=q) | Q(household__number=q)
        )
    return qs.order_by("household__hamlet__path", "household__number", "id")


def membership_get(user: User, pk: Any) -> Membership:
    membership: Membership = _get(
        user, Membership.objects.select_related("org", "household", "household__head", "household__hamlet"), pk
    )
    return membership


def households_for_member(user: User, org: EconomicOrg, *, q: str = "") -> QuerySet[Household]:
    """Households of the organisation's village `user` may confirm (ECONOMY_WRITE scope), not yet
    members, searched by the head's name, the address or the household number."""
    qs = scope_for(user, Capability.ECONOMY_WRITE).filter(
        Household.objects.filter(hamlet__path__under=org.area_path).select_related("head", "hamlet")
    )
    qs = qs.exclude(pk__in=Membership.objects.filter(org=org).values("household"))
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(head__name__icontains=q) | Q(address__icontains=q) | Q(number=q))
    return qs.order_by("hamlet__path", "number", "id")


def member_households(user: User, org: EconomicOrg) -> QuerySet[Household]:
    """The households that are current members of `org` (the share form's holders)."""
    qs = scope_for(user, Capability.ECONOMY_WRITE).filter(Household.objects.select_related("head", "hamlet"))
    return qs.filter(pk__in=Membership.objects.filter(_members_now(), org=org).values("household")).order_by(
        "hamlet__path", "number", "id"
    )


def household_label(household: Household) -> str:
    head = household.head.name if household.head_id and household.head else ""
    parts = [head or household.address, household.number, household.hamlet.name]
    return " · ".join(p for p in parts if p)


# ---- shares ---------------------------------------------------------------------------------


def holdings(org: EconomicOrg, on: dt.date | None = None) -> dict[int | None, Decimal]:
    """{household id (None: the collective share): shares held} in `org` on `on` (None: today and
    after), holders with none left out; one query."""
    qs = ShareEntry.objects.filter(org=org)
    if on is not None:
        qs = qs.filter(effective_on__lte=on)
    rows = qs.order_by().values("household").annotate(total=Sum("shares"))
    return {row["household"]: row["total"] for row in rows if row["total"]}


@dataclass(frozen=True)
class Holder:
    household: Household | None
    shares: Decimal
    share_of_total: Decimal  # percent, two decimals


def share_holders(user: User, org: EconomicOrg, on: dt.date | None = None) -> list[Holder]:
    """The register's holders with their shares (the collective share first): two queries."""
    held = holdings(org, on)
    total = sum(held.values(), Decimal(0))
    households = {
        h.pk: h
        for h in _view(user).filter(
            Household.objects.filter(pk__in=[pk for pk in held if pk is not None]).select_related("head", "hamlet")
        )
    }
    rows = []
    for pk, shares in held.items():
        if pk is not None and pk not in households:
            continue
        percent = (shares * 100 / total).quantize(Decimal("0.01")) if total else Decimal(0)
        rows.append(Holder(households.get(pk) if pk is not None else None, shares, percent))
    rows.sort(key=lambda r: (r.household is not None, r.household.hamlet.path if r.household else "", -r.shares))
    return rows


COLLECTIVE_HOLDER = "collective"


def share_entries(user: User, org: EconomicOrg, *, holder: str = "") -> QuerySet[ShareEntry]:
    """The register's history of `org`, oldest first; one holder's when `holder` names one (a
    household's id, or "collective" for the collective share)."""
    qs = _view(user).filter(
        ShareEntry.objects.filter(org=org).select_related(
            "household", "household__head", "household__hamlet", "decision", "voucher"
        )
    )
    if holder == COLLECTIVE_HOLDER:
        qs = qs.filter(household__isnull=True)
    elif holder:
        pk = parsing.parse_id(holder)
        qs = qs.filter(household_id=pk) if pk else qs.none()
    return qs.order_by("effective_on", "id")


def share_entries_all(user: User, *, org: EconomicOrg | None = None) -> QuerySet[ShareEntry]:
    """Every visible entry of the share register (the API's list)."""
    qs = _view(user).filter(
        ShareEntry.objects.select_related("org", "household", "household__head", "household__hamlet", "voucher")
    )
    if org is not None:
        qs = qs.filter(org=org)
    return qs.order_by("org_id", "effective_on", "id")


def share_entry_get(user: User, pk: Any) -> ShareEntry:
    entry: ShareEntry = _get(user, share_entries_all(user), pk)
    return entry


def memberships_all(user: User, *, org: EconomicOrg | None = None) -> QuerySet[Membership]:
    """Every visible membership (the API's list)."""
    qs = _view(user).filter(
        Membership.objects.select_related("org", "household", "household__head", "household__hamlet")
    )
    if org is not None:
        qs = qs.filter(org=org)
    return qs.order_by("org_id", "id")


@dataclass(frozen=True)
class HouseholdShareRow:
    household_id: int
    org: EconomicOrg
    shares: Decimal
    amount: Decimal
    voucher_id: int | None
    entry: ShareEntry


def household_share_entries(*, household_ids: list[int], year: int) -> list[HouseholdShareRow]:
    """For the household's benefit page (phase 2): the share entries of `household_ids` effective in
    `year`, with what each paid in (a cash contribution's amount and voucher); one query. The caller
    applies its own access rule to the households."""
    qs = ShareEntry.objects.filter(household_id__in=household_ids, effective_on__year=year).select_related("org")
    return [
        HouseholdShareRow(e.household_id or 0, e.org, e.shares, e.amount, e.voucher_id, e)
        for e in qs.order_by("household_id", "effective_on", "id")
    ]


# ---- the organisation picker (common.pick) --------------------------------------------------


def pick_orgs(user: User, *, q: str = "") -> list[EconomicOrg]:
    """Up to PICK_LIMIT + 1 organisations of the user's ECONOMY_VIEW scope whose name holds `q`, or whose
    village's name, pinyin or initials match it; none for a blank `q`."""
    q = q.strip()[: pick.QUERY_MAX]
    if not q:
        return []
    key = typed(q)
    condition = Q(name__contains=q) | Q(village__name__contains=q)
    if key:
        condition |= Q(village__search_key__startswith=key) | Q(village__search_key__contains=f" {key}")
    qs = scope_for(user, Capability.ECONOMY_VIEW).filter(EconomicOrg.objects.select_related("village"))
    return list(qs.filter(condition).order_by("area_path", "id")[: pick.PICK_LIMIT + 1])
