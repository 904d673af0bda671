"""Out-of-scope targets for the returnee programme's URLs, merged into tests/test_url_scoping.py:
施华成 of 发水河村 registered as a returnee, his fish farm employing a villager of 发水河村 with a
year's wages and a support (xuqiao must get 404 for each, admin must reach them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any


def fashuihe_records(town: Any) -> dict[str, Any]:
    records = getattr(town, "_returnee_records", None)
    if records is None:
        from hongniudai.returnees import services

        actor = town.users["fashuihe"]
        returnee = services.register_returnee(
            actor=actor, resident=town.fashuihe.head, returned_on=dt.date(2017, 1, 1), came_from="武汉"
        )
        business = services.register_business(
            actor=actor, founder=returnee, name="施家湾鱼苗繁育场", kind="breeding", started_on=dt.date(2017, 4, 1)
        )
        employment = services.employ_resident(
            actor=actor, business=business, resident=town.fashuihe.head, started_on=dt.date(2018, 1, 1)
        )
        wage = services.record_wages(actor=actor, employment=employment, year=2024, amount=Decimal("12000.00"))
        support = services.record_support(
            actor=actor, business=business, kind="training", given_on=dt.date(2018, 3, 1), given_by="区农业农村局"
        )
        records = {"returnee": returnee, "business": business, "employment": employment, "wage": wage}
        records["support"] = support
        town._returnee_records = records
    return records


def _pk(what: str) -> Callable[[Any], dict[str, Any]]:
    return lambda t: {"pk": fashuihe_records(t)[what].pk}


OUT_OF_SCOPE: dict[str, Callable[[Any], dict[str, Any]]] = {
    "returnees:returnee_detail": _pk("returnee"),
    "returnees:returnee_edit": _pk("returnee"),
    "returnees:returnee_support_create": _pk("returnee"),
    "returnees:business_detail": _pk("business"),
    "returnees:business_edit": _pk("business"),
    "returnees:employment_create": _pk("business"),
    "returnees:business_support_create": _pk("business"),
    "returnees:employment_end": _pk("employment"),
    "returnees:wage_create": _pk("employment"),
    "api:returnee-detail": _pk("returnee"),
    "api:returnee-business-detail": _pk("business"),
    "api:returnee-employment-detail": _pk("employment"),
    "api:returnee-employment-end": _pk("employment"),
    "api:returnee-wage-detail": _pk("wage"),
    "api:returnee-support-detail": _pk("support"),
}
NOT_RECORDS: dict[str, dict[str, Any]] = {}
