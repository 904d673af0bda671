"""The patrol teams', logs', campaigns' and daily reports' list rows, read as values and labelled
once per page, then rendered by their Jinja row templates (`hongniudai.common.rows`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import dateformat, timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from hongniudai.accounts.scope import AnyUser
from hongniudai.common import parsing
from hongniudai.common.cells import day, figure_or, truncated
from hongniudai.common.choices import choice_label
from hongniudai.common.pagination import page_of
from hongniudai.common.rows import render_rows
from hongniudai.common.templatetags.hnd import row_url
from hongniudai.places.models import AreaKind

from . import selectors
from .models import Campaign, PatrolLog, PatrolShift, ShiftStatus

TEAM_ROW_FIELDS = ("id", "name", "area__name", "area__kind", "member_count", "is_active")
LOG_ROW_FIELDS = (
    "id",
    "shift_id",
    "shift__date",
    "shift__team__name",
    "started_at",
    "ended_at",
    "weather",
    "present_count",
    "incident_count",
)
SHIFT_ROW_FIELDS = ("id", "date", "team__name", "starts_at", "ends_at", "status")
SHIFT_BADGES = {ShiftStatus.KEPT: "success", ShiftStatus.MISSED: "danger", ShiftStatus.ON_PATROL: "warning"}
CAMPAIGN_ROW_FIELDS = ("id", "name", "kind", "starts_on", "ends_on", "grid_count")
REPORT_ROW_FIELDS = (
    "id",
    "date",
    "campaign_id",
    "campaign__name",
    "grid__name",
    "reported_at",
    "on_time",
    "nothing_found",
    "findings",
    "checked",
    "matter_count",
)


def _clock(value: Any, default: str = "") -> str:
    """`{{ value|date:"H:i" }}` of a moment, in the local time (`default` for nothing)."""
    return timezone.localtime(value).strftime("%H:%M") if value is not None else default


def team_rows(teams: Iterable[Mapping[str, Any]]) -> SafeString:
    """The teams list's rows (`watch/patrols/_team_rows.jinja`): a market-town team marked."""
    rows = [
        {
            "url": row_url("patrols:team_detail", t["id"]),
            "name": t["name"],
            "area": t["area__name"],
            "town": t["area__kind"] == AreaKind.TOWN,
            "members": t["member_count"],
            "active": t["is_active"],
        }
        for t in teams
    ]
    return render_rows("watch/patrols/_team_rows.jinja", rows, town=_("集镇"), active=_("在用"), idle=_("停用"))


def shift_rows(shifts: Iterable[Mapping[str, Any]]) -> SafeString:
    """The rota's rows (`watch/patrols/_shift_rows.jinja`): the night with its weekday, the team,
    the planned hours, the route's grids (one query for the page's shifts) and the status."""
    shifts = list(shifts)
    routes = selectors.shift_routes([s["id"] for s in shifts])
    status = choice_label(PatrolShift, "status")
    rows = [
        {
            "url": row_url("patrols:shift_detail", s["id"]),
            "date": dateformat.format(s["date"], "m-d D"),
            "team": s["team__name"],
            "hours": f"{_clock(s['starts_at'])}–{_clock(s['ends_at'])}",
            "route": "、".join(routes.get(s["id"], ())),
            "badge": SHIFT_BADGES.get(s["status"], "secondary"),
            "status": status(s["status"]),
        }
        for s in shifts
    ]
    return render_rows("watch/patrols/_shift_rows.jinja", rows)


def log_rows(logs: Iterable[Mapping[str, Any]]) -> SafeString:
    """The logs list's rows (`watch/patrols/_log_rows.jinja`): the night, its team, the hours
    patrolled, the weather, the members present and the incidents raised."""
    weather = choice_label(PatrolLog, "weather")
    rows = [
        {
            "url": row_url("patrols:shift_detail", g["shift_id"]),
            "date": day(g["shift__date"]),
            "team": g["shift__team__name"],
            "hours": f"{_clock(g['started_at'], '—')}–{_clock(g['ended_at'], '—')}",
            "weather": weather(g["weather"]) or "—",
            "present": g["present_count"],
            "incidents": g["incident_count"],
        }
        for g in logs
    ]
    return render_rows("watch/patrols/_log_rows.jinja", rows)


def campaign_rows(campaigns: Iterable[Mapping[str, Any]]) -> SafeString:
    """The campaigns list's rows (`watch/patrols/_campaign_rows.jinja`), each with its board."""
    kind = choice_label(Campaign, "kind")
    rows = [
        {
            "url": row_url("patrols:campaign_detail", c["id"]),
            "board": row_url("patrols:campaign_board", c["id"]),
            "name": c["name"],
            "kind": kind(c["kind"]),
            "window": f"{day(c['starts_on'])}—{c['ends_on']:%m-%d}",
            "grids": c["grid_count"],
        }
        for c in campaigns
    ]
    return render_rows("watch/patrols/_campaign_rows.jinja", rows, board=_("看板"))


