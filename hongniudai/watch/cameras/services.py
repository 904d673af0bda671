"""Every write of the camera net: registering and changing a camera, revealing its stream address
(audited), the platforms' keys (issued, registered, revoked by a town administrator), the town's
table of alert kinds, and what an alert becomes — a new matter in the camera's grid, a note on the
open matter it repeats, or a pending alert a grid worker confirms or dismisses. Each write is
atomic and writes one named audit event; the stream address never enters an audit row."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.audit import services as audit
from hongniudai.common.text import check_lengths
from hongniudai.common.tree import ancestor_ids
from hongniudai.governance.interface import (
    Category,
    Channel,
    Matter,
    MatterStatus,
    add_attachment,
    observe_matter,
    report_matter,
)
from hongniudai.places.models import AreaKind, AreaNode

from . import events, policy
from .models import (
    AlertKindRule,
    Camera,
    CameraAlert,
    CameraKind,
    CameraOwner,
    CameraPlatformKey,
    CameraStatus,
    PendingAlert,
    PendingStatus,
    platform_key_digest,
)

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
STREAM_SCHEMES = ["rtsp", "rtmp", "http", "https"]
OPEN = (MatterStatus.NEW, MatterStatus.ACCEPTED)
JPEG_START, JPEG_END = b"\xff\xd8\xff", b"\xff\xd9"
KEY_MIN_LENGTH = 16
NOTE_MAX = 500


class CameraNotFound(Exception):
    """The alert names a camera the key's town does not have (a 404 through the API)."""


# ---- places -----------------------------------------------------------------------------------


def grid_of(area: AreaNode) -> AreaNode:
    """The grid a camera hangs at: `area` itself, or a hamlet's grid."""
    if area.kind == AreaKind.HAMLET and area.parent_id is not None:
        parent = AreaNode.objects.get(pk=area.parent_id)
        if parent.kind == AreaKind.GRID:
            return parent
    if area.kind != AreaKind.GRID:
        raise ValidationError({"grid": _("摄像机应登记在村组(网格)或湾组。")})
    return area


def town_of(area: AreaNode) -> AreaNode:
    """The town `area` lies in."""
    if area.kind == AreaKind.TOWN:
        return area
    town = AreaNode.objects.filter(pk__in=ancestor_ids(area.path), kind=AreaKind.TOWN).first()
    if town is None:
        raise ValidationError({"grid": _("该地区不属于任何镇。")})
    return town


# ---- cameras ----------------------------------------------------------------------------------


def _coordinate(value: Any, field: str, bound: int, errors: dict[str, str]) -> Decimal | None:
    label = _("纬度") if field == "lat" else _("经度")
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors[field] = _("%(label)s应为数字。") % {"label": label}
        return None
    if not number.is_finite() or not -bound <= number <= bound:
        errors[field] = _("%(label)s应在 -%(b)d 到 %(b)d 之间。") % {"label": label, "b": bound}
        return None
    return number.quantize(Decimal("0.000001"))


