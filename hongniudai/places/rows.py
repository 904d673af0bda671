"""The residents list's rows: each resident's cells, read as values and labelled once per page."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from hongniudai.common.identity import mask_phone
from hongniudai.common.templatetags.hnd import row_url

from . import contributions
from .models import Sex, age_on, elderly_cutoff

RESIDENT_BADGES = (
    ("is_elderly", "warning", _lazy("老年人")),
    ("is_member", "danger", _lazy("党员")),
    ("is_veteran", "success", _lazy("退役军人")),
    ("is_returnee", "info", _lazy("返乡能人")),
    ("is_disabled", "secondary", _lazy("残疾人")),
)


# The residents list's columns, read as values (no model instances: a fifth of the page's cost).
RESIDENT_ROW_FIELDS = (
    "id",
    "name",
    "sex",
    "birth_date",
    "id_masked",
    "phone",
    "household_id",
    "household__hamlet__name",
    "household__hamlet__parent__name",
    "is_veteran",
    "is_returnee",
    "is_disabled",
)


def resident_rows(residents: Any) -> list[dict[str, Any]]:
    """Each resident's cells, ready to place (`places/_resident_rows.jinja`): labels translated once
    per page, the phone masked, the age and the badges worked out here."""
    sexes = {value: str(label) for value, label in Sex.choices}
    badges = [(attr, colour, str(label)) for attr, colour, label in RESIDENT_BADGES]
    today = timezone.localdate()
    cutoff = elderly_cutoff(today)
    rows = []
    for r in residents.values(*RESIDENT_ROW_FIELDS, *contributions.registry.resident_flags):
        r["is_elderly"] = r["birth_date"] <= cutoff
        rows.append(
            {
                "url": row_url("places:resident_detail", r["id"]),
                "name": r["name"],
                "sex": sexes.get(r["sex"], r["sex"]),
                "age": age_on(r["birth_date"], today),
                "id_masked": r["id_masked"],
                "phone": mask_phone(r["phone"] or "") or "—",
                "parent": r["household__hamlet__parent__name"] or "",
                "hamlet": r["household__hamlet__name"],
                "household_url": row_url("places:household_detail", r["household_id"]),
                "badges": [(colour, label) for attr, colour, label in badges if r.get(attr)],
            }
        )
    return rows


HOUSEHOLD_ROW_FIELDS = (
    "id",
    "head__name",
    "address",
    "number",
    "hamlet__name",
    "hamlet__parent__name",
    "member_count",
    "is_formerly_poor",
    "is_monitored",
)


def household_rows(households: Any) -> list[dict[str, Any]]:
    """Each household's cells, ready to place (`places/_household_rows.jinja`)."""
    no_head, poor, monitored = str(_lazy("(未设户主)")), str(_lazy("脱贫户")), str(_lazy("监测户"))
    return [
        {
            "url": row_url("places:household_detail", h["id"]),
            "head": h["head__name"] or no_head,
            "address": h["address"],
            "number": h["number"] or "—",
            "parent": h["hamlet__parent__name"] or "",
            "hamlet": h["hamlet__name"],
            "member_count": h["member_count"],
            "badges": [
                (colour, label)
                for flag, colour, label in (
                    ("is_formerly_poor", "warning", poor),
                    ("is_monitored", "danger", monitored),
                )
                if h[flag]
            ],
        }
        for h in households
    ]
