"""Drawing up, approving and paying a distribution plan: the rules a village accountant meets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum

from hongniudai.collective.interface import EconomicOrg, OrgKind
from hongniudai.distribution import selectors, services
from hongniudai.distribution.interface import dividends_paid_to_households
from hongniudai.distribution.models import Dividend, PlanStatus
from hongniudai.ledger.models import Account, Voucher, VoucherLine
from hongniudai.ledger.services import close_period
from tests.distribution.helpers import APPROVED_ON, PAID_ON, draft_plan, holders, make_org, resolved_decision

D = Decimal


def _balance(account: Account) -> int:
    totals = VoucherLine.objects.filter(account=account).aggregate(d=Sum("debit_fen"), c=Sum("credit_fen"))
    return (totals["d"] or 0) - (totals["c"] or 0)


def test_book_surplus_is_shown_beside_the_figure(org: EconomicOrg, town: Any) -> None:
    plan = draft_plan(org, town.users["xuqiao"], surplus="90000.00")
    assert plan.surplus == D("90000.00")
    assert selectors.book_surplus(plan) == D("100000.00")


def test_items_over_the_surplus_are_refused(org: EconomicOrg, town: Any) -> None:
    actor = town.users["xuqiao"]
    plan = draft_plan(org, actor)
    services.add_item(actor=actor, plan=plan, kind="reserve", percentage=D("30"))
    with pytest.raises(ValidationError, match="超过可分配收益"):
        services.add_item(actor=actor, plan=plan, kind="dividends", amount=D("70000.01"))
    services.add_item(actor=actor, plan=plan, kind="dividends", amount=D("70000.00"))
    with pytest.raises(ValidationError, match="超过可分配收益"):
        services.update_plan(
            actor=actor,
            plan=plan,
            year=2025,
            surplus=D("99999.99"),
            record_date=plan.record_date,
            decision=plan.decision,
        )


@pytest.mark.parametrize("amount", [D("0"), D("-1"), D("1.001")])
def test_bad_amounts_are_refused(org: EconomicOrg, town: Any, amount: Decimal) -> None:
    plan = draft_plan(org, town.users["xuqiao"])
    with pytest.raises(ValidationError):
        services.add_item(actor=town.users["xuqiao"], plan=plan, kind="reserve", amount=amount)


def test_another_villages_secretary_may_not_draw_up_a_plan(org: EconomicOrg, town: Any) -> None:
    with pytest.raises(PermissionDenied):
        draft_plan(org, town.users["fashuihe"])


def _cooperative(town: Any, returns: str) -> Any:
    actor = town.users["xuqiao"]
    coop = make_org(town.xuqiao.area, actor, kind=OrgKind.SPECIALISED_COOPERATIVE)
    holders(coop, town.xuqiao.hamlet, ["1", "1"])
    plan = draft_plan(coop, actor)
    services.add_item(actor=actor, plan=plan, kind="returns", amount=D(returns))
    services.add_item(actor=actor, plan=plan, kind="dividends", amount=D("10000.00"))
    return plan


def test_cooperative_returning_less_than_60_percent_is_refused_citing_the_law(town: Any) -> None:
    plan = _cooperative(town, "59999.99")
    assert not selectors.plan_check(plan).returns_ok
    with pytest.raises(ValidationError, match="第四十四条") as refused:
        services.approve_plan(actor=town.users["xuqiao"], plan=plan, approved_on=APPROVED_ON)
    assert "百分之六十" in " ".join(refused.value.messages)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.voucher_id is None
    assert not Dividend.objects.filter(plan=plan).exists()


def test_cooperative_returning_exactly_60_percent_is_approved(town: Any) -> None:
    plan = _cooperative(town, "60000.00")
    approved = services.approve_plan(actor=town.users["xuqiao"], plan=plan, approved_on=APPROVED_ON)
    assert approved.status == PlanStatus.APPROVED


def test_a_collective_need_not_return_by_volume(org: EconomicOrg, town: Any) -> None:
    actor = town.users["xuqiao"]
    holders(org, town.xuqiao.hamlet, ["1"])
    plan = draft_plan(org, actor)
    services.add_item(actor=actor, plan=plan, kind="dividends", amount=D("1000.00"))
    assert selectors.plan_check(plan).returns_ok
    services.approve_plan(actor=actor, plan=plan, approved_on=APPROVED_ON)


def test_approval_needs_a_resolved_decision(org: EconomicOrg, town: Any) -> None:
    actor = town.users["xuqiao"]
    holders(org, town.xuqiao.hamlet, ["1"])
    plan = draft_plan(org, actor, decision=resolved_decision(town.xuqiao.area, resolved=False))
    services.add_item(actor=actor, plan=plan, kind="dividends", amount=D("1000.00"))
    with pytest.raises(ValidationError, match="村民\\(代表\\)会议决议"):
        services.approve_plan(actor=actor, plan=plan, approved_on=APPROVED_ON)


def test_dividends_split_exactly_and_posted_in_one_balanced_voucher(org: EconomicOrg, town: Any) -> None:
    actor = town.users["xuqiao"]
    households = holders(org, town.xuqiao.hamlet, ["1", "1", "1"])
    plan = draft_plan(org, actor)
    services.add_item(actor=actor, plan=plan, kind="reserve", percentage=D("20"))
    services.add_item(actor=actor, plan=plan, kind="dividends", amount=D("80000.00"))
    plan = services.approve_plan(actor=actor, plan=plan, approved_on=APPROVED_ON)
    rows = list(Dividend.objects.filter(plan=plan).order_by("household_id"))
    assert [r.household_id for r in rows] == [h.pk for h in households]
    assert [r.amount for r in rows] == [D("26666.67"), D("26666.67"), D("26666.66")]
    voucher = Voucher.objects.get(pk=plan.voucher_id)
    assert voucher.source == f"distribution.distributionplan:{plan.pk}"
    lines = list(voucher.lines.select_related("account"))
    assert sum(line.debit_fen for line in lines) == sum(line.credit_fen for line in lines) == 100_000_00
    credits = {line.account.code: line.credit_fen for line in lines if line.credit_fen}
    assert credits["311"] == 20_000_00
    assert len([line for line in lines if line.account.code.startswith("113")]) == 3


def test_collective_share_dividend_stays_with_the_collective(org: EconomicOrg, town: Any) -> None:
    actor = town.users["xuqiao"]
    holders(org, town.xuqiao.hamlet, ["1"] * 7, collective="3")
    plan = draft_plan(org, actor)
    services.add_item(actor=actor, plan=plan, kind="dividends", amount=D("0.05"))
    plan = services.approve_plan(actor=actor, plan=plan, approved_on=APPROVED_ON)
    rows = list(Dividend.objects.filter(plan=plan))
    assert sum(r.amount for r in rows) == D("0.05")
    # 0.5 fen a member share, 1.5 for the collective's 3: the collective keeps one whole fen, the
    # four fen left go to the first four households (equal remainders: holder order).
    assert [r.amount for r in rows if r.household_id] == [D("0.01")] * 4 + [D("0")] * 3
    collective = next(r for r in rows if r.household_id is None)
    assert collective.shares == D("3") and collective.amount == D("0.01")
    credits = {line.account.code: line.credit_fen for line in Voucher.objects.get(pk=plan.voucher_id).lines.all()}
    assert credits["311"] == 1
    with pytest.raises(ValidationError, match="集体股"):
        services.record_payout(actor=actor, dividend=collective, paid_on=PAID_ON)
    nothing = next(r for r in rows if r.household_id and not r.amount)
    with pytest.raises(ValidationError, match="应分金额为零"):
        services.record_payout(actor=actor, dividend=nothing, paid_on=PAID_ON)


def test_payouts_clear_the_households_accounts_and_lock_the_plan(town: Any) -> None:
    from tests.distribution.helpers import approved_plan

    actor = town.users["xuqiao"]
    plan = approved_plan(town, "xuqiao", town.xuqiao)
    rows = list(Dividend.objects.filter(plan=plan).select_related("household"))
    first = services.record_payout(actor=actor, dividend=rows[0], paid_on=PAID_ON)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PAYING
    # Locked: neither the plan nor its note may change, nor its items.
    with pytest.raises(ValidationError, match="已锁定"):
        services.update_plan(
            actor=actor,
            plan=plan,
            year=plan.year,
            surplus=plan.surplus,
            record_date=plan.record_date,
            decision=plan.decision,
            note="改一下",
        )
    with pytest.raises(ValidationError, match="已锁定"):
        services.delete_item(actor=actor, item=plan.items.first())
    # A second payout of the same dividend is refused.
    with pytest.raises(ValidationError, match="不能重复发放"):
        services.record_payout(actor=actor, dividend=rows[0], paid_on=PAID_ON)
    # Paying more than the dividend is refused.
    with pytest.raises(ValidationError, match="超过该户应分金额"):
        services.record_payout(actor=actor, dividend=rows[1], paid_on=PAID_ON, amount=rows[1].amount + D("0.01"))
    for row in rows[1:]:
        services.record_payout(actor=actor, dividend=row, paid_on=PAID_ON)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DONE
    accounts = Account.objects.filter(books_id=plan.org.books_id, code__startswith="113", parent__isnull=False)
    assert accounts.count() == 3
    assert all(_balance(a) == 0 for a in accounts)
    for payout_voucher in Voucher.objects.filter(source__startswith="distribution.payout:"):
        lines = list(payout_voucher.lines.all())
        assert sum(x.debit_fen for x in lines) == sum(x.credit_fen for x in lines) > 0
    paid = dividends_paid_to_households(town.xuqiao.area.pk, PAID_ON.year)
    assert sum(r.amount for r in paid) == D("50000.00")
    assert paid[0].voucher_id == first.voucher_id and paid[0].event == first
    assert dividends_paid_to_households(town.xuqiao.area.pk, 2025) == []


def test_an_approved_plan_keeps_its_items(org: EconomicOrg, town: Any) -> None:
    actor = town.users["xuqiao"]
    holders(org, town.xuqiao.hamlet, ["1"])
    plan = draft_plan(org, actor)
    services.add_item(actor=actor, plan=plan, kind="dividends", amount=D("100.00"))
    plan = services.approve_plan(actor=actor, plan=plan, approved_on=APPROVED_ON)
    with pytest.raises(ValidationError, match="已批准"):
        services.add_item(actor=actor, plan=plan, kind="reserve", amount=D("1.00"))
    # The note may still change before the first payout.
    services.update_plan(
        actor=actor,
        plan=plan,
        year=plan.year,
        surplus=plan.surplus,
        record_date=plan.record_date,
        decision=plan.decision,
        note="张榜公布",
    )
    with pytest.raises(ValidationError, match="只能修改说明"):
        services.update_plan(
            actor=actor,
            plan=plan,
            year=plan.year,
            surplus=D("1.00"),
            record_date=plan.record_date,
            decision=plan.decision,
        )


def test_a_closed_month_refuses_the_approval_and_nothing_is_saved(org: EconomicOrg, town: Any) -> None:
    actor = town.users["xuqiao"]
    holders(org, town.xuqiao.hamlet, ["1"])
    plan = draft_plan(org, actor)
    services.add_item(actor=actor, plan=plan, kind="dividends", amount=D("100.00"))
    assert org.books is not None
    close_period(actor=actor, books=org.books, year=2025, month=1)
    with pytest.raises(ValidationError):
        services.approve_plan(actor=actor, plan=plan, approved_on=dt.date(2025, 1, 20))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and not Dividend.objects.filter(plan=plan).exists()
    assert not Account.objects.filter(books=org.books, code__startswith="113", parent__isnull=False).exists()
