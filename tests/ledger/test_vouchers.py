"""Vouchers as an accountant meets them: what is refused (with a Chinese message, nothing changed),
what a posting does to numbers and balances, and the red reversal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hongniudai.audit.models import AuditEvent
from hongniudai.ledger import services
from hongniudai.ledger.models import Balance, Voucher, VoucherLine, VoucherStatus
from hongniudai.ledger.specs import LineSpec
from tests.ledger.chart import acc, pair

DAY = dt.date(2026, 3, 5)


def messages(error: ValidationError) -> str:
    return " ".join(m for ms in error.message_dict.values() for m in ms)


def post(actor: Any, books: Any, lines: list[LineSpec], *, date: dt.date = DAY, key: str = "") -> Voucher:
    return services.post_entry(
        actor=actor, books=books, date=date, summary="收取土地租金", lines=lines, idempotency_key=key
    )


def test_a_balanced_voucher_is_posted_numbered_and_moves_the_balances(books, ledger_users):
    accountant = ledger_users["accountant"]
    voucher = post(accountant, books, pair(books, "102", "501", "100000.00"))
    assert (voucher.status, voucher.number, voucher.year) == (VoucherStatus.POSTED, 1, 2026)
    assert str(voucher) == "记-2026-0001"
    bank = Balance.objects.get(account=acc(books, "102"))
    income = Balance.objects.get(account=acc(books, "501"))
    assert (bank.debit_fen, bank.credit_fen) == (10_000_000, 0)
    assert (income.debit_fen, income.credit_fen) == (0, 10_000_000)
    assert AuditEvent.objects.filter(action="voucher_posted", target_id=str(voucher.pk)).exists()


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            lambda b: [LineSpec(acc(b, "102"), debit=Decimal("100")), LineSpec(acc(b, "501"), credit=Decimal("99.99"))],
            "借贷不平衡",
        ),
        (
            lambda b: [LineSpec(acc(b, "102"), debit=Decimal("0")), LineSpec(acc(b, "501"), credit=Decimal("0"))],
            "不能为零",
        ),
        (lambda b: pair(b, "102", "501", "-5"), "不能为负数"),
        (lambda b: pair(b, "102", "501", "10.005"), "两位小数"),
        (
            lambda b: [
                LineSpec(acc(b, "102"), debit=Decimal(5), credit=Decimal(5)),
                LineSpec(acc(b, "501"), credit=Decimal(0)),
            ],
            "只填写一方",
        ),
        (lambda b: pair(b, "102", "322", "5"), "明细科目"),
        (lambda b: [], "至少要有一行"),
    ],
    ids=["unbalanced", "zero", "negative", "three-decimals", "both-sides", "parent-account", "no-lines"],
)
def test_bad_vouchers_are_refused_and_change_nothing(books, ledger_users, lines, message):
    with pytest.raises(ValidationError) as refused:
        post(ledger_users["accountant"], books, lines(books))
    assert message in messages(refused.value)
    assert not Voucher.objects.exists() and not Balance.objects.exists()


def test_an_account_of_other_books_is_refused(books, other_books, ledger_users):
    lines = [LineSpec(acc(books, "102"), debit=Decimal(10)), LineSpec(acc(other_books, "501"), credit=Decimal(10))]
    with pytest.raises(ValidationError) as refused:
        post(ledger_users["accountant"], books, lines)
    assert "不属于本账套" in messages(refused.value)


def test_a_posting_dated_before_the_books_were_opened_is_refused(books, ledger_users):
    with pytest.raises(ValidationError) as refused:
        post(ledger_users["accountant"], books, pair(books, "102", "501", "1"), date=dt.date(2025, 12, 31))
    assert "建账日期" in messages(refused.value)


def test_a_posted_voucher_cannot_be_edited_or_deleted_through_the_services(books, ledger_users):
    accountant = ledger_users["accountant"]
    voucher = post(accountant, books, pair(books, "102", "501", "10"))
    with pytest.raises(ValidationError) as edit:
        services.update_draft(
            actor=accountant, voucher=voucher, date=DAY, summary="改", lines=pair(books, "101", "501", "10")
        )
    assert "不能修改" in messages(edit.value)
    with pytest.raises(ValidationError) as delete:
        services.delete_draft(actor=accountant, voucher=voucher)
    assert "不能删除" in messages(delete.value)
    with pytest.raises(ValidationError) as again:
        services.post_voucher(actor=accountant, voucher=voucher)
    assert "不能重复记账" in messages(again.value)
    voucher.refresh_from_db()
    assert voucher.summary == "收取土地租金"
    assert list(voucher.lines.values_list("account__code", "debit_fen")) == [("102", 1000), ("501", 0)]


def test_a_draft_may_be_unbalanced_and_edited_and_is_numbered_only_when_posted(books, ledger_users):
    accountant = ledger_users["accountant"]
    lines = [LineSpec(acc(books, "550"), debit=Decimal("300"))]
    draft = services.create_draft(actor=accountant, books=books, date=DAY, summary="办公用品", lines=lines)
    assert draft.number is None and draft.status == VoucherStatus.DRAFT
    with pytest.raises(ValidationError):
        services.post_voucher(actor=accountant, voucher=draft)
    services.update_draft(
        actor=accountant, voucher=draft, date=DAY, summary="办公用品", lines=pair(books, "550", "101", "300")
    )
    posted = services.post_voucher(actor=accountant, voucher=draft, idempotency_key="k-1")
    assert posted.number == 1
    assert services.post_voucher(actor=accountant, voucher=draft, idempotency_key="k-1").pk == posted.pk
    other = services.create_draft(
        actor=accountant, books=books, date=DAY, summary="删除", lines=pair(books, "550", "101", "1")
    )
    services.delete_draft(actor=accountant, voucher=other)
    assert not Voucher.objects.filter(pk=other.pk).exists()


def test_an_idempotent_repeat_posts_once(books, ledger_users):
    accountant = ledger_users["accountant"]
    first = post(accountant, books, pair(books, "102", "501", "50"), key="rent-2026-03")
    again = post(accountant, books, pair(books, "102", "501", "50"), key="rent-2026-03")
    assert again.pk == first.pk
    assert Voucher.objects.count() == 1
    assert Balance.objects.get(account=acc(books, "102")).debit_fen == 5000


def test_numbers_are_gapless_per_books_and_year_even_after_a_refusal(books, other_books, ledger_users):
    accountant = ledger_users["accountant"]
    post(accountant, books, pair(books, "102", "501", "1"))
    with pytest.raises(ValidationError):
        post(accountant, books, pair(books, "102", "501", "1.001"))
    with pytest.raises(ValidationError):
        post(accountant, books, pair(books, "102", "501", "1"), date=dt.date(2025, 6, 1))
    post(accountant, books, pair(books, "102", "501", "2"))
    post(ledger_users["fsh_accountant"], other_books, pair(other_books, "102", "501", "3"))
    post(accountant, books, pair(books, "102", "501", "4"), date=dt.date(2027, 1, 2))
    numbers = list(Voucher.objects.filter(books=books).order_by("year", "number").values_list("year", "number"))
    assert numbers == [(2026, 1), (2026, 2), (2027, 1)]
    assert Voucher.objects.get(books=other_books).number == 1


def test_a_reversal_negates_every_line_on_the_same_side_and_only_once(books, ledger_users):
    accountant = ledger_users["accountant"]
    original = post(accountant, books, pair(books, "102", "501", "80"))
    reversal = services.reverse_voucher(actor=accountant, voucher=original, date=dt.date(2026, 3, 20))
    assert reversal.reverses_id == original.pk and reversal.number == 2
    assert list(reversal.lines.order_by("id").values_list("account__code", "debit_fen", "credit_fen")) == [
        ("102", -8000, 0),
        ("501", 0, -8000),
    ]
    bank = Balance.objects.get(account=acc(books, "102"))
    assert (bank.debit_fen, bank.credit_fen) == (0, 0)
    with pytest.raises(ValidationError) as twice:
        services.reverse_voucher(actor=accountant, voucher=original)
    assert "不能重复冲销" in messages(twice.value)
    with pytest.raises(ValidationError) as of_reversal:
        services.reverse_voucher(actor=accountant, voucher=reversal)
    assert "不能再冲销" in messages(of_reversal.value)
    assert Voucher.objects.count() == 2


def test_a_red_amount_is_refused_outside_a_reversal(books, ledger_users):
    lines = [LineSpec(acc(books, "102"), debit=Decimal(-5)), LineSpec(acc(books, "501"), credit=Decimal(-5))]
    with pytest.raises(ValidationError):
        post(ledger_users["accountant"], books, lines)
    assert not VoucherLine.objects.exists()


def test_only_the_village_keepers_post_into_its_books(books, town, ledger_users):
    lines = pair(books, "102", "501", "1")
    for name in ("fsh_accountant", "nongjing", "gridworker", "fashuihe"):
        with pytest.raises(PermissionDenied):
            post(town.users[name], books, lines)
    assert post(town.users["xuqiao"], books, lines).number == 1
