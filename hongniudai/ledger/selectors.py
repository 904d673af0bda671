"""Every read of the collective's books, given the acting user: the books in scope (BOOKS_VIEW), their
accounts and vouchers, and the reports: the trial balance (科目余额表) from the kept balances, the
account ledger (明细账) with its running balance, and the journal (序时账), each of one month or year
(`reports` reads them for any range of months, and the balance sheet and income statement).

Amounts are whole fen; a balance is signed debit-positive (借正贷负), and its side is read from the
sign (`TrialRow.opening_debit` …)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.http import Http404

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, scope_for
from hongniudai.common.pinyin import name_pinyin, typed

from . import reports
from .models import Account, Books, Period, Voucher, VoucherAttachment, VoucherLine, VoucherStatus, year_end_keys
from .reports import AccountLedger, TrialRow, Window


def books_list(*, user: User) -> QuerySet[Books]:
    """The books of the villages in the user's BOOKS_VIEW scope."""
    return scope_for(user, Capability.BOOKS_VIEW).filter(Books.objects.select_related("village"))


def books_matching(*, user: User, text: str) -> QuerySet[Books]:
    """The books in scope whose name or village's name contains `text`, or whose village's pinyin or
    initials start with it (what a books picker offers as the user types)."""
    text = text.strip()
    qs = books_list(user=user)
    if text:
        key = typed(text)
        condition = Q(name__contains=text) | Q(village__name__contains=text)
        if key:
            condition |= Q(village__search_key__startswith=key) | Q(village__search_key__contains=f" {key}")
        qs = qs.filter(condition)
    return qs.order_by("area_path", "pk")


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


@lru_cache(maxsize=8192)
def account_pinyin(name: str) -> tuple[str, str]:
    """An account name's pinyin run together and its initials (银行存款: "yinhangcunkuan", "yhck")."""
    full, initials = name_pinyin(name)
    return full.replace(" ", ""), initials


ACCOUNT_MATCHES = 30


def accounts_matching(*, user: User, books: Books, text: str, limit: int = ACCOUNT_MATCHES) -> list[Account]:
    """The books' active postable accounts a voucher line may take, as one types: by code, by name,
    or by the name's pinyin or initials ("yhck" finds 银行存款), at most `limit`."""
    text = text.strip()[:50]
    accounts = account_list(user=user, books=books, postable=True).filter(is_active=True)
    if not text:
        return list(accounts[:limit])
    found = list(accounts.filter(Q(code__startswith=text) | Q(name__contains=text))[:limit])
    key = text.lower()
    if len(found) >= limit or not (key.isascii() and key.isalpha()):
        return found
    taken = {a.pk for a in found}
    for account in accounts.exclude(pk__in=taken).only("pk", "code", "name"):
        full, initials = account_pinyin(account.name)
        if initials.startswith(key) or full.startswith(key):
            found.append(account)
            if len(found) >= limit:
                break
    return found


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
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    account: Account | None = None,
    text: str = "",
) -> QuerySet[Voucher]:
    """Vouchers in scope, newest first, with their books and who prepared them; `account` keeps those
    with a line on it or on one of its sub-accounts, `text` those whose summary holds it (or whose
    number it is)."""
    vouchers = scope_for(user, Capability.BOOKS_VIEW).filter(Voucher.objects.select_related("books", "prepared_by"))
    if books is not None:
        vouchers = vouchers.filter(books=books)
    if year is not None:
        vouchers = vouchers.filter(date__year=year)
    if month is not None:
        vouchers = vouchers.filter(date__month=month)
    if status:
        vouchers = vouchers.filter(status=status)
    if date_from is not None:
        vouchers = vouchers.filter(date__gte=date_from)
    if date_to is not None:
        vouchers = vouchers.filter(date__lte=date_to)
    if account is not None:
        # Driven from the lines' account index: the few vouchers on the account, not every voucher
        # of the books asked in turn.
        family = Account.objects.filter(books_id=account.books_id, code__startswith=account.code).values("pk")
        vouchers = vouchers.filter(pk__in=VoucherLine.objects.filter(account_id__in=family).values("voucher_id"))
    text = (text or "").strip()
    if text:
        condition = Q(summary__contains=text)
        if text.isdigit() and len(text) <= 9:
            condition |= Q(number=int(text))
        vouchers = vouchers.filter(condition)
    return vouchers.order_by("-date", "-number", "-id")


def voucher_get(*, user: User, pk: int) -> Voucher:
    """One voucher in scope, with its lines (and their accounts), attachments and reversal."""
    lines = Prefetch("lines", queryset=VoucherLine.objects.select_related("account").order_by("id"))
    voucher = (
        scope_for(user, Capability.BOOKS_VIEW)
        .filter(Voucher.objects.select_related("books", "prepared_by", "reviewed_by", "posted_by", "reverses"))
        .prefetch_related(lines, "attachments")
        .filter(pk=pk)
        .first()
    )
    if voucher is None:
        raise Http404
    return voucher


def attachment_get(*, user: User, pk: int) -> VoucherAttachment:
    """One attachment of a voucher in scope."""
    attachment = scope_for(user, Capability.BOOKS_VIEW).filter(VoucherAttachment.objects.filter(pk=pk)).first()
    if attachment is None:
        raise Http404
    return attachment


def voucher_reversal(voucher: Voucher) -> Voucher | None:
    """The red reversal that corrected `voucher`, if any."""
    return Voucher.objects.filter(reverses=voucher).first()


def voucher_totals(ids: Iterable[int]) -> dict[int, int]:
    """The debit total in fen of each voucher named (one query for a page of a list)."""
    rows = (
        VoucherLine.objects.filter(voucher_id__in=list(ids))
        .values_list("voucher_id")
        .annotate(total=Sum("debit_fen"))
        .order_by()
    )
    return {voucher_id: total or 0 for voucher_id, total in rows}


def with_totals(vouchers: QuerySet[Voucher]) -> QuerySet[Voucher]:
    """The vouchers, each with `total_fen`, its debit total (for an export)."""
    total = VoucherLine.objects.filter(voucher=OuterRef("pk")).values("voucher").annotate(t=Sum("debit_fen"))
    return vouchers.annotate(total_fen=Subquery(total.values("t")))


def periods_of(*, user: User, books: Books, year: int) -> dict[int, Period]:
    """The periods of `books` in `year` that exist (a month never used has none: it is open), by month."""
    _require_view(user, books)
    periods = Period.objects.filter(books=books, year=year).select_related("closed_by")
    return {period.month: period for period in periods}


def year_closed(*, books: Books, year: int) -> bool:
    """Whether the year-end close of `year` was made (its closing voucher is posted)."""
    keys = year_end_keys(year)
    return Voucher.objects.filter(books=books, idempotency_key__in=keys, status=VoucherStatus.POSTED).exists()


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


def voucher_source(voucher: Voucher) -> tuple[str, str] | None:
    """The business event `voucher` records, as (its kind's name, its page), when the domain that
    posted it names a model with a page (`get_absolute_url`); None for a voucher entered by hand or
    an event that no longer exists. The event's page applies its own access rule."""
    label, _sep, pk = voucher.source.partition(":")
    app_label, _dot, model_name = label.partition(".")
    try:
        model = apps.get_model(app_label, model_name)
        event = model._default_manager.get(pk=int(pk))
    except (LookupError, ValueError, ObjectDoesNotExist):
        return None
    url = getattr(event, "get_absolute_url", None)
    return (str(model._meta.verbose_name), url()) if url else None
