"""Every read of source governance, for an acting user: matter lists, the inbox, a matter's
timeline, and the measures (小事不出湾率, 大事不出村率 …) of any node and period."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, TypedDict

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from hongniudai.accounts.scope import Capability, get_scoped_or_404, grant_q, scope_for
from hongniudai.common import parsing
from hongniudai.places.models import AreaNode

from .. import rollups
from ..calendar import official_working, signal
from ..models import (
    OPEN_STATUSES,
    CalendarDay,
    Category,
    Level,
    Matter,
    MatterEvent,
    MatterStatus,
    Notification,
)

LIST_RELATED = ("category", "place", "place__parent", "area", "handler")


def _for_list(qs: QuerySet[Matter]) -> QuerySet[Matter]:
    """A list of matters joins nothing: the categories, places (with their grid and village),
    holders and handlers of the rows shown are fetched after the page is cut, in four small
    queries. Joining them to every matter in scope before the sort cost a village's list 50 ms on
    PostgreSQL, and led SQLite to read a county's matters by category and sort them all."""
    from django.db.models import Prefetch

    return qs.prefetch_related(
        "category", Prefetch("place", queryset=AreaNode.objects.select_related("parent__parent")), "area", "handler"
    )


def matters(
    user: Any,
    *,
    q: str = "",
    status: str = "",
    level: str = "",
    category: Category | None = None,
    kind: str = "",
    area: AreaNode | None = None,
    overdue: bool | None = None,
    reported_from: dt.date | None = None,
    reported_to: dt.date | None = None,
) -> QuerySet[Matter]:
    qs = _for_list(scope_for(user).filter(Matter.objects.all()))
    if q:
        q = q.strip()
        qs = qs.filter(
            Q(number=q) | Q(title__icontains=q) | Q(description__icontains=q) | Q(other_parties__icontains=q)
        )
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if level:
        qs = qs.filter(level=level)
    if category is not None:
        qs = qs.filter(category=category)
    if kind:
        qs = qs.filter(category__kind=kind)
    if area is not None:
        qs = qs.filter(origin_path__under=area.path)
    if overdue:
        qs = qs.filter(_overdue_q(timezone.now()))
    if reported_from:
        qs = qs.filter(**_days("reported_at", reported_from, None))
    if reported_to:
        qs = qs.filter(**_days("reported_at", None, reported_to))
    return qs.order_by("-reported_at", "-id")


