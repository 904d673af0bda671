"""Every read of organisational life, for an acting user: meetings, rules and compliance.

Compliance ("knows the rules")
-------------------------------
For each branch and party group in a subtree, each kind whose rule (the most specific
`MeetingRule` for the organisation's area, else the default) makes it owe that kind, and each
calendar unit of the rule's frequency (month, quarter, half-year, year) that overlaps the chosen
period, there is one *obligation*:

- **met** when the unit holds at least `times` counting marks (`MeetingKindMark.counts`) of the
  organisation — the whole unit counts, even the part outside the chosen period;
- **missing** when the unit has ended (its last day is before today) without that;
- **pending** when the unit is the current one and is not met yet; *due soon* when it ends
  within the rule's `remind_days`.

Units that start after today are not owed yet and are left out. A party group owes group
meetings (`owed_by=party_group`); a branch owes the others; a branch without a committee
(`has_committee` false) owes no committee meeting.

**Founding.** An organisation owes a unit only when it existed for the whole unit: its
`founded_on` is empty or on or before the unit's first day. A branch founded on 15 March owes
nothing for March, nor for the first quarter, nor for that year's yearly kinds; it owes monthly
kinds from April and quarterly kinds from the second quarter. (Meetings it held in a unit it did
not owe are still listed, they just owe nothing.)

**Rate** is met / (met + missing): the share of obligations already decided that were met;
pending ones are neither. None when nothing is decided yet.

The whole computation is three queries however many organisations: the organisations (one
query), the rules (one) and the counting marks grouped by organisation, kind, year and month in
SQL (one); units and roll-ups are added up in Python.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, Scope, get_scoped_or_404, scope_for
from hongniudai.common.tree import ancestor_ids
from hongniudai.party.models import Member, MemberStatus, OrgKind, PartyOrg, Post
from hongniudai.party.selectors import org_roots

from .models import Attendance, Meeting, MeetingKind, MeetingKindMark, MeetingRule, OwedBy
from .periods import Unit, units_overlapping

COMMITTEE_POSTS = (Post.SECRETARY, Post.DEPUTY_SECRETARY, Post.COMMITTEE_MEMBER)

MET, MISSING, PENDING = "met", "missing", "pending"

# ---- meetings -------------------------------------------------------------------------------


def meetings(
    user: User,
    *,
    org: PartyOrg | None = None,
    kind: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
    q: str = "",
) -> QuerySet[Meeting]:
    """Visible meetings, newest first; `org` takes its whole subtree (a branch with its groups)."""
    qs = scope_for(user).filter(
        Meeting.objects.select_related("org", "org__parent", "presided_by__resident").prefetch_related(
            Prefetch("marks", queryset=MeetingKindMark.objects.order_by("id"))
        )
    )
    if org is not None:
        qs = qs.filter(org__path__under=org.path)
    if kind:
        qs = of_kind(qs, kind)
    if start is not None:
        qs = qs.filter(held_on__gte=start)
    if end is not None:
        qs = qs.filter(held_on__lte=end)
    if q:
        qs = qs.filter(topic__icontains=q.strip())
    # Attendance counted per meeting shown (correlated), not by grouping every meeting in scope
    # with its attendance before the page is cut: the demo town's list took 150 ms that way.
    return qs.annotate(present_count=_attendance_count(True), absent_count=_attendance_count(False)).order_by(
        "-held_on", "-id"
    )


def _attendance_count(present: bool) -> Coalesce:
    rows = Attendance.objects.filter(meeting=OuterRef("pk"), present=present).order_by().values("meeting")
    return Coalesce(Subquery(rows.annotate(n=Count("*")).values("n"), output_field=IntegerField()), Value(0))


def of_kind(meetings: QuerySet[Meeting], kind: str) -> QuerySet[Meeting]:
    """The meetings of `meetings` marked as `kind` (counting or not)."""
    return meetings.filter(pk__in=MeetingKindMark.objects.filter(kind=kind).values("meeting_id"))


def with_attendance(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """`meetings` with their attendance rows (member loaded) in `attendance`, in recorded order."""
    rows = Attendance.objects.select_related("member__resident").order_by("id")
    return meetings.prefetch_related(Prefetch("attendance", queryset=rows))


def with_absentees(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """`meetings` with the members absent from each in `absentees` (for the ledger export)."""
    absent = Attendance.objects.filter(present=False).select_related("member__resident").order_by("member_id")
    return meetings.prefetch_related(Prefetch("attendance", queryset=absent, to_attr="absentees"))


def meeting_get(user: User, pk: int) -> Meeting:
    return get_scoped_or_404(
        user,
        Meeting.objects.select_related("org", "org__area", "org__parent", "presided_by__resident", "recorded_by"),
        pk=pk,
    )


def meeting_attendance(user: User, meeting: Meeting) -> QuerySet[Attendance]:
    return (
        scope_for(user)
        .filter(meeting.attendance.select_related("member__resident", "member__party_group"))
        .order_by("-present", "member__id")
    )


def meeting_orgs_for_choice(user: User) -> QuerySet[PartyOrg]:
    """Branches and party groups where the user may record meetings."""
    return (
        scope_for(user, Capability.EDIT_PARTY)
        .filter(PartyOrg.objects.filter(kind__in=(OrgKind.BRANCH, OrgKind.PARTY_GROUP)).select_related("parent"))
        .order_by("path")
    )


def roster(org: PartyOrg, on: dt.date | None = None) -> QuerySet[Member]:
    """The members a meeting of `org` takes attendance of: a branch's members or a party group's
    members, who had joined by `on`. (Not scoped: callers hold the organisation already.)"""
    qs = Member.objects.filter(party_group=org) if org.kind == OrgKind.PARTY_GROUP else Member.objects.filter(org=org)
    if on is not None:
        qs = qs.filter(joined_on__lte=on)
    return qs.select_related("resident", "party_group").order_by("party_group__path", "id")


def branch_of(org: PartyOrg) -> PartyOrg:
    """The branch of a party group; a branch itself."""
    return org.parent if org.kind == OrgKind.PARTY_GROUP and org.parent is not None else org


def allowed_kinds(org: PartyOrg) -> list[str]:
    """The kinds a meeting of `org` may count as."""
    if org.kind == OrgKind.PARTY_GROUP:
        return [MeetingKind.GROUP_MEETING]
    if org.kind != OrgKind.BRANCH:
        return []
    return [
        k
        for k in MeetingKind.values
        if k != MeetingKind.GROUP_MEETING and (k != MeetingKind.COMMITTEE_MEETING or org.has_committee)
    ]


def meeting_roster(org: PartyOrg, kinds: Sequence[str], held_on: dt.date) -> list[Member]:
    """Whose attendance a meeting takes: the branch's members (a party group's for a group
    meeting) who had joined by the day; a meeting that is only a committee meeting takes the
    committee's (members holding a committee post)."""
    members = roster(org, held_on)
    if set(kinds) == {MeetingKind.COMMITTEE_MEETING}:
        members = members.filter(post__in=COMMITTEE_POSTS)
    return list(members)


