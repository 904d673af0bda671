"""Every read of party organisations, members and centre households, for an acting user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Substr

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import EVERY_ROW, Capability, get_scoped_or_404, scope_for
from hongniudai.common import parsing, pick
from hongniudai.common.tree import Sorted, Unindexed, ancestor_ids, walked_in_path_order
from hongniudai.places.models import AreaKind, AreaNode, Household, Resident
from hongniudai.places.selectors import resident_search_q

from .models import CentreHousehold, Member, OrgKind, PartyOrg, Post


def _member_count() -> Case:
    """An organisation's own members: a branch's members (Member.org), a party group's members
    (Member.party_group: every member is placed in a group of their branch). The count follows the
    rows the party services write, so it is true after every add, move and removal."""
    return Case(
        When(kind=OrgKind.PARTY_GROUP, then=_members_of("party_group")),
        default=_members_of("org"),
    )


def _members_of(field: str) -> Coalesce:
    """The members whose `field` is the row's organisation, counted for each row shown (a
    correlated subquery), not by joining and grouping every organisation in scope before the
    page is cut."""
    rows = Member.objects.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk"))
    return Coalesce(Subquery(rows.values("n")), 0)


def orgs(
    user: User, *, kind: str = "", branch_type: str = "", q: str = "", within: PartyOrg | None = None
) -> QuerySet[PartyOrg]:
    qs = scope_for(user).filter(PartyOrg.objects.select_related("parent", "area"))
    if kind:
        qs = qs.filter(kind=kind)
    if branch_type:
        qs = qs.filter(branch_type=branch_type)
    if within is not None:
        qs = qs.filter(path__under=within.path)
    if q:
        qs = qs.filter(name__icontains=q.strip())
    return qs.annotate(member_count=_member_count()).order_by("path")


def org_get(user: User, pk: int) -> PartyOrg:
    return get_scoped_or_404(user, PartyOrg.objects.select_related("parent", "area"), pk=pk)


def org_children(user: User, org: PartyOrg) -> QuerySet[PartyOrg]:
    return (
        scope_for(user)
        .filter(org.children.select_related("area"))
        .annotate(member_count=_member_count(), group_count=Count("group_members", distinct=True))
        .order_by("sort_order", "name")
    )


def org_roots(user: User) -> list[PartyOrg]:
    scope = scope_for(user)
    if scope.q(PartyOrg) is EVERY_ROW:
        # The whole tree (a county's administrator): its roots, found by the index, not by
        # comparing every organisation with every other (36 ms at county scale: the planner
        # expected 1,800 roots and hashed every area to join them).
        return list(PartyOrg.objects.filter(parent__isnull=True).select_related("area").order_by("path"))
    visible = scope.filter(PartyOrg.objects.all())
    # The top visible nodes: those whose parent is not visible.
    return list(visible.exclude(parent__in=visible.values("pk")).select_related("area").order_by("path"))


def branches_for_choice(user: User, capability: Capability = Capability.EDIT_PARTY) -> QuerySet[PartyOrg]:
    return scope_for(user, capability).filter(PartyOrg.objects.filter(kind=OrgKind.BRANCH)).order_by("path")


def groups_for_choice(user: User, capability: Capability = Capability.EDIT_PARTY) -> QuerySet[PartyOrg]:
    return (
        scope_for(user, capability)
        .filter(PartyOrg.objects.filter(kind=OrgKind.PARTY_GROUP).select_related("parent"))
        .order_by("path")
    )


def members(
    user: User,
    *,
    q: str = "",
    org: PartyOrg | None = None,
    status: str = "",
    post: str = "",
    area: AreaNode | None = None,
) -> QuerySet[Member]:
    scope = scope_for(user)
    qs = scope.filter(Member.objects.select_related("resident", "resident__household__hamlet", "org", "party_group"))
    if org is not None:
        qs = qs.filter(Q(org__path__under=org.path) | Q(party_group=org))
    if area is not None:
        qs = qs.filter(resident__household__hamlet__path__under=area.path)
    if status:
        qs = qs.filter(status=status)
    if post:
        qs = qs.filter(post=post)
    if q:
        qs = qs.filter(members_matching(q))
    if scope.is_narrow:
        # A village's or a grid's few members, found by their organisations' ids, then sorted.
        return qs.order_by(Sorted("org__path"), "id")
    # SQLite: walk the organisations in the list's order rather than sort every member in scope.
    return walked_in_path_order(qs, "org__path").order_by("org__path", "id")


def members_matching(q: str) -> Q:
    """Members whose resident the search `q` finds (name, pinyin, ID number: `places.search`), for a
    filter on members."""
    return resident_search_q(q, through="resident")


def member_get(user: User, pk: int) -> Member:
    return get_scoped_or_404(
        user,
        Member.objects.select_related("resident", "resident__household__hamlet", "org", "org__area", "party_group"),
        pk=pk,
    )


def centre_households(user: User, *, area: AreaNode | None = None) -> QuerySet[CentreHousehold]:
    qs = scope_for(user).filter(
        CentreHousehold.objects.select_related("hamlet", "member", "member__resident").annotate(
            linked_count=Count("linked_households")
        )
    )
    if area is not None:
        qs = qs.filter(hamlet__path__under=area.path)
    return qs.order_by("hamlet__path")


def grid_overview(user: User, grid: AreaNode) -> dict[str, Any]:
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


# ---- for the web pages --------------------------------------------------------------------


@dataclass
class OrgNode:
    """One node of the organisation tree as a page shows it: counts for its subtree, and its
    children (or, for a party group, its grid's centre households) when expanded."""

    org: PartyOrg
    member_count: int = 0
    child_count: int = 0
    centre_count: int = 0
    children: list[OrgNode] | None = None
    centres: list[CentreHousehold] | None = None

    @property
    def expandable(self) -> bool:
        return bool(self.child_count or self.centre_count)

    @property
    def expanded(self) -> bool:
        return self.children is not None or self.centres is not None


def org_tree_nodes(user: User, parent: PartyOrg | None) -> list[OrgNode]:
    """Children of `parent` (or the user's visible roots) with their visible members (whole
    subtree; for a party group its group members), child counts and, for party groups, the
    number of centre households in their grid. A fixed number of queries per level."""
    scope = scope_for(user)
    if parent is None:
        nodes = org_roots(user)
    else:
        nodes = list(scope.filter(parent.children.select_related("area")).order_by("sort_order", "name"))
    if not nodes:
        return []
    ids = [n.pk for n in nodes]
    child_counts = dict(
        scope.filter(PartyOrg.objects.filter(parent_id__in=ids))
        .values("parent_id")
        .annotate(n=Count("id"))
        .values_list("parent_id", "n")
    )
    member_counts: dict[str, int] = {}
    for length in {len(n.path) for n in nodes}:
        prefixes = [n.path for n in nodes if len(n.path) == length]
        cond = Q()
        for p in prefixes:
            cond |= Q(org__path__under=p)
        rows = (
            scope.filter(Member.objects.filter(cond))
            .annotate(prefix=Substr("org__path", 1, length))
            .values("prefix")
            .annotate(n=Count("id"))
            .values_list("prefix", "n")
        )
        member_counts.update(dict(rows))
    groups = [n for n in nodes if n.kind == OrgKind.PARTY_GROUP]
    group_counts: dict[Any, int] = {}
    centre_counts: dict[Any, int] = {}
    if groups:
        group_counts = dict(
            scope.filter(Member.objects.filter(party_group__in=groups))
            .values("party_group_id")
            .annotate(n=Count("id"))
            .values_list("party_group_id", "n")
        )
        centre_counts = dict(
            scope.filter(CentreHousehold.objects.filter(hamlet__parent_id__in={g.area_id for g in groups}))
            .values("hamlet__parent_id")
            .annotate(n=Count("id"))
            .values_list("hamlet__parent_id", "n")
        )
    out = []
    for n in nodes:
        if n.kind == OrgKind.PARTY_GROUP:
            out.append(OrgNode(n, member_count=group_counts.get(n.pk, 0), centre_count=centre_counts.get(n.area_id, 0)))
        else:
            out.append(OrgNode(n, member_count=member_counts.get(n.path, 0), child_count=child_counts.get(n.pk, 0)))
    return out


def group_centres(user: User, group: PartyOrg) -> list[CentreHousehold]:
    """The centre households of the hamlets in a party group's grid."""
    return list(
        scope_for(user)
        .filter(
            CentreHousehold.objects.filter(hamlet__parent_id=group.area_id)
            .select_related("hamlet", "member__resident")
            .annotate(linked_count=Count("linked_households"))
        )
        .order_by("hamlet__sort_order", "hamlet__name")
    )


def org_ancestors(user: User, org: PartyOrg) -> list[PartyOrg]:
    """Ancestors of `org` that the user may see (breadcrumbs), top first."""
    ids = ancestor_ids(org.path)[:-1]
    return list(scope_for(user).filter(PartyOrg.objects.filter(pk__in=ids)).order_by("depth"))


def org_get_optional(user: User, value: Any) -> PartyOrg | None:
    """The organisation named by a request parameter: None when blank, not a number or not visible."""
    pk = parsing.parse_id(value)
    if pk is None:
        return None
    return scope_for(user).filter(PartyOrg.objects.select_related("area").filter(pk=pk)).first()


def org_members(user: User, org: PartyOrg) -> QuerySet[Member]:
    """Members shown on an organisation's page: a branch's members, a party group's members, or
    everyone in a higher organisation's subtree; posts first."""
    if org.kind == OrgKind.PARTY_GROUP:
        qs = Member.objects.filter(party_group=org)
    else:
        qs = Member.objects.filter(org__path__under=org.path)
    return (
        scope_for(user)
        .filter(qs.select_related("resident", "org", "party_group"))
        .annotate(
            post_rank=Case(
                When(post=Post.SECRETARY, then=Value(0)),
                When(post=Post.DEPUTY_SECRETARY, then=Value(1)),
                When(post=Post.COMMITTEE_MEMBER, then=Value(2)),
                When(post=Post.GROUP_LEADER, then=Value(3)),
                default=Value(9),
            )
        )
        .order_by("post_rank", "org__path", "id")
    )


def areas_for_org_choice(user: User, *, kinds: tuple[str, ...] = ()) -> QuerySet[AreaNode]:
    """Areas a new or edited organisation may be linked to: where the user may edit the party tree."""
    qs = scope_for(user, Capability.EDIT_PARTY).filter(AreaNode.objects.all())
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return qs.only("id", "name", "kind", "depth", "path", "is_community").order_by("path")


def residents_for_member_choice(user: User, *, q: str = "", id_digest: str = "") -> QuerySet[Resident]:
    """Visible residents who have no party-member record yet (searchable like the resident list;
    `id_digest` finds one by the digest of an ID number)."""
    qs = scope_for(user).filter(Resident.objects.filter(party_member__isnull=True).select_related("household__hamlet"))
    if q:
        qs = qs.filter(resident_search_q(q))
    if id_digest:
        qs = qs.filter(id_digest=id_digest)
    return qs.order_by("household__hamlet__path", "name", "id")


def member_centre_duties(user: User, member: Member) -> list[CentreHousehold]:
    return list(
        scope_for(user)
        .filter(
            member.centre_households.select_related("hamlet", "hamlet__parent").annotate(
                linked_count=Count("linked_households")
            )
        )
        .order_by("hamlet__path")
    )


def members_for_centre_choice(user: User) -> QuerySet[Member]:
    return scope_for(user).filter(Member.objects.select_related("resident", "org")).order_by("org__path", "id")


def hamlets_with_centres(user: User, *, area: AreaNode | None = None, state: str = "") -> QuerySet[AreaNode]:
    """Visible hamlets, each with its centre household (or none), the member, the member's branch
    and the number of linked households: one query. `state` is "set", "missing" or blank."""
    # The kind, unindexed on SQLite: most nodes are hamlets, and the path's index gives the order.
    hamlets = AreaNode.objects.alias(node_kind=Unindexed("kind")).filter(node_kind=AreaKind.HAMLET)
    qs = scope_for(user).filter(
        hamlets.select_related(
            "parent",
            "parent__parent",
            "centre_household",
            "centre_household__member",
            "centre_household__member__resident",
            "centre_household__member__org",
        )
    )
    if area is not None:
        qs = qs.filter(path__under=area.path)
    if state == "set":
        qs = qs.filter(centre_household__isnull=False)
    elif state == "missing":
        qs = qs.filter(centre_household__isnull=True)
    # The linked households counted per hamlet shown (correlated), not by grouping every hamlet in
    # scope with its links before the page is cut: the demo town's query took 43 ms that way.
    through: Any = CentreHousehold.linked_households.through
    links = through.objects.filter(centrehousehold__hamlet=OuterRef("pk"))
    count = Subquery(links.order_by().values("centrehousehold").annotate(n=Count("*")).values("n"))
    return qs.annotate(linked_count=Coalesce(count, Value(0), output_field=IntegerField())).order_by("path")


def hamlet_get(user: User, pk: int) -> AreaNode:
    return get_scoped_or_404(
        user, AreaNode.objects.select_related("parent", "parent__parent"), pk=pk, kind=AreaKind.HAMLET
    )


def centre_for_hamlet(user: User, hamlet: AreaNode) -> CentreHousehold | None:
    return (
        scope_for(user)
        .filter(CentreHousehold.objects.filter(hamlet=hamlet).select_related("member__resident"))
        .prefetch_related("linked_households")
        .first()
    )


def centre_get(user: User, pk: int) -> CentreHousehold:
    return get_scoped_or_404(
        user, CentreHousehold.objects.select_related("hamlet", "hamlet__parent", "member__resident"), pk=pk
    )


def grid_households_for_choice(user: User, hamlet: AreaNode) -> QuerySet[Household]:
    """Households a hamlet's centre household may be linked to: those of the hamlet's grid."""
    grid_path = hamlet.parent.path if hamlet.parent_id and hamlet.parent else hamlet.path
    return (
        scope_for(user)
        .filter(Household.objects.filter(hamlet__path__under=grid_path).select_related("hamlet", "head"))
        .order_by("hamlet__path", "number", "id")
    )


def orgs_for_filter(user: User) -> QuerySet[PartyOrg]:
    """Visible organisations for the "党组织" filter of the list pages (one light query)."""
    return (
        scope_for(user)
        .filter(PartyOrg.objects.only("id", "name", "kind", "branch_type", "depth", "path"))
        .order_by("path")
    )


def members_by_id_digest(user: User, queryset: QuerySet[Member], digest: str) -> QuerySet[Member]:
    """Narrow a `members(...)` result to the resident with this ID-number digest: lets a page
    carry an exact-ID search in its links without the number itself."""
    return scope_for(user).filter(queryset.filter(resident__id_digest=digest))


# ---- the organisation picker (common.pick) --------------------------------------------------


def org_top_depth(user: User) -> int:
    """Where the picker's labels start: below the user's one top organisation, at the highest of several."""
    visible = scope_for(user).filter(PartyOrg.objects.all())
    depths = list(visible.exclude(parent__in=visible.values("pk")).values_list("depth", flat=True)[:2])
    if not depths:
        return 1
    return depths[0] + 1 if len(depths) == 1 else min(depths)


def pick_orgs(user: User, *, q: str = "", parent: Any = None) -> tuple[list[pick.PickRow], bool, PartyOrg | None]:
    """Organisations of the user's scope for the organisation picker: those matching `q`, or the
    children of the visible organisation `parent`, or the user's top ones; (rows, more, parent)."""
    visible = scope_for(user).filter(PartyOrg.objects.all())
    roots = visible.exclude(parent__in=visible.values("pk"))
    top = org_top_depth(user)
    return pick.pick_nodes(visible, q=q, parent=parent, roots=roots, top_depth=top, leaf=(OrgKind.PARTY_GROUP,))
