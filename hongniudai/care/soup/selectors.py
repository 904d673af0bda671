"""Every read of the soup rounds for an acting user. The village's staff read within their
Capability.SERVICES scope; a volunteer reads only the visits given to them
(`visits_for_volunteer`). Lists run a fixed number of queries whatever their rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet
from django.http import Http404

from hongniudai.accounts.scope import AnyUser, Capability, Scope, scope_for
from hongniudai.common import parsing
from hongniudai.common.subqueries import count_of
from hongniudai.places.models import AreaKind, AreaNode, Resident
from hongniudai.places.selectors import resident_search_q
from hongniudai.volunteers.interface import Volunteer

from .models import (
    Outcome,
    RecipientStatus,
    SoupHamletVolunteer,
    SoupRecipient,
    SoupRound,
    SoupRule,
    SoupSettings,
    SoupVisit,
)


def _scope(user: AnyUser) -> Scope:
    return scope_for(user, Capability.SERVICES)


def _user_id(user: AnyUser) -> int | None:
    """The signed-in user's id, None for nobody."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    pk = getattr(user, "pk", None)
    return pk if isinstance(pk, int) else None


def _get(user: AnyUser, queryset: QuerySet[Any], pk: Any) -> Any:
    """The record if it exists and the user serves it; otherwise 404, the same for both."""
    pk = parsing.parse_id(pk)
    obj = _scope(user).filter(queryset).filter(pk=pk).first() if pk else None
    if obj is None:
        raise Http404
    return obj


# ---- rules and settings -----------------------------------------------------------------------


def rules(user: AnyUser) -> QuerySet[SoupRule]:
    """The rules kept by the towns and villages the user serves, and those of the towns above the
    user's villages (which hold there unless the village overrides them)."""
    scope = _scope(user)
    if scope.everything:
        return SoupRule.objects.select_related("area").order_by("area_path", "kind")
    above = Q(pk__in=[])
    for path in scope.area_paths:
        ids = [int(p) for p in path.strip("/").split("/") if p]
        above |= Q(area_id__in=ids)
    return SoupRule.objects.filter(scope.q(SoupRule) | above).select_related("area").order_by("area_path", "kind")


def rule_get(user: AnyUser, pk: Any) -> SoupRule:
    return _get(user, SoupRule.objects.select_related("area"), pk)


def rule_areas(user: AnyUser) -> QuerySet[AreaNode]:
    """The towns and villages the user may keep rules for."""
    return (
        _scope(user)
        .filter(AreaNode.objects.filter(kind__in=(AreaKind.TOWN, AreaKind.VILLAGE)))
        .only("id", "name", "path", "kind")
        .order_by("path")
    )


def towns_for_settings(user: AnyUser) -> QuerySet[AreaNode]:
    return _scope(user).filter(AreaNode.objects.filter(kind=AreaKind.TOWN)).only("id", "name", "path").order_by("path")


def town_get(user: AnyUser, pk: Any) -> AreaNode:
    return _get(user, AreaNode.objects.filter(kind=AreaKind.TOWN), pk)


def settings_of(towns: list[AreaNode]) -> dict[int, SoupSettings]:
    return {s.town_id: s for s in SoupSettings.objects.filter(town__in=towns)}


# ---- recipients -------------------------------------------------------------------------------


def recipients(
    user: AnyUser,
    *,
    village: AreaNode | None = None,
    hamlet: AreaNode | None = None,
    status: str = "",
    q: str = "",
) -> QuerySet[SoupRecipient]:
    qs = _scope(user).filter(SoupRecipient.objects.select_related("resident", "hamlet", "village", "decided_by"))
    if village is not None:  # a village, or any area above it (the filter's area picker)
        qs = qs.filter(area_path__under=village.path)
    if hamlet is not None:
        qs = qs.filter(hamlet=hamlet)
    if status:
        qs = qs.filter(status=status)
    q = (q or "").strip()
    if q:
        qs = qs.filter(resident__in=Resident.objects.filter(resident_search_q(q)).values("pk"))
    return qs.order_by("area_path", "id")


def recipient_get(user: AnyUser, pk: Any) -> SoupRecipient:
    return _get(user, recipients(user), pk)


def village_get(user: AnyUser, pk: Any) -> AreaNode:
    return _get(user, AreaNode.objects.filter(kind=AreaKind.VILLAGE), pk)


