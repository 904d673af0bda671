"""The demo town's watch, written through the watch's services as its users would record it: the
market town's night patrol (a rota every night of the last month, a log per shift, one incident
raised as a matter, two nights missed), the camera net (cameras across the grids, the platform key
of the README, alerts turned into matters: one merged, one waiting for confirmation), last autumn's
straw-burning campaign and this summer's flood patrol with their daily reports and zero-reports.

What the services stamp with the wall clock (a matter's report, an alert's receipt) is moved back to
the moment it happened, as the governance history is. A town that has
cameras already is left as it is."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.governance import services as governance
from hongniudai.governance.models import Attachment, Category, EventKind, Matter, MatterEvent, Outcome
from hongniudai.notifications import selectors as notification_selectors
from hongniudai.party.models import Member
from hongniudai.places.models import AreaKind, AreaNode, Resident, Sex
from hongniudai.volunteers.interface import Volunteer
from hongniudai.watch.cameras import alerts as camera_alerts
from hongniudai.watch.cameras import services as cameras
from hongniudai.watch.cameras.models import (
    Camera,
    CameraAlert,
    CameraKind,
    CameraOwner,
    CameraStatus,
    PendingAlert,
)
from hongniudai.watch.patrols import services as patrols
from hongniudai.watch.patrols.models import (
    Campaign,
    CampaignKind,
    MemberKind,
    PatrolIncident,
    PatrolMember,
    PatrolShift,
    PatrolTeam,
    PointKind,
    WatchPoint,
)

from . import watch_plan as plan
from .data import years_before
from .economy import user

Say = Callable[[str], None]
SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass
class Places:
    """The town's villages and grids by name."""

    town: AreaNode
    villages: dict[str, AreaNode]
    grids: dict[tuple[str, str], AreaNode]

    @classmethod
    def of(cls, town: AreaNode) -> Places:
        nodes = list(
            AreaNode.objects.filter(path__startswith=town.path, kind__in=(AreaKind.VILLAGE, AreaKind.GRID)).order_by(
                "path"
            )
        )
        villages = {n.name: n for n in nodes if n.kind == AreaKind.VILLAGE}
        by_id = {v.pk: v.name for v in villages.values()}
        grids = {(by_id[n.parent_id], n.name): n for n in nodes if n.kind == AreaKind.GRID and n.parent_id in by_id}
        return cls(town, villages, grids)

    def grids_of(self, village: str) -> list[AreaNode]:
        return [g for (v, _name), g in self.grids.items() if v == village]


def at(day: dt.date, hour: float) -> dt.datetime:
    """`day` at `hour` (a fraction of an hour in minutes), Asia/Shanghai."""
    return dt.datetime.combine(day, dt.time(int(hour), int(hour % 1 * 60)), tzinfo=SHANGHAI)


def redate_matter(matter: Matter, reported: dt.datetime, accepted: dt.datetime | None = None) -> None:
    """Move a matter written now back to `reported` (its deadlines with it), its acceptance and
    resolution to `accepted` and an hour later, with its events, attachments and notifications."""
    delta = reported - matter.reported_at
    Matter.objects.filter(pk=matter.pk).update(
        reported_at=reported,
        level_since=F("level_since") + delta,
        accept_due_at=F("accept_due_at") + delta,
        settle_due_at=F("settle_due_at") + delta,
    )
    events = MatterEvent.objects.filter(matter=matter)
    events.exclude(kind__in=(EventKind.ACCEPT, EventKind.RESOLVE)).update(at=reported)
    if accepted is not None:
        resolved = accepted + dt.timedelta(hours=1)
        Matter.objects.filter(pk=matter.pk, accepted_at__isnull=False).update(accepted_at=accepted)
        Matter.objects.filter(pk=matter.pk, resolved_at__isnull=False).update(resolved_at=resolved)
        events.filter(kind=EventKind.ACCEPT).update(at=accepted)
        events.filter(kind=EventKind.RESOLVE).update(at=resolved)
    Attachment.objects.filter(matter=matter).update(uploaded_at=reported)
    notification_selectors.about(Matter, [matter.pk]).update(created_at=reported)


# ---- night patrol ------------------------------------------------------------------------------


