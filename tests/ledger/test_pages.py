"""The books' pages: the menu entry, the books and their chart (a sub-account added below an account),
and the months: closed in order, reopened by the town's 农经 staff with a reason, the year-end close."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from hongniudai.audit.models import AuditEvent
from hongniudai.ledger import folding, services, views
from hongniudai.ledger.models import Account, Period, PeriodStatus, Voucher
from tests.ledger.chart import acc, pair


def test_the_menu_shows_the_books_to_those_who_may_read_them(books, town, ledger_users):
    assert "集体账务" in town.client_for("accountant").get(reverse("ledger:books_list")).content.decode()
    assert "集体账务" not in town.client_for("gridworker").get(reverse("places:area_list")).content.decode()


def test_the_books_list_shows_ones_own_books_only(books, other_books, town):
    page = town.client_for("accountant").get(reverse("ledger:books_list")).content.decode()
    assert "徐桥村股份经济合作社" in page and "发水河村经济合作社" not in page
    page = town.client_for("nongjing").get(reverse("ledger:books_list")).content.decode()
    assert "徐桥村股份经济合作社" in page and "发水河村经济合作社" in page


def test_the_books_page_shows_the_chart_and_adds_a_sub_account(books, town):
    client = town.client_for("accountant")
    page = client.get(reverse("ledger:books_detail", args=[books.pk])).content.decode()
    assert "银行存款" in page and "向成员分配" in page
    receivable = acc(books, "112")
    url = reverse("ledger:account_add", args=[books.pk])
    form = client.get(url, {"parent": receivable.pk}).content.decode()
    assert 'value="112"' in form
    response = client.post(url, {"parent": receivable.pk, "code": "99", "name": "王大成"})
    assert "须以上级科目编码 112 开头" in response.content.decode()
    response = client.post(url, {"parent": receivable.pk, "code": "11201", "name": "王大成"})
    assert response.status_code == 302
    sub = Account.objects.get(books=books, code="11201")
    assert (sub.parent_id, sub.category) == (receivable.pk, "asset")
    page = client.get(reverse("ledger:books_detail", args=[books.pk])).content.decode()
    assert "王大成" in page


def test_the_town_officer_may_not_add_accounts(books, town):
    assert town.client_for("nongjing").get(reverse("ledger:account_add", args=[books.pk])).status_code == 403


def test_months_are_closed_from_the_periods_page(books, town, ledger_users):
    client = town.client_for("accountant")
    url = reverse("ledger:period_list", args=[books.pk])
    page = client.get(url, {"year": 2026}).content.decode()
    assert "2026年1月" in page and "2026年12月" in page
    close = reverse("ledger:period_close", args=[books.pk])
    response = client.post(close, {"year": 2026, "month": 2}, follow=True)
    assert "请先结账2026年1月" in response.content.decode()
    response = client.post(close, {"year": 2026, "month": 1}, follow=True)
    assert "2026年1月已结账" in response.content.decode()
    assert Period.objects.get(books=books, year=2026, month=1).status == PeriodStatus.CLOSED
    # The accountant does not reopen: no button, and the page is refused.
    assert reverse("ledger:period_reopen", args=[books.pk]) not in response.content.decode()
    assert client.get(reverse("ledger:period_reopen", args=[books.pk]), {"year": 2026, "month": 1}).status_code == 403


def test_the_town_officer_reopens_a_month_with_a_reason(books, town, ledger_users):
    services.close_period(actor=ledger_users["accountant"], books=books, year=2026, month=1)
    client = town.client_for("nongjing")
    url = reverse("ledger:period_reopen", args=[books.pk])
    assert url in client.get(reverse("ledger:period_list", args=[books.pk]), {"year": 2026}).content.decode()
    response = client.post(url, {"year": 2026, "month": 1, "reason": ""})
    assert response.status_code == 200
    assert Period.objects.get(books=books, year=2026, month=1).status == PeriodStatus.CLOSED
    response = client.post(url, {"year": 2026, "month": 1, "reason": "漏记一笔租金"})
    assert response.status_code == 302
    assert Period.objects.get(books=books, year=2026, month=1).status == PeriodStatus.OPEN
    assert AuditEvent.objects.filter(action="period_reopened").exists()


def test_the_year_end_close_from_the_periods_page(books, town, ledger_users):
    services.post_entry(
        actor=ledger_users["accountant"],
        books=books,
        date=dt.date(2026, 3, 5),
        summary="租金",
        lines=pair(books, "102", "501", "1000"),
        idempotency_key="",
    )
    client = town.client_for("accountant")
    url = reverse("ledger:year_end_close", args=[books.pk])
    assert "2026年年终收益结转" in client.get(url, {"year": 2026}).content.decode()
    response = client.post(url, {"year": 2026}, follow=True)
    assert "2026年收益已结转" in response.content.decode()
    assert Voucher.objects.filter(books=books, date=dt.date(2026, 12, 31)).count() == 2
    response = client.post(url, {"year": 2026}, follow=True)
    assert "已做过年终收益结转" in response.content.decode()


def test_an_accountant_lands_on_the_books(books, town):
    assert town.client_for("accountant").get(reverse("home"))["Location"] == reverse("ledger:books_list")
    assert town.client_for("nongjing").get(reverse("home"))["Location"] == reverse("ledger:books_list")
    assert town.client_for("xuqiao").get(reverse("home"))["Location"] != reverse("ledger:books_list")


def test_a_town_s_books_are_searched_and_paged_not_listed_whole(books, other_books, town, monkeypatch):
    client = town.client_for("nongjing")
    page = client.get(reverse("ledger:books_list"), {"q": "发水"}).content.decode()
    assert "发水河村经济合作社" in page and "徐桥村股份经济合作社" not in page
    # By the village's pinyin initials too, and only within one's scope.
    found = client.get(reverse("ledger:books_pick"), {"q": "xqc"}).content.decode()
    assert "徐桥村 · 徐桥村股份经济合作社" in found and "发水河村" not in found
    assert (
        "徐桥村"
        not in town.client_for("fsh_accountant").get(reverse("ledger:books_pick"), {"q": "xqc"}).content.decode()
    )
    # Beyond a handful of books the voucher list's books filter is a picker, not a select of them all.
    listed = client.get(reverse("ledger:voucher_list")).content.decode()
    assert '<select name="books"' in listed
    monkeypatch.setattr("hongniudai.ledger.forms.BOOKS_SELECT_MAX", 1)
    picked = client.get(reverse("ledger:voucher_list"), {"books": books.pk}).content.decode()
    assert '<select name="books"' not in picked and "data-pick" in picked
    assert 'value="徐桥村 · 徐桥村股份经济合作社"' in picked and 'hx-select="main"' in picked


def _households(actor: Any, books: Any, n: int) -> None:
    parent = acc(books, "112")
    for i in range(1, n + 1):
        services.add_sub_account(actor=actor, parent=parent, code=f"112{i:03d}", name=f"户主{i}")


@pytest.fixture
def folded_books(books: Any, ledger_users: dict[str, Any], monkeypatch: Any) -> Any:
    """A village's books with more household sub-accounts than are listed (the threshold lowered)."""
    monkeypatch.setattr(folding, "FOLD_OVER", 3)
    monkeypatch.setattr(views, "UNFOLDED_PAGE", 2)
    _households(ledger_users["accountant"], books, 5)
    return books


