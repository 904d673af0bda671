"""Periodic work of source governance, run by huey (SQLite storage embedded, Redis across machines)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from . import services


@db_periodic_task(crontab(minute="*/5"))
@lock_task("governance-enforce-deadlines")
def enforce_deadlines() -> dict[str, int]:
    return services.enforce_deadlines()
