"""The matter rollup (`MatterMonth`): the measures of each village (or park) and month.

At county scale the measures page cannot scan a million matters per request (see
docs/bench/); it sums these rows instead. They are kept true in two ways, both computing a cell
from the matters themselves (never by adding and subtracting):

- `touch(matter)`: the services call it in the same transaction after every change that moves a
  measure (report, resolve, follow-up, reopen); it recomputes the cells of the matter's village for
  the months involved;
- `rebuild()`: recomputes every cell in one pass (after bulk writes: the demo, the county
  generator); registered with `common.rollups`.

Two tiers: the village cells above, and each town's sum of its villages' cells per month (the
town tier), recomputed from the village cells whenever one of them is. A county's measures read
the town tier: 19 towns × 12 months instead of 380 villages × 12 months. Below the villages, the
grid tier and the hamlet tier split each village cell by the village's grids and by their
hamlets (each counted from the matters with the village's cell, by the same `refresh`), so that a
village's measures per grid, and a grid's per hamlet, are sums of cells too.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from hongniudai.common.rollups import is_deferred, register
from hongniudai.common.tree import ancestor_ids
from hongniudai.places.models import AreaKind, AreaNode

from .histograms import merged
from .models import Level, Matter, MatterMonth, RollupTier

ROLLUP_KINDS = (AreaKind.VILLAGE, AreaKind.PARK)
# Nodes whose measures are sums of whole rollup cells.
SUMMED_KINDS = (AreaKind.COUNTY, AreaKind.TOWN, AreaKind.DISTRICT, *ROLLUP_KINDS, AreaKind.GRID, AreaKind.HAMLET)
# The tiers below the villages' cells, each splitting a village cell by a kind of node under it.
PART_TIERS: dict[str, str] = {AreaKind.GRID: RollupTier.GRID, AreaKind.HAMLET: RollupTier.HAMLET}
# Nodes above the towns read the town tier.
TOWN_TIER_READERS = (AreaKind.COUNTY,)
REPEAT_WINDOW = dt.timedelta(days=180)
SETTLED_FIELDS = {
    Level.HAMLET: "settled_hamlet",
    Level.GRID: "settled_grid",
    Level.VILLAGE: "settled_village",
    Level.TOWN: "settled_town",
}


def month_of(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date().replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + 1, 1, 1) if month.month == 12 else dt.date(month.year, month.month + 1, 1)


def months_back(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` before `day`'s month."""
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(y, m + 1, 1)


