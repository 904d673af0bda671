"""The reports for any range of months: the trial balance, account ledger and journal, and the
balance sheet and income and distribution statement in the regulation's layout, over the 2023 chart
(财会〔2023〕14号); read from the kept balances in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from hongniudai.ledger import reports, services
from hongniudai.ledger.reports import Window
from tests.ledger.chart import acc, post_pair


def rows_of(statement: reports.Statement) -> dict[str, list[int | None]]:
    return {row.line.id: row.amounts for part in statement.parts for row in part}


def test_the_trial_balance_covers_any_range_of_months(year23, ledger_users):
    tb = reports.trial_balance(user=ledger_users["nongjing"], books=year23, window=Window((2026, 2), (2026, 3)))
    rows = {r.account.code: r for r in tb.rows}
    bank = rows["102"]
    assert (bank.opening, bank.debit, bank.credit) == (5_000_000, 10_330_000, 580_000)
    assert bank.closing == 14_750_000
    assert (rows["113"].closing, rows["11301"].closing_debit, rows["11302"].closing_credit) == (50_000, 80_000, 30_000)
    assert rows["11301"].depth == 1
    totals = tb.side_totals()
    assert totals["debit"] == totals["credit"]
    assert totals["closing_debit"] == totals["closing_credit"]
    only = reports.trial_balance(user=ledger_users["accountant"], books=year23, window=tb.window, codes=["113"])
    assert [r.account.code for r in only.rows] == ["113", "11301", "11302"]


def test_the_balance_sheet_balances_and_splits_internal_accounts(year23, ledger_users):
    sheet = reports.balance_sheet(user=ledger_users["accountant"], books=year23, end=(2026, 3))
    rows = rows_of(sheet)
    assert rows["A01"] == [0, 15_129_950]  # bank 147,500 + cash 3,799.50
    assert rows["A03"] == [0, 80_000]  # 徐大林 owes 800
    assert rows["L02"] == [0, 30_000]  # the collective owes 徐小林 300
    assert rows["E03"][1] == 10_300_000 - 120_050  # this year's income less expense, before the close
    assert rows["A23"] == rows["E05"]
    assert sheet.balanced == [True, True]
    assert sheet.unconfirmed


def test_the_income_statement_reads_the_period_and_the_year(year23, ledger_users):
    statement = reports.income_statement(
        user=ledger_users["accountant"], books=year23, window=Window((2026, 3), (2026, 3))
    )
    rows = rows_of(statement)
    assert rows["I01"] == [0, 10_000_000]
    assert rows["I04"] == [0, 120_050]
    assert rows["I06"] == [0, 10_000_000 - 120_050]
    assert rows["I07"] == [300_000, 300_000]
    assert rows["I13"] == [300_000, 10_300_000 - 120_050]
    assert rows["I20"] == rows["I16"]


def test_the_year_end_close_does_not_empty_the_income_statement(year23, ledger_users):
    accountant = ledger_users["accountant"]
    services.year_end_close(actor=accountant, books=year23, year=2026)
    whole = Window((2026, 1), (2026, 12))
    rows = rows_of(reports.income_statement(user=accountant, books=year23, window=whole))
    assert rows["I13"] == [10_179_950, 10_179_950]
    sheet = reports.balance_sheet(user=accountant, books=year23, end=(2026, 12))
    assert rows_of(sheet)["E03"][1] == 10_179_950
    assert sheet.balanced == [True, True]


def test_the_account_ledger_and_journal_read_a_range(year23, ledger_users):
    accountant = ledger_users["accountant"]
    window = Window((2026, 2), (2026, 3))
    ledger = reports.account_ledger(user=accountant, account=acc(year23, "102"), window=window)
    assert ledger.opening == 5_000_000
    assert [r.balance for r in ledger.rows] == [15_000_000, 14_500_000, 14_800_000, 14_720_000, 14_750_000]
    assert ledger.closing == 14_750_000
    vouchers = list(reports.journal(user=accountant, books=year23, window=window))
    assert [v.date.month for v in vouchers] == [2, 2, 2, 3, 3, 3]


def test_another_villages_accountant_sees_no_report(year23, ledger_users):
    other = ledger_users["fsh_accountant"]
    with pytest.raises(Http404):
        reports.balance_sheet(user=other, books=year23, end=(2026, 3))
    with pytest.raises(Http404):
        reports.account_get(user=other, pk=acc(year23, "102").pk)


def count_queries(fn: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        fn()
    return len(queries)


def test_the_query_count_does_not_grow_with_accounts(year23, ledger_users):
    accountant = ledger_users["accountant"]
    window = Window((2026, 1), (2026, 3))

    def read() -> None:
        reports.trial_balance(user=accountant, books=year23, window=window)
        reports.balance_sheet(user=accountant, books=year23, end=(2026, 3))
        reports.income_statement(user=accountant, books=year23, window=window)

    before = count_queries(read)
    for i in range(3, 23):
        sub = services.add_sub_account(actor=accountant, parent=acc(year23, "113"), code=f"113{i:02d}", name=f"户{i}")
        post_pair(accountant, year23, sub.code, "101", "1", dt.date(2026, 3, 9))
    assert count_queries(read) == before
