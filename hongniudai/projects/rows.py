"""The project service lists' rows (projects, blockers, the board, site visits, teams, liaisons),
read as values and made ready strings once per page for their `*_rows.jinja` templates: what the
templates showed through the models (a user's name, a choice's label, the progress, whether a
blocker is overdue) is worked out here as the models do."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone

from hongniudai.common.cells import day, truncated
from hongniudai.common.choices import choice_label
from hongniudai.common.templatetags.hnd import row_url

from . import selectors
from .models import OPEN_STATUSES, Blocker, BlockerStatus, Liaison, Project
from .selectors_blockers import OVERDUE_STATUSES

Row = Mapping[str, Any]

PROJECT_ROW_FIELDS = (
    "id",
    "name",
    "behind",
    "owner__name",
    "status",
    "weight_done",
    "weight_total",
    "team__name",
    "leader__display_name",
    "leader__username",
)
BLOCKER_ROW_FIELDS = ("id", "category__name", "description", "project__name", "owner_department", "status", "due_at")
BOARD_ROW_FIELDS = (*BLOCKER_ROW_FIELDS, "raised_at")
VISIT_ROW_FIELDS = (
    "id",
    "visited_on",
    "team__name",
    "project_id",
    "project__name",
    "enterprise__name",
    "checkin_count",
    "blocker_count",
)
TEAM_ROW_FIELDS = ("id", "name", "leader__display_name", "leader__username", "member_count", "project_count")
LIAISON_ROW_FIELDS = (
    "id",
    "user__display_name",
    "user__username",
    "kind",
    "project_id",
    "project__name",
    "enterprise__name",
    "since",
)


def user_name(display_name: str | None, username: str | None, default: str = "None") -> str:
    """`str(user)` (its display name, else its username); `default` without a user."""
    if username is None:
        return default
    return display_name or username


def _local_day(value: dt.datetime | None) -> str:
    """`{{ value|date:"Y-m-d" }}` of a moment: its day in the local time zone."""
    return day(timezone.localtime(value).date()) if value is not None else ""


def project_rows(projects: Iterable[Row]) -> list[dict[str, Any]]:
    """Each project's cells (`projects/_project_rows.jinja`)."""
    status = choice_label(Project, "status")
    return [
        {
            "url": row_url("projects:project_detail", p["id"]),
            "name": p["name"],
            "behind": p["behind"],
            "owner": p["owner__name"] or "",
            "status": status(p["status"]),
            "progress": selectors.progress(p["weight_done"], p["weight_total"]),
            "team": p["team__name"] or "—",
            "leader": user_name(p["leader__display_name"], p["leader__username"], "—"),
        }
        for p in projects
    ]


def _blocker_cells(b: Row, status: Any) -> dict[str, Any]:
    return {
        "url": row_url("projects:blocker_detail", b["id"]),
        "title": f"{b['category__name']} · {truncated(b['description'], 30)}",
        "project": b["project__name"],
        "department": b["owner_department"] or "—",
        "status": status(b["status"]),
    }


def blocker_rows(blockers: Iterable[Row], now: dt.datetime) -> list[dict[str, Any]]:
    """Each blocker's cells in the blockers list (`projects/_blocker_rows.jinja`): overdue when
    open, not awaiting sign-off and past its due time (as the list always showed it)."""
    status = choice_label(Blocker, "status")
    return [
        {
            **_blocker_cells(b, status),
            "due": _local_day(b["due_at"]),
            "overdue": b["status"] in OPEN_STATUSES and b["status"] != BlockerStatus.RESOLVED and b["due_at"] < now,
        }
        for b in blockers
    ]


def board_rows(blockers: Iterable[Row], now: dt.datetime) -> list[dict[str, Any]]:
    """Each open blocker's cells on the board (`projects/_board_rows.jinja`): whole days since it
    was raised, overdue as `selectors_blockers.overdue_q`."""
    status = choice_label(Blocker, "status")
    return [
        {
            **_blocker_cells(b, status),
            "age_days": (now - b["raised_at"]).days,
            "overdue": b["status"] in OVERDUE_STATUSES and b["due_at"] < now,
        }
        for b in blockers
    ]


def visit_rows(visits: Iterable[Row]) -> list[dict[str, Any]]:
    """Each site visit's cells (`projects/_visit_rows.jinja`): the project visited, else the enterprise."""
    return [
        {
            "url": row_url("projects:visit_detail", v["id"]),
            "day": day(v["visited_on"]),
            "team": v["team__name"],
            "visited": v["project__name"] if v["project_id"] else (v["enterprise__name"] or ""),
            "checkins": v["checkin_count"],
            "blockers": v["blocker_count"],
        }
        for v in visits
    ]


