"""Every read of the returnee programme for an acting user (ECONOMY_VIEW scope): returnees,
businesses with the people they employ counted, one business with its employees, wages and
support, and the measures per village. Lists run a fixed number of queries whatever their rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, Count, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from hongniudai.accounts.scope import AnyUser, Capability, scope_for
from hongniudai.common import parsing
from hongniudai.common.pick import PICK_LIMIT
from hongniudai.common.subqueries import count_of
from hongniudai.party.models import Member
from hongniudai.places.models import AreaKind, AreaNode, Resident
from hongniudai.places.selectors import resident_search_q

from .models import Business, Employment, Returnee, Support, WageRecord


def _scope(user: AnyUser) -> Any:
    return scope_for(user, Capability.ECONOMY_VIEW)


def _get(user: AnyUser, queryset: QuerySet[Any], pk: Any) -> Any:
    """The record if it exists and the user may see it (ECONOMY_VIEW); otherwise 404, the same for both."""
    pk = parsing.parse_id(pk)
    obj = _scope(user).filter(queryset).filter(pk=pk).first() if pk else None
    if obj is None:
        raise Http404
    return obj


def in_force_q(on: dt.date | None = None, prefix: str = "") -> Q:
    """Employments in force on `on` (today): started by then and not ended before it."""
    on = on or timezone.localdate()
    return Q(**{f"{prefix}started_on__lte": on}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": on})
    )


# ---- returnees --------------------------------------------------------------------------------


def is_party_member_expr() -> Coalesce:
    """Whether the returnee's resident has a party-member record (read, never copied): a scalar
    subquery, one probe of the member's unique resident per row shown (an EXISTS in the select list
    is planned as a hash of every party member in the county, built for a page of 50)."""
    member = Member.objects.filter(resident=OuterRef("resident")).order_by().values(yes=Value(True))[:1]
    return Coalesce(Subquery(member, output_field=BooleanField()), Value(False), output_field=BooleanField())


def returnees(
    user: AnyUser,
    *,
    village: AreaNode | None = None,
    party_member: bool | None = None,
    veteran: bool | None = None,
    q: str = "",
) -> QuerySet[Returnee]:
    """Visible returnees with `is_party_member` and the number of their businesses (`business_count`)."""
    qs = _scope(user).filter(
        Returnee.objects.select_related("resident", "resident__household", "village").annotate(
            is_party_member=is_party_member_expr(),
            business_count=count_of(Business.objects.filter(founder=OuterRef("pk"))),
        )
    )
    if village is not None:  # a village, or any area above it (the filter's area picker)
        qs = qs.filter(village__path__under=village.path)
    if party_member is not None:
        qs = qs.filter(is_party_member=party_member)
    if veteran is not None:
        qs = qs.filter(resident__is_veteran=veteran)
    q = (q or "").strip()
    if q:
        qs = qs.filter(resident__in=Resident.objects.filter(resident_search_q(q)).values("pk"))
    return qs.order_by("area_path", "id")


def returnee_get(user: AnyUser, pk: Any) -> Returnee:
    return _get(
        user,
        Returnee.objects.select_related("resident", "resident__household", "village", "recorded_by").annotate(
            is_party_member=is_party_member_expr()
        ),
        pk,
    )


def residents_for_choice(user: AnyUser, *, q: str = "") -> QuerySet[Resident]:
    """Residents a user may register as returnees (ECONOMY_WRITE scope) or employ (VIEW scope is
    checked by the service), searchable by name or initials."""
    qs = scope_for(user, Capability.ECONOMY_WRITE).filter(
        Resident.objects.select_related("household", "household__hamlet")
    )
    q = (q or "").strip()
    if q:
        qs = qs.filter(resident_search_q(q))
    return qs.order_by("household__hamlet__path", "name", "id")


def residents_for_employment(user: AnyUser, *, q: str = "") -> QuerySet[Resident]:
    """Residents a user may record as employed by a business (any resident the user sees)."""
    qs = scope_for(user).filter(Resident.objects.select_related("household", "household__hamlet"))
    q = (q or "").strip()
    if q:
        qs = qs.filter(resident_search_q(q))
    return qs.order_by("household__hamlet__path", "name", "id")


def resident_label(r: Resident) -> str:
    return f"{r.name} · {r.household.hamlet.name}"


# ---- businesses -------------------------------------------------------------------------------


def businesses(
    user: AnyUser,
    *,
    village: AreaNode | None = None,
    kind: str = "",
    status: str = "",
    founder: Returnee | None = None,
    q: str = "",
    on: dt.date | None = None,
) -> QuerySet[Business]:
    """Visible businesses with, among the employments in force on `on` (today): the people employed
    (`employee_count`), their households (`household_count`), of which formerly poor
    (`poor_household_count`) and monitored (`monitored_household_count`)."""
    jobs = Employment.objects.filter(in_force_q(on), business=OuterRef("pk"))  # per row of the page only
    qs = _scope(user).filter(
        Business.objects.select_related("founder__resident", "village", "enterprise").annotate(
            employee_count=count_of(jobs, field="resident", distinct=True),
            household_count=count_of(jobs, field="household", distinct=True),
            poor_household_count=count_of(
                jobs.filter(household__is_formerly_poor=True), field="household", distinct=True
            ),
            monitored_household_count=count_of(
                jobs.filter(household__is_monitored=True), field="household", distinct=True
            ),
        )
    )
    if village is not None:  # a village, or any area above it (the filter's area picker)
        qs = qs.filter(village__path__under=village.path)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if founder is not None:
        qs = qs.filter(founder=founder)
    q = (q or "").strip()
    if q:
        founders = Resident.objects.filter(resident_search_q(q)).values("pk")
        qs = qs.filter(Q(name__icontains=q) | Q(founder__resident__in=founders))
    return qs.order_by("area_path", "id")


def business_get(user: AnyUser, pk: Any) -> Business:
    return _get(user, businesses(user), pk)


def businesses_for_choice(user: AnyUser) -> QuerySet[Business]:
    """Businesses the user may record employment, wages or support for."""
    return (
        scope_for(user, Capability.ECONOMY_WRITE)
        .filter(Business.objects.select_related("founder__resident"))
        .order_by("area_path", "name", "id")
    )


def returnees_for_choice(user: AnyUser) -> QuerySet[Returnee]:
    """Returnees the user may record businesses or support for."""
    return (
        scope_for(user, Capability.ECONOMY_WRITE)
        .filter(Returnee.objects.select_related("resident"))
        .order_by("area_path", "id")
    )


def pick_returnees(user: AnyUser, *, q: str = "") -> list[Returnee]:
    """The founder picker's matches: returnees the user may record businesses for, by the resident's
    name, pinyin or initials; nobody for a blank search; at most one more than the picker shows."""
    q = (q or "").strip()
    if not q:
        return []
    found = returnees_for_choice(user).select_related("village")
    found = found.filter(resident__in=Resident.objects.filter(resident_search_q(q)).values("pk"))
    return list(found[: PICK_LIMIT + 1])


def villages_for_choice(user: AnyUser, capability: Capability = Capability.ECONOMY_VIEW) -> QuerySet[AreaNode]:
    return (
        scope_for(user, capability)
        .filter(AreaNode.objects.filter(kind=AreaKind.VILLAGE))
        .only("id", "name", "path", "kind")
        .order_by("path")
    )


# ---- employment, wages, support ---------------------------------------------------------------


def employments(
    user: AnyUser, *, business: Business | None = None, village: AreaNode | None = None, current: bool | None = None
) -> QuerySet[Employment]:
    """Visible employments with the wages recorded over all years (`wages_total`)."""
    qs = _scope(user).filter(
        Employment.objects.select_related("business", "resident", "household", "household__hamlet").annotate(
            wages_total=Sum("wages__amount")
        )
    )
    if business is not None:
        qs = qs.filter(business=business)
    if village is not None:
        qs = qs.filter(business__village=village)
    if current is not None:
        qs = qs.filter(in_force_q()) if current else qs.exclude(in_force_q())
    return qs.order_by("business__area_path", "business_id", "started_on", "id")


def employments_for_choice(user: AnyUser) -> QuerySet[Employment]:
    """Employments the user may record wages for."""
    return scope_for(user, Capability.ECONOMY_WRITE).filter(Employment.objects.all()).order_by("id")


def employment_get(user: AnyUser, pk: Any) -> Employment:
    return _get(user, employments(user), pk)


def wages(
    user: AnyUser, *, business: Business | None = None, employment: Employment | None = None, year: int | None = None
) -> QuerySet[WageRecord]:
    qs = _scope(user).filter(
        WageRecord.objects.select_related(
            "employment", "employment__business", "employment__resident", "employment__household"
        )
    )
    if business is not None:
        qs = qs.filter(employment__business=business)
    if employment is not None:
        qs = qs.filter(employment=employment)
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "employment_id")


def wage_get(user: AnyUser, pk: Any) -> WageRecord:
    return _get(user, wages(user), pk)


def supports(
    user: AnyUser,
    *,
    returnee: Returnee | None = None,
    business: Business | None = None,
    village: AreaNode | None = None,
    kind: str = "",
) -> QuerySet[Support]:
    qs = _scope(user).filter(Support.objects.select_related("returnee__resident", "business", "village"))
    if returnee is not None:
        qs = qs.filter(returnee=returnee)
    if business is not None:
        qs = qs.filter(business=business)
    if village is not None:  # a village, or any area above it (the filter's area picker)
        qs = qs.filter(village__path__under=village.path)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-given_on", "-id")


def support_get(user: AnyUser, pk: Any) -> Support:
    return _get(user, supports(user), pk)


# ---- measures per village ---------------------------------------------------------------------


@dataclass
class VillageMeasures:
    """One village's returnee programme: returnees, businesses (operating), jobs in force today,
    households employed and of them formerly poor, investment, support (count and yuan) and the
    wages of `year`."""

    village: AreaNode
    returnees: int = 0
    businesses: int = 0
    jobs: int = 0
    households: int = 0
    poor_households: int = 0
    investment: Decimal = Decimal("0.00")
    supports: int = 0
    support_amount: Decimal = Decimal("0.00")
    wages: Decimal = Decimal("0.00")


def village_measures(user: AnyUser, *, year: int | None = None) -> list[VillageMeasures]:
    """One row per village the user sees that has a returnee; six queries whatever the villages."""
    year = year or timezone.localdate().year
    scope = _scope(user)
    rows: dict[int, VillageMeasures] = {}

    def row(village_id: int) -> VillageMeasures | None:
        return rows.get(village_id)

    returnee_rows = scope.filter(Returnee.objects.all()).values("village_id").annotate(n=Count("id"))
    counts = {r["village_id"]: r["n"] for r in returnee_rows}
    business_rows = (
        scope.filter(Business.objects.all())
        .values("village_id")
        .annotate(n=Count("id"), invested=Sum("investment"))
        .values_list("village_id", "n", "invested")
    )
    business_counts = {vid: (n, invested) for vid, n, invested in business_rows}
    ids = set(counts) | set(business_counts)
    for village in AreaNode.objects.filter(pk__in=ids).only("id", "name", "path", "kind").order_by("path"):
        rows[village.pk] = VillageMeasures(village=village, returnees=counts.get(village.pk, 0))
    for vid, (n, invested) in business_counts.items():
        if (r := row(vid)) is not None:
            r.businesses, r.investment = n, invested or Decimal("0.00")
    jobs = (
        scope.filter(Employment.objects.filter(in_force_q()))
        .values("business__village_id")
        .annotate(
            n=Count("resident", distinct=True),
            households=Count("household", distinct=True),
            poor=Count("household", filter=Q(household__is_formerly_poor=True), distinct=True),
        )
        .values_list("business__village_id", "n", "households", "poor")
    )
    for vid, n, households, poor in jobs:
        if (r := row(vid)) is not None:
            r.jobs, r.households, r.poor_households = n, households, poor
    for vid, n, amount in (
        scope.filter(Support.objects.all())
        .values("village_id")
        .annotate(n=Count("id"), total=Sum("amount"))
        .values_list("village_id", "n", "total")
    ):
        if (r := row(vid)) is not None:
            r.supports, r.support_amount = n, amount or Decimal("0.00")
    for vid, total in (
        scope.filter(WageRecord.objects.filter(year=year))
        .values("employment__business__village_id")
        .annotate(total=Sum("amount"))
        .values_list("employment__business__village_id", "total")
    ):
        if (r := row(vid)) is not None:
            r.wages = total or Decimal("0.00")
    return list(rows.values())


# ---- what phase 2 (the household's benefit) reads ---------------------------------------------


@dataclass(frozen=True)
class HouseholdWages:
    """What one household's members earned in a year from returnee businesses of a village: the sum
    and the employments (ids) behind it."""

    household_id: int
    amount: Decimal
    employment_ids: tuple[int, ...]
    wage_record_ids: tuple[int, ...]


def returnee_wages_to_households(village: AreaNode, year: int) -> list[HouseholdWages]:
    """Per household, the wages of `year` paid by returnee businesses of `village` (exact yuan),
    ordered by household id. One query. Not scoped: the caller's selector applies the scope."""
    return _wages_by_household(WageRecord.objects.filter(year=year, employment__business__village=village))


def returnee_wages_of_households(household_ids: Iterable[int], year: int) -> list[HouseholdWages]:
    """The same rows for the households `household_ids` (a household's page, a centre household's
    linked households), whatever village the business lies in. One query. Not scoped."""
    return _wages_by_household(WageRecord.objects.filter(year=year, employment__household_id__in=list(household_ids)))


def _wages_by_household(records: QuerySet[WageRecord]) -> list[HouseholdWages]:
    by_household: dict[int, list[tuple[int, int, Decimal]]] = {}
    rows: Iterable[tuple[int, int, int, Decimal]] = records.order_by(
        "employment__household_id", "employment_id", "id"
    ).values_list("employment__household_id", "employment_id", "id", "amount")
    for household_id, employment_id, record_id, amount in rows:
        by_household.setdefault(household_id, []).append((employment_id, record_id, amount))
    return [
        HouseholdWages(
            household_id=hid,
            amount=sum((a for _e, _r, a in lines), Decimal("0.00")),
            employment_ids=tuple(dict.fromkeys(e for e, _r, _a in lines)),
            wage_record_ids=tuple(r for _e, r, _a in lines),
        )
        for hid, lines in sorted(by_household.items())
    ]
