"""The plantings' and the purchase contracts' list rows, read as values and labelled once per page
(`hongniudai.common.rows`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from hongniudai.common.cells import day, figure, two_places
from hongniudai.common.choices import choice_label
from hongniudai.common.templatetags.hnd import row_url

from .models import PurchaseContract
from .templatetags.production import jin, plain

PLANTING_ROW_FIELDS = (
    "id",
    "year",
    "crop",
    "land",
    "org__name",
    "area_mu",
    "adviser__name",
    "work_days",
    "wages",
    "harvest_kg",
)
CONTRACT_ROW_FIELDS = (
    "id",
    "crop",
    "buyer__name",
    "signed_on",
    "price",
    "price_unit",
    "org__name",
    "quantity_kg",
    "delivered_kg",
    "owed_kg",
    "delivered_amount",
)


def planting_rows(plantings: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each planting's cells (`production/_planting_rows.jinja`): days without trailing zeros,
    wages to the fen, the harvest in 斤."""
    return [
        {
            "url": row_url("production:planting_detail", p["id"]),
            "name": f"{p['year']}年{p['crop']}",
            "land": p["land"],
            "org": p["org__name"],
            "area": figure(p["area_mu"]),
            "adviser": p["adviser__name"] or "—",
            "days": plain(p["work_days"]),
            "wages": two_places(p["wages"]),
            "harvest": jin(p["harvest_kg"]),
        }
        for p in plantings
    ]


def contract_rows(contracts: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each purchase contract's cells (`production/_contract_rows.jinja`): quantities in 斤."""
    unit = choice_label(PurchaseContract, "price_unit")
    return [
        {
            "url": row_url("production:contract_detail", c["id"]),
            "name": f"{c['crop']} · {c['buyer__name']}",
            "terms": f"{day(c['signed_on'])} · {figure(c['price'])}{unit(c['price_unit'])}",
            "org": c["org__name"],
            "quantity": jin(c["quantity_kg"]),
            "delivered": jin(c["delivered_kg"]),
            "owed": jin(c["owed_kg"]),
            "amount": two_places(c["delivered_amount"]),
        }
        for c in contracts
    ]
