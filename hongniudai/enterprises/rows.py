"""The enterprises list's and the coverage page's rows, read as values and labelled once per page."""

from __future__ import annotations

from typing import Any

from hongniudai.common.choices import choice_label
from hongniudai.common.templatetags.hnd import row_url

from . import selectors
from .models import Coverage, Enterprise

ENTERPRISE_ROW_FIELDS = (
    "id",
    "name",
    "is_active",
    "uscc",
    "area__name",
    "industry",
    "full_members",
    "branch__name",
    "coverage",
)
# The colour of each coverage state's badge (the same as `_coverage_badge.html`).
COVERAGE_COLOURS = {
    Coverage.OWN_BRANCH: "success",
    Coverage.JOINT_BRANCH: "primary",
    Coverage.WATCHED: "info",
    Coverage.SHOULD_FOUND: "danger",
}


def enterprise_rows(enterprises: Any) -> list[dict[str, Any]]:
    """Each enterprise's cells, ready to place (`enterprises/_enterprise_rows.jinja`)."""
    industry, coverage = choice_label(Enterprise, "industry"), dict(Coverage.choices)
    return [
        {
            "url": row_url("enterprises:enterprise_detail", e["id"]),
            "name": e["name"],
            "active": e["is_active"],
            "uscc": e["uscc"],
            "area": e["area__name"],
            "industry": industry(e["industry"]),
            "full_members": e["full_members"],
            "branch": e["branch__name"] or "—",
            "coverage": str(coverage.get(e["coverage"], "")),
            "colour": COVERAGE_COLOURS.get(e["coverage"], "warning"),
        }
        for e in enterprises
    ]


def coverage_rows(rows: list[selectors.CoverageRow], link: str, *, town_link: str = "") -> list[dict[str, Any]]:
    """Each row of a coverage table, ready to place (`enterprises/_coverage_rows.jinja`): its count
    per state (a gap's in red when there is one) and its rate. A town's row links to `town_link`
    (its villages' rows), the others to `link`."""
    gaps = {state.value for state in selectors.GAPS}
    return [
        {
            "url": f"{town_link if row.is_town and town_link else link}{row.key}",
            "label": row.label,
            "total": row.total,
            "cells": [(row.counts.get(state.value, 0), state.value in gaps) for state in Coverage],
            "rate": row.percent,
        }
        for row in rows
    ]
