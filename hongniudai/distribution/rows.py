"""The distribution plans' list rows, read as values and labelled once per page
(`hongniudai.common.rows`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from hongniudai.common.cells import day, figure
from hongniudai.common.choices import choice_label
from hongniudai.common.templatetags.hnd import row_url

from .models import DistributionPlan, PlanStatus

PLAN_ROW_FIELDS = ("id", "org__name", "year", "surplus", "record_date", "item_count", "status")
# The colour of each state's badge (the same as `distribution/_status.html`).
STATUS_COLOURS = {PlanStatus.DRAFT: "secondary", PlanStatus.DONE: "success"}


def plan_rows(plans: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each plan's cells (`distribution/_plan_rows.jinja`): its state as a coloured badge."""
    status = choice_label(DistributionPlan, "status")
    return [
        {
            "url": row_url("distribution:plan_detail", p["id"]),
            "org": p["org__name"],
            "year": p["year"],
            "surplus": figure(p["surplus"]),
            "record_date": day(p["record_date"]),
            "item_count": p["item_count"],
            "status": status(p["status"]),
            "colour": STATUS_COLOURS.get(p["status"], "danger"),
        }
        for p in plans
    ]
