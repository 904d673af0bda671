"""Out-of-scope targets for the collective's URLs, merged into tests/test_url_scoping.py: 发水河村's
collective economic organisation, a decision, a membership and a share entry (xuqiao, 徐桥村's
secretary, must get 404; the town admin reaches them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any


def _records(town: Any) -> dict[str, Any]:
    records = getattr(town, "_collective", None)
    if records is None:
        from hongniudai.collective import services
        from hongniudai.collective.models import EconomicOrg

        actor, village = town.users["fashuihe"], town.fashuihe
        # the distribution's records may have registered it already (with its books)
        org = EconomicOrg.objects.filter(village=village.area, founded_by=None).first()
        org = org or services.register_collective(
            actor=actor,
            village=village.area,
            name="发水河村股份经济合作社",
            kind="shareholding_collective",
            founded_on=dt.date(2024, 1, 1),
        )
        decision = services.create_decision(
            actor=actor, village=village.area, subject="cooperative", title="发水河村组建渔业合作社"
        )
        membership = services.confirm_member(
            actor=actor, org=org, household=village.household, confirmed_on=dt.date(2024, 2, 1)
        )
        entry = services.record_shares(
            actor=actor,
            org=org,
            household=village.household,
            contribution="allotted",
            shares=Decimal(10),
            effective_on=dt.date(2024, 3, 1),
            reason="发水河村折股量化",
        )
        records = {"org": org, "decision": decision, "membership": membership, "entry": entry}
        town._collective = records
    return records


def _pk(what: str) -> Callable[[Any], dict[str, Any]]:
    return lambda t: {"pk": _records(t)[what].pk}


OUT_OF_SCOPE: dict[str, Callable[[Any], dict[str, Any]]] = {
    "collective:decision_detail": _pk("decision"),
    "collective:decision_step": _pk("decision"),
    "collective:org_detail": _pk("org"),
    "collective:cooperative_create": _pk("org"),
    "collective:member_list": _pk("org"),
    "collective:member_create": _pk("org"),
    "collective:household_options": _pk("org"),
    "collective:share_register": _pk("org"),
    "collective:share_create": _pk("org"),
    "collective:member_end": _pk("membership"),
    "api:collective-decision-detail": _pk("decision"),
    "api:collective-decision-steps": _pk("decision"),
    "api:collective-org-detail": _pk("org"),
    "api:collective-org-found-cooperative": _pk("org"),
    "api:collective-org-holdings": _pk("org"),
    "api:collective-member-detail": _pk("membership"),
    "api:collective-member-end": _pk("membership"),
    "api:collective-share-entry-detail": _pk("entry"),
}
NOT_RECORDS: dict[str, dict[str, Any]] = {}
