"""Months closed in order and locked; reopened by the town's 农经 staff with a reason; the year-end
close carrying income and expense into 本年收益 and on to 收益分配——未分配收益."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hongniudai.audit.display import ChangeReader
from hongniudai.audit.models import AuditEvent
from hongniudai.ledger import services
from hongniudai.ledger.integrity import period_digest
from hongniudai.ledger.models import Balance, Period, PeriodStatus
from tests.ledger.chart import acc, pair


def post(actor, books, lines, date):
    return services.post_entry(actor=actor, books=books, date=date, summary="业务", lines=lines, idempotency_key="")


def close_through(actor, books, month):
    for m in range(1, month + 1):
        services.close_period(actor=actor, books=books, year=2026, month=m)


def test_a_posting_into_a_closed_month_is_refused(books, ledger_users):
    accountant = ledger_users["accountant"]
    post(accountant, books, pair(books, "102", "501", "10"), dt.date(2026, 1, 9))
    close_through(accountant, books, 1)
    period = Period.objects.get(books=books, year=2026, month=1)
    assert period.status == PeriodStatus.CLOSED and period.closed_by == accountant
    assert period.digest == period_digest(books.pk, 2026, 1)
    with pytest.raises(ValidationError) as refused:
        post(accountant, books, pair(books, "102", "501", "10"), dt.date(2026, 1, 31))
    assert "2026年1月已结账" in str(refused.value)
    assert post(accountant, books, pair(books, "102", "501", "10"), dt.date(2026, 2, 1)).number == 2


def test_months_are_closed_in_order_and_not_with_drafts_left(books, ledger_users):
    accountant = ledger_users["accountant"]
    with pytest.raises(ValidationError, match="请先结账2026年1月"):
        services.close_period(actor=accountant, books=books, year=2026, month=2)
    services.create_draft(
        actor=accountant, books=books, date=dt.date(2026, 1, 3), summary="草稿", lines=pair(books, "101", "501", "1")
    )
    with pytest.raises(ValidationError, match="草稿"):
        services.close_period(actor=accountant, books=books, year=2026, month=1)
    with pytest.raises(ValidationError, match="早于建账月份"):
        services.close_period(actor=accountant, books=books, year=2025, month=12)
    with pytest.raises(ValidationError, match="尚未到来"):
        services.close_period(actor=accountant, books=books, year=2099, month=1)


def test_only_the_towns_rural_economy_officer_reopens_with_a_reason(books, ledger_users, town):
    accountant, nongjing = ledger_users["accountant"], ledger_users["nongjing"]
    close_through(accountant, books, 2)
    with pytest.raises(PermissionDenied):
        services.reopen_period(actor=accountant, books=books, year=2026, month=2, reason="更正")
    with pytest.raises(ValidationError, match="原因"):
        services.reopen_period(actor=nongjing, books=books, year=2026, month=2, reason=" ")
    with pytest.raises(ValidationError, match="请先反结账2026年2月"):
        services.reopen_period(actor=nongjing, books=books, year=2026, month=1, reason="更正")
    services.reopen_period(actor=nongjing, books=books, year=2026, month=2, reason="补记二月份租金")
    assert Period.objects.get(books=books, year=2026, month=2).status == PeriodStatus.OPEN
    event = AuditEvent.objects.get(action="period_reopened")
    assert event.note == "补记二月份租金" and event.actor_id == nongjing.pk
    with pytest.raises(PermissionDenied):
        services.close_period(actor=town.users["gridworker"], books=books, year=2026, month=2)


def test_the_year_end_close_carries_income_and_expense_into_undistributed_income(books, ledger_users):
    accountant = ledger_users["accountant"]
    post(accountant, books, pair(books, "102", "501", "100000"), dt.date(2026, 5, 1))
    post(accountant, books, pair(books, "102", "541", "20000"), dt.date(2026, 6, 1))
    post(accountant, books, pair(books, "550", "101", "30000.50"), dt.date(2026, 7, 1))
    post(accountant, books, pair(books, "502", "102", "10000"), dt.date(2026, 8, 1))
    closing, transfer = services.year_end_close(actor=accountant, books=books, year=2026)
    assert closing.date == dt.date(2026, 12, 31) and transfer.number == closing.number + 1

    def net(code):
        rows = Balance.objects.filter(account=acc(books, code)).values_list("debit_fen", "credit_fen")
        return sum(c - d for d, c in rows)

    for code in ("501", "502", "541", "550", "321"):
        assert net(code) == 0, code
    assert net("32202") == 7_999_950  # 100,000 + 20,000 − 30,000.50 − 10,000 yuan
    with pytest.raises(ValidationError, match="已做过年终收益结转"):
        services.year_end_close(actor=accountant, books=books, year=2026)


def test_a_year_end_loss_is_debited_to_undistributed_income(books, ledger_users):
    accountant = ledger_users["accountant"]
    post(accountant, books, pair(books, "550", "101", Decimal("12.34")), dt.date(2026, 2, 2))
    services.year_end_close(actor=accountant, books=books, year=2026)
    row = Balance.objects.get(account=acc(books, "32202"))
    assert (row.debit_fen, row.credit_fen) == (1234, 0)


def test_the_years_distributions_are_carried_into_undistributed_income(books, ledger_users):
    accountant = ledger_users["accountant"]
    post(accountant, books, pair(books, "102", "501", "1000"), dt.date(2026, 5, 1))
    post(accountant, books, pair(books, "3220101", "211", "600"), dt.date(2026, 12, 20))  # dividends declared
    services.year_end_close(actor=accountant, books=books, year=2026)
    nets = {
        code: sum(
            c - d for d, c in Balance.objects.filter(account=acc(books, code)).values_list("debit_fen", "credit_fen")
        )
        for code in ("321", "3220101", "32202")
    }
    assert nets == {"321": 0, "3220101": 0, "32202": 40_000}


def test_the_audit_log_reads_a_posting_and_a_reopening_in_words(books, ledger_users):
    accountant, nongjing = ledger_users["accountant"], ledger_users["nongjing"]
    post(accountant, books, pair(books, "102", "501", "10"), dt.date(2026, 1, 9))
    services.close_period(actor=accountant, books=books, year=2026, month=1)
    services.reopen_period(actor=nongjing, books=books, year=2026, month=1, reason="补记")
    reader = ChangeReader()
    posted = dict(
        (label, after) for label, _before, after in reader.changes(AuditEvent.objects.get(action="voucher_posted"))
    )
    assert posted["状态"] == "已记账" and posted["凭证号"] == 1 and "分录(科目、借方分、贷方分)" in posted
    reopened = {
        label: after for label, _before, after in reader.changes(AuditEvent.objects.get(action="period_reopened"))
    }
    assert reopened["反结账原因"] == "补记" and reopened["状态"] == "未结账"
