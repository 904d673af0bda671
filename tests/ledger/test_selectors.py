"""The reports read the kept balances and show each user only the books of their scope: a village's
accountant and secretary their village's, the town's 农经 staff every village of the town."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from hongniudai.accounts.models import Role
from hongniudai.accounts.policy import grant_refusal
from hongniudai.ledger import selectors, services
from tests.ledger.chart import acc, pair


def post(actor, books, debit, credit, amount, date):
    return services.post_entry(
        actor=actor,
        books=books,
        date=date,
        summary="业务",
        lines=pair(books, debit, credit, amount),
        idempotency_key="",
    )


@pytest.fixture
def year(books, ledger_users):
    accountant = ledger_users["accountant"]
    post(accountant, books, "101", "301", "5000", dt.date(2026, 1, 2))
    post(accountant, books, "102", "501", "1000", dt.date(2026, 2, 3))
    post(accountant, books, "550", "101", "200", dt.date(2026, 2, 4))
    post(accountant, books, "102", "541", "300", dt.date(2026, 3, 5))
    return books


def test_the_trial_balance_opens_moves_and_closes_each_account(year, ledger_users):
    rows = {
        r.account.code: r
        for r in selectors.trial_balance(user=ledger_users["nongjing"], books=year, year=2026, month=2)
    }
    cash = rows["101"]
    assert (cash.opening, cash.debit, cash.credit, cash.closing) == (500_000, 0, 20_000, 480_000)
    assert (rows["501"].credit, rows["501"].closing_credit) == (100_000, 100_000)
    assert rows["541"].debit == rows["541"].credit == 0
    top = [r for r in rows.values() if r.account.parent_id is None]
    assert sum(r.closing_debit for r in top) == sum(r.closing_credit for r in top)
    assert sum(r.debit for r in top) == sum(r.credit for r in top) == 120_000


def test_a_parent_sums_its_sub_accounts(books, ledger_users):
    accountant = ledger_users["accountant"]
    rent = services.add_sub_account(actor=accountant, parent=acc(books, "112"), code="11201", name="徐桥酒业")
    assert (rent.category, rent.normal_balance) == ("asset", "debit")
    post(accountant, books, "11201", "501", "70", dt.date(2026, 1, 5))
    rows = {r.account.code: r for r in selectors.trial_balance(user=accountant, books=books, year=2026, month=1)}
    assert rows["112"].closing == rows["11201"].closing == 7000


def test_the_account_ledger_runs_its_balance(year, ledger_users):
    ledger = selectors.account_ledger(
        user=ledger_users["accountant"], account=acc(year, "101"), year=2026, month_from=2
    )
    assert ledger.opening == 500_000
    assert [r.balance for r in ledger.rows] == [480_000]
    assert ledger.closing == 480_000


def test_the_journal_and_voucher_list_read_in_a_few_queries(year, ledger_users):
    accountant = ledger_users["accountant"]
    with CaptureQueriesContext(connection) as queries:
        vouchers = list(selectors.journal(user=accountant, books=year, year=2026, month=2))
        assert [len(v.lines.all()) for v in vouchers] == [2, 2]
        assert [str(v.lines.all()[0].account) for v in vouchers] == ["102 银行存款", "550 管理费用"]
    assert len(queries) <= 4
    assert selectors.voucher_list(user=accountant, books=year).count() == 4


def test_only_the_village_and_the_towns_rural_economy_staff_see_the_books(year, other_books, town, ledger_users):
    def seen(name):
        return set(selectors.books_list(user=town.users[name]).values_list("name", flat=True))

    both = {"徐桥村股份经济合作社", "发水河村经济合作社"}
    assert seen("nongjing") == both and seen("admin") == both
    assert seen("accountant") == seen("xuqiao") == {"徐桥村股份经济合作社"}
    for name in ("gridworker", "zhangshengfu", "fsh_accountant"):
        assert "徐桥村股份经济合作社" not in seen(name)
    assert selectors.voucher_list(user=town.users["gridworker"]).count() == 0
    with pytest.raises(Http404):
        selectors.trial_balance(user=town.users["fashuihe"], books=year, year=2026, month=1)


def test_a_town_admin_grants_the_new_roles_and_a_secretary_does_not(town):
    for role in (Role.VILLAGE_ACCOUNTANT, Role.RURAL_ECONOMY_OFFICER):
        assert grant_refusal(town.users["admin"], role, town.xuqiao.area) is None
        assert grant_refusal(town.users["xuqiao"], role, town.xuqiao.area) is not None
