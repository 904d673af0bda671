"""The 徐桥村 sorghum story's key steps through the pages, as docs/economy.md walks a newcomer through
them: the forms posted as the browser posts them (the secretary `xuqiao` decides, founds, plants and
signs; the accountant `xq_kuaiji` records the money), each page then showing its figure and a link to
its voucher, and the voucher page showing the amount. Shorter than the API replay (one member, one
parcel, one stage of work): the point is that the UI can do each step."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hongniudai.collective.models import Decision, EconomicOrg
from hongniudai.land.models import RentInstalment, RentPayment, TransferContract
from hongniudai.ledger.models import Voucher
from hongniudai.orglife import services as orglife
from hongniudai.production.models import Delivery, Planting, PurchaseContract, Sale, WagePayment, WorkRecord

from .conftest import YEAR, Story, day

pytestmark = pytest.mark.django_db


@dataclass
class Replay:
    story: Story
    sec: Client  # 徐桥村's secretary
    acc: Client  # 徐桥村's accountant


def page(client: Client, url: str, **params: Any) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def posted(client: Client, url: str, data: dict[str, Any]) -> str:
    """POST a form; it must be accepted (a redirect). Returns where it leads."""
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    return str(response["Location"])


def links_to_voucher(client: Client, body: str, voucher: Voucher | None, amount: str) -> None:
    """The page links to the voucher, and the voucher page shows the amount (`1,234.00`)."""
    assert voucher is not None
    url = reverse("ledger:voucher_detail", args=[voucher.pk])
    assert url in body
    assert amount in page(client, url)


# ---- the chapters of the story, each through the forms a newcomer fills in ----------------------


def decide(r: Replay, subject: str, title: str, steps: list[dict[str, Any]]) -> Decision:
    """集体经济 › 四议两公开 › 登记事项, then the decision page's 记录下一环节, step by step."""
    data = {"village": r.story.village.pk, "subject": subject, "title": title}
    posted(r.sec, reverse("collective:decision_create"), data)
    decision = Decision.objects.get(title=title)
    for step in steps:
        posted(r.sec, reverse("collective:decision_step", args=[decision.pk]), step)
    return decision


def decisions(r: Replay) -> tuple[Decision, Decision]:
    """The founding decision on the branch's meetings (kept by organisational life), and the land's."""
    xq = r.story.town.xuqiao
    committee = orglife.record_meeting(
        actor=r.story.secretary,
        org=xq.branch,
        held_on=dt.date(YEAR, 1, 5),
        topic="研究组建红高粱种植合作社",
        kinds=["committee_meeting"],
        attendance=[],
    )
    members = orglife.record_meeting(
        actor=r.story.secretary,
        org=xq.branch,
        held_on=dt.date(YEAR, 1, 12),
        topic="支部党员大会审议组建合作社",
        kinds=["member_meeting"],
        attendance=[orglife.AttendanceEntry(member=xq.member)],
    )
    founding = decide(
        r,
        "cooperative",
        "村集体组建股份制合作社种植红高粱",
        [
            {"kind": "propose", "held_on": day(1, 5), "meeting": committee.pk},
            {"kind": "discuss", "held_on": day(1, 8)},
            {"kind": "review", "held_on": day(1, 12), "meeting": members.pk, "attended": "1", "agreed": "1"},
            {"kind": "resolve", "held_on": day(1, 15), "attended": "46", "agreed": "45"},
            {"kind": "publish_resolution", "held_on": day(1, 20)},
        ],
    )
    body = page(r.sec, reverse("collective:decision_detail", args=[founding.pk]))
    assert "支部党员大会审议组建合作社" in body and "参会 46 人,同意 45 人" in body
    assert "尚未完成的环节" in body and "实施结果公开" in body
    transfer = decide(
        r,
        "land_transfer",
        "流转村民打算撂荒的坡地岗田交合作社经营",
        [
            {"kind": k, "held_on": day(1, n)}
            for k, n in (("propose", 6), ("discuss", 9), ("review", 13), ("resolve", 16))
        ],
    )
    return founding, transfer


def cooperative(r: Replay, founding: Decision) -> EconomicOrg:
    """The collective keeps the village's books and founds the cooperative, which opens its own."""
    posted(
        r.sec,
        reverse("collective:org_create"),
        {
            "village": r.story.village.pk,
            "name": "徐桥村股份经济合作社",
            "kind": "shareholding_collective",
            "founded_on": "2020-06-30",
            "books": r.story.books.pk,
        },
    )
    collective = EconomicOrg.objects.get(founded_by__isnull=True)
    posted(
        r.sec,
        reverse("collective:cooperative_create", args=[collective.pk]),
        {
            "name": "徐桥村红高粱种植股份制合作社",
            "kind": "shareholding_cooperative",
            "decision": founding.pk,
            "founded_on": day(1, 25),
            "business": "红高粱种植、销售,白酒加工销售",
        },
    )
    assert "徐桥村红高粱种植股份制合作社" in page(r.sec, reverse("collective:org_detail", args=[collective.pk]))
    return EconomicOrg.objects.get(founded_by=collective)


