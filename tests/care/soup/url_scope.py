"""Out-of-scope targets for the soup rounds' URLs, merged into tests/test_url_scoping.py: a soup
list in 发水河村 (施华成 approved, 施家湾's volunteer), a round on 19 December 2026 with his visit
(xuqiao must get 404 for each, admin must reach them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any


def fashuihe_soup(town: Any) -> dict[str, Any]:
    records = getattr(town, "_soup_records", None)
    if records is None:
        from hongniudai.care.soup import services
        from hongniudai.care.soup.models import RuleKind
        from tests import factories as f

        actor = town.users["fashuihe"]
        admin = town.users["admin"]
        rule = services.save_rule(actor=actor, area=town.fashuihe.area, kind=RuleKind.AGE, min_age=60)
        volunteer = f.volunteer(town.fashuihe.area, "施家湾志愿者")
        services.set_hamlet_volunteer(actor=actor, hamlet=town.fashuihe.hamlet, volunteer=volunteer)
        (recipient,) = services.propose_recipients(actor=actor, village=town.fashuihe.area, today=dt.date(2026, 12, 1))
        services.approve_recipient(actor=actor, recipient=recipient)
        round_ = services.create_round(actor=actor, village=town.fashuihe.area, day=dt.date(2026, 12, 19))
        records = {
            "rule": rule,
            "recipient": recipient,
            "round": round_,
            "visit": round_.visits.get(),
            "village": town.fashuihe.area,
            "hamlet": town.fashuihe.hamlet,
            "town": town.town,
        }
        del admin
        town._soup_records = records
    return records


def _pk(what: str) -> Callable[[Any], dict[str, Any]]:
    return lambda t: {"pk": fashuihe_soup(t)[what].pk}


OUT_OF_SCOPE: dict[str, Callable[[Any], dict[str, Any]]] = {
    "soup:rule_edit": _pk("rule"),
    "soup:settings": _pk("town"),  # a town's February rule is its own: a village gets 404
    "soup:recipient_approve": _pk("recipient"),
    "soup:recipient_remove": _pk("recipient"),
    "soup:review": _pk("village"),
    "soup:propose": _pk("village"),
    "soup:approve_all": _pk("village"),
    "soup:round_create": _pk("village"),
    "soup:hamlet_volunteer": _pk("hamlet"),
    "soup:round_detail": _pk("round"),
    "soup:visit_check": _pk("visit"),
    "soup:visit_assign": _pk("visit"),
    "api:soup-rule-detail": _pk("rule"),
    "api:soup-recipient-detail": _pk("recipient"),
    "api:soup-recipient-approve": _pk("recipient"),
    "api:soup-recipient-remove": _pk("recipient"),
    "api:soup-round-detail": _pk("round"),
    "api:soup-visit-detail": _pk("visit"),
    "api:soup-visit-check": _pk("visit"),
    "api:soup-visit-assign": _pk("visit"),
}
NOT_RECORDS: dict[str, dict[str, Any]] = {}
