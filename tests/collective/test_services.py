"""The collective's services: decisions taken step by step, cooperatives founded by a resolved
decision, members of the village only, and a share register that never goes below zero."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hongniudai.audit.models import AuditEvent
from hongniudai.collective import selectors, services
from hongniudai.collective.interface import decision_missing_steps, holdings, household_share_entries, org_for_village
from hongniudai.collective.models import (
    ContributionKind,
    DecisionSubject,
    EconomicOrg,
    OrgKind,
    ShareEntry,
    StepKind,
)
from hongniudai.ledger.models import Account, Voucher
from hongniudai.orglife.interface import MeetingKind

from .conftest import collective_of, meeting, resolved_decision

pytestmark = pytest.mark.django_db

D = dt.date


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


# ---- decisions ------------------------------------------------------------------------------


def test_steps_are_recorded_in_order_and_a_later_step_names_the_missing_one(economy):
    xq, decision = economy.xq, economy.decision
    with pytest.raises(ValidationError) as exc:
        services.record_step(actor=xq, decision=decision, kind=StepKind.REVIEW, held_on=D(2025, 3, 1))
    assert "请先记录“村党组织提议”“村两委会议商议”" in _messages(exc)
    services.record_step(actor=xq, decision=decision, kind=StepKind.PROPOSE, held_on=D(2025, 3, 1))
    services.record_step(actor=xq, decision=decision, kind=StepKind.DISCUSS, held_on=D(2025, 3, 5))
    assert decision_missing_steps(decision) == [
        StepKind.REVIEW,
        StepKind.RESOLVE,
        StepKind.PUBLISH_RESOLUTION,
        StepKind.PUBLISH_RESULT,
    ]
    with pytest.raises(ValidationError) as exc:
        services.record_step(actor=xq, decision=decision, kind=StepKind.DISCUSS, held_on=D(2025, 3, 6))
    assert "已经记录过了" in _messages(exc)


def test_a_step_dated_before_the_previous_one_is_refused(economy):
    xq, decision = economy.xq, economy.decision
    services.record_step(actor=xq, decision=decision, kind=StepKind.PROPOSE, held_on=D(2025, 3, 10))
    with pytest.raises(ValidationError) as exc:
        services.record_step(actor=xq, decision=decision, kind=StepKind.DISCUSS, held_on=D(2025, 3, 9))
    assert "不能早于上一环节“村党组织提议”的日期(2025-03-10)" in _messages(exc)


def test_a_step_links_the_branch_meeting_of_its_kind(economy):
    t, xq, decision = economy.town, economy.xq, economy.decision
    committee = meeting(t, MeetingKind.COMMITTEE_MEETING, D(2025, 3, 1))
    members = meeting(t, MeetingKind.MEMBER_MEETING, D(2025, 3, 8))
    with pytest.raises(ValidationError) as exc:  # the members' meeting does not propose
        services.record_step(actor=xq, decision=decision, kind=StepKind.PROPOSE, held_on=D(2025, 3, 8), meeting=members)
    assert "支部委员会" in _messages(exc)
    step = services.record_step(
        actor=xq, decision=decision, kind=StepKind.PROPOSE, held_on=D(2025, 3, 1), meeting=committee
    )
    assert step.meeting == committee
    services.record_step(actor=xq, decision=decision, kind=StepKind.DISCUSS, held_on=D(2025, 3, 4))
    with pytest.raises(ValidationError) as exc:
        services.record_step(
            actor=xq, decision=decision, kind=StepKind.REVIEW, held_on=D(2025, 3, 8), meeting=committee
        )
    assert "支部党员大会" in _messages(exc)
    services.record_step(actor=xq, decision=decision, kind=StepKind.REVIEW, held_on=D(2025, 3, 8), meeting=members)


def test_a_meeting_of_another_village_is_refused(economy):
    t = economy.town
    other = meeting(t, MeetingKind.COMMITTEE_MEETING, D(2025, 3, 1), village="fashuihe")
    with pytest.raises(ValidationError) as exc:
        services.record_step(
            actor=t.users["admin"],
            decision=economy.decision,
            kind=StepKind.PROPOSE,
            held_on=D(2025, 3, 1),
            meeting=other,
        )
    assert "不是本村党组织的会议" in _messages(exc)


def test_writes_need_the_economy_of_the_village(economy):
    with pytest.raises(PermissionDenied):
        services.record_step(
            actor=economy.town.users["fashuihe"],
            decision=economy.decision,
            kind=StepKind.PROPOSE,
            held_on=D(2025, 1, 1),
        )
    with pytest.raises(PermissionDenied):  # a grid worker reads, does not write
        services.create_decision(
            actor=economy.town.users["gridworker"], village=economy.town.xuqiao.area, subject="other", title="x"
        )


def test_every_write_is_audited(economy):
    before = AuditEvent.objects.count()
    services.record_step(actor=economy.xq, decision=economy.decision, kind=StepKind.PROPOSE, held_on=D(2025, 1, 1))
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1
    assert event.action == "collective_step_recorded" and event.area_path == economy.town.xuqiao.area.path


# ---- organisations --------------------------------------------------------------------------


def test_a_village_registers_one_collective_with_books_on_the_2023_chart(economy):
    org = economy.org
    assert org_for_village(economy.town.xuqiao.area) == org
    assert Account.objects.filter(books=org.books, code__in=["102", "301", "113"]).count() == 3
    with pytest.raises(ValidationError) as exc:
        collective_of(economy.town)
    assert "该村已登记集体经济组织" in _messages(exc)


def test_the_credit_code_is_checked(town):
    with pytest.raises(ValidationError) as exc:
        services.register_collective(
            actor=town.users["xuqiao"],
            village=town.xuqiao.area,
            name="徐桥村股份经济合作社",
            kind=OrgKind.SHAREHOLDING_COLLECTIVE,
            founded_on=D(2024, 1, 1),
            credit_code="91110000600037341X",
        )
    assert "统一社会信用代码" in _messages(exc)
    org = services.register_collective(
        actor=town.users["xuqiao"],
        village=town.xuqiao.area,
        name="徐桥村股份经济合作社",
        kind=OrgKind.SHAREHOLDING_COLLECTIVE,
        founded_on=D(2024, 1, 1),
        credit_code=" 91110000600037341l ",
    )
    assert org.credit_code == "91110000600037341L"


def _found(economy, decision, name="徐桥村高粱种植合作社"):
    return services.found_cooperative(
        actor=economy.xq,
        founder=economy.org,
        decision=decision,
        name=name,
        kind=OrgKind.SHAREHOLDING_COOPERATIVE,
        founded_on=D(2025, 4, 1),
    )


def test_a_cooperative_needs_a_reviewed_and_resolved_decision(economy):
    xq, decision = economy.xq, economy.decision
    services.record_step(actor=xq, decision=decision, kind=StepKind.PROPOSE, held_on=D(2025, 3, 1))
    services.record_step(actor=xq, decision=decision, kind=StepKind.DISCUSS, held_on=D(2025, 3, 2))
    with pytest.raises(ValidationError) as exc:
        _found(economy, decision)
    assert "尚未完成“党员大会审议”“村民(代表)会议决议”" in _messages(exc)
    other = services.create_decision(
        actor=xq, village=economy.town.xuqiao.area, subject=DecisionSubject.PROJECT, title="修路"
    )
    with pytest.raises(ValidationError) as exc:
        _found(economy, other)
    assert "组建合作社" in _messages(exc)
    coop = _found(economy, resolved_decision(economy.town))
    assert coop.founded_by == economy.org and coop.books is not None
    assert coop.books.village == economy.town.xuqiao.area
    assert Account.objects.filter(books=coop.books, code="301").exists()


def test_a_decision_of_another_village_founds_nothing(economy):
    t = economy.town
    collective_of(t, "fashuihe")
    theirs = services.create_decision(
        actor=t.users["fashuihe"], village=t.fashuihe.area, subject=DecisionSubject.COOPERATIVE, title="发水河村合作社"
    )
    with pytest.raises(ValidationError) as exc:
        _found(economy, theirs)
    assert "不是本村的事项" in _messages(exc)


# ---- members --------------------------------------------------------------------------------


def test_members_are_households_of_the_village_confirmed_once(economy):
    t, xq, org = economy.town, economy.xq, economy.org
    membership = services.confirm_member(actor=xq, org=org, household=t.xuqiao.household, confirmed_on=D(2024, 2, 1))
    with pytest.raises(ValidationError) as exc:
        services.confirm_member(actor=xq, org=org, household=t.xuqiao.household, confirmed_on=D(2024, 2, 1))
    assert "已是本组织的成员" in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.confirm_member(
            actor=t.users["admin"], org=org, household=t.fashuihe.household, confirmed_on=D(2024, 2, 1)
        )
    assert "只能确认本村的农户" in _messages(exc)
    with pytest.raises(ValidationError):
        services.end_membership(actor=xq, membership=membership, ended_on=D(2024, 1, 1))
    services.end_membership(actor=xq, membership=membership, ended_on=D(2025, 1, 1))
    with pytest.raises(ValidationError):
        services.end_membership(actor=xq, membership=membership, ended_on=D(2025, 2, 1))


# ---- shares ---------------------------------------------------------------------------------


def _shares(economy, household, shares, *, contribution=ContributionKind.ALLOTTED, amount=Decimal(0), on=D(2024, 3, 1)):
    return services.record_shares(
        actor=economy.xq,
        org=economy.org,
        household=household,
        contribution=contribution,
        shares=Decimal(shares),
        amount=Decimal(amount),
        effective_on=on,
        reason="折股量化",
    )


def test_shares_never_go_below_zero(economy):
    hh = economy.town.xuqiao.household
    services.confirm_member(actor=economy.xq, org=economy.org, household=hh, confirmed_on=D(2024, 2, 1))
    _shares(economy, hh, "10")
    _shares(economy, None, "30")
    with pytest.raises(ValidationError) as exc:
        _shares(economy, hh, "-10.5", on=D(2024, 4, 1))
    assert "持股不足:现有 10 股" in _messages(exc)
    _shares(economy, hh, "-4", on=D(2024, 4, 1))
    assert holdings(economy.org) == {hh.pk: Decimal("6.00"), None: Decimal("30.00")}
    assert holdings(economy.org, on=D(2024, 3, 15)) == {hh.pk: Decimal("10.00"), None: Decimal("30.00")}


def test_shares_take_two_decimals_and_a_member(economy, second_household):
    hh = economy.town.xuqiao.household
    with pytest.raises(ValidationError) as exc:
        _shares(economy, hh, "1")
    assert "不是本组织的成员" in _messages(exc)
    services.confirm_member(actor=economy.xq, org=economy.org, household=hh, confirmed_on=D(2024, 2, 1))
    with pytest.raises(ValidationError) as exc:
        _shares(economy, hh, "1.005")
    assert "股数最多保留两位小数" in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        _shares(economy, hh, "1", contribution=ContributionKind.CASH, amount="100.001")
    assert "金额最多保留两位小数" in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        _shares(economy, hh, "0")
    assert "股数不能为零" in _messages(exc)
    assert not ShareEntry.objects.exists()


def test_a_cash_contribution_posts_bank_against_capital(economy):
    hh = economy.town.xuqiao.household
    services.confirm_member(actor=economy.xq, org=economy.org, household=hh, confirmed_on=D(2024, 2, 1))
    entry = _shares(economy, hh, "5", contribution=ContributionKind.CASH, amount="5000")
    voucher = Voucher.objects.get(pk=entry.voucher_id)
    lines = {(line.account.code, line.debit_fen, line.credit_fen) for line in voucher.lines.select_related("account")}
    assert lines == {("102", 500000, 0), ("301", 0, 500000)}
    assert voucher.source == f"collective.shareentry:{entry.pk}"
    with pytest.raises(ValidationError) as exc:
        _shares(economy, hh, "5", contribution=ContributionKind.CASH)
    assert "现金入股须填写出资金额" in _messages(exc)


def test_the_register_reads_holders_in_scope(economy):
    hh = economy.town.xuqiao.household
    services.confirm_member(actor=economy.xq, org=economy.org, household=hh, confirmed_on=D(2024, 2, 1))
    _shares(economy, hh, "10")
    _shares(economy, None, "30")
    rows = selectors.share_holders(economy.xq, economy.org)
    assert [(r.household, r.shares, r.share_of_total) for r in rows] == [
        (None, Decimal("30.00"), Decimal("75.00")),
        (hh, Decimal("10.00"), Decimal("25.00")),
    ]
    assert EconomicOrg.objects.count() == 1


def test_the_interface_gives_phase_two_what_households_paid_in(economy, second_household):
    for hh in (economy.town.xuqiao.household, second_household):
        services.confirm_member(actor=economy.xq, org=economy.org, household=hh, confirmed_on=D(2024, 2, 1))
    cash = _shares(economy, second_household, "3", contribution=ContributionKind.CASH, amount="300", on=D(2025, 5, 1))
    _shares(economy, economy.town.xuqiao.household, "7", on=D(2024, 3, 1))
    rows = household_share_entries(household_ids=[economy.town.xuqiao.household.pk, second_household.pk], year=2025)
    assert [(r.household_id, r.amount, r.voucher_id, r.entry) for r in rows] == [
        (second_household.pk, Decimal("300.00"), cash.voucher_id, cash)
    ]
