"""The measures of source governance for an acting user: 小事不出湾率, 大事不出村率, settling
times, satisfaction and repeat matters of any node and period, their monthly series, and the
matters behind each figure. Whole months come from the rollup (`rollups.MatterMonth`)."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, CharField, Count, F, Func, Q, QuerySet, Value
from django.db.models.functions import ExtractMonth, ExtractYear, Substr
from django.utils import timezone

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import scope_for
from hongniudai.places.models import AreaNode

from .. import rollups
from ..models import OPEN_STATUSES, Level, Matter
from .matter import for_list, on_days, overdue_q


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


def measures(user: User, *, node: AreaNode | None, start: dt.date, end: dt.date) -> Measures:
    """Measures of the matters that arose under `node` (by where they happened), for the
    period [start, end] in local dates, restricted to what the user may see.

    For a village or any node above it that lies wholly in the user's scope, the whole months of
    the period are sums of the rollup (`rollups.MatterMonth`) and only the days before the first
    and after the last whole month are counted from the matters; otherwise everything is
    counted from the matters. Open and overdue matters are always counted live."""
    base = _under(user, node)
    m = _measures_without_live(user, node=node, start=start, end=end, base=base)
    m.open, m.overdue = _live_counts(base, end)
    return m


def _measures_without_live(
    user: User, *, node: AreaNode | None, start: dt.date, end: dt.date, base: QuerySet[Matter]
) -> Measures:
    """`measures` but the open and overdue counts."""
    m = Measures(node=node, start=start, end=end)
    months = rollups.whole_months(start, end) if _summable(user, node) else None
    if node is not None and months is not None:
        t = rollups.totals(node, *months)
        for first, last in rollups.edge_days(start, end, months):
            _add_matters(t, user, base, node, first, last)
        _fill(m, t)
    else:
        measures_from_matters(m, user, base, node, start, end)
    return m


def _live_filters(end: dt.date) -> dict[str, Count]:
    """The open matters reported by `end` and the matters overdue now, as two counts of one read
    of the open matters (the partial index `matter_open_idx` answers it without the table)."""
    return {
        "open_n": Count("origin_path", filter=Q(**on_days("reported_at", None, end))),
        "overdue_n": Count("origin_path", filter=overdue_q(timezone.now())),
    }


assert all(str(status).isalnum() for status in OPEN_STATUSES)
_OPEN_LITERALS = ", ".join(f"'{status}'" for status in OPEN_STATUSES)


class _IsOpen(Func):
    """`status IN OPEN_STATUSES`, the statuses written into the SQL (constants of the model, never
    input), which SQLite's planner (it keeps no statistics) is told holds for most rows (`likely`).
    SQLite takes a partial index only when the query's own condition, as written, implies the
    index's: bound as parameters, the statuses never matched `matter_open_idx`'s, and SQLite read
    every open matter of the county by the status index, each looked up in the table (a grid's
    open counts 35 ms). Written out, and the status index made unattractive, it reads the node's
    open matters from `matter_open_idx` by path alone (0.01 ms; the county's 22 instead of 58).
    PostgreSQL's planner sees the same condition and takes the index as before."""

    template = f"%(expressions)s IN ({_OPEN_LITERALS})"
    output_field = BooleanField()

    def __init__(self) -> None:
        super().__init__(F("status"))

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, template=f"likely({self.template})", **extra_context)


def _open(base: QuerySet[Matter]) -> QuerySet[Matter]:
    """The open matters of `base`, read from the partial index `matter_open_idx`."""
    return base.filter(_IsOpen())


def _live_counts(base: QuerySet[Matter], end: dt.date) -> tuple[int, int]:
    """(open matters reported by `end`, overdue matters now) among `base`: never from the rollup."""
    row = _open(base).aggregate(**_live_filters(end))
    return row["open_n"], row["overdue_n"]


def _live_counts_by_prefix(base: QuerySet[Matter], end: dt.date, length: int) -> dict[str, tuple[int, int]]:
    """`_live_counts` grouped by the first `length` characters of where each matter arose (the
    children of a node); a matter placed at the node itself has a shorter key of its own, so the
    node's counts are the sums over every key."""
    rows = (
        _open(base).annotate(k=Substr("origin_path", 1, length)).values("k").annotate(**_live_filters(end)).order_by()
    )
    return {row["k"]: (row["open_n"], row["overdue_n"]) for row in rows}


def _under(user: User, node: AreaNode | None) -> QuerySet[Matter]:
    base = scope_for(user).filter(Matter.objects.all())
    return base.filter(origin_path__under=node.path) if node is not None else base