def members_and_shares(r: Replay, coop: EconomicOrg, founding: Decision) -> None:
    """黄文华's household a member; the collective's 100,000.00 and the member's 2,000.00 on the
    register, the collective's drilling down to its voucher."""
    household = r.story.town.xuqiao.household
    data = {"household": household.pk, "confirmed_on": day(1, 25), "decision": founding.pk}
    posted(r.acc, reverse("collective:member_create", args=[coop.pk]), data)
    for holder, shares, amount in (("", "100", "100000.00"), (household.pk, "2", "2000.00")):
        posted(
            r.acc,
            reverse("collective:share_create", args=[coop.pk]),
            {
                "household": holder,
                "contribution": "cash",
                "shares": shares,
                "amount": amount,
                "effective_on": day(1, 25),
                "reason": "现金入股",
                "decision": founding.pk,
            },
        )
    register = page(r.acc, reverse("collective:share_register", args=[coop.pk]))
    assert "100000.00" in register and "2000.00" in register
    links_to_voucher(r.acc, register, coop.share_entries.get(household__isnull=True).voucher, "100,000.00")


def land(r: Replay, coop: EconomicOrg, transfer: Decision) -> RentPayment:
    """The household's 9.00 mu leased to the cooperative at 400.00 a mu; the first year's 3,600.00 paid."""
    household = r.story.town.xuqiao.household
    data = {"household": household.pk, "name": "岗田", "registered_area": "9.00", "kind": "arable"}
    posted(r.acc, reverse("land:parcel_create"), data)
    posted(
        r.acc,
        reverse("land:contract_create"),
        {
            "village": r.story.village.pk,
            "number": f"XQLZ-{YEAR}-001",
            "kind": "lease",
            "org": coop.pk,
            "decision": transfer.pk,
            "starts_on": day(2, 1),
            "ends_on": f"{YEAR + 5}-01-31",
            "rent_per_mu": "400.00",
            "cycle": "yearly",
            "due_month": "2",
            "due_day": "1",
            "signed_on": day(2, 1),
        },
    )
    contract = TransferContract.objects.get(number=f"XQLZ-{YEAR}-001")
    parcel = household.land_parcels.get()
    posted(r.acc, reverse("land:contract_add_parcel", args=[contract.pk]), {"parcel": parcel.pk, "area": "9.00"})
    instalment = RentInstalment.objects.get(contract=contract, due_on__year=YEAR)
    posted(r.acc, reverse("land:instalment_pay", args=[instalment.pk]), {"paid_on": day(2, 10)})
    body = page(r.acc, contract.get_absolute_url())
    assert "3600.00" in body
    payment = RentPayment.objects.get(instalment=instalment)
    links_to_voucher(r.acc, body, payment.voucher, "3,600.00")
    return payment


def work_and_wages(r: Replay, coop: EconomicOrg) -> WagePayment:
    """The planting (the secretary's: its adviser comes from the enterprise registry, which the
    accountant does not see), 黄文华's 6 days at 120.00 and his wages paid."""
    posted(
        r.sec,
        reverse("production:planting_create"),
        {
            "org": coop.pk,
            "crop": "红高粱",
            "year": str(YEAR),
            "season": "春播秋收",
            "area_mu": "9.00",
            "land": "流转的坡地岗田",
            "adviser": r.story.seed.pk,
            "started_on": day(4, 20),
        },
    )
    planting = Planting.objects.get(org=coop)
    response = r.acc.post(
        reverse("production:work_create"),
        {
            "org": coop.pk,
            "planting": planting.pk,
            "worker": r.story.huang.pk,
            "worked_on": day(4, 21),
            "worked_until": day(4, 29),
            "days": "6",
            "daily_rate": "120",
            "task": "整地播种",
        },
        follow=True,
    )
    assert "应付工资 720.00 元" in response.content.decode()
    record = WorkRecord.objects.get(org=coop)
    body = page(r.acc, reverse("production:work_detail", args=[record.pk]))
    links_to_voucher(r.acc, body, record.voucher, "720.00")
    data = {"org": coop.pk, "worker": r.story.huang.pk, "amount": "720", "paid_on": day(5, 5), "paid_from": "102"}
    posted(r.acc, reverse("production:payment_create"), data)
    wages = WagePayment.objects.get(org=coop)
    body = page(r.acc, reverse("production:payment_detail", args=[wages.pk]))
    assert "720.00" in body
    links_to_voucher(r.acc, body, wages.voucher, "720.00")
    return wages


