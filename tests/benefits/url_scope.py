"""Out-of-scope targets for 利益联结's URLs, merged into tests/test_url_scoping.py: 发水河村's
household and village (xuqiao must get 404 for each, admin must reach them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _household(town: Any) -> dict[str, Any]:
    return {"pk": town.fashuihe.household.pk}


OUT_OF_SCOPE: dict[str, Callable[[Any], dict[str, Any]]] = {
    "benefits:household_year": _household,
    "benefits:household_statement": lambda t: {"pk": t.fashuihe.household.pk, "year": 2026},
    "api:benefit-household-detail": _household,
    "api:benefit-village-detail": lambda t: {"pk": t.fashuihe.area.pk},
}
NOT_RECORDS: dict[str, dict[str, Any]] = {}
