"""Every write of the service stations: the town's catalogue and its time limits, the stations and
their staff, the requests (received, steps, closed, rated, turned into a matter). Writes need
SERVICES over the record's area (the catalogue: over the town); each is atomic and writes one named
audit event. The mass organisations' writes are in `orgs.py`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, scope_for
from hongniudai.audit import services as audit
from hongniudai.common.identity import normalize_phone
from hongniudai.common.text import check_lengths
from hongniudai.common.tree import ancestor_ids
from hongniudai.common.updates import model_update
from hongniudai.governance.interface import Category, Channel, Matter, add_working_days, report_matter
from hongniudai.places.models import AreaKind, AreaNode, Resident

from . import events
from .models import (
    OPEN_STATUSES,
    REQUEST_FIELDS,
    RequestChannel,
    RequestOutcome,
    RequestStatus,
    RequestStep,
    Satisfaction,
    ServiceItem,
    ServiceItemLimit,
    ServiceRequest,
    ServiceStation,
    StationStaff,
    StepKind,
)
from .policy import require

MAX_LIMIT_DAYS = 60


def text_of(value: str | None) -> str:
    return (value or "").strip()


def _by(actor: User) -> User | None:
    return actor if getattr(actor, "pk", None) else None


def village_of(area: AreaNode) -> AreaNode | None:
    """The village (or community) `area` lies in, itself if it is one."""
    if area.kind == AreaKind.VILLAGE:
        return area
    return AreaNode.objects.filter(pk__in=ancestor_ids(area.path), kind=AreaKind.VILLAGE).first()


# ---- the catalogue ----------------------------------------------------------------------------


def _checked_item(data: Mapping[str, Any]) -> dict[str, Any]:
    out = {
        "name": text_of(data.get("name")),
        "description": text_of(data.get("description")),
        "is_active": bool(data.get("is_active", True)),
        "sort_order": int(data.get("sort_order") or 0),
    }
    check_lengths(ServiceItem, {"name": out["name"], "description": out["description"]})
    if not out["name"]:
        raise ValidationError({"name": _("请填写服务事项名称。")})
    return out


def _checked_days(days: Any) -> int:
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_LIMIT_DAYS:
        raise ValidationError({"time_limit": _("办理时限应为 1 至 %(n)d 个工作日。") % {"n": MAX_LIMIT_DAYS}})
    return days


def _item_snapshot(item: ServiceItem) -> audit.Snapshot:
    return audit.snapshot(item, ("name", "description", "time_limit", "is_active", "sort_order"))


@transaction.atomic
def item_create(
    *,
    actor: User,
    town: AreaNode,
    name: str,
    time_limit: int,
    description: str = "",
    is_active: bool = True,
    sort_order: int = 0,
    valid_from: dt.date | None = None,
    basis: str = "",
) -> ServiceItem:
    """Add a service to the town's catalogue with its time limit, in force from `valid_from` (today)."""
    if town.kind != AreaKind.TOWN:
        raise ValidationError({"town": _("服务事项目录由镇统一维护。")})
    require(actor, Capability.SERVICES, town)
    data = _checked_item({"name": name, "description": description, "is_active": is_active, "sort_order": sort_order})
    days = _checked_days(time_limit)
    if ServiceItem.objects.filter(area=town, name=data["name"]).exists():
        raise ValidationError({"name": _("目录中已有服务事项“%(name)s”。") % {"name": data["name"]}})
    item = ServiceItem.objects.create(area=town, area_path=town.path, time_limit=days, **data)
    ServiceItemLimit.objects.create(
        item=item,
        days=days,
        valid_from=valid_from or timezone.localdate(),
        basis=text_of(basis)[:200],
        set_by=_by(actor),
    )
    audit.record_create(
        actor=actor, action=events.ITEM_CREATED, target=item, after=_item_snapshot(item), area_path=item.area_path
    )
    return item


