"""The demo town's collective economy (`hongniudai.demo.economy`): 徐桥村's red-sorghum story from the
members' meeting to 100,000.00 yuan and 黄文华's rent, wages and dividends; every household's
benefit equal to the lines of its vouchers; the returnees; sound books."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from hongniudai.accounts.models import User
from hongniudai.benefits import selectors as benefits
from hongniudai.collective.models import STEP_ORDER, Decision, DecisionSubject, EconomicOrg, HouseholdAccount
from hongniudai.demo import economy_plan as plan
from hongniudai.distribution.models import DistributionPlan, Payout
from hongniudai.land.models import TransferContract
from hongniudai.ledger.models import Books, Period, PeriodStatus, VoucherLine, VoucherStatus
from hongniudai.places.models import AreaKind, AreaNode, Resident
from hongniudai.production.interface import income_by_source
from hongniudai.production.models import (
    Delivery,
    Harvest,
    Planting,
    Processing,
    PurchaseContract,
    Sale,
    WagePayment,
)
from hongniudai.returnees.models import Business, Support, WageRecord

YUAN = Decimal("0.01")


def cooperative() -> EconomicOrg:
    return EconomicOrg.objects.get(name=plan.COOPERATIVE)


def story_years() -> range:
    """The years the story's payments fall in (it takes the eleven months before today)."""
    today = timezone.localdate()
    return range(plan.before(today, plan.STEPS_DAYS[0]).year, today.year + 1)


def test_the_members_meeting_decides_and_the_collective_founds_the_cooperative(demo: str, db: Any) -> None:
    org = cooperative()
    founder = org.founded_by
    assert founder is not None and founder.founded_by is None and founder.books is not None
    assert org.village.name == plan.XUQIAO and org.books is not None and org.books != founder.books
    decision = org.decision
    assert decision is not None and decision.subject == DecisionSubject.COOPERATIVE
    steps = list(decision.steps.order_by("held_on", "id"))
    assert [s.kind for s in steps] == list(STEP_ORDER)
    review = steps[STEP_ORDER.index("review")]
    assert review.held_on < org.founded_on
    if review.meeting is not None:  # the branch's members' general meeting, where organisational life has one
        assert review.meeting.held_on == review.held_on and review.meeting.org.area_id == org.village_id
        assert review.meeting.marks.filter(kind="member_meeting").exists()
    assert org.memberships.count() == plan.HOUSEHOLDS
    contracts = TransferContract.objects.filter(org=org)
    assert contracts.count() == plan.HOUSEHOLDS
    assert sum(c.parcels.aggregate(s=Sum("area"))["s"] for c in contracts) == plan.PLANTED_MU
    assert {c.decision.subject for c in contracts if c.decision} == {DecisionSubject.LAND_TRANSFER}


def test_the_liquor_brings_the_collective_exactly_100000_yuan(demo: str, db: Any) -> None:
    org = cooperative()
    planting = Planting.objects.get(org=org)
    assert plan.SEED_COMPANY in planting.note and planting.area_mu == plan.PLANTED_MU
    assert Harvest.objects.get(planting=planting).quantity_kg == plan.HARVEST_KG
    assert Processing.objects.get(org=org).input_kg == Decimal("5000.000")  # 10,000 jin
    contract = PurchaseContract.objects.select_related("buyer").get(org=org)
    assert contract.buyer.name == plan.DISTILLERY and contract.quantity_kg == plan.CONTRACT_KG
    deliveries = Delivery.objects.filter(contract=contract)
    assert sum(d.quantity_kg for d in deliveries) == plan.CONTRACT_KG
    assert all(d.receipts.aggregate(s=Sum("amount"))["s"] == d.amount for d in deliveries)
    sales = Sale.objects.filter(org=org)
    year = sales.first().sold_on.year  # type: ignore[union-attr]
    assert {s.sold_on.year for s in sales} == {year}
    # Independently of the production package: the 501 lines of the sales' vouchers.
    fen = VoucherLine.objects.filter(voucher__in=sales.values("voucher"), account__code="501").aggregate(
        s=Sum("credit_fen")
    )["s"]
    assert Decimal(fen) / 100 == Decimal("100000.00")
    by_source = {s.kind: s.amount for s in income_by_source(org, year)}
    assert by_source["sale"] == Decimal("100000.00")


