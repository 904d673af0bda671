"""What the demo promises whatever day it is loaded on, as checks run on the loaded demo: by the
tests of the demo loaded today and by `test_dates` on the demo loaded at frozen dates."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models.functions import ExtractMonth
from django.utils import timezone

from hongniudai.accounts.models import User
from hongniudai.demo.governance import SEASONS, STORY_TITLE, history_days, season_counts
from hongniudai.demo.partywork import meeting_window, short_quorum_month
from hongniudai.development.models import DevelopmentCase, DevelopmentStep
from hongniudai.enterprises.models import GuidanceFollowUp, GuidanceVisit, InstructorAssignment
from hongniudai.governance import selectors
from hongniudai.governance.models import FollowUp, Level, Matter, MatterEvent, MatterStatus, MediationSession
from hongniudai.orglife import selectors as orglife_selectors
from hongniudai.orglife.models import Meeting, MeetingKind, MeetingKindMark
from hongniudai.party.models import PartyOrg
from hongniudai.vanguard.models import Activity, VanguardPost


def months_before(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(y, m + 1, 1)


def check_seasons(today: dt.date) -> None:
    """Straw burning peaks in June and October, flood patrols from June to August: each month
    holds the count the season's table gives it (in proportion to the days the year covers)."""
    for code, table in SEASONS.items():
        rows = Matter.objects.filter(category__code=code).annotate(m=ExtractMonth("reported_at"))
        by_month = Counter(rows.values_list("m", flat=True))
        expected = season_counts(code, today)
        assert dict(by_month) == expected, code
        assert set(by_month) <= set(table), code
        peak = sorted(table, key=table.__getitem__, reverse=True)[: 2 if code == "straw-burning" else 3]
        assert sum(by_month[m] for m in peak) >= 0.9 * sum(by_month.values()) > 0, code


def check_year_of_matters(today: dt.date) -> None:
    first, _last = history_days(today)
    matters = Matter.objects.all()
    assert 600 <= matters.count() <= 1000
    assert not matters.filter(reported_at__date__lt=first - dt.timedelta(days=1)).exists()
    disputes = matters.filter(category__kind="dispute").annotate(m=ExtractMonth("reported_at"))
    assert len(set(disputes.values_list("m", flat=True))) >= 10
    check_seasons(today)


def check_open_and_overdue() -> None:
    """A few matters overdue, others open in time; the demo accounts have work waiting."""
    admin = User.objects.get(username="admin")
    overdue = selectors.matters(admin, overdue=True)
    assert 3 <= overdue.count() <= 20
    open_matters = list(selectors.matters(admin, status="open"))
    assert len(open_matters) > overdue.count()
    signals = Counter(row.signal for row in selectors.with_signals(open_matters))
    assert signals["red"] == overdue.count() and signals["green"] + signals["yellow"] > 0
    # 张圣福 in his hamlet, 何国平 an overdue matter of his village, the grid worker.
    assert selectors.inbox(User.objects.get(username="zhangshengfu")).exists()
    assert selectors.matters(User.objects.get(username="hemeifan"), overdue=True, level=Level.VILLAGE).exists()
    assert selectors.inbox(User.objects.get(username="gridworker")).exists()
    # The deadline job would only warn about them: accepted matters are not handed up.
    assert not overdue.filter(status=MatterStatus.NEW).exists()


def check_story(now: dt.datetime) -> None:
    matter = Matter.objects.get(title=STORY_TITLE)
    assert matter.status == MatterStatus.CLOSED
    assert matter.reported_at < matter.accepted_at < matter.resolved_at < now - dt.timedelta(days=30)  # type: ignore[operator]
    assert FollowUp.objects.get(matter=matter).visited_on <= timezone.localtime(now).date()


def check_meetings(today: dt.date) -> None:
    """Over the last twelve whole months, the town's organisational life is nearly complete, with
    the gaps the demo tells of: 徐桥村 skipped its committee meeting three months ago, and
    何梅畈村's member meeting of last quarter fell short of a quorum (recorded, not counted)."""
    admin = User.objects.get(username="admin")
    committee = PartyOrg.objects.get(name="宋河镇党委", parent=None)
    start, end = meeting_window(today)
    counts = orglife_selectors.org_compliance(admin, orgs=[committee], start=start, end=end)[committee.pk]
    assert counts.met > 10 * counts.missing > 0
    xuqiao = PartyOrg.objects.get(name="徐桥村党支部")
    month = months_before(today, 3)
    assert start <= month <= end
    held = MeetingKindMark.objects.filter(
        org=xuqiao, kind=MeetingKind.COMMITTEE_MEETING, held_on__year=month.year, held_on__month=month.month
    )
    assert not held.exists()
    others = MeetingKindMark.objects.filter(
        org=xuqiao, kind=MeetingKind.COMMITTEE_MEETING, held_on__gte=start, held_on__lte=end
    ).exclude(held_on__year=month.year, held_on__month=month.month)
    assert others.count() >= 9
    short = short_quorum_month(today)
    assert start <= short <= end
    assert MeetingKindMark.objects.filter(
        org__name="何梅畈村党支部",
        kind=MeetingKind.MEMBER_MEETING,
        counts=False,
        held_on__year=short.year,
        held_on__month=short.month,
    ).exists()


def check_nothing_after(now: dt.datetime) -> None:
    """Nothing in the demo is dated after the day (and moment) it was laid out to."""
    today = timezone.localtime(now).date()
    assert not Matter.objects.filter(reported_at__gt=now).exists()
    assert not Matter.objects.filter(accepted_at__gt=now).exists()
    assert not Matter.objects.filter(resolved_at__gt=now).exists()
    assert not MatterEvent.objects.filter(at__gt=now).exists()
    assert not MediationSession.objects.filter(held_on__gt=today).exists()
    assert not FollowUp.objects.filter(visited_on__gt=today).exists()
    assert not Meeting.objects.filter(held_on__gt=today).exists()
    assert not GuidanceVisit.objects.filter(visited_on__gt=today).exists()
    assert not GuidanceFollowUp.objects.filter(closed_on__gt=today).exists()
    assert not DevelopmentCase.objects.filter(applied_on__gt=today).exists()
    assert not DevelopmentStep.objects.filter(on__gt=today).exists()
    assert not Activity.objects.filter(held_on__gt=today).exists()
    assert not VanguardPost.objects.filter(since__gt=today).exists()
    assert not InstructorAssignment.objects.filter(since__gt=today).exists()
