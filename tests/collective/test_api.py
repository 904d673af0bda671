"""The collective's API: lists and details in scope, writes through the services, 400 with Chinese
messages for bad input, never a 500."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from hongniudai.collective import services
from hongniudai.collective.models import EconomicOrg, ShareEntry, StepKind

from .conftest import resolved_decision

pytestmark = pytest.mark.django_db


def _api(town, username: str = "xuqiao") -> APIClient:
    client = APIClient()
    client.force_authenticate(town.users[username])
    return client


def test_lists_and_details_are_scoped(economy):
    t = economy.town
    for name in ("api:collective-org-list", "api:collective-decision-list"):
        mine = _api(t).get(reverse(name))
        assert mine.status_code == 200 and mine.json()["count"] == 1
        assert _api(t, "hemeifan").get(reverse(name)).json()["count"] == 0
    detail = _api(t).get(reverse("api:collective-decision-detail", args=[economy.decision.pk])).json()
    assert [m["kind_label"] for m in detail["missing_steps"]][:2] == ["村党组织提议", "村两委会议商议"]
    assert _api(t, "hemeifan").get(reverse("api:collective-org-detail", args=[economy.org.pk])).status_code == 404


def test_steps_are_recorded_in_order_through_the_api(economy):
    url = reverse("api:collective-decision-steps", args=[economy.decision.pk])
    client = _api(economy.town)
    response = client.post(url, {"kind": StepKind.RESOLVE, "held_on": "2025-03-01"}, format="json")
    assert response.status_code == 400 and "请先记录" in str(response.json())
    for bad in ({"kind": "nope", "held_on": "2025-03-01"}, {"kind": "propose", "held_on": "x"}, {"kind": "propose"}):
        assert client.post(url, bad, format="json").status_code == 400
    response = client.post(url, {"kind": StepKind.PROPOSE, "held_on": "2025-03-01", "attended": 5}, format="json")
    assert response.status_code == 201 and response.json()["kind_label"] == "村党组织提议"


def test_creating_a_decision_and_founding_a_cooperative(economy):
    client = _api(economy.town)
    response = client.post(
        reverse("api:collective-decision-list"),
        {"village": economy.town.xuqiao.area.pk, "subject": "project", "title": "光伏项目"},
        format="json",
    )
    assert response.status_code == 201
    url = reverse("api:collective-org-found-cooperative", args=[economy.org.pk])
    data = {"name": "徐桥村高粱合作社", "kind": "shareholding_cooperative", "founded_on": "2025-04-01"}
    response = client.post(url, {**data, "decision": economy.decision.pk}, format="json")
    assert response.status_code == 400 and "党员大会审议" in str(response.json())
    response = client.post(url, {**data, "decision": resolved_decision(economy.town).pk}, format="json")
    assert response.status_code == 201 and response.json()["name"] == "徐桥村高粱合作社"
    assert EconomicOrg.objects.filter(founded_by=economy.org).count() == 1


def test_registering_a_collective_twice_is_400(economy):
    data = {
        "village": economy.town.xuqiao.area.pk,
        "name": "另一个组织",
        "kind": "economic_cooperative",
        "founded_on": "2024-01-01",
    }
    response = _api(economy.town).post(reverse("api:collective-org-list"), data, format="json")
    assert response.status_code == 400 and "该村已登记集体经济组织" in str(response.json())


def test_members_and_shares_through_the_api(economy):
    t, client = economy.town, _api(economy.town)
    response = client.post(
        reverse("api:collective-member-list"),
        {"org": economy.org.pk, "household": t.xuqiao.household.pk, "confirmed_on": "2024-02-01"},
        format="json",
    )
    assert response.status_code == 201
    url = reverse("api:collective-share-entry-list")
    base = {
        "org": economy.org.pk,
        "household": t.xuqiao.household.pk,
        "contribution": "cash",
        "shares": "10",
        "amount": "1000",
        "effective_on": "2024-03-01",
        "reason": "现金入股",
    }
    response = client.post(url, base, format="json")
    assert response.status_code == 201 and response.json()["voucher"]
    for bad in ({"shares": "1.005"}, {"shares": "-20"}, {"amount": "-1"}, {"shares": "abc"}, {"household": 10**12}):
        response = client.post(url, {**base, **bad}, format="json")
        assert response.status_code == 400, bad
    response = client.post(url, {**base, "shares": "-20", "contribution": "allotted", "amount": "0"}, format="json")
    assert "持股不足" in str(response.json())
    assert ShareEntry.objects.count() == 1
    membership = client.get(reverse("api:collective-member-list")).json()["results"][0]
    response = client.post(reverse("api:collective-member-end", args=[membership["id"]]), {"ended_on": "2020-01-01"})
    assert response.status_code == 400


def test_readers_may_not_write(economy):
    t = economy.town
    response = _api(t, "gridworker").post(
        reverse("api:collective-decision-list"),
        {"village": t.xuqiao.area.pk, "subject": "project", "title": "x"},
        format="json",
    )
    assert response.status_code == 403
    services.record_step(
        actor=economy.xq, decision=economy.decision, kind=StepKind.PROPOSE, held_on=dt.date(2025, 1, 1)
    )


def test_holdings_through_the_api(economy):
    t = economy.town
    services.confirm_member(
        actor=economy.xq, org=economy.org, household=t.xuqiao.household, confirmed_on=dt.date(2024, 1, 2)
    )
    for shares, day in (("6", dt.date(2024, 3, 1)), ("-2", dt.date(2025, 3, 1))):
        services.record_shares(
            actor=economy.xq,
            org=economy.org,
            household=t.xuqiao.household,
            contribution="allotted",
            shares=Decimal(shares),
            effective_on=day,
            reason="折股量化",
        )
    url = reverse("api:collective-org-holdings", args=[economy.org.pk])
    rows = _api(t).get(url).json()
    assert rows == [
        {
            "household": t.xuqiao.household.pk,
            "household_name": str(t.xuqiao.household),
            "shares": "4.00",
            "share_of_total": "100.00",
        }
    ]
    assert _api(t).get(url, {"on": "2024-12-31"}).json()[0]["shares"] == "6.00"
    assert _api(t).get(url, {"on": "nope"}).status_code == 400
    assert _api(t, "hemeifan").get(url).status_code == 404
