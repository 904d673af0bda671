"""The 徐桥村 sorghum story replayed through the REST API alone, as docs/economy.md tells a newcomer:
the branch's meetings, the decision through 四议两公开, the cooperative, its members and shares, the
land transferred and its rent paid, the planting and 黄文华's work and wages, the distillery's purchase
contract delivered and paid, 10,000 jin brewed and the liquor sold for 100,000.00 yuan; then the
income read back from the cooperative's books and 黄文华's household benefit. Every money step is
followed to its voucher through the ledger API, and the voucher holds the amount.

The households are two instead of the demo's 36 and the field work two stages instead of five; the
contract, the deliveries, the brewing and the three sales are the demo's own figures
(`hongniudai.demo.economy_plan`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from .conftest import YEAR, Story, day

pytestmark = pytest.mark.django_db

API = "/api/v1"


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def created(response: Any, status: int = 201) -> dict[str, Any]:
    assert response.status_code == status, response.json()
    return response.json()


def voucher_holds(api: APIClient, voucher_id: int | None, amount: str, debit: str, credit: str) -> dict[str, Any]:
    """GET the voucher through the ledger API: posted, with `amount` on a line of the account
    `debit` (or one of its sub-accounts) and on a line of `credit`."""
    assert voucher_id, "the event has no voucher"
    body = created(api.get(f"{API}/ledger-vouchers/{voucher_id}/"), 200)
    assert body["status"] == "posted"
    lines = [(line["account_code"], line["debit"], line["credit"]) for line in body["lines"]]
    assert any(code.startswith(debit) and dr == amount for code, dr, _cr in lines), lines
    assert any(code.startswith(credit) and cr == amount for code, _dr, cr in lines), lines
    return body


# ---- the chapters of the story, each through the endpoints a newcomer calls ---------------------


def meetings(sec: APIClient, story: Story) -> tuple[int, int]:
    """The branch committee's meeting that proposes, the members' meeting (支部党员大会) that reviews."""
    xq = story.town.xuqiao
    committee = created(
        sec.post(
            f"{API}/meetings/",
            {
                "org": xq.branch.pk,
                "held_on": day(1, 5),
                "topic": "研究组建红高粱种植合作社",
                "kinds": ["committee_meeting"],
            },
            format="json",
        )
    )
    members = created(
        sec.post(
            f"{API}/meetings/",
            {
                "org": xq.branch.pk,
                "held_on": day(1, 12),
                "topic": "审议村集体组建股份制合作社种植红高粱",
                "kinds": ["member_meeting"],
                "attendance": [{"member": xq.member.pk, "present": True}],
            },
            format="json",
        )
    )
    return committee["id"], members["id"]


def decide(sec: APIClient, story: Story, subject: str, title: str, steps: list[dict[str, Any]]) -> dict[str, Any]:
    """A decision created, then its steps recorded in order (四议两公开)."""
    decision = created(
        sec.post(
            f"{API}/collective-decisions/",
            {"village": story.village.pk, "subject": subject, "title": title},
            format="json",
        )
    )
    for step in steps:
        created(sec.post(f"{API}/collective-decisions/{decision['id']}/steps/", step, format="json"))
    return created(sec.get(f"{API}/collective-decisions/{decision['id']}/"), 200)


def decisions(sec: APIClient, story: Story) -> tuple[int, int]:
    committee, members = meetings(sec, story)
    founding = decide(
        sec,
        story,
        "cooperative",
        "村集体组建股份制合作社种植红高粱",
        [
            {"kind": "propose", "held_on": day(1, 5), "meeting": committee},
            {"kind": "discuss", "held_on": day(1, 8)},
            {"kind": "review", "held_on": day(1, 12), "meeting": members, "attended": 1, "agreed": 1},
            {"kind": "resolve", "held_on": day(1, 15), "attended": 46, "agreed": 45},
            {"kind": "publish_resolution", "held_on": day(1, 20)},
        ],
    )
    assert [s["kind"] for s in founding["steps"]] == ["propose", "discuss", "review", "resolve", "publish_resolution"]
    assert founding["steps"][2]["meeting"] == members  # the members' meeting's decision
    assert [m["kind"] for m in founding["missing_steps"]] == ["publish_result"]
    transfer = decide(
        sec,
        story,
        "land_transfer",
        "流转村民打算撂荒的坡地岗田交合作社经营",
        [
            {"kind": kind, "held_on": day(1, n)}
            for kind, n in (("propose", 6), ("discuss", 9), ("review", 13), ("resolve", 16), ("publish_resolution", 21))
        ],
    )
    return founding["id"], transfer["id"]


def cooperative(sec: APIClient, story: Story, founding: int) -> dict[str, Any]:
    """The village's collective economic organisation keeps the village's books and founds the
    shareholding cooperative, which opens books of its own."""
    collective = created(
        sec.post(
            f"{API}/collective-orgs/",
            {
                "village": story.village.pk,
                "name": "徐桥村股份经济合作社",
                "kind": "shareholding_collective",
                "founded_on": "2020-06-30",
                "books": story.books.pk,
            },
            format="json",
        )
    )
    assert collective["books"] == story.books.pk
    coop = created(
        sec.post(
            f"{API}/collective-orgs/{collective['id']}/found-cooperative/",
            {
                "name": "徐桥村红高粱种植股份制合作社",
                "kind": "shareholding_cooperative",
                "decision": founding,
                "founded_on": day(1, 25),
                "business": "红高粱种植、销售,白酒加工销售",
            },
            format="json",
        )
    )
    assert coop["founded_by"] == collective["id"] and coop["decision"] == founding and coop["books"]
    return coop


def members_and_shares(acc: APIClient, story: Story, coop: dict[str, Any], founding: int) -> None:
    """The collective pays 100,000.00 for 100 shares, each member household 2,000.00 for 2: each
    payment's voucher is Dr 102 银行存款 / Cr 301 资本."""
    households = [story.town.xuqiao.household.pk, story.neighbour.pk]
    for household in households:
        created(
            acc.post(
                f"{API}/collective-members/",
                {"org": coop["id"], "household": household, "confirmed_on": day(1, 25), "decision": founding},
                format="json",
            )
        )
    payments = [(None, "100", "100000.00", "村集体以集体资金入股")] + [
        (household, "2", "2000.00", "成员现金入股") for household in households
    ]
    for household, shares, amount, reason in payments:
        entry = created(
            acc.post(
                f"{API}/collective-share-entries/",
                {
                    "org": coop["id"],
                    "household": household,
                    "contribution": "cash",
                    "shares": shares,
                    "amount": amount,
                    "effective_on": day(1, 25),
                    "reason": reason,
                    "decision": founding,
                },
                format="json",
            )
        )
        voucher = voucher_holds(acc, entry["voucher"], amount, debit="102", credit="301")
        assert voucher["books"] == coop["books"]
    holdings = created(acc.get(f"{API}/collective-orgs/{coop['id']}/holdings/"), 200)
    assert sorted((h["household"] or 0, h["shares"]) for h in holdings) == sorted(
        [(0, "100.00"), *((household, "2.00") for household in households)]
    )


