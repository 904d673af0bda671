"""Periodic work of the soup rounds, run by huey; both jobs are idempotent."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from . import reminders, services


@db_periodic_task(crontab(hour="6", minute="0"))
@lock_task("soup-rounds")
def create_soup_rounds() -> int:
    """Daily at 06:00: on a soup day, today's round in every village with approved recipients."""
    return services.create_due_rounds()


@db_periodic_task(crontab(hour="20", minute="0"))
@lock_task("soup-unreached")
def flag_unreached_recipients() -> int:
    """Daily at 20:00: tell each village who was not reached by today's round."""
    return reminders.flag_unreached()