def _checked_camera(town: AreaNode, data: dict[str, Any], camera: Camera | None = None) -> dict[str, Any]:
    """The camera's fields, cleaned; every error by field at once."""
    errors: dict[str, str] = {}
    clean = {
        "code": str(data.get("code") or "").strip(),
        "name": str(data.get("name") or "").strip(),
        "kind": data.get("kind") or CameraKind.BULLET,
        "owner": data.get("owner") or CameraOwner.TOWN,
        "status": data.get("status") or CameraStatus.WORKING,
        "stream_url": str(data.get("stream_url") or "").strip(),
        "note": str(data.get("note") or "").strip(),
    }
    check_lengths(Camera, {k: clean[k] for k in ("code", "name", "stream_url", "note")})
    if not clean["code"]:
        errors["code"] = _("请填写摄像机编号。")
    elif not CODE.match(clean["code"]):
        errors["code"] = _("编号只能包含字母、数字和 _ . : -。")
    elif Camera.objects.filter(town=town, code=clean["code"]).exclude(pk=camera.pk if camera else 0).exists():
        errors["code"] = _("本镇已有编号为“%(code)s”的摄像机。") % {"code": clean["code"]}
    if not clean["name"]:
        errors["name"] = _("请填写摄像机名称。")
    for field, choices in (("kind", CameraKind), ("owner", CameraOwner), ("status", CameraStatus)):
        if clean[field] not in choices.values:
            errors[field] = _("选项无效。")
    clean["lat"] = _coordinate(data.get("lat"), "lat", 90, errors)
    clean["lng"] = _coordinate(data.get("lng"), "lng", 180, errors)
    if clean["stream_url"]:
        try:
            URLValidator(schemes=STREAM_SCHEMES)(clean["stream_url"])
        except ValidationError:
            errors["stream_url"] = _("视频流地址应为 rtsp://、rtmp://、http:// 或 https:// 开头的网址。")
    if errors:
        raise ValidationError(errors)
    return clean


def _camera_snapshot(camera: Camera) -> audit.Snapshot:
    snap = audit.snapshot(camera, Camera.AUDITED)
    snap["stream_url"] = _("已填写") if camera.stream_url else ""  # never the address itself
    return snap


@transaction.atomic
def register_camera(*, actor: User | None, grid: AreaNode, **fields: Any) -> Camera:
    """Register a camera at `grid` (a hamlet means its grid) with its code, unique in the town."""
    grid = grid_of(grid)
    if actor is not None:
        policy.require(actor, Capability.WATCH, grid)
    town = town_of(grid)
    data = _checked_camera(town, fields)
    camera = Camera.objects.create(
        town=town,
        grid=grid,
        area_path=grid.path,
        recorded_by=actor if actor is not None and actor.pk else None,
        **data,
    )
    audit.record_create(
        actor=actor,
        target=camera,
        after=_camera_snapshot(camera),
        action=events.CAMERA_REGISTERED,
        **audit.at(area=grid),
    )
    return camera


@transaction.atomic
def update_camera(*, actor: User, camera: Camera, grid: AreaNode | None = None, **fields: Any) -> Camera:
    """Change a camera (its grid only within its town); fields not given keep their values."""
    camera = Camera.objects.select_for_update().get(pk=camera.pk)
    policy.require(actor, Capability.WATCH, camera)
    before = _camera_snapshot(camera)
    new_grid = grid_of(grid) if grid is not None else camera.grid
    if new_grid.pk != camera.grid_id:
        policy.require(actor, Capability.WATCH, new_grid)
        if town_of(new_grid).pk != camera.town_id:
            raise ValidationError({"grid": _("摄像机只能改到本镇的村组。")})
    current = {name: getattr(camera, name) for name in Camera.EDITABLE}
    data = _checked_camera(camera.town, {**current, **fields}, camera)
    for name, value in data.items():
        setattr(camera, name, value)
    camera.grid, camera.area_path = new_grid, new_grid.path
    camera.save()
    audit.record_update(
        actor=actor,
        target=camera,
        before=before,
        after=_camera_snapshot(camera),
        action=events.CAMERA_UPDATED,
        **audit.at(area=new_grid),
    )
    return camera


@transaction.atomic
def reveal_stream(*, actor: User, camera: Camera) -> str:
    """The camera's stream address, for a WATCH holder over its grid; each reveal is audited."""
    policy.require(actor, Capability.WATCH, camera)
    audit.record(
        actor=actor,
        action=events.CAMERA_STREAM_REVEALED,
        target=camera,
        note=_("查看视频流地址"),
        **audit.at(area=camera.grid),
    )
    return camera.stream_url


def mask_stream(url: str) -> str:
    """The stream address as its page shows it before a reveal: the scheme and nothing else."""
    if not url:
        return ""
    scheme = url.split("://", 1)[0] if "://" in url else ""
    return f"{scheme}://••••••••" if scheme else "••••••••"