def quorum_message(meeting: Meeting) -> str:
    """Why a member meeting does not count, for the user; empty when it counts."""
    if not any(m.kind == MeetingKind.MEMBER_MEETING and not m.counts for m in meeting.marks.all()):
        return ""
    return _("本次支部党员大会有表决权的正式党员应到 %(total)s 人、实到 %(present)s 人,未超过半数,不计入党员大会。") % {
        "total": meeting.voting_total,
        "present": meeting.voting_present,
    }


def is_voting(member: Member, on: dt.date) -> bool:
    """A full member on `on` (a member marked full without a date counts as full)."""
    return (
        member.status == MemberStatus.FULL
        and member.joined_on <= on
        and (member.full_on is None or member.full_on <= on)
    )


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
    parts = [Q(**{f"{field_name}__under": p}) for p in _minimal_paths(paths)]
    return functools.reduce(operator.or_, parts) if parts else Q(pk__in=[])


def _minimal_paths(paths: Iterable[str]) -> list[str]:
    out: list[str] = []
    for p in sorted(set(paths)):
        if not any(p.startswith(kept) for kept in out):
            out.append(p)
    return out


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
) -> list[Obligation]:
    """Obligations of every branch and party group within `paths` (None: everywhere) that the
    scope shows, for the units overlapping [start, end] and begun by today. Three queries."""
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
    obs = compute_obligations(scope_for(user), paths=[o.path for o in orgs], start=start, end=end)
    return _roll_up(obs, orgs)


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
    each visible root) rolled up, and for a branch or party group the grid of kinds × units."""
    obs = obligations(user, node=node, start=start, end=end)
    total = ComplianceCounts()
    for ob in obs:
        total.add(ob.status)
    if node is None:
        children = org_roots(user)
    else:
        children = list(scope_for(user).filter(node.children.all()).order_by("sort_order", "name"))
    counts = _roll_up(obs, children)
    grid: list[GridRow] = []
    if node is not None and node.kind in (OrgKind.BRANCH, OrgKind.PARTY_GROUP):
        rows: dict[tuple[int, str], GridRow] = {}
        order = {k: i for i, k in enumerate(MeetingKind.values)}
        for ob in sorted(obs, key=lambda o: (o.org_path, order[o.kind], o.unit.start)):
            row = rows.get((ob.org_id, ob.kind))
            if row is None:
                row = rows[(ob.org_id, ob.kind)] = GridRow(ob.org_id, ob.org_name, ob.kind)
                grid.append(row)
            row.cells.append(ob)
    due_soon = sorted((o for o in obs if o.due_soon), key=lambda o: (o.unit.end, o.org_path))
    return ComplianceReport(
        node=node,
        start=start,
        end=end,
        total=total,
        children=[(c, counts[c.pk]) for c in children],
        grid=grid,
        due_soon=due_soon,
    )


def missing_obligations(user: User, *, node: PartyOrg | None, start: dt.date, end: dt.date) -> list[Obligation]:
    """Every missed obligation under `node`, by organisation, kind and unit."""
    order = {k: i for i, k in enumerate(MeetingKind.values)}
    obs = [o for o in obligations(user, node=node, start=start, end=end) if o.status == MISSING]
    return sorted(obs, key=lambda o: (o.org_path, order[o.kind], o.unit.start))
