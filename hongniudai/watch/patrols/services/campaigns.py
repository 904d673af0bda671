"""The writes of seasonal campaigns: setting one up, duties, points to watch, the daily report
(the zero-report included) and the reminder job."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import Role, RoleAssignment, User
from hongniudai.accounts.scope import Capability
from hongniudai.audit import services as audit
from hongniudai.common.text import check_lengths
from hongniudai.common.updates import model_update
from hongniudai.governance.interface import Category, Channel, report_matter
from hongniudai.notifications import services as notifications
from hongniudai.places.models import AreaKind, AreaNode

from .. import events
from ..models import (
    Campaign,
    CampaignDuty,
    CampaignFinding,
    CampaignGrid,
    CampaignKind,
    CampaignReminder,
    CampaignReport,
    PointKind,
    WatchPoint,
)
from ..policy import require
from .common import (
    CAMPAIGN_CATEGORY,
    SHANGHAI,
    actor_or_none,
    category_or_default,
    clean_text,
    coordinates,
    is_under,
)

# ---- campaigns ---------------------------------------------------------------------------------


def _campaign_checked(area: AreaNode, fields: Mapping[str, Any], areas: list[AreaNode]) -> dict[str, Any]:
    data = {
        "kind": fields.get("kind") or "",
        "name": clean_text(fields.get("name")),
        "starts_on": fields.get("starts_on"),
        "ends_on": fields.get("ends_on"),
        "deadline_hour": fields.get("deadline_hour", 18),
        "note": clean_text(fields.get("note")),
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
        if node.kind not in (AreaKind.VILLAGE, AreaKind.GRID) or not is_under(node, area):
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
    campaign = Campaign.objects.create(area=area, area_path=area.path, created_by=actor_or_none(actor), **data)
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
    person_name = clean_text(person_name) or (user.get_full_name() or user.username if user is not None else "")
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
    name, note = clean_text(name), clean_text(note)
    check_lengths(WatchPoint, {"name": name, "note": note})
    if kind not in PointKind.values:
        raise ValidationError({"kind": _("请选择点位类型。")})
    if not name:
        raise ValidationError({"name": _("请填写点位名称。")})
    la, ln = coordinates(lat, lng)
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


def _twice(grid: AreaNode, day: dt.date) -> ValidationError:
    return ValidationError(
        _("%(g)s %(d)s 已上报过,不能重复上报;如有新情况,请直接上报事项。") % {"g": grid.name, "d": day.isoformat()}
    )


def _check_report(
    campaign: Campaign,
    grid: AreaNode,
    day: dt.date,
    today: dt.date,
    *,
    nothing_found: bool,
    checked: str,
    findings: str,
) -> None:
    """Refuse a report of a grid the campaign does not cover, of a day outside its window or ahead
    of today, a zero-report with findings, or a report saying nothing."""
    check_lengths(CampaignReport, {"checked": checked, "findings": findings})
    _covered(campaign, grid)
    if day > today:
        raise ValidationError({"date": _("不能提前上报以后的日期。")})
    _in_window(campaign, day)
    if nothing_found and findings:
        raise ValidationError({"findings": _("选择“今日无情况”时不能填写发现问题。")})
    if not nothing_found and not findings and not checked:
        raise ValidationError({"checked": _("请填写巡查情况或发现问题,或点“今日无情况”。")})


def _raise_finding(
    actor: User, report: CampaignReport, category: Category | None, attributes: Mapping[str, Any] | None
) -> CampaignFinding:
    """The report's findings as a matter in its grid (channel 专项巡查), linked to the report."""
    campaign, grid = report.campaign, report.grid
    matter = report_matter(
        actor=actor,
        category=category_or_default(CAMPAIGN_CATEGORY.get(campaign.kind, "other"), category),
        title=f"{campaign.name}:{grid.name}",
        description=report.findings,
        channel=Channel.CAMPAIGN,
        place=grid,
        attributes=attributes,
    )
    return CampaignFinding.objects.create(report=report, matter=matter, area_path=grid.path)


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
    checked, findings = clean_text(checked), clean_text(findings)
    points = list(points_checked)
    _check_report(campaign, grid, day, today, nothing_found=nothing_found, checked=checked, findings=findings)
    if any(p.campaign_id != campaign.pk or p.grid_id != grid.pk for p in points):
        raise ValidationError({"points_checked": _("已查点位应为本网格的重点点位。")})
    if CampaignReport.objects.filter(campaign=campaign, grid=grid, date=day).exists():
        raise _twice(grid, day)
    try:
        with transaction.atomic():
            report = CampaignReport.objects.create(
                campaign=campaign,
                grid=grid,
                area_path=grid.path,
                date=day,
                reported_by=actor_or_none(actor),
                reported_at=now,
                on_time=now < deadline_of(campaign, day),
                nothing_found=bool(nothing_found),
                checked=checked,
                findings=findings,
            )
    except IntegrityError:  # the same report sent twice at once
        raise _twice(grid, day) from None
    report.points_checked.set(points)
    if findings:
        _raise_finding(actor, report, category, attributes)
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
