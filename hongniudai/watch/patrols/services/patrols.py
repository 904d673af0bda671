"""The writes of night patrols: teams and members, the rota, check-in and the log, incidents raised
as matters, and the job that flags missed shifts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, scope_for
from hongniudai.audit import services as audit
from hongniudai.common.text import check_lengths
from hongniudai.common.updates import model_update
from hongniudai.governance.interface import Category, Channel, report_matter
from hongniudai.party.models import Member
from hongniudai.places.models import AreaKind, AreaNode, Resident
from hongniudai.volunteers.interface import Volunteer

from .. import events
from ..models import (
    MemberKind,
    PatrolIncident,
    PatrolLog,
    PatrolMember,
    PatrolShift,
    PatrolTeam,
    ShiftStatus,
    Weather,
)
from ..policy import require
from .common import (
    EARLY_START,
    PATROL_CATEGORY,
    SHANGHAI,
    actor_or_none,
    category_or_default,
    clean_text,
    coordinates,
    is_under,
)

# ---- teams -------------------------------------------------------------------------------------


def _team_snapshot(team: PatrolTeam) -> audit.Snapshot:
    return audit.snapshot(team, ("area", *PatrolTeam.EDITABLE))


@transaction.atomic
def team_set_up(*, actor: User, area: AreaNode, name: str, note: str = "") -> PatrolTeam:
    """Set up a night patrol team of a town (the market town's team) or of a village."""
    require(actor, Capability.WATCH, area)
    name, note = clean_text(name), clean_text(note)
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
    data = {"name": clean_text(name), "is_active": bool(is_active), "note": clean_text(note)}
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
    name = clean_text(name)
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
        if grid.kind != AreaKind.GRID or not is_under(grid, team.area):
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
        shift=shift, defaults={"area_path": shift.area_path, "recorded_by": actor_or_none(actor)}
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
    la, ln = coordinates(lat, lng)
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
    la, ln = coordinates(lat, lng)
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
    route_notes = clean_text(route_notes)
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
    if place.kind not in (AreaKind.GRID, AreaKind.HAMLET) or not is_under(place, team.area):
        raise ValidationError({"place": _("发生地应为本队巡逻区域内的网格或湾组。")})
    la, ln = coordinates(lat, lng)
    matter = report_matter(
        actor=actor,
        category=category_or_default(PATROL_CATEGORY, category),
        title=clean_text(title),
        description=clean_text(description),
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
