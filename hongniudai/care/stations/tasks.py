"""Periodic work of the service stations, run by huey."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from . import reminders


@db_periodic_task(crontab(hour="8", minute="10"))
@lock_task("care-stations-overdue")
def send_overdue_request_notices() -> int:
    """Daily at 08:10: tell the handlers of requests past their deadline (once a day each)."""
    return reminders.send_overdue_notices()