@transaction.atomic
def item_update(
    *, actor: User, item: ServiceItem, name: str, description: str = "", is_active: bool = True, sort_order: int = 0
) -> ServiceItem:
    require(actor, Capability.SERVICES, item)
    data = _checked_item({"name": name, "description": description, "is_active": is_active, "sort_order": sort_order})
    if ServiceItem.objects.filter(area_id=item.area_id, name=data["name"]).exclude(pk=item.pk).exists():
        raise ValidationError({"name": _("目录中已有服务事项“%(name)s”。") % {"name": data["name"]}})
    before = _item_snapshot(item)
    model_update(item, fields=ServiceItem.EDITABLE, data=data)
    audit.record_update(
        actor=actor,
        action=events.ITEM_UPDATED,
        target=item,
        before=before,
        after=_item_snapshot(item),
        area_path=item.area_path,
    )
    return item


@transaction.atomic
def item_set_limit(
    *, actor: User, item: ServiceItem, days: int, valid_from: dt.date | None = None, basis: str = ""
) -> ServiceItemLimit:
    """Change an item's time limit from `valid_from` (today, not earlier than the limit now in
    force began): the old limit is kept, ending the day before. Requests already received keep
    their deadlines; a request recorded later for a day before `valid_from` takes the old limit."""
    require(actor, Capability.SERVICES, item)
    days = _checked_days(days)
    start = valid_from or timezone.localdate()
    ServiceItem.objects.select_for_update().filter(pk=item.pk).first()
    current = item.limits.filter(valid_until__isnull=True).order_by("-valid_from").first()
    if current is not None:
        if start <= current.valid_from:
            raise ValidationError(
                {"valid_from": _("新时限的起始日期应晚于现行时限的起始日期(%(d)s)。") % {"d": current.valid_from}}
            )
        current.valid_until = start
        current.save(update_fields=["valid_until"])
    limit = ServiceItemLimit.objects.create(
        item=item, days=days, valid_from=start, basis=text_of(basis)[:200], set_by=_by(actor)
    )
    before = _item_snapshot(item)
    if start <= timezone.localdate():
        model_update(item, fields=("time_limit",), data={"time_limit": days})
    audit.record(
        actor=actor,
        action=events.ITEM_LIMIT_SET,
        target=item,
        changes={"time_limit": [before["time_limit"], days], "valid_from": [None, start.isoformat()]},
        area_path=item.area_path,
    )
    return limit


def limit_on(item: ServiceItem, day: dt.date) -> int:
    """The item's time limit in force on `day` (the earliest kept limit for a day before them all)."""
    row = (
        item.limits.filter(Q(valid_until__isnull=True) | Q(valid_until__gt=day), valid_from__lte=day)
        .order_by("-valid_from")
        .values_list("days", flat=True)
        .first()
    )
    if row is None:
        row = item.limits.order_by("valid_from").values_list("days", flat=True).first()
    return int(row if row is not None else item.time_limit)


# ---- stations ---------------------------------------------------------------------------------


