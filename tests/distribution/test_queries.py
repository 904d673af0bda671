"""The distribution lists run the same number of queries for few plans and dividends as for many."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hongniudai.distribution import services
from hongniudai.distribution.models import Dividend
from tests.distribution.helpers import APPROVED_ON, PAID_ON, approved_plan, draft_plan, holders, make_org


def _queries(client: Any, url: str) -> int:
    client.get(url)  # warm caches that are not per row (session, content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _pay_first(town: Any, plan: Any) -> None:
    dividend = Dividend.objects.filter(plan=plan).order_by("id").first()
    services.record_payout(actor=town.users["admin"], dividend=dividend, paid_on=PAID_ON)


def _big_plan(town: Any) -> Any:
    """何梅畈村's approved plan over twelve holders, two of them paid."""
    actor = town.users["hemeifan"]
    org = make_org(town.hemeifan.area, actor)
    holders(org, town.hemeifan.hamlet, ["1"] * 12, collective="2")
    plan = draft_plan(org, actor)
    services.add_item(actor=actor, plan=plan, kind="reserve", amount=Decimal("1000.00"))
    services.add_item(actor=actor, plan=plan, kind="dividends", amount=Decimal("12345.67"))
    plan = services.approve_plan(actor=actor, plan=plan, approved_on=APPROVED_ON)
    for dividend in Dividend.objects.filter(plan=plan, household__isnull=False).order_by("id")[:2]:
        services.record_payout(actor=actor, dividend=dividend, paid_on=PAID_ON)
    return plan


def test_lists_and_the_dividends_table_cost_the_same_for_few_and_many(town: Any, api_for: Any) -> None:
    plan = approved_plan(town, "xuqiao", town.xuqiao)
    _pay_first(town, plan)
    client = town.client_for("admin")
    api = api_for("admin")
    lists = [
        reverse("distribution:plan_list"),
        "/api/v1/distribution-plans/",
        "/api/v1/distribution-items/",
        "/api/v1/distribution-dividends/",
        "/api/v1/distribution-payouts/",
    ]
    few = [_queries(client, lists[0])] + [_queries(api, u) for u in lists[1:]]
    small_page = _queries(client, plan.get_absolute_url())
    other = approved_plan(town, "fashuihe", town.fashuihe)
    _pay_first(town, other)
    big = _big_plan(town)
    many = [_queries(client, lists[0])] + [_queries(api, u) for u in lists[1:]]
    assert many == few
    assert _queries(client, big.get_absolute_url()) == small_page
    assert client.get(big.get_absolute_url()).content.decode().count("登记发放") == 10
