"""Every read of night patrols and campaigns for an acting user (VIEW scope): teams, the rota, the
logs, the measures per team and month; campaigns, their grids, duties, points and reports, and the
campaign board. Lists run a fixed number of queries whatever their rows.

A campaign set up by the town is seen by everyone who sees one of the grids it covers (a village's
secretary sees the town's straw-burning ban and the reports of their own grids only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from hongniudai.accounts.scope import AnyUser, Capability, scope_for
from hongniudai.common import parsing
from hongniudai.common.subqueries import count_of
from hongniudai.places.models import AreaKind, AreaNode

from .models import (
    Campaign,
    CampaignDuty,
    CampaignFinding,
    CampaignGrid,
    CampaignReport,
    PatrolIncident,
    PatrolLog,
    PatrolMember,
    PatrolShift,
    PatrolTeam,
    ShiftStatus,
    WatchPoint,
)


def _get(user: AnyUser, queryset: QuerySet[Any], pk: Any) -> Any:
    """The record if it exists and the user may see it; otherwise 404, the same for both."""
    pk = parsing.parse_id(pk)
    obj = scope_for(user).filter(queryset).filter(pk=pk).first() if pk else None
    if obj is None:
        raise Http404
    return obj


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    """The first day of `month` and the first day of the next."""
    first = month.replace(day=1)
    return first, (first + dt.timedelta(days=32)).replace(day=1)


# ---- teams -------------------------------------------------------------------------------------


def teams(
    user: AnyUser, *, area: AreaNode | None = None, q: str = "", active: bool | None = None
) -> QuerySet[PatrolTeam]:
    """Visible teams with the number of their active members (`member_count`)."""
    members = count_of(PatrolMember.objects.filter(team=OuterRef("pk"), is_active=True))
    qs = scope_for(user).filter(PatrolTeam.objects.select_related("area").annotate(member_count=members))
    if area is not None:
        qs = qs.filter(Q(area_path__under=area.path) | Q(pk__in=_teams_through(area)))
    if active is not None:
        qs = qs.filter(is_active=active)
    if q.strip():
        qs = qs.filter(name__icontains=q.strip())
    return qs.order_by("area_path", "name", "id")


def _teams_through(area: AreaNode) -> QuerySet[Any]:
    """Teams whose routes pass through `area` (the market town's team through a community's grid)."""
    return PatrolShift.objects.filter(route__path__startswith=area.path).values("team_id")


def team_get(user: AnyUser, pk: Any) -> PatrolTeam:
    return _get(user, PatrolTeam.objects.select_related("area"), pk)


def teams_for_choice(user: AnyUser) -> QuerySet[PatrolTeam]:
    """Teams the user may plan and record (WATCH)."""
    return scope_for(user, Capability.WATCH).filter(PatrolTeam.objects.filter(is_active=True)).order_by("name")


def members(user: AnyUser, *, team: PatrolTeam | None = None, active: bool | None = True) -> QuerySet[PatrolMember]:
    qs = scope_for(user).filter(PatrolMember.objects.select_related("team"))
    if team is not None:
        qs = qs.filter(team=team)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("team", "kind", "name", "id")


def member_get(user: AnyUser, pk: Any) -> PatrolMember:
    return _get(user, PatrolMember.objects.select_related("team"), pk)


def team_areas_for_choice(user: AnyUser) -> QuerySet[AreaNode]:
    """Towns and villages where the user may set up a team."""
    return (
        scope_for(user, Capability.WATCH)
        .filter(AreaNode.objects.filter(kind__in=(AreaKind.TOWN, AreaKind.VILLAGE)))
        .order_by("path")
    )


def grids_under(user: AnyUser, area: AreaNode, capability: Capability = Capability.VIEW) -> QuerySet[AreaNode]:
    """The grids under `area` the user holds `capability` over (a route, a campaign's grids)."""
    return (
        scope_for(user, capability)
        .filter(AreaNode.objects.filter(kind=AreaKind.GRID, path__startswith=area.path))
        .order_by("path")
    )


def places_under(user: AnyUser, area: AreaNode) -> QuerySet[AreaNode]:
    """Grids and hamlets under `area` the user may raise a matter in (WATCH)."""
    return (
        scope_for(user, Capability.WATCH)
        .filter(AreaNode.objects.filter(kind__in=(AreaKind.GRID, AreaKind.HAMLET), path__startswith=area.path))
        .order_by("path")
    )


# ---- shifts and logs ---------------------------------------------------------------------------


def shifts(
    user: AnyUser,
    *,
    team: PatrolTeam | None = None,
    month: dt.date | None = None,
    status: str = "",
    area: AreaNode | None = None,
) -> QuerySet[PatrolShift]:
    """Visible shifts (the rota), with their team and route (one more query for the routes)."""
    qs = scope_for(user).filter(PatrolShift.objects.select_related("team").prefetch_related("route"))
    if team is not None:
        qs = qs.filter(team=team)
    if month is not None:
        first, after = month_bounds(month)
        qs = qs.filter(date__gte=first, date__lt=after)
    if status:
        qs = qs.filter(status=status)
    if area is not None:
        qs = qs.filter(area_path__under=area.path)
    return qs.order_by("date", "team__name", "id")


def shift_routes(shift_ids: list[int]) -> dict[int, list[str]]:
    """The names of the grids on each of the shifts' routes, in the areas' order (one query)."""
    routes: dict[int, list[str]] = {}
    through = PatrolShift.route.through.objects.filter(patrolshift_id__in=shift_ids).order_by("areanode__path")
    for shift_id, name in through.values_list("patrolshift_id", "areanode__name"):
        routes.setdefault(shift_id, []).append(name)
    return routes


def shift_get(user: AnyUser, pk: Any) -> PatrolShift:
    return _get(user, PatrolShift.objects.select_related("team", "team__area"), pk)


def log_of(shift: PatrolShift) -> PatrolLog | None:
    return PatrolLog.objects.filter(shift=shift).prefetch_related("present").first()


def incidents(user: AnyUser, *, shift: PatrolShift) -> QuerySet[PatrolIncident]:
    return (
        scope_for(user)
        .filter(PatrolIncident.objects.filter(log__shift=shift).select_related("matter", "grid"))
        .order_by("created_at", "id")
    )


def logs(
    user: AnyUser,
    *,
    team: PatrolTeam | None = None,
    area: AreaNode | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    with_incidents: bool | None = None,
) -> QuerySet[PatrolLog]:
    """Visible patrol logs, newest night first, with the number present (`present_count`) and of
    incidents raised (`incident_count`)."""
    qs = scope_for(user).filter(
        PatrolLog.objects.select_related("shift", "shift__team").annotate(
            present_count=count_of(PatrolLog.present.through.objects.filter(patrollog=OuterRef("pk"))),
            incident_count=count_of(PatrolIncident.objects.filter(log=OuterRef("pk"))),
        )
    )
    if team is not None:
        qs = qs.filter(shift__team=team)
    if area is not None:
        qs = qs.filter(area_path__under=area.path)
    if start is not None:
        qs = qs.filter(shift__date__gte=start)
    if end is not None:
        qs = qs.filter(shift__date__lte=end)
    if with_incidents is not None:
        has = Exists(PatrolIncident.objects.filter(log=OuterRef("pk")))
        qs = qs.filter(has if with_incidents else ~has)
    return qs.order_by("-shift__date", "-id")


def team_measures(user: AnyUser, *, month: dt.date) -> QuerySet[PatrolTeam]:
    """Per visible team for the month: shifts planned (`planned`), kept (`kept`), missed (`missed`)
    and the incidents raised on them (`incidents`) — one grouped query."""
    first, after = month_bounds(month)
    in_month = Q(shifts__date__gte=first, shifts__date__lt=after)
    incidents_in_month = Q(shifts__log__incidents__isnull=False) & in_month
    return (
        scope_for(user)
        .filter(PatrolTeam.objects.select_related("area"))
        .annotate(
            planned=Count("shifts", filter=in_month, distinct=True),
            kept=Count("shifts", filter=in_month & Q(shifts__status=ShiftStatus.KEPT), distinct=True),
            missed=Count("shifts", filter=in_month & Q(shifts__status=ShiftStatus.MISSED), distinct=True),
            incidents=Count("shifts__log__incidents", filter=incidents_in_month, distinct=True),
        )
        .order_by("area_path", "name", "id")
    )


# ---- campaigns ---------------------------------------------------------------------------------


def _visible_campaigns(user: AnyUser) -> QuerySet[Campaign]:
    """Campaigns set up in the user's scope, or covering a grid in it."""
    scope = scope_for(user)
    if scope.everything:
        return Campaign.objects.all()
    covering = scope.filter(CampaignGrid.objects.all()).values("campaign_id")
    return Campaign.objects.filter(scope.q(Campaign) | Q(pk__in=covering))


def campaigns_for_choice(user: AnyUser) -> QuerySet[Campaign]:
    """The visible campaigns as a filter offers them, latest first: names only, no count of grids."""
    return _visible_campaigns(user).only("id", "name").order_by("-starts_on", "-id")


def campaigns(
    user: AnyUser, *, kind: str = "", on: dt.date | None = None, q: str = "", area: AreaNode | None = None
) -> QuerySet[Campaign]:
    """Visible campaigns — set up in the user's scope, or covering a grid in it — with the number of
    grids covered (`grid_count`); `on`: those running that day."""
    grid_count = count_of(CampaignGrid.objects.filter(campaign=OuterRef("pk")))
    qs = _visible_campaigns(user).select_related("area").annotate(grid_count=grid_count)
    if kind:
        qs = qs.filter(kind=kind)
    if on is not None:
        qs = qs.filter(starts_on__lte=on, ends_on__gte=on)
    if q.strip():
        qs = qs.filter(name__icontains=q.strip())
    if area is not None:
        qs = qs.filter(Q(area_path__under=area.path) | Q(grids__area_path__startswith=area.path)).distinct()
    return qs.order_by("-starts_on", "-id")


def campaign_get(user: AnyUser, pk: Any) -> Campaign:
    pk = parsing.parse_id(pk)
    obj = campaigns(user).filter(pk=pk).first() if pk else None
    if obj is None:
        raise Http404
    return obj


def campaign_grids(
    user: AnyUser, campaign: Campaign, capability: Capability = Capability.VIEW
) -> QuerySet[CampaignGrid]:
    """The grids of the campaign the user holds `capability` over, with their village."""
    return (
        scope_for(user, capability)
        .filter(CampaignGrid.objects.filter(campaign=campaign).select_related("grid", "village"))
        .order_by("area_path", "id")
    )


def grids_to_report(user: AnyUser, campaign: Campaign) -> list[AreaNode]:
    """The grids of the campaign the user reports for (WATCH)."""
    return [row.grid for row in campaign_grids(user, campaign, Capability.WATCH)]


def duties(user: AnyUser, *, campaign: Campaign, on: dt.date | None = None) -> QuerySet[CampaignDuty]:
    qs = scope_for(user).filter(CampaignDuty.objects.filter(campaign=campaign).select_related("grid"))
    if on is not None:
        qs = qs.filter(date=on)
    return qs.order_by("date", "area_path", "id")


def points(user: AnyUser, *, campaign: Campaign | None = None, grid: AreaNode | None = None) -> QuerySet[WatchPoint]:
    qs = scope_for(user).filter(WatchPoint.objects.select_related("grid", "campaign"))
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if grid is not None:
        qs = qs.filter(grid=grid)
    return qs.order_by("area_path", "name", "id")


def reports(
    user: AnyUser,
    *,
    campaign: Campaign | None = None,
    area: AreaNode | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    nothing_found: bool | None = None,
    on_time: bool | None = None,
) -> QuerySet[CampaignReport]:
    """Visible daily reports, newest first, with their campaign, grid and reporter, and the number
    of matters raised (`matter_count`: a subquery per row shown, not a GROUP BY over every report
    in scope, which at county scale is a hundred thousand rows; the page's count leaves it out)."""
    raised = (
        CampaignFinding.objects.filter(report=OuterRef("pk"))
        .order_by()
        .values("report")
        .annotate(n=Count("id"))
        .values("n")
    )
    qs = scope_for(user).filter(
        CampaignReport.objects.select_related("campaign", "grid", "reported_by").annotate(
            matter_count=Coalesce(Subquery(raised, output_field=IntegerField()), 0)
        )
    )
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if area is not None:
        qs = qs.filter(area_path__under=area.path)
    if start is not None:
        qs = qs.filter(date__gte=start)
    if end is not None:
        qs = qs.filter(date__lte=end)
    if nothing_found is not None:
        qs = qs.filter(nothing_found=nothing_found)
    if on_time is not None:
        qs = qs.filter(on_time=on_time)
    return qs.order_by("-date", "area_path", "id")


def report_get(user: AnyUser, pk: Any) -> CampaignReport:
    return _get(user, CampaignReport.objects.select_related("campaign", "grid", "reported_by"), pk)


# ---- the campaign board ------------------------------------------------------------------------


def rate(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` in percent with one decimal (DHIS2's reporting rate); None when nothing is expected."""
    if whole <= 0:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Tally:
    """Expected, reported (zero-reports included), reported on time and missing: DHIS2's EXPECTED,
    ACTUAL, ACTUAL ON TIME, with REPORTING_RATE = reported / expected and
    REPORTING_RATE_ON_TIME = on time / expected."""

    expected: int = 0
    reported: int = 0
    on_time: int = 0
    nothing_found: int = 0

    @property
    def missing(self) -> int:
        return max(self.expected - self.reported, 0)

    @property
    def late(self) -> int:
        return self.reported - self.on_time

    @property
    def reporting_rate(self) -> Decimal | None:
        return rate(self.reported, self.expected)

    @property
    def on_time_rate(self) -> Decimal | None:
        return rate(self.on_time, self.expected)

    def add(self, other: Tally) -> None:
        self.expected += other.expected
        self.reported += other.reported
        self.on_time += other.on_time
        self.nothing_found += other.nothing_found


@dataclass
class GridRow:
    grid: AreaNode
    village: AreaNode
    today: CampaignReport | None  # today's report (its time, on time or not, zero-report or findings)
    so_far: Tally  # every day of the window so far


@dataclass
class VillageRow:
    village: AreaNode
    today: Tally
    so_far: Tally
    grids: list[GridRow] = field(default_factory=list)


@dataclass
class DayRow:
    date: dt.date
    tally: Tally


@dataclass
class Board:
    campaign: Campaign
    today: dt.date
    days_so_far: int
    today_in_window: bool
    totals_today: Tally
    totals: Tally
    villages: list[VillageRow]
    history: list[DayRow]
    grids_shown: bool = True  # False: the villages' rows only, each drilling down to its grids


def _counts(reports: QuerySet[CampaignReport], by: str) -> dict[Any, dict[str, int]]:
    """{`by` value: {"n": reports, "t": on time, "z": zero-reports}}, one grouped query."""
    return {
        row[by]: row
        for row in reports.values(by).annotate(
            n=Count("id"), t=Count("id", filter=Q(on_time=True)), z=Count("id", filter=Q(nothing_found=True))
        )
    }


def _flags(report: CampaignReport | dict[str, Any] | None) -> tuple[bool, bool]:
    """(on time, nothing found) of today's report of a grid, read as a row or as values."""
    if report is None:
        return False, False
    if isinstance(report, dict):
        return bool(report["on_time"]), bool(report["nothing_found"])
    return report.on_time, report.nothing_found


def _villages(
    rows: list[tuple[int, int, CampaignGrid | None]],
    nodes: dict[int, AreaNode],
    per_grid: dict[Any, dict[str, int]],
    todays: dict[int, Any],
    *,
    days: int,
    in_window: bool,
) -> tuple[list[VillageRow], Tally, Tally]:
    """The villages' rows (with their grids' rows when read) and the totals so far and of today."""
    villages: dict[int, VillageRow] = {}
    totals, totals_today = Tally(), Tally()
    for grid_id, village_id, g in rows:
        counts = per_grid.get(grid_id, {})
        so_far = Tally(days, counts.get("n", 0), counts.get("t", 0), counts.get("z", 0))
        report = todays.get(grid_id)
        on_time, nothing = _flags(report)
        today_tally = Tally(1 if in_window else 0, 1 if report else 0, 1 if on_time else 0, 1 if nothing else 0)
        row = villages.setdefault(village_id, VillageRow(nodes[village_id], Tally(), Tally()))
        if g is not None:
            row.grids.append(GridRow(g.grid, g.village, report, so_far))
        row.so_far.add(so_far)
        row.today.add(today_tally)
        totals.add(so_far)
        totals_today.add(today_tally)
    return list(villages.values()), totals, totals_today


def _todays(reports: QuerySet[CampaignReport], *, as_rows: bool) -> dict[int, Any]:
    """Today's report of each grid: the report (its time shown on a grid's row) or its flags."""
    if as_rows:
        return {r.grid_id: r for r in reports.select_related("reported_by")}
    return {r["grid_id"]: r for r in reports.values("grid_id", "on_time", "nothing_found")}


def _covered_rows(
    covered: QuerySet[CampaignGrid], pairs: list[tuple[int, int]], *, grids_shown: bool
) -> tuple[list[tuple[int, int, CampaignGrid | None]], dict[int, AreaNode]]:
    """The board's (grid id, village id, grid row or None) and its villages by id: the grid rows
    read when they are shown, else the (grid, village) `pairs` and one query of the villages."""
    if grids_shown:
        grids = list(covered)
        return [(g.grid_id, g.village_id, g) for g in grids], {g.village_id: g.village for g in grids}
    villages = AreaNode.objects.filter(pk__in={vid for _g, vid in pairs}).only("id", "name", "path")
    return [(gid, vid, None) for gid, vid in pairs], {v.pk: v for v in villages}


def board(
    user: AnyUser,
    campaign: Campaign,
    *,
    today: dt.date | None = None,
    village: int | None = None,
    by_village: bool = False,
) -> Board:
    """The campaign board for the grids the user sees (of one `village` when given): today's
    reporting by village and grid, the window so far, and the history per day — a fixed number of
    queries whatever the number of grids or days. Expected = grids covered × days so far (today
    included); a zero-report counts as reported; on time = made before the deadline hour.
    `by_village`: over more than one village, the villages' rows only (their grids summed,
    `grids_shown` false), read as values rather than a row object per grid."""
    today = today or timezone.localdate()
    last = min(today, campaign.ends_on)
    days = max((last - campaign.starts_on).days + 1, 0)
    in_window = campaign.starts_on <= today <= campaign.ends_on
    covered = campaign_grids(user, campaign)
    if village is not None:
        covered = covered.filter(village_id=village)
    pairs = list(covered.values_list("grid_id", "village_id")) if by_village else []
    grids_shown = not by_village or len({v for _g, v in pairs}) <= 1
    # The grids as a subquery, not a list of thousands of ids (each a parameter) at county scale.
    window = scope_for(user).filter(
        CampaignReport.objects.filter(
            campaign=campaign,
            grid_id__in=covered.values("grid_id"),
            date__gte=campaign.starts_on,
            date__lte=last,
        )
    )
    per_grid = _counts(window, "grid_id")
    todays = _todays(window.filter(date=today), as_rows=grids_shown) if in_window else {}
    per_day = _counts(window, "date")
    rows, nodes = _covered_rows(covered, pairs, grids_shown=grids_shown)
    villages, totals, totals_today = _villages(rows, nodes, per_grid, todays, days=days, in_window=in_window)
    history = []
    for day in (campaign.starts_on + dt.timedelta(days=i) for i in range(days - 1, -1, -1)):
        counts = per_day.get(day, {})
        history.append(DayRow(day, Tally(len(rows), counts.get("n", 0), counts.get("t", 0), counts.get("z", 0))))
    return Board(
        campaign=campaign,
        today=today,
        days_so_far=days,
        today_in_window=in_window,
        totals_today=totals_today,
        totals=totals,
        villages=villages,
        history=history,
        grids_shown=grids_shown,
    )