def _summable(user: User, node: AreaNode | None) -> bool:
    return node is not None and node.kind in rollups.SUMMED_KINDS and scope_for(user).covers_path(area_path=node.path)


def from_rollup(user: User, node: AreaNode | None, start: dt.date, end: dt.date) -> bool:
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
    t: rollups.Totals, user: User, base: QuerySet[Matter], node: AreaNode, first: dt.date, last: dt.date
) -> None:
    """Add the matters of the days first..last to `t`, as the rollup would have counted them."""
    t.reported += base.filter(**on_days("reported_at", first, last)).count()
    settled = base.filter(resolved_at__isnull=False, **on_days("resolved_at", first, last))
    for level, reported_at, resolved_at, satisfaction in settled.values_list(
        "resolved_level", "reported_at", "resolved_at", "satisfaction"
    ):
        if resolved_at is not None:  # always, by the filter
            t.settle(level, reported_at, resolved_at, satisfaction)
    t.repeats += _repeats_among(base, first, last).count()


def measures_from_matters(
    m: Measures, user: User, base: QuerySet[Matter], node: AreaNode | None, start: dt.date, end: dt.date
) -> None:
    """Fill `m` by counting the matters of `base` (never from the rollup): what the rollup's sums
    are checked against."""
    key = node.path if node is not None else ""
    _from_matters_by_prefix({key: m}, user, base, node, start, end)


class _ByPath(Func):
    """A date column as it is, which SQLite's planner does not take for an index (`+column`).
    SQLite keeps no statistics of ranges: it takes a year's dates for as narrow as a grid's path
    and walked the county's year of matters by date to count one grid's (760 ms for a grid's
    measures on the generated county) instead of the grid's matters by its path. PostgreSQL's
    planner knows the difference and sees the column itself."""

    template = "%(expressions)s"

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, template="+%(expressions)s", **extra_context)


def _dated(base: QuerySet[Matter], node: AreaNode | None, user: User) -> QuerySet[Matter]:
    """`base` with `reported_day` and `resolved_day` to filter on: read by the path under a node,
    or, with no node, under the user's own nodes when none of them is a tree's root (a grid
    worker's whole scope is a grid: by the dates, SQLite walked the county's year to count it, 1.4 s);
    by the dates only for the whole tree."""
    scope = scope_for(user)
    whole_tree = scope.everything or any(path.count("/") <= 2 for path in scope.area_paths)
    if node is None and whole_tree:
        return base.alias(reported_day=F("reported_at"), resolved_day=F("resolved_at"))
    return base.alias(reported_day=_ByPath("reported_at"), resolved_day=_ByPath("resolved_at"))


def _from_matters_by_prefix(
    out: dict[str, Measures], user: User, base: QuerySet[Matter], node: AreaNode | None, start: dt.date, end: dt.date
) -> None:
    """Fill the measures in `out`, keyed by path prefixes of one length (the children of `node`,
    or `node` itself), by counting the matters: five queries whatever the number of prefixes."""
    length = len(next(iter(out)))
    prefix = Substr("origin_path", 1, length)
    base = _dated(base, node, user)
    reported = base.filter(**on_days("reported_day", start, end)).annotate(k=prefix).values("k")
    for k, n in reported.annotate(n=Count("*")).order_by().values_list("k", "n"):
        if k in out:
            out[k].reported = n
    durations: dict[str, list[float]] = defaultdict(list)
    ratings: dict[str, list[int]] = defaultdict(list)
    for m in out.values():
        m.by_level = {lvl: 0 for lvl in Level.values}
    settled = base.filter(resolved_at__isnull=False, **on_days("resolved_day", start, end)).annotate(k=prefix)
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
    # Unordered: the order by date would have SQLite walk the whole table by its date index.
    repeated = _repeats_among(base, start, end, field="reported_day").order_by()
    for k, pk in repeated.annotate(k=prefix).values_list("k", "pk"):
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
    user: User, *, node: AreaNode | None, start: dt.date, end: dt.date, window_days: int = 180
) -> QuerySet[Matter]:
    """Matters of the period whose place and category, or one of whose parties, had an earlier
    matter within `window_days`."""
    return _repeats_among(_under(user, node), start, end, window_days)


def _repeats_among(
    base: QuerySet[Matter], start: dt.date, end: dt.date, window_days: int = 180, *, field: str = "reported_at"
) -> QuerySet[Matter]:
    """`repeat_matters` among `base` (the user's matters under a node, read once by the caller:
    building the scope's filter again reads the user's invitations again), `field` the date
    filtered on (`_dated`'s `reported_day`)."""
    period = base.filter(**on_days(field, start, end))
    return period.filter(rollups.repeat_q(dt.timedelta(days=window_days))).distinct()


