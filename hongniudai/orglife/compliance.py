"""Compliance ("knows the rules"): the rules of organisational life and the obligations they
put on each branch and party group (re-exported by `selectors`; see its docstring).

`compute_obligations` derives them in Python (the definition, and the source of the rollup,
`rollups`); the pages read the rollup's rows in SQL when it holds the period's years.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import ExtractMonth, ExtractYear, Substr
from django.utils import timezone

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Scope, get_scoped_or_404, minimal_paths, scope_for
from hongniudai.common.tree import ancestor_ids
from hongniudai.party.models import OrgKind, PartyOrg
from hongniudai.party.selectors import org_roots

from . import tier
from .models import MeetingKind, MeetingKindMark, MeetingRule, ObligationUnit, ObligationYear, OwedBy
from .periods import Unit, units_overlapping

MET, MISSING, PENDING = "met", "missing", "pending"
DUE_SOON_SHOWN = 10  # the compliance page lists the first obligations due soon


# ---- rules ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleBook:
    """All rules, by kind, most specific area first; the default (no area) last."""

    by_kind: dict[str, list[tuple[str, MeetingRule]]]
    # Asked once per organisation (3,500 in a county), mostly for the same few areas' rules.
    _effective: dict[str, list[MeetingRule]] = field(default_factory=dict, compare=False, repr=False)

    def for_area(self, kind: str, area_path: str) -> MeetingRule | None:
        for path, rule in self.by_kind.get(kind, []):
            if area_path.startswith(path):
                return rule
        return None

    def default(self, kind: str) -> MeetingRule | None:
        return self.for_area(kind, "")

    def effective(self, area_path: str) -> list[MeetingRule]:
        found = self._effective.get(area_path)
        if found is None:
            found = self._effective[area_path] = [r for k in _KINDS if (r := self.for_area(k, area_path)) is not None]
        return found


_KINDS = tuple(MeetingKind.values)


def _months_of(unit: Unit) -> list[tuple[int, int]]:
    """(year, month) of every month the unit spans."""
    out, y, m = [], unit.start.year, unit.start.month
    while dt.date(y, m, 1) <= unit.end:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def rule_book() -> RuleBook:
    """The rules are deployment data, read by everyone (a village is governed by its town's rule
    even though the town's row lies outside the village's scope)."""
    by_kind: dict[str, list[tuple[str, MeetingRule]]] = defaultdict(list)
    for rule in MeetingRule.objects.select_related("area"):
        by_kind[rule.kind].append((rule.area.path if rule.area is not None else "", rule))
    for rows in by_kind.values():
        rows.sort(key=lambda row: -len(row[0]))
    return RuleBook(dict(by_kind))


def rules(user: User) -> QuerySet[MeetingRule]:
    """Rules shown to the user: the defaults, local rules within the user's scope and local rules
    on the areas above it (those that govern the user's area)."""
    scope = scope_for(user)
    qs = MeetingRule.objects.select_related("area")
    if scope.everything:
        return qs.order_by("kind", "area__path")
    above: set[int] = set()
    for path in scope.area_paths:
        above.update(ancestor_ids(path))
    return qs.filter(Q(area__isnull=True) | Q(area_id__in=above) | scope.q(MeetingRule)).order_by("kind", "area__path")


def rule_get(user: User, pk: int) -> MeetingRule:
    return get_scoped_or_404(user, MeetingRule.objects.select_related("area"), pk=pk)


# ---- compliance -----------------------------------------------------------------------------


@dataclass
class ComplianceCounts:
    due: int = 0
    met: int = 0
    missing: int = 0
    pending: int = 0

    @property
    def rate(self) -> float | None:
        """Met among the decided obligations (met + missing); None while nothing is decided."""
        decided = self.met + self.missing
        return self.met / decided if decided else None

    @property
    def percent(self) -> str:
        rate = self.rate
        return "—" if rate is None else f"{rate * 100:.0f}%"

    def add(self, status: str) -> None:
        self.due += 1
        if status == MET:
            self.met += 1
        elif status == MISSING:
            self.missing += 1
        else:
            self.pending += 1


@dataclass
class Obligation:
    org_id: int
    org_path: str
    org_name: str
    org_kind: str
    parent_id: int | None
    kind: str
    unit: Unit
    times: int
    held: int
    status: str
    due_soon: bool
    remind_days: int

    @property
    def kind_label(self) -> str:
        return str(MeetingKind(self.kind).label)

    @property
    def branch_id(self) -> int:
        return self.parent_id if self.org_kind == OrgKind.PARTY_GROUP and self.parent_id else self.org_id


def _subtree_q(paths: Iterable[str], field_name: str) -> Q:
    parts = [Q(**{f"{field_name}__under": p}) for p in minimal_paths(paths)]
    return functools.reduce(operator.or_, parts) if parts else Q(pk__in=[])


# Counting marks per (organisation id, kind), then per (year, month).
Held = dict[tuple[int, str], dict[tuple[int, int], int]]


def _owes(rule: MeetingRule, org: Any) -> bool:
    if org["kind"] == OrgKind.BRANCH:
        return rule.owed_by == OwedBy.BRANCH and not (rule.needs_committee and not org["has_committee"])
    return rule.owed_by == OwedBy.PARTY_GROUP


def _held(scope: Scope, marks: QuerySet[MeetingKindMark], start: dt.date, last: dt.date) -> Held:
    """Counting marks per (organisation, kind) and (year, month), over the whole years from
    `start` to `last` (every unit fits in one). One query."""
    held: Held = defaultdict(dict)
    rows = (
        scope.filter(marks.filter(held_on__gte=dt.date(start.year, 1, 1), held_on__lte=dt.date(last.year, 12, 31)))
        .annotate(y=ExtractYear("held_on"), m=ExtractMonth("held_on"))
        .values("org_id", "kind", "y", "m")
        .annotate(n=Count("id"))
        .values_list("org_id", "kind", "y", "m", "n")
    )
    for org_id, kind, y, m, n in rows:
        held[(org_id, kind)][(y, m)] = n
    return held


def _unit_obligations(
    org: Any,
    rule: MeetingRule,
    units: list[tuple[Unit, list[tuple[int, int]]]],
    months: dict[tuple[int, int], int],
    today: dt.date,
) -> Iterable[Obligation]:
    """The obligations `rule` puts on `org` for each of `units` it existed for the whole of."""
    founded = org["founded_on"]
    for unit, unit_months in units:
        if founded is not None and founded > unit.start:
            continue
        count = sum(months.get(ym, 0) for ym in unit_months) if months else 0
        if count >= rule.times:
            status = MET
        elif unit.end < today:
            status = MISSING
        else:
            status = PENDING
        yield Obligation(
            org_id=org["id"],
            org_path=org["path"],
            org_name=org["name"],
            org_kind=org["kind"],
            parent_id=org["parent_id"],
            kind=rule.kind,
            unit=unit,
            times=rule.times,
            held=count,
            status=status,
            due_soon=status == PENDING and (unit.end - today).days <= rule.remind_days,
            remind_days=rule.remind_days,
        )


def compute_obligations(
    scope: Scope,
    *,
    paths: Sequence[str] | None,
    start: dt.date,
    end: dt.date,
    today: dt.date | None = None,
    book: RuleBook | None = None,
    org_ids: Collection[int] | None = None,
) -> list[Obligation]:
    """Obligations of every branch and party group within `paths` (None: everywhere; `org_ids`:
    only these) that the scope shows, for the units overlapping [start, end] and begun by today.
    Three queries. The source of truth of the rollup (`rollups`), which the pages read."""
    today = today or timezone.localdate()
    last = min(end, today)
    if last < start:
        return []
    book = book or rule_book()
    org_qs = PartyOrg.objects.filter(kind__in=(OrgKind.BRANCH, OrgKind.PARTY_GROUP))
    mark_qs = MeetingKindMark.objects.filter(counts=True)
    if paths is not None:
        org_qs = org_qs.filter(_subtree_q(paths, "path"))
        mark_qs = mark_qs.filter(_subtree_q(paths, "org__path"))
    if org_ids is not None:
        org_qs = org_qs.filter(pk__in=org_ids)
        mark_qs = mark_qs.filter(org_id__in=org_ids)
    orgs = list(
        scope.filter(org_qs)
        .order_by("path")
        .values("id", "path", "name", "kind", "parent_id", "founded_on", "has_committee", "area__path")
    )
    if not orgs:
        return []
    held = _held(scope, mark_qs, start, last)
    units_cache: dict[str, list[tuple[Unit, list[tuple[int, int]]]]] = {}
    out: list[Obligation] = []
    for org in orgs:
        for rule in book.effective(org["area__path"] or ""):
            if not _owes(rule, org):
                continue
            units = units_cache.get(rule.frequency)
            if units is None:
                units = units_cache[rule.frequency] = [
                    (u, _months_of(u)) for u in units_overlapping(rule.frequency, start, last)
                ]
            out.extend(_unit_obligations(org, rule, units, held.get((org["id"], rule.kind), {}), today))
    return out


def obligations(
    user: User, *, node: PartyOrg | None, start: dt.date, end: dt.date, today: dt.date | None = None
) -> list[Obligation]:
    """The obligations of `node`'s subtree (None: everything the user sees)."""
    return compute_obligations(scope_for(user), paths=[node.path] if node else None, start=start, end=end, today=today)


def _roll_up(obs: Iterable[Obligation], orgs: Sequence[PartyOrg]) -> dict[int, ComplianceCounts]:
    out = {o.pk: ComplianceCounts() for o in orgs}
    by_length: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for o in orgs:
        by_length[len(o.path)][o.path].append(o.pk)
    for ob in obs:
        for length, prefixes in by_length.items():
            for pk in prefixes.get(ob.org_path[:length], ()):
                out[pk].add(ob.status)
    return out


def org_compliance(
    user: User, *, orgs: Sequence[PartyOrg], start: dt.date, end: dt.date
) -> dict[int, ComplianceCounts]:
    """Counts for each of `orgs`, each over its whole subtree (the user's scope applies)."""
    orgs = list(orgs)
    if not orgs:
        return {}
    today = timezone.localdate()
    scope = scope_for(user)
    cells = _cells(scope, paths=[o.path for o in orgs], start=start, end=end, today=today)
    if cells is not None:
        if tier.answers(scope, [o.path for o in orgs]):
            return _sum_counts(scope, node=None, orgs=orgs, start=start, end=end, today=today)[1]
        return _counts_by_prefix(cells, orgs, today)
    obs = compute_obligations(scope_for(user), paths=[o.path for o in orgs], start=start, end=end)
    return _roll_up(obs, orgs)


# ---- compliance from the rollup (`rollups`) --------------------------------------------------


def _cells(
    scope: Scope, *, paths: Sequence[str] | None, start: dt.date, end: dt.date, today: dt.date
) -> QuerySet[ObligationUnit] | None:
    """The rollup's rows of the obligations `compute_obligations` would give, or None when the
    period reaches a year the rollup does not hold (the caller derives them then)."""
    last = min(end, today)
    if last < start:
        return ObligationUnit.objects.none()
    years = set(range(start.year, last.year + 1))
    if len(years) != ObligationYear.objects.filter(year__in=years).count():
        return None
    return _units(scope, paths, last, start)


def _units(scope: Scope, paths: Sequence[str] | None, last: dt.date, first: dt.date) -> QuerySet[ObligationUnit]:
    """The rollup's units in scope that start by `last` and end on or after `first`."""
    qs = ObligationUnit.objects.filter(unit_start__lte=last, unit_end__gte=first)
    return scope.filter(qs.filter(_subtree_q(paths, "path")) if paths is not None else qs)


def _met() -> Q:
    return Q(held__gte=F("times"))


def _sum_counts(
    scope: Scope,
    *,
    node: PartyOrg | None,
    orgs: Sequence[PartyOrg],
    start: dt.date,
    end: dt.date,
    today: dt.date,
) -> tuple[ComplianceCounts, dict[int, ComplianceCounts]]:
    """`_total_and_counts` from the coarse tier (the caller has checked `tier.answers` for the
    node and `orgs`, and that the rollup holds the period's years): one query of a few hundred
    rows, grouped by root."""
    out = {o.pk: ComplianceCounts() for o in orgs}
    total = ComplianceCounts()
    rows = tier.counts_by_root(scope, node_path=node.path if node else None, start=start, end=end, today=today)
    by_path: dict[str, list[int]] = defaultdict(list)
    for o in orgs:
        by_path[o.path].append(o.pk)
    for path, (due, met, missing) in rows.items():
        counts = ComplianceCounts(due=due, met=met, missing=missing, pending=due - met - missing)
        total = ComplianceCounts(
            due=total.due + counts.due,
            met=total.met + counts.met,
            missing=total.missing + counts.missing,
            pending=total.pending + counts.pending,
        )
        for pk in by_path.get(path, ()):
            out[pk] = counts
    return total, out


def _tallies(today: dt.date) -> dict[str, Count]:
    return {
        "due": Count("pk"),
        "met": Count("pk", filter=_met()),
        "missing": Count("pk", filter=~_met() & Q(unit_end__lt=today)),
    }


def _counts_of(row: dict[str, int]) -> ComplianceCounts:
    return ComplianceCounts(
        due=row["due"], met=row["met"], missing=row["missing"], pending=row["due"] - row["met"] - row["missing"]
    )


def _counts_by_prefix(
    cells: QuerySet[ObligationUnit], orgs: Sequence[PartyOrg], today: dt.date
) -> dict[int, ComplianceCounts]:
    """`_roll_up` in SQL: the rows summed by each organisation's path prefix (one query per
    length of path; children of one node share one)."""
    return _total_and_counts(cells, orgs, today, total=False)[1]


def _total_and_counts(
    cells: QuerySet[ObligationUnit], orgs: Sequence[PartyOrg], today: dt.date, *, total: bool = True
) -> tuple[ComplianceCounts, dict[int, ComplianceCounts]]:
    """The counts of all `cells` and those of each of `orgs` (by path prefix) in one read of the
    cells for a node's children: the first length of path groups every cell (a cell outside the
    organisations falls in a group of its own prefix), so the total is the sum of its groups, not
    a second scan of the scope. Without `total` each length reads only the organisations' rows."""
    out = {o.pk: ComplianceCounts() for o in orgs}
    by_length: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for o in orgs:
        by_length[len(o.path)][o.path].append(o.pk)
    if total and not by_length:
        return _counts_of(cells.aggregate(**_tallies(today))), out
    summed = ComplianceCounts()
    for n, (length, prefixes) in enumerate(sorted(by_length.items())):
        every = total and n == 0
        rows = (
            (cells if every else cells.filter(_subtree_q(prefixes, "path")))
            .annotate(prefix=Substr("path", 1, length))
            .values("prefix")
            .annotate(**_tallies(today))
            .order_by()
        )
        for row in rows:
            counts = _counts_of(row)
            if every:
                summed = ComplianceCounts(
                    due=summed.due + counts.due,
                    met=summed.met + counts.met,
                    missing=summed.missing + counts.missing,
                    pending=summed.pending + counts.pending,
                )
            for pk in prefixes.get(row["prefix"], ()):
                out[pk] = counts
    return summed, out


_ROW_FIELDS = (
    "org_id",
    "path",
    "org__name",
    "org__kind",
    "org__parent_id",
    "kind",
    "frequency",
    "unit_start",
    "unit_end",
    "times",
    "held",
    "remind_days",
)


def _obligation(row: tuple[Any, ...], today: dt.date) -> Obligation:
    org_id, path, name, org_kind, parent_id, kind, frequency, start, end, times, held, remind_days = row
    if held >= times:
        status = MET
    elif end < today:
        status = MISSING
    else:
        status = PENDING
    return Obligation(
        org_id=org_id,
        org_path=path,
        org_name=name,
        org_kind=org_kind,
        parent_id=parent_id,
        kind=kind,
        unit=Unit(start, end, frequency),
        times=times,
        held=held,
        status=status,
        due_soon=status == PENDING and (end - today).days <= remind_days,
        remind_days=remind_days,
    )


def _kind_order() -> Case:
    return Case(
        *[When(kind=k, then=Value(i)) for i, k in enumerate(MeetingKind.values)],
        default=Value(99),
        output_field=IntegerField(),
    )


class ObligationRows:
    """Rows of the rollup read as `Obligation`s, lazily: a list page counts them and converts
    only the page it shows; an export reads them all."""

    def __init__(self, cells: QuerySet[ObligationUnit], today: dt.date) -> None:
        self.counted = cells.order_by()  # the count reads the rollup alone (no join, no order)
        self.cells = cells.values_list(*_ROW_FIELDS)
        self.today = today

    def count(self) -> int:
        return self.counted.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Obligation]:
        return [_obligation(row, self.today) for row in self.cells[index]]

    def __iter__(self) -> Iterator[Obligation]:
        return (_obligation(row, self.today) for row in self.cells.iterator(chunk_size=2000))