def report_rows(reports: Iterable[Mapping[str, Any]]) -> SafeString:
    """The daily reports list's rows (`watch/patrols/_report_rows.jinja`): what was found (or checked)
    cut to 40 characters, the matters raised, a late report marked. The local time zone is read
    once for the rows (`timezone.localtime` would look it up for each)."""
    tz = timezone.get_current_timezone()
    rows = [
        {
            "date": day(r["date"]),
            "url": row_url("patrols:campaign_board", r["campaign_id"]),
            "campaign": r["campaign__name"],
            "grid": r["grid__name"],
            "reported": timezone.localtime(r["reported_at"], tz).strftime("%m-%d %H:%M"),
            "on_time": r["on_time"],
            "nothing_found": r["nothing_found"],
            "found": truncated(r["findings"] or r["checked"], 40),
            "matters": r["matter_count"],
        }
        for r in reports
    ]
    labels = {"late": _("迟报"), "nothing": _("今日无情况"), "matter": _("事项")}
    return render_rows("watch/patrols/_report_rows.jinja", rows, **labels)


LISTS: dict[str, tuple[tuple[str, ...], Callable[[Iterable[Mapping[str, Any]]], SafeString]]] = {
    "teams": (TEAM_ROW_FIELDS, team_rows),
    "shifts": (SHIFT_ROW_FIELDS, shift_rows),
    "logs": (LOG_ROW_FIELDS, log_rows),
    "campaigns": (CAMPAIGN_ROW_FIELDS, campaign_rows),
    "reports": (REPORT_ROW_FIELDS, report_rows),
}


def listed(request: HttpRequest, qs: QuerySet[Any], kind: str, per_page: int = 50) -> dict[str, Any]:
    """The page of `qs` read as the values its list `kind` shows, and its rows rendered."""
    fields, rows = LISTS[kind]
    page = page_of(request, qs.prefetch_related(None).values(*fields), per_page)
    return {"page": page, "rows": rows(page.object_list)}


def _rate(value: Any) -> str:
    """`{{ rate|default:"—" }}` of a reporting rate ("—" for none or zero)."""
    return figure_or(value, "—")


def _so_far(tally: selectors.Tally) -> dict[str, Any]:
    return {
        "reported": tally.reported,
        "expected": tally.expected,
        "rate": _rate(tally.reporting_rate),
        "on_time_rate": _rate(tally.on_time_rate),
    }


def board_context(user: AnyUser, campaign: Campaign, *, village: Any = None) -> dict[str, Any]:
    """The campaign board (`selectors.board`) with its per-village and per-grid rows rendered
    (`watch/patrols/_board_rows.jinja`): a grid's report of today with its time, or 未报 while
    the campaign runs. Over more than one village, a row per village (its grids summed) leading to
    the board of its grids (`?village=`, the id as sent); a village's grids, as its users see them."""
    village = parsing.parse_id(village)
    board = selectors.board(user, campaign, village=village, by_village=village is None)
    base = row_url("patrols:campaign_board", campaign.pk)
    rows = []
    for v in board.villages:
        today = f"{v.today.reported}/{v.today.expected}"
        url = "" if board.grids_shown else f"{base}?village={v.village.pk}"
        rows.append({"village": True, "name": v.village.name, "url": url, "today": today, **_so_far(v.so_far)})
        for g in v.grids:
            report = g.today
            rows.append(
                {
                    "village": False,
                    "name": g.grid.name,
                    "report": report is not None,
                    "nothing_found": report is not None and report.nothing_found,
                    "at": _clock(report.reported_at) if report is not None else "",
                    "late": report is not None and not report.on_time,
                    **_so_far(g.so_far),
                }
            )
    labels = {"nothing": _("无情况"), "something": _("有情况"), "late": _("迟报"), "missing": _("未报")}
    rendered = render_rows("watch/patrols/_board_rows.jinja", rows, in_window=board.today_in_window, **labels)
    history = [
        {
            "date": f"{d.date.month:02d}-{d.date.day:02d}",  # {{ date|date:"m-d" }}
            "on_time": d.tally.on_time,
            "missing": d.tally.missing,
            **_so_far(d.tally),
        }
        for d in board.history
    ]
    return {
        "campaign": campaign,
        "board": board,
        "rows": rendered,
        "history": render_rows("watch/patrols/_board_days.jinja", history),
        "village": board.villages[0].village if village is not None and board.villages else None,
        "all_villages": base if village is not None else "",
    }
