"""Reads of projects, milestones, service teams and liaison for an acting user (VIEW scope).
Progress is derived: the done milestones' weight over all their weight. A project is behind
schedule when one of its milestones is past its planned date, without an actual date, by more
than `PROJECTS_LATE_WORKING_DAYS` working days (default 0). Lists run a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import DecimalField, Exists, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from hongniudai.accounts.models import RoleAssignment, User
from hongniudai.accounts.scope import AnyUser, Capability, scope_for
from hongniudai.common import parsing
from hongniudai.common.subqueries import count_of
from hongniudai.enterprises.interface import Enterprise
from hongniudai.governance.interface import add_working_days
from hongniudai.places.models import AreaKind, AreaNode

from .models import Liaison, Milestone, Project, ServiceTeam, TeamMember

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=14, decimal_places=2))


def late_working_days() -> int:
    return int(getattr(settings, "PROJECTS_LATE_WORKING_DAYS", 0))


def late_cutoff(today: dt.date | None = None, days: int | None = None) -> dt.date:
    """The latest planned date that is late today: a milestone planned on or before it and not
    done is more than `days` working days late."""
    today = today or timezone.localdate()
    days = late_working_days() if days is None else days
    cutoff = today - dt.timedelta(days=1)
    while (
        timezone.localtime(add_working_days(timezone.make_aware(dt.datetime.combine(cutoff, dt.time(12))), days)).date()
        >= today
    ):
        cutoff -= dt.timedelta(days=1)
    return cutoff


def get_visible(user: AnyUser, queryset: QuerySet[Any], pk: Any) -> Any:
    """The record if it exists and the user may see it (VIEW); otherwise 404, the same for both."""
    pk = parsing.parse_id(pk)
    obj = scope_for(user, Capability.VIEW).filter(queryset).filter(pk=pk).first() if pk else None
    if obj is None:
        raise Http404
    return obj


def _weight(done: bool | None) -> Coalesce:
    milestones = Milestone.objects.filter(project=OuterRef("pk"))
    if done:
        milestones = milestones.filter(done_on__isnull=False)
    total = milestones.order_by().values("project").annotate(w=Sum("weight")).values("w")
    return Coalesce(Subquery(total, output_field=DecimalField(max_digits=14, decimal_places=2)), ZERO)


def behind_expr(cutoff: dt.date) -> Exists:
    return Exists(Milestone.objects.filter(project=OuterRef("pk"), done_on__isnull=True, planned_on__lte=cutoff))


def progress(done_weight: Decimal | None, total_weight: Decimal | None) -> int:
    """Whole percent of the weight done (0 without milestones)."""
    if not total_weight:
        return 0
    return int((Decimal(done_weight or 0) * 100 / Decimal(total_weight)).quantize(Decimal(1)))


def projects(
    user: AnyUser,
    *,
    status: str = "",
    team: ServiceTeam | None = None,
    behind: bool | None = None,
    kind: str = "",
    q: str = "",
) -> QuerySet[Project]:
    """Visible projects with `weight_done`, `weight_total` (progress) and `behind` (schedule)."""
    qs = scope_for(user, Capability.VIEW).filter(
        Project.objects.select_related("area", "owner", "leader", "team").annotate(
            weight_done=_weight(True), weight_total=_weight(None), behind=behind_expr(late_cutoff())
        )
    )
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if team is not None:
        qs = qs.filter(team=team)
    if behind is not None:
        qs = qs.filter(behind=behind)  # type: ignore[misc]  # the annotation above
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(owner__name__icontains=q) | Q(contractors__icontains=q))
    return qs.order_by("area_path", "name", "id")


def project_get(user: AnyUser, pk: Any) -> Project:
    return get_visible(user, projects(user), pk)


def milestones(project: Project) -> list[Milestone]:
    """The project's milestones, each with `late` (not done past the cutoff)."""
    cutoff = late_cutoff()
    rows = list(project.milestones.order_by("planned_on", "id"))
    for m in rows:
        m.late = m.done_on is None and m.planned_on <= cutoff  # type: ignore[attr-defined]
    return rows


def milestone_get(user: AnyUser, pk: Any) -> Milestone:
    return get_visible(user, Milestone.objects.select_related("project"), pk)


