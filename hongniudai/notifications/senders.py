"""External notification channels (SMS, WeChat…): the classes named in `settings.NOTIFICATION_SENDERS`,
each with `send(user=, message=)`, called after the inbox rows commit. The default only logs; the
logging filter masks personal data in the line."""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from hongniudai.accounts.models import User

logger = logging.getLogger("hongniudai.notify")


class Sender(Protocol):
    def send(self, *, user: User, message: str) -> None: ...


class LogSender:
    """Writes one log line per person and message."""

    def send(self, *, user: User, message: str) -> None:
        logger.info("notify %s: %s", getattr(user, "username", user), message)


def senders() -> list[Sender]:
    """An instance of every configured sender (none when the setting is empty)."""
    return [import_string(path)() for path in getattr(settings, "NOTIFICATION_SENDERS", [])]