def market_members(actor: User, team: PatrolTeam, places: Places, today: dt.date) -> list[PatrolMember]:
    """The team's members: party members and militia of the market town's villages, and volunteers
    of the town where the volunteers' registry has some."""
    paths = [places.villages[name].path for name in plan.MARKET_VILLAGES if name in places.villages]
    under = Q()
    for path in paths:
        under |= Q(org__area__path__startswith=path)
    members = list(Member.objects.filter(under).select_related("resident").order_by("id")[: plan.PARTY_MEMBERS])
    added = [
        patrols.member_add(actor=actor, team=team, kind=MemberKind.PARTY_MEMBER, party_member=m, joined_on=today)
        for m in members
    ]
    militia = (
        Resident.objects.filter(
            household__hamlet__path__startswith=paths[0],
            sex=Sex.MALE,
            birth_date__gte=years_before(today, 45),  # 29 February falls back to the 28th
            birth_date__lte=years_before(today, 20),
        )
        .exclude(pk__in=[m.resident_id for m in members])
        .order_by("id")[: plan.MILITIA]
    )
    added += [
        patrols.member_add(actor=actor, team=team, kind=MemberKind.MILITIA, resident=r, joined_on=today)
        for r in militia
    ]
    volunteers = Volunteer.objects.filter(area_path__startswith=places.town.path).order_by("id")[: plan.VOLUNTEERS]
    added += [
        patrols.member_add(actor=actor, team=team, kind=MemberKind.VOLUNTEER, volunteer=v, joined_on=today)
        for v in volunteers
    ]
    return added


def patrol_nights(actor: User, team: PatrolTeam, now: dt.datetime) -> tuple[list[PatrolShift], int]:
    """The rota of last month and this month; every night over by `now` kept with its log, except
    the nights of `MISSED_NIGHTS_AGO`, flagged missed by the hourly job's function."""
    today = timezone.localtime(now, SHANGHAI).date()
    this_month = today.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    route = [g for g in team_route(team)]
    for month in (last_month, this_month):
        patrols.rota_generate(
            actor=actor, team=team, month=month, start=plan.SHIFT_START, hours=plan.SHIFT_HOURS, route=route
        )
    over = list(PatrolShift.objects.filter(team=team, ends_at__lte=now).order_by("-date"))
    missed = {over[i].pk for i in plan.MISSED_NIGHTS_AGO if i < len(over)}
    members = list(team.members.order_by("id"))
    kept: list[PatrolShift] = []
    for i, shift in enumerate(reversed(over)):
        if shift.pk in missed:
            continue
        patrols.shift_start(actor=actor, shift=shift, now=shift.starts_at + dt.timedelta(minutes=3 + i % 9))
        present = [m for j, m in enumerate(members) if (i + j) % 3 != 0][:6]
        patrols.log_update(
            actor=actor,
            shift=shift,
            present=present,
            weather=plan.WEATHER_CYCLE[i % len(plan.WEATHER_CYCLE)],
            route_notes=plan.ROUTE_NOTES[i % len(plan.ROUTE_NOTES)],
        )
        patrols.shift_end(actor=actor, shift=shift, now=shift.ends_at - dt.timedelta(minutes=i % 11))
        kept.append(shift)
    flagged = patrols.flag_missed_shifts(now=now)
    return kept, flagged


def team_route(team: PatrolTeam) -> list[AreaNode]:
    """The market town's route: the grids of its communities and of 宋河村."""
    villages = AreaNode.objects.filter(
        path__startswith=team.area.path, kind=AreaKind.VILLAGE, name__in=plan.MARKET_VILLAGES
    )
    grids: list[AreaNode] = []
    for village in villages.order_by("path"):
        grids += list(AreaNode.objects.filter(parent=village, kind=AreaKind.GRID).order_by("sort_order", "id")[:3])
    return grids


def load_patrol(actor: User, places: Places, now: dt.datetime) -> tuple[int, int, int]:
    """The market town's team, rota, logs, the missed nights and one incident."""
    today = timezone.localtime(now, SHANGHAI).date()
    team = patrols.team_set_up(actor=actor, area=places.town, name=plan.MARKET_TEAM, note=plan.MARKET_TEAM_NOTE)
    members = market_members(actor, team, places, today)
    kept, missed = patrol_nights(actor, team, now)
    if kept:
        shift = kept[-1]
        place = places.grids.get((plan.MARKET_VILLAGES[0], "第1网格")) or team_route(team)[0]
        incident = patrols.incident_raise(
            actor=actor, shift=shift, place=place, title=plan.INCIDENT_TITLE, description=plan.INCIDENT_TEXT
        )
        governance.accept(actor=actor, matter=incident.matter, note="镇综治中心受理,已通知派出所。")
        found = shift.starts_at + dt.timedelta(hours=1, minutes=40)
        redate_matter(incident.matter, found, accepted=found + dt.timedelta(minutes=25))
        PatrolIncident.objects.filter(pk=incident.pk).update(created_at=found)
    return len(members), len(kept), missed


