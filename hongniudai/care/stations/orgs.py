"""Every write of the mass organisations (群团组织: 工会, 共青团, 妇联): setting one up at town or
village level, recording the activities it takes down to villages (who took part, photos). Writes
need SERVICES over the organisation's area (an activity's: over where it was held)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, scope_for
from hongniudai.audit import services as audit
from hongniudai.common import uploads
from hongniudai.common.text import check_lengths
from hongniudai.common.updates import model_update
from hongniudai.places.models import AreaKind, AreaNode, Resident

from . import events
from .models import ActivityPhoto, MassActivity, MassOrg, MassOrgKind, ServiceStation
from .policy import require
from .services import text_of

MAX_PARTICIPANTS = 100_000


def _org_snapshot(org: MassOrg) -> audit.Snapshot:
    return audit.snapshot(org, ("kind", "area", *MassOrg.EDITABLE))


@transaction.atomic
def org_create(*, actor: User, kind: str, area: AreaNode, name: str, leader: str = "", note: str = "") -> MassOrg:
    """Set up a mass organisation of `kind` at the town or in a village (one of each kind per area)."""
    if area.kind not in (AreaKind.TOWN, AreaKind.VILLAGE):
        raise ValidationError({"area": _("群团组织设在镇或村(社区)。")})
    require(actor, Capability.SERVICES, area)
    name, leader, note = text_of(name), text_of(leader), text_of(note)
    check_lengths(MassOrg, {"name": name, "leader": leader, "note": note})
    errors: dict[str, str] = {}
    if kind not in MassOrgKind.values:
        errors["kind"] = _("请选择工会、共青团或妇联。")
    if not name:
        errors["name"] = _("请填写组织名称。")
    if errors:
        raise ValidationError(errors)
    if MassOrg.objects.filter(kind=kind, area=area).exists():
        raise ValidationError(
            {"kind": _("%(area)s 已登记%(kind)s组织。") % {"area": area.name, "kind": MassOrgKind(kind).label}}
        )
    org = MassOrg.objects.create(kind=kind, area=area, area_path=area.path, name=name, leader=leader, note=note)
    audit.record_create(
        actor=actor, action=events.ORG_CREATED, target=org, after=_org_snapshot(org), area_path=org.area_path
    )
    return org


@transaction.atomic
def org_update(*, actor: User, org: MassOrg, name: str, leader: str = "", note: str = "") -> MassOrg:
    require(actor, Capability.SERVICES, org)
    data = {"name": text_of(name), "leader": text_of(leader), "note": text_of(note)}
    check_lengths(MassOrg, data)
    if not data["name"]:
        raise ValidationError({"name": _("请填写组织名称。")})
    before = _org_snapshot(org)
    model_update(org, fields=MassOrg.EDITABLE, data=data)
    audit.record_update(
        actor=actor,
        action=events.ORG_UPDATED,
        target=org,
        before=before,
        after=_org_snapshot(org),
        area_path=org.area_path,
    )
    return org


def _checked_activity(actor: User, org: MassOrg, fields: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "held_on": fields.get("held_on"),
        "place": text_of(fields.get("place")),
        "station": fields.get("station"),
        "title": text_of(fields.get("title")),
        "description": text_of(fields.get("description")),
        "participant_count": fields.get("participant_count") or 0,
    }
    check_lengths(MassActivity, {k: data[k] for k in ("place", "title", "description")})
    errors: dict[str, str] = {}
    if not data["title"]:
        errors["title"] = _("请填写活动名称。")
    held_on = data["held_on"]
    if not isinstance(held_on, dt.date):
        errors["held_on"] = _("请填写活动日期。")
    elif held_on > timezone.localdate():
        errors["held_on"] = _("活动日期不能晚于今天。")
    count = data["participant_count"]
    if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= MAX_PARTICIPANTS:
        errors["participant_count"] = _("参加人数应为 0 至 %(n)d 之间的整数。") % {"n": MAX_PARTICIPANTS}
    station: ServiceStation | None = data["station"]
    if station is not None and not station.area_path.startswith(org.area_path):
        errors["station"] = _("所选服务站不在该组织的范围之内。")
    if errors:
        raise ValidationError(errors)
    return data


def _where(org: MassOrg, station: ServiceStation | None) -> tuple[int | None, str]:
    """(village id, area path) of an activity: the station's village, else the organisation's."""
    if station is not None:
        return station.village_id, station.area_path
    if org.area.kind == AreaKind.VILLAGE:
        return org.area_id, org.area_path
    return None, org.area_path


def _checked_participants(
    actor: User, where: str, participants: Iterable[Resident], count: int
) -> tuple[list[Resident], int]:
    chosen = list(dict.fromkeys(participants))
    if any(not scope_for(actor).covers(r) for r in chosen):
        raise ValidationError({"participants": _("所选参加居民不在您的权限范围之内。")})
    return chosen, max(count, len(chosen))


def _activity_snapshot(activity: MassActivity) -> audit.Snapshot:
    snap = audit.snapshot(activity, ("org", *MassActivity.EDITABLE))
    snap["participants"] = sorted(activity.participants.values_list("pk", flat=True))
    return snap


@transaction.atomic
def activity_record(*, actor: User, org: MassOrg, participants: Iterable[Resident] = (), **fields: Any) -> MassActivity:
    """Record an activity of `org`: held on a day, at a place (and a station), with a count of
    participants (at least those named)."""
    data = _checked_activity(actor, org, fields)
    village_id, area_path = _where(org, data["station"])
    require(actor, Capability.SERVICES, data["station"] or org)
    chosen, data["participant_count"] = _checked_participants(actor, area_path, participants, data["participant_count"])
    activity = MassActivity.objects.create(
        org=org, village_id=village_id, area_path=area_path, recorded_by=actor if actor.pk else None, **data
    )
    activity.participants.set(chosen)
    audit.record_create(
        actor=actor,
        action=events.ACTIVITY_RECORDED,
        target=activity,
        after=_activity_snapshot(activity),
        area_path=activity.area_path,
    )
    return activity


@transaction.atomic
def activity_update(
    *, actor: User, activity: MassActivity, participants: Iterable[Resident] | None = None, **fields: Any
) -> MassActivity:
    require(actor, Capability.SERVICES, activity)
    data = _checked_activity(actor, activity.org, fields)
    village_id, area_path = _where(activity.org, data["station"])
    if data["station"] is not None:
        require(actor, Capability.SERVICES, data["station"])
    chosen = list(activity.participants.all()) if participants is None else list(participants)
    chosen, data["participant_count"] = _checked_participants(actor, area_path, chosen, data["participant_count"])
    before = _activity_snapshot(activity)
    model_update(
        activity,
        fields=(*MassActivity.EDITABLE, "village_id", "area_path"),
        data={**data, "village_id": village_id, "area_path": area_path},
    )
    activity.participants.set(chosen)
    audit.record_update(
        actor=actor,
        action=events.ACTIVITY_UPDATED,
        target=activity,
        before=before,
        after=_activity_snapshot(activity),
        area_path=activity.area_path,
    )
    return activity


def check_photo(upload: UploadedFile) -> tuple[str, str]:
    """(extension, content type) of an acceptable photo, up to the matters' attachment limit."""
    ext, content_type = uploads.check_upload(upload, limit=settings.MATTER_ATTACHMENT_MAX_BYTES)
    if not content_type.startswith("image/"):
        raise ValidationError({"file": _("只接受照片(jpg、png、gif、webp)。")})
    return ext, content_type


@transaction.atomic
def activity_add_photo(*, actor: User, activity: MassActivity, upload: UploadedFile) -> ActivityPhoto:
    """Keep a photo of an activity under a random name with its sha256."""
    require(actor, Capability.SERVICES, activity)
    ext, content_type = check_photo(upload)
    original, sha256 = uploads.anonymise(upload, ext)
    photo = ActivityPhoto.objects.create(
        activity=activity,
        file=upload,
        original_name=original,
        content_type=content_type,
        size=upload.size or 0,
        sha256=sha256,
        uploaded_by=actor if actor.pk else None,
    )
    audit.record(
        actor=actor,
        action=events.PHOTO_ADDED,
        target=photo,
        changes={"file": [None, original]},
        area_path=activity.area_path,
    )
    return photo
