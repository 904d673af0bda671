"""Every read of enterprise party work, for an acting user, always scoped.

Coverage (应建尽建, 《中国共产党章程》第三十条: 企业……凡是有正式党员三人以上的,都应当成立党的
基层组织) is kept on each enterprise (`full_members`, `coverage`: see `rollups`), so the summary
groups a column.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongniudai.accounts.models import Role, RoleAssignment, User
from hongniudai.accounts.scope import Capability, get_scoped_or_404, scope_for
from hongniudai.common import parsing, pick
from hongniudai.orglife.interface import org_compliance
from hongniudai.party.models import BranchType, Member, OrgKind, PartyOrg
from hongniudai.places.models import AreaKind, AreaNode, Resident
from hongniudai.places.selectors import resident_search_q

from . import rollups
from .models import (
    ENTERPRISE_BRANCH_TYPES,
    Coverage,
    Employment,
    Enterprise,
    GuidanceFollowUp,
    GuidanceVisit,
    Industry,
    Instructor,
    InstructorAssignment,
)
from .uscc import normalize_uscc

COVERAGE_SOURCE = _("《中国共产党章程》第三十条")
COVERAGE_RULE = _(
    "企业、农村、机关、学校、科研院所、街道社区、社会组织、人民解放军连队和其他基层单位,"
    "凡是有正式党员三人以上的,都应当成立党的基层组织。"
)


OWN_BRANCH_THRESHOLD = rollups.OWN_BRANCH_THRESHOLD

COVERED = (Coverage.OWN_BRANCH, Coverage.JOINT_BRANCH, Coverage.WATCHED)
GAPS = (Coverage.SHOULD_FOUND, Coverage.SHOULD_JOIN, Coverage.NO_INSTRUCTOR)


def enterprises_with_coverage(user: User) -> QuerySet[Enterprise]:
    """The enterprises `user` may see, with their branch and area. Each carries `full_members`
    (employments of full members) and `coverage` (a `Coverage` value), kept by the services as
    `rollups` defines them:

    - 3 or more full members: covered only by an own branch (type enterprise), else should_found;
    - 1–2 full members: covered by an own or a joint branch, else should_join;
    - no full member: covered by a branch or an instructor (watched), else no_instructor.
    """
    return scope_for(user).filter(Enterprise.objects.select_related("area", "branch"))


def enterprises(
    user: User,
    *,
    area: AreaNode | None = None,
    industry: str = "",
    coverage: str = "",
    q: str = "",
    branch: PartyOrg | None = None,
    active: bool | None = None,
) -> QuerySet[Enterprise]:
    qs = enterprises_with_coverage(user)
    if area is not None:
        qs = qs.filter(area__path__under=area.path)
    if industry:
        qs = qs.filter(industry=industry)
    if coverage:
        qs = qs.filter(coverage=coverage)
    if branch is not None:
        qs = qs.filter(branch__path__under=branch.path)
    if active is not None:
        qs = qs.filter(is_active=active)
    if q:
        qs = matching(qs, q)
    return qs.order_by("area__path", "name", "id")


def matching(enterprises: QuerySet[Enterprise], q: str) -> QuerySet[Enterprise]:
    """The enterprises of `enterprises` whose name holds `q` or whose USCC starts with it."""
    q = q.strip()
    return enterprises.filter(Q(name__icontains=q) | Q(uscc__startswith=normalize_uscc(q)))


def pick_enterprises(user: User, *, q: str = "") -> list[Enterprise]:
    """Up to PICK_LIMIT + 1 enterprises of the user's scope by name (or USCC); none for a blank `q`."""
    q = q.strip()[: pick.QUERY_MAX]
    if not q:
        return []
    qs = scope_for(user).filter(Enterprise.objects.only("id", "name"))
    return list(matching(qs, q).order_by("name", "id")[: pick.PICK_LIMIT + 1])


def enterprise_get(user: User, pk: int) -> Enterprise:
    return get_scoped_or_404(user, enterprises_with_coverage(user), pk=pk)


def enterprises_of_org(user: User, org: PartyOrg) -> QuerySet[Enterprise]:
    """Enterprises belonging to `org`: a branch's own or joined enterprises, or those of every
    branch under a park joint organisation or an industry committee. For the org page."""
    return enterprises_with_coverage(user).filter(branch__path__under=org.path).order_by("name", "id")


def enterprise_employments(user: User, enterprise: Enterprise) -> QuerySet[Employment]:
    return (
        scope_for(user)
        .filter(enterprise.employments.select_related("member__resident", "member__org"))
        .order_by("member__status", "id")
    )


