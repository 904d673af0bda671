"""What a camera platform's alert becomes: a new matter in the camera's grid with its snapshot, a
note on the open matter it repeats (same camera, same kind, within `WATCH_ALERT_MERGE_MINUTES`), or
a pending alert that a grid worker confirms (a matter whose deadline starts then) or dismisses with
a reason. Every alert is recorded (`CameraAlert`) and audited; a refused one writes nothing."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.audit import services as audit
from hongniudai.governance.interface import (
    Channel,
    Matter,
    MatterStatus,
    add_attachment,
    observe_matter,
    report_matter,
)

from . import events, policy
from .models import AlertKindRule, Camera, CameraAlert, CameraPlatformKey, CameraStatus, PendingAlert, PendingStatus

OPEN = (MatterStatus.NEW, MatterStatus.ACCEPTED)
JPEG_START, JPEG_END = b"\xff\xd8\xff", b"\xff\xd9"
NOTE_MAX = 500
FUTURE_SLACK = dt.timedelta(minutes=10)  # a platform's clock may run a little ahead


class CameraNotFound(Exception):
    """The alert names a camera the key's town does not have (a 404 through the API)."""


@dataclass(frozen=True)
class AlertOutcome:
    """What an alert became; `created` is False for a repeat of an alert id or a merged alert."""

    alert: CameraAlert
    created: bool


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


def _jpeg(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("snapshot.jpg", data, content_type="image/jpeg")


def _alert_text(rule: AlertKindRule, camera: Camera, occurred_at: dt.datetime, note: str) -> tuple[str, str]:
    """The matter's title and description for an alert."""
    when = timezone.localtime(occurred_at).strftime("%Y-%m-%d %H:%M")
    title = _("%(kind)s:%(camera)s") % {"kind": rule.label, "camera": camera.name}
    description = _("摄像机“%(name)s”(%(code)s)于 %(when)s 报警:%(kind)s。") % {
        "name": camera.name,
        "code": camera.code,
        "when": when,
        "kind": rule.label,
    }
    return title[:100], f"{description} {note}".strip()


def _checked(alert_id: str, occurred_at: dt.datetime, note: str) -> None:
    errors: dict[str, str] = {}
    if not alert_id:
        errors["alert_id"] = _("请提供报警编号 alert_id。")
    elif len(alert_id) > 100:
        errors["alert_id"] = _("报警编号不能超过 100 个字符。")
    if timezone.is_naive(occurred_at):
        errors["occurred_at"] = _("报警时间应带时区,如 2026-05-01T21:30:00+08:00。")
    elif occurred_at > timezone.now() + FUTURE_SLACK:
        errors["occurred_at"] = _("报警时间晚于当前时间。")
    if len(note) > NOTE_MAX:
        errors["note"] = _("备注不能超过 %(n)d 字。") % {"n": NOTE_MAX}
    if errors:
        raise ValidationError(errors)


def _camera_and_rule(key: CameraPlatformKey, camera_code: str, kind: str) -> tuple[Camera, AlertKindRule]:
    """The key's town's camera and alert kind named by the alert; refused when either is unknown."""
    code = (camera_code or "").strip()
    camera = Camera.objects.select_related("grid").filter(town=key.town, code=code).first()
    if camera is None:
        raise CameraNotFound(_("本镇没有编号为“%(code)s”的摄像机。") % {"code": code})
    if camera.status == CameraStatus.REMOVED:
        raise PermissionDenied(_("该摄像机已撤除,不再受理其报警。"))
    rule = AlertKindRule.objects.select_related("category").filter(town=key.town, code=kind, is_active=True).first()
    if rule is None:
        raise ValidationError({"kind": _("未知的报警类型“%(kind)s”:请先在报警类型表中登记。") % {"kind": kind}})
    return camera, rule


def _earlier(camera: Camera, rule: AlertKindRule, occurred_at: dt.datetime) -> CameraAlert | None:
    """The latest alert of this kind from this camera within the window whose matter is still open,
    or whose pending alert still waits."""
    window = dt.timedelta(minutes=settings.WATCH_ALERT_MERGE_MINUTES)
    return (
        CameraAlert.objects.select_related("matter", "pending")
        .filter(camera=camera, kind=rule.code, occurred_at__range=(occurred_at - window, occurred_at + window))
        .filter(Q(matter__status__in=OPEN) | Q(matter__isnull=True, pending__status=PendingStatus.WAITING))
        .order_by("-occurred_at", "-id")
        .first()
    )


def _place(alert: CameraAlert, key: CameraPlatformKey, snapshot: bytes | None, now: dt.datetime) -> None:
    """Where the alert goes: joined to an earlier one, waiting for confirmation, or a new matter."""
    camera, rule = alert.camera, alert.rule
    previous = _earlier(camera, rule, alert.occurred_at)
    if previous is not None and previous.matter is not None:
        alert.matter, alert.merged = previous.matter, True
        when = timezone.localtime(alert.occurred_at).strftime("%H:%M")
        note = _("摄像机“%(name)s”于 %(when)s 再次报警(%(id)s)。") % {
            "name": camera.name,
            "when": when,
            "id": alert.alert_id,
        }
        upload = _jpeg(snapshot) if snapshot is not None else None
        observe_matter(matter=previous.matter, note=f"{note}{alert.note}", at=now, upload=upload)
    elif previous is not None and previous.pending is not None:
        alert.pending, alert.merged = previous.pending, True
        if snapshot is not None and not previous.pending.snapshot:
            previous.pending.snapshot.save("snapshot.jpg", ContentFile(snapshot), save=True)
    elif rule.confirm_first:
        pending = PendingAlert(
            camera=camera, rule=rule, area_path=camera.area_path, occurred_at=alert.occurred_at, note=alert.note
        )
        if snapshot is not None:
            pending.snapshot.save("snapshot.jpg", ContentFile(snapshot), save=False)
        pending.save()
        alert.pending = pending
    else:
        title, description = _alert_text(rule, camera, alert.occurred_at, alert.note)
        alert.matter = report_matter(
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
            observe_matter(matter=alert.matter, note=_("摄像机抓拍"), at=now, upload=_jpeg(snapshot))


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
    _checked(alert_id, occurred_at, note)
    earlier = CameraAlert.objects.filter(town=key.town, alert_id=alert_id).first()
    if earlier is not None:
        return AlertOutcome(earlier, created=False)
    camera, rule = _camera_and_rule(key, camera_code, kind)
    now = timezone.now()
    alert = CameraAlert(key=key, town=key.town, area_path=camera.area_path, alert_id=alert_id, camera=camera)
    alert.kind, alert.rule, alert.occurred_at, alert.received_at = rule.code, rule, occurred_at, now
    alert.has_snapshot, alert.note = snapshot is not None, note
    _place(alert, key, snapshot, now)
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
            add_attachment(actor=actor, matter=matter, upload=_jpeg(stored.read()))
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