# ---- platform keys ----------------------------------------------------------------------------


@transaction.atomic
def register_platform_key(actor: User | None, town: AreaNode, name: str, key: str) -> CameraPlatformKey:
    """Record a camera platform's key whose value is fixed in advance (the demo's
    `demo-camera-songhe-2026`), with the checks and audit record of `issue_platform_key`.
    `actor=None` is the system itself (the demo loader)."""
    if actor is not None:
        policy.require_town_keeper(actor, town)
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("请填写平台名称。")
    elif len(name) > 100:
        errors["name"] = _("平台名称不能超过 100 个字。")
    if town.kind != AreaKind.TOWN:
        errors["town"] = _("密钥应签发到镇。")
    if len(key or "") < KEY_MIN_LENGTH:
        errors["key"] = _("密钥至少 16 个字符。")
    elif CameraPlatformKey.objects.filter(digest=platform_key_digest(key)).exists():
        errors["key"] = _("该密钥已登记。")
    if errors:
        raise ValidationError(errors)
    record = CameraPlatformKey.objects.create(
        town=town,
        area_path=town.path,
        name=name,
        digest=platform_key_digest(key),
        issued_by=actor if actor is not None and actor.pk else None,
    )
    audit.record(
        actor=actor,
        action=events.PLATFORM_KEY_ISSUED,
        target=record,
        changes={"name": [None, name], "town": [None, town.name]},
        **audit.at(area=town),
    )
    return record


@transaction.atomic
def issue_platform_key(*, actor: User, town: AreaNode, name: str) -> tuple[str, CameraPlatformKey]:
    """A new key for the camera platform `name` in `town`: returned once, only its digest kept."""
    key = secrets.token_urlsafe(30)
    return key, register_platform_key(actor, town, name, key)


@transaction.atomic
def revoke_platform_key(*, actor: User, key: CameraPlatformKey) -> CameraPlatformKey:
    """Withdraw a platform's key at once; the record stays for the alerts it brought."""
    record = CameraPlatformKey.objects.select_for_update().select_related("town").get(pk=key.pk)
    policy.require_town_keeper(actor, record.town)
    if record.revoked_at is not None:
        raise ValidationError(_("该密钥已停用。"))
    record.revoked_at = timezone.now()
    record.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        action=events.PLATFORM_KEY_REVOKED,
        target=record,
        changes={"revoked_at": [None, record.revoked_at]},
        **audit.at(area=record.town),
    )
    return record


def active_key(raw: str) -> CameraPlatformKey | None:
    """The active key whose value is `raw`, with its town; None for a wrong or revoked one."""
    if not raw:
        return None
    return (
        CameraPlatformKey.objects.select_related("town")
        .filter(digest=platform_key_digest(raw), revoked_at__isnull=True)
        .first()
    )


# ---- the table of alert kinds -----------------------------------------------------------------


@transaction.atomic
def save_alert_kind(
    *,
    actor: User | None,
    town: AreaNode,
    code: str,
    label: str,
    category: Category,
    confirm_first: bool = False,
    attributes: dict[str, Any] | None = None,
    is_active: bool = True,
) -> AlertKindRule:
    """Add a kind to the town's table, or change the one with this code (the code stays). The
    category's required extra questions must be answered in `attributes` (a camera cannot)."""
    if actor is not None:
        policy.require_town_keeper(actor, town)
    code, label = (code or "").strip(), (label or "").strip()
    errors: dict[str, str] = {}
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,39}", code):
        errors["code"] = _("代码应为 1–40 位小写字母、数字、- 或 _。")
    if not label:
        errors["label"] = _("请填写报警类型名称。")
    elif len(label) > 50:
        errors["label"] = _("名称不能超过 50 个字。")
    if not category.is_active:
        errors["category"] = _("该事项类别已停用。")
    attributes = {str(k): v for k, v in (attributes or {}).items() if v not in (None, "", [])}
    missing = [a.description for a in category.attributes.all() if a.required and a.code not in attributes]
    if missing:
        errors["attributes"] = _("请在附加信息中回答该类别的必答问题:%(q)s。") % {"q": "、".join(missing)}
    if errors:
        raise ValidationError(errors)
    rule = AlertKindRule.objects.select_for_update().filter(town=town, code=code).first()
    before = audit.snapshot(rule, ("code", *AlertKindRule.EDITABLE)) if rule else {}
    if rule is None:
        rule = AlertKindRule(town=town, area_path=town.path, code=code)
    rule.label, rule.category, rule.confirm_first, rule.is_active = label, category, confirm_first, is_active
    rule.attributes = attributes
    rule.save()
    changes = audit.diff(before, audit.snapshot(rule, ("code", *AlertKindRule.EDITABLE)))
    if changes:
        audit.record(actor=actor, action=events.ALERT_KIND_SAVED, target=rule, changes=changes, **audit.at(area=town))
    return rule