@dataclass
class GridRow:
    org_id: int
    org_name: str
    kind: str
    cells: list[Obligation] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return str(MeetingKind(self.kind).label)


@dataclass
class ComplianceReport:
    node: PartyOrg | None
    start: dt.date
    end: dt.date
    total: ComplianceCounts
    children: list[tuple[PartyOrg, ComplianceCounts]]
    grid: list[GridRow]
    due_soon: list[Obligation]


def compliance_report(user: User, *, node: PartyOrg | None, start: dt.date, end: dt.date) -> ComplianceReport:
    """The compliance page: totals of the node's subtree, each visible child (or, without a node,
    each visible root) rolled up, and for a branch or party group the grid of kinds × units.
    Read from the rollup (a fixed number of queries) when it holds the period's years."""
    if node is None:
        children = org_roots(user)
    else:
        children = list(scope_for(user).filter(node.children.all()).order_by("sort_order", "name"))
    today = timezone.localdate()
    paths = [node.path] if node else None
    cells = _cells(scope_for(user), paths=paths, start=start, end=end, today=today)
    is_leaf = node is not None and node.kind in (OrgKind.BRANCH, OrgKind.PARTY_GROUP)
    if cells is None:
        obs = obligations(user, node=node, start=start, end=end, today=today)
        total = ComplianceCounts()
        for ob in obs:
            total.add(ob.status)
        counts = _roll_up(obs, children)
        due_soon = sorted((o for o in obs if o.due_soon), key=lambda o: (o.unit.end, o.org_path))[:DUE_SOON_SHOWN]
        leaf_obs = obs if is_leaf else []
    else:
        if tier.answers(scope_for(user), [*(c.path for c in children), *([node.path] if node else [])]):
            total, counts = _sum_counts(scope_for(user), node=node, orgs=children, start=start, end=end, today=today)
        else:
            total, counts = _total_and_counts(cells, children, today)
        # Ending from today: one bound on the units' ends, not two (the cells' `unit_end >= start` too),
        # of which SQLite took the first and walked the year's 50,000 units to today's (10 ms → 1).
        soon = cells if cells.query.is_empty() else _units(scope_for(user), paths, min(end, today), today)
        soon = soon.filter(~_met(), remind_on__lte=today)
        due_soon = list(ObligationRows(soon.order_by("unit_end", "path", "pk"), today)[:DUE_SOON_SHOWN])
        leaf_obs = list(ObligationRows(cells, today)) if is_leaf else []
    return ComplianceReport(
        node=node,
        start=start,
        end=end,
        total=total,
        children=[(c, counts[c.pk]) for c in children],
        grid=_grid(leaf_obs),
        due_soon=due_soon,
    )