def hamlet_get(user: AnyUser, pk: Any) -> AreaNode:
    return _get(user, AreaNode.objects.filter(kind=AreaKind.HAMLET), pk)


def villages_for_choice(user: AnyUser) -> QuerySet[AreaNode]:
    return (
        _scope(user).filter(AreaNode.objects.filter(kind=AreaKind.VILLAGE)).only("id", "name", "path").order_by("path")
    )


@dataclass
class HamletList:
    """One hamlet's part of a village's list: its recipients and its default volunteer."""

    hamlet: AreaNode
    volunteer: Volunteer | None = None
    rows: list[SoupRecipient] = field(default_factory=list)

    @property
    def proposed(self) -> int:
        return sum(r.status == RecipientStatus.PROPOSED for r in self.rows)

    @property
    def approved(self) -> int:
        return sum(r.status == RecipientStatus.APPROVED for r in self.rows)


def village_review(user: AnyUser, village: AreaNode) -> list[HamletList]:
    """`village`'s list by hamlet (every hamlet, with or without recipients). Three queries."""
    hamlets = (
        _scope(user)
        .filter(AreaNode.objects.filter(kind=AreaKind.HAMLET, path__under=village.path))
        .only("id", "name", "path", "kind")
        .order_by("path")
    )
    parts = {h.pk: HamletList(h) for h in hamlets}
    for carrier in SoupHamletVolunteer.objects.filter(hamlet_id__in=parts).select_related("volunteer"):
        parts[carrier.hamlet_id].volunteer = carrier.volunteer
    for row in recipients(user, village=village):
        if row.hamlet_id in parts:
            parts[row.hamlet_id].rows.append(row)
    return list(parts.values())


def hamlet_volunteer_of(hamlet: AreaNode) -> Volunteer | None:
    row = SoupHamletVolunteer.objects.select_related("volunteer").filter(hamlet=hamlet).first()
    return row.volunteer if row else None


def residents_for_choice(user: AnyUser, *, q: str = "") -> QuerySet[Resident]:
    """Residents a user may put on a soup list by hand, searched by name or initials."""
    qs = _scope(user).filter(Resident.objects.select_related("household", "household__hamlet"))
    q = (q or "").strip()
    if q:
        qs = qs.filter(resident_search_q(q))
    return qs.order_by("household__hamlet__path", "name", "id")


def volunteers_for_choice(user: AnyUser, village: AreaNode | None = None) -> QuerySet[Volunteer]:
    """Active volunteers of the villages the user serves (of `village` when given)."""
    qs = _scope(user).filter(Volunteer.objects.filter(is_active=True)).only("id", "name", "area_path")
    if village is not None:
        qs = qs.filter(area_path__under=village.path)
    return qs.order_by("area_path", "name", "id")


# ---- rounds and visits ------------------------------------------------------------------------


