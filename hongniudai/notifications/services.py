"""Notifications: an in-app inbox row per person, then the configured external senders
(SMS, WeChat…) after the commit. The default sender only logs, with personal data masked.

Any package notifies through `notify` (governance about a matter, orglife a meeting reminder);
the reader marks their own messages read with `mark_read`. Neither is an audited change: the
change that caused a notification is audited where it is made."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import models, transaction
from django.utils import timezone

from hongniudai.accounts.models import User

from .models import Notification
from .senders import senders

logger = logging.getLogger("hongniudai.notify")


@transaction.atomic
def notify(*, people: Iterable[User | None], message: str, url: str = "", target: models.Model | None = None) -> int:
    """One inbox row for each distinct person of `people` (None skipped), pointing at `url` and
    about `target`; once the transaction commits, every configured sender sends the message to
    each of them (a sender that fails is logged, the others go on). Returns the number of people."""
    unique = {p.pk: p for p in people if p is not None and p.pk}
    if not unique:
        return 0
    target_type = target._meta.label_lower if target is not None else ""
    target_id = target.pk if target is not None else None
    Notification.objects.bulk_create(
        [
            Notification(user=p, message=message[:255], url=url, target_type=target_type, target_id=target_id)
            for p in unique.values()
        ]
    )

    def send() -> None:
        for sender in senders():
            for person in unique.values():
                try:
                    sender.send(user=person, message=message)
                except Exception:
                    logger.exception("notification sender %s failed", type(sender).__name__)

    transaction.on_commit(send)
    return len(unique)


@transaction.atomic
def mark_read(*, actor: User, ids: Iterable[int] | None = None) -> int:
    """Mark the actor's own unread notifications read (all of them when `ids` is None); others'
    are untouched. Returns how many were marked."""
    qs = Notification.objects.filter(user=actor, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=[int(i) for i in ids])
    return qs.update(read_at=timezone.now())
