"""Periodic work of night patrols and campaigns, run by huey. Both jobs are idempotent: running
them again changes nothing and tells no one twice."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from . import services


@db_periodic_task(crontab(minute="5"))
@lock_task("patrols-flag-missed-shifts")
def flag_missed_shifts() -> int:
    """Hourly: shifts nobody checked in to by their planned end are flagged missed (once each)."""
    return services.flag_missed_shifts()


@db_periodic_task(crontab(minute="*/15"))
@lock_task("campaigns-send-reminders")
def send_campaign_reminders() -> int:
    """Every quarter hour: after a campaign's deadline hour, remind the grids that have not reported
    today (once per grid and day)."""
    return services.send_campaign_reminders()
