"""The demo town's books: every village has its organisation, a year of vouchers, its months
closed up to last month (the cooperatives' books too: `test_economy`); `verify_ledger` passes and every balance sheet balances."""

from __future__ import annotations

import io
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from hongniudai.accounts.models import User
from hongniudai.collective.models import EconomicOrg
from hongniudai.demo import data
from hongniudai.ledger import selectors
from hongniudai.ledger.models import Books, Period, PeriodStatus, Voucher
from hongniudai.places.models import AreaKind, AreaNode
from tests.ledger.sheet import balance_sheet_totals


def test_every_village_has_its_books_with_a_year_of_vouchers(demo: str, db: Any) -> None:
    town = AreaNode.objects.get(kind=AreaKind.TOWN, name=data.TOWN_NAME)
    villages = AreaNode.objects.filter(path__startswith=town.path, kind=AreaKind.VILLAGE)
    cooperatives = EconomicOrg.objects.filter(founded_by__isnull=False).values("books")
    books = Books.objects.filter(area_path__startswith=town.path).exclude(pk__in=cooperatives)
    assert sorted(b.village_id for b in books) == sorted(v.pk for v in villages)
    assert books.get(village__name="徐桥村").name == "徐桥村股份经济合作社"
    today = timezone.localdate()
    for one in books:
        assert Voucher.objects.filter(books=one).count() > 40
        closed = Period.objects.filter(books=one, status=PeriodStatus.CLOSED)
        assert closed.count() == 12 and not closed.filter(year=today.year, month=today.month).exists()
        assert Voucher.objects.filter(books=one, summary__contains="租金").exists()
        assert Voucher.objects.filter(books=one, summary__contains="转移支付").exists()


def test_verify_ledger_passes_and_every_balance_sheet_balances(demo: str, db: Any) -> None:
    out = io.StringIO()
    call_command("verify_ledger", stdout=out)
    for books in Books.objects.all():
        assets, claims = balance_sheet_totals(books)
        assert assets == claims > 0, books.name


def test_the_accountant_sees_her_village_s_books_and_the_town_s_officer_every_village_s(demo: str, db: Any) -> None:
    accountant = User.objects.get(username="xq_kuaiji")
    # The village's books and those of the cooperative it founded (`demo.economy`).
    assert sorted(b.name for b in selectors.books_list(user=accountant)) == [
        "徐桥村红高粱种植股份制合作社",
        "徐桥村股份经济合作社",
    ]
    officer = User.objects.get(username="nongjing")
    assert selectors.books_list(user=officer).count() == Books.objects.count() == 15 + 3
    assert not selectors.books_list(user=User.objects.get(username="gridworker")).exists()