def round_list(
    user: AnyUser,
    *,
    village: AreaNode | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[SoupRound]:
    """Visible rounds (of `village`, between the dates), newest first, without their figures: the
    list's page is cut (and counted) on the rounds alone, then `round_figures` counts its visits."""
    qs = _scope(user).filter(SoupRound.objects.all())
    if village is not None:
        qs = qs.filter(area_path__under=village.path)
    if date_from is not None:
        qs = qs.filter(date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(date__lte=date_to)
    return qs.order_by("-date", "area_path", "id")


def rounds(
    user: AnyUser,
    *,
    village: AreaNode | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[SoupRound]:
    """Visible rounds with their visits counted: all, delivered, still pending, not at home,
    declined, observations and matters raised (correlated subqueries: counted for the page's rounds
    only, not grouped over every visit of the county)."""
    of_round = SoupVisit.objects.filter(round=OuterRef("pk"))
    return (
        round_list(user, village=village, date_from=date_from, date_to=date_to)
        .select_related("village")
        .annotate(
            visit_count=count_of(of_round),
            delivered_count=count_of(of_round.filter(outcome=Outcome.DELIVERED)),
            pending_count=count_of(of_round.filter(outcome=Outcome.PENDING)),
            not_home_count=count_of(of_round.filter(outcome=Outcome.NOT_HOME)),
            declined_count=count_of(of_round.filter(outcome=Outcome.DECLINED)),
            observation_count=count_of(of_round.exclude(observation="")),
            matter_count=count_of(of_round.filter(matter__isnull=False)),
        )
    )


ROUND_FIGURES = ("visit_count", "delivered_count", "pending_count", "not_home_count", "matter_count")


def round_figures(round_ids: list[int]) -> dict[int, dict[str, int]]:
    """{round id: the figures of the list (`ROUND_FIGURES`, as `rounds` annotates them)} of the
    rounds `round_ids` (a page's, read scoped by `round_list`): one grouped query over their visits,
    instead of five correlated counts for each round (a county's round has a hundred visits)."""
    figures = {pk: dict.fromkeys(ROUND_FIGURES, 0) for pk in round_ids}
    grouped = (
        SoupVisit.objects.filter(round_id__in=round_ids)
        .order_by()
        .values("round_id")
        .annotate(
            visit_count=Count("id"),
            delivered_count=Count("id", filter=Q(outcome=Outcome.DELIVERED)),
            pending_count=Count("id", filter=Q(outcome=Outcome.PENDING)),
            not_home_count=Count("id", filter=Q(outcome=Outcome.NOT_HOME)),
            matter_count=Count("id", filter=Q(matter__isnull=False)),
        )
    )
    for row in grouped if round_ids else ():
        figures[row["round_id"]] = {k: row[k] for k in ROUND_FIGURES}
    return figures


def round_get(user: AnyUser, pk: Any) -> SoupRound:
    return _get(user, rounds(user), pk)


def _visit_rows() -> QuerySet[SoupVisit]:
    return SoupVisit.objects.select_related(
        "round",
        "round__village",
        "recipient",
        "recipient__resident",
        "recipient__resident__household",
        "hamlet",
        "volunteer",
        "matter",
    )


def visits(user: AnyUser, *, round_: SoupRound | None = None, outcome: str = "") -> QuerySet[SoupVisit]:
    qs = _scope(user).filter(_visit_rows())
    if round_ is not None:
        qs = qs.filter(round=round_)
    if outcome:
        qs = qs.filter(outcome=outcome)
    return qs.order_by("area_path", "id")


def visits_for_volunteer(user: AnyUser, *, day: dt.date | None = None) -> QuerySet[SoupVisit]:
    """The visits given to the volunteer `user` signs in as (none for anyone else), newest round
    first, pending ones first within a round."""
    user_id = _user_id(user)
    if user_id is None:
        return SoupVisit.objects.none()
    qs = _visit_rows().filter(volunteer__user_id=user_id, volunteer__is_active=True)
    if day is not None:
        qs = qs.filter(round__date=day)
    return qs.order_by("-round__date", "area_path", "id")


def visits_visible(user: AnyUser) -> QuerySet[SoupVisit]:
    """The visits the user serves (staff) or carries (a volunteer): what the API lists."""
    user_id = _user_id(user)
    if user_id is None:
        return SoupVisit.objects.none()
    mine = Q(volunteer__user_id=user_id, volunteer__is_active=True)
    return _visit_rows().filter(_scope(user).q(SoupVisit) | mine).order_by("-round__date", "area_path", "id")


def visit_get(user: AnyUser, pk: Any) -> SoupVisit:
    """A visit the user serves (the village's staff) or carries (the volunteer); 404 otherwise."""
    pk = parsing.parse_id(pk)
    if not pk:
        raise Http404
    visit = _scope(user).filter(_visit_rows()).filter(pk=pk).first()
    if visit is None:
        visit = visits_for_volunteer(user).filter(pk=pk).first()
    if visit is None:
        raise Http404
    return visit


@dataclass
class HamletVisits:
    hamlet: AreaNode
    visits: list[SoupVisit] = field(default_factory=list)

    @property
    def pending(self) -> list[SoupVisit]:
        return [v for v in self.visits if v.outcome == Outcome.PENDING]


def by_hamlet(rows: list[SoupVisit]) -> list[HamletVisits]:
    parts: dict[int, HamletVisits] = {}
    for v in rows:
        parts.setdefault(v.hamlet_id, HamletVisits(v.hamlet)).visits.append(v)
    return list(parts.values())


def is_volunteer(user: AnyUser) -> bool:
    """Whether `user` signs in as an active volunteer."""
    user_id = _user_id(user)
    return user_id is not None and Volunteer.objects.filter(user_id=user_id, is_active=True).exists()