def enterprise_instructors(enterprise: Enterprise) -> list[User]:
    """Who guides the enterprise now (names only; the grant itself is what matters)."""
    return list(enterprise.instructors.order_by("id"))


def areas_for_enterprise_choice(user: User) -> QuerySet[AreaNode]:
    """Parks and villages where the user may maintain enterprises."""
    return (
        scope_for(user, Capability.EDIT_PARTY)
        .filter(AreaNode.objects.filter(kind__in=(AreaKind.PARK, AreaKind.VILLAGE)))
        .only("id", "name", "kind", "depth", "path", "is_community")
        .order_by("path")
    )


def areas_for_filter(user: User) -> QuerySet[AreaNode]:
    """Visible areas for the "地区" filter (the area picker offers any of them; an enterprise sits at
    a village, community or park, so a grid or hamlet chosen there simply finds none)."""
    return (
        scope_for(user)
        .filter(AreaNode.objects.all())
        .only("id", "name", "kind", "depth", "path", "is_community")
        .order_by("path")
    )


def area_get_optional(user: User, value: Any) -> AreaNode | None:
    pk = parsing.parse_id(value)
    if pk is None:
        return None
    return scope_for(user).filter(AreaNode.objects.filter(pk=pk)).first()


def branches_for_enterprise_choice(user: User) -> QuerySet[PartyOrg]:
    """Branches an enterprise may belong to: enterprise or joint branches the user can see."""
    return (
        scope_for(user)
        .filter(PartyOrg.objects.filter(kind=OrgKind.BRANCH, branch_type__in=ENTERPRISE_BRANCH_TYPES))
        .order_by("path")
    )


def members_for_employment_choice(user: User, *, q: str = "") -> QuerySet[Member]:
    """Members the user can see who have no workplace recorded yet."""
    qs = scope_for(user).filter(Member.objects.filter(employment__isnull=True).select_related("resident", "org"))
    if q:
        qs = qs.filter(resident__in=_residents_matching(q))
    return qs.order_by("org__path", "id")


def _residents_matching(q: str) -> Any:
    return Resident.objects.filter(resident_search_q(q)).values("pk")


def employment_get(user: User, pk: int) -> Employment:
    return get_scoped_or_404(
        user, Employment.objects.select_related("enterprise", "enterprise__area", "member__resident"), pk=pk
    )


def employments(user: User, *, enterprise: Enterprise | None = None) -> QuerySet[Employment]:
    qs = scope_for(user).filter(Employment.objects.select_related("enterprise", "member__resident", "member__org"))
    if enterprise is not None:
        qs = qs.filter(enterprise=enterprise)
    return qs.order_by("enterprise_id", "id")


# ---- coverage summary -----------------------------------------------------------------------


@dataclass
class CoverageRow:
    """Counts of one group (the town, an area, an industry) by coverage state."""

    key: Any
    label: str
    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    # A town's row (its parks' and villages' summed), which links to the town's own coverage page.
    is_town: bool = False

    @property
    def covered(self) -> int:
        return sum(self.counts.get(c, 0) for c in COVERED)

    @property
    def gaps(self) -> int:
        return self.total - self.covered

    @property
    def rate(self) -> float | None:
        return self.covered / self.total if self.total else None

    @property
    def percent(self) -> str:
        return "—" if self.rate is None else f"{self.rate * 100:.1f}%"

    def count(self, state: str) -> int:
        return self.counts.get(state, 0)

    @property
    def states(self) -> list[tuple[str, str, int]]:
        return [(c.value, str(c.label), self.counts.get(c.value, 0)) for c in Coverage]


@dataclass
class CoverageSummary:
    overall: CoverageRow
    by_area: list[CoverageRow]
    by_industry: list[CoverageRow]
    # `by_area` holds a row per town (and per park or village outside any town).
    by_town: bool = False


