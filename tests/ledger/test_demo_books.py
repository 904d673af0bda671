"""The demo's books, laid out on the test town's villages through the ledger's services."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from hongniudai.demo import ledger_plan as plan
from hongniudai.demo.ledger import load_ledger
from hongniudai.demo.loader import loader_actor
from hongniudai.ledger.integrity import faults
from hongniudai.ledger.models import Books, Period, PeriodStatus, Voucher, VoucherStatus
from tests.ledger.sheet import balance_sheet_totals


def test_every_planned_voucher_balances_and_lies_in_the_span() -> None:
    today = dt.date(2026, 3, 9)
    start, vouchers = plan.village_year(random.Random(1), today, extra=3)
    assert start == dt.date(2025, 3, 1)
    assert all(v.balanced for v in vouchers)
    assert all(start <= v.date <= today for v in vouchers)
    assert len({v.key for v in vouchers}) == len(vouchers)
    assert [v.key for v in vouchers if v.key.startswith("year-end")] == ["year-end:2025:income", "year-end:2025:profit"]


def test_every_village_gets_sound_books_that_balance(town: Any) -> None:
    today = timezone.localdate()
    lines: list[str] = []
    assert load_ledger(loader_actor(), town.town, lines.append, today=today) == 3
    assert lines and "集体账套" in lines[0]
    for books in Books.objects.all():
        assert faults(books) == []
        left, right = balance_sheet_totals(books)
        assert left == right and left > 0
        vouchers = Voucher.objects.filter(books=books)
        assert vouchers.filter(status=VoucherStatus.DRAFT).count() == 0
        assert vouchers.count() > 40
        closed = Period.objects.filter(books=books, status=PeriodStatus.CLOSED)
        assert closed.count() == 12
        assert not closed.filter(year=today.year, month=today.month).exists()
        december = dt.date(today.year - 1, 12, 31)
        assert vouchers.filter(idempotency_key=f"year-end:{december.year}:income").exists()


def test_a_second_load_opens_nothing(town: Any) -> None:
    today = timezone.localdate()
    load_ledger(loader_actor(), town.town, lambda _m: None, today=today)
    count = Voucher.objects.count()
    assert load_ledger(loader_actor(), town.town, lambda _m: None, today=today) == 0
    assert Voucher.objects.count() == count