def land(acc: APIClient, story: Story, coop: dict[str, Any], transfer: int) -> int:
    """Each household's 9.00 mu of slope land leased to the cooperative at 400.00 yuan a mu a year
    for five years; the first year's rent, 3,600.00 a household, accrued and paid. Returns 黄文华's
    rent payment's voucher."""
    contract = created(
        acc.post(
            f"{API}/land/contracts/",
            {
                "village": story.village.pk,
                "number": f"XQLZ-{YEAR}-001",
                "kind": "lease",
                "org": coop["id"],
                "decision": transfer,
                "starts_on": day(2, 1),
                "ends_on": f"{YEAR + 5}-01-31",
                "rent_per_mu": "400.00",
                "due_month": 2,
                "due_day": 1,
                "signed_on": day(2, 1),
                "note": "流转农户打算撂荒的坡地岗田",
            },
            format="json",
        )
    )
    assert contract["decision_missing"] is False and contract["transferee_name"] == "徐桥村红高粱种植股份制合作社"
    url = f"{API}/land/contracts/{contract['id']}/"
    for household in (story.town.xuqiao.household, story.neighbour):
        parcel = created(
            acc.post(
                f"{API}/land/parcels/",
                {"household": household.pk, "name": "岗田", "registered_area": "9.00", "kind": "arable", "grade": 5},
                format="json",
            )
        )
        created(acc.post(f"{url}parcels/", {"parcel": parcel["id"], "area": "9.00"}, format="json"), 200)
    assert created(acc.get(url), 200)["total_area"] == "18.00"
    due = created(acc.get(f"{API}/land/instalments/", {"contract": contract["id"], "status": "due"}), 200)["results"]
    first_year = [row for row in due if row["due_on"].startswith(str(YEAR))]
    assert sorted(row["amount"] for row in first_year) == ["3600.00", "3600.00"]
    vouchers = {}
    for row in first_year:
        payment = created(
            acc.post(f"{API}/land/instalments/{row['id']}/pay/", {"paid_on": day(2, 10)}, format="json"), 200
        )
        assert payment["amount"] == "3600.00"
        voucher_holds(acc, payment["voucher"], "3600.00", debit="113", credit="102")  # paid from the bank
        accrued = created(acc.get(f"{API}/land/instalments/{row['id']}/"), 200)
        assert accrued["status"] == "paid"
        voucher_holds(acc, accrued["voucher"], "3600.00", debit="511", credit="113")  # the rent accrued
        vouchers[row["household"]] = payment["voucher"]
    return vouchers[story.town.xuqiao.household.pk]


