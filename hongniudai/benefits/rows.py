"""A village's year's rows, read as values (no household, hamlet or head objects) and rendered by
`hongniudai.common.rows` (`benefits/_village_rows.jinja`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from hongniudai.common.cells import two_places
from hongniudai.common.templatetags.hnd import row_url

from .rollups import ZERO

# The fields of `VillageYear.households` a row shows (the `received_*` ones are the rollup's).
VILLAGE_ROW_FIELDS = (
    "pk",
    "head__name",
    "address",
    "is_formerly_poor",
    "is_monitored",
    "hamlet__name",
    "received_rent",
    "received_wages",
    "received_dividends",
    "received_returnee",
)
AMOUNTS = ("received_rent", "received_wages", "received_dividends", "received_returnee")


def village_rows(households: Iterable[Mapping[str, Any]], year: int) -> list[dict[str, Any]]:
    """Each household's cells: its head (or address) linking to its year, its badges, its hamlet,
    what it received from each source and in total (`|floatformat:2`)."""
    return [
        {
            "url": f"{row_url('benefits:household_year', h['pk'])}?year={year}",
            "name": h["head__name"] if h["head__name"] is not None else h["address"],
            "poor": h["is_formerly_poor"],
            "monitored": h["is_monitored"],
            "hamlet": h["hamlet__name"],
            "amounts": [two_places(h[key]) for key in AMOUNTS],
            "total": two_places(sum((h[key] for key in AMOUNTS), ZERO)),
        }
        for h in households
    ]
