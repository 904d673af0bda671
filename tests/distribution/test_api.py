"""The distribution API: scoped lists, writes through the services (400 with Chinese messages, 403
without the right, 404 outside the scope), a locked plan refused."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hongniudai.collective.interface import EconomicOrg
from hongniudai.distribution import services
from hongniudai.distribution.models import DistributionPlan, Dividend, PlanStatus
from tests.distribution.helpers import APPROVED_ON, PAID_ON, RECORD_DATE, approved_plan, holders, resolved_decision
from tests.distribution.url_scope import fashuihe_plan

PLANS = "/api/v1/distribution-plans/"
ITEMS = "/api/v1/distribution-items/"
DIVIDENDS = "/api/v1/distribution-dividends/"
PAYOUTS = "/api/v1/distribution-payouts/"


def test_a_plan_through_the_api(org: EconomicOrg, town: Any, api_for: Any) -> None:
    api = api_for("xuqiao")
    holders(org, town.xuqiao.hamlet, ["1", "1", "1"])
    decision = resolved_decision(town.xuqiao.area)
    body = {"org": org.pk, "year": 2025, "surplus": "100000.00", "record_date": RECORD_DATE.isoformat()}
    created = api.post(PLANS, {**body, "decision": decision.pk}, format="json")
    assert created.status_code == 201, created.content
    plan_id = created.json()["id"]
    over = api.post(ITEMS, {"plan": plan_id, "kind": "reserve", "amount": "100000.01"}, format="json")
    assert over.status_code == 400 and "超过可分配收益" in str(over.json())
    assert (
        api.post(ITEMS, {"plan": plan_id, "kind": "dividends", "amount": "100000.00"}, format="json").status_code == 201
    )
    detail = api.get(f"{PLANS}{plan_id}/").json()
    assert detail["book_surplus"] == "100000.00" and detail["item_total"] == "100000.00"
    approved = api.post(f"{PLANS}{plan_id}/approve/", {"approved_on": APPROVED_ON.isoformat()}, format="json")
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == PlanStatus.APPROVED
    rows = api.get(DIVIDENDS, {"plan": plan_id}).json()["results"]
    assert [r["amount"] for r in rows] == ["33333.34", "33333.33", "33333.33"]
    paid = api.post(PAYOUTS, {"dividend": rows[0]["id"], "paid_on": PAID_ON.isoformat()}, format="json")
    assert paid.status_code == 201, paid.content
    assert paid.json()["voucher"]
    again = api.post(PAYOUTS, {"dividend": rows[0]["id"], "paid_on": PAID_ON.isoformat()}, format="json")
    assert again.status_code == 400 and "不能重复发放" in str(again.json())
    more = api.post(PAYOUTS, {"dividend": rows[1]["id"], "amount": "33333.34"}, format="json")
    assert more.status_code == 400 and "超过该户应分金额" in str(more.json())
    locked = api.patch(f"{PLANS}{plan_id}/", {"note": "改"}, format="json")
    assert locked.status_code == 400 and "已锁定" in str(locked.json())
    item_id = detail["items"][0]["id"]
    assert api.delete(f"{ITEMS}{item_id}/").status_code == 400
    assert DistributionPlan.objects.get(pk=plan_id).note == ""


def test_bad_input_answers_400_in_chinese(org: EconomicOrg, town: Any, api_for: Any) -> None:
    api = api_for("xuqiao")
    bad = api.post(PLANS, {"org": org.pk, "year": 2025, "surplus": "-1", "record_date": "2025-12-31"}, format="json")
    assert bad.status_code == 400 and "必须大于零" in str(bad.json())
    bad = api.post(PLANS, {"org": org.pk, "year": 2025, "surplus": "1.001", "record_date": "x"}, format="json")
    assert bad.status_code == 400
    plan = services.create_plan(
        actor=town.users["xuqiao"], org=org, year=2025, surplus=Decimal("10.00"), record_date=RECORD_DATE
    )
    both = api.post(ITEMS, {"plan": plan.pk, "kind": "reserve", "amount": "1", "percentage": "1"}, format="json")
    assert both.status_code == 400 and "只填一项" in str(both.json())
    refused = api.post(f"{PLANS}{plan.pk}/approve/", {}, format="json")
    assert refused.status_code == 400 and "决策依据" in str(refused.json())


def test_lists_are_scoped_and_writes_need_the_right(town: Any, api_for: Any) -> None:
    approved_plan(town, "xuqiao", town.xuqiao)
    fashuihe_plan(town)
    xq = api_for("xuqiao")
    assert [p["org_name"] for p in xq.get(PLANS).json()["results"]] == ["徐桥村股份经济合作社"]
    assert len(xq.get(DIVIDENDS).json()["results"]) == 3
    assert len(api_for("admin").get(DIVIDENDS).json()["results"]) == 6
    grid = api_for("gridworker")
    assert grid.get(PLANS).status_code == 200
    dividend = Dividend.objects.filter(plan__org__village=town.xuqiao.area).first()
    assert dividend is not None
    assert grid.post(PAYOUTS, {"dividend": dividend.pk}, format="json").status_code == 403
