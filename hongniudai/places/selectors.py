"""Every read of areas, households and residents, always for an acting user."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Substr
from django.http import Http404

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, get_scoped_or_404, scope_for
from hongniudai.common import parsing, pick
from hongniudai.common.identity import id_number_digest, parse_citizen_id
from hongniudai.common.tree import ancestor_ids

from . import search
from .contributions import registry
from .models import AreaKind, AreaNode, Household, RegistrationReview, Resident, ReviewStatus, elderly_cutoff

# ---- areas --------------------------------------------------------------------------------


def areas(user: User, *, kind: str | None = None, q: str = "", within: AreaNode | None = None) -> QuerySet[AreaNode]:
    qs = scope_for(user).filter(AreaNode.objects.select_related("parent"))
    if kind:
        qs = qs.filter(kind=kind)
    if within is not None:
        qs = qs.filter(path__under=within.path)
    if q:
        qs = qs.filter(name__icontains=q.strip())
    return qs.order_by("path")


def area_get(user: User, pk: int) -> AreaNode:
    return get_scoped_or_404(user, AreaNode.objects.select_related("parent"), pk=pk)


def area_roots(user: User) -> list[AreaNode]:
    """The top nodes a user may browse: the nodes their assignments name (minimal set)."""
    scope = scope_for(user)
    if scope.everything:
        return list(AreaNode.objects.filter(parent__isnull=True).order_by("sort_order", "name"))
    return list(AreaNode.objects.filter(path__in=scope.area_paths).order_by("path"))


def area_ancestors(user: User, area: AreaNode) -> list[AreaNode]:
    """Ancestors of `area` that the user may see (for breadcrumbs)."""
    ids = ancestor_ids(area.path)[:-1]
    return list(scope_for(user).filter(AreaNode.objects.filter(pk__in=ids)).order_by("depth"))


@dataclass
class NodeCounts:
    node: AreaNode
    children: int = 0
    households: int = 0
    residents: int = 0
    members: int = 0
    extra: dict[str, int] = field(default_factory=dict)


def _counts_by_prefix(qs: QuerySet[Any], path_field: str, length: int) -> dict[str, int]:
    rows = (
        qs.annotate(prefix=Substr(path_field, 1, length))
        .values("prefix")
        .annotate(n=Count("*"))
        .values_list("prefix", "n")
    )
    return dict(rows)


def area_children_with_counts(user: User, parent: AreaNode | None) -> list[NodeCounts]:
    """Children of `parent` (or the user's roots) with households, residents and members in each
    subtree: sums of the hamlets' counters (`counters.py`). Two queries per path length,
    whatever the number of children or people."""
    nodes = (
        list(scope_for(user).filter(parent.children.all()).order_by("sort_order", "name"))
        if parent is not None
        else area_roots(user)
    )
    if not nodes:
        return []
    # Children of one parent share one path length; roots may not, so group per length.
    result: dict[int, NodeCounts] = {n.pk: NodeCounts(node=n) for n in nodes}
    lengths = {len(n.path) for n in nodes}
    for length in lengths:
        group = [n for n in nodes if len(n.path) == length]
        prefixes = [n.path for n in group]
        base_q = Q()
        for p in prefixes:
            base_q |= Q(path__under=p)
        children = _counts_by_prefix(
            AreaNode.objects.filter(base_q).exclude(path__in=prefixes).filter(depth__in={n.depth + 1 for n in group}),
            "path",
            length,
        )
        sums = {
            row["prefix"]: row
            for row in AreaNode.objects.filter(base_q, kind=AreaKind.HAMLET)
            .annotate(prefix=Substr("path", 1, length))
            .values("prefix")
            .annotate(h=Sum("households_here"), r=Sum("residents_here"), m=Sum("members_here"))
            .order_by()
        }
        for n in group:
            c = result[n.pk]
            c.children = children.get(n.path, 0)
            row = sums.get(n.path) or {}
            c.households = row.get("h") or 0
            c.residents = row.get("r") or 0
            c.members = row.get("m") or 0
    return [result[n.pk] for n in nodes]


def hamlets_for_choice(user: User, capability: Capability = Capability.EDIT_PEOPLE) -> QuerySet[AreaNode]:
    return scope_for(user, capability).filter(AreaNode.objects.filter(kind=AreaKind.HAMLET)).order_by("path")


# ---- households ---------------------------------------------------------------------------


def households(
    user: User,
    *,
    q: str = "",
    area: AreaNode | None = None,
    formerly_poor: bool | None = None,
    monitored: bool | None = None,
) -> QuerySet[Household]:
    qs = scope_for(user).filter(Household.objects.select_related("hamlet", "hamlet__parent", "head"))
    if area is not None:
        qs = qs.filter(hamlet__path__under=area.path)
    if formerly_poor is not None:
        qs = qs.filter(is_formerly_poor=formerly_poor)
    if monitored is not None:
        qs = qs.filter(is_monitored=monitored)
    if q:
        q = q.strip()
        qs = qs.filter(Q(address__icontains=q) | Q(number=q) | Q(head__name__icontains=q))
    # The members counted per household shown (a correlated count), not by grouping every household
    # in scope before the page is cut: a town's list took 24 ms in SQLite that way, 4 ms this way.
    members = Resident.objects.filter(household=OuterRef("pk")).order_by().values("household")
    count = Coalesce(Subquery(members.annotate(n=Count("*")).values("n"), output_field=IntegerField()), Value(0))
    return qs.annotate(member_count=count).order_by("hamlet__path", "number", "id")


def household_get(user: User, pk: int) -> Household:
    return get_scoped_or_404(user, Household.objects.select_related("hamlet", "hamlet__parent", "head"), pk=pk)


# ---- residents ----------------------------------------------------------------------------


def resident_search_q(q: str, *, through: str = "") -> Q:
    """Name (part), pinyin initials (`zsf` → 张圣福), full pinyin written together or apart
    ("zhangshengfu", "zhang sheng"), or an exact ID number; answered from an index (`search`).
    `through`: the relation to the resident when filtering another model ("resident")."""
    return search.resident_text_q(q, through=through)


def residents(
    user: User,
    *,
    q: str = "",
    area: AreaNode | None = None,
    elderly: bool | None = None,
    veteran: bool | None = None,
    returnee: bool | None = None,
    disabled: bool | None = None,
    sex: str = "",
) -> QuerySet[Resident]:
    qs = scope_for(user).filter(
        Resident.objects.select_related("household", "household__hamlet", "household__hamlet__parent")
    )
    if area is not None:
        qs = qs.filter(household__hamlet__path__under=area.path)
    if q:
        qs = filter_residents_by_text(qs, q)
    if elderly is True:
        qs = qs.filter(birth_date__lte=elderly_cutoff())
    elif elderly is False:
        qs = qs.filter(birth_date__gt=elderly_cutoff())
    for flag, value in (("is_veteran", veteran), ("is_returnee", returnee), ("is_disabled", disabled)):
        if value is not None:
            qs = qs.filter(**{flag: value})
    if sex:
        qs = qs.filter(sex=sex)
    return qs.order_by("household__hamlet__path", "household_id", "id")


def resident_get(user: User, pk: int) -> Resident:
    return get_scoped_or_404(
        user, Resident.objects.select_related("household", "household__hamlet", "household__hamlet__parent"), pk=pk
    )


def household_members(user: User, household: Household) -> QuerySet[Resident]:
    return scope_for(user).filter(household.members.all()).order_by("id")


def parse_flag(value: str | None) -> bool | None:
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    return None


# ---- for the web pages --------------------------------------------------------------------

FILTER_KINDS = (AreaKind.TOWN, AreaKind.DISTRICT, AreaKind.VILLAGE, AreaKind.GRID, AreaKind.HAMLET, AreaKind.PARK)


def area_get_optional(user: User, value: Any) -> AreaNode | None:
    """The area named by a request parameter: None when blank or not an id (`parsing.parse_id`); 404
    when out of scope."""
    pk = parsing.parse_id(value)
    if pk is None:
        return None
    return area_get(user, pk)


def households_for_choice(
    user: User, capability: Capability = Capability.EDIT_PEOPLE, *, within_path: str = ""
) -> QuerySet[Household]:
    qs = scope_for(user, capability).filter(Household.objects.select_related("hamlet", "head"))
    if within_path:
        qs = qs.filter(hamlet__path__under=within_path)
    return qs.order_by("hamlet__path", "number", "id")


def resident_rows(
    user: User,
    *,
    q: str = "",
    area: AreaNode | None = None,
    elderly: bool | None = None,
    veteran: bool | None = None,
    returnee: bool | None = None,
    disabled: bool | None = None,
    sex: str = "",
    id_digest: str = "",
) -> QuerySet[Resident]:
    """`residents(...)` with the flags the packages above register (`is_member`: has a party-member
    record; see `contributions`) for list pages and exports. `id_digest` finds a resident by the
    keyed digest of the ID number (so the number itself need not travel in links)."""
    qs = residents(user, area=area, elderly=elderly, veteran=veteran, returnee=returnee, disabled=disabled, sex=sex)
    qs = filter_residents_by_text(qs, q)
    if id_digest:
        qs = qs.filter(id_digest=id_digest)
    return qs.annotate(**{name: flag() for name, flag in registry.resident_flags.items()})


def is_id_number_query(q: str) -> bool:
    return bool(search.ID_LIKE.match((q or "").strip()))


def area_totals(user: User, area: AreaNode) -> NodeCounts:
    """Households, residents and party members (`contributions`) in the subtree of `area` (constant
    queries)."""
    scope = scope_for(user)
    residents_here = scope.filter(Resident.objects.filter(household__hamlet__path__under=area.path))
    members = registry.resident_counts.get("members")
    return NodeCounts(
        node=area,
        children=scope.filter(area.children.all()).count(),
        households=scope.filter(Household.objects.filter(hamlet__path__under=area.path)).count(),
        residents=residents_here.count(),
        members=members(user, residents_here) if members is not None else 0,
    )


def filter_residents_by_text(qs: QuerySet[Resident], q: str) -> QuerySet[Resident]:
    """`qs` narrowed to the residents `resident_search_q` finds."""
    return qs.filter(resident_search_q(q)) if (q or "").strip() else qs


# ---- registrations the town reviews -------------------------------------------------------


def registration_reviews(user: User, *, status: str | None = ReviewStatus.PENDING) -> QuerySet[RegistrationReview]:
    """The review requests a reviewer (who may edit places, i.e. the town) sees: those asking to register
    someone in a household of the reviewer's scope; pending first by default."""
    qs = RegistrationReview.objects.select_related(
        "household__hamlet__parent",
        "household__head",
        "resident__household__hamlet__parent",
        "requested_by",
        "decided_by",
    )
    if status:
        qs = qs.filter(status=status)
    return scope_for(user, Capability.EDIT_PLACES).filter(qs)


def registration_review_get(user: User, pk: int) -> RegistrationReview:
    """One review request, 404 unless the user reviews registrations where it asks to register."""
    review = registration_reviews(user, status=None).filter(pk=pk).first()
    if review is None:
        raise Http404
    return review


def registered_elsewhere(user: User, id_number: str) -> Resident | None:
    """The resident registered with `id_number` whom `user` may not see; None when the number is
    invalid, new, or registered within the user's scope (where the usual message applies)."""
    try:
        cid = parse_citizen_id(id_number)
    except ValidationError:
        return None
    other = Resident.objects.filter(id_digest=id_number_digest(cid.number)).select_related("household__hamlet").first()
    if other is None or scope_for(user).covers(other):
        return None
    return other


# ---- the area picker (common.pick) ----------------------------------------------------------


def area_top_depth(user: User) -> int:
    """Where the picker's labels start: below the user's one top area (a town administrator reads
    东片区 › 徐桥村, not 宋河镇 › 东片区 › 徐桥村), at the highest of several."""
    scope = scope_for(user)
    if scope.everything or not scope.area_paths:
        return 1
    top = min(p.count("/") - 1 for p in scope.area_paths)
    return top + 1 if len(scope.area_paths) == 1 else top


def pick_areas(user: User, *, q: str = "", parent: Any = None) -> tuple[list[pick.PickRow], bool, AreaNode | None]:
    """Areas of the user's scope for the area picker: those matching `q` (name, pinyin, initials),
    or the children of the visible area `parent`, or the user's top areas; (rows, more, parent)."""
    visible = scope_for(user).filter(AreaNode.objects.filter(kind__in=FILTER_KINDS))
    roots = visible.filter(pk__in=[r.pk for r in area_roots(user)])
    top = area_top_depth(user)
    return pick.pick_nodes(visible, q=q, parent=parent, roots=roots, top_depth=top, leaf=(AreaKind.HAMLET,))


def pick_households(user: User, *, q: str = "") -> list[Household]:
    """Up to PICK_LIMIT + 1 households of the user's VIEW scope whose head's name, pinyin or initials
    match `q` (or whose number is `q`); none for a blank `q` (a county holds 300,000)."""
    q = q.strip()[: pick.QUERY_MAX]
    if not q or "›" in q:  # a label put back in the box is no search
        return []
    qs = scope_for(user).filter(Household.objects.select_related("hamlet", "head"))
    found = qs.filter(search.resident_text_q(q, through="head") | Q(number=q))
    return list(found.order_by("hamlet__path", "number", "id")[: pick.PICK_LIMIT + 1])


def pick_residents(user: User, *, q: str = "") -> list[Resident]:
    """Up to PICK_LIMIT + 1 residents of the user's VIEW scope matching `q` as the resident list's
    search does (name, pinyin, initials); none for a blank `q`."""
    q = q.strip()[: pick.QUERY_MAX]
    if not q or "›" in q:
        return []
    qs = scope_for(user).filter(Resident.objects.select_related("household__hamlet"))
    found = qs.filter(search.resident_text_q(q))
    return list(found.order_by("household__hamlet__path", "household_id", "id")[: pick.PICK_LIMIT + 1])


def counted_total(user: User, *, counter: str, area: AreaNode | None = None) -> int:
    """How many households or residents (`counter`: "households_here", "residents_here") a list
    of the user's scope, or of `area` within it, holds with no other filter: the hamlets' counters
    summed (a few thousand rows for a county) instead of counting up to the cap of the rows
    themselves. Only subtrees give sight of households and residents (no single-record grants)."""
    scope = scope_for(user)
    if area is not None:
        paths: tuple[str, ...] = (area.path,)
    elif scope.everything:
        paths = ("/",)
    else:
        paths = scope.area_paths
    if not paths:
        return 0
    where = Q()
    for path in paths:
        where |= Q(path__under=path)
    total = AreaNode.objects.filter(where, kind=AreaKind.HAMLET).aggregate(n=Sum(counter))["n"]
    return int(total or 0)