# ---- alerts -----------------------------------------------------------------------------------


def decode_snapshot(raw: str) -> bytes:
    """The snapshot's bytes from its base64 text: refused unless it is a JPEG (starts FF D8 FF and
    ends FF D9; Pillow is not installed, so the markers are what is checked) within the size limit."""
    limit = settings.WATCH_ALERT_SNAPSHOT_MAX_BYTES
    too_large = _("抓拍图片不能超过 %(kb)d KB。") % {"kb": limit // 1024}
    text = "".join((raw or "").split())
    if text.startswith("data:") and "," in text:
        text = text.split(",", 1)[1]
    if len(text) > (limit // 3 + 1) * 4:
        raise ValidationError({"snapshot": too_large})
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"snapshot": _("抓拍图片应为 base64 编码的 JPEG。")}) from None
    if len(data) > limit:
        raise ValidationError({"snapshot": too_large})
    if not data.startswith(JPEG_START) or not data.rstrip(b"\x00").endswith(JPEG_END):
        raise ValidationError({"snapshot": _("抓拍图片不是 JPEG 格式,已拒收。")})
    return data


@dataclass(frozen=True)
class AlertOutcome:
    """What an alert became; `created` is False for a repeat of an alert id or a merged alert."""

    alert: CameraAlert
    created: bool


def _alert_text(rule: AlertKindRule, camera: Camera, occurred_at: dt.datetime, note: str) -> tuple[str, str]:
    when = timezone.localtime(occurred_at).strftime("%Y-%m-%d %H:%M")
    title = _("%(kind)s:%(camera)s") % {"kind": rule.label, "camera": camera.name}
    description = _("摄像机“%(name)s”(%(code)s)于 %(when)s 报警:%(kind)s。") % {
        "name": camera.name,
        "code": camera.code,
        "when": when,
        "kind": rule.label,
    }
    if note:
        description += " " + note
    return title[:100], description


