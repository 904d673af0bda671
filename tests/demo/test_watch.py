"""The demo town's watch (`hongniudai.demo.watch`): the market town patrolled every night of the
last month with a log per shift, one incident raised as a matter and two nights missed; the camera
net with the README's platform key working; last autumn's straw-burning campaign with its two
missing grid-days on the board; this summer's flood patrol with its danger spots."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.utils import timezone
from rest_framework.test import APIClient

from hongniudai.accounts.models import User
from hongniudai.demo import watch_plan as plan
from hongniudai.demo.loader import demo_town, loader_actor
from hongniudai.demo.watch import load_watch
from hongniudai.governance.models import Channel, Matter, MatterStatus
from hongniudai.watch.cameras import selectors as camera_selectors
from hongniudai.watch.cameras.models import Camera, CameraAlert, CameraStatus, PendingAlert, PendingStatus
from hongniudai.watch.patrols import selectors as patrol_selectors
from hongniudai.watch.patrols.models import (
    Campaign,
    CampaignKind,
    CampaignReport,
    PatrolIncident,
    PatrolLog,
    PatrolShift,
    PatrolTeam,
    PointKind,
    ShiftStatus,
    WatchPoint,
)


def market_team() -> PatrolTeam:
    return PatrolTeam.objects.get(name=plan.MARKET_TEAM)


def test_the_market_town_is_patrolled_every_night_of_last_month(demo: str, db: Any) -> None:
    team = market_team()
    town = demo_town()
    assert town is not None and team.area == town
    first = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    days = calendar.monthrange(first.year, first.month)[1]
    dates = set(
        PatrolShift.objects.filter(team=team, date__year=first.year, date__month=first.month).values_list(
            "date", flat=True
        )
    )
    assert dates == {first + dt.timedelta(days=i) for i in range(days)}
    over = PatrolShift.objects.filter(team=team, ends_at__lte=timezone.now())
    assert over.count() >= days
    assert set(over.values_list("status", flat=True)) == {ShiftStatus.KEPT, ShiftStatus.MISSED}
    assert over.filter(status=ShiftStatus.MISSED).count() == len(plan.MISSED_NIGHTS_AGO)
    kept = over.filter(status=ShiftStatus.KEPT)
    logs = PatrolLog.objects.filter(shift__in=kept)
    assert logs.count() == kept.count()
    assert not logs.filter(started_at=None).exists() and not logs.filter(ended_at=None).exists()
    assert not logs.filter(weather="").exists() and not logs.filter(route_notes="").exists()
    assert all(log.present.exists() for log in logs[:5])
    kinds = set(team.members.values_list("kind", flat=True))
    assert {"party_member", "militia"} <= kinds


def test_one_patrol_incident_is_a_matter_in_its_grid_dated_on_its_night(demo: str, db: Any) -> None:
    incident = PatrolIncident.objects.select_related("matter", "log__shift").get(log__shift__team=market_team())
    matter = incident.matter
    assert matter.channel == Channel.NIGHT_PATROL and matter.place == incident.grid
    assert matter.status == MatterStatus.ACCEPTED and matter.accepted_at > matter.reported_at
    assert matter.area.path.startswith(incident.grid.path) or incident.grid.path.startswith(matter.area.path)
    shift = incident.log.shift
    assert shift.starts_at <= matter.reported_at <= shift.ends_at
    assert matter.events.order_by("id").first().at == matter.reported_at


def test_cameras_cover_the_grids_but_a_few_some_offline(demo: str, db: Any) -> None:
    town = demo_town()
    cameras = Camera.objects.filter(town=town)
    assert cameras.count() > 80
    assert cameras.filter(status=CameraStatus.OFFLINE).exists() and cameras.filter(status=CameraStatus.FAULTY).exists()
    totals = camera_selectors.coverage_totals(User.objects.get(username="admin"))
    assert totals.cameras == cameras.count() and totals.working < totals.cameras
    assert totals.grids_without == len(plan.GRIDS_WITHOUT)
    assert cameras.filter(code="SH-201-05-1", grid__name="5组", grid__parent__name="徐桥村").exists()


def test_alerts_became_matters_one_merged_one_pending(demo: str, db: Any) -> None:
    alerts = CameraAlert.objects.filter(town=demo_town())
    assert alerts.count() == len(plan.ALERTS)
    merged = alerts.get(merged=True)
    first = alerts.get(alert_id=plan.ALERTS[0][0])
    assert merged.matter_id == first.matter_id is not None
    raised = Matter.objects.filter(pk__in=alerts.exclude(matter=None).values("matter_id"))
    assert raised.count() == 2 and set(raised.values_list("channel", flat=True)) == {Channel.CAMERA}
    assert all(m.reported_at < timezone.now() and m.attachments.exists() for m in raised)
    pending = PendingAlert.objects.get(camera__town=demo_town())
    assert pending.status == PendingStatus.WAITING and pending.matter is None


def test_the_readme_platform_key_authenticates(demo: str, db: Any) -> None:
    camera = Camera.objects.filter(town=demo_town(), status=CameraStatus.WORKING).order_by("id").first()
    assert camera is not None
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {plan.PLATFORM_KEY}")
    body = {
        "alert_id": "TEST-README-1",
        "camera_code": camera.code,
        "kind": "intrusion",
        "occurred_at": timezone.localtime().replace(microsecond=0).isoformat(),
        "note": "README 示例",
    }
    r = api.post("/api/v1/cameras/alerts/", body, format="json")
    assert r.status_code in (200, 201), r.content
    assert r.json()["matter_id"] is not None


def straw() -> Campaign:
    return Campaign.objects.get(kind=CampaignKind.STRAW_BURNING, area=demo_town())


def test_the_straw_campaign_board_shows_the_two_missing_grid_days(demo: str, db: Any) -> None:
    campaign = straw()
    assert (campaign.starts_on.month, campaign.starts_on.day) == (10, 10)
    assert campaign.ends_on < timezone.localdate()
    admin = User.objects.get(username="admin")
    board = patrol_selectors.board(admin, campaign)
    grids = campaign.grids.count()
    days = (campaign.ends_on - campaign.starts_on).days + 1
    assert board.totals.expected == grids * days
    assert board.totals.missing == 2
    assert board.totals.reported == grids * days - 2
    assert board.totals.late == len(plan.STRAW_LATE)
    assert 0 < board.totals.nothing_found < board.totals.reported
    missing = {(v.village.name, g.grid.name) for v in board.villages for g in v.grids if g.so_far.missing}
    assert missing == {(v, g) for v, g, _d in plan.STRAW_MISSING}
    assert sum(1 for d in board.history if d.tally.missing) == 2
    zero = CampaignReport.objects.filter(campaign=campaign, nothing_found=True).first()
    assert zero is not None and zero.reported_at.date() <= zero.date + dt.timedelta(days=1)
    findings = Matter.objects.filter(channel=Channel.CAMPAIGN, pk__in=campaign.reports.values("matters__matter"))
    assert findings.count() == len(plan.STRAW_FINDINGS)
    assert all(m.status == MatterStatus.RESOLVED and m.reported_at.date() < timezone.localdate() for m in findings)
    assert WatchPoint.objects.filter(campaign=campaign, kind=PointKind.STRAW_FIELD).count() == grids
    assert campaign.duties.exists()


def test_this_summers_flood_patrol_has_its_danger_spots_and_reports(demo: str, db: Any) -> None:
    campaign = Campaign.objects.get(kind=CampaignKind.FLOOD, area=demo_town())
    assert (campaign.starts_on.month, campaign.ends_on.month) == (6, 8)
    spots = WatchPoint.objects.filter(campaign=campaign, kind=PointKind.DANGER_SPOT)
    assert spots.count() == len(plan.FLOOD_SPOTS)
    assert CampaignReport.objects.filter(campaign=campaign).exists()
    assert not CampaignReport.objects.filter(campaign=campaign, date__gte=timezone.localdate()).exists()


def test_loading_again_writes_nothing(demo: str, db: Any) -> None:
    town = demo_town()
    assert town is not None
    before = (Camera.objects.count(), PatrolShift.objects.count(), CampaignReport.objects.count())
    assert load_watch(loader_actor(), town, lambda _s: None, today=timezone.localdate()) is False
    assert (Camera.objects.count(), PatrolShift.objects.count(), CampaignReport.objects.count()) == before