def _day_start(day: dt.date) -> dt.datetime:
    """Local midnight at the start of `day`, as an aware datetime."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def _days(field_name: str, first: dt.date | None, last: dt.date | None) -> dict[str, dt.datetime]:
    """Lookups for `field_name` falling on local days first..last (either end open): a range on
    the stored instant, which the index answers, instead of casting every row to a date."""
    bounds = {}
    if first is not None:
        bounds[f"{field_name}__gte"] = _day_start(first)
    if last is not None:
        bounds[f"{field_name}__lt"] = _day_start(last + dt.timedelta(days=1))
    return bounds


def _overdue_q(now: dt.datetime) -> Q:
    return Q(status__in=OPEN_STATUSES) & (Q(status=MatterStatus.NEW, accept_due_at__lt=now) | Q(settle_due_at__lt=now))


def matter_get(user: Any, pk: int) -> Matter:
    return get_scoped_or_404(user, Matter.objects.select_related(*LIST_RELATED, "reporter"), pk=pk)


def timeline(user: Any, matter: Matter) -> QuerySet[MatterEvent]:
    return matter.events.select_related("actor").order_by("at", "id")


def inbox(user: Any) -> QuerySet[Matter]:
    """What awaits the user: open matters held exactly at a node they handle, plus those they
    are invited to, most urgent deadline first."""
    handle = scope_for(user, Capability.HANDLE)
    if handle.everything:
        held = Q(status__in=OPEN_STATUSES)
    else:
        held = Q(area_path__in=handle.area_paths, status__in=OPEN_STATUSES)
    # Every arm is answered from an index (held path, invited ids, handler), so the OR stays cheap.
    wanted = held | Q(status=MatterStatus.RESOLVED, handler=user)
    invited = grant_q(Matter, "invited", user.pk)
    if invited is not None:
        wanted |= invited & Q(status__in=OPEN_STATUSES)
    return (
        _for_list(Matter.objects.filter(wanted))
        .annotate(due=_next_due())
        .order_by(F("due").asc(nulls_last=True), "reported_at")
    )


def _next_due() -> Any:
    from django.db.models import Case, When

    return Case(
        When(status=MatterStatus.NEW, then=F("accept_due_at")),
        When(status=MatterStatus.ACCEPTED, then=F("settle_due_at")),
        default=None,
    )


def due_of(matter: Matter) -> dt.datetime | None:
    if matter.status == MatterStatus.NEW:
        return matter.accept_due_at
    if matter.status == MatterStatus.ACCEPTED:
        return matter.settle_due_at
    return None


def signal_of(matter: Matter, now: dt.datetime | None = None) -> str:
    return signal(now or timezone.now(), due_of(matter)) if matter.is_open else "done"


def unread_notifications(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, read_at__isnull=True).select_related("matter")


def categories(*, active_only: bool = True) -> QuerySet[Category]:
    qs = Category.objects.prefetch_related("attributes")
    return qs.filter(is_active=True) if active_only else qs


# ---- measures -----------------------------------------------------------------------------


@dataclass
class Measures:
    node: AreaNode | None
    start: dt.date
    end: dt.date
    reported: int = 0
    settled: int = 0
    open: int = 0
    overdue: int = 0
    settled_hamlet: int = 0
    settled_village_or_below: int = 0
    mean_days: float | None = None
    p90_days: float | None = None
    satisfaction: float | None = None
    follow_ups: int = 0
    repeat_matters: int = 0
    by_level: dict[str, int] = field(default_factory=dict)

    @property
    def hamlet_rate(self) -> float | None:
        return self.settled_hamlet / self.settled if self.settled else None

    @property
    def village_rate(self) -> float | None:
        return self.settled_village_or_below / self.settled if self.settled else None


def _percentile(sorted_values: list[float], pct: float) -> float | None:
    if not sorted_values:
        return None
    k = max(0, math.ceil(pct * len(sorted_values)) - 1)
    return sorted_values[k]


def measures(user: Any, *, node: AreaNode | None, start: dt.date, end: dt.date) -> Measures:
    """Measures of the matters that arose under `node` (by where they happened), for the
    period [start, end] in local dates, restricted to what the user may see.

    For a village or any node above it that lies wholly in the user's scope, the whole months of
    the period are sums of the rollup (`rollups.MatterMonth`) and only the days before the first
    and after the last whole month are counted from the matters; otherwise everything is
    counted from the matters. Open and overdue matters are always counted live."""
    base = _under(user, node)
    m = Measures(node=node, start=start, end=end)
    months = rollups.whole_months(start, end) if _summable(user, node) else None
    if node is not None and months is not None:
        t = rollups.totals(node, *months)
        for first, last in rollups.edge_days(start, end, months):
            _add_matters(t, user, base, node, first, last)
        _fill(m, t)
    else:
        _measures_from_matters(m, user, base, node, start, end)
    m.open, m.overdue = _live_counts(base, end)
    return m


def _live_counts(base: QuerySet[Matter], end: dt.date) -> tuple[int, int]:
    """(open matters reported by `end`, overdue matters now) among `base`: never from the rollup."""
    return (
        base.filter(status__in=OPEN_STATUSES, **_days("reported_at", None, end)).count(),
        base.filter(_overdue_q(timezone.now())).count(),
    )


def _under(user: Any, node: AreaNode | None) -> QuerySet[Matter]:
    base = scope_for(user).filter(Matter.objects.all())
    return base.filter(origin_path__under=node.path) if node is not None else base


def _summable(user: Any, node: AreaNode | None) -> bool:
    return node is not None and node.kind in rollups.SUMMED_KINDS and scope_for(user).covers_path(area_path=node.path)


def _from_rollup(user: Any, node: AreaNode | None, start: dt.date, end: dt.date) -> bool:
    """Whether the whole period of `node` is sums of rollup cells (the monthly series)."""
    return _summable(user, node) and rollups.covers(node, start, end)


def _fill(m: Measures, t: rollups.Totals) -> None:
    m.reported = t.reported
    m.by_level = dict(t.by_level)
    m.settled = sum(t.by_level.values())
    m.settled_hamlet = t.by_level.get(Level.HAMLET, 0)
    m.settled_village_or_below = sum(t.by_level.get(lvl, 0) for lvl in (Level.HAMLET, Level.GRID, Level.VILLAGE))
    if m.settled:
        m.mean_days = t.settled_seconds / m.settled / 86400
        m.p90_days = t.p90_days
    m.satisfaction = t.satisfaction_sum / t.rated if t.rated else None
    m.follow_ups = t.rated
    m.repeat_matters = t.repeats


def _add_matters(
    t: rollups.Totals, user: Any, base: QuerySet[Matter], node: AreaNode, first: dt.date, last: dt.date
) -> None:
    """Add the matters of the days first..last to `t`, as the rollup would have counted them."""
    t.reported += base.filter(**_days("reported_at", first, last)).count()
    settled = base.filter(resolved_at__isnull=False, **_days("resolved_at", first, last))
    for level, reported_at, resolved_at, satisfaction in settled.values_list(
        "resolved_level", "reported_at", "resolved_at", "satisfaction"
    ):
        if resolved_at is not None:  # always, by the filter
            t.settle(level, reported_at, resolved_at, satisfaction)
    t.repeats += repeat_matters(user, node=node, start=first, end=last).count()


def _measures_from_matters(
    m: Measures, user: Any, base: QuerySet[Matter], node: AreaNode | None, start: dt.date, end: dt.date
) -> None:
    key = node.path if node is not None else ""
    _from_matters_by_prefix({key: m}, user, base, node, start, end)


def _from_matters_by_prefix(
    out: dict[str, Measures], user: Any, base: QuerySet[Matter], node: AreaNode | None, start: dt.date, end: dt.date
) -> None:
    """Fill the measures in `out`, keyed by path prefixes of one length (the children of `node`,
    or `node` itself), by counting the matters: five queries whatever the number of prefixes."""
    length = len(next(iter(out)))
    prefix = Substr("origin_path", 1, length)
    reported = base.filter(**_days("reported_at", start, end)).annotate(k=prefix).values("k")
    for k, n in reported.annotate(n=Count("*")).order_by().values_list("k", "n"):
        if k in out:
            out[k].reported = n
    durations: dict[str, list[float]] = defaultdict(list)
    ratings: dict[str, list[int]] = defaultdict(list)
    for m in out.values():
        m.by_level = {lvl: 0 for lvl in Level.values}
    settled = base.filter(resolved_at__isnull=False, **_days("resolved_at", start, end)).annotate(k=prefix)
    for k, level, reported_at, resolved_at, satisfaction in settled.values_list(
        "k", "resolved_level", "reported_at", "resolved_at", "satisfaction"
    ):
        if k not in out or resolved_at is None:
            continue
        out[k].by_level[level] = out[k].by_level.get(level, 0) + 1
        durations[k].append((resolved_at - reported_at).total_seconds() / 86400)
        if satisfaction is not None:
            ratings[k].append(satisfaction)
    repeats: dict[str, set[int]] = defaultdict(set)
    for k, pk in repeat_matters(user, node=node, start=start, end=end).annotate(k=prefix).values_list("k", "pk"):
        repeats[k].add(pk)
    for k, m in out.items():
        m.settled = sum(m.by_level.values())
        m.settled_hamlet = m.by_level[Level.HAMLET]
        m.settled_village_or_below = sum(m.by_level[lvl] for lvl in (Level.HAMLET, Level.GRID, Level.VILLAGE))
        days = sorted(durations[k])
        if days:
            m.mean_days = sum(days) / len(days)
            m.p90_days = _percentile(days, 0.9)
        rated = ratings[k]
        m.satisfaction = sum(rated) / len(rated) if rated else None
        m.follow_ups = len(rated)
        m.repeat_matters = len(repeats[k])


def repeat_matters(
    user: Any, *, node: AreaNode | None, start: dt.date, end: dt.date, window_days: int = 180
) -> QuerySet[Matter]:
    """Matters of the period whose place and category, or one of whose parties, had an earlier
    matter within `window_days`."""
    base = scope_for(user).filter(Matter.objects.all())
    if node is not None:
        base = base.filter(origin_path__under=node.path)
    period = base.filter(**_days("reported_at", start, end))
    return period.filter(rollups.repeat_q(dt.timedelta(days=window_days))).distinct()


def drill_down(user: Any, *, node: AreaNode | None, start: dt.date, end: dt.date, measure: str) -> QuerySet[Matter]:
    """The matters behind one number of `measures`."""
    base = _for_list(scope_for(user).filter(Matter.objects.all()))
    if node is not None:
        base = base.filter(origin_path__under=node.path)
    settled = base.filter(resolved_at__isnull=False, **_days("resolved_at", start, end))
    if measure == "reported":
        return base.filter(**_days("reported_at", start, end))
    if measure == "settled":
        return settled
    if measure == "settled_hamlet":
        return settled.filter(resolved_level=Level.HAMLET)
    if measure == "settled_village":
        return settled.filter(resolved_level__in=(Level.HAMLET, Level.GRID, Level.VILLAGE))
    if measure == "open":
        return base.filter(status__in=OPEN_STATUSES, **_days("reported_at", None, end))
    if measure == "overdue":
        return base.filter(_overdue_q(timezone.now()))
    if measure == "repeat":
        ids = repeat_matters(user, node=node, start=start, end=end).values("pk")
        return base.filter(pk__in=ids)
    return base.none()


def measures_by_child(user: Any, *, node: AreaNode, start: dt.date, end: dt.date) -> list[Measures]:
    """Measures of each visible child of `node` (villages of a town, grids of a village…)."""
    return measures_with_children(user, node=node, start=start, end=end)[1]


def measures_with_children(
    user: Any, *, node: AreaNode, start: dt.date, end: dt.date
) -> tuple[Measures, list[Measures]]:
    """The measures of `node` and of each of its visible children, in a number of queries that
    does not grow with the children: when the node and every child are summed from the rollup
    over whole months, from one read of the node's cells (the node's figures are the children's
    sums); otherwise the children's figures are counted from the matters together, grouped by
    child. Open and overdue matters are counted grouped by child too."""
    children = list(scope_for(user).filter(node.children.all()).order_by("sort_order", "name"))
    if len({len(child.path) for child in children}) > 1:  # not a tree this platform builds
        total = measures(user, node=node, start=start, end=end)
        return total, [measures(user, node=child, start=start, end=end) for child in children]
    months = rollups.whole_months(start, end)
    summed = (
        months is not None
        and not rollups.edge_days(start, end, months)
        and _summable(user, node)
        and all(_summable(user, child) for child in children)
    )
    base = _under(user, node)
    out = {child.path: Measures(node=child, start=start, end=end) for child in children}
    if summed and months is not None:
        totals = rollups.totals_by_child(node, children, *months)
        # The cells all lie in villages or parks, each under one child: the node's sum is theirs.
        whole = rollups.Totals()
        for child in children:
            _fill(out[child.path], totals[child.pk])
            whole.add(totals[child.pk])
        total = Measures(node=node, start=start, end=end)
        _fill(total, whole)
        total.open, total.overdue = _live_counts(base, end)
    else:
        total = measures(user, node=node, start=start, end=end)
        if out:
            _from_matters_by_prefix(out, user, base, node, start, end)
    if out:
        length = len(children[0].path)

        def by_child(qs: QuerySet[Matter]) -> dict[str, int]:
            rows = qs.annotate(k=Substr("origin_path", 1, length)).values("k").annotate(n=Count("*")).order_by()
            return {row["k"]: row["n"] for row in rows}

        open_by = by_child(base.filter(status__in=OPEN_STATUSES, **_days("reported_at", None, end)))
        overdue_by = by_child(base.filter(_overdue_q(timezone.now())))
        for path, m in out.items():
            m.open, m.overdue = open_by.get(path, 0), overdue_by.get(path, 0)
    return total, list(out.values())


# ---- for the work pages -------------------------------------------------------------------


@dataclass
class Row:
    """A matter with its deadline signal (green / yellow / red, or "done" when settled)."""

    matter: Matter
    signal: str
    due: dt.datetime | None

    @property
    def place(self) -> str:
        return place_text(self.matter)


def place_text(matter: Matter) -> str:
    """村 / 组 / 湾 of where the matter happened (cheap when `place__parent__parent` is loaded)."""
    names = [matter.place.name]
    parent = matter.place.parent
    while parent is not None and len(names) < 3 and parent.kind in ("grid", "village"):
        names.insert(0, parent.name)
        parent = parent.parent if parent.kind == "grid" else None
    return " / ".join(names)


def with_signals(rows: Any, now: dt.datetime | None = None) -> list[Row]:
    """Signals for many matters with one calendar query (instead of one per matter)."""
    from ..calendar import Signal, WorkCalendar

    now = now or timezone.now()
    items = list(rows)
    today = timezone.localtime(now).date()
    dues = {m.pk: due_of(m) if m.is_open else None for m in items}
    future = [timezone.localtime(d).date() for d in dues.values() if d is not None and d >= now]
    cal = WorkCalendar(today, max(future)) if future else None
    out = []
    for m in items:
        due = dues[m.pk]
        if not m.is_open:
            sig = "done"
        elif due is None:
            sig = Signal.GREEN
        elif now > due:
            sig = Signal.RED
        else:
            assert cal is not None
            due_day = timezone.localtime(due).date()
            day, left = today, 0
            while day < due_day and left == 0:
                day += dt.timedelta(days=1)
                left += 1 if cal.is_working(day) else 0
            sig = Signal.GREEN if left else Signal.YELLOW
        out.append(Row(matter=m, signal=sig, due=due))
    return out


def matter_rows(user: Any, **filters: Any) -> QuerySet[Matter]:
    """`matters(...)` for list pages and exports: the parties too."""
    return matters(user, **filters).prefetch_related("parties")


def report_places(user: Any) -> QuerySet[AreaNode]:
    """Hamlets and grids where the user may report a matter."""
    from hongniudai.places.models import AreaKind

    qs = AreaNode.objects.filter(kind__in=(AreaKind.GRID, AreaKind.HAMLET)).select_related("parent__parent")
    return scope_for(user).filter(qs).order_by("path")


def report_channel(user: Any) -> str:
    """The channel a signed-in user reports through: centre household, grid patrol, or the web form."""
    from hongniudai.accounts.models import Role
    from hongniudai.accounts.scope import roles_of

    from ..models import Channel

    roles = roles_of(user)
    if Role.CENTRE_HOUSEHOLD in roles:
        return Channel.CENTRE_HOUSEHOLD
    if Role.GRID_WORKER in roles:
        return Channel.GRID_PATROL
    return Channel.WEB


def party_candidates(
    user: Any, *, place: AreaNode | None, q: str = "", exclude: Any = (), limit: int = 20
) -> list[Any]:
    """Residents the user may name as parties: of the village where the matter happened (name,
    pinyin initials or full pinyin), the ones already chosen left out."""
    from hongniudai.common.tree import ancestor_ids
    from hongniudai.places import selectors as place_selectors
    from hongniudai.places.models import AreaKind, Resident

    qs = scope_for(user).filter(Resident.objects.select_related("household__hamlet"))
    if place is not None:
        village = AreaNode.objects.filter(pk__in=ancestor_ids(place.path), kind=AreaKind.VILLAGE).first()
        qs = qs.filter(household__hamlet__path__under=(village or place).path)
    if q.strip():
        qs = qs.filter(place_selectors.resident_search_q(q))
    return list(qs.exclude(pk__in=list(exclude)).order_by("household__hamlet__path", "name", "id")[:limit])


def residents_by_ids(user: Any, ids: Any) -> list[Any]:
    from hongniudai.places.models import Resident

    clean = [pk for pk in (parsing.parse_id(str(i)) for i in ids) if pk]
    qs = Resident.objects.filter(pk__in=clean).select_related("household__hamlet")
    return list(scope_for(user).filter(qs).order_by("name", "id"))


@dataclass
class MatterFile:
    """Everything about one matter for its page."""

    matter: Matter
    events: list[MatterEvent]
    sessions: list[Any]
    agreement: Any
    follow_ups: list[Any]
    attachments: list[Any]
    parties: list[Any]
    invited: list[Any]
    place_trail: list[AreaNode]


def matter_file(user: Any, matter: Matter) -> MatterFile:
    from hongniudai.common.tree import ancestor_ids

    from ..models import Agreement

    trail_ids = ancestor_ids(matter.place.path)
    trail = [n for n in AreaNode.objects.filter(pk__in=trail_ids).order_by("depth") if n.depth > 2]
    return MatterFile(
        matter=matter,
        events=list(timeline(user, matter)),
        sessions=list(matter.sessions.select_related("recorded_by").order_by("held_on", "id")),
        agreement=Agreement.objects.filter(matter=matter).first(),
        follow_ups=list(matter.follow_ups.select_related("visited_by").order_by("visited_on", "id")),
        attachments=list(matter.attachments.select_related("uploaded_by").order_by("uploaded_at", "id")),
        parties=list(matter.parties.select_related("household__hamlet").order_by("name", "id")),
        invited=list(matter.invited.order_by("username")),
        place_trail=trail,
    )


def agreement_get(user: Any, matter_pk: int) -> Any:
    """The agreement of a matter the user may see; 404 when there is none or it is out of scope."""
    from ..models import Agreement

    return get_scoped_or_404(user, Agreement.objects.select_related("matter", "matter__place"), matter_id=matter_pk)


def attachment_get(user: Any, pk: int) -> Any:
    from ..models import Attachment

    return get_scoped_or_404(user, Attachment.objects.select_related("matter"), pk=pk)


def hand_down_targets(user: Any, matter: Matter) -> QuerySet[AreaNode]:
    """Nodes between the current holder (exclusive) and the place (inclusive) on its branch."""
    from hongniudai.common.tree import ancestor_ids
    from hongniudai.places.models import AreaKind

    return (
        AreaNode.objects.filter(pk__in=ancestor_ids(matter.origin_path))
        .filter(path__under=matter.area.path, kind__in=(AreaKind.VILLAGE, AreaKind.GRID, AreaKind.HAMLET))
        .exclude(pk=matter.area_id)
        .order_by("depth")
    )


def unread_count(user: Any) -> int:
    return unread_notifications(user).count()


# ---- for the measures and administration pages --------------------------------------------


@dataclass
class MonthCount:
    year: int
    month: int
    reported: int = 0
    settled: int = 0

    @property
    def label(self) -> str:
        return f"{self.year}-{self.month:02d}"


def monthly_counts(user: Any, node: AreaNode | None, start: dt.date, end: dt.date) -> list[MonthCount]:
    """Matters reported and matters settled in each month of [start, end] under `node` (by where
    they happened), as the user may see them. One grouped query (the two GROUP BYs in a UNION),
    by year and month extracted in local time; months without matters are zeros."""
    from django.db.models import CharField, Value
    from django.db.models.functions import ExtractMonth, ExtractYear

    months: dict[tuple[int, int], MonthCount] = {}
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months[(year, month)] = MonthCount(year, month)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if _from_rollup(user, node, start, end):
        assert node is not None
        for day, (reported_n, settled_n) in rollups.monthly(node, start, end).items():
            bucket = months.get((day.year, day.month))
            if bucket is not None:
                bucket.reported, bucket.settled = reported_n, settled_n
        return list(months.values())
    base = scope_for(user).filter(Matter.objects.all())
    if node is not None:
        base = base.filter(origin_path__under=node.path)

    def grouped(qs: QuerySet[Matter], series: str, field_name: str) -> QuerySet[Any]:
        return (
            qs.annotate(
                series=Value(series, output_field=CharField()),
                y=ExtractYear(field_name),
                m=ExtractMonth(field_name),
            )
            .values("series", "y", "m")
            .annotate(n=Count("*"))
            .order_by()
        )

    reported = grouped(base.filter(**_days("reported_at", start, end)), "r", "reported_at")
    settled = grouped(
        base.filter(resolved_at__isnull=False, **_days("resolved_at", start, end)),
        "s",
        "resolved_at",
    )
    for row in reported.union(settled, all=True):
        bucket = months.get((int(row["y"]), int(row["m"])))
        if bucket is None:
            continue
        if row["series"] == "r":
            bucket.reported += int(row["n"])
        else:
            bucket.settled += int(row["n"])
    return list(months.values())


SETTLED_AT = "settled_at_"


def matters_behind(user: Any, *, node: AreaNode | None, start: dt.date, end: dt.date, measure: str) -> QuerySet[Matter]:
    """`drill_down`, plus the matters behind the satisfaction figure ("rated") and behind each
    bar of settled-by-level ("settled_at_<level>")."""
    if measure == "rated":
        return drill_down(user, node=node, start=start, end=end, measure="settled").filter(satisfaction__isnull=False)
    if measure.startswith(SETTLED_AT):
        level = measure[len(SETTLED_AT) :]
        settled = drill_down(user, node=node, start=start, end=end, measure="settled")
        return settled.filter(resolved_level=level) if level in Level.values else settled.none()
    return drill_down(user, node=node, start=start, end=end, measure=measure)


def calendar_corrections(user: Any, *, start: dt.date, end: dt.date) -> dict[dt.date, CalendarDay]:
    """The administrator's corrections of the working calendar between two dates, by date."""
    return {d.date: d for d in CalendarDay.objects.filter(date__gte=start, date__lte=end)}


