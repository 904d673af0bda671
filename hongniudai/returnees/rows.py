"""The returnees' and their businesses' list rows, read as values and labelled once per page
(`hongniudai.common.rows`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from hongniudai.common.cells import day, figure
from hongniudai.common.choices import choice_label
from hongniudai.common.templatetags.hnd import row_url

from .models import Business

RETURNEE_ROW_FIELDS = (
    "id",
    "resident__name",
    "village__name",
    "returned_on",
    "came_from",
    "is_party_member",
    "resident__is_veteran",
    "business_count",
)
BUSINESS_ROW_FIELDS = (
    "id",
    "name",
    "scale",
    "founder_id",
    "founder__resident__name",
    "village__name",
    "kind",
    "investment",
    "employee_count",
    "poor_household_count",
    "status",
)


def returnee_rows(returnees: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each returnee's cells (`returnees/_returnee_rows.jinja`)."""
    return [
        {
            "url": row_url("returnees:returnee_detail", r["id"]),
            "name": r["resident__name"],
            "village": r["village__name"],
            "returned_on": day(r["returned_on"]),
            "came_from": r["came_from"],
            "member": r["is_party_member"],
            "veteran": r["resident__is_veteran"],
            "businesses": r["business_count"],
        }
        for r in returnees
    ]


def business_rows(businesses: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each business's cells (`returnees/_business_rows.jinja`): its founder linked, the people it
    employs and their formerly poor households."""
    kind, status = choice_label(Business, "kind"), choice_label(Business, "status")
    return [
        {
            "url": row_url("returnees:business_detail", b["id"]),
            "name": b["name"],
            "scale": b["scale"],
            "founder_url": row_url("returnees:returnee_detail", b["founder_id"]),
            "founder": b["founder__resident__name"],
            "village": b["village__name"],
            "kind": kind(b["kind"]),
            "investment": figure(b["investment"]),
            "employees": b["employee_count"],
            "poor_households": b["poor_household_count"],
            "status": status(b["status"]),
        }
        for b in businesses
    ]
