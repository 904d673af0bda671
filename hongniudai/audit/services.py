"""Writing audit records. Every domain service calls `record` inside its transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from . import context
from .models import AuditAction, AuditEvent

Snapshot = dict[str, Any]


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> Snapshot:
    """The audited values of `instance`: plain, JSON-safe, personal data already masked by the caller's field list."""
    out: Snapshot = {}
    for name in fields:
        value = getattr(instance, name)
        out[name] = _plain(value() if callable(value) else value)
    return out


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for every field whose value changed."""
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    changes: Mapping[str, Any] | None = None,
    note: str = "",
    area_path: str = "",
    org_path: str = "",
    target_type: str = "",
    target_repr: str = "",
) -> AuditEvent:
    ctx = context.current()
    actor_obj = actor if getattr(actor, "pk", None) else None
    return AuditEvent.objects.create(
        actor=actor_obj,
        actor_name=getattr(actor, "username", "") or "",
        ip=ctx.ip,
        action=action,
        target_type=target_type or (target._meta.label_lower if target is not None else ""),
        target_id=str(target.pk) if target is not None and target.pk is not None else "",
        target_repr=(target_repr or (str(target) if target is not None else ""))[:255],
        changes=dict(changes or {}),
        note=note[:255],
        area_path=area_path,
        org_path=org_path,
    )


def record_create(*, actor: Any, target: models.Model, after: Snapshot, **where: str) -> AuditEvent:
    return record(actor=actor, action=AuditAction.CREATE, target=target, changes=diff({}, after), **where)


def record_update(
    *, actor: Any, target: models.Model, before: Snapshot, after: Snapshot, **where: str
) -> AuditEvent | None:
    changes = diff(before, after)
    if not changes:
        return None
    return record(actor=actor, action=AuditAction.UPDATE, target=target, changes=changes, **where)


def record_delete(*, actor: Any, target: models.Model, before: Snapshot, **where: str) -> AuditEvent:
    return record(actor=actor, action=AuditAction.DELETE, target=target, changes=diff(before, {}), **where)
