"""The matter list's and the inbox's rows: each matter's labels resolved once per page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy

from hongniudai.common.choices import choice_label
from hongniudai.common.templatetags.hnd import row_url

from . import selectors
from .models import Matter, Urgency

SIGNAL_LABELS = {
    "green": gettext_lazy("正常"),
    "yellow": gettext_lazy("今日到期"),
    "red": gettext_lazy("已超时"),
    "done": gettext_lazy("已办结"),
}


@dataclass(frozen=True)
class ListRow:
    """A matter as a row of the list or the inbox, its labels resolved once per page (not a
    template include and three `get_FOO_display()` per row)."""

    matter: Matter
    signal: str
    signal_label: str
    due: dt.datetime | None
    place: str
    level: str
    status: str
    urgency: str  # blank when normal


def list_rows(rows: list[selectors.Row]) -> list[ListRow]:
    level, status = choice_label(Matter, "level"), choice_label(Matter, "status")
    urgency = choice_label(Matter, "urgency")
    signals = {key: str(label) for key, label in SIGNAL_LABELS.items()}
    return [
        ListRow(
            matter=r.matter,
            signal=r.signal,
            signal_label=signals[r.signal],
            due=r.due,
            place=r.place,
            level=level(r.matter.level),
            status=status(r.matter.status),
            urgency="" if r.matter.urgency == Urgency.NORMAL else urgency(r.matter.urgency),
        )
        for r in rows
    ]


def table_rows(rows: list[ListRow]) -> list[dict[str, Any]]:
    """The matter list's cells, ready to place (`governance/_matter_rows.jinja`)."""
    local = timezone.localtime
    return [
        {
            "url": row_url("governance:matter_detail", r.matter.pk),
            "signal": r.signal,
            "signal_label": r.signal_label,
            "number": r.matter.number,
            "title": Truncator(r.matter.title).chars(24),
            "urgency": r.urgency,
            "category": r.matter.category.name,
            "place": r.place,
            "level": r.level,
            "status": r.status,
            "due": local(r.due).strftime("%m-%d %H:%M") if r.due else "—",
            "reported_at": local(r.matter.reported_at).strftime("%Y-%m-%d %H:%M"),
        }
        for r in rows
    ]