# ---- cameras -----------------------------------------------------------------------------------


def point_of(grid: AreaNode, n: int) -> tuple[Decimal, Decimal]:
    """A point in the grid: near its first hamlet's point (or its outline's first corner)."""
    hamlet = AreaNode.objects.filter(parent=grid, kind=AreaKind.HAMLET).exclude(geometry=None).first()
    lng, lat = 114.0, 31.0
    geometry = (hamlet.geometry if hamlet else None) or grid.geometry or {}
    coords = geometry.get("coordinates")
    while isinstance(coords, list) and coords and isinstance(coords[0], list):
        coords = coords[0]
    if isinstance(coords, list) and len(coords) >= 2:
        lng, lat = float(coords[0]), float(coords[1])
    q = Decimal("0.000001")
    return Decimal(lat + 0.0004 * n).quantize(q), Decimal(lng + 0.0003 * n).quantize(q)


def load_cameras(actor: User, places: Places) -> int:
    """One or two cameras per grid, a few grids with none, some offline or faulty."""
    count = 0
    for (village_name, grid_name), grid in places.grids.items():
        if (village_name, grid_name) in plan.GRIDS_WITHOUT:
            continue
        village = places.villages[village_name]
        n_here = 2 if grid.sort_order % 3 == 1 or village.is_community else 1
        for n in range(1, n_here + 1):
            count += 1
            status = CameraStatus.WORKING
            if count % plan.OFFLINE_EVERY == 0:
                status = CameraStatus.OFFLINE
            elif count % plan.FAULTY_EVERY == 0:
                status = CameraStatus.FAULTY
            lat, lng = point_of(grid, n)
            where = plan.CAMERA_PLACES[(count + n) % len(plan.CAMERA_PLACES)]
            cameras.register_camera(
                actor=actor,
                grid=grid,
                code=camera_code(village, grid, n),
                name=f"{village_name}{grid_name}{where}",
                lat=lat,
                lng=lng,
                kind=CameraKind.DOME if n == 2 else CameraKind.BULLET,
                owner=CameraOwner.POLICE if village.is_community else CameraOwner.VILLAGE,
                status=status,
                stream_url=plan.STREAM.format(v=int(village.code or 0) % 250, n=count % 250),
            )
    return count


def camera_code(village: AreaNode, grid: AreaNode, n: int) -> str:
    """SH-<village code>-<grid number>-<n>: 徐桥村 5组's first camera is SH-201-05-1."""
    return f"SH-{(village.code or '')[-3:]}-{grid.sort_order:02d}-{n}"


def load_alerts(actor: User, places: Places, now: dt.datetime) -> tuple[int, int, int]:
    """The platform key of the README, the town's alert kinds and last night's alerts."""
    key = cameras.register_platform_key(None, places.town, plan.PLATFORM_NAME, plan.PLATFORM_KEY)
    for code, label, category, answers, confirm_first in plan.ALERT_KINDS:
        cameras.save_alert_kind(
            actor=actor,
            town=places.town,
            code=code,
            label=label,
            category=Category.objects.get(code=category),
            confirm_first=confirm_first,
            attributes=answers,
        )
    matters = merged = pending = 0
    for alert_id, village, grid, kind, hours, note in plan.ALERTS:
        occurred = now - dt.timedelta(hours=hours)
        outcome = camera_alerts.receive_alert(
            key=key,
            alert_id=alert_id,
            camera_code=camera_code(places.villages[village], places.grids[(village, grid)], 1),
            kind=kind,
            occurred_at=occurred,
            snapshot=plan.JPEG,
            note=note,
        )
        alert = outcome.alert
        received = occurred + dt.timedelta(seconds=20)
        CameraAlert.objects.filter(pk=alert.pk).update(received_at=received)
        Camera.objects.filter(pk=alert.camera_id).update(last_seen_at=received)
        if alert.merged and alert.matter is not None:
            merged += 1
            # What the merge wrote now (its note, the snapshot attached) moves back to its moment.
            MatterEvent.objects.filter(matter=alert.matter, at__gt=received).update(at=received)
            Attachment.objects.filter(matter=alert.matter, uploaded_at__gt=received).update(uploaded_at=received)
            notification_selectors.about(Matter, [alert.matter.pk]).filter(created_at__gt=received).update(
                created_at=received
            )
        elif alert.matter is not None:
            matters += 1
            redate_matter(alert.matter, received)
        elif alert.pending_id is not None:
            pending += 1
            PendingAlert.objects.filter(pk=alert.pending_id).update(created_at=received)
    return matters, merged, pending


