"""Reads of the audit table, scoped like everything else (Capability.AUDIT for the audit view)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.http import Http404

from hongniudai.audit.display import type_names
from hongniudai.audit.models import AuditEvent

from . import caching
from .models import User
from .scope import Capability, get_scoped_or_404, scope_for


def events(
    user: User,
    *,
    q: str = "",
    action: str = "",
    target_type: str = "",
    actor: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    qs = scope_for(user, Capability.AUDIT).filter(AuditEvent.objects.all())
    if action:
        qs = qs.filter(action=action)
    if target_type:
        qs = qs.filter(target_type=target_type)
    if actor:
        qs = qs.filter(actor_name__icontains=actor.strip())
    if q:
        q = q.strip()
        qs = qs.filter(Q(target_repr__icontains=q) | Q(note__icontains=q) | Q(actor_name__icontains=q))
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs.order_by("-at", "-id")


# How long the audit filter's list of record types is kept for a user: finding them reads every
# event in the user's scope (a county's: 6 ms of a 30 ms page), and a new type of record rarely
# appears; a role change starts afresh (the key carries the user's version).
TYPES_SECONDS = 300


def target_types(user: User) -> list[str]:
    """The types of record with events the user may read, for the audit list's filter."""
    key = f"hnd:audit-types:{caching.versions(user.pk)}:{user.pk}"
    found: list[str] | None = cache.get(key)
    if found is None:
        found = list(
            scope_for(user, Capability.AUDIT)
            .filter(AuditEvent.objects.exclude(target_type=""))
            .order_by("target_type")
            .values_list("target_type", flat=True)
            .distinct()
        )
        cache.set(key, found, TYPES_SECONDS)
    return found


def history(user: User, *, target_type: str, target_id: str) -> tuple[Any, QuerySet[AuditEvent]]:
    """The record (if it still exists) and its audit events. The record must be visible to the
    user; a deleted record's history is shown to users whose audit scope covers where it hung."""
    current, names = type_names(target_type)  # rows written before an app was renamed carry its old name
    try:
        model = apps.get_model(current)
    except (LookupError, ValueError):
        raise Http404 from None
    rows = AuditEvent.objects.filter(target_type__in=names, target_id=str(target_id)).order_by("-at", "-id")
    if not hasattr(model, "scope_area_path") and not hasattr(model, "scope_org_path"):
        raise Http404
    try:
        pk = model._meta.pk.to_python(target_id)  # type: ignore[union-attr]
    except Exception:  # noqa: BLE001 - any malformed id is simply not found
        raise Http404 from None
    if model.objects.filter(pk=pk).exists():
        obj = get_scoped_or_404(user, model.objects.all(), pk=pk)
        return obj, rows
    visible = scope_for(user, Capability.AUDIT).filter(rows)
    if not visible.exists():
        raise Http404
    return None, visible
