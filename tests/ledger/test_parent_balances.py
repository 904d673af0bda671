"""The kept parent balances (`ParentBalance`: per account with sub-accounts and month, all that lies
under it): every service that posts keeps them equal to their rebuild from the lines, the rebuild
and `verify_ledger` agree, and the reports read from them give the figures the reports gave when
they summed every account's balances (`reference_reports`)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from hongniudai.ledger import reports, services
from hongniudai.ledger.folding import FOLD_OVER, fold
from hongniudai.ledger.models import Account, Balance, Books, ParentBalance
from hongniudai.ledger.reports import Window
from hongniudai.ledger.rollups import rebuild_balances
from hongniudai.ledger.specs import LineSpec
from tests.ledger import reference_reports as before
from tests.ledger.chart import acc, post_pair

HOUSEHOLDS = FOLD_OVER + 6


def kept() -> list[tuple[int, int, int, int]]:
    return sorted(ParentBalance.objects.values_list("account_id", "period_id", "debit_fen", "credit_fen"))


def rebuilt() -> list[tuple[int, int, int, int]]:
    rebuild_balances()
    return kept()


@pytest.fixture
def village(year23: Books, ledger_users: dict[str, Any]) -> Books:
    """徐桥村's small year, with a village's households under 113 (more than fold), one of them with
    sub-accounts of its own, and their rents and payments from January to June."""
    a = ledger_users["accountant"]
    parent = acc(year23, "113")
    homes = [
        services.add_sub_account(actor=a, parent=parent, code=f"113{i:02d}", name=f"户{i}")
        for i in range(3, HOUSEHOLDS + 3)
    ]
    split = homes.pop()
    homes += [
        services.add_sub_account(actor=a, parent=split, code=f"{split.code}{i:02d}", name=f"户{i}") for i in (1, 2)
    ]
    rng = random.Random(7)
    for n, home in enumerate(homes):
        month = 1 + n % 6
        amount = f"{rng.randint(1, 90000) / 100:.2f}"
        post_pair(a, year23, "511" if n % 2 else "102", home.code, amount, dt.date(2026, month, 10))
        post_pair(a, year23, home.code, "102", f"{Decimal(amount) / 2:.2f}", dt.date(2026, min(month + 1, 6), 12))
    return year23


def test_posting_reversing_and_closing_keep_the_parent_balances(village, ledger_users):
    a = ledger_users["accountant"]
    assert kept() and kept() == rebuilt()
    home = Account.objects.get(books=village, code=f"113{HOUSEHOLDS + 2:02d}01")
    lines = [LineSpec(home, debit=Decimal("12.34")), LineSpec(acc(village, "102"), credit=Decimal("12.34"))]
    draft = services.create_draft(actor=a, books=village, date=dt.date(2026, 6, 20), summary="垫付", lines=lines)
    posted = services.post_voucher(actor=a, voucher=draft)
    assert kept() == rebuilt()
    june = ParentBalance.objects.filter(account=acc(village, "113"), period__month=6)
    debit = june.get().debit_fen
    services.reverse_voucher(actor=a, voucher=posted, date=dt.date(2026, 6, 21))
    assert june.get().debit_fen == debit - 1234  # red: on the same side, less
    assert kept() == rebuilt()
    services.year_end_close(actor=a, books=village, year=2026)
    assert kept() == rebuilt()
    assert ParentBalance.objects.filter(account=acc(village, "322"), period__month=12).exists()


def test_a_parent_balance_is_its_sub_accounts_balances(village):
    households = acc(village, "113")
    for period_id, debit, credit in ParentBalance.objects.filter(account=households).values_list(
        "period_id", "debit_fen", "credit_fen"
    ):
        below = Balance.objects.filter(period_id=period_id, account__code__startswith="113").exclude(account=households)
        assert [debit, credit] == [sum(b.debit_fen for b in below), sum(b.credit_fen for b in below)]


@pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL's triggers refuse raw changes elsewhere")
def test_verify_names_a_parent_balance_changed_behind_the_platform(village, capsys):
    call_command("verify_ledger")
    row = ParentBalance.objects.get(account=acc(village, "113"), period__month=3)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_parentbalance SET debit_fen = debit_fen + 1 WHERE id = %s", [row.pk])
    with pytest.raises(CommandError):
        call_command("verify_ledger")
    assert "科目 113 2026年3月下级科目合计" in capsys.readouterr().err


WINDOWS = [Window((2026, 1), (2026, 6)), Window((2026, 3), (2026, 5)), Window((2026, 6), (2026, 6))]


def trial(tb: reports.TrialBalance) -> list[tuple[str, int, int, int, int]]:
    return [(r.account.code, r.depth, r.opening, r.debit, r.credit) for r in tb.rows]


# Past NAMED_ACCOUNTS the reports read the whole books' balances, not a list of accounts: both ways.
READS = pytest.mark.parametrize("named", [reports.NAMED_ACCOUNTS, 3], ids=["named", "books"])


@READS
def test_the_trial_balance_is_what_it_was(village, ledger_users, named, monkeypatch):
    monkeypatch.setattr(reports, "NAMED_ACCOUNTS", named)
    user = ledger_users["nongjing"]
    for window in WINDOWS:
        old = before.trial_balance(books=village, window=window)
        new = reports.trial_balance(user=user, books=village, window=window)
        assert trial(new) == trial(old)
        assert new.side_totals() == old.side_totals()
        shown, folded = fold(old.rows, pk=lambda r: r.account.pk, parent=lambda r: r.account.parent_id)
        quick = reports.trial_balance(user=user, books=village, window=window, fold_over=FOLD_OVER)
        assert trial(quick) == [(r.account.code, r.depth, r.opening, r.debit, r.credit) for r in shown]
        assert quick.folded == folded == {acc(village, "113").pk: HOUSEHOLDS + 2}
        assert quick.side_totals() == old.side_totals()
        for codes in (["113"], ["322", "102"]):
            old_codes = before.trial_balance(books=village, window=window, codes=codes)
            assert trial(reports.trial_balance(user=user, books=village, window=window, codes=codes)) == trial(
                old_codes
            )


def figures(statement: reports.Statement) -> list[tuple[str, list[int | None], tuple[str, ...]]]:
    return [(row.line.id, row.amounts, row.codes) for part in statement.parts for row in part]


@READS
def test_the_statements_are_what_they_were(village, ledger_users, named, monkeypatch):
    monkeypatch.setattr(reports, "NAMED_ACCOUNTS", named)
    user = ledger_users["accountant"]
    for closed in (False, True):
        if closed:
            services.year_end_close(actor=user, books=village, year=2026)
        for end in ((2026, 3), (2026, 6), (2026, 12)):
            new = reports.balance_sheet(user=user, books=village, end=end)
            old = before.balance_sheet(books=village, end=end)
            assert figures(new) == figures(old)
            assert new.balanced == old.balanced == [True, True]
            assert new.account_ids == old.account_ids
        for window in WINDOWS:
            new = reports.income_statement(user=user, books=village, window=window)
            assert figures(new) == figures(before.income_statement(books=village, window=window))


def test_the_migration_fills_the_parent_balances_of_books_already_kept(village):
    want = kept()
    ParentBalance.objects.all().delete()
    import_module("hongniudai.ledger.migrations.0005_parent_balance").fill(apps, None)
    assert kept() == want