def drill_down(user: User, *, node: AreaNode | None, start: dt.date, end: dt.date, measure: str) -> QuerySet[Matter]:
    """The matters behind one number of `measures`."""
    base = for_list(scope_for(user).filter(Matter.objects.all()))
    if node is not None:
        base = base.filter(origin_path__under=node.path)
    settled = base.filter(resolved_at__isnull=False, **on_days("resolved_at", start, end))
    if measure == "reported":
        return base.filter(**on_days("reported_at", start, end))
    if measure == "settled":
        return settled
    if measure == "settled_hamlet":
        return settled.filter(resolved_level=Level.HAMLET)
    if measure == "settled_village":
        return settled.filter(resolved_level__in=(Level.HAMLET, Level.GRID, Level.VILLAGE))
    if measure == "open":
        return base.filter(status__in=OPEN_STATUSES, **on_days("reported_at", None, end))
    if measure == "overdue":
        return base.filter(overdue_q(timezone.now()))
    if measure == "repeat":
        ids = repeat_matters(user, node=node, start=start, end=end).values("pk")
        return base.filter(pk__in=ids)
    return base.none()


def measures_by_child(user: User, *, node: AreaNode, start: dt.date, end: dt.date) -> list[Measures]:
    """Measures of each visible child of `node` (villages of a town, grids of a village…)."""
    return measures_with_children(user, node=node, start=start, end=end)[1]


def measures_with_children(
    user: User, *, node: AreaNode, start: dt.date, end: dt.date
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
        whole = rollups.Totals()
        for child in children:
            _fill(out[child.path], totals[child.pk])
            whole.add(totals[child.pk])
        if rollups.children_tier(node) != rollups.tier_of(node):
            # A village's grids (a grid's hamlets): a matter placed at the village (the grid)
            # itself lies in no child's cell.
            whole = rollups.totals(node, *months)
        # Otherwise the cells all lie in villages or parks (or towns), each under one child: the
        # node's sum is theirs.
        total = Measures(node=node, start=start, end=end)
        _fill(total, whole)
    else:
        total = _measures_without_live(user, node=node, start=start, end=end, base=base)
        if out:
            _from_matters_by_prefix(out, user, base, node, start, end)
    if out:
        live = _live_counts_by_prefix(base, end, len(children[0].path))
        for path, m in out.items():
            m.open, m.overdue = live.get(path, (0, 0))
        total.open = sum(n for n, _o in live.values())
        total.overdue = sum(o for _n, o in live.values())
    else:
        total.open, total.overdue = _live_counts(base, end)
    return total, list(out.values())


# ---- the monthly series and the matters behind a figure ------------------------------------


@dataclass
class MonthCount:
    year: int
    month: int
    reported: int = 0
    settled: int = 0

    @property
    def label(self) -> str:
        return f"{self.year}-{self.month:02d}"


def monthly_counts(user: User, node: AreaNode | None, start: dt.date, end: dt.date) -> list[MonthCount]:
    """Matters reported and matters settled in each month of [start, end] under `node` (by where
    they happened), as the user may see them. One grouped query (the two GROUP BYs in a UNION),
    by year and month extracted in local time; months without matters are zeros."""
    months: dict[tuple[int, int], MonthCount] = {}
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months[(year, month)] = MonthCount(year, month)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if from_rollup(user, node, start, end):
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

    reported = grouped(base.filter(**on_days("reported_at", start, end)), "r", "reported_at")
    settled = grouped(
        base.filter(resolved_at__isnull=False, **on_days("resolved_at", start, end)),
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


def matters_behind(
    user: User, *, node: AreaNode | None, start: dt.date, end: dt.date, measure: str
) -> QuerySet[Matter]:
    """`drill_down`, plus the matters behind the satisfaction figure ("rated") and behind each
    bar of settled-by-level ("settled_at_<level>")."""
    if measure == "rated":
        return drill_down(user, node=node, start=start, end=end, measure="settled").filter(satisfaction__isnull=False)
    if measure.startswith(SETTLED_AT):
        level = measure[len(SETTLED_AT) :]
        settled = drill_down(user, node=node, start=start, end=end, measure="settled")
        return settled.filter(resolved_level=level) if level in Level.values else settled.none()
    return drill_down(user, node=node, start=start, end=end, measure=measure)
