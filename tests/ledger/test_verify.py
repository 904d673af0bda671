"""`verify_ledger` passes on sound books and names the fault once a row is altered behind the
platform's back (raw SQL; on SQLite no trigger stops it)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from hongniudai.ledger import services
from hongniudai.ledger.models import Balance, Voucher, VoucherLine
from hongniudai.ledger.rollups import rebuild_balances
from tests.ledger.chart import acc, pair

sqlite_only = pytest.mark.skipif(
    connection.vendor == "postgresql", reason="PostgreSQL's triggers refuse the raw change"
)


def fill(books, actor):
    for day in (3, 4, 5):
        services.post_entry(
            actor=actor,
            books=books,
            date=dt.date(2026, 1, day),
            summary="租金",
            lines=pair(books, "102", "501", "10"),
            idempotency_key="",
        )
    services.close_period(actor=actor, books=books, year=2026, month=1)
    services.post_entry(
        actor=actor,
        books=books,
        date=dt.date(2026, 2, 1),
        summary="租金",
        lines=pair(books, "102", "501", "10"),
        idempotency_key="",
    )


def verify(capsys):
    try:
        call_command("verify_ledger")
    except CommandError as failed:
        return False, capsys.readouterr().err + str(failed)
    return True, capsys.readouterr().out


def test_sound_books_pass(books, ledger_users, capsys):
    fill(books, ledger_users["accountant"])
    ok, out = verify(capsys)
    assert ok and "1 个账套" in out


@sqlite_only
def test_an_altered_line_is_named(books, ledger_users, capsys):
    fill(books, ledger_users["accountant"])
    line = VoucherLine.objects.filter(voucher__number=1, debit_fen__gt=0).get()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_voucherline SET debit_fen = 1001 WHERE id = %s", [line.pk])
    ok, out = verify(capsys)
    assert not ok
    assert "凭证 记-2026-0001 借贷不平衡" in out
    assert "科目 102 2026年1月余额" in out
    assert "2026年1月结账后分录被改动" in out


@sqlite_only
def test_a_balance_changed_and_a_gap_in_numbers_are_named(books, ledger_users, capsys):
    fill(books, ledger_users["accountant"])
    balance = Balance.objects.get(account=acc(books, "501"), period__month=2)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_balance SET credit_fen = 1 WHERE id = %s", [balance.pk])
        cursor.execute("UPDATE ledger_voucher SET number = 7 WHERE id = %s", [Voucher.objects.get(number=4).pk])
    ok, out = verify(capsys)
    assert not ok
    assert "科目 501 2026年2月余额" in out
    assert "2026年凭证号不连续" in out


def test_the_balances_rebuild_from_the_lines(books, ledger_users, capsys):
    fill(books, ledger_users["accountant"])
    kept = sorted(Balance.objects.values_list("account_id", "period_id", "debit_fen", "credit_fen"))
    Balance.objects.all().delete()
    assert rebuild_balances() == len(kept)
    assert sorted(Balance.objects.values_list("account_id", "period_id", "debit_fen", "credit_fen")) == kept
    assert verify(capsys)[0]
