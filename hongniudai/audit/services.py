"""Writing audit records. Every domain service calls `record` inside its transaction."""

from __future__ import annotations

import datetime as dt
import enum
import json
import math
from collections.abc import Iterable, Mapping
from typing import Any, TypedDict, Unpack

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.duration import duration_iso_string

from . import context
from .actions import Action
from .models import AuditEvent

Snapshot = dict[str, Any]
# Who acts: a user (the project's `accounts.User`, below which this package sits), or None for the
# platform itself (the demo loader, a periodic job).
Actor = AbstractBaseUser | AnonymousUser | None


class Where(TypedDict, total=False):
    """Where an audited record hangs (copied onto the row, so the audit view is scoped)."""

    area_path: str
    org_path: str


def at(*, area: Any = None, org: Any = None) -> Where:
    """The `Where` of a record hanging at `area` (an area node) and/or `org` (a party organisation)."""
    return {"area_path": area.path if area is not None else "", "org_path": org.path if org is not None else ""}


def at_org(org: Any) -> Where:
    """The `Where` of a record of party organisation `org`: the org and its area."""
    return at(area=org.area, org=org)


def plain(value: Any) -> Any:
    """`value` as JSON-safe data for an audit row, whatever field it came from; never raises.

    Records become their text; aware instants ISO 8601 in UTC (`…+00:00`; naive ones as they are); dates and times ISO 8601; decimals, UUIDs, IP addresses and lazy
    texts their text; durations ISO 8601 (`P1DT02H00M00S`); files their stored name ("" when empty);
    choices their stored value; mappings and sequences made plain item by item (sets sorted); raw bytes only
    their length; non-finite floats their text. Anything else becomes its text.
    """
    if isinstance(value, enum.Enum):  # choices: TextChoices members are also str, so first
        return plain(value.value)
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return duration_iso_string(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(bytes(value))} bytes>"
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        items = [plain(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    geojson = getattr(value, "geojson", None)
    if isinstance(geojson, str):  # a GEOS geometry
        return plain(json.loads(geojson))
    # Decimal, UUID, IP addresses, lazy translations and anything unforeseen: their text.
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str]) -> Snapshot:
    """The audited values of `instance`: plain, JSON-safe, personal data already masked by the caller's field list."""
    out: Snapshot = {}
    for name in fields:
        value = getattr(instance, name)
        out[name] = plain(value() if callable(value) else value)
    return out


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for every field whose value changed."""
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def record(
    *,
    actor: Actor,
    action: Action,
    target: models.Model | None = None,
    changes: Mapping[str, Any] | None = None,
    note: str = "",
    area_path: str = "",
    org_path: str = "",
    target_type: str = "",
    target_repr: str = "",
) -> AuditEvent:
    ctx = context.current()
    return AuditEvent.objects.create(
        actor_id=actor.pk if actor is not None and actor.pk else None,
        actor_name=getattr(actor, "username", "") or "",
        ip=ctx.ip,
        action=action.code,
        target_type=target_type or (target._meta.label_lower if target is not None else ""),
        target_id=str(target.pk) if target is not None and target.pk is not None else "",
        target_repr=(target_repr or (str(target) if target is not None else ""))[:255],
        changes=plain(dict(changes or {})),
        note=note[:255],
        area_path=area_path,
        org_path=org_path,
    )


def record_create(
    *, actor: Actor, target: models.Model, after: Snapshot, action: Action, **where: Unpack[Where]
) -> AuditEvent:
    return record(actor=actor, action=action, target=target, changes=diff({}, after), **where)


def record_update(
    *,
    actor: Actor,
    target: models.Model,
    before: Snapshot,
    after: Snapshot,
    action: Action,
    **where: Unpack[Where],
) -> AuditEvent | None:
    changes = diff(before, after)
    if not changes:
        return None
    return record(actor=actor, action=action, target=target, changes=changes, **where)


def record_delete(
    *,
    actor: Actor,
    target: models.Model,
    before: Snapshot,
    action: Action,
    **where: Unpack[Where],
) -> AuditEvent:
    return record(actor=actor, action=action, target=target, changes=diff(before, {}), **where)
