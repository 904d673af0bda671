"""The writes of the camera net's registry: registering and changing a camera, revealing its stream
address (audited), the platforms' keys (issued, registered, revoked by a town administrator) and the
town's table of alert kinds. What an alert becomes is `alerts`. Each write is atomic and writes one
named audit event; the stream address never enters an audit row."""

from __future__ import annotations

import re
import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.audit import services as audit
from hongniudai.common.text import check_lengths
from hongniudai.common.tree import ancestor_ids
from hongniudai.governance.interface import (
    Category,
)
from hongniudai.places.models import AreaKind, AreaNode

from . import events, policy
from .models import (
    AlertKindRule,
    Camera,
    CameraKind,
    CameraOwner,
    CameraPlatformKey,
    CameraStatus,
    platform_key_digest,
)

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
STREAM_SCHEMES = ["rtsp", "rtmp", "http", "https"]
KEY_MIN_LENGTH = 16


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
