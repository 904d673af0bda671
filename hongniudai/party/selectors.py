"""Every read of party organisations, members and centre households, for an acting user."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from hongniudai.accounts.scope import Capability, get_scoped_or_404, scope_for
from hongniudai.places.models import AreaKind, AreaNode
from hongniudai.places.selectors import resident_search_q

from .models import CentreHousehold, Member, OrgKind, PartyOrg


def orgs(user: Any, *, kind: str = "", branch_type: str = "", q: str = "", within: PartyOrg | None = None) -> QuerySet[PartyOrg]:
    qs = scope_for(user).filter(PartyOrg.objects.select_related("parent", "area"))
    if kind:
        qs = qs.filter(kind=kind)
    if branch_type:
        qs = qs.filter(branch_type=branch_type)
    if within is not None:
        qs = qs.filter(path__startswith=within.path)
    if q:
        qs = qs.filter(name__icontains=q.strip())
    return qs.annotate(member_count=Count("members", distinct=True)).order_by("path")


def org_get(user: Any, pk: int) -> PartyOrg:
    return get_scoped_or_404(user, PartyOrg.objects.select_related("parent", "area"), pk=pk)


def org_children(user: Any, org: PartyOrg) -> QuerySet[PartyOrg]:
    return (
        scope_for(user)
        .filter(org.children.select_related("area"))
        .annotate(member_count=Count("members", distinct=True), group_count=Count("group_members", distinct=True))
        .order_by("sort_order", "name")
    )


def org_roots(user: Any) -> list[PartyOrg]:
    scope = scope_for(user)
    visible = scope.filter(PartyOrg.objects.all())
    # The top visible nodes: those whose parent is not visible.
    return list(
        visible.exclude(parent__in=visible.values("pk")).select_related("area").order_by("path")
    )


def branches_for_choice(user: Any, capability: Capability = Capability.EDIT_PARTY) -> QuerySet[PartyOrg]:
    return scope_for(user, capability).filter(PartyOrg.objects.filter(kind=OrgKind.BRANCH)).order_by("path")


def groups_for_choice(user: Any, capability: Capability = Capability.EDIT_PARTY) -> QuerySet[PartyOrg]:
    return (
        scope_for(user, capability)
        .filter(PartyOrg.objects.filter(kind=OrgKind.PARTY_GROUP).select_related("parent"))
        .order_by("path")
    )


def members(
    user: Any, *, q: str = "", org: PartyOrg | None = None, status: str = "", post: str = "",
    area: AreaNode | None = None,
) -> QuerySet[Member]:
    qs = scope_for(user).filter(
        Member.objects.select_related("resident", "resident__household__hamlet", "org", "party_group")
    )
    if org is not None:
        qs = qs.filter(Q(org__path__startswith=org.path) | Q(party_group=org))
    if area is not None:
        qs = qs.filter(resident__household__hamlet__path__startswith=area.path)
    if status:
        qs = qs.filter(status=status)
    if post:
        qs = qs.filter(post=post)
    if q:
        qs = qs.filter(
            Q(resident__in=scope_for_resident_search(q))
        )
    return qs.order_by("org__path", "id")


def scope_for_resident_search(q: str) -> Any:
    from hongniudai.places.models import Resident

    return Resident.objects.filter(resident_search_q(q)).values("pk")


def member_get(user: Any, pk: int) -> Member:
    return get_scoped_or_404(
        user,
        Member.objects.select_related("resident", "resident__household__hamlet", "org", "org__area", "party_group"),
        pk=pk,
    )


def centre_households(user: Any, *, area: AreaNode | None = None) -> QuerySet[CentreHousehold]:
    qs = scope_for(user).filter(
        CentreHousehold.objects.select_related("hamlet", "member", "member__resident").annotate(
            linked_count=Count("linked_households")
        )
    )
    if area is not None:
        qs = qs.filter(hamlet__path__startswith=area.path)
    return qs.order_by("hamlet__path")


def grid_overview(user: Any, grid: AreaNode) -> dict[str, Any]:
    """For a grid (村组): its party group(s), each hamlet with its centre household and counts.
    The link between the party organisation and the grid."""
    assert grid.kind == AreaKind.GRID
    groups = list(
        scope_for(user)
        .filter(PartyOrg.objects.filter(kind=OrgKind.PARTY_GROUP, area=grid).select_related("parent"))
        .annotate(member_count=Count("group_members"))
    )
    group_members = list(
        scope_for(user)
        .filter(Member.objects.filter(party_group__in=groups).select_related("resident"))
        .order_by("post", "id")
    )
    hamlets = list(
        scope_for(user)
        .filter(grid.children.all())
        .annotate(household_count=Count("households", distinct=True))
        .prefetch_related(
            Prefetch(
                "centre_household",
                queryset=CentreHousehold.objects.select_related("member__resident").annotate(
                    linked_count=Count("linked_households")
                ),
            )
        )
        .order_by("sort_order", "name")
    )
    return {"groups": groups, "group_members": group_members, "hamlets": hamlets}