def contract_and_deliveries(r: Replay, coop: EconomicOrg) -> None:
    """The distillery's purchase contract (signed by the secretary), delivered in full by the accountant."""
    posted(
        r.sec,
        reverse("production:contract_create"),
        {
            "org": coop.pk,
            "buyer": r.story.distillery.pk,
            "number": f"XQJY-{YEAR}-01",
            "crop": "红高粱",
            "quantity": "95000",
            "unit": "kg",
            "price": "1.40",
            "price_unit": "jin",
            "signed_on": day(8, 1),
            "schedule": f"{day(9, 10)} 50000\n{day(9, 18)} 45000",
        },
    )
    purchase = PurchaseContract.objects.get(org=coop)
    url = reverse("production:delivery_create", args=[purchase.pk])
    posted(r.acc, url, {"delivered_on": day(9, 10), "quantity": "100000", "unit": "jin", "settled_by": "112"})
    posted(r.acc, url, {"delivered_on": day(9, 18), "quantity": "45", "unit": "tonne", "settled_by": "112"})
    body = page(r.acc, reverse("production:contract_detail", args=[purchase.pk]))
    assert "266000.00" in body
    first = Delivery.objects.filter(contract=purchase).order_by("delivered_on").first()
    assert first is not None
    links_to_voucher(r.acc, body, first.voucher, "140,000.00")


def liquor(r: Replay, coop: EconomicOrg) -> None:
    """10,000 jin brewed, the liquor sold in three lots: 37,500.00 + 37,500.00 + 25,000.00."""
    posted(
        r.acc,
        reverse("production:processing_create"),
        {
            "org": coop.pk,
            "input_crop": "红高粱",
            "input_quantity": "10000",
            "input_unit": "jin",
            "product": "高粱白酒",
            "output_quantity": "4000",
            "product_unit": "jin",
            "processed_on": day(9, 22),
        },
    )
    for sold_on, jin, amount, shown, buyer in (
        (day(10, 8), "1500", "37500.00", "37,500.00", "宋河镇供销超市"),
        (day(10, 23), "1500", "37500.00", "37,500.00", "县城酒类经销商"),
        (day(11, 7), "1000", "25000.00", "25,000.00", "村民及游客零售"),
    ):
        where = posted(
            r.acc,
            reverse("production:sale_create"),
            {
                "org": coop.pk,
                "product": "高粱白酒",
                "quantity": jin,
                "product_unit": "jin",
                "unit_price": "25.00",
                "buyer_name": buyer,
                "sold_on": sold_on,
            },
        )
        sale = Sale.objects.get(org=coop, sold_on=sold_on)
        assert where == reverse("production:sale_detail", args=[sale.pk])
        body = page(r.acc, where)
        assert amount in body
        links_to_voucher(r.acc, body, sale.voucher, shown)


# ---- the story, end to end ---------------------------------------------------------------------


def test_the_sorghum_story_through_the_pages(story: Story) -> None:
    r = Replay(story, story.town.client_for("xuqiao"), story.town.client_for("xq_kuaiji"))
    founding, transfer = decisions(r)
    coop = cooperative(r, founding)
    members_and_shares(r, coop, founding)
    rent = land(r, coop, transfer)
    wages = work_and_wages(r, coop)
    contract_and_deliveries(r, coop)
    liquor(r, coop)

    # The collective's income: 100,000.00 from the liquor on the income page, and in the books.
    income = page(r.sec, reverse("production:income"), village=story.village.pk, year=YEAR)
    assert "高粱白酒销售" in income and "100000.00" in income
    assert coop.books is not None
    months = {"from": f"{YEAR}-01", "to": f"{YEAR}-12"}
    statement = page(r.sec, reverse("ledger:income_statement", args=[coop.books.pk]), **months)
    assert "366,000.00" in statement  # the contract's 266,000.00 and the liquor's 100,000.00

    # 黄文华's household page: the rent and the wages, each linking to its voucher.
    body = page(r.sec, reverse("benefits:household_year", args=[story.town.xuqiao.household.pk]), year=YEAR)
    assert "脱贫户" in body and "3600.00" in body and "720.00" in body and "4320.00" in body
    links_to_voucher(r.sec, body, wages.voucher, "720.00")
    links_to_voucher(r.sec, body, rent.voucher, "3,600.00")