def _area_rows(
    area_ids: set[int], areas_of: QuerySet[Any], *, towns: QuerySet[AreaNode] | None
) -> tuple[dict[int, CoverageRow], dict[int, str], bool]:
    """The row each area's enterprises count in, keyed by area id, and each row's path (its tree
    order): the area's own, or its town's among `towns` (the towns the user sees, whose pages
    show their villages' rows) when the areas lie in more than one of them. The areas are read by
    `areas_of` (their ids, as a subquery: a county's 300 ids cost more to send than to find); the
    towns (a county's 20) by one more query."""
    found_areas = AreaNode.objects.filter(pk__in=areas_of).order_by().values_list("pk", "name", "path")
    areas = {pk: (name, path) for pk, name, path in found_areas}
    town_of: dict[int, tuple[int, str, str]] = {}
    if towns is not None and areas:
        by_path = {path: (pk, name, path) for pk, name, path in towns.order_by().values_list("pk", "name", "path")}
        lengths = sorted({len(p) for p in by_path})
        for pk, (_name, path) in areas.items():
            town = next((by_path[path[:n]] for n in lengths if path[:n] in by_path), None)
            if town is not None:
                town_of[pk] = town
    by_town = len({t[0] for t in town_of.values()}) > 1
    rows: dict[int, CoverageRow] = {}
    paths: dict[int, str] = {}
    shared: dict[int, CoverageRow] = {}
    for pk in area_ids:
        name, path = areas.get(pk, ("", ""))
        town = town_of.get(pk) if by_town else None
        if town is None:
            rows[pk], paths[pk] = CoverageRow(key=pk, label=name), path
            continue
        if town[0] not in shared:
            shared[town[0]] = CoverageRow(key=town[0], label=town[1], is_town=True)
        rows[pk], paths[pk] = shared[town[0]], town[2]
    return rows, paths, by_town


def _in_operation(user: User, area: AreaNode | None) -> QuerySet[Enterprise]:
    """The enterprises in operation the user may see (under `area`), unordered: what the summary
    groups and the gaps are cut from."""
    return enterprises(user, area=area, active=True).order_by()


def _summary(user: User, base: QuerySet[Enterprise], *, area: AreaNode | None, towns: bool) -> CoverageSummary:
    rows = list(base.values_list("area_id", "industry", "coverage").annotate(n=Count("pk")).order_by())
    row_of, area_paths, by_town = _area_rows(
        {area_id for area_id, _i, _c, _n in rows},
        base.values("area_id").distinct(),
        towns=scope_for(user).filter(AreaNode.objects.filter(kind=AreaKind.TOWN)) if towns else None,
    )
    overall = CoverageRow(key=None, label=str(area.name) if area else str(_("全部")))
    by_area: dict[int, CoverageRow] = {}
    by_industry: dict[str, CoverageRow] = {}
    for area_id, industry, coverage, n in rows:
        a = row_of[area_id]
        by_area[a.key] = a
        i = by_industry.get(industry)
        if i is None:
            i = by_industry[industry] = CoverageRow(key=industry, label=str(Industry(industry).label))
        for row in (overall, a, i):
            row.total += n
            row.counts[coverage] = row.counts.get(coverage, 0) + n
    industry_order = {v: n for n, v in enumerate(Industry.values)}
    path_of = {row_of[pk].key: path for pk, path in area_paths.items()}
    return CoverageSummary(
        overall=overall,
        by_area=sorted(by_area.values(), key=lambda r: path_of.get(r.key, "")),
        by_industry=sorted(by_industry.values(), key=lambda r: industry_order.get(r.key, 99)),
        by_town=by_town,
    )


def coverage_summary(user: User, *, area: AreaNode | None = None, towns: bool = False) -> CoverageSummary:
    """Rates of the enterprises in operation the user may see: overall, per park or village (with
    `towns`, per town when they lie in more than one: a county's page) and per industry. One
    grouped query, counted by the database."""
    return _summary(user, _in_operation(user, area), area=area, towns=towns)