def _checked_station(data: Mapping[str, Any]) -> dict[str, Any]:
    out = {name: text_of(data.get(name)) for name in ServiceStation.EDITABLE}
    check_lengths(ServiceStation, out)
    errors: dict[str, str] = {}
    if not out["name"]:
        errors["name"] = _("请填写服务站名称。")
    if out["phone"]:
        try:
            out["phone"] = normalize_phone(out["phone"])
        except ValidationError as exc:
            errors["phone"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    return out


def _checked_items(station_town_path: str, items: Iterable[ServiceItem]) -> list[ServiceItem]:
    chosen = list(items)
    if any(not station_town_path.startswith(i.area_path) for i in chosen):
        raise ValidationError({"items": _("只能选择本镇服务事项目录中的事项。")})
    return chosen


def _station_snapshot(station: ServiceStation) -> audit.Snapshot:
    snap = audit.snapshot(station, ("village", *ServiceStation.EDITABLE))
    snap["items"] = sorted(station.items.values_list("name", flat=True))
    return snap


@transaction.atomic
def station_create(
    *, actor: User, village: AreaNode, items: Iterable[ServiceItem] = (), **fields: Any
) -> ServiceStation:
    """Set up the service station of `village` (a village or community; one each)."""
    if village.kind != AreaKind.VILLAGE:
        raise ValidationError({"village": _("服务站应设在村或社区。")})
    require(actor, Capability.SERVICES, village)
    data = _checked_station(fields)
    chosen = _checked_items(village.path, items)
    AreaNode.objects.select_for_update().filter(pk=village.pk).first()
    if ServiceStation.objects.filter(village=village).exists():
        raise ValidationError({"village": _("%(name)s 已设立便民服务站。") % {"name": village.name}})
    station = ServiceStation.objects.create(village=village, area_path=village.path, **data)
    station.items.set(chosen)
    audit.record_create(
        actor=actor,
        action=events.STATION_CREATED,
        target=station,
        after=_station_snapshot(station),
        area_path=station.area_path,
    )
    return station


@transaction.atomic
def station_update(
    *, actor: User, station: ServiceStation, items: Iterable[ServiceItem] | None = None, **fields: Any
) -> ServiceStation:
    require(actor, Capability.SERVICES, station)
    data = _checked_station(fields)
    before = _station_snapshot(station)
    model_update(station, fields=ServiceStation.EDITABLE, data=data)
    if items is not None:
        station.items.set(_checked_items(station.area_path, items))
    audit.record_update(
        actor=actor,
        action=events.STATION_UPDATED,
        target=station,
        before=before,
        after=_station_snapshot(station),
        area_path=station.area_path,
    )
    return station


@transaction.atomic
def staff_add(
    *, actor: User, station: ServiceStation, name: str = "", phone: str = "", duty: str = "", user: User | None = None
) -> StationStaff:
    """Add someone to a station's staff: a user of the platform (their name by default) or a named person."""
    require(actor, Capability.SERVICES, station)
    name = text_of(name) or (text_of(user.display_name or user.username) if user is not None else "")
    duty = text_of(duty)
    check_lengths(StationStaff, {"name": name, "duty": duty})
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("请填写姓名,或选择平台用户。")
    try:
        phone = normalize_phone(phone or "")
    except ValidationError as exc:
        errors["phone"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    staff = StationStaff.objects.create(station=station, user=user, name=name, phone=phone, duty=duty)
    audit.record_create(
        actor=actor,
        action=events.STAFF_ADDED,
        target=staff,
        after=audit.snapshot(staff, ("station", "user", "name", "duty")),
        area_path=station.area_path,
    )
    return staff


@transaction.atomic
def staff_remove(*, actor: User, staff: StationStaff) -> None:
    require(actor, Capability.SERVICES, staff.station)
    audit.record_delete(
        actor=actor,
        action=events.STAFF_REMOVED,
        target=staff,
        before=audit.snapshot(staff, ("station", "user", "name", "duty")),
        area_path=staff.station.area_path,
    )
    staff.delete()


# ---- requests ---------------------------------------------------------------------------------


def _request_snapshot(request: ServiceRequest) -> audit.Snapshot:
    return audit.snapshot(request, REQUEST_FIELDS)


def _step(
    request: ServiceRequest, kind: str, actor: User | None, note: str = "", at: dt.datetime | None = None
) -> None:
    RequestStep.objects.create(request=request, kind=kind, note=note, actor=actor, at=at or timezone.now())


def _check_handler(handler: User | None, area_path: str, errors: dict[str, str]) -> None:
    """A handler must be active and record resident services where the request was made."""
    if handler is not None and not (
        handler.is_active and scope_for(handler, Capability.SERVICES).covers_path(area_path=area_path)
    ):
        errors["handler"] = _("所选经办人不能办理该服务申请。")


def _check_person(
    station: ServiceStation, resident: Resident | None, name: str, phone: str, errors: dict[str, str]
) -> tuple[str, str, str]:
    """Where a request is made and who asks, as (area path, name, phone): a resident of the station's
    village (their hamlet; no name or phone of its own), else someone named, the phone normalised."""
    if resident is not None:
        hamlet = resident.household.hamlet
        if not hamlet.path.startswith(station.area_path):
            raise ValidationError({"resident": _("所选居民不属于该服务站所在的村(社区)。")})
        return hamlet.path, "", ""
    if not name:
        errors["person_name"] = _("请选择居民,或填写未登记群众的姓名。")
    try:
        phone = normalize_phone(phone or "")
    except ValidationError as exc:
        errors["person_phone"] = exc.messages[0]
    return station.area_path, name, phone


@transaction.atomic
def request_receive(
    *,
    actor: User,
    station: ServiceStation,
    item: ServiceItem,
    channel: str,
    resident: Resident | None = None,
    person_name: str = "",
    person_phone: str = "",
    home_service: bool = False,
    description: str = "",
    handler: User | None = None,
    received_at: dt.datetime | None = None,
) -> ServiceRequest:
    """Receive a request at `station`: from a resident of its village, or from someone not registered
    (name and phone). Its deadline is the end of the working day `limit` working days after it was
    received, `limit` being the item's time limit in force that day."""
    now = timezone.now()
    received = received_at or now
    person_name, description = text_of(person_name), text_of(description)
    check_lengths(ServiceRequest, {"person_name": person_name, "description": description})
    errors: dict[str, str] = {}
    area_path, person_name, person_phone = _check_person(station, resident, person_name, person_phone, errors)
    require(actor, Capability.SERVICES, resident if resident is not None else station)
    if channel not in RequestChannel.values:
        errors["channel"] = _("请选择受理渠道。")
    if not item.is_active or not station.items.filter(pk=item.pk).exists():
        errors["item"] = _("该服务站不提供此服务事项。")
    if received > now + dt.timedelta(minutes=5):
        errors["received_at"] = _("受理时间不能晚于现在。")
    _check_handler(handler, area_path, errors)
    if errors:
        raise ValidationError(errors)
    days = limit_on(item, timezone.localtime(received).date())
    request = ServiceRequest.objects.create(
        station=station,
        village_id=station.village_id,
        area_path=area_path,
        resident=resident,
        person_name=person_name,
        person_phone=person_phone,
        item=item,
        channel=channel,
        home_service=bool(home_service),
        description=description,
        handler=handler or _by(actor),
        received_at=received,
        limit_days=days,
        deadline=add_working_days(received, days),
        recorded_by=_by(actor),
    )
    _step(request, StepKind.ACCEPTED, _by(actor), description, at=received)
    audit.record_create(
        actor=actor,
        action=events.REQUEST_RECEIVED,
        target=request,
        after=_request_snapshot(request),
        area_path=request.area_path,
    )
    return request


def _locked_open(request: ServiceRequest) -> ServiceRequest:
    locked = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status not in OPEN_STATUSES:
        raise ValidationError(_("该服务申请已办结。"))
    return locked


@transaction.atomic
def request_add_step(
    *, actor: User, request: ServiceRequest, kind: str, note: str = "", handler: User | None = None
) -> ServiceRequest:
    """A step of an open request: in progress (the handler may change) or a note."""
    require(actor, Capability.SERVICES, request)
    note = text_of(note)
    check_lengths(RequestStep, {"note": note})
    if kind not in (StepKind.IN_PROGRESS, StepKind.NOTE):
        raise ValidationError({"kind": _("请选择“办理”或“备注”。")})
    if kind == StepKind.NOTE and not note:
        raise ValidationError({"note": _("请填写备注内容。")})
    locked = _locked_open(request)
    errors: dict[str, str] = {}
    _check_handler(handler, locked.area_path, errors)
    if errors:
        raise ValidationError(errors)
    before = _request_snapshot(locked)
    changes: dict[str, Any] = {}
    if kind == StepKind.IN_PROGRESS:
        changes["status"] = RequestStatus.IN_PROGRESS
    if handler is not None:
        changes["handler"] = handler
    if changes:
        model_update(locked, fields=tuple(changes), data=changes)
    _step(locked, kind, _by(actor), note)
    audit.record(
        actor=actor,
        action=events.REQUEST_STEP,
        target=locked,
        changes=audit.diff(before, _request_snapshot(locked)) or {"step": [None, kind]},
        note=note[:255],
        area_path=locked.area_path,
    )
    return locked


@transaction.atomic
def request_complete(
    *, actor: User, request: ServiceRequest, outcome: str, note: str = "", completed_at: dt.datetime | None = None
) -> ServiceRequest:
    """Close an open request: done, refused (with the reason) or referred elsewhere."""
    require(actor, Capability.SERVICES, request)
    note = text_of(note)
    check_lengths(ServiceRequest, {"outcome_note": note})
    if outcome not in RequestOutcome.values:
        raise ValidationError({"outcome": _("请选择办理结果。")})
    if outcome == RequestOutcome.REFUSED and not note:
        raise ValidationError({"note": _("不予办理的,请写明理由。")})
    if outcome == RequestOutcome.REFERRED and not note:
        raise ValidationError({"note": _("转办的,请写明转往何处。")})
    locked = _locked_open(request)
    now = timezone.now()
    at = completed_at or now
    if at > now + dt.timedelta(minutes=5) or at < locked.received_at:
        raise ValidationError({"completed_at": _("办结时间应在受理时间之后、现在之前。")})
    before = _request_snapshot(locked)
    model_update(
        locked,
        fields=("status", "outcome", "outcome_note", "completed_at"),
        data={"status": RequestStatus.CLOSED, "outcome": outcome, "outcome_note": note, "completed_at": at},
    )
    _step(locked, outcome, _by(actor), note, at=at)
    audit.record_update(
        actor=actor,
        action=events.REQUEST_CLOSED,
        target=locked,
        before=before,
        after=_request_snapshot(locked),
        area_path=locked.area_path,
    )
    return locked


@transaction.atomic
def request_rate(*, actor: User, request: ServiceRequest, satisfaction: str, note: str = "") -> ServiceRequest:
    """Record the resident's satisfaction with a closed request (once it is closed, and once)."""
    require(actor, Capability.SERVICES, request)
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("请选择满意、基本满意或不满意。")})
    locked = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status in OPEN_STATUSES:
        raise ValidationError({"satisfaction": _("服务办结后才能登记满意度。")})
    if locked.satisfaction:
        raise ValidationError({"satisfaction": _("该服务申请已登记满意度。")})
    note = text_of(note)
    check_lengths(RequestStep, {"note": note})
    before = _request_snapshot(locked)
    model_update(locked, fields=("satisfaction",), data={"satisfaction": satisfaction})
    label = Satisfaction(satisfaction).label
    _step(locked, StepKind.RATED, _by(actor), f"{label} {note}".strip())
    audit.record_update(
        actor=actor,
        action=events.REQUEST_RATED,
        target=locked,
        before=before,
        after=_request_snapshot(locked),
        area_path=locked.area_path,
    )
    return locked