def calendar_day(user: Any, *, day: dt.date) -> tuple[CalendarDay | None, bool]:
    """The administrator's correction of `day` (None when there is none) and whether it is a working day."""
    correction = calendar_corrections(user, start=day, end=day).get(day)
    return correction, correction.is_working if correction is not None else official_working(day)


class CalendarCell(TypedDict):
    date: dt.date
    in_month: bool
    today: bool
    official: bool  # a working day by the official calendar
    working: bool  # a working day once corrected
    correction: CalendarDay | None


@dataclass
class CalendarMonth:
    """A month of the working calendar as the page shows it: whole weeks from Monday to Sunday."""

    first: dt.date
    weeks: list[list[CalendarCell]]
    prev_month: dt.date
    next_month: dt.date
    month_corrections: list[CalendarDay]  # the corrections within the month itself
    selected_correction: CalendarDay | None  # the correction of the selected day, wherever it is


def calendar_month(user: Any, *, first: dt.date, today: dt.date, selected: dt.date | None) -> CalendarMonth:
    """The month starting on `first`, each day official and corrected; `selected` is the day being edited."""
    last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
    grid_start = first - dt.timedelta(days=first.weekday())
    grid_end = last + dt.timedelta(days=6 - last.weekday())
    corrections = calendar_corrections(user, start=grid_start, end=grid_end)
    weeks: list[list[CalendarCell]] = []
    day = grid_start
    while day <= grid_end:
        week: list[CalendarCell] = []
        for _i in range(7):
            correction = corrections.get(day)
            official = official_working(day)
            week.append(
                {
                    "date": day,
                    "in_month": day.month == first.month,
                    "today": day == today,
                    "official": official,
                    "working": correction.is_working if correction is not None else official,
                    "correction": correction,
                }
            )
            day += dt.timedelta(days=1)
        weeks.append(week)
    if selected is not None and selected not in corrections:
        selected_correction = calendar_corrections(user, start=selected, end=selected).get(selected)
    else:
        selected_correction = corrections.get(selected) if selected else None
    return CalendarMonth(
        first=first,
        weeks=weeks,
        prev_month=(first - dt.timedelta(days=1)).replace(day=1),
        next_month=last + dt.timedelta(days=1),
        month_corrections=[c for c in corrections.values() if c.date.month == first.month],
        selected_correction=selected_correction,
    )


