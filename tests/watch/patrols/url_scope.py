"""Out-of-scope targets for the night patrol and campaign URLs, merged into tests/test_url_scoping.py:
发水河村's own patrol team (a militiaman, a night of the rota started, its log) and a flood patrol
set up by 发水河村 over its own grid, with a duty, a danger spot and a zero-report (xuqiao must get
404 for each, admin must reach them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any


def fashuihe_watch(town: Any) -> dict[str, Any]:
    records = getattr(town, "_patrol_records", None)
    if records is None:
        from django.utils import timezone

        from hongniudai.watch.patrols import services

        actor = town.users["fashuihe"]
        today = timezone.localdate()
        team = services.team_set_up(actor=actor, area=town.fashuihe.area, name="发水河村巡逻队")
        member = services.member_add(actor=actor, team=team, kind="militia", name="施民兵")
        shift = services.rota_generate(
            actor=actor, team=team, month=today, route=[town.fashuihe.grid], weekdays=[today.weekday()]
        )[0]
        log = services.shift_start(actor=actor, shift=shift, now=shift.starts_at)
        campaign = services.campaign_set_up(
            actor=actor,
            area=town.fashuihe.area,
            areas=[town.fashuihe.grid],
            kind="flood",
            name="发水河村汛期巡查",
            starts_on=today - dt.timedelta(days=3),
            ends_on=today + dt.timedelta(days=3),
        )
        duty = services.duty_assign(
            actor=actor, campaign=campaign, date=today, grid=town.fashuihe.grid, person_name="施值班"
        )
        point = services.point_add(
            actor=actor,
            campaign=campaign,
            grid=town.fashuihe.grid,
            kind="danger_spot",
            name="发水河堤",
            lat=30,
            lng=114,
        )
        report = services.report_make(
            actor=actor,
            campaign=campaign,
            grid=town.fashuihe.grid,
            nothing_found=True,
            date=today - dt.timedelta(days=1),
        )
        records = {"team": team, "member": member, "shift": shift, "log": log, "campaign": campaign}
        records |= {"duty": duty, "point": point, "report": report}
        town._patrol_records = records
    return records


def _pk(what: str) -> Callable[[Any], dict[str, Any]]:
    return lambda t: {"pk": fashuihe_watch(t)[what].pk}


OUT_OF_SCOPE: dict[str, Callable[[Any], dict[str, Any]]] = {
    "patrols:team_detail": _pk("team"),
    "patrols:team_edit": _pk("team"),
    "patrols:member_add": _pk("team"),
    "patrols:rota_generate": _pk("team"),
    "patrols:member_leave": _pk("member"),
    "patrols:shift_detail": _pk("shift"),
    "patrols:shift_start": _pk("shift"),
    "patrols:shift_end": _pk("shift"),
    "patrols:shift_log": _pk("shift"),
    "patrols:shift_incident": _pk("shift"),
    "patrols:campaign_detail": _pk("campaign"),
    "patrols:campaign_board": _pk("campaign"),
    "patrols:campaign_today": _pk("campaign"),
    "patrols:duty_create": _pk("campaign"),
    "patrols:point_create": _pk("campaign"),
    "api:patrol-team-detail": _pk("team"),
    "api:patrol-team-rota": _pk("team"),
    "api:patrol-member-detail": _pk("member"),
    "api:patrol-shift-detail": _pk("shift"),
    "api:patrol-shift-start": _pk("shift"),
    "api:patrol-shift-end": _pk("shift"),
    "api:patrol-shift-log": _pk("shift"),
    "api:patrol-shift-incident": _pk("shift"),
    "api:patrol-log-detail": _pk("log"),
    "api:campaign-detail": _pk("campaign"),
    "api:campaign-board": _pk("campaign"),
    "api:campaign-duty-detail": _pk("duty"),
    "api:campaign-point-detail": _pk("point"),
    "api:campaign-report-detail": _pk("report"),
}
NOT_RECORDS: dict[str, dict[str, Any]] = {}
