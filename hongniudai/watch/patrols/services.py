"""Every write of night patrols and seasonal campaigns. Writes need WATCH over the record's area;
each is atomic and writes one named audit event. An incident found on patrol and a campaign's
finding are raised as matters on the ladder through `governance.interface.report_matter`.

Decisions written down here (and in docs/watch.md):
- The market town (集镇) is the team whose area is the town itself; its route may pass through any
  grid of the town. A village's team patrols its own grids.
- One shift per team and night; generating a month's rota again adds only the nights missing.
- A shift nobody checked in to by its planned end is flagged missed by the periodic job, once.
- A second daily report for the same campaign, grid and day is refused with a Chinese message (a
  finding noticed later is raised as a matter directly): the first report, and its time, stand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import Role, RoleAssignment, User
from hongniudai.accounts.scope import Capability, scope_for
from hongniudai.audit import services as audit
from hongniudai.common.text import check_lengths
from hongniudai.common.tree import ancestor_ids
from hongniudai.common.updates import model_update
from hongniudai.governance.interface import Category, Channel, report_matter
from hongniudai.notifications import services as notifications
from hongniudai.party.models import Member
from hongniudai.places.models import AreaKind, AreaNode, Resident
from hongniudai.volunteers.interface import Volunteer

from . import events
from .models import (
    Campaign,
    CampaignDuty,
    CampaignFinding,
    CampaignGrid,
    CampaignKind,
    CampaignReminder,
    CampaignReport,
    MemberKind,
    PatrolIncident,
    PatrolLog,
    PatrolMember,
    PatrolShift,
    PatrolTeam,
    PointKind,
    ShiftStatus,
    WatchPoint,
    Weather,
)
from .policy import require

SHANGHAI = ZoneInfo("Asia/Shanghai")
# How early before its planned start a shift may be checked in to.
EARLY_START = dt.timedelta(hours=2)
# The category a patrol incident is raised in unless the patrol chooses one.
PATROL_CATEGORY = "public-security"
# The category a campaign's finding is raised in unless the grid worker chooses one.
CAMPAIGN_CATEGORY: dict[str, str] = {
    CampaignKind.STRAW_BURNING: "straw-burning",
    CampaignKind.FLOOD: "flood-patrol",
    CampaignKind.EPIDEMIC: "epidemic-control",
    CampaignKind.OTHER: "other",
}


def _text(value: str | None) -> str:
    return (value or "").strip()


def _actor(actor: User | None) -> User | None:
    return actor if actor is not None and getattr(actor, "pk", None) else None


def village_of(area: AreaNode) -> AreaNode | None:
    """The village `area` (a grid, a hamlet or the village) lies in."""
    if area.kind == AreaKind.VILLAGE:
        return area
    return AreaNode.objects.filter(pk__in=ancestor_ids(area.path), kind=AreaKind.VILLAGE).first()


def _under(node: AreaNode, top: AreaNode) -> bool:
    return node.path.startswith(top.path)


def _coordinates(lat: Any, lng: Any) -> tuple[Decimal | None, Decimal | None]:
    """A phone's position: both or neither, within the earth's bounds, six places."""
    if lat in (None, "") and lng in (None, ""):
        return None, None
    try:
        la, ln = Decimal(str(lat)), Decimal(str(lng))
    except (ArithmeticError, ValueError):
        raise ValidationError({"lat": _("位置坐标无效。")}) from None
    if not (la.is_finite() and ln.is_finite()) or not (-90 <= la <= 90 and -180 <= ln <= 180):
        raise ValidationError({"lat": _("位置坐标无效。")})
    q = Decimal("0.000001")
    return la.quantize(q), ln.quantize(q)


def _category(code: str, category: Category | None) -> Category:
    if category is not None:
        return category
    found = (
        Category.objects.filter(code=code, is_active=True).first()
        or Category.objects.filter(code="other", is_active=True).first()
    )
    if found is None:
        raise ValidationError({"category": _("请选择事项类别。")})
    return found


# ---- teams -------------------------------------------------------------------------------------


def _team_snapshot(team: PatrolTeam) -> audit.Snapshot:
    return audit.snapshot(team, ("area", *PatrolTeam.EDITABLE))


@transaction.atomic
def team_set_up(*, actor: User, area: AreaNode, name: str, note: str = "") -> PatrolTeam:
    """Set up a night patrol team of a town (the market town's team) or of a village."""
    require(actor, Capability.WATCH, area)
    name, note = _text(name), _text(note)
    check_lengths(PatrolTeam, {"name": name, "note": note})
    errors: dict[str, str] = {}
    if area.kind not in (AreaKind.TOWN, AreaKind.VILLAGE):
        errors["area"] = _("巡逻队应属于镇(集镇)或村。")
    if not name:
        errors["name"] = _("请填写队名。")
    elif PatrolTeam.objects.filter(area=area, name=name).exists():
        errors["name"] = _("“%(name)s”已有同名巡逻队。") % {"name": area.name}
    if errors:
        raise ValidationError(errors)
    team = PatrolTeam.objects.create(area=area, area_path=area.path, name=name, note=note)
    audit.record_create(
        actor=actor, action=events.TEAM_SET_UP, target=team, after=_team_snapshot(team), area_path=team.area_path
    )
    return team


@transaction.atomic
def team_update(*, actor: User, team: PatrolTeam, name: str, is_active: bool = True, note: str = "") -> PatrolTeam:
    require(actor, Capability.WATCH, team)
    data = {"name": _text(name), "is_active": bool(is_active), "note": _text(note)}
    check_lengths(PatrolTeam, {"name": data["name"], "note": data["note"]})
    if not data["name"]:
        raise ValidationError({"name": _("请填写队名。")})
    if PatrolTeam.objects.filter(area_id=team.area_id, name=data["name"]).exclude(pk=team.pk).exists():
        raise ValidationError({"name": _("已有同名巡逻队。")})
    before = _team_snapshot(team)
    model_update(team, fields=PatrolTeam.EDITABLE, data=data)
    audit.record_update(
        actor=actor,
        action=events.TEAM_UPDATED,
        target=team,
        before=before,
        after=_team_snapshot(team),
        area_path=team.area_path,
    )
    return team


@transaction.atomic
def member_add(
    *,
    actor: User,
    team: PatrolTeam,
    kind: str,
    party_member: Member | None = None,
    volunteer: Volunteer | None = None,
    resident: Resident | None = None,
    name: str = "",
    joined_on: dt.date | None = None,
) -> PatrolMember:
    """Add a party member, a militiaman (a resident, or a name) or a volunteer to a team."""
    require(actor, Capability.WATCH, team)
    seen = scope_for(actor)
    name = _text(name)
    if kind == MemberKind.PARTY_MEMBER:
        if party_member is None or not seen.covers(party_member):
            raise ValidationError({"party_member": _("请选择您范围内的一名党员。")})
        name, resident, volunteer = party_member.resident.name, party_member.resident, None
        if PatrolMember.objects.filter(team=team, party_member=party_member).exists():
            raise ValidationError({"party_member": _("%(name)s 已在本队。") % {"name": name}})
    elif kind == MemberKind.VOLUNTEER:
        if volunteer is None or not seen.covers(volunteer):
            raise ValidationError({"volunteer": _("请选择您范围内的一名志愿者。")})
        name, resident, party_member = volunteer.name, volunteer.resident, None
        if PatrolMember.objects.filter(team=team, volunteer=volunteer).exists():
            raise ValidationError({"volunteer": _("%(name)s 已在本队。") % {"name": name}})
    elif kind == MemberKind.MILITIA:
        party_member = volunteer = None
        if resident is not None:
            if not seen.covers(resident):
                raise ValidationError({"resident": _("请选择您范围内的一名居民。")})
            name = resident.name
        if not name:
            raise ValidationError({"name": _("请填写民兵姓名,或选择居民。")})
        check_lengths(PatrolMember, {"name": name})
    else:
        raise ValidationError({"kind": _("请选择队员身份(党员、民兵或志愿者)。")})
    member = PatrolMember.objects.create(
        team=team,
        area_path=team.area_path,
        kind=kind,
        party_member=party_member,
        volunteer=volunteer,
        resident=resident,
        name=name,
        joined_on=joined_on,
    )
    audit.record_create(
        actor=actor,
        action=events.MEMBER_ADDED,
        target=member,
        after=audit.snapshot(member, ("team", "kind", "name")),
        area_path=team.area_path,
    )
    return member


@transaction.atomic
def member_leave(*, actor: User, member: PatrolMember) -> PatrolMember:
    require(actor, Capability.WATCH, member)
    if member.is_active:
        member.is_active = False
        member.save(update_fields=["is_active"])
        audit.record(actor=actor, action=events.MEMBER_LEFT, target=member, area_path=member.area_path)
    return member


# ---- the rota ----------------------------------------------------------------------------------


def _route_checked(team: PatrolTeam, route: Iterable[AreaNode]) -> list[AreaNode]:
    grids = list(route)
    if not grids:
        raise ValidationError({"route": _("请选择巡逻路线经过的网格。")})
    for grid in grids:
        if grid.kind != AreaKind.GRID or not _under(grid, team.area):
            raise ValidationError(
                {"route": _("“%(g)s”不是本队巡逻区域(%(a)s)内的网格。") % {"g": grid.name, "a": team.area.name}}
            )
    return grids


def shift_window(day: dt.date, start: dt.time, hours: int) -> tuple[dt.datetime, dt.datetime]:
    """The planned start and end of a night shift starting `day` at `start` (Asia/Shanghai)."""
    starts = dt.datetime.combine(day, start, tzinfo=SHANGHAI)
    return starts, starts + dt.timedelta(hours=hours)


@transaction.atomic
def rota_generate(
    *,
    actor: User,
    team: PatrolTeam,
    month: dt.date,
    start: dt.time = dt.time(20, 0),
    hours: int = 4,
    route: Iterable[AreaNode],
    weekdays: Iterable[int] | None = None,
) -> list[PatrolShift]:
    """Plan the team's shifts for the month of `month`: every night (the market town's team) or the
    weekdays given (0 = Monday), from `start` for `hours` hours, along `route`. Nights already
    planned are left as they are; the shifts added are returned."""
    require(actor, Capability.WATCH, team)
    grids = _route_checked(team, route)
    if not 1 <= int(hours) <= 12:
        raise ValidationError({"hours": _("每班时长应在 1 到 12 小时之间。")})
    if not team.is_active:
        raise ValidationError(_("该巡逻队已停用,不能排班。"))
    days = set(range(7)) if weekdays is None else {int(d) for d in weekdays}
    if not days or not days <= set(range(7)):
        raise ValidationError({"weekdays": _("请选择巡逻的星期。")})
    first = month.replace(day=1)
    after = (first + dt.timedelta(days=32)).replace(day=1)
    taken = set(PatrolShift.objects.filter(team=team, date__gte=first, date__lt=after).values_list("date", flat=True))
    added: list[PatrolShift] = []
    day = first
    while day < after:
        if day.weekday() in days and day not in taken:
            starts, ends = shift_window(day, start, int(hours))
            shift = PatrolShift.objects.create(
                team=team, area_path=team.area_path, date=day, starts_at=starts, ends_at=ends
            )
            shift.route.set(grids)
            added.append(shift)
        day += dt.timedelta(days=1)
    audit.record(
        actor=actor,
        action=events.ROTA_GENERATED,
        target=team,
        changes={"month": [None, f"{first:%Y-%m}"], "shifts": [None, len(added)]},
        area_path=team.area_path,
    )
    return added


# ---- check-in and the log ----------------------------------------------------------------------


def _log_of(actor: User, shift: PatrolShift) -> PatrolLog:
    log, _created = PatrolLog.objects.get_or_create(
        shift=shift, defaults={"area_path": shift.area_path, "recorded_by": _actor(actor)}
    )
    return log


@transaction.atomic
def shift_start(
    *, actor: User, shift: PatrolShift, lat: Any = None, lng: Any = None, now: dt.datetime | None = None
) -> PatrolLog:
    """开始巡逻: the start check-in on a phone, its time and (optional) place."""
    require(actor, Capability.WATCH, shift)
    shift = PatrolShift.objects.select_for_update().get(pk=shift.pk)
    now = now or timezone.now()
    la, ln = _coordinates(lat, lng)
    if shift.status == ShiftStatus.MISSED:
        raise ValidationError(_("该班次已记为缺勤,不能再开始巡逻。"))
    if shift.status != ShiftStatus.PLANNED:
        raise ValidationError(_("该班次已开始巡逻。"))
    if now < shift.starts_at - EARLY_START:
        raise ValidationError(
            _("还未到巡逻时间(计划 %(t)s 开始)。") % {"t": f"{timezone.localtime(shift.starts_at):%m-%d %H:%M}"}
        )
    log = _log_of(actor, shift)
    log.started_at, log.start_lat, log.start_lng = now, la, ln
    log.save(update_fields=["started_at", "start_lat", "start_lng"])
    shift.status = ShiftStatus.ON_PATROL
    shift.save(update_fields=["status"])
    audit.record(actor=actor, action=events.SHIFT_STARTED, target=shift, area_path=shift.area_path)
    return log


@transaction.atomic
def shift_end(
    *, actor: User, shift: PatrolShift, lat: Any = None, lng: Any = None, now: dt.datetime | None = None
) -> PatrolLog:
    """结束巡逻: the end check-in; the shift is kept."""
    require(actor, Capability.WATCH, shift)
    shift = PatrolShift.objects.select_for_update().get(pk=shift.pk)
    now = now or timezone.now()
    la, ln = _coordinates(lat, lng)
    if shift.status != ShiftStatus.ON_PATROL:
        raise ValidationError(_("该班次已结束巡逻。") if shift.status == ShiftStatus.KEPT else _("请先点“开始巡逻”。"))
    log = shift.log
    log.ended_at, log.end_lat, log.end_lng = now, la, ln
    log.save(update_fields=["ended_at", "end_lat", "end_lng"])
    shift.status = ShiftStatus.KEPT
    shift.save(update_fields=["status"])
    audit.record(actor=actor, action=events.SHIFT_ENDED, target=shift, area_path=shift.area_path)
    return log


@transaction.atomic
def log_update(
    *,
    actor: User,
    shift: PatrolShift,
    present: Iterable[PatrolMember] = (),
    weather: str = "",
    route_notes: str = "",
) -> PatrolLog:
    """Who came, the weather and the route notes of a shift that has started."""
    require(actor, Capability.WATCH, shift)
    shift = PatrolShift.objects.select_related("team", "team__area").get(pk=shift.pk)
    if shift.status not in (ShiftStatus.ON_PATROL, ShiftStatus.KEPT):
        raise ValidationError(_("请先点“开始巡逻”,再填写巡逻日志。"))
    people = list(present)
    if any(p.team_id != shift.team_id for p in people):
        raise ValidationError({"present": _("到岗队员应为本队队员。")})
    if weather and weather not in Weather.values:
        raise ValidationError({"weather": _("请选择天气。")})
    route_notes = _text(route_notes)
    check_lengths(PatrolLog, {"route_notes": route_notes})
    log = shift.log
    before = audit.snapshot(log, PatrolLog.EDITABLE)
    before["present"] = sorted(log.present.values_list("name", flat=True))
    model_update(log, fields=PatrolLog.EDITABLE, data={"weather": weather, "route_notes": route_notes})
    log.present.set(people)
    after = audit.snapshot(log, PatrolLog.EDITABLE)
    after["present"] = sorted(p.name for p in people)
    audit.record_update(
        actor=actor, action=events.LOG_UPDATED, target=log, before=before, after=after, area_path=log.area_path
    )
    return log


@transaction.atomic
def incident_raise(
    *,
    actor: User,
    shift: PatrolShift,
    place: AreaNode,
    description: str,
    title: str = "",
    category: Category | None = None,
    attributes: Mapping[str, Any] | None = None,
    lat: Any = None,
    lng: Any = None,
) -> PatrolIncident:
    """An incident found on patrol, in one step: a matter in its grid (or hamlet) with the channel
    夜间巡逻, linked to the shift's log."""
    require(actor, Capability.WATCH, shift)
    shift = PatrolShift.objects.select_related("team", "team__area").get(pk=shift.pk)
    if shift.status not in (ShiftStatus.ON_PATROL, ShiftStatus.KEPT):
        raise ValidationError(_("请先点“开始巡逻”,再上报巡逻发现。"))
    team = shift.team
    if place.kind not in (AreaKind.GRID, AreaKind.HAMLET) or not _under(place, team.area):
        raise ValidationError({"place": _("发生地应为本队巡逻区域内的网格或湾组。")})
    la, ln = _coordinates(lat, lng)
    matter = report_matter(
        actor=actor,
        category=_category(PATROL_CATEGORY, category),
        title=_text(title),
        description=_text(description),
        channel=Channel.NIGHT_PATROL,
        place=place,
        lat=la,
        lon=ln,
        attributes=attributes,
    )
    incident = PatrolIncident.objects.create(log=_log_of(actor, shift), matter=matter, grid=place, area_path=place.path)
    audit.record(
        actor=actor,
        action=events.INCIDENT_RAISED,
        target=shift,
        changes={"matter": [None, matter.number]},
        area_path=shift.area_path,
    )
    return incident


def flag_missed_shifts(*, now: dt.datetime | None = None) -> int:
    """Run by huey: every shift nobody checked in to by its planned end is flagged missed (once: a
    flagged shift is no longer planned). Returns how many were flagged."""
    now = now or timezone.now()
    flagged = 0
    with transaction.atomic():
        for shift in PatrolShift.objects.select_for_update(skip_locked=True).filter(
            status=ShiftStatus.PLANNED, ends_at__lte=now
        ):
            shift.status, shift.missed_at = ShiftStatus.MISSED, now
            shift.save(update_fields=["status", "missed_at"])
            audit.record(actor=None, action=events.SHIFT_MISSED, target=shift, area_path=shift.area_path)
            flagged += 1
    return flagged


# ---- campaigns ---------------------------------------------------------------------------------


def _campaign_checked(area: AreaNode, fields: Mapping[str, Any], areas: list[AreaNode]) -> dict[str, Any]:
    data = {
        "kind": fields.get("kind") or "",
        "name": _text(fields.get("name")),
        "starts_on": fields.get("starts_on"),
        "ends_on": fields.get("ends_on"),
        "deadline_hour": fields.get("deadline_hour", 18),
        "note": _text(fields.get("note")),
    }
    check_lengths(Campaign, {"name": data["name"], "note": data["note"]})
    errors: dict[str, str] = {}
    if data["kind"] not in CampaignKind.values:
        errors["kind"] = _("请选择专项类型。")
    if not data["name"]:
        errors["name"] = _("请填写名称。")
    if data["starts_on"] is None:
        errors["starts_on"] = _("请填写开始日期。")
    if data["ends_on"] is None:
        errors["ends_on"] = _("请填写结束日期。")
    elif data["starts_on"] is not None and data["ends_on"] < data["starts_on"]:
        errors["ends_on"] = _("结束日期不能早于开始日期。")
    elif data["starts_on"] is not None and (data["ends_on"] - data["starts_on"]).days > 366:
        errors["ends_on"] = _("专项巡查的时间不能超过一年。")
    try:
        hour = int(data["deadline_hour"])
    except (TypeError, ValueError):
        hour = -1
    if not 1 <= hour <= 23:
        errors["deadline_hour"] = _("每日上报截止时间应为 1 到 23 点之间的整点。")
    data["deadline_hour"] = hour
    if not areas:
        errors["areas"] = _("请选择覆盖的村或网格。")
    for node in areas:
        if node.kind not in (AreaKind.VILLAGE, AreaKind.GRID) or not _under(node, area):
            errors["areas"] = _("“%(n)s”不是%(a)s范围内的村或网格。") % {"n": node.name, "a": area.name}
    if errors:
        raise ValidationError(errors)
    return data


def _sync_grids(campaign: Campaign, areas: list[AreaNode]) -> None:
    """Keep `CampaignGrid` the grids the campaign covers: each grid chosen, each grid of a village chosen."""
    grids: dict[int, AreaNode] = {}
    for node in areas:
        if node.kind == AreaKind.GRID:
            grids[node.pk] = node
        else:
            for grid in AreaNode.objects.filter(path__startswith=node.path, kind=AreaKind.GRID):
                grids[grid.pk] = grid
    CampaignGrid.objects.filter(campaign=campaign).exclude(grid_id__in=list(grids)).delete()
    have = set(CampaignGrid.objects.filter(campaign=campaign).values_list("grid_id", flat=True))
    CampaignGrid.objects.bulk_create(
        [
            CampaignGrid(campaign=campaign, grid=g, village_id=cast(int, g.parent_id), area_path=g.path)
            for g in grids.values()
            if g.pk not in have
        ]
    )
    campaign.areas.set(areas)


def _campaign_snapshot(campaign: Campaign) -> audit.Snapshot:
    after = audit.snapshot(campaign, ("area", *Campaign.EDITABLE))
    after["areas"] = sorted(campaign.areas.values_list("name", flat=True))
    return after


@transaction.atomic
def campaign_set_up(*, actor: User, area: AreaNode, areas: Iterable[AreaNode], **fields: Any) -> Campaign:
    """Set up a seasonal campaign of `area` (a town, a district or a village) covering `areas`
    (villages or grids under it): kind, name, window, deadline hour, requirements."""
    require(actor, Capability.WATCH, area)
    chosen = list(areas)
    if area.kind not in (AreaKind.TOWN, AreaKind.DISTRICT, AreaKind.VILLAGE):
        raise ValidationError({"area": _("专项巡查应由镇、片区或村部署。")})
    data = _campaign_checked(area, fields, chosen)
    campaign = Campaign.objects.create(area=area, area_path=area.path, created_by=_actor(actor), **data)
    _sync_grids(campaign, chosen)
    audit.record_create(
        actor=actor,
        action=events.CAMPAIGN_SET_UP,
        target=campaign,
        after=_campaign_snapshot(campaign),
        area_path=campaign.area_path,
    )
    return campaign


@transaction.atomic
def campaign_update(*, actor: User, campaign: Campaign, areas: Iterable[AreaNode], **fields: Any) -> Campaign:
    require(actor, Capability.WATCH, campaign)
    chosen = list(areas)
    data = _campaign_checked(campaign.area, fields, chosen)
    before = _campaign_snapshot(campaign)
    model_update(campaign, fields=Campaign.EDITABLE, data=data)
    _sync_grids(campaign, chosen)
    audit.record_update(
        actor=actor,
        action=events.CAMPAIGN_UPDATED,
        target=campaign,
        before=before,
        after=_campaign_snapshot(campaign),
        area_path=campaign.area_path,
    )
    return campaign


def _covered(campaign: Campaign, grid: AreaNode) -> None:
    if not CampaignGrid.objects.filter(campaign=campaign, grid=grid).exists():
        raise ValidationError({"grid": _("“%(g)s”不在本次专项巡查的覆盖范围内。") % {"g": grid.name}})


def _in_window(campaign: Campaign, day: dt.date, field: str = "date") -> None:
    if not campaign.starts_on <= day <= campaign.ends_on:
        raise ValidationError(
            {
                field: _("日期应在专项巡查期间(%(a)s 至 %(b)s)。")
                % {"a": campaign.starts_on.isoformat(), "b": campaign.ends_on.isoformat()}
            }
        )


@transaction.atomic
def duty_assign(
    *,
    actor: User,
    campaign: Campaign,
    date: dt.date,
    grid: AreaNode,
    user: User | None = None,
    person_name: str = "",
) -> CampaignDuty:
    """Put someone on duty for a grid on a day of the campaign (a user, or a named person)."""
    require(actor, Capability.WATCH, grid)
    _covered(campaign, grid)
    _in_window(campaign, date)
    person_name = _text(person_name) or (user.get_full_name() or user.username if user is not None else "")
    if not person_name:
        raise ValidationError({"person_name": _("请填写值班人员。")})
    check_lengths(CampaignDuty, {"person_name": person_name})
    duty = CampaignDuty.objects.create(
        campaign=campaign, date=date, grid=grid, area_path=grid.path, user=user, person_name=person_name
    )
    audit.record_create(
        actor=actor,
        action=events.DUTY_ASSIGNED,
        target=duty,
        after=audit.snapshot(duty, ("campaign", "date", "grid", "person_name")),
        area_path=duty.area_path,
    )
    return duty


@transaction.atomic
def point_add(
    *,
    actor: User,
    campaign: Campaign,
    grid: AreaNode,
    kind: str,
    name: str,
    lat: Any,
    lng: Any,
    note: str = "",
) -> WatchPoint:
    """A point to watch in a covered grid: a flood danger spot, a straw field …"""
    require(actor, Capability.WATCH, grid)
    _covered(campaign, grid)
    name, note = _text(name), _text(note)
    check_lengths(WatchPoint, {"name": name, "note": note})
    if kind not in PointKind.values:
        raise ValidationError({"kind": _("请选择点位类型。")})
    if not name:
        raise ValidationError({"name": _("请填写点位名称。")})
    la, ln = _coordinates(lat, lng)
    if la is None or ln is None:
        raise ValidationError({"lat": _("请填写点位的经纬度。")})
    point = WatchPoint.objects.create(
        campaign=campaign, grid=grid, area_path=grid.path, kind=kind, name=name, lat=la, lng=ln, note=note
    )
    audit.record_create(
        actor=actor,
        action=events.POINT_ADDED,
        target=point,
        after=audit.snapshot(point, ("campaign", "grid", "kind", "name", "lat", "lng")),
        area_path=point.area_path,
    )
    return point


def deadline_of(campaign: Campaign, day: dt.date) -> dt.datetime:
    """The moment a day's report is due: the campaign's deadline hour of that day, Asia/Shanghai."""
    return dt.datetime.combine(day, dt.time(campaign.deadline_hour), tzinfo=SHANGHAI)


@transaction.atomic
def report_make(
    *,
    actor: User,
    campaign: Campaign,
    grid: AreaNode,
    nothing_found: bool = False,
    checked: str = "",
    findings: str = "",
    points_checked: Iterable[WatchPoint] = (),
    date: dt.date | None = None,
    category: Category | None = None,
    attributes: Mapping[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> CampaignReport:
    """A grid's daily report (today unless `date`, an earlier day of the window, is given): the
    explicit zero-report 今日无情况 (`nothing_found`), or what was checked and what was found; a
    finding is raised as a matter in the grid (channel 专项巡查). One per grid and day: a second is
    refused. On time when made before the day's deadline hour (Asia/Shanghai)."""
    require(actor, Capability.WATCH, grid)
    now = now or timezone.now()
    today = timezone.localtime(now, SHANGHAI).date()
    day = date or today
    checked, findings = _text(checked), _text(findings)
    check_lengths(CampaignReport, {"checked": checked, "findings": findings})
    _covered(campaign, grid)
    if day > today:
        raise ValidationError({"date": _("不能提前上报以后的日期。")})
    _in_window(campaign, day)
    if nothing_found and findings:
        raise ValidationError({"findings": _("选择“今日无情况”时不能填写发现问题。")})
    if not nothing_found and not findings and not checked:
        raise ValidationError({"checked": _("请填写巡查情况或发现问题,或点“今日无情况”。")})
    points = list(points_checked)
    if any(p.campaign_id != campaign.pk or p.grid_id != grid.pk for p in points):
        raise ValidationError({"points_checked": _("已查点位应为本网格的重点点位。")})
    if CampaignReport.objects.filter(campaign=campaign, grid=grid, date=day).exists():
        raise ValidationError(
            _("%(g)s %(d)s 已上报过,不能重复上报;如有新情况,请直接上报事项。") % {"g": grid.name, "d": day.isoformat()}
        )
    try:
        with transaction.atomic():
            report = CampaignReport.objects.create(
                campaign=campaign,
                grid=grid,
                area_path=grid.path,
                date=day,
                reported_by=_actor(actor),
                reported_at=now,
                on_time=now < deadline_of(campaign, day),
                nothing_found=bool(nothing_found),
                checked=checked,
                findings=findings,
            )
    except IntegrityError:  # the same report sent twice at once
        raise ValidationError(
            _("%(g)s %(d)s 已上报过,不能重复上报;如有新情况,请直接上报事项。") % {"g": grid.name, "d": day.isoformat()}
        ) from None
    report.points_checked.set(points)
    if findings:
        matter = report_matter(
            actor=actor,
            category=_category(CAMPAIGN_CATEGORY.get(campaign.kind, "other"), category),
            title=f"{campaign.name}:{grid.name}",
            description=findings,
            channel=Channel.CAMPAIGN,
            place=grid,
            attributes=attributes,
        )
        CampaignFinding.objects.create(report=report, matter=matter, area_path=grid.path)
    audit.record_create(
        actor=actor,
        action=events.REPORT_MADE,
        target=report,
        after=audit.snapshot(report, ("campaign", "grid", "date", "nothing_found", "on_time", "findings")),
        area_path=report.area_path,
    )
    return report


def _grid_workers(grid_ids: set[int]) -> dict[int, list[User]]:
    people: dict[int, list[User]] = {}
    for a in RoleAssignment.objects.filter(
        role=Role.GRID_WORKER, area_id__in=grid_ids, user__is_active=True
    ).select_related("user"):
        if a.area_id is not None:
            people.setdefault(a.area_id, []).append(a.user)
    return people


def send_campaign_reminders(*, now: dt.datetime | None = None) -> int:
    """Run by huey every quarter hour: once a campaign's deadline hour has passed today, tell the
    grid workers (and the user on duty) of each grid that has not reported today — once per grid
    and day (a `CampaignReminder` row). Returns how many grids were reminded."""
    now = now or timezone.now()
    local = timezone.localtime(now, SHANGHAI)
    today = local.date()
    sent = 0
    for campaign in Campaign.objects.filter(starts_on__lte=today, ends_on__gte=today, deadline_hour__lte=local.hour):
        reported = CampaignReport.objects.filter(campaign=campaign, date=today).values("grid_id")
        reminded = CampaignReminder.objects.filter(campaign=campaign, date=today).values("grid_id")
        late = list(
            CampaignGrid.objects.filter(campaign=campaign)
            .exclude(grid_id__in=reported)
            .exclude(grid_id__in=reminded)
            .select_related("grid")
        )
        if not late:
            continue
        workers = _grid_workers({g.grid_id for g in late})
        on_duty: dict[int, list[User]] = {}
        for duty in CampaignDuty.objects.filter(campaign=campaign, date=today, user__isnull=False).select_related(
            "user"
        ):
            on_duty.setdefault(duty.grid_id, []).append(duty.user)  # type: ignore[arg-type]
        url = reverse("patrols:campaign_today", args=[campaign.pk])
        for row in late:
            with transaction.atomic():
                _reminder, created = CampaignReminder.objects.get_or_create(
                    campaign=campaign, grid_id=row.grid_id, date=today
                )
                if not created:
                    continue
                message = _(
                    "%(c)s:%(g)s 今日(%(d)s)尚未上报,截止时间 %(h)d:00 已过,请尽快上报(无情况也请点“今日无情况”)。"
                ) % {
                    "c": campaign.name,
                    "g": row.grid.name,
                    "d": today.isoformat(),
                    "h": campaign.deadline_hour,
                }
                notifications.notify(
                    people=[*workers.get(row.grid_id, []), *on_duty.get(row.grid_id, [])],
                    message=message,
                    url=url,
                    target=campaign,
                )
            sent += 1
    return sent