def _gaps(base: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
    # Among the gaps the state follows the number of full members alone (3+: should_found, 1–2:
    # should_join, none: no_instructor), so ordering by that number, largest first, orders by
    # state too. The area's path read per gap (by its key, unordered: one row), not by joining
    # the gaps to the areas: at county scale nearly every enterprise is a gap, and the join
    # hashed all 12,786 areas (14 ms) to sort them.
    area_path = Subquery(AreaNode.objects.filter(pk=OuterRef("area_id")).order_by().values("path")[:1])
    return (
        base.filter(coverage__in=[c.value for c in GAPS])
        .annotate(area_path=area_path)
        .order_by("-full_members", "area_path", "name")
    )


def coverage_gaps(user: User, *, area: AreaNode | None = None) -> QuerySet[Enterprise]:
    """Every enterprise in operation with a gap: three or more full members and no own branch,
    members in no organisation, or neither members nor an instructor. Largest gaps first (most
    full members), then by area and name."""
    return _gaps(_in_operation(user, area))


def coverage_page(user: User, *, area: AreaNode | None = None) -> tuple[CoverageSummary, QuerySet[Enterprise]]:
    """The coverage page's summary (per town over more than one) and its gaps (`coverage_gaps`),
    cut from one scoped read of the enterprises, so that the user's grants are looked up once.
    The gaps' number is the summary's (`summary.overall.gaps`): the page need not count them."""
    base = _in_operation(user, area)
    return _summary(user, base, area=area, towns=True), _gaps(base)


def enterprise_values(ids: list[int], fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """`fields` of the enterprises `ids`, in the order of `ids`: a page's rows, read by key once
    the page is cut. `ids` come from a read scoped to the user (`coverage_gaps`): scoping them
    again would only repeat the user's grants query."""
    rows = {r["id"]: r for r in Enterprise.objects.filter(pk__in=ids).values(*dict.fromkeys(("id", *fields)))}
    return [rows[pk] for pk in ids if pk in rows]


# ---- instructors ----------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def instructors(user: User, *, q: str = "") -> QuerySet[Instructor]:
    today = _today()
    open_fu = GuidanceFollowUp.objects.filter(visit__instructor=OuterRef("user_id"), closed_on__isnull=True)
    qs = scope_for(user).filter(Instructor.objects.select_related("user", "area"))
    if q:
        q = q.strip()
        qs = qs.filter(Q(user__display_name__icontains=q) | Q(user__username__icontains=q) | Q(work_unit__icontains=q))
    return qs.annotate(
        open_follow_ups=_count(open_fu),
        overdue_follow_ups=_count(open_fu.filter(due_on__lt=today)),
        current_assignments=_count(
            InstructorAssignment.objects.filter(instructor=OuterRef("user_id"), ended_on__isnull=True)
        ),
    ).order_by("area__path", "id")


def _count(qs: QuerySet[Any]) -> Coalesce:
    """The number of rows of a correlated queryset, as a subquery (no join, no GROUP BY)."""
    counted = qs.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def instructor_get(user: User, pk: int) -> Instructor:
    return get_scoped_or_404(user, Instructor.objects.select_related("user", "area"), pk=pk)


def instructor_of(user: User) -> Instructor | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Instructor.objects.select_related("area").filter(user=user).first()


def assignments(
    user: User, *, instructor: User | None = None, current: bool | None = None
) -> QuerySet[InstructorAssignment]:
    qs = scope_for(user).filter(InstructorAssignment.objects.select_related("instructor", "enterprise", "org", "area"))
    if instructor is not None:
        qs = qs.filter(instructor=instructor)
    if current is True:
        qs = qs.filter(ended_on__isnull=True)
    elif current is False:
        qs = qs.filter(ended_on__isnull=False)
    return qs.order_by("-ended_on", "-since", "-id")


def assignment_get(user: User, pk: int) -> InstructorAssignment:
    return get_scoped_or_404(
        user, InstructorAssignment.objects.select_related("instructor", "enterprise", "org", "area"), pk=pk
    )


def instructors_for_choice(user: User) -> QuerySet[Instructor]:
    return scope_for(user, Capability.EDIT_PARTY).filter(Instructor.objects.select_related("user")).order_by("id")


def towns_for_instructor_choice(user: User) -> QuerySet[AreaNode]:
    return scope_for(user, Capability.EDIT_PARTY).filter(AreaNode.objects.filter(kind=AreaKind.TOWN)).order_by("path")


def enterprises_for_assignment_choice(user: User) -> QuerySet[Enterprise]:
    return (
        scope_for(user, Capability.EDIT_PARTY)
        .filter(Enterprise.objects.select_related("area"))
        .order_by("area__path", "name")
    )


def branches_for_assignment_choice(user: User) -> QuerySet[PartyOrg]:
    return (
        scope_for(user, Capability.EDIT_PARTY)
        .filter(PartyOrg.objects.filter(kind=OrgKind.BRANCH))
        .exclude(branch_type=BranchType.VILLAGE)
        .order_by("path")
    )


def assigned_orgs(user: User, instructor: User) -> list[PartyOrg]:
    """The branches `instructor` is currently assigned to, as far as `user` may see them."""
    ids = InstructorAssignment.objects.filter(instructor=instructor, org__isnull=False, ended_on__isnull=True).values(
        "org_id"
    )
    return list(scope_for(user).filter(PartyOrg.objects.filter(pk__in=ids).select_related("area")).order_by("path"))


def assigned_enterprises(user: User, instructor: User) -> QuerySet[Enterprise]:
    ids = InstructorAssignment.objects.filter(
        instructor=instructor, enterprise__isnull=False, ended_on__isnull=True
    ).values("enterprise_id")
    return enterprises_with_coverage(user).filter(pk__in=ids).order_by("area__path", "name")


def instructor_role_orgs(instructor: User) -> set[int]:
    """Branches on which `instructor` holds the instructor role (kept in step by the services)."""
    return set(
        RoleAssignment.objects.filter(user=instructor, role=Role.INSTRUCTOR, org__isnull=False).values_list(
            "org_id", flat=True
        )
    )


# ---- guidance visits and follow-ups ---------------------------------------------------------


def _overdue() -> ExpressionWrapper:
    return ExpressionWrapper(Q(closed_on__isnull=True, due_on__lt=_today()), output_field=BooleanField())


def visits(
    user: User,
    *,
    instructor: User | None = None,
    org: PartyOrg | None = None,
    enterprise: Enterprise | None = None,
    area: AreaNode | None = None,
) -> QuerySet[GuidanceVisit]:
    open_fu = GuidanceFollowUp.objects.filter(visit=OuterRef("pk"), closed_on__isnull=True)
    qs = scope_for(user).filter(GuidanceVisit.objects.select_related("instructor", "org", "enterprise", "area"))
    if instructor is not None:
        qs = qs.filter(instructor=instructor)
    if org is not None:
        qs = qs.filter(org__path__under=org.path)
    if enterprise is not None:
        qs = qs.filter(Q(enterprise=enterprise) | Q(enterprise__isnull=True, org_id=enterprise.branch_id or 0))
    if area is not None:
        qs = qs.filter(area__path__under=area.path)
    return qs.annotate(
        open_follow_ups=_count(open_fu), overdue_follow_ups=_count(open_fu.filter(due_on__lt=_today()))
    ).order_by("-visited_on", "-id")


def visit_get(user: User, pk: int) -> GuidanceVisit:
    return get_scoped_or_404(
        user, GuidanceVisit.objects.select_related("instructor", "org", "enterprise", "area"), pk=pk
    )


def follow_ups(
    user: User,
    *,
    visit: GuidanceVisit | None = None,
    instructor: User | None = None,
    open_only: bool = False,
) -> QuerySet[GuidanceFollowUp]:
    qs = scope_for(user).filter(
        GuidanceFollowUp.objects.select_related(
            "visit", "visit__org", "visit__enterprise", "visit__instructor", "closed_by"
        )
    )
    if visit is not None:
        qs = qs.filter(visit=visit)
    if instructor is not None:
        qs = qs.filter(visit__instructor=instructor)
    if open_only:
        qs = qs.filter(closed_on__isnull=True)
    return qs.annotate(overdue=_overdue()).order_by("closed_on", "due_on", "id")


def follow_up_get(user: User, pk: int) -> GuidanceFollowUp:
    return get_scoped_or_404(
        user,
        GuidanceFollowUp.objects.select_related("visit", "visit__org", "visit__area", "visit__enterprise").annotate(
            overdue=_overdue()
        ),
        pk=pk,
    )


def guidable_orgs(user: User) -> QuerySet[PartyOrg]:
    """Branches the user may record visits to (GUIDE over them)."""
    return scope_for(user, Capability.GUIDE).filter(PartyOrg.objects.filter(kind=OrgKind.BRANCH)).order_by("path")


def guidable_enterprises(user: User) -> QuerySet[Enterprise]:
    """Enterprises the user may record visits to: GUIDE over them, or a current instructor of them."""
    scope = scope_for(user, Capability.GUIDE)
    granted = Enterprise.instructors.through.objects.filter(user_id=getattr(user, "pk", None) or 0).values(
        "enterprise_id"
    )
    cond = Q(pk__in=granted)
    if not scope.is_empty:
        cond |= scope.q(Enterprise)
    return Enterprise.objects.filter(cond).select_related("area", "branch").order_by("area__path", "name")


# ---- the instructor's own page --------------------------------------------------------------


@dataclass
class GuidedOrg:
    org: PartyOrg
    compliance: Any = None  # orglife's ComplianceCounts, or None while it is not available


def compliance_for(user: User, orgs: list[PartyOrg], *, today: dt.date | None = None) -> dict[int, Any]:
    """Organisational-life compliance of `orgs` this year (`orglife.interface.org_compliance`)."""
    if not orgs:
        return {}
    today = today or _today()
    return dict(org_compliance(user, orgs=orgs, start=dt.date(today.year, 1, 1), end=today))


def my_guidance(user: User) -> dict[str, Any]:
    orgs = assigned_orgs(user, user)
    compliance = compliance_for(user, orgs)
    return {
        "guided_orgs": [GuidedOrg(o, compliance.get(o.pk)) for o in orgs],
        "compliance_available": bool(compliance) or not orgs,
        "guided_enterprises": list(assigned_enterprises(user, user)),
        "open_follow_ups": list(follow_ups(user, instructor=user, open_only=True)),
        "recent_visits": list(visits(user, instructor=user)[:10]),
    }