def project_nodes(user: AnyUser, capability: Capability = Capability.PROJECTS) -> QuerySet[AreaNode]:
    """The parks and towns where the user may place projects and teams."""
    return (
        scope_for(user, capability)
        .filter(AreaNode.objects.filter(kind__in=(AreaKind.PARK, AreaKind.TOWN)))
        .order_by("path")
    )


def projects_for_choice(user: AnyUser) -> QuerySet[Project]:
    return scope_for(user, Capability.PROJECTS).filter(Project.objects.only("id", "name", "area_path", "team_id"))


def enterprises_for_choice(user: AnyUser) -> QuerySet[Enterprise]:
    return scope_for(user).filter(Enterprise.objects.only("id", "name")).order_by("name", "id")


# ---- teams ------------------------------------------------------------------------------------


def teams(user: AnyUser, *, q: str = "") -> QuerySet[ServiceTeam]:
    """Visible teams with `member_count` and `project_count` (counted for the rows read only)."""
    qs = scope_for(user, Capability.VIEW).filter(
        ServiceTeam.objects.select_related("leader", "area").annotate(
            member_count=count_of(TeamMember.objects.filter(team=OuterRef("pk"))),
            project_count=count_of(Project.objects.filter(team=OuterRef("pk"))),
        )
    )
    q = (q or "").strip()
    if q:
        qs = qs.filter(name__icontains=q)
    return qs.order_by("area_path", "name", "id")


def team_get(user: AnyUser, pk: Any) -> ServiceTeam:
    return get_visible(user, teams(user), pk)


def teams_for_choice(user: AnyUser, capability: Capability = Capability.VIEW) -> QuerySet[ServiceTeam]:
    return scope_for(user, capability).filter(ServiceTeam.objects.only("id", "name", "area_path")).order_by("name")


def team_members(team: ServiceTeam) -> list[TeamMember]:
    return list(team.members.select_related("user").order_by("id"))


def users_for_choice(user: AnyUser) -> QuerySet[User]:
    """People who may lead or join a team, or take charge: active users with a role on a park or
    a town the actor sees (the town's cadres and staff, not every village's secretaries)."""
    at_town = RoleAssignment.objects.filter(area__kind__in=(AreaKind.PARK, AreaKind.TOWN))
    visible = scope_for(user, Capability.VIEW).filter(at_town).values("user_id")
    return User.objects.filter(is_active=True, pk__in=visible).order_by("username")


def liaisons(user: AnyUser, *, cadre: User | None = None, current: bool | None = None) -> QuerySet[Liaison]:
    qs = scope_for(user, Capability.VIEW).filter(Liaison.objects.select_related("user", "enterprise", "project"))
    if cadre is not None:
        qs = qs.filter(user=cadre)
    if current is not None:
        today = timezone.localdate()
        now_q = Q(until__isnull=True) | Q(until__gte=today)
        qs = qs.filter(now_q) if current else qs.exclude(now_q)
    return qs.order_by("user_id", "-since", "id")


def liaison_get(user: AnyUser, pk: Any) -> Liaison:
    return get_visible(user, liaisons(user), pk)


def my_work(user: User) -> dict[str, Any]:
    """What a cadre sees first (我的专班): the teams they lead or serve on, those teams' projects
    and their own charges (包企业, 包项目) in force."""
    mine = ServiceTeam.objects.filter(Q(leader=user) | Q(members__user=user)).distinct()
    my_teams = list(mine.select_related("leader").order_by("name"))
    team_projects = (
        list(projects(user).filter(Q(team__in=[t.pk for t in my_teams]) | Q(leader=user)))
        if my_teams or Project.objects.filter(leader=user).exists()
        else []
    )
    today = timezone.localdate()
    charges = list(
        Liaison.objects.filter(user=user)
        .filter(Q(until__isnull=True) | Q(until__gte=today))
        .select_related("enterprise", "project")
        .order_by("kind", "id")
    )
    return {"teams": my_teams, "projects": team_projects, "liaisons": charges}


def get_visible_queryset(user: AnyUser, queryset: QuerySet[Any]) -> QuerySet[Any]:
    return scope_for(user, Capability.VIEW).filter(queryset)