def team_rows(teams: Iterable[Row]) -> list[dict[str, Any]]:
    """Each service team's cells (`projects/_team_rows.jinja`)."""
    return [
        {
            "url": row_url("projects:team_detail", t["id"]),
            "name": t["name"],
            "leader": user_name(t["leader__display_name"], t["leader__username"]),
            "members": t["member_count"],
            "projects": t["project_count"],
        }
        for t in teams
    ]


def liaison_rows(liaisons: Iterable[Row]) -> list[dict[str, Any]]:
    """Each current liaison's cells (`projects/_liaison_rows.jinja`): the project linked, else the
    enterprise; the address that ends it."""
    kind = choice_label(Liaison, "kind")
    return [
        {
            "user": user_name(r["user__display_name"], r["user__username"]),
            "kind": kind(r["kind"]),
            "project_url": row_url("projects:project_detail", r["project_id"]) if r["project_id"] else "",
            "project": r["project__name"] or "",
            "enterprise": r["enterprise__name"] or "",
            "since": day(r["since"]),
            "end_url": row_url("projects:liaison_end", r["id"]),
        }
        for r in liaisons
    ]


TENTH = Decimal("0.1")


def one_place(value: float | Decimal | None) -> str:
    """`{{ value|floatformat:1|default:"—" }}`: rounded half up to a tenth, "—" for nothing."""
    if value is None:
        return "—"
    rounded = Decimal(repr(value) if isinstance(value, float) else value).quantize(TENTH, rounding=ROUND_HALF_UP)
    return "0.0" if rounded.is_zero() else f"{rounded:f}"


def measure_rows(rows: Iterable[Row], unnamed: str) -> list[dict[str, Any]]:
    """Each row of a measures table (`projects/_measure_rows.jinja`): a team's, category's or
    department's blockers raised, solved, mean working days to solve and overdue."""
    return [
        {
            "name": r["name"] or unnamed,
            "raised": r["raised"],
            "solved": r["solved"],
            "mean_days": one_place(r["mean_days"]),
            "overdue": r["overdue"],
        }
        for r in rows
    ]


def frequency_rows(rows: Iterable[Row], *, full_name: bool = False) -> list[dict[str, Any]]:
    """Each line of a visit-count list (`projects/_frequency_rows.jinja`): a team's, or a member's
    (their full name, else their user name), and its number of visits."""
    return [{"name": (r["full"] or r["name"]) if full_name else r["name"], "n": r["n"]} for r in rows]


def town_measure_rows(
    rows: Iterable[Row], towns: Mapping[str, tuple[int, str]], url: str, note: str
) -> list[dict[str, Any]]:
    """The teams' measures per town (`projects/_measure_town_rows.jinja`, from
    `selectors_blockers.measures_page`): the town's name linking to its own measures (`url?area=`),
    its number of teams (`note % {"n": }`), and its sums as `measure_rows` shows a team's (the mean,
    of the town's solved blockers' working days)."""
    out = [
        {
            "name": _town_name(towns, r["town"]),
            "url": _town_url(towns, r["town"], url),
            "note": note % {"n": r["count"]},
            "raised": r["raised"],
            "solved": r["solved"],
            "mean_days": one_place((r["solved_days"] or 0) / r["solved"] if r["solved"] else None),
            "overdue": r["overdue"],
        }
        for r in rows
    ]
    return sorted(out, key=lambda r: (-r["raised"], r["name"]))


def town_frequency_rows(
    rows: Iterable[Row], towns: Mapping[str, tuple[int, str]], url: str, note: str
) -> list[dict[str, Any]]:
    """A visit-count list per town (`projects/_frequency_town_rows.jinja`, from
    `selectors_blockers.measures_page`): the town's name linking to its own measures, how many
    teams or members it adds up (`note % {"n": }`), and their visits."""
    out = [
        {
            "name": _town_name(towns, r["town"]),
            "url": _town_url(towns, r["town"], url),
            "note": note % {"n": r["count"]},
            "n": r["n"],
        }
        for r in rows
    ]
    return sorted(out, key=lambda r: (-r["n"], r["name"]))


def _town_name(towns: Mapping[str, tuple[int, str]], town: str) -> str:
    return towns[town][1] if town in towns else town


def _town_url(towns: Mapping[str, tuple[int, str]], town: str, url: str) -> str:
    return f"{url}?area={towns[town][0]}" if town in towns else ""