def planting_and_work(sec: APIClient, acc: APIClient, story: Story, coop: dict[str, Any]) -> tuple[int, int]:
    """Red sorghum planted under 鄂州种业's guidance; 黄文华 works two stages at 120.00 a day (720.00
    and 960.00, each accrued Dr 401 / Cr 213) and is paid his 1,680.00 (Dr 213 / Cr 102); the
    autumn harvest is 100,000 kg. Returns the planting and the wage payment's voucher. The secretary
    records the planting: its adviser is chosen from the enterprise registry, which the accountant
    does not see (no VIEW capability)."""
    planting = created(
        sec.post(
            f"{API}/production-plantings/",
            {
                "org": coop["id"],
                "crop": "红高粱",
                "year": YEAR,
                "season": "春播秋收",
                "area_mu": "18.00",
                "land": "流转的坡地岗田(2户)",
                "adviser": story.seed.pk,
                "started_on": day(4, 20),
            },
            format="json",
        )
    )
    assert planting["adviser_name"] == "鄂州种业有限公司"
    for (start, until), days, amount, task in (
        (((4, 21), (4, 29)), "6", "720.00", "整地播种"),
        (((6, 1), (6, 10)), "8", "960.00", "间苗除草"),
    ):
        work = created(
            acc.post(
                f"{API}/production-work/",
                {
                    "org": coop["id"],
                    "planting": planting["id"],
                    "worker": story.huang.pk,
                    "worked_on": day(*start),
                    "worked_until": day(*until),
                    "days": days,
                    "daily_rate": "120.00",
                    "task": task,
                },
                format="json",
            )
        )
        assert work["amount"] == amount and work["household"] == story.town.xuqiao.household.pk
        voucher_holds(acc, work["voucher"], amount, debit="401", credit="213")
    owed = created(acc.get(f"{API}/production-wages-due/", {"org": coop["id"]}), 200)
    assert [(r["worker_name"], r["accrued"], r["due"]) for r in owed] == [("黄文华", "1680.00", "1680.00")]
    paid = created(
        acc.post(
            f"{API}/production-wage-payments/",
            {
                "org": coop["id"],
                "worker": story.huang.pk,
                "amount": "1680.00",
                "paid_on": day(7, 1),
                "paid_from": "102",
            },
            format="json",
        )
    )
    voucher_holds(acc, paid["voucher"], "1680.00", debit="213", credit="102")
    owed = created(acc.get(f"{API}/production-wages-due/", {"org": coop["id"]}), 200)
    assert [(r["paid"], r["due"]) for r in owed] == [("1680.00", "0.00")]
    created(
        acc.post(
            f"{API}/production-harvests/",
            {"planting": planting["id"], "harvested_on": day(9, 5), "quantity_kg": "100000.000"},
            format="json",
        )
    )
    row = created(acc.get(f"{API}/production-plantings/{planting['id']}/"), 200)
    assert (row["wages"], row["harvest_kg"]) == ("1680.00", "100000.000")
    return planting["id"], paid["voucher"]


