"""Notifications: an in-app inbox row per person, then the configured external senders
(SMS, WeChat…) after the commit. The default sender only logs, with personal data masked."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

logger = logging.getLogger("hongniudai.notify")


class Sender(Protocol):
    def send(self, *, user: Any, message: str) -> None: ...


class LogSender:
    def send(self, *, user: Any, message: str) -> None:
        logger.info("notify %s: %s", getattr(user, "username", user), message)


def senders() -> list[Sender]:
    return [import_string(path)() for path in getattr(settings, "NOTIFICATION_SENDERS", [])]


def users(people: Iterable[Any], matter: Any, message: str) -> None:
    from .models import Notification

    unique = {p.pk: p for p in people if p is not None and getattr(p, "pk", None)}
    if not unique:
        return
    Notification.objects.bulk_create(
        [Notification(user=p, matter=matter, message=message[:255]) for p in unique.values()]
    )

    def _send() -> None:
        for sender in senders():
            for person in unique.values():
                try:
                    sender.send(user=person, message=message)
                except Exception:
                    logger.exception("notification sender %s failed", type(sender).__name__)

    transaction.on_commit(_send)
