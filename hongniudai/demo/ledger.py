"""The demo town's books: every village's collective economic organisation gets its books on the
2023 chart, its opening balances as an opening voucher, a year of ordinary vouchers (from
`ledger_plan`), the year-end close of a December passed, and its months closed up to last month.

Everything goes through `ledger.services` (as the loader's actor), so numbers, balances, digests
and audit records are those of the running platform. A village that has books already is left
as it is, so a second load changes nothing."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from collections.abc import Callable

from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.ledger import services as ledger
from hongniudai.ledger.charts import CK_2023, load_chart
from hongniudai.ledger.models import Account, Books, OrgKind, Period, PeriodStatus, Voucher
from hongniudai.ledger.money import yuan
from hongniudai.ledger.specs import LineSpec
from hongniudai.places.models import AreaKind, AreaNode

from . import ledger_plan as plan

Say = Callable[[str], None]


def org_name(village: AreaNode) -> str:
    return f"{village.name}股份经济合作社"


def open_village_books(actor: User, village: AreaNode, today: dt.date, *, close: bool = True) -> Books:
    """Open one village's books and post its year: opening, months, year-end close, closings
    (without `close`, the year-end close and the closings are left to `close_books`)."""
    rng = random.Random(f"ledger:{village.name}")
    start, vouchers = plan.village_year(rng, today, closes=False)
    books = ledger.open_books(
        actor=actor,
        village=village,
        name=org_name(village),
        kind=OrgKind.SHAREHOLDING,
        opened_on=start,
        chart=load_chart(CK_2023).accounts,
    )
    accounts = {a.code: a for a in Account.objects.filter(books=books)}
    by_month: dict[tuple[int, int], list[plan.PlannedVoucher]] = defaultdict(list)
    for voucher in vouchers:
        by_month[(voucher.date.year, voucher.date.month)].append(voucher)
    for year, month in plan.months(start, today):
        for voucher in by_month[(year, month)]:
            _post(actor, books, accounts, voucher)
        if close and month == 12 and (year, month) < (today.year, today.month):
            ledger.year_end_close(actor=actor, books=books, year=year)
    if close:
        _close_months(actor, books, today)
    return books


def close_books(actor: User, books: Books, today: dt.date) -> None:
    """The year-end close of each December passed since the books opened, then every month closed
    up to last month: what `open_village_books` does at the end, for books posted into later."""
    for year, month in plan.months(books.opened_on, today):
        if month == 12 and (year, month) < (today.year, today.month):
            ledger.year_end_close(actor=actor, books=books, year=year)
    _close_months(actor, books, today)


def _close_months(actor: User, books: Books, today: dt.date) -> None:
    for year, month in plan.months(books.opened_on, today):
        if (year, month) < (today.year, today.month):
            ledger.close_period(actor=actor, books=books, year=year, month=month)


def close_open_books(actor: User, town: AreaNode, today: dt.date) -> int:
    """`close_books` for every book of `town` with no month closed yet (opened by this load)."""
    closed = Period.objects.filter(status=PeriodStatus.CLOSED).values("books")
    fresh = Books.objects.filter(area_path__startswith=town.path).exclude(pk__in=closed).order_by("pk")
    count = 0
    for books in fresh:
        close_books(actor, books, today)
        count += 1
    return count


def _post(actor: User, books: Books, accounts: dict[str, Account], voucher: plan.PlannedVoucher) -> None:
    ledger.post_entry(
        actor=actor,
        books=books,
        date=voucher.date,
        summary=voucher.summary,
        lines=[
            LineSpec(accounts[x.code], debit=yuan(x.debit_fen), credit=yuan(x.credit_fen), summary=x.summary)
            for x in voucher.lines
        ],
        idempotency_key=voucher.key,
        check=False,
    )


def load_ledger(actor: User, town: AreaNode, say: Say, *, today: dt.date, close: bool = True) -> int:
    """Books for every village of `town` that has none; returns how many were opened (without
    `close`, their months stay open until `close_open_books`)."""
    start = time.monotonic()
    villages = AreaNode.objects.filter(path__under=town.path, kind=AreaKind.VILLAGE).order_by("path")
    having = set(Books.objects.filter(area_path__startswith=town.path).values_list("village_id", flat=True))
    opened = 0
    for village in villages:
        if village.pk in having:
            continue
        open_village_books(actor, village, today, close=close)
        opened += 1
    if opened:
        say(
            _("  集体账套:%(n)d 个村建账,%(v)d 张凭证(%(t).1f 秒)")
            % {
                "n": opened,
                "v": Voucher.objects.filter(books__area_path__startswith=town.path).count(),
                "t": time.monotonic() - start,
            }
        )
    return opened
