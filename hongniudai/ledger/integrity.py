"""The books' invariants checked end to end, from the rows (`manage.py verify_ledger`), and the digest
that proves a closed period unchanged. On PostgreSQL the database also enforces the first two
(the triggers of migration 0002); on SQLite this walk is the only check."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Count, Max, Min, Sum

from .models import Balance, Books, ParentBalance, Period, PeriodStatus, Voucher, VoucherLine, VoucherStatus
from .rollups import subtree_totals


def period_lines(books_id: int, year: int, month: int) -> Iterator[tuple[object, ...]]:
    """The posted lines dated in one month, in a fixed order, as plain tuples."""
    return iter(
        VoucherLine.objects.filter(
            voucher__books_id=books_id,
            voucher__status=VoucherStatus.POSTED,
            voucher__date__year=year,
            voucher__date__month=month,
        )
        .order_by("voucher__number", "id")
        .values_list("voucher__number", "voucher__date", "account__code", "debit_fen", "credit_fen", "summary")
    )


def period_digest(books_id: int, year: int, month: int) -> str:
    """A sha256 over the month's posted lines: kept when the month is closed, compared later."""
    digest = hashlib.sha256()
    for row in period_lines(books_id, year, month):
        digest.update(("|".join(str(v) for v in row) + "\n").encode())
    return digest.hexdigest()


def unbalanced_vouchers(books: Books) -> list[str]:
    rows = (
        Voucher.objects.filter(books=books, status=VoucherStatus.POSTED)
        .annotate(debit=Sum("lines__debit_fen"), credit=Sum("lines__credit_fen"), n=Count("lines"))
        .values_list("year", "number", "debit", "credit", "n")
    )
    return [
        f"{books.name}: 凭证 记-{year}-{number:04d} 借贷不平衡(借 {debit or 0} 分,贷 {credit or 0} 分)"
        for year, number, debit, credit, n in rows
        if n == 0 or debit != credit
    ]


def _line_sums(books: Books) -> dict[tuple[int, int, int], list[int]]:
    """Per (account, year, month), the debit and credit of the books' posted lines."""
    lines = (
        VoucherLine.objects.filter(voucher__books=books, voucher__status=VoucherStatus.POSTED)
        .values_list("account_id", "voucher__date__year", "voucher__date__month")
        .annotate(debit=Sum("debit_fen"), credit=Sum("credit_fen"))
        .order_by()
    )
    return {(account_id, year, month): [debit, credit] for account_id, year, month, debit, credit in lines}


def _compare(
    books: Books, what: str, want: dict[tuple[int, int, int], list[int]], kept: dict[tuple[int, int, int], list[int]]
) -> list[str]:
    faults = []
    codes = dict(books.accounts.values_list("id", "code"))
    for key in sorted(set(want) | set(kept)):
        expected, have = want.get(key, [0, 0]), kept.get(key, [0, 0])
        if expected != have:
            account_id, year, month = key
            faults.append(
                f"{books.name}: 科目 {codes.get(account_id, account_id)} {year}年{month}月{what}"
                f"(借 {have[0]} 分,贷 {have[1]} 分)与分录合计(借 {expected[0]} 分,贷 {expected[1]} 分)不符"
            )
    return faults


def balance_faults(books: Books) -> list[str]:
    """Each kept balance against the sum of its period's posted lines."""
    kept = {
        (account_id, year, month): [debit, credit]
        for account_id, year, month, debit, credit in Balance.objects.filter(books=books).values_list(
            "account_id", "period__year", "period__month", "debit_fen", "credit_fen"
        )
    }
    return _compare(books, "余额", _line_sums(books), kept)


def parent_balance_faults(books: Books) -> list[str]:
    """Each kept parent balance against the sum of the posted lines under its account, per period."""
    parents = dict(books.accounts.values_list("id", "parent_id"))
    by_month: dict[tuple[int, int], list[tuple[int, int, int]]] = defaultdict(list)
    for (account_id, year, month), (debit, credit) in _line_sums(books).items():
        by_month[(year, month)].append((account_id, debit, credit))
    want = {
        (account_id, year, month): total
        for (year, month), rows in by_month.items()
        for account_id, total in subtree_totals(rows, parents).items()
    }
    kept = {
        (account_id, year, month): [debit, credit]
        for account_id, year, month, debit, credit in ParentBalance.objects.filter(books=books).values_list(
            "account_id", "period__year", "period__month", "debit_fen", "credit_fen"
        )
    }
    return _compare(books, "下级科目合计", want, kept)


def closed_period_faults(books: Books) -> list[str]:
    closed = Period.objects.filter(books=books, status=PeriodStatus.CLOSED).values_list("year", "month", "digest")
    return [
        f"{books.name}: {year}年{month}月结账后分录被改动"
        for year, month, digest in closed
        if period_digest(books.pk, year, month) != digest
    ]


def numbering_faults(books: Books) -> list[str]:
    """Per year, the posted numbers must be exactly 1..n."""
    faults = []
    years = (
        Voucher.objects.filter(books=books, status=VoucherStatus.POSTED)
        .values_list("year")
        .annotate(n=Count("id"), distinct=Count("number", distinct=True), low=Min("number"), high=Max("number"))
        .order_by("year")
    )
    for year, n, distinct, low, high in years:
        if n != distinct:
            faults.append(f"{books.name}: {year}年凭证号重复")
        if low != 1 or high != distinct:
            faults.append(f"{books.name}: {year}年凭证号不连续(共 {n} 张,编号 {low}–{high})")
    return faults


def faults(books: Books) -> list[str]:
    """Everything wrong with one organisation's books, in words; empty when they are sound."""
    return [
        *unbalanced_vouchers(books),
        *balance_faults(books),
        *parent_balance_faults(books),
        *closed_period_faults(books),
        *numbering_faults(books),
    ]
