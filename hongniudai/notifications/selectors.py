"""Reads of the inbox: a user's own unread notifications, and the notifications about some records."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models import QuerySet

from hongniudai.accounts.models import User

from .models import Notification

LIST_SIZE = 50
"""How many unread notifications a page lists (the inbox's card)."""


def unread(user: User) -> QuerySet[Notification]:
    """The user's own unread notifications, newest first."""
    return Notification.objects.filter(user=user, read_at__isnull=True)


def unread_count(user: User) -> int:
    """How many notifications the user has not read (the badge in the navigation)."""
    return unread(user).count()


def about(model: type[models.Model], ids: Iterable[int]) -> QuerySet[Notification]:
    """Everyone's notifications about the records `ids` of `model` (for the package that sent them,
    e.g. the demo dating a matter's notifications; never a page's list)."""
    return Notification.objects.filter(target_type=model._meta.label_lower, target_id__in=list(ids))