def _snapshot_file(alert_id: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("snapshot.jpg", data, content_type="image/jpeg")


def _earlier(camera: Camera, rule: AlertKindRule, occurred_at: dt.datetime) -> CameraAlert | None:
    """The latest alert of this kind from this camera within the window whose matter is still open,
    or whose pending alert still waits."""
    window = dt.timedelta(minutes=settings.WATCH_ALERT_MERGE_MINUTES)
    return (
        CameraAlert.objects.select_related("matter", "pending")
        .filter(camera=camera, kind=rule.code, occurred_at__gte=occurred_at - window)
        .filter(occurred_at__lte=occurred_at + window)
        .filter(Q(matter__status__in=OPEN) | Q(matter__isnull=True, pending__status=PendingStatus.WAITING))
        .order_by("-occurred_at", "-id")
        .first()
    )


def _checked_alert(alert_id: str, occurred_at: dt.datetime, note: str) -> None:
    errors: dict[str, str] = {}
    if not alert_id:
        errors["alert_id"] = _("请提供报警编号 alert_id。")
    elif len(alert_id) > 100:
        errors["alert_id"] = _("报警编号不能超过 100 个字符。")
    if timezone.is_naive(occurred_at):
        errors["occurred_at"] = _("报警时间应带时区,如 2026-05-01T21:30:00+08:00。")
    elif occurred_at > timezone.now() + dt.timedelta(minutes=10):
        errors["occurred_at"] = _("报警时间晚于当前时间。")
    if len(note) > NOTE_MAX:
        errors["note"] = _("备注不能超过 %(n)d 字。") % {"n": NOTE_MAX}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def receive_alert(
    *,
    key: CameraPlatformKey,
    alert_id: str,
    camera_code: str,
    kind: str,
    occurred_at: dt.datetime,
    snapshot: bytes | None = None,
    note: str = "",
) -> AlertOutcome:
    """An alert posted by the platform holding `key`. The same `alert_id` again gives the first
    answer and changes nothing; a repeat of the same kind from the same camera within
    `WATCH_ALERT_MERGE_MINUTES` joins the open matter (a note with its snapshot) or the waiting
    pending alert; otherwise a kind marked "confirm first" waits as a pending alert, and any other
    raises a matter in the camera's grid with the snapshot attached. Refused (nothing written): an
    unknown camera (`CameraNotFound`), a removed one (403), an unknown kind, a bad time or note."""
    key = CameraPlatformKey.objects.select_for_update().select_related("town").get(pk=key.pk)
    if key.revoked_at is not None:
        raise PermissionDenied(_("平台密钥已停用。"))
    alert_id, note = (alert_id or "").strip(), (note or "").strip()
    _checked_alert(alert_id, occurred_at, note)
    earlier = CameraAlert.objects.filter(town=key.town, alert_id=alert_id).first()
    if earlier is not None:
        return AlertOutcome(earlier, created=False)
    camera = Camera.objects.select_related("grid").filter(town=key.town, code=(camera_code or "").strip()).first()
    if camera is None:
        raise CameraNotFound(_("本镇没有编号为“%(code)s”的摄像机。") % {"code": camera_code})
    if camera.status == CameraStatus.REMOVED:
        raise PermissionDenied(_("该摄像机已撤除,不再受理其报警。"))
    rule = AlertKindRule.objects.select_related("category").filter(town=key.town, code=kind, is_active=True).first()
    if rule is None:
        raise ValidationError({"kind": _("未知的报警类型“%(kind)s”:请先在报警类型表中登记。") % {"kind": kind}})
    now = timezone.now()
    alert = CameraAlert(
        key=key,
        town=key.town,
        area_path=camera.area_path,
        alert_id=alert_id,
        camera=camera,
        kind=rule.code,
        rule=rule,
        occurred_at=occurred_at,
        received_at=now,
        has_snapshot=snapshot is not None,
        note=note,
    )
    previous = _earlier(camera, rule, occurred_at)
    if previous is not None and previous.matter is not None:
        alert.matter, alert.merged = previous.matter, True
        when = timezone.localtime(occurred_at).strftime("%H:%M")
        observe_matter(
            matter=previous.matter,
            note=_("摄像机“%(name)s”于 %(when)s 再次报警(%(id)s)。%(note)s")
            % {"name": camera.name, "when": when, "id": alert_id, "note": note},
            at=now,
            upload=_snapshot_file(alert_id, snapshot) if snapshot is not None else None,
        )
    elif previous is not None and previous.pending is not None:
        alert.pending, alert.merged = previous.pending, True
        if snapshot is not None and not previous.pending.snapshot:
            previous.pending.snapshot.save("snapshot.jpg", ContentFile(snapshot), save=True)
    elif rule.confirm_first:
        pending = PendingAlert(camera=camera, rule=rule, area_path=camera.area_path, occurred_at=occurred_at, note=note)
        if snapshot is not None:
            pending.snapshot.save("snapshot.jpg", ContentFile(snapshot), save=False)
        pending.save()
        alert.pending = pending
    else:
        title, description = _alert_text(rule, camera, occurred_at, note)
        matter = report_matter(
            actor=None,
            category=rule.category,
            title=title,
            description=description,
            channel=Channel.CAMERA,
            place=camera.grid,
            attributes=rule.attributes,
            within=key.town,
            reported_at=now,
        )
        if snapshot is not None:
            observe_matter(matter=matter, note=_("摄像机抓拍"), at=now, upload=_snapshot_file(alert_id, snapshot))
        alert.matter = matter
    alert.save()
    Camera.objects.filter(pk=camera.pk).update(last_seen_at=now)
    audit.record(
        actor=None,
        action=events.ALERT_RECEIVED,
        target=alert,
        changes={
            "camera": [None, camera.code],
            "kind": [None, rule.code],
            "matter": [None, alert.matter.number if alert.matter else None],
            "pending": [None, alert.pending_id],
            "merged": [None, alert.merged],
        },
        note=_("平台:%(name)s") % {"name": key.name},
        **audit.at(area=camera.grid),
    )
    return AlertOutcome(alert, created=not alert.merged)


def _waiting(actor: User, pending: PendingAlert) -> PendingAlert:
    locked = (
        PendingAlert.objects.select_for_update().select_related("camera__grid", "rule__category").get(pk=pending.pk)
    )
    policy.require(actor, Capability.WATCH, locked)
    if locked.status != PendingStatus.WAITING:
        raise ValidationError(_("该报警已处理。"))
    return locked


@transaction.atomic
def confirm_pending(*, actor: User, pending: PendingAlert) -> Matter:
    """A grid worker confirms a waiting alert: it becomes a matter in the camera's grid, reported
    (and its deadline counted) from now, with the snapshot attached; its alerts point to it."""
    pending = _waiting(actor, pending)
    now = timezone.now()
    title, description = _alert_text(pending.rule, pending.camera, pending.occurred_at, pending.note)
    matter = report_matter(
        actor=actor,
        category=pending.rule.category,
        title=title,
        description=description,
        channel=Channel.CAMERA,
        place=pending.camera.grid,
        attributes=pending.rule.attributes,
        reported_at=now,
    )
    if pending.snapshot:
        with pending.snapshot.open("rb") as stored:
            data = stored.read()
        add_attachment(actor=actor, matter=matter, upload=_snapshot_file(str(pending.pk), data))
    pending.status, pending.matter, pending.decided_by, pending.decided_at = (
        PendingStatus.CONFIRMED,
        matter,
        actor,
        now,
    )
    pending.save(update_fields=["status", "matter", "decided_by", "decided_at"])
    CameraAlert.objects.filter(pending=pending).update(matter=matter)
    audit.record(
        actor=actor,
        action=events.PENDING_CONFIRMED,
        target=pending,
        changes={"status": [PendingStatus.WAITING, PendingStatus.CONFIRMED], "matter": [None, matter.number]},
        **audit.at(area=pending.camera.grid),
    )
    return matter


@transaction.atomic
def dismiss_pending(*, actor: User, pending: PendingAlert, reason: str) -> PendingAlert:
    """A grid worker dismisses a waiting alert (a false alarm …), with the reason."""
    pending = _waiting(actor, pending)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写排除理由。")})
    if len(reason) > 200:
        raise ValidationError({"reason": _("排除理由不能超过 200 字。")})
    pending.status, pending.dismiss_reason = PendingStatus.DISMISSED, reason
    pending.decided_by, pending.decided_at = actor, timezone.now()
    pending.save(update_fields=["status", "dismiss_reason", "decided_by", "decided_at"])
    audit.record(
        actor=actor,
        action=events.PENDING_DISMISSED,
        target=pending,
        changes={"status": [PendingStatus.WAITING, PendingStatus.DISMISSED], "dismiss_reason": [None, reason]},
        **audit.at(area=pending.camera.grid),
    )
    return pending
