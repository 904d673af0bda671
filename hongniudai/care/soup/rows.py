"""The soup recipients' and rounds' list rows, read as values and labelled once per page
(`hongniudai.common.rows`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from hongniudai.common.cells import day
from hongniudai.common.choices import choice_label
from hongniudai.common.templatetags.hnd import row_url

from .models import SoupRecipient

RECIPIENT_ROW_FIELDS = (
    "id",
    "village_id",
    "resident__name",
    "village__name",
    "hamlet__name",
    "reasons",
    "by_hand",
    "status",
    "removed_reason",
)
# A round's own fields on the list; its figures (`selectors.ROUND_FIGURES`) are counted for the
# page's rounds by `selectors.round_figures`.
ROUND_ROW_FIELDS = ("id", "date", "village__name")


def recipient_rows(recipients: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each recipient's cells (`care/soup/_recipient_rows.jinja`): the name links to its village's
    review, at the recipient."""
    status = choice_label(SoupRecipient, "status")
    return [
        {
            "url": f"{row_url('soup:review', r['village_id'])}#recipient-{r['id']}",
            "name": r["resident__name"],
            "village": r["village__name"],
            "hamlet": r["hamlet__name"],
            "reasons": r["reasons"],
            "by_hand": r["by_hand"],
            "status": status(r["status"]),
            "removed": r["removed_reason"],
        }
        for r in recipients
    ]


def round_rows(rounds: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each round's cells (`care/soup/_round_rows.jinja`)."""
    return [
        {
            "url": row_url("soup:round_detail", r["id"]),
            "date": day(r["date"]),
            "village": r["village__name"],
            "visits": r["visit_count"],
            "delivered": r["delivered_count"],
            "pending": r["pending_count"],
            "not_home": r["not_home_count"],
            "matters": r["matter_count"],
        }
        for r in rounds
    ]
