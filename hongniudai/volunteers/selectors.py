"""Every read of the volunteers for an acting user. Staff read within their VIEW scope
(`policy.staff_scope`); a signed-in volunteer reads their own record, tasks, participations and
hours and nothing else. Lists run a fixed number of queries whatever their rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from hongniudai.accounts.scope import AnyUser, Capability, scope_for
from hongniudai.common import parsing
from hongniudai.common.pick import PICK_LIMIT
from hongniudai.common.subqueries import count_of
from hongniudai.places.models import AreaNode, Resident
from hongniudai.places.selectors import resident_search_q

from . import policy
from .models import (
    HoursStatus,
    Participation,
    ParticipationStatus,
    ServiceHours,
    Volunteer,
    VolunteerTask,
    VolunteerTeam,
    VolunteerYear,
)
from .services import AREA_KINDS, feed_digest

ZERO = Value(Decimal("0.0"), output_field=DecimalField(max_digits=8, decimal_places=1))


def visible_q(user: AnyUser, model: Any, own: str | None) -> Q:
    """Rows of `model` the user reads: the staff scope, and their own through `own` (a lookup to
    the volunteer's user id)."""
    scope = policy.staff_scope(user)
    parts = [] if scope.is_empty else [scope.q(model)]
    if own is not None and user_id(user):
        parts.append(Q(**{own: user_id(user)}))
    if not parts:
        return Q(pk__in=[])
    out = parts[0]
    for part in parts[1:]:
        out |= part
    return out


def user_id(user: AnyUser) -> int:
    """The user's id, 0 for nobody (no row has it)."""
    return int(getattr(user, "pk", None) or 0)


def _get(qs: QuerySet[Any], pk: Any) -> Any:
    pk = parsing.parse_id(pk)
    obj = qs.filter(pk=pk).first() if pk else None
    if obj is None:
        raise Http404
    return obj


def confirmed_hours_q(year: int | None, prefix: str = "") -> Q:
    q = Q(**{f"{prefix}status": HoursStatus.CONFIRMED})
    if year is not None:
        q &= Q(**{f"{prefix}day__year": year})
    return q


def year_hours_expr(year: int | None) -> Coalesce:
    """The confirmed hours of the row's volunteer in `year` (every year when None), from the
    volunteers' year rollup (`rollups`)."""
    rows = VolunteerYear.objects.filter(volunteer=OuterRef("pk"))
    if year is not None:
        return Coalesce(Subquery(rows.filter(year=year).values("hours")[:1]), ZERO)
    total = rows.order_by().values("volunteer").annotate(total=Sum("hours")).values("total")
    return Coalesce(Subquery(total), ZERO)


# ---- volunteers -------------------------------------------------------------------------------


def volunteers(
    user: AnyUser,
    *,
    area: AreaNode | None = None,
    team: VolunteerTeam | None = None,
    team_name: str = "",
    skill: str = "",
    active: bool | None = None,
    q: str = "",
    year: int | None = None,
) -> QuerySet[Volunteer]:
    """Visible volunteers with their confirmed hours in `year` (`year_hours`; all years when None)."""
    qs = Volunteer.objects.filter(visible_q(user, Volunteer, "user_id")).select_related("area", "team", "user")
    qs = qs.annotate(year_hours=year_hours_expr(year))
    if area is not None:
        qs = qs.filter(area_path__startswith=area.path)
    if team is not None:
        qs = qs.filter(team=team)
    team_name = (team_name or "").strip()
    if team_name:
        qs = qs.filter(team__name__icontains=team_name)
    skill = (skill or "").strip()
    if skill:
        qs = qs.filter(skills__icontains=skill)
    if active is not None:
        qs = qs.filter(is_active=active)
    q = (q or "").strip()
    if q:
        residents = Resident.objects.filter(resident_search_q(q)).values("pk")
        qs = qs.filter(Q(name__icontains=q) | Q(resident__in=residents))
    return qs.order_by("area_path", "name", "id")


def volunteer_get(user: AnyUser, pk: Any) -> Volunteer:
    return _get(volunteers(user), pk)


def volunteers_for_choice(user: AnyUser) -> QuerySet[Volunteer]:
    """Active volunteers the user may put on tasks or teams (SERVICES scope)."""
    return (
        scope_for(user, Capability.SERVICES)
        .filter(Volunteer.objects.filter(is_active=True))
        .select_related("area")
        .order_by("area_path", "name", "id")
    )


def pick_volunteers(user: AnyUser, *, q: str) -> list[Volunteer]:
    """The volunteer picker's matches: active volunteers the user may put on tasks, by name (one
    more than a picker shows, to tell there are more)."""
    qs = volunteers_for_choice(user)
    if q:
        qs = qs.filter(name__contains=q)
    return list(qs[: PICK_LIMIT + 1])


def areas_for_choice(user: AnyUser) -> QuerySet[AreaNode]:
    """Areas where the user registers volunteers, teams and tasks (SERVICES scope)."""
    return scope_for(user, Capability.SERVICES).filter(AreaNode.objects.filter(kind__in=AREA_KINDS)).order_by("path")


def residents_for_choice(user: AnyUser) -> QuerySet[Resident]:
    """Residents the user may register as volunteers (SERVICES scope)."""
    return scope_for(user, Capability.SERVICES).filter(Resident.objects.select_related("household__hamlet"))


def volunteer_of(user: AnyUser) -> Volunteer | None:
    """The volunteer record the signed-in account is linked to, if any."""
    if not user_id(user):
        return None
    return Volunteer.objects.select_related("area", "team").filter(user_id=user_id(user)).first()


# ---- teams ------------------------------------------------------------------------------------


def teams(user: AnyUser, *, area: AreaNode | None = None) -> QuerySet[VolunteerTeam]:
    """Visible teams with their active members counted (`member_count`)."""
    qs = VolunteerTeam.objects.filter(visible_q(user, VolunteerTeam, None)).select_related("area", "leader")
    qs = qs.annotate(member_count=Count("members", filter=Q(members__is_active=True)))
    if area is not None:
        qs = qs.filter(area_path__startswith=area.path)
    return qs.order_by("area_path", "name", "id")


def team_get(user: AnyUser, pk: Any) -> VolunteerTeam:
    return _get(teams(user), pk)


def teams_for_choice(user: AnyUser) -> QuerySet[VolunteerTeam]:
    return scope_for(user, Capability.SERVICES).filter(VolunteerTeam.objects.all()).order_by("area_path", "name")


def pick_teams(user: AnyUser, *, q: str) -> list[VolunteerTeam]:
    """The team picker's matches: teams the user manages, by name."""
    qs = teams_for_choice(user)
    if q:
        qs = qs.filter(name__contains=q)
    return list(qs[: PICK_LIMIT + 1])


# ---- tasks ------------------------------------------------------------------------------------


def tasks(
    user: AnyUser,
    *,
    area: AreaNode | None = None,
    kind: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
    q: str = "",
) -> QuerySet[VolunteerTask]:
    """Visible tasks (a volunteer: those they take part in) with the confirmed and requested
    participants counted."""
    mine = Participation.objects.filter(volunteer__user_id=user_id(user)).values("task_id")
    qs = VolunteerTask.objects.filter(visible_q(user, VolunteerTask, None) | Q(pk__in=mine))
    of_task = Participation.objects.filter(task=OuterRef("pk"))
    qs = qs.select_related("area", "organiser").annotate(
        confirmed_count=count_of(of_task.filter(status__in=(ParticipationStatus.CONFIRMED, ParticipationStatus.DONE))),
        requested_count=count_of(of_task.filter(status=ParticipationStatus.REQUESTED)),
    )
    if area is not None:
        qs = qs.filter(area_path__startswith=area.path)
    if kind:
        qs = qs.filter(kind=kind)
    if start is not None:
        qs = qs.filter(ends_at__date__gte=start)
    if end is not None:
        qs = qs.filter(starts_at__date__lte=end)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(place__icontains=q))
    return qs.order_by("-starts_at", "-id")


