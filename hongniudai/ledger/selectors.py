"""Every read of the collective's books, given the acting user: the books in scope (BOOKS_VIEW), their
accounts and vouchers, and the reports: the trial balance (科目余额表) from the kept balances, the
account ledger (明细账) with its running balance, and the journal (序时账), each of one month or year
(`reports` reads them for any range of months, and the balance sheet and income statement).

Amounts are whole fen; a balance is signed debit-positive (借正贷负), and its side is read from the
sign (`TrialRow.opening_debit` …)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, scope_for

from . import reports
from .models import Account, Books, Voucher
from .reports import AccountLedger, TrialRow, Window


def books_list(*, user: User) -> QuerySet[Books]:
    """The books of the villages in the user's BOOKS_VIEW scope."""
    return scope_for(user, Capability.BOOKS_VIEW).filter(Books.objects.select_related("village"))


def books_get(*, user: User, pk: int) -> Books:
    books = books_list(user=user).filter(pk=pk).first()
    if books is None:
        raise Http404
    return books


def _require_view(user: User, books: Books) -> None:
    if not scope_for(user, Capability.BOOKS_VIEW).covers(books):
        raise Http404


def account_list(*, user: User, books: Books, postable: bool | None = None) -> QuerySet[Account]:
    _require_view(user, books)
    accounts = Account.objects.filter(books=books).order_by("code")
    if postable is not None:
        accounts = accounts.filter(is_postable=postable)
    return accounts


def accounts_in_scope(*, user: User) -> QuerySet[Account]:
    """The accounts of every books the user sees (the choices of a voucher line; the posting service
    checks that each belongs to the voucher's books)."""
    return scope_for(user, Capability.BOOKS_VIEW).filter(Account.objects.all())


def voucher_list(
    *,
    user: User,
    books: Books | None = None,
    year: int | None = None,
    month: int | None = None,
    status: str | None = None,
) -> QuerySet[Voucher]:
    """Vouchers in scope, newest first, with their books and who prepared them."""
    vouchers = scope_for(user, Capability.BOOKS_VIEW).filter(Voucher.objects.select_related("books", "prepared_by"))
    if books is not None:
        vouchers = vouchers.filter(books=books)
    if year is not None:
        vouchers = vouchers.filter(date__year=year)
    if month is not None:
        vouchers = vouchers.filter(date__month=month)
    if status:
        vouchers = vouchers.filter(status=status)
    return vouchers.order_by("-date", "-number", "-id")


def journal(*, user: User, books: Books, year: int, month: int) -> QuerySet[Voucher]:
    """The month's posted vouchers in number order, each with its lines and their accounts."""
    return reports.journal(user=user, books=books, window=Window((year, month), (year, month)))


def trial_balance(*, user: User, books: Books, year: int, month: int) -> list[TrialRow]:
    """Every account of the books, in code order, with its opening balance, the month's debits and
    credits and its closing balance; a parent sums its sub-accounts. Read from the kept balances
    (`reports.trial_balance` for a range of months)."""
    return reports.trial_balance(user=user, books=books, window=Window((year, month), (year, month))).rows


def account_ledger(
    *, user: User, account: Account, year: int, month_from: int = 1, month_to: int = 12
) -> AccountLedger:
    """The account's posted lines (its sub-accounts' too) from `month_from` to `month_to` of `year`, in
    date and number order, each with the running balance; the opening from the kept balances."""
    return reports.account_ledger(user=user, account=account, window=Window((year, month_from), (year, month_to)))
