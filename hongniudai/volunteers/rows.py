"""The volunteers' and tasks' list rows, read as values and labelled once per page
(`hongniudai.common.rows`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.common.cells import figure
from hongniudai.common.choices import choice_label
from hongniudai.common.templatetags.hnd import row_url

from .models import VolunteerTask

VOLUNTEER_ROW_FIELDS = ("id", "name", "is_active", "area__name", "skills", "team__name", "year_hours")
TASK_ROW_FIELDS = ("id", "title", "kind", "starts_at", "area__name", "confirmed_count", "needed", "requested_count")


def volunteer_rows(volunteers: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each volunteer's cells (`volunteers/_volunteer_rows.jinja`): "—" for no skills or team."""
    return [
        {
            "url": row_url("volunteers:volunteer_detail", v["id"]),
            "name": v["name"],
            "left": not v["is_active"],
            "area": v["area__name"],
            "skills": v["skills"] or "—",
            "team": v["team__name"] or "—",
            "hours": figure(v["year_hours"]),
        }
        for v in volunteers
    ]


def ranking_rows(ranks: Iterable[Any]) -> list[dict[str, Any]]:
    """Each ranked volunteer's cells (`volunteers/_ranking_rows.jinja`), from `selectors.RankRow`s:
    "—" for no team."""
    return [
        {
            "rank": r.rank,
            "url": row_url("volunteers:volunteer_detail", r.volunteer_id),
            "name": r.name,
            "area": r.area_name,
            "team": r.team_name or "—",
            "hours": figure(r.hours),
            "tasks": r.tasks,
        }
        for r in ranks
    ]


def task_rows(tasks: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each task's cells (`volunteers/_task_rows.jinja`): confirmed of needed, and how many asked to join."""
    kind = choice_label(VolunteerTask, "kind")
    return [
        {
            "url": row_url("volunteers:task_detail", t["id"]),
            "title": t["title"],
            "kind": kind(t["kind"]),
            "starts": timezone.localtime(t["starts_at"]).strftime("%m-%d %H:%M") if t["starts_at"] else "",
            "area": t["area__name"],
            "filled": f"{t['confirmed_count']}/{t['needed']}",
            "requested": _("%(n)s 报名") % {"n": t["requested_count"]} if t["requested_count"] else "",
        }
        for t in tasks
    ]


HOURS_ROW_FIELDS = (
    "id",
    "volunteer__name",
    "participation__task_id",
    "participation__task__title",
    "note",
    "day",
    "hours",
)


def hours_rows(records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each pending record's cells (`volunteers/_hours_rows.jinja`), with where to confirm or return it."""
    return [
        {
            "id": h["id"],
            "volunteer": h["volunteer__name"],
            "task_url": row_url("volunteers:task_detail", h["participation__task_id"]),
            "task": h["participation__task__title"],
            "note": h["note"],
            "day": f"{h['day']:%m-%d}" if h["day"] else "",
            "hours": figure(h["hours"]),
            "confirm": row_url("volunteers:hours_confirm", h["id"]),
            "reject": row_url("volunteers:hours_reject", h["id"]),
        }
        for h in records
    ]
