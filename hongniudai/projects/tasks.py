"""Periodic work of projects, run by huey."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from . import reminders


@db_periodic_task(crontab(hour="7", minute="40"))
@lock_task("projects-overdue-blockers")
def flag_overdue_blockers() -> int:
    """Daily at 07:40: flag overdue blockers and tell their owners (once a day each)."""
    return reminders.flag_overdue_blockers()