def deadline_rules(user: Any) -> list[Any]:
    """Every deadline rule: the defaults (no category) first, then by category, up the ladder."""
    from ..models import LADDER, DeadlineRule

    rules = list(DeadlineRule.objects.select_related("category"))
    rules.sort(
        key=lambda r: (
            r.category is not None,
            r.category.sort_order if r.category else 0,
            r.category.code if r.category else "",
            LADDER.index(r.level) if r.level in LADDER else 99,
        )
    )
    return rules


def category_get(user: Any, pk: int) -> Category:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Category.objects.prefetch_related("attributes"), pk=pk)


def category_attribute_get(user: Any, pk: int) -> Any:
    from django.shortcuts import get_object_or_404

    from ..models import CategoryAttribute

    return get_object_or_404(CategoryAttribute.objects.select_related("category"), pk=pk)


def open311_keys(user: Any) -> QuerySet[Any]:
    """The Open311 api keys of the areas where the user may edit places."""
    from ..models import Open311Key

    qs = Open311Key.objects.select_related("area", "issued_by").order_by("-is_active", "-issued_at", "-id")
    return scope_for(user, Capability.EDIT_PLACES).filter(qs)


def open311_key_get(user: Any, pk: int) -> Any:
    from ..models import Open311Key

    return get_scoped_or_404(user, Open311Key.objects.select_related("area"), pk=pk)


