"""The organisations' and the decisions' list rows, read as values and labelled once per page
(`hongniudai.common.rows`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from hongniudai.common.cells import two_places
from hongniudai.common.choices import choice_label
from hongniudai.common.templatetags.hnd import row_url

from .models import STEP_ORDER, Decision, EconomicOrg, StepKind

ORG_ROW_FIELDS = ("id", "name", "founded_by_id", "village__name", "kind", "member_count", "total_shares")
DECISION_ROW_FIELDS = ("id", "title", "village__name", "subject")


def org_rows(orgs: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each organisation's cells (`collective/_org_rows.jinja`): a cooperative marked under its founder."""
    kind = choice_label(EconomicOrg, "kind")
    return [
        {
            "url": row_url("collective:org_detail", o["id"]),
            "name": o["name"],
            "founded": o["founded_by_id"] is not None,
            "village": o["village__name"],
            "kind": kind(o["kind"]),
            "members": o["member_count"],
            "shares": two_places(o["total_shares"]),
        }
        for o in orgs
    ]


def decision_rows(decisions: Iterable[Mapping[str, Any]], steps: Mapping[int, set[str]]) -> list[dict[str, Any]]:
    """Each decision's cells (`collective/_decision_rows.jinja`): its first step not yet recorded
    ("" when all six are), from `steps` (decision id -> the kinds recorded)."""
    subject, step = choice_label(Decision, "subject"), dict(StepKind.choices)
    rows = []
    for d in decisions:
        recorded = steps.get(d["id"], set())
        missing = next((kind for kind in STEP_ORDER if kind not in recorded), None)
        rows.append(
            {
                "url": row_url("collective:decision_detail", d["id"]),
                "title": d["title"],
                "village": d["village__name"],
                "subject": subject(d["subject"]),
                "missing": _("待%(step)s") % {"step": step[missing]} if missing else "",
            }
        )
    return rows