def _bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(month, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(next_month(month), dt.time.min, tzinfo=tz)
    return start, end


def rollup_node(origin_path: str) -> AreaNode | None:
    """The village or park a matter arose in (the cell it counts in)."""
    ids = ancestor_ids(origin_path)
    return AreaNode.objects.filter(pk__in=ids, kind__in=ROLLUP_KINDS).order_by("-depth").first()


def sum_node(node: AreaNode) -> AreaNode:
    """The node whose town-tier cell sums `node`'s village cells: its town, or the node itself
    when no town lies above it."""
    town = AreaNode.objects.filter(pk__in=ancestor_ids(node.path), kind=AreaKind.TOWN).first()
    return town or node


# ---- one cell -------------------------------------------------------------------------------


def settling_seconds(reported_at: dt.datetime, resolved_at: dt.datetime) -> int:
    return max(0, int((resolved_at - reported_at).total_seconds()))


def tenths_of_day(seconds: int) -> int:
    """The histogram bucket of a settling time (cells' `durations`, `Totals.histogram`)."""
    return seconds * 10 // 86400


@dataclass
class Cell:
    reported: int = 0
    repeats: int = 0
    settled: dict[str, int] = field(default_factory=dict)
    settled_seconds: int = 0
    durations: dict[str, int] = field(default_factory=dict)
    rated: int = 0
    satisfaction_sum: int = 0

    def settle(self, level: str, reported_at: dt.datetime, resolved_at: dt.datetime, satisfaction: int | None) -> None:
        self.settled[level] = self.settled.get(level, 0) + 1
        seconds = settling_seconds(reported_at, resolved_at)
        self.settled_seconds += seconds
        key = str(tenths_of_day(seconds))
        self.durations[key] = self.durations.get(key, 0) + 1
        if satisfaction is not None:
            self.rated += 1
            self.satisfaction_sum += satisfaction

    def add(self, other: Cell) -> None:
        """Add another cell's counts (a town's cell is the sum of its villages')."""
        self.reported += other.reported
        self.repeats += other.repeats
        for level, n in other.settled.items():
            self.settled[level] = self.settled.get(level, 0) + n
        self.settled_seconds += other.settled_seconds
        for key, n in other.durations.items():
            self.durations[key] = self.durations.get(key, 0) + n
        self.rated += other.rated
        self.satisfaction_sum += other.satisfaction_sum

    @classmethod
    def of(cls, row: MatterMonth) -> Cell:
        return cls(
            reported=row.reported,
            repeats=row.repeats,
            settled={level: getattr(row, name) for level, name in SETTLED_FIELDS.items()},
            settled_seconds=row.settled_seconds,
            durations=dict(row.durations),
            rated=row.rated,
            satisfaction_sum=row.satisfaction_sum,
        )

    @property
    def empty(self) -> bool:
        return not (self.reported or any(self.settled.values()))

    def row(self, node_id: int, path: str, month: dt.date, tier: str = RollupTier.VILLAGE) -> MatterMonth:
        return MatterMonth(
            tier=tier,
            node_id=node_id,
            path=path,
            month=month,
            reported=self.reported,
            repeats=self.repeats,
            settled_seconds=self.settled_seconds,
            durations=self.durations,
            rated=self.rated,
            satisfaction_sum=self.satisfaction_sum,
            **{name: self.settled.get(level, 0) for level, name in SETTLED_FIELDS.items()},
        )


def repeat_q(window: dt.timedelta = REPEAT_WINDOW) -> Q:
    """Matters whose place and category, or one of whose parties, had an earlier matter within
    `window` (the definition `selectors.repeat_matters` and this rollup share)."""
    same_place = Matter.objects.filter(
        place_id=OuterRef("place_id"),
        category_id=OuterRef("category_id"),
        reported_at__lt=OuterRef("reported_at"),
        reported_at__gte=OuterRef("reported_at") - window,
    )
    same_party = Matter.objects.filter(
        parties__in=OuterRef("parties"),
        reported_at__lt=OuterRef("reported_at"),
        reported_at__gte=OuterRef("reported_at") - window,
    )
    return Q(Exists(same_place)) | Q(Exists(same_party))


def _lock(node: AreaNode) -> None:
    """Take `node`'s row lock for the rest of the transaction (writers of its cells take turns)."""
    AreaNode.objects.select_for_update().filter(pk=node.pk).values_list("pk", flat=True).first()


@transaction.atomic
def refresh(node: AreaNode, month: dt.date) -> None:
    """Recompute one cell from the matters. The village's row is locked first, so that two
    requests reporting in one village at once recompute one after the other (each then reads
    the other's committed matter) instead of both inserting the cell."""
    _lock(node)
    start, end = _bounds(month)
    under = Matter.objects.filter(origin_path__under=node.path)
    reported = under.filter(reported_at__gte=start, reported_at__lt=end)
    rows = list(reported.values_list("pk", "origin_path"))
    repeat_ids = set(reported.filter(repeat_q()).values_list("pk", flat=True)) if rows else set()
    cell = Cell(reported=len(rows), repeats=len(repeat_ids))
    parts = _parts_of(node)
    part_cells: dict[str, dict[tuple[int, str], Cell]] = {
        tier: {key: Cell() for key in part_of.keys.values()} for tier, part_of in parts.items()
    }
    for pk, origin_path in rows:
        for tier, part_of in parts.items():
            key = part_of(origin_path)
            if key is not None:
                part_cells[tier][key].reported += 1
                part_cells[tier][key].repeats += int(pk in repeat_ids)
    settled = under.filter(resolved_at__gte=start, resolved_at__lt=end).values_list(
        "origin_path", "resolved_level", "reported_at", "resolved_at", "satisfaction"
    )
    for origin_path, level, reported_at, resolved_at, satisfaction in settled:
        if resolved_at is not None:
            cell.settle(level, reported_at, resolved_at, satisfaction)
            for tier, part_of in parts.items():
                key = part_of(origin_path)
                if key is not None:
                    part_cells[tier][key].settle(level, reported_at, resolved_at, satisfaction)
    MatterMonth.objects.filter(tier=RollupTier.VILLAGE, node=node, month=month).delete()
    if not cell.empty:
        cell.row(node.pk, node.path, month).save()
    for tier, cells_of_tier in part_cells.items():
        MatterMonth.objects.filter(tier=tier, path__under=node.path, month=month).delete()
        MatterMonth.objects.bulk_create(
            [c.row(pk, path, month, tier=tier) for (pk, path), c in cells_of_tier.items() if not c.empty]
        )
    refresh_town(sum_node(node), month)


class _NodeOf:
    """The node (id, path) a matter's origin path lies under, among the (id, path) of the nodes
    given (villages, or grids), or None (a matter placed above them, e.g. at a village itself)."""

    def __init__(self, nodes: Iterable[tuple[int, str]]) -> None:
        self.keys = {path: (pk, path) for pk, path in nodes}
        self.lengths = sorted({len(path) for path in self.keys}, reverse=True)

    def __call__(self, origin_path: str) -> tuple[int, str] | None:
        for n in self.lengths:
            key = self.keys.get(origin_path[:n])
            if key is not None:
                return key
        return None


def _parts_of(village: AreaNode) -> dict[str, _NodeOf]:
    """Tier → the nodes of that tier under `village`: its grids, and their hamlets (one query)."""
    nodes = AreaNode.objects.filter(
        Q(parent=village, kind=AreaKind.GRID)
        | Q(parent__parent=village, parent__kind=AreaKind.GRID, kind=AreaKind.HAMLET)
    ).values_list("kind", "pk", "path")
    by_kind: dict[str, list[tuple[int, str]]] = {kind: [] for kind in PART_TIERS}
    for kind, pk, path in nodes:
        by_kind[kind].append((pk, path))
    return {PART_TIERS[kind]: _NodeOf(found) for kind, found in by_kind.items()}


def refresh_town(town: AreaNode, month: dt.date) -> None:
    """Recompute a town-tier cell from the village cells under `town`. The town's row is locked
    (always after a village's), so that two villages of one town refreshing at once sum one
    after the other, the second reading the first's committed cell."""
    _lock(town)
    total = Cell()
    for row in MatterMonth.objects.filter(tier=RollupTier.VILLAGE, path__under=town.path, month=month):
        total.add(Cell.of(row))
    MatterMonth.objects.filter(tier=RollupTier.TOWN, node=town, month=month).delete()
    if not total.empty:
        total.row(town.pk, town.path, month, tier=RollupTier.TOWN).save()


def touch(matter: Matter, *moments: dt.datetime | None) -> None:
    """After a change to `matter`: recompute its village's cells for the months of its report,
    its settling, and any `moments` it had before the change (e.g. the settling a reopen undid).
    Skipped inside `common.rollups.deferred()`, which rebuilds everything at its end."""
    if is_deferred():
        return
    node = rollup_node(matter.origin_path)
    if node is None:
        return
    months = {month_of(m) for m in (matter.reported_at, matter.resolved_at, *moments) if m is not None}
    for month in sorted(months):
        refresh(node, month)


# ---- all cells --------------------------------------------------------------------------------


class _Repeats:
    """Replays matters in reporting order and says whether each is a repeat (as `repeat_q`)."""

    def __init__(self, window: dt.timedelta = REPEAT_WINDOW) -> None:
        self.window = window
        # key → (latest time, the distinct time before it)
        self.seen: dict[tuple[Any, ...], tuple[dt.datetime, dt.datetime | None]] = {}

    def check(self, keys: Iterable[tuple[Any, ...]], at: dt.datetime) -> bool:
        repeat = False
        for key in keys:
            latest, before = self.seen.get(key, (None, None))
            earlier = latest if latest is not None and latest < at else before
            if earlier is not None and at - earlier <= self.window:
                repeat = True
            if latest is None:
                self.seen[key] = (at, None)
            elif latest != at:
                self.seen[key] = (at, latest)
        return repeat


@register("matter_months")
@transaction.atomic
def rebuild(say: Callable[[str], None] = lambda _m: None) -> int:
    """Recompute every cell in one pass over the matters; returns the number of cells."""
    village_of = _NodeOf(AreaNode.objects.filter(kind__in=ROLLUP_KINDS).values_list("pk", "path"))
    parties: dict[int, list[int]] = defaultdict(list)
    for matter_id, resident_id in Matter.parties.through.objects.values_list("matter_id", "resident_id").iterator(
        chunk_size=20000
    ):
        parties[matter_id].append(resident_id)
    cells: dict[tuple[tuple[int, str], dt.date], Cell] = defaultdict(Cell)
    grid_of = _NodeOf(
        AreaNode.objects.filter(kind=AreaKind.GRID, parent__kind__in=ROLLUP_KINDS).values_list("pk", "path")
    )
    grid_cells: dict[tuple[tuple[int, str], dt.date], Cell] = defaultdict(Cell)
    hamlet_of = _NodeOf(
        AreaNode.objects.filter(
            kind=AreaKind.HAMLET, parent__kind=AreaKind.GRID, parent__parent__kind__in=ROLLUP_KINDS
        ).values_list("pk", "path")
    )
    hamlet_cells: dict[tuple[tuple[int, str], dt.date], Cell] = defaultdict(Cell)
    repeats = _Repeats()
    rows = Matter.objects.order_by("reported_at", "pk").values_list(
        "pk", "origin_path", "place_id", "category_id", "reported_at", "resolved_at", "resolved_level", "satisfaction"
    )
    count = 0
    for pk, origin_path, place_id, category_id, reported_at, resolved_at, level, satisfaction in rows.iterator(
        chunk_size=20000
    ):
        keys = [("place", place_id, category_id), *(("party", r) for r in parties.get(pk, ()))]
        is_repeat = repeats.check(keys, reported_at)
        village = village_of(origin_path)
        count += 1
        if count % 200000 == 0:
            say(f"    {count} matters")
        if village is None:
            continue
        matter = (reported_at, resolved_at, level, satisfaction, is_repeat)
        _count_in(cells, village, *matter)
        grid = grid_of(origin_path)
        if grid is not None:
            _count_in(grid_cells, grid, *matter)
            hamlet = hamlet_of(origin_path)
            if hamlet is not None:
                _count_in(hamlet_cells, hamlet, *matter)
    towns = _town_sums(cells)
    MatterMonth.objects.all().delete()
    _save((((pk, path, month), cell) for ((pk, path), month), cell in cells.items()))
    _save(towns.items(), tier=RollupTier.TOWN)
    _save((((pk, path, month), cell) for ((pk, path), month), cell in grid_cells.items()), tier=RollupTier.GRID)
    _save((((pk, path, month), cell) for ((pk, path), month), cell in hamlet_cells.items()), tier=RollupTier.HAMLET)
    say(
        f"    {len(cells)} village-months from {count} matters, {len(towns)} town-months,"
        f" {len(grid_cells)} grid-months, {len(hamlet_cells)} hamlet-months"
    )
    return len(cells)


def _save(cells: Iterable[tuple[tuple[int, str, dt.date], Cell]], tier: str = RollupTier.VILLAGE) -> None:
    """Write the non-empty cells of one tier, keyed (node id, node path, month)."""
    MatterMonth.objects.bulk_create(
        (cell.row(pk, path, month, tier=tier) for (pk, path, month), cell in cells if not cell.empty),
        batch_size=2000,
    )


def _count_in(
    cells: dict[Any, Cell],
    key: Any,
    reported_at: dt.datetime,
    resolved_at: dt.datetime | None,
    level: str,
    satisfaction: int | None,
    is_repeat: bool,
) -> None:
    """Count one matter in the cells of `key` (a village's or a grid's (id, path))."""
    cell = cells[(key, month_of(reported_at))]
    cell.reported += 1
    cell.repeats += int(is_repeat)
    if resolved_at is not None:
        cells[(key, month_of(resolved_at))].settle(level, reported_at, resolved_at, satisfaction)


def _town_sums(
    cells: dict[tuple[tuple[int, str], dt.date], Cell],
) -> dict[tuple[int, str, dt.date], Cell]:
    """The town tier of `cells` ((village id, path), month → cell): (town id, town path, month) → sum."""
    towns = dict(AreaNode.objects.filter(kind=AreaKind.TOWN).values_list("path", "pk"))
    sums: dict[tuple[int, str, dt.date], Cell] = defaultdict(Cell)
    for (village, month), cell in cells.items():
        town = next((p for p in towns if village[1].startswith(p)), None)
        key = (towns[town], town, month) if town is not None else (*village, month)
        sums[key].add(cell)
    return sums


# ---- reading --------------------------------------------------------------------------------


def whole_months(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
    """(first, last) month of the cells lying wholly inside [start, end], or None. The current
    month counts as whole when the period runs to today or later (its cell holds everything
    reported so far)."""
    if end < start:
        return None
    first = start if start.day == 1 else next_month(start.replace(day=1))
    last = end.replace(day=1)
    if end < timezone.localdate() and next_month(last) - dt.timedelta(days=1) != end:
        last = months_back(last, 1)
    return (first, last) if first <= last else None


def edge_days(start: dt.date, end: dt.date, months: tuple[dt.date, dt.date]) -> list[tuple[dt.date, dt.date]]:
    """The day ranges of [start, end] outside the whole `months` (at most one at each end)."""
    first, last = months
    edges = []
    if start < first:
        edges.append((start, first - dt.timedelta(days=1)))
    after = next_month(last)
    if after <= end:
        edges.append((after, end))
    return edges


def covers(node: AreaNode | None, start: dt.date, end: dt.date) -> bool:
    """Whether the measures of `node` over [start, end] are sums of whole cells: the node is a
    village or above, and the period runs from the first of a month to the end of a month (or to
    today, the current month's cell holding everything reported so far)."""
    if node is None or node.kind not in SUMMED_KINDS or start.day != 1 or end < start:
        return False
    return end >= timezone.localdate() or next_month(end.replace(day=1)) - dt.timedelta(days=1) == end


def tier_of(node: AreaNode) -> str:
    """The tier `node`'s measures are summed from: the towns' cells above the towns, a grid's or a
    hamlet's own."""
    if node.kind in TOWN_TIER_READERS:
        return RollupTier.TOWN
    return PART_TIERS.get(node.kind, RollupTier.VILLAGE)


def children_tier(node: AreaNode) -> str:
    """The tier whose cells each lie under one child of `node`: a village's (or park's) grids, a
    grid's hamlets."""
    if node.kind in ROLLUP_KINDS:
        return RollupTier.GRID
    return RollupTier.HAMLET if node.kind == AreaKind.GRID else tier_of(node)


def cells(node: AreaNode, start: dt.date, end: dt.date, *, tier: str | None = None) -> QuerySet[MatterMonth]:
    tier = tier or tier_of(node)
    return MatterMonth.objects.filter(tier=tier, path__under=node.path, month__gte=start, month__lte=end)


@dataclass
class Totals:
    reported: int = 0
    repeats: int = 0
    by_level: dict[str, int] = field(default_factory=lambda: {lvl: 0 for lvl in Level.values})
    settled_seconds: int = 0
    rated: int = 0
    satisfaction_sum: int = 0
    # Settled matters by duration in tenths of a day (the cells' `durations`, summed), keyed as
    # the cells key them (strings: a county's sum adds ~40,000 of them per page, no conversion).
    histogram: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def settle(self, level: str, reported_at: dt.datetime, resolved_at: dt.datetime, satisfaction: int | None) -> None:
        """Add one settled matter as a cell counts it (used for the days outside whole months)."""
        seconds = settling_seconds(reported_at, resolved_at)
        self.by_level[level] = self.by_level.get(level, 0) + 1
        self.settled_seconds += seconds
        self.histogram[str(tenths_of_day(seconds))] += 1
        if satisfaction is not None:
            self.rated += 1
            self.satisfaction_sum += satisfaction

    def add(self, other: Totals) -> None:
        self.reported += other.reported
        self.repeats += other.repeats
        for level, n in other.by_level.items():
            self.by_level[level] = self.by_level.get(level, 0) + n
        self.settled_seconds += other.settled_seconds
        self.rated += other.rated
        self.satisfaction_sum += other.satisfaction_sum
        for tenth, n in other.histogram.items():
            self.histogram[tenth] += n

    @property
    def p90_days(self) -> float | None:
        """Nearest rank, as the percentile of `selectors.stats`, on tenths of a day."""
        settled = sum(self.histogram.values())
        if not settled:
            return None
        rank, seen = max(1, math.ceil(0.9 * settled)), 0
        for tenth in sorted(self.histogram, key=int):
            seen += self.histogram[tenth]
            if seen >= rank:
                return int(tenth) / 10
        return None


# A cell's columns as `_summed` reads them: its id and numbers, without its histogram.
_TOTAL_COLUMNS = (
    "path reported repeats settled_hamlet settled_grid settled_village settled_town settled_seconds rated satisfaction_sum pk"
).split()


def _summed(
    qs: QuerySet[MatterMonth], groups: Callable[[Iterable[tuple[Any, ...]]], dict[Any, list[tuple[Any, ...]]]]
) -> dict[Any, Totals]:
    """The `Totals` of the cells of `qs`, split by `groups` (rows → key → rows). The cells are read
    without their histograms, whose sums per key `histograms.merged` keeps; only when one of
    them is missing are the cells read again, with their histograms as text, and everything
    summed from that second read (one query, two when a cell changed since the last read)."""
    parts = groups(qs.values_list(*_TOTAL_COLUMNS))
    histograms = {key: merged.get(rows) for key, rows in parts.items()}
    if any(h is None for h in histograms.values()):
        with_text = qs.annotate(durations_text=Cast("durations", TextField()))
        parts = groups(with_text.values_list(*_TOTAL_COLUMNS, "durations_text"))
        histograms = {
            key: merged.add([row[:-1] for row in rows], [row[-1] for row in rows]) for key, rows in parts.items()
        }
    out = {}
    for key, rows in parts.items():
        out[key] = t = Totals()
        for _path, reported, rep, s_h, s_g, s_v, s_t, seconds, rated, sat, *_rest in rows:
            t.reported += reported
            t.repeats += rep
            t.by_level[Level.HAMLET] += s_h
            t.by_level[Level.GRID] += s_g
            t.by_level[Level.VILLAGE] += s_v
            t.by_level[Level.TOWN] += s_t
            t.settled_seconds += seconds
            t.rated += rated
            t.satisfaction_sum += sat
        t.histogram.update(histograms[key] or {})
    return out


def totals(node: AreaNode, start: dt.date, end: dt.date) -> Totals:
    return _summed(cells(node, start, end), lambda rows: {None: list(rows)})[None]


def totals_by_child(parent: AreaNode, children: Iterable[AreaNode], start: dt.date, end: dt.date) -> dict[int, Totals]:
    """`totals` of each child of `parent`, from one read of the parent's cells (of the tier that
    splits by child: a village's grids' cells)."""
    children = list(children)
    lengths = sorted({len(child.path) for child in children})

    def by_child(read: Iterable[tuple[Any, ...]]) -> dict[Any, list[tuple[Any, ...]]]:
        rows: dict[str, list[tuple[Any, ...]]] = {child.path: [] for child in children}
        for row in read:
            for n in lengths:
                mine = rows.get(row[0][:n])
                if mine is not None:
                    mine.append(row)
                    break
        return rows

    by_path = _summed(cells(parent, start, end, tier=children_tier(parent)), by_child)
    return {child.pk: by_path[child.path] for child in children}


def monthly(node: AreaNode, start: dt.date, end: dt.date) -> dict[dt.date, tuple[int, int]]:
    """(reported, settled) per month."""
    rows = (
        cells(node, start, end)
        .values("month")
        .annotate(
            r=Sum("reported"),
            h=Sum("settled_hamlet"),
            g=Sum("settled_grid"),
            v=Sum("settled_village"),
            t=Sum("settled_town"),
        )
        .order_by()
    )
    return {
        row["month"]: (row["r"] or 0, (row["h"] or 0) + (row["g"] or 0) + (row["v"] or 0) + (row["t"] or 0))
        for row in rows
    }
