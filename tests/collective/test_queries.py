"""The collective's lists (pages and API) run the same number of queries for few rows as for many."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from hongniudai.collective import services
from hongniudai.collective.models import DecisionSubject, StepKind
from tests import factories as f

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    client.get(url)  # warm caches that are not per row (session, content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _add(economy, i: int) -> None:
    t, xq = economy.town, economy.xq
    decision = services.create_decision(
        actor=xq, village=t.xuqiao.area, subject=DecisionSubject.PROJECT, title=f"项目{i}"
    )
    services.record_step(actor=xq, decision=decision, kind=StepKind.PROPOSE, held_on=dt.date(2025, 1, 1))
    hh = f.household(t.xuqiao.hamlet, f"徐桥村黄家湾{i + 10}号", number=f"N{i}")
    f.resident(hh, f"户主{i}", relation="head", birth=dt.date(1970, 1, 1))
    services.confirm_member(actor=xq, org=economy.org, household=hh, confirmed_on=dt.date(2024, 1, 2))
    services.record_shares(
        actor=xq,
        org=economy.org,
        household=hh,
        contribution="cash",
        shares=Decimal(2),
        amount=Decimal(200),
        effective_on=dt.date(2024, 3, 1),
        reason="现金入股",
    )


def _urls(economy) -> list[str]:
    org = economy.org.pk
    return [
        reverse("collective:org_list"),
        reverse("collective:decision_list"),
        reverse("collective:member_list", args=[org]),
        reverse("collective:share_register", args=[org]),
        reverse("collective:org_detail", args=[org]),
    ]


API = [
    "api:collective-org-list",
    "api:collective-decision-list",
    "api:collective-member-list",
    "api:collective-share-entry-list",
]


def test_collective_lists_cost_the_same_for_few_and_many_rows(economy):
    client = economy.town.client_for("xuqiao")
    api = APIClient()
    api.force_authenticate(economy.town.users["xuqiao"])
    _add(economy, 0)
    few = {url: _queries(client, url) for url in _urls(economy)}
    few |= {name: _queries(api, reverse(name)) for name in API}
    for i in range(1, 12):
        _add(economy, i)
    many = {url: _queries(client, url) for url in _urls(economy)}
    many |= {name: _queries(api, reverse(name)) for name in API}
    assert client.get(reverse("collective:member_list", args=[economy.org.pk])).content.decode().count("户主") >= 12
    assert many == few