def task_get(user: AnyUser, pk: Any) -> VolunteerTask:
    return _get(tasks(user), pk)


def tasks_of_source(source: Any) -> QuerySet[VolunteerTask]:
    """The tasks a soup round or a patrol shift owns (not scoped: the owner's package scopes it)."""
    return VolunteerTask.objects.filter(source_type=ContentType.objects.get_for_model(source), source_id=source.pk)


# ---- participation and hours ------------------------------------------------------------------


def participations(
    user: AnyUser,
    *,
    task: VolunteerTask | None = None,
    volunteer: Volunteer | None = None,
    status: str = "",
) -> QuerySet[Participation]:
    """Visible participations (a volunteer: their own) with their logged and confirmed hours."""
    qs = Participation.objects.filter(visible_q(user, Participation, "volunteer__user_id"))
    qs = qs.select_related("task", "task__area", "volunteer").annotate(
        confirmed_hours=Coalesce(Sum("hours__hours", filter=Q(hours__status=HoursStatus.CONFIRMED)), ZERO),
        pending_hours=Coalesce(Sum("hours__hours", filter=Q(hours__status=HoursStatus.PENDING)), ZERO),
    )
    if task is not None:
        qs = qs.filter(task=task)
    if volunteer is not None:
        qs = qs.filter(volunteer=volunteer)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-task__starts_at", "task_id", "id")


def participation_get(user: AnyUser, pk: Any) -> Participation:
    return _get(participations(user), pk)


