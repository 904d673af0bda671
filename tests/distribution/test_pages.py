"""The distribution pages as a village secretary uses them, at 375 px as on a desk."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse

from hongniudai.collective.interface import EconomicOrg, OrgKind
from hongniudai.distribution import services
from hongniudai.distribution.models import DistributionPlan, Dividend, PlanItem, PlanStatus
from tests.distribution.helpers import (
    APPROVED_ON,
    PAID_ON,
    RECORD_DATE,
    approved_plan,
    holders,
    make_org,
    resolved_decision,
)


def test_a_plan_drawn_up_approved_and_paid_through_the_pages(org: EconomicOrg, town: Any) -> None:
    client = town.client_for("xuqiao")
    holders(org, town.xuqiao.hamlet, ["1", "2"])
    decision = resolved_decision(town.xuqiao.area)
    response = client.post(
        reverse("distribution:plan_create"),
        {
            "org": org.pk,
            "year": 2025,
            "surplus": "100000.00",
            "record_date": RECORD_DATE.isoformat(),
            "decision": decision.pk,
        },
    )
    plan = DistributionPlan.objects.get(org=org)
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "100000.00" in page and "与填报数不同" not in page  # the books hold the same figure
    client.post(reverse("distribution:item_add", args=[plan.pk]), {"kind": "reserve", "percentage": "10"})
    client.post(reverse("distribution:item_add", args=[plan.pk]), {"kind": "dividends", "amount": "90000.00"})
    assert plan.items.count() == 2
    over = client.post(reverse("distribution:item_add", args=[plan.pk]), {"kind": "welfare", "amount": "0.01"})
    assert "超过可分配收益" in over.content.decode()
    confirm = client.get(reverse("distribution:plan_approve", args=[plan.pk]))
    assert "确认批准" in confirm.content.decode()
    client.post(reverse("distribution:plan_approve", args=[plan.pk]), {"approved_on": APPROVED_ON.isoformat()})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    amounts = sorted(Dividend.objects.filter(plan=plan).values_list("amount", flat=True))
    assert amounts == [Decimal("30000.00"), Decimal("60000.00")]
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "60000.00" in page and "登记发放" in page
    dividend = Dividend.objects.filter(plan=plan).first()
    assert dividend is not None
    client.post(reverse("distribution:dividend_pay", args=[dividend.pk]), {"paid_on": PAID_ON.isoformat()})
    assert hasattr(Dividend.objects.get(pk=dividend.pk), "payout")
    export = client.get(plan.get_absolute_url(), {"export": "xlsx"})
    assert export.status_code == 200 and "spreadsheet" in export["Content-Type"]


def test_a_locked_plan_cannot_be_edited_through_the_pages(town: Any) -> None:
    plan = approved_plan(town, "xuqiao", town.xuqiao)
    dividend = Dividend.objects.filter(plan=plan).first()
    assert dividend is not None
    services.record_payout(actor=town.users["xuqiao"], dividend=dividend, paid_on=PAID_ON)
    client = town.client_for("xuqiao")
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "已锁定" in page and reverse("distribution:plan_edit", args=[plan.pk]) not in page
    assert client.get(reverse("distribution:plan_edit", args=[plan.pk])).status_code == 302
    values = {"year": 2025, "surplus": "100000.00", "record_date": RECORD_DATE.isoformat(), "note": "改"}
    refused = client.post(reverse("distribution:plan_edit", args=[plan.pk]), values)
    assert "已锁定" in refused.content.decode()
    item = plan.items.first()
    assert item is not None
    client.post(reverse("distribution:item_delete", args=[item.pk]))
    assert PlanItem.objects.filter(pk=item.pk).exists()
    again = client.post(reverse("distribution:dividend_pay", args=[dividend.pk]), {"paid_on": PAID_ON.isoformat()})
    assert "不能重复发放" in again.content.decode()
    plan.refresh_from_db()
    assert plan.note == ""


def test_the_60_percent_check_is_shown_on_a_cooperatives_plan(town: Any) -> None:
    actor = town.users["xuqiao"]
    coop = make_org(town.xuqiao.area, actor, kind=OrgKind.SPECIALISED_COOPERATIVE)
    plan = services.create_plan(
        actor=actor,
        org=coop,
        year=2025,
        surplus=Decimal("1000.00"),
        record_date=RECORD_DATE,
        decision=resolved_decision(town.xuqiao.area),
    )
    services.add_item(actor=actor, plan=plan, kind="returns", amount=Decimal("500.00"))
    client = town.client_for("xuqiao")
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "第四十四条" in page and "不足,不能批准" in page and "50.0%" in page
    refused = client.post(
        reverse("distribution:plan_approve", args=[plan.pk]), {"approved_on": APPROVED_ON.isoformat()}
    )
    assert "百分之六十" in refused.content.decode()


def test_the_menu_and_the_list(town: Any) -> None:
    approved_plan(town, "xuqiao", town.xuqiao)
    approved_plan(town, "fashuihe", town.fashuihe)
    page = town.client_for("xuqiao").get(reverse("distribution:plan_list")).content.decode()
    assert "收益分配" in page and "徐桥村" in page and "发水河村" not in page
    assert town.client_for("gridworker").get(reverse("distribution:plan_list")).status_code == 200
    assert town.client_for("gridworker").get(reverse("distribution:plan_create")).status_code == 403
    export = town.client_for("admin").get(reverse("distribution:plan_list"), {"export": "xlsx"})
    assert export.status_code == 200


def test_the_vouchers_link_back_to_the_plan(town: Any) -> None:
    plan = approved_plan(town, "xuqiao", town.xuqiao)
    page = town.client_for("xuqiao").get(reverse("ledger:voucher_detail", args=[plan.voucher_id])).content.decode()
    assert plan.get_absolute_url() in page
    dividend = Dividend.objects.filter(plan=plan).first()
    assert dividend is not None
    payout = services.record_payout(actor=town.users["xuqiao"], dividend=dividend, paid_on=PAID_ON)
    page = town.client_for("xuqiao").get(reverse("ledger:voucher_detail", args=[payout.voucher_id])).content.decode()
    assert plan.get_absolute_url() in page
