"""Periodic work of land transfer, run by huey."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from . import reminders


@db_periodic_task(crontab(hour="7", minute="30"))
@lock_task("land-reminders")
def send_land_reminders() -> int:
    """Daily at 07:30: rent due and unpaid, contracts ending within 90 days (once a day each)."""
    return reminders.send_land_reminders()