# ---- campaigns ---------------------------------------------------------------------------------


def window(today: dt.date, span: tuple[tuple[int, int], tuple[int, int]], *, running: bool) -> tuple[dt.date, dt.date]:
    """The latest window `span` (month, day) to (month, day) that has begun before `today` (has
    ended before it, unless `running`)."""
    (m1, d1), (m2, d2) = span
    for year in (today.year, today.year - 1):
        first, last = dt.date(year, m1, d1), dt.date(year, m2, d2)
        if first < today if running else last < today:
            return first, last
    return dt.date(today.year - 2, m1, d1), dt.date(today.year - 2, m2, d2)


def duty_person(grid: AreaNode) -> str:
    """Who is on duty for a grid: its party group's first member, or the head of its first household."""
    member = Member.objects.filter(party_group__area=grid).select_related("resident").order_by("id").first()
    if member is not None:
        return member.resident.name
    resident = Resident.objects.filter(household__hamlet__parent=grid).order_by("id").first()
    return resident.name if resident is not None else f"{grid.name}网格员"


@dataclass
class Season:
    """One campaign's reports as the demo lays them out."""

    campaign: Campaign
    grids: list[tuple[str, str, AreaNode]]
    first: dt.date
    last: dt.date  # the last day reported (yesterday for a running campaign)
    missing: set[tuple[str, str, int]]
    late: set[tuple[str, str, int]]
    findings: dict[tuple[str, str, int], str]
    checked: tuple[str, ...]
    deadline_hour: int
    hazard: str  # the kind of hazard a finding is (安全隐患's required question)


def report_season(actor: User, season: Season) -> tuple[int, int]:
    """Every covered grid's report for every day: mostly 今日无情况, some with what was checked,
    the findings raised (and handled that day), the late ones made the next morning; the missing
    grid-days left without a report. Returns (reports, findings)."""
    reports = findings = 0
    points = {p.grid_id: p for p in WatchPoint.objects.filter(campaign=season.campaign).order_by("id")}
    hazard = Category.objects.get(code=plan.HAZARD)
    day, i = season.first, 0
    while day <= season.last:
        n = (day - season.first).days
        for village, grid_name, grid in season.grids:
            i += 1
            slot = (village, grid_name, n)
            if slot in season.missing:
                continue
            late = slot in season.late
            made = at(day + dt.timedelta(days=1), 8.5) if late else at(day, season.deadline_hour - 2 - i % 5 + 0.25)
            finding = season.findings.get(slot, "")
            checked = "" if finding or i % 4 else season.checked[i % len(season.checked)]
            point = points.get(grid.pk)
            report = patrols.report_make(
                actor=actor,
                campaign=season.campaign,
                grid=grid,
                nothing_found=not (finding or checked),
                checked=checked,
                findings=finding,
                points_checked=[point] if point is not None and checked else [],
                date=day,
                now=made,
                category=hazard if finding else None,
                attributes={"hazard_type": season.hazard} if finding else None,
            )
            reports += 1
            if finding:
                findings += 1
                handle_finding(actor, report.matters.get().matter, made)
        day += dt.timedelta(days=1)
    return reports, findings


def handle_finding(actor: User, matter: Matter, reported: dt.datetime) -> None:
    """The grid's finding, taken up and handled the same day by the town (dated so)."""
    admin = user("admin", actor)
    governance.accept(actor=admin, matter=matter)
    governance.resolve(
        actor=admin,
        matter=matter,
        outcome=Outcome.HANDLED,
        resolution="网格员会同村干部现场处置完毕。",
    )
    redate_matter(matter, reported, accepted=reported + dt.timedelta(minutes=30))


