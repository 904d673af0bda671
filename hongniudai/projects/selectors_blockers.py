"""Reads of blockers, the board (督办), the measures and site visits for an acting user (VIEW
scope). The measures are one grouped query each (per team, per category, per department)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Avg, Count, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from hongniudai.accounts.scope import AnyUser, Capability, scope_for
from hongniudai.common.subqueries import count_of
from hongniudai.common.tree import ancestor_ids, path_length_at_depth
from hongniudai.places.models import AreaNode

from .models import (
    OPEN_STATUSES,
    Blocker,
    BlockerCategory,
    BlockerStatus,
    BlockerStep,
    CheckIn,
    FollowUp,
    Project,
    ServiceTeam,
    SiteVisit,
)
from .selectors import get_visible

OVERDUE_STATUSES = (
    BlockerStatus.OPEN,
    BlockerStatus.IN_PROGRESS,
    BlockerStatus.ESCALATED_TOWN,
    BlockerStatus.ESCALATED_COUNTY,
)


def overdue_q(now: dt.datetime | None = None, prefix: str = "") -> Q:
    return Q(**{f"{prefix}status__in": OVERDUE_STATUSES, f"{prefix}due_at__lt": now or timezone.now()})


def blockers(
    user: AnyUser,
    *,
    status: str = "",
    open_only: bool = False,
    category: BlockerCategory | None = None,
    team: ServiceTeam | None = None,
    project: Project | None = None,
    department: str = "",
    overdue: bool | None = None,
    q: str = "",
) -> QuerySet[Blocker]:
    qs = scope_for(user, Capability.VIEW).filter(
        Blocker.objects.select_related("project", "project__team", "category", "owner")
    )
    if status:
        qs = qs.filter(status=status)
    if open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if category is not None:
        qs = qs.filter(category__code=category.code)
    if team is not None:
        qs = qs.filter(project__team=team)
    if project is not None:
        qs = qs.filter(project=project)
    if department:
        qs = qs.filter(owner_department=department)
    if overdue is True:
        qs = qs.filter(overdue_q())
    elif overdue is False:
        qs = qs.exclude(overdue_q())
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(description__icontains=q) | Q(project__name__icontains=q))
    return qs.order_by("-raised_at", "-id")


def blocker_get(user: AnyUser, pk: Any) -> Blocker:
    return get_visible(
        user,
        Blocker.objects.select_related(
            "project", "project__team", "project__team__leader", "category", "owner", "raised_by", "visit",
            "signed_off_by",
        ),
        pk,
    )  # fmt: skip


def steps(blocker: Blocker) -> list[BlockerStep]:
    return list(blocker.steps.select_related("actor").order_by("at", "id"))


def categories_for(user: AnyUser, project: Project | None = None) -> QuerySet[BlockerCategory]:
    """The blocker categories of the project's town, or of the towns over what the user sees."""
    qs = BlockerCategory.objects.all()
    if project is not None:
        return qs.filter(town_id__in=ancestor_ids(project.area_path)).order_by("order", "id")
    scope = scope_for(user, Capability.VIEW)
    if not scope.everything:
        qs = qs.filter(town_id__in={i for path in scope.area_paths for i in ancestor_ids(path)})
    return qs.order_by("town_id", "order", "id")


def departments(user: AnyUser) -> list[str]:
    qs = scope_for(user, Capability.VIEW).filter(Blocker.objects.exclude(owner_department=""))
    return list(qs.order_by("owner_department").values_list("owner_department", flat=True).distinct())


AGE_BUCKETS = ((5, "5 天以内"), (15, "6–15 天"), (30, "16–30 天"), (None, "30 天以上"))
BOARD_ROWS = 100  # the oldest open blockers the board lists; its counts cover them all


def _open_counts(open_qs: QuerySet[Blocker], now: dt.datetime) -> list[dict[str, Any]]:
    """One grouped query: the open blockers per category name and owning department (`n`), the
    overdue among them, and how many of each age (whole days since raised: up to 5, 6–15, 16–30,
    more: `age0`…`age3`). The board's counts are its rows added up: a few dozen rows at most."""
    counts: dict[str, Any] = {"n": Count("id"), "overdue": Count("id", filter=overdue_q(now))}
    newer: dt.datetime | None = None  # the previous bucket's edge: raised after it is younger
    for i, (limit, _label) in enumerate(AGE_BUCKETS):
        q = Q(raised_at__lte=newer) if newer is not None else Q()
        if limit is not None:
            newer = now - dt.timedelta(days=limit + 1)
            q &= Q(raised_at__gt=newer)
        counts[f"age{i}"] = Count("id", filter=q)
    return list(
        open_qs.order_by()
        .values(category_name=F("category__name"), department=F("owner_department"))
        .annotate(**counts)
    )