def hours(
    user: AnyUser,
    *,
    task: VolunteerTask | None = None,
    volunteer: Volunteer | None = None,
    status: str = "",
    year: int | None = None,
) -> QuerySet[ServiceHours]:
    """Visible hours records (a volunteer: their own)."""
    qs = ServiceHours.objects.filter(visible_q(user, ServiceHours, "volunteer__user_id"))
    qs = qs.select_related("participation__task", "volunteer", "logged_by", "decided_by")
    if task is not None:
        qs = qs.filter(participation__task=task)
    if volunteer is not None:
        qs = qs.filter(volunteer=volunteer)
    if status:
        qs = qs.filter(status=status)
    if year is not None:
        qs = qs.filter(day__year=year)
    return qs.order_by("-day", "-id")


def hours_get(user: AnyUser, pk: Any) -> ServiceHours:
    return _get(hours(user), pk)


def hours_to_confirm(user: AnyUser, *, area: AreaNode | None = None) -> QuerySet[ServiceHours]:
    """Hours awaiting the user's confirmation: pending, of tasks where the user holds SERVICES,
    never the user's own."""
    qs = scope_for(user, Capability.SERVICES).filter(
        ServiceHours.objects.filter(status=HoursStatus.PENDING).select_related(
            "participation__task", "volunteer", "logged_by"
        )
    )
    if user_id(user):
        qs = qs.exclude(volunteer__user_id=user_id(user))
    if area is not None:
        qs = qs.filter(area_path__startswith=area.path)
    return qs.order_by("day", "id")


def confirmed_total(volunteer: Volunteer, year: int) -> Decimal:
    """The volunteer's confirmed hours in `year`."""
    total = volunteer.hours.filter(confirmed_hours_q(year)).aggregate(total=Sum("hours"))["total"]
    return total or Decimal("0.0")


# ---- ranking and certificate ------------------------------------------------------------------


@dataclass(frozen=True)
class RankRow:
    rank: int
    volunteer_id: int
    name: str
    area_name: str
    team_name: str
    hours: Decimal
    tasks: int


def ranking(user: AnyUser, *, year: int, area: AreaNode | None = None, limit: int = 100) -> list[RankRow]:
    """The volunteers of `area` (a village, or any area above it) ranked by their confirmed hours
    in `year`, most first; equal hours share a rank. Only volunteers with hours are ranked. Reads
    the volunteers' year rollup: the top `limit` rows of the year under the area."""
    qs = VolunteerYear.objects.filter(visible_q(user, VolunteerYear, "volunteer__user_id"), year=year, hours__gt=0)
    if area is not None:
        qs = qs.filter(area_path__startswith=area.path)
    values = qs.order_by("-hours", "volunteer__name", "volunteer_id").values_list(
        "volunteer_id", "volunteer__name", "volunteer__area__name", "volunteer__team__name", "hours", "tasks"
    )[:limit]
    out: list[RankRow] = []
    rank, previous = 0, None
    for i, (pk, name, area_name, team_name, total, count) in enumerate(values, start=1):
        if total != previous:
            rank, previous = i, total
        out.append(RankRow(rank, pk, name, area_name, team_name or "", total, count))
    return out


@dataclass(frozen=True)
class Certificate:
    volunteer: Volunteer
    year: int
    hours: Decimal
    tasks: list[tuple[dt.datetime, str, Decimal]]


def certificate(volunteer: Volunteer, year: int) -> Certificate:
    """The certificate of service (志愿服务证明) of a volunteer the caller already read: their
    confirmed hours in `year` and the tasks those hours were served on."""
    rows = (
        ServiceHours.objects.filter(confirmed_hours_q(year), volunteer=volunteer)
        .values("participation__task__starts_at", "participation__task__title")
        .annotate(total=Sum("hours"))
        .order_by("participation__task__starts_at")
    )
    items = [(r["participation__task__starts_at"], r["participation__task__title"], r["total"]) for r in rows]
    return Certificate(volunteer, year, sum((t for _s, _t, t in items), Decimal("0.0")), items)


# ---- the feed ---------------------------------------------------------------------------------


def feed_volunteer(token: str) -> Volunteer | None:
    """The active volunteer whose private feed token is `token`; None for a revoked or unknown one."""
    if not token or len(token) > 100:
        return None
    return Volunteer.objects.filter(feed_digest=feed_digest(token), is_active=True).first()


def feed_participations(volunteer: Volunteer) -> QuerySet[Participation]:
    """The volunteer's confirmed tasks (confirmed, or done since) for their calendar."""
    return (
        Participation.objects.filter(
            volunteer=volunteer, status__in=(ParticipationStatus.CONFIRMED, ParticipationStatus.DONE)
        )
        .select_related("task")
        .order_by("task__starts_at", "id")
    )
