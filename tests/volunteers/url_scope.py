"""Out-of-scope targets for the volunteers' URLs, merged into tests/test_url_scoping.py: 施华成 of
发水河村 registered as a volunteer in a team, on a patrol task of 发水河村 with hours logged
(xuqiao must get 404 for each, admin must reach them). The calendar feed's token names no record:
an unknown token is 404 for everyone (tests/volunteers/test_feed.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any


def fashuihe_volunteers(town: Any) -> dict[str, Any]:
    records = getattr(town, "_volunteer_records", None)
    if records is None:
        from django.utils import timezone

        from hongniudai.volunteers import services, services_tasks

        actor = town.users["fashuihe"]
        volunteer = services.register_volunteer(
            actor=actor, area=town.fashuihe.area, resident=town.fashuihe.head, joined_on=dt.date(2025, 1, 1)
        )
        team = services.create_team(actor=actor, area=town.fashuihe.area, name="发水河村巡逻队")
        now = timezone.now()
        task = services_tasks.schedule_task(
            actor=actor,
            area=town.fashuihe.area,
            kind="patrol_shift",
            title="发水河村夜间巡逻",
            starts_at=now - dt.timedelta(hours=2),
            ends_at=now + dt.timedelta(hours=2),
        )
        participation = services_tasks.assign(actor=actor, task=task, volunteers=[volunteer])[0]
        hours = services_tasks.log_hours(actor=actor, participation=participation, hours="2")
        records = {"volunteer": volunteer, "team": team, "task": task, "participation": participation, "hours": hours}
        town._volunteer_records = records
    return records


def _pk(what: str) -> Callable[[Any], dict[str, Any]]:
    return lambda t: {"pk": fashuihe_volunteers(t)[what].pk}


OUT_OF_SCOPE: dict[str, Callable[[Any], dict[str, Any]]] = {
    "volunteers:volunteer_detail": _pk("volunteer"),
    "volunteers:volunteer_edit": _pk("volunteer"),
    "volunteers:volunteer_deactivate": _pk("volunteer"),
    "volunteers:volunteer_account": _pk("volunteer"),
    "volunteers:volunteer_feed": _pk("volunteer"),
    "volunteers:volunteer_feed_revoke": _pk("volunteer"),
    "volunteers:volunteer_certificate": _pk("volunteer"),
    "volunteers:team_detail": _pk("team"),
    "volunteers:team_edit": _pk("team"),
    "volunteers:task_detail": _pk("task"),
    "volunteers:task_participant": _pk("task"),
    "volunteers:participation_confirm": _pk("participation"),
    "volunteers:participation_decline": _pk("participation"),
    "volunteers:participation_complete": _pk("participation"),
    "volunteers:participation_hours": _pk("participation"),
    "volunteers:hours_confirm": _pk("hours"),
    "volunteers:hours_reject": _pk("hours"),
    "api:volunteer-detail": _pk("volunteer"),
    "api:volunteer-deactivate": _pk("volunteer"),
    "api:volunteer-team-detail": _pk("team"),
    "api:volunteer-task-detail": _pk("task"),
    "api:volunteer-task-assign": _pk("task"),
    "api:volunteer-participation-detail": _pk("participation"),
    "api:volunteer-participation-confirm": _pk("participation"),
    "api:volunteer-participation-decline": _pk("participation"),
    "api:volunteer-participation-complete": _pk("participation"),
    "api:volunteer-hours-detail": _pk("hours"),
    "api:volunteer-hours-confirm": _pk("hours"),
    "api:volunteer-hours-reject": _pk("hours"),
}
NOT_RECORDS: dict[str, dict[str, Any]] = {
    "volunteers:feed": {"token": "no-such-token"},
}