def test_huang_wenhua_receives_rent_wages_and_dividends(demo: str, db: Any) -> None:
    huang = Resident.objects.select_related("household").get(name=plan.HUANG_WENHUA)
    household = huang.household
    assert household.is_formerly_poor and household.hamlet.parent.name == "5组"  # type: ignore[union-attr]
    secretary = User.objects.get(username="xuqiao")
    totals = defaultdict(Decimal)
    for year in story_years():
        for key, amount in benefits.household_year(secretary, household, year).totals.as_dict().items():
            totals[key] += amount
    assert totals["rent"] == plan.MU_EACH * plan.RENT_PER_MU
    assert totals["wages"] > 0 and totals["dividends"] > 0
    assert totals["wages"] == sum(w.amount for w in WagePayment.objects.filter(household=household))
    assert totals["dividends"] == sum(p.amount for p in Payout.objects.filter(dividend__household=household))


def ledger_benefits(year: int) -> dict[int, Decimal]:
    """{household id: yuan} paid to each household in `year`, from the ledger alone: the debit lines
    of posted vouchers on the households' own sub-accounts (rent and dividends on 113 内部往来,
    wages on 213 应付劳务费: each payment clears what was owed), plus the wages returnee businesses
    recorded (their books are private: no voucher)."""
    owners = dict(HouseholdAccount.objects.values_list("account_id", "household_id"))
    lines = (
        VoucherLine.objects.filter(
            account_id__in=list(owners), voucher__status=VoucherStatus.POSTED, voucher__date__year=year
        )
        .values("account_id")
        .annotate(s=Sum("debit_fen"))
    )
    out: dict[int, Decimal] = defaultdict(Decimal)
    for row in lines:
        if row["s"]:
            out[owners[row["account_id"]]] += Decimal(row["s"]) / 100
    for record in WageRecord.objects.filter(year=year).select_related("employment"):
        out[record.employment.household_id] += record.amount
    return {k: v for k, v in out.items() if v}


def test_every_household_s_benefit_equals_what_its_vouchers_say(demo: str, db: Any) -> None:
    admin = User.objects.get(username="admin")
    villages = AreaNode.objects.filter(kind=AreaKind.VILLAGE).order_by("path")
    checked = 0
    for year in story_years():
        shown: dict[int, Decimal] = {}
        for village in villages:
            for row in benefits.village_year(admin, village, year).rows():
                shown[row.household.pk] = row.totals.total
                page = benefits.household_year(admin, row.household, year)
                assert page.totals.total == row.totals.total
                checked += 1
        assert shown == ledger_benefits(year), year
    assert checked > plan.HOUSEHOLDS


def test_every_household_account_clears(demo: str, db: Any) -> None:
    for ha in HouseholdAccount.objects.select_related("account"):
        sums = VoucherLine.objects.filter(account=ha.account).aggregate(d=Sum("debit_fen"), c=Sum("credit_fen"))
        assert (sums["d"] or 0) == (sums["c"] or 0), ha.account.name


def test_the_distribution_follows_its_plan_and_pays_everyone(demo: str, db: Any) -> None:
    for drawn in DistributionPlan.objects.select_related("org"):
        assert drawn.status == "done" and drawn.voucher_id is not None
        assert drawn.decision is not None and drawn.decision.steps.count() == len(STEP_ORDER)
        dividends = drawn.dividends.all()
        total = sum(d.amount for d in dividends)
        item = drawn.items.get(kind="dividends")
        assert total == (drawn.surplus * item.percentage / 100).quantize(YUAN)  # no fen lost
    specialised = DistributionPlan.objects.get(org__kind="specialised_cooperative")
    returns = specialised.items.get(kind="returns")
    assert returns.percentage >= 60


def test_the_returnees_employ_formerly_poor_villagers(demo: str, db: Any) -> None:
    for spec in plan.RETURNEES:
        business = Business.objects.select_related("founder__resident").get(name=spec.business)
        assert business.founder.resident.name == spec.name
        assert business.village.name == spec.village
        employments = business.employments.select_related("household")
        assert employments.count() == spec.employs
        assert any(e.household.is_formerly_poor for e in employments)
        assert WageRecord.objects.filter(employment__business=business).exists()
        assert Support.objects.filter(business=business).exists()


def test_every_book_is_closed_up_to_last_month_and_the_economy_lies_in_open_months(demo: str, db: Any) -> None:
    today = timezone.localdate()
    for books in Books.objects.all():
        open_months = Period.objects.filter(books=books, status=PeriodStatus.OPEN)
        assert not open_months.filter(year__lt=today.year).exists()
        assert not open_months.filter(year=today.year, month__lt=today.month).exists()
        assert books.opened_on >= dt.date(today.year - 1, today.month, 1)
    # 徐桥村: founding, land, distribution; 发水河村: founding, distribution; 何梅畈村: founding.
    assert Decision.objects.count() == 6