def load_straw(actor: User, places: Places, today: dt.date) -> tuple[int, int]:
    first, last = window(today, plan.STRAW_WINDOW, running=False)
    villages = [places.villages[v] for v in plan.STRAW_VILLAGES if v in places.villages]
    campaign = patrols.campaign_set_up(
        actor=actor,
        area=places.town,
        areas=villages,
        kind=CampaignKind.STRAW_BURNING,
        name=f"{first.year}年秋季秸秆禁烧",
        starts_on=first,
        ends_on=last,
        deadline_hour=18,
        note=plan.STRAW_NOTE,
    )
    grids = [(v.name, g.name, g) for v in villages for g in places.grids_of(v.name)]
    for village, grid_name, grid in grids:
        lat, lng = point_of(grid, 3)
        patrols.point_add(
            actor=actor,
            campaign=campaign,
            grid=grid,
            kind=PointKind.STRAW_FIELD,
            name=f"{village}{grid_name}秸秆田块",
            lat=lat,
            lng=lng,
            note="水稻收割后秸秆打捆离田",
        )
    duty_rota(actor, campaign, grids, first, last)
    season = Season(
        campaign,
        grids,
        first,
        last,
        set(plan.STRAW_MISSING),
        set(plan.STRAW_LATE),
        {(v, g, d): text for v, g, d, text in plan.STRAW_FINDINGS},
        plan.STRAW_CHECKED,
        18,
        "fire",
    )
    return report_season(actor, season)


def duty_rota(
    actor: User, campaign: Campaign, grids: list[tuple[str, str, AreaNode]], first: dt.date, last: dt.date
) -> None:
    """The duty rota: each grid's person on duty (its party group's first member) on the window's
    first day and every seventh day after, when the week's duty changes hands."""
    names = {grid.pk: duty_person(grid) for _v, _g, grid in grids}
    day = first
    while day <= last:
        for _v, _g, grid in grids:
            patrols.duty_assign(actor=actor, campaign=campaign, date=day, grid=grid, person_name=names[grid.pk])
        day += dt.timedelta(days=7)


def load_flood(actor: User, places: Places, today: dt.date) -> tuple[int, int]:
    first, last = window(today, plan.FLOOD_WINDOW, running=True)
    spots = [
        (v, g, places.grids[(v, g)], name, note) for v, g, name, note in plan.FLOOD_SPOTS if (v, g) in places.grids
    ]
    grids = list({(v, g): (v, g, grid) for v, g, grid, _n, _t in spots}.values())  # the spots' grids, once
    campaign = patrols.campaign_set_up(
        actor=actor,
        area=places.town,
        areas=[grid for _v, _g, grid in grids],
        kind=CampaignKind.FLOOD,
        name=f"{first.year}年汛期巡查",
        starts_on=first,
        ends_on=last,
        deadline_hour=20,
        note=plan.FLOOD_NOTE,
    )
    for n, (_v, _g, grid, name, note) in enumerate(spots, start=1):
        lat, lng = point_of(grid, n % 3 + 4)
        patrols.point_add(
            actor=actor,
            campaign=campaign,
            grid=grid,
            kind=PointKind.DANGER_SPOT,
            name=name,
            lat=lat,
            lng=lng,
            note=note,
        )
    reported_until = min(last, today - dt.timedelta(days=1))
    duty_rota(actor, campaign, grids, first, reported_until)
    v, g, d, text = plan.FLOOD_FINDING
    season = Season(
        campaign,
        grids,
        first,
        reported_until,
        set(plan.FLOOD_MISSING),
        set(),
        {(v, g, d): text},
        plan.FLOOD_CHECKED,
        20,
        "water",
    )
    return report_season(actor, season)


def load_watch(actor: User, town: AreaNode, say: Say, *, today: dt.date) -> bool:
    """The demo town's watch, unless the town has cameras already. Returns whether it was written."""
    if Camera.objects.filter(town=town).exists():
        return False
    start = time.monotonic()
    now = reference_now(today)
    admin = user("admin", actor)
    places = Places.of(town)
    members, kept, missed = load_patrol(admin, places, now)
    count = load_cameras(admin, places)
    matters, merged, pending = load_alerts(admin, places, now)
    straw, straw_findings = load_straw(actor, places, today)
    flood, flood_findings = load_flood(actor, places, today)
    say(
        _(
            "  平安守护:集镇巡逻队 %(members)d 人,巡逻 %(kept)d 班、缺勤 %(missed)d 班;摄像机 %(cameras)d 台,"
            "报警立案 %(matters)d 件、并入 %(merged)d 条、待确认 %(pending)d 条;秸秆禁烧上报 %(straw)d 条,"
            "汛期巡查上报 %(flood)d 条(%(t).1f 秒)"
        )
        % {
            "members": members,
            "kept": kept,
            "missed": missed,
            "cameras": count,
            "matters": matters,
            "merged": merged,
            "pending": pending,
            "straw": straw,
            "flood": flood,
            "t": time.monotonic() - start,
        }
    )
    return True


def reference_now(today: dt.date) -> dt.datetime:
    """Now when `today` is the local date, else the evening of `today` (as `loader.reference_moment`)."""
    if today == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(dt.datetime.combine(today, dt.time(18, 0)))
