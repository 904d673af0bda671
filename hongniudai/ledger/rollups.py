"""The kept balances (`Balance`, per account and month, and `ParentBalance`, per account with
sub-accounts and month, over all that lies under it) rebuilt from the posted lines, for bulk writers
that write vouchers around the posting service (the county generator, an import):
`common.rollups.rebuild_all()` runs it. The posting service moves both with every posted voucher."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.db.models import Sum

from hongniudai.common.rollups import Say, register

from .models import Account, Balance, ParentBalance, Period, VoucherLine, VoucherStatus


def subtree_totals(rows: Iterable[tuple[int, int, int]], parents: Mapping[int, int | None]) -> dict[int, list[int]]:
    """Per account with sub-accounts, the debit and credit of the (account, debit, credit) `rows`
    under it at any depth (`parents`: each account's parent, None at the top)."""
    above: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for account_id, debit, credit in rows:
        node = parents.get(account_id)
        while node is not None:
            above[node][0] += debit
            above[node][1] += credit
            node = parents.get(node)
    return dict(above)


@register("ledger_balances")
@transaction.atomic
def rebuild_balances(say: Say = lambda _msg: None) -> int:
    """Recompute every balance and parent balance from the posted lines; returns the number of
    balance rows."""
    totals = (
        VoucherLine.objects.filter(voucher__status=VoucherStatus.POSTED)
        .values_list("voucher__books_id", "account_id", "voucher__date__year", "voucher__date__month")
        .annotate(debit=Sum("debit_fen"), credit=Sum("credit_fen"))
        .order_by()
    )
    rows = list(totals)
    months = {(books_id, year, month) for books_id, _a, year, month, _d, _c in rows}
    Period.objects.bulk_create(
        [Period(books_id=b, year=y, month=m) for b, y, m in sorted(months)], ignore_conflicts=True, batch_size=1000
    )
    periods = {
        (b, y, m): pk for pk, b, y, m in Period.objects.values_list("pk", "books_id", "year", "month").iterator()
    }
    Balance.objects.all().delete()
    Balance.objects.bulk_create(
        [
            Balance(books_id=b, account_id=a, period_id=periods[(b, y, m)], debit_fen=d, credit_fen=c)
            for b, a, y, m, d, c in rows
        ],
        batch_size=1000,
    )
    parents: dict[int, int | None] = dict(
        Account.objects.filter(parent__isnull=False).values_list("pk", "parent_id").iterator()
    )
    by_period: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    books_of: dict[int, int] = {}
    for b, a, y, m, d, c in rows:
        period = periods[(b, y, m)]
        by_period[period].append((a, d, c))
        books_of[period] = b
    ParentBalance.objects.all().delete()
    above = [
        ParentBalance(books_id=books_of[period], account_id=a, period_id=period, debit_fen=d, credit_fen=c)
        for period, lines in by_period.items()
        for a, (d, c) in subtree_totals(lines, parents).items()
    ]
    ParentBalance.objects.bulk_create(above, batch_size=1000)
    say(f"    {len(rows)} balances, {len(above)} parent balances")
    return len(rows)