def open311_key_areas(user: Any) -> QuerySet[AreaNode]:
    """Areas an Open311 key may be issued for: county, town, district or village nodes where the
    user may edit places."""
    from hongniudai.places.models import AreaKind

    kinds = (AreaKind.COUNTY, AreaKind.TOWN, AreaKind.DISTRICT, AreaKind.VILLAGE)
    qs = AreaNode.objects.filter(kind__in=kinds).order_by("path")
    return scope_for(user, Capability.EDIT_PLACES).filter(qs)


# ---- for the REST API ---------------------------------------------------------------------


def with_details(qs: QuerySet[Matter]) -> QuerySet[Matter]:
    """Matters with what the API shows of each: the reporter, the parties (name and masked ID
    only), the invited people, and counts of sessions, attachments, follow-up visits and events,
    all in a fixed number of queries however many matters there are. `qs` is a list queryset
    (`matters(...)`, or `_for_list` of one), whose related rows come after the page is cut."""
    from django.db.models import Exists, IntegerField, OuterRef, Prefetch, Subquery, Value
    from django.db.models.functions import Coalesce

    from hongniudai.accounts.models import User
    from hongniudai.places.models import Resident

    from ..models import Agreement, Attachment, FollowUp, MediationSession

    def count_of(model: Any) -> Any:
        rows = model.objects.filter(matter=OuterRef("pk")).order_by().values("matter").annotate(n=Count("*"))
        return Coalesce(Subquery(rows.values("n")[:1], output_field=IntegerField()), Value(0))

    return qs.annotate(
        session_count=count_of(MediationSession),
        attachment_count=count_of(Attachment),
        follow_up_count=count_of(FollowUp),
        event_count=count_of(MatterEvent),
        has_agreement=Exists(Agreement.objects.filter(matter=OuterRef("pk"))),
    ).prefetch_related(
        Prefetch("parties", queryset=Resident.objects.only("id", "name", "id_masked").order_by("name", "id")),
        Prefetch("invited", queryset=User.objects.only("id", "username", "display_name").order_by("username")),
        "reporter",
    )


