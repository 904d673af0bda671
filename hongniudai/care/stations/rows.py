"""The stations', requests', mass organisations' and activities' list rows, read as values and
labelled once per page (`hongniudai.common.rows`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.common.cells import day
from hongniudai.common.choices import choice_label
from hongniudai.common.identity import mask_phone
from hongniudai.common.templatetags.hnd import row_url
from hongniudai.governance.interface import Signal

from .models import MassOrg, ServiceRequest

STATION_ROW_FIELDS = ("id", "name", "village__name", "opening_hours", "staff_count", "open_count")
REQUEST_ROW_FIELDS = (
    "id",
    "item__name",
    "home_service",
    "resident_id",
    "resident__name",
    "resident__phone",
    "person_name",
    "person_phone",
    "village__name",
    "received_at",
    "channel",
    "deadline",
    "signal",
    "status",
    "outcome",
)
ORG_ROW_FIELDS = ("id", "name", "kind", "area__name", "activity_count")
ACTIVITY_ROW_FIELDS = (
    "id",
    "held_on",
    "title",
    "photo_count",
    "org__name",
    "village_id",
    "village__name",
    "participant_count",
)


def station_rows(stations: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each station's cells (`care/stations/_station_rows.jinja`)."""
    return [
        {
            "url": row_url("stations:station_detail", s["id"]),
            "name": s["name"],
            "village": s["village__name"],
            "hours": s["opening_hours"],
            "staff": s["staff_count"],
            "open": s["open_count"],
        }
        for s in stations
    ]


def person_cell(r: Mapping[str, Any]) -> str:
    """Who asked, as `views.person_of` shows it: the resident's name, else the name written down,
    with a phone only masked."""
    if r["resident_id"] and r["resident__name"] is not None:
        name, phone = r["resident__name"], r["resident__phone"]
    else:
        name, phone = r["person_name"], r["person_phone"]
    return f"{name}({mask_phone(phone)})" if phone else name


def _local(value: dt.datetime | None, fmt: str, tz: dt.tzinfo) -> str:
    """`{{ value|date:... }}` of a stored moment: in the local time zone `tz` (the request's, read
    once for the rows; `timezone.localtime` would look it up for each cell) ("" for nothing)."""
    return timezone.localtime(value, tz).strftime(fmt) if value is not None else ""


def _signals() -> dict[str, tuple[str, str]]:
    """A signal's badge (its colour class and label), as `care/stations/_signal.html` shows it."""
    return {
        Signal.RED: ("danger", _("红灯")),
        Signal.YELLOW: ("warning", _("黄灯")),
        Signal.GREEN: ("success", _("绿灯")),
    }


def request_rows(requests: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each request's cells (`care/stations/_request_rows.jinja`)."""
    channel, status = choice_label(ServiceRequest, "channel"), choice_label(ServiceRequest, "status")
    outcome, signals = choice_label(ServiceRequest, "outcome"), _signals()
    tz = timezone.get_current_timezone()
    rows = []
    for r in requests:
        badge, signal = signals.get(r["signal"], ("", ""))
        state = status(r["status"])
        rows.append(
            {
                "url": row_url("stations:request_detail", r["id"]),
                "item": r["item__name"],
                "home": r["home_service"],
                "person": person_cell(r),
                "village": r["village__name"],
                "received": f"{_local(r['received_at'], '%m-%d %H:%M', tz)} · {channel(r['channel'])}",
                "deadline": _local(r["deadline"], "%m-%d", tz),
                "badge": badge,
                "signal": signal,
                "state": f"{state} · {outcome(r['outcome'])}" if r["outcome"] else state,
            }
        )
    return rows


def org_rows(orgs: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each mass organisation's cells (`care/stations/_org_rows.jinja`)."""
    kind = choice_label(MassOrg, "kind")
    return [
        {
            "url": row_url("stations:org_detail", o["id"]),
            "name": o["name"],
            "kind": kind(o["kind"]),
            "area": o["area__name"],
            "activities": o["activity_count"],
        }
        for o in orgs
    ]


def activity_rows(activities: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each activity's cells (`care/stations/_activity_rows.jinja`): "镇级" where held in no village."""
    town = _("镇级")
    return [
        {
            "url": row_url("stations:activity_detail", a["id"]),
            "held": day(a["held_on"]),
            "title": a["title"],
            "photos": bool(a["photo_count"]),
            "org": a["org__name"],
            "village": a["village__name"] if a["village_id"] else town,
            "people": a["participant_count"],
        }
        for a in activities
    ]
