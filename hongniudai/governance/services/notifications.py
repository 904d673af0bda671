"""Notifications of a matter's people (kept as it was for the notifications work)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone


def mark_notifications_read(*, actor: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the actor's own notifications read (all of them when `ids` is None); others' are untouched."""
    from ..models import Notification

    if not getattr(actor, "pk", None):
        return 0
    qs = Notification.objects.filter(user=actor, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=[int(i) for i in ids])
    return qs.update(read_at=timezone.now())
