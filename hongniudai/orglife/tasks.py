"""Periodic work of organisational life, run by huey."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from . import rollups, services


@db_periodic_task(crontab(hour="8", minute="0"))
@lock_task("orglife-send-due-reminders")
def send_due_reminders() -> int:
    """Daily at 08:00: remind branches of meetings due before their period ends (once each)."""
    return services.send_due_reminders()


@db_periodic_task(crontab(hour="0", minute="5"))
@lock_task("orglife-obligations-year")
def ensure_obligation_year() -> bool:
    """Daily just after midnight: when a year begins, add its obligations to the rollup."""
    return rollups.ensure_year()