def contract_and_deliveries(sec: APIClient, acc: APIClient, story: Story, coop: dict[str, Any]) -> int:
    """The distillery's purchase contract: 95,000 kg at 1.40 yuan a jin (266,000.00), delivered in two
    lots (Dr 112 应收款 / Cr 501 经营收入) and paid (Dr 102 / Cr 112). Returns the contract."""
    contract = created(
        sec.post(
            f"{API}/production-contracts/",
            {
                "org": coop["id"],
                "buyer": story.distillery.pk,
                "number": f"XQJY-{YEAR}-01",
                "crop": "红高粱",
                "quantity_kg": "95000.000",
                "price": "1.40",
                "price_unit": "jin",
                "signed_on": day(8, 1),
                "schedule": [
                    {"due_on": day(9, 10), "quantity_kg": "50000.000"},
                    {"due_on": day(9, 18), "quantity_kg": "45000.000"},
                ],
            },
            format="json",
        )
    )
    for (delivered, received), kg, amount in (
        (((9, 10), (9, 18)), "50000.000", "140000.00"),
        (((9, 18), (9, 26)), "45000.000", "126000.00"),
    ):
        delivery = created(
            acc.post(
                f"{API}/production-deliveries/",
                {"contract": contract["id"], "delivered_on": day(*delivered), "quantity_kg": kg},
                format="json",
            )
        )
        assert delivery["amount"] == amount
        voucher_holds(acc, delivery["voucher"], amount, debit="112", credit="501")
        receipt = created(
            acc.post(
                f"{API}/production-receipts/",
                {"delivery": delivery["id"], "received_on": day(*received), "amount": amount},
                format="json",
            )
        )
        voucher_holds(acc, receipt["voucher"], amount, debit="102", credit="112")
    row = created(acc.get(f"{API}/production-contracts/{contract['id']}/"), 200)
    assert (row["delivered_kg"], row["owed_kg"], row["delivered_amount"]) == ("95000.000", "0.000", "266000.00")
    return contract["id"]


def liquor(acc: APIClient, coop: dict[str, Any]) -> list[int]:
    """10,000 jin (5,000 kg) brewed into 4,000 jin of liquor, sold in three lots at 25.00 yuan a jin:
    37,500.00 + 37,500.00 + 25,000.00 = 100,000.00 (Dr 102 / Cr 501 each). Returns the vouchers."""
    created(
        acc.post(
            f"{API}/production-processing/",
            {
                "org": coop["id"],
                "input_crop": "红高粱",
                "input_kg": "5000.000",
                "product": "高粱白酒",
                "output_quantity": "4000.000",
                "product_unit": "jin",
                "processed_on": day(9, 22),
                "note": "与徐桥酒业商量,拿出1万斤红高粱酿成白酒投放市场",
            },
            format="json",
        )
    )
    vouchers = []
    for sold_on, jin, amount, buyer in (
        ((10, 8), "1500", "37500.00", "宋河镇供销超市"),
        ((10, 23), "1500", "37500.00", "县城酒类经销商"),
        ((11, 7), "1000", "25000.00", "村民及游客零售"),
    ):
        sale = created(
            acc.post(
                f"{API}/production-sales/",
                {
                    "org": coop["id"],
                    "product": "高粱白酒",
                    "quantity": jin,
                    "product_unit": "jin",
                    "unit_price": "25.00",
                    "sold_on": day(*sold_on),
                    "buyer_name": buyer,
                },
                format="json",
            )
        )
        assert sale["amount"] == amount
        voucher_holds(acc, sale["voucher"], amount, debit="102", credit="501")
        vouchers.append(sale["voucher"])
    return vouchers