def test_the_chart_folds_a_villages_households(client, town, ledger_users, folded_books):
    client.force_login(ledger_users["accountant"])
    url = reverse("ledger:books_detail", args=[folded_books.pk])
    page = client.get(url).content.decode()
    assert "户主1" not in page and "5 个明细科目" in page and "?under=112" in page
    under = client.get(url + "?under=112").content.decode()
    assert "应收款" in under and "户主1" in under and "户主2" not in under and "第 1/3 页" in under
    assert "户主5" in client.get(url + "?under=112&page=3").content.decode()


def test_the_voucher_filter_and_sub_account_form_offer_the_chart_folded(client, town, ledger_users, folded_books):
    client.force_login(ledger_users["accountant"])
    vouchers = client.get(reverse("ledger:voucher_list") + f"?books={folded_books.pk}").content.decode()
    assert "户主1" not in vouchers and "含 5 个明细科目" in vouchers
    household = acc(folded_books, "112004")
    chosen = client.get(reverse("ledger:voucher_list") + f"?books={folded_books.pk}&account={household.pk}")
    assert chosen.status_code == 200 and "户主4" in chosen.content.decode() and "户主3" not in chosen.content.decode()
    add = reverse("ledger:account_add", args=[folded_books.pk])
    assert "户主1" not in client.get(add).content.decode()
    assert "户主2" in client.get(add + f"?parent={acc(folded_books, '112002').pk}").content.decode()


def test_the_entry_form_finds_a_folded_account_as_one_types(client, town, ledger_users, folded_books):
    client.force_login(ledger_users["accountant"])
    entry = client.get(reverse("ledger:voucher_create", args=[folded_books.pk])).content.decode()
    assert "户主1" not in entry and "银行存款" in entry
    options = reverse("ledger:account_options", args=[folded_books.pk])
    assert "112003 户主3" in client.get(options + "?q=户主3").content.decode()
    assert "112002 户主2" in client.get(options + "?q=112002").content.decode()
    assert "102 银行存款" in client.get(options + "?q=yhck").content.decode()
    assert "户主" not in client.get(options + "?q=yhck").content.decode()


def test_the_voucher_lists_books_select_is_read_once(books, other_books, town):
    """The books filter's options and whether there are too many for a select: one read of the books
    (not a count, then the books again for the options), the options as the select listed them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hongniudai.ledger import selectors

    client = town.client_for("nongjing")
    url = reverse("ledger:voucher_list")
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url).content.decode()
    assert sum('FROM "ledger_books"' in q["sql"] for q in ctx.captured_queries) == 1
    options = "".join(
        f'<option value="{b.pk}">{b.name}</option>' for b in selectors.books_list(user=town.users["nongjing"])
    )
    import re

    select = re.search(r'<select name="books"[^>]*>(.*?)</select>', page).group(1)
    assert select == f'<option value="" selected>全部账套</option>{options}', select
