"""The kept balances (`Balance`, per account and month) rebuilt from the posted lines, for bulk
writers that write vouchers around the posting service (the county generator, an import):
`common.rollups.rebuild_all()` runs it."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Sum

from hongniudai.common.rollups import Say, register

from .models import Balance, Period, VoucherLine, VoucherStatus


@register("ledger_balances")
@transaction.atomic
def rebuild_balances(say: Say = lambda _msg: None) -> int:
    """Recompute every balance from the posted lines; returns the number of balance rows."""
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
    say(f"    {len(rows)} balances")
    return len(rows)
