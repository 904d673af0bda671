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

The derivation (`compute_obligations`) is three queries however many organisations: the
organisations (one query), the rules (one) and the counting marks grouped by organisation, kind,
year and month in SQL (one); units and roll-ups are added up in Python. The pages do not run it:
they count the rows of the rollup that the services keep from it (`rollups`, one row per
obligation) in SQL, by subtree, and derive only a period reaching a year the rollup does not hold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, get_scoped_or_404, scope_for
from hongniudai.common.tree import SortedUnlessNarrow
from hongniudai.party.models import Member, MemberStatus, OrgKind, PartyOrg, Post

# The rules and compliance live in `compliance`; read through here like every other read.
from .compliance import (  # noqa: F401
    DUE_SOON_SHOWN,
    MET,
    MISSING,
    PENDING,
    ComplianceCounts,
    ComplianceReport,
    GridRow,
    Obligation,
    ObligationRows,
    RuleBook,
    compliance_report,
    compute_obligations,
    missing_obligations,
    obligations,
    org_compliance,
    rule_book,
    rule_get,
    rules,
)
from .models import (
    Attendance,
    Meeting,
    MeetingKind,
    MeetingKindMark,
)

COMMITTEE_POSTS = (Post.SECRETARY, Post.DEPUTY_SECRETARY, Post.COMMITTEE_MEMBER)


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
    # In a village or a grid, SQLite reads its meetings by path and sorts them (SortedUnlessNarrow).
    return qs.annotate(present_count=_attendance_count(True), absent_count=_attendance_count(False)).order_by(
        SortedUnlessNarrow("held_on").desc(), "-id"
    )


def marks_of(meeting_ids: list[int]) -> dict[int, list[tuple[str, bool]]]:
    """Each meeting's kind marks (kind, counts), in recorded order: one query for a page."""
    marks: dict[int, list[tuple[str, bool]]] = {pk: [] for pk in meeting_ids}
    rows = MeetingKindMark.objects.filter(meeting_id__in=meeting_ids).order_by("id")
    for meeting_id, kind, counts in rows.values_list("meeting_id", "kind", "counts"):
        marks[meeting_id].append((kind, counts))
    return marks


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