@transaction.atomic
def request_to_matter(
    *,
    actor: User,
    request: ServiceRequest,
    category: Category,
    description: str,
    title: str = "",
    place: AreaNode | None = None,
    attributes: Mapping[str, Any] | None = None,
) -> Matter:
    """Turn a request that proved a dispute or a hazard into a matter on the ladder, in the
    resident's hamlet (for someone not registered: `place`, a hamlet of the station's village),
    channel 便民服务站. The request keeps the matter and closes as referred."""
    require(actor, Capability.SERVICES, request)
    locked = _locked_open(request)
    if locked.matter_id:
        raise ValidationError(_("该服务申请已转为事项。"))
    if locked.resident_id:
        assert locked.resident is not None
        hamlet = locked.resident.household.hamlet
    else:
        if place is None or place.kind != AreaKind.HAMLET or not place.path.startswith(locked.station.area_path):
            raise ValidationError({"place": _("请选择服务站所在村(社区)的湾组作为发生地。")})
        hamlet = place
    name = locked.resident.name if locked.resident_id and locked.resident else locked.person_name
    matter = report_matter(
        actor=actor,
        category=category,
        title=text_of(title) or text_of(description)[:30],
        description=text_of(description),
        channel=Channel.SERVICE_STATION,
        place=hamlet,
        reporter_name=name,
        parties=[locked.resident] if locked.resident else [],
        attributes=attributes,
    )
    before = _request_snapshot(locked)
    now = timezone.now()
    note = _("转为事项 %(number)s") % {"number": matter.number}
    model_update(
        locked,
        fields=("matter", "status", "outcome", "outcome_note", "completed_at"),
        data={
            "matter": matter,
            "status": RequestStatus.CLOSED,
            "outcome": RequestOutcome.REFERRED,
            "outcome_note": note,
            "completed_at": now,
        },
    )
    _step(locked, StepKind.TO_MATTER, _by(actor), note, at=now)
    audit.record_update(
        actor=actor,
        action=events.REQUEST_TO_MATTER,
        target=locked,
        before=before,
        after=_request_snapshot(locked),
        area_path=locked.area_path,
    )
    return matter