def matter_detail(user: Any, pk: int) -> Matter:
    """One matter with `with_details`; 404 when missing or out of the user's scope."""
    return get_scoped_or_404(user, with_details(_for_list(Matter.objects.all())), pk=pk)


def matter_after_action(user: Any, matter: Matter) -> Matter:
    """The matter as it stands after the user acted on it, with `with_details`. Read without the
    scope filter on purpose: a handler who has just handed a matter up may read the result of
    their own action even though the matter has now left their scope."""
    return with_details(_for_list(Matter.objects.filter(pk=matter.pk))).get()


def sessions_of(user: Any, matter: Matter) -> QuerySet[Any]:
    """Visits and mediation sessions of a matter the user may see (checked by the caller)."""
    return matter.sessions.select_related("recorded_by").order_by("held_on", "id")


def follow_ups_of(user: Any, matter: Matter) -> QuerySet[Any]:
    return matter.follow_ups.select_related("visited_by").order_by("visited_on", "id")


def attachments_of(user: Any, matter: Matter) -> QuerySet[Any]:
    return matter.attachments.select_related("uploaded_by").order_by("uploaded_at", "id")


def invitable_of(user: Any, matter: Matter) -> list[Any]:
    """People the user may invite to the matter (the village's legal adviser and cadres)."""
    from ..services import invitable_users

    return invitable_users(matter)
