"""The parcels' and the transfer contracts' list rows, read as values and labelled once per page
(`hongniudai.common.rows`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from hongniudai.common.cells import day, figure, figure_or
from hongniudai.common.choices import choice_label
from hongniudai.common.templatetags.hnd import row_url

from .models import Parcel, TransferContract

PARCEL_ROW_FIELDS = (
    "id",
    "name",
    "household__head__name",
    "household__address",
    "village__name",
    "kind",
    "grade",
    "registered_area",
    "measured_area",
    "transferred",
)
CONTRACT_ROW_FIELDS = (
    "id",
    "number",
    "kind",
    "enterprise_id",
    "enterprise__name",
    "org__name",
    "starts_on",
    "ends_on",
    "total_area",
    "rent_per_mu",
    "status",
)


def parcel_rows(parcels: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each parcel's cells (`land/_parcel_rows.jinja`): its household by its head (else its address),
    its area as `Parcel.area` (the measured one when known) and the mu its active transfers take."""
    kind, grade = choice_label(Parcel, "kind"), choice_label(Parcel, "grade")
    rows = []
    for p in parcels:
        measured = p["measured_area"]
        rows.append(
            {
                "url": row_url("land:parcel_detail", p["id"]),
                "name": p["name"],
                "household": p["household__head__name"] or p["household__address"],
                "village": p["village__name"],
                "kind": f"{kind(p['kind'])} · {grade(p['grade'])}" if p["grade"] else kind(p["kind"]),
                "area": figure(measured if measured is not None else p["registered_area"]),
                "transferred": figure_or(p["transferred"], "0"),
            }
        )
    return rows


def contract_name(number: str, pk: int) -> str:
    """`str(TransferContract)`: its number, else 流转合同<id>."""
    return number or _("流转合同%(id)s") % {"id": pk}


def contract_rows(contracts: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each contract's cells (`land/_contract_rows.jinja`): its name (`contract_name`), the party
    that takes the land (`TransferContract.transferee_name`: the enterprise, else the organisation)."""
    kind, status = choice_label(TransferContract, "kind"), choice_label(TransferContract, "status")
    return [
        {
            "url": row_url("land:contract_detail", c["id"]),
            "name": contract_name(c["number"], c["id"]),
            "kind": kind(c["kind"]),
            "transferee": c["enterprise__name"] if c["enterprise_id"] else c["org__name"],
            "starts_on": day(c["starts_on"]),
            "ends_on": day(c["ends_on"]),
            "area": figure_or(c["total_area"], "0"),
            "rent": figure(c["rent_per_mu"]),
            "status": status(c["status"]),
        }
        for c in contracts
    ]