def _grid(obs: Iterable[Obligation]) -> list[GridRow]:
    grid: list[GridRow] = []
    rows: dict[tuple[int, str], GridRow] = {}
    order = {k: i for i, k in enumerate(MeetingKind.values)}
    for ob in sorted(obs, key=lambda o: (o.org_path, order[o.kind], o.unit.start)):
        row = rows.get((ob.org_id, ob.kind))
        if row is None:
            row = rows[(ob.org_id, ob.kind)] = GridRow(ob.org_id, ob.org_name, ob.kind)
            grid.append(row)
        row.cells.append(ob)
    return grid


def missing_obligations(
    user: User, *, node: PartyOrg | None, start: dt.date, end: dt.date
) -> Sequence[Obligation] | ObligationRows:
    """Every missed obligation under `node`, by organisation, kind and unit (from the rollup, a
    lazy sequence the list pages)."""
    today = timezone.localdate()
    cells = _cells(scope_for(user), paths=[node.path] if node else None, start=start, end=end, today=today)
    if cells is not None:
        missing = cells.filter(~_met(), unit_end__lt=today).annotate(kind_order=_kind_order())
        return ObligationRows(missing.order_by("path", "kind_order", "unit_start", "pk"), today)
    order = {k: i for i, k in enumerate(MeetingKind.values)}
    obs = [o for o in obligations(user, node=node, start=start, end=end) if o.status == MISSING]
    return sorted(obs, key=lambda o: (o.org_path, order[o.kind], o.unit.start))