def _added_up(groups: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """The groups' `n` added up per value of `key` (`name`), the most first, then by name."""
    sums: dict[Any, int] = {}
    for g in groups:
        sums[g[key]] = sums.get(g[key], 0) + g["n"]
    return [{"name": name, "n": n} for name, n in sorted(sums.items(), key=lambda item: (-item[1], item[0]))]


def board(user: AnyUser, fields: tuple[str, ...], **filters: Any) -> dict[str, Any]:
    """The supervision board (督办): the oldest open blockers (at most `BOARD_ROWS`, their
    `fields` as values), and every open blocker counted by age, category and owning department;
    `overdue` among them; `now`, the moment they were counted at. Two queries (the rows, and the
    counts grouped by category and department, added up here), none over all the rows in Python."""
    now = timezone.now()
    open_qs = blockers(user, open_only=True, **filters)
    rows = list(open_qs.order_by("raised_at", "id").values(*fields)[:BOARD_ROWS])
    groups = _open_counts(open_qs, now)
    ages = {label: sum(g[f"age{i}"] for g in groups) for i, (_limit, label) in enumerate(AGE_BUCKETS)}
    return {
        "rows": rows,
        "now": now,
        "open": sum(g["n"] for g in groups),
        "ages": ages,
        "by_category": _added_up(groups, "category_name"),
        "by_department": _added_up(groups, "department"),
        "overdue": sum(g["overdue"] for g in groups),
    }


# The length of a town's path (the county is the root, depth 1): a project's, team's or visit's
# area is a park or a town, so the first this many characters of its path name its town.
TOWN_PATH = path_length_at_depth(2)


def measures(
    user: AnyUser, *, since: dt.date | None = None, until: dt.date | None = None, area: AreaNode | None = None
) -> dict[str, Any]:
    """Per team, per category and per department: raised, solved (signed off), mean working days
    to solve, overdue now; and the totals (the teams' rows added up: every blocker is in one of
    them, so the totals need no aggregate of their own). A team's row names the town of its
    blockers (`town`: its path), for the page's per-town summary. Within `area` if given."""
    return _measures_of(_blockers_in(user, since=since, until=until, area=area), timezone.now())


def _blockers_in(
    user: AnyUser, *, since: dt.date | None = None, until: dt.date | None = None, area: AreaNode | None = None
) -> QuerySet[Blocker]:
    qs = scope_for(user, Capability.VIEW).filter(Blocker.objects.all())
    if area is not None:
        qs = qs.filter(area_path__under=area.path)
    if since:
        qs = qs.filter(raised_at__date__gte=since)
    if until:
        qs = qs.filter(raised_at__date__lte=until)
    return qs


def _measures_of(qs: QuerySet[Blocker], now: dt.datetime, *, teams: bool = True) -> dict[str, Any]:
    """`measures` of the blockers `qs`; without the teams' rows and the totals unless `teams`."""
    m: dict[str, Any] = {
        "by_category": _measure(qs, "category__name", now),
        "by_department": _measure(qs, "owner_department", now),
    }
    if teams:
        by_team = _measure(qs, "project__team__name", now, per="project__team", by_town=True)
        m = {"totals": _totals(by_team), "by_team": by_team, **m}
    return m


def measures_page(user: AnyUser, *, area: AreaNode | None = None) -> dict[str, Any]:
    """What the measures page shows within `area`: `measures` (`m`) and `visit_frequency`
    (`frequency`), their teams' and members' rows as those read them; or, where those rows lie in
    more than one town (a county's hundreds of teams and cadres), the same rows added up per town
    in the database (`per_town`: each row a town's path `town`, how many teams or members it adds
    up `count`, and the sums; the totals are theirs added up, as the teams' rows would give them).
    A village's or a grid's scope lies in one town and reads the rows at once; a county's reads
    the towns first (three grouped queries), its rows only where they all lie in one town."""
    if not _within_one_town(user, area):
        towns = _per_town(user, area)
        if len({r["town"] for rows in towns.values() for r in rows}) > 1:
            m = _measures_of(_blockers_in(user, area=area), timezone.now(), teams=False)
            m |= {"totals": _totals(towns["by_team"]), "by_team": towns["by_team"]}
            frequency = {"by_team": towns["visits"], "by_member": towns["checkins"]}
            return {"per_town": True, "m": m, "frequency": frequency}
    m = measures(user, area=area)
    return {"per_town": False, "m": m, "frequency": visit_frequency(user, area=area)}


# The records the measures read are scoped by their area alone (no individual grants): a scope
# whose every path is a town's or below it sees one town's at most.
_SCOPED_BY_AREA = all(not getattr(model, "scope_user_grants", ()) for model in (Blocker, SiteVisit, CheckIn))


def _within_one_town(user: AnyUser, area: AreaNode | None) -> bool:
    """True where every blocker, visit and check-in `user` sees within `area` lies in one town."""
    if area is not None and len(area.path) >= TOWN_PATH:
        return True
    scope = scope_for(user, Capability.VIEW)
    if scope.everything or not _SCOPED_BY_AREA:
        return False
    return len({p[:TOWN_PATH] for p in scope.area_paths}) <= 1 and all(len(p) >= TOWN_PATH for p in scope.area_paths)


def _per_town(user: AnyUser, area: AreaNode | None) -> dict[str, list[dict[str, Any]]]:
    """The teams' measures (`by_team`), and the visits per team (`visits`) and per member
    (`checkins`) of `visit_frequency`, each added up per town: one grouped query each. `count` is
    the number of rows `measures` or `visit_frequency` list for the town (a team with no name
    counts once, as their row for the blockers of projects with no team does)."""
    now = timezone.now()
    since = timezone.localdate() - dt.timedelta(days=365)
    solved = Q(status=BlockerStatus.SOLVED)
    by_team = list(
        _blockers_in(user, area=area)
        .order_by()
        .values(town=Substr("area_path", 1, TOWN_PATH))
        .annotate(
            count=Count(Coalesce("project__team", 0), distinct=True),
            raised=Count("id"),
            solved=Count("id", filter=solved),
            solved_days=Sum("working_days_blocked", filter=solved),
            overdue=Count("id", filter=overdue_q(now)),
        )
    )
    visits = _visits_in(user, since, area)
    per_team = list(
        visits.order_by()
        .values(town=Substr("area_path", 1, TOWN_PATH))
        .annotate(count=Count("team__name", distinct=True), n=Count("id"))
    )
    checkins = _checkins_in(user, since, area)
    per_member = list(
        checkins.order_by()
        .values(town=Substr("visit__area_path", 1, TOWN_PATH))
        .annotate(count=Count("user", distinct=True), n=Count("id"))
    )
    return {"by_team": by_team, "visits": per_team, "checkins": per_member}


def measure_totals(user: AnyUser) -> dict[str, Any]:
    """The totals of `measures` alone (the landing page's figures): one aggregate."""
    now = timezone.now()
    qs = scope_for(user, Capability.VIEW).filter(Blocker.objects.all())
    return qs.aggregate(
        raised=Count("id"),
        solved=Count("id", filter=Q(status=BlockerStatus.SOLVED)),
        mean_days=Avg("working_days_blocked", filter=Q(status=BlockerStatus.SOLVED)),
        overdue=Count("id", filter=overdue_q(now)),
    )


def _totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The rows of one grouping added up, as one aggregate over their blockers would give them."""
    solved = sum(r["solved"] for r in rows)
    days = sum(r["solved_days"] or 0 for r in rows)
    return {
        "raised": sum(r["raised"] for r in rows),
        "solved": solved,
        "mean_days": days / solved if solved else None,
        "overdue": sum(r["overdue"] for r in rows),
    }


def _measure(
    qs: QuerySet[Blocker], key: str, now: dt.datetime, per: str = "", *, by_town: bool = False
) -> list[dict[str, Any]]:
    """One grouped query: a row per value of `key` (per record `per` too: two towns' teams may
    share a name; and per town of the blockers, `town`, if `by_town`), with the working days of its
    solved blockers added up (`solved_days`)."""
    solved = Q(status=BlockerStatus.SOLVED)
    town = {"town": Substr("area_path", 1, TOWN_PATH)} if by_town else {}
    rows = (
        qs.order_by()
        .values(*([per] if per else []), **town, name=F(key))
        .annotate(
            raised=Count("id"),
            solved=Count("id", filter=solved),
            mean_days=Avg("working_days_blocked", filter=solved),
            solved_days=Sum("working_days_blocked", filter=solved),
            overdue=Count("id", filter=overdue_q(now)),
        )
        .order_by("-raised", "name")
    )
    return list(rows)


# ---- site visits ------------------------------------------------------------------------------


def visits(
    user: AnyUser,
    *,
    team: ServiceTeam | None = None,
    project: Project | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[SiteVisit]:
    qs = scope_for(user, Capability.VIEW).filter(
        SiteVisit.objects.select_related("team", "project", "enterprise").annotate(
            checkin_count=count_of(CheckIn.objects.filter(visit=OuterRef("pk"))),
            blocker_count=count_of(Blocker.objects.filter(visit=OuterRef("pk"))),
        )
    )
    if team is not None:
        qs = qs.filter(team=team)
    if project is not None:
        qs = qs.filter(project=project)
    if date_from:
        qs = qs.filter(visited_on__gte=date_from)
    if date_to:
        qs = qs.filter(visited_on__lte=date_to)
    return qs.order_by("-visited_on", "-id")


def visit_get(user: AnyUser, pk: Any) -> SiteVisit:
    return get_visible(user, SiteVisit.objects.select_related("team", "project", "enterprise", "recorded_by"), pk)


def checkins(visit: SiteVisit) -> list[CheckIn]:
    return list(visit.checkins.select_related("user").order_by("at", "id"))


def follow_ups(visit: SiteVisit) -> list[FollowUp]:
    return list(visit.follow_ups.order_by("due_on", "id"))


def follow_up_get(user: AnyUser, pk: Any) -> FollowUp:
    return get_visible(user, FollowUp.objects.select_related("visit"), pk)


def visit_frequency(
    user: AnyUser, *, since: dt.date | None = None, area: AreaNode | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Visits per team and per member (their check-ins) since a day (a year back by default), each
    row per town of the visits too (`town`: its path, for the page's per-town summary; a town's
    row is all of its visits there). Within `area` if given."""
    since = since or timezone.localdate() - dt.timedelta(days=365)
    by_team = list(
        _visits_in(user, since, area)
        .order_by()
        .values(town=Substr("area_path", 1, TOWN_PATH), name=F("team__name"))
        .annotate(n=Count("id"))
        .order_by("-n", "name")
    )
    by_member = list(
        _checkins_in(user, since, area)
        .order_by()
        .values(town=Substr("visit__area_path", 1, TOWN_PATH), name=F("user__username"), full=F("user__display_name"))
        .annotate(n=Count("id"))
        .order_by("-n", "name")
    )
    return {"by_team": by_team, "by_member": by_member}


def _visits_in(user: AnyUser, since: dt.date, area: AreaNode | None) -> QuerySet[SiteVisit]:
    visible = scope_for(user, Capability.VIEW).filter(SiteVisit.objects.filter(visited_on__gte=since))
    return visible.filter(area_path__under=area.path) if area is not None else visible


def _checkins_in(user: AnyUser, since: dt.date, area: AreaNode | None) -> QuerySet[CheckIn]:
    """The check-ins scoped and filtered through their visit's own columns (one join, not a second
    reading of the visits as a subquery)."""
    checkins = scope_for(user, Capability.VIEW).filter(CheckIn.objects.filter(visit__visited_on__gte=since))
    return checkins.filter(visit__area_path__under=area.path) if area is not None else checkins


def towns_named(paths: Iterable[str]) -> dict[str, tuple[int, str]]:
    """{path: (pk, name)} of the towns (or any nodes) at `paths`: one query."""
    wanted = set(paths)
    if not wanted:
        return {}
    return {
        path: (pk, name)
        for path, pk, name in AreaNode.objects.filter(path__in=wanted).values_list("path", "pk", "name")
    }


def team_calendar_visits(team: ServiceTeam) -> QuerySet[SiteVisit]:
    """A team's visits for its calendar feed (reached by token, not by a user)."""
    return SiteVisit.objects.filter(team=team).select_related("project", "enterprise").order_by("-visited_on")[:500]
