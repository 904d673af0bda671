"""The governance demo data: the 张家冲 case settled in the hamlet, a year of matters across the
town whose measures show real numbers, a few overdue, and the demo's Open311 api_key."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections import Counter
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from hongniudai.accounts.models import User
from hongniudai.audit.models import AuditEvent
from hongniudai.demo.governance import OPEN311_CLIENT, OPEN311_KEY, STORY_TITLE
from hongniudai.governance import selectors
from hongniudai.governance.models import (
    LEVEL_OF_KIND,
    OPEN_STATUSES,
    Agreement,
    Category,
    EventKind,
    FollowUp,
    Level,
    Matter,
    MatterEvent,
    MatterStatus,
    MediationSession,
    Open311Key,
    Outcome,
)
from hongniudai.notifications import selectors as notification_selectors
from hongniudai.notifications.models import Notification
from hongniudai.places.models import AreaKind, AreaNode
from tests.demo import dated


def village(name: str) -> AreaNode:
    return AreaNode.objects.get(kind=AreaKind.VILLAGE, name=name)


def year() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    return today - dt.timedelta(days=365), today


def test_zhangjiachong_case_is_settled_in_the_hamlet(demo: str, db: Any) -> None:
    matter = Matter.objects.select_related("category", "place__parent__parent", "reporter", "handler").get(
        title=STORY_TITLE
    )
    zsf, lawyer = User.objects.get(username="zhangshengfu"), User.objects.get(username="hmf_lawyer")
    assert matter.category.code == "dispute-forest"
    assert (matter.place.name, matter.place.parent.name, matter.place.parent.parent.name) == (
        "张家冲",
        "6组",
        "何梅畈村",
    )
    assert sorted(matter.parties.values_list("name", flat=True)) == ["李某忠", "赵某发"]
    assert matter.reporter == zsf and matter.handler == zsf and matter.channel == "centre_household"
    assert matter.status == MatterStatus.CLOSED
    assert (matter.level, matter.resolved_level, matter.outcome) == (Level.HAMLET, Level.HAMLET, Outcome.AGREEMENT)
    assert matter.escalations == 0 and matter.satisfaction == 5
    assert list(matter.invited.all()) == [lawyer]
    assert matter.reported_at < matter.accepted_at < matter.resolved_at < timezone.now() - dt.timedelta(days=30)

    sessions = list(MediationSession.objects.filter(matter=matter).order_by("held_on"))
    assert 2 <= len(sessions) <= 3
    with_adviser = [s for s in sessions if s.legal_adviser_present]
    assert len(with_adviser) == 1 and with_adviser[0].recorded_by == lawyer
    assert all(s.held_on <= timezone.localtime(matter.resolved_at).date() for s in sessions)

    agreement = Agreement.objects.get(matter=matter)
    assert agreement.signatures_noted and "李某忠" in agreement.parties and "赵某发" in agreement.parties
    assert "界" in agreement.terms and "张圣福" in agreement.mediators
    assert agreement.signed_on == timezone.localtime(matter.resolved_at).date()

    visit = FollowUp.objects.get(matter=matter)
    assert visit.held and visit.satisfaction == 5 and visit.visited_by == zsf
    assert visit.visited_on > agreement.signed_on

    events = list(matter.events.order_by("at", "id"))
    assert [e.kind for e in events] == [
        EventKind.REPORT,
        EventKind.ACCEPT,
        EventKind.MEDIATE,
        EventKind.INVITE,
        EventKind.MEDIATE,
        EventKind.MEDIATE,
        EventKind.AGREEMENT,
        EventKind.RESOLVE,
        EventKind.FOLLOW_UP,
    ]
    assert [e.pk for e in events] == sorted(e.pk for e in events)  # the timeline reads in order
    assert {e.actor for e in events} == {zsf, lawyer}


def test_a_year_of_matters_across_the_town(demo: str, db: Any) -> None:
    matters = Matter.objects.all()
    assert set(matters.values_list("category__code", flat=True)) == set(Category.objects.values_list("code", flat=True))
    # The history's matters are placed at hamlets (the watch's at grids: cameras, campaign findings).
    villages = set(matters.filter(place__kind=AreaKind.HAMLET).values_list("place__parent__parent__name", flat=True))
    assert len(villages) == 15
    channels = Counter(matters.values_list("channel", flat=True))
    assert len(channels) >= 7 and channels["open311"] > 0 and channels["camera"] > 0
    assert not matters.filter(channel="open311", category__is_public=False).exists()
    # The year before today, disputes in every season, straw burning and flood patrols in theirs.
    dated.check_year_of_matters(timezone.localdate())

    settled = Counter(matters.exclude(resolved_level="").values_list("resolved_level", flat=True))
    assert set(settled) == set(Level.values)
    assert settled[Level.HAMLET] > 0.5 * sum(settled.values())
    assert (
        FollowUp.objects.count()
        > 0.75 * matters.filter(status__in=(MatterStatus.RESOLVED, MatterStatus.CLOSED)).count()
    )
    assert Agreement.objects.count() > 20


def test_measures_show_real_numbers(demo: str, db: Any) -> None:
    start, end = year()
    hemeifan = User.objects.get(username="hemeifan")
    m = selectors.measures(hemeifan, node=village("何梅畈村"), start=start, end=end)
    assert m.reported > 20 and m.settled > 20
    assert m.hamlet_rate is not None and 0 < m.hamlet_rate < 1
    assert m.village_rate is not None and m.hamlet_rate < m.village_rate <= 1
    assert m.satisfaction is not None and 3.5 < m.satisfaction <= 5
    assert m.mean_days is not None and m.p90_days is not None and m.p90_days >= m.mean_days
    admin = User.objects.get(username="admin")
    town = selectors.measures(admin, node=None, start=start, end=end)
    assert town.repeat_matters > 0
    assert town.village_rate is not None and town.village_rate < 1  # some went up to the town
    # Every village has matters to show.
    for child in selectors.measures_by_child(admin, node=AreaNode.objects.get(name="东片区"), start=start, end=end):
        assert child.reported > 0 and child.hamlet_rate is not None


def test_some_matters_are_open_and_some_overdue(demo: str, db: Any) -> None:
    dated.check_open_and_overdue()


def test_every_matter_is_consistent(demo: str, db: Any) -> None:
    now = timezone.now()
    rows = Matter.objects.select_related("area").values_list(
        "pk",
        "status",
        "level",
        "area__kind",
        "reported_at",
        "level_since",
        "accepted_at",
        "resolved_at",
        "resolved_level",
        "accept_due_at",
        "settle_due_at",
    )
    for (
        pk,
        status,
        level,
        area_kind,
        reported,
        since,
        accepted,
        resolved,
        resolved_level,
        accept_due,
        settle_due,
    ) in rows:
        assert level == LEVEL_OF_KIND[area_kind], pk
        assert reported <= since <= now, pk
        assert since < accept_due <= settle_due, pk
        if status in OPEN_STATUSES:
            assert resolved is None and resolved_level == "", pk
            assert (accepted is None) == (status == MatterStatus.NEW), pk
        else:
            assert resolved is not None and resolved_level == level, pk
            assert accepted is not None and since <= accepted <= resolved <= now, pk
    # Every step is dated between the report and now, and the timelines read in order.
    events = MatterEvent.objects.select_related("matter").order_by("matter_id", "id")
    last: dict[int, dt.datetime] = {}
    for e in events:
        assert e.matter.reported_at <= e.at <= now, e.pk
        assert e.at >= last.get(e.matter_id, e.at), e.pk
        last[e.matter_id] = e.at
        if e.actor_id is None and e.kind != EventKind.REPORT:
            assert e.note, e.pk  # steps without an account name the person in the note
    dated.check_nothing_after(now)
    # Old notifications of settled matters are read; none is dated after its matter was reported.
    settled = Matter.objects.filter(status__in=(MatterStatus.RESOLVED, MatterStatus.CLOSED)).values_list(
        "pk", flat=True
    )
    assert not notification_selectors.about(Matter, settled).filter(read_at=None)


def test_open311_key_for_the_demo(demo: str, db: Any) -> None:
    key = Open311Key.objects.get(digest=hashlib.sha256(OPEN311_KEY.encode()).hexdigest())
    assert key.name == OPEN311_CLIENT == "宋河镇演示客户端" and key.is_active
    assert key.area.name == "宋河镇" and key.prefix == OPEN311_KEY[:8]
    assert OPEN311_KEY in demo
    assert OPEN311_KEY not in str(AuditEvent.objects.filter(target_type__icontains="open311").values_list())


def test_loading_twice_changes_nothing(demo: str, db: Any) -> None:
    def state() -> tuple[int, ...]:
        return (
            Matter.objects.count(),
            MatterEvent.objects.count(),
            MediationSession.objects.count(),
            FollowUp.objects.count(),
            Notification.objects.count(),
            Open311Key.objects.count(),
            AuditEvent.objects.count(),
        )

    before = state()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert state() == before
    assert OPEN311_KEY in out.getvalue()
