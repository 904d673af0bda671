"""Periodic work of the watch, found by huey's autodiscovery of `<app>.tasks`: each part's jobs."""

from .patrols import tasks as patrols  # noqa: F401  (missed shifts, campaign reminders)