# ---- the story, end to end ---------------------------------------------------------------------


def test_the_sorghum_story_replays_through_the_api_and_every_figure_reaches_its_vouchers(story: Story) -> None:
    sec, acc = client_for(story.secretary), client_for(story.accountant)
    founding, transfer = decisions(sec, story)
    coop = cooperative(sec, story, founding)
    members_and_shares(acc, story, coop, founding)
    rent_voucher = land(acc, story, coop, transfer)
    _planting, wage_voucher = planting_and_work(sec, acc, story, coop)
    contract_and_deliveries(sec, acc, story, coop)
    sale_vouchers = liquor(acc, coop)

    # The collective's income from the liquor: 100,000.00, by source and in the books.
    income = created(acc.get(f"{API}/production-income/", {"village": story.village.pk, "year": YEAR}), 200)
    sources = {(s["kind"], s["label"]): s for org in income if org["org"] == coop["id"] for s in org["sources"]}
    liquor_income = sources[("sale", "高粱白酒销售")]
    assert liquor_income["amount"] == "100000.00"
    assert sorted(liquor_income["voucher_ids"]) == sorted(sale_vouchers)
    assert sources[("contract", "红高粱订单(湖北徐桥酒业有限公司)")]["amount"] == "266000.00"
    credited = sum(
        (
            Decimal(line["credit"])
            for pk in sale_vouchers
            for line in created(acc.get(f"{API}/ledger-vouchers/{pk}/"), 200)["lines"]
            if line["account_code"].startswith("501")
        ),
        Decimal(0),
    )
    assert credited == Decimal("100000.00")
    months = {"from": f"{YEAR}-01", "to": f"{YEAR}-12"}
    trial = created(acc.get(f"{API}/ledger-reports/{coop['books']}/trial-balance/", months), 200)
    revenue = next(row for row in trial if row["code"] == "501")
    assert revenue["credit"] == "366000.00"  # the contract's 266,000.00 and the liquor's 100,000.00
    statement = created(acc.get(f"{API}/ledger-reports/{coop['books']}/income-statement/", months), 200)
    line = next(row for part in statement["parts"] for row in part if row["id"] == "I01")
    assert line["name"] == "一、经营收入" and line["amounts"][-1] == "366000.00"

    # The village's year: the same income by source, and what reached its formerly poor households.
    village = created(sec.get(f"{API}/benefits/villages/{story.village.pk}/", {"year": YEAR}), 200)
    assert {(i["kind"], i["name"], i["amount"]) for i in village["income"]} >= {
        ("sale", "高粱白酒销售", "100000.00"),
        ("contract", "红高粱订单(湖北徐桥酒业有限公司)", "266000.00"),
    }
    assert village["formerly_poor"] == "5280.00"  # 黄文华's household: rent 3,600.00 and wages 1,680.00

    # 黄文华's household: the wages and the rent, each row drilling down to its voucher.
    household = story.town.xuqiao.household
    benefit = created(sec.get(f"{API}/benefits/households/{household.pk}/", {"year": YEAR}), 200)
    assert benefit["head_name"] == "黄文华" and benefit["is_formerly_poor"] is True
    assert benefit["totals"] == {
        "rent": "3600.00",
        "wages": "1680.00",
        "dividends": "0.00",
        "returnee_wages": "0.00",
        "total": "5280.00",
    }
    rows = {(r["kind"], r["amount"], r["voucher"]) for r in benefit["rows"]}
    assert rows == {("rent", "3600.00", rent_voucher), ("wages", "1680.00", wage_voucher)}
    for row in benefit["rows"]:
        assert row["event_url"] and row["voucher_number"]
        body = created(sec.get(f"{API}/ledger-vouchers/{row['voucher']}/"), 200)
        assert sum((Decimal(line["debit"]) for line in body["lines"]), Decimal(0)) == Decimal(row["amount"])
