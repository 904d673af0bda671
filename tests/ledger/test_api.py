"""The ledger through the API: a voucher posted once under its key, bad vouchers refused with a
Chinese message, no edit or deletion of a posted voucher, one reversal, the trial balance."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from hongniudai.ledger import services
from hongniudai.ledger.models import Voucher
from tests.ledger.chart import acc

URL = "/api/v1/ledger-vouchers/"


@pytest.fixture
def api(ledger_users):
    client = APIClient()
    client.force_authenticate(ledger_users["accountant"])
    return client


def body(books, amount_debit="100.00", amount_credit="100.00", key="", date="2026-03-05"):
    return {
        "books": books.pk,
        "date": date,
        "summary": "收取土地租金",
        "idempotency_key": key,
        "lines": [
            {"account": acc(books, "102").pk, "debit": amount_debit},
            {"account": acc(books, "501").pk, "credit": amount_credit},
        ],
    }


def test_a_voucher_is_posted_once_under_its_key(api, books):
    first = api.post(URL, body(books, key="rent-3"), format="json")
    assert first.status_code == 201, first.content
    assert first.json()["display"] == "记-2026-0001" and first.json()["lines"][0]["debit"] == "100.00"
    again = api.post(URL, body(books, key="rent-3"), format="json")
    assert again.json()["id"] == first.json()["id"]
    assert Voucher.objects.count() == 1


@pytest.mark.parametrize(
    ("debit", "credit", "words"),
    [("100.00", "99.00", "借贷不平衡"), ("0", "0", "不能为零"), ("100.005", "100.005", "2")],
)
def test_bad_vouchers_are_refused_with_a_message(api, books, debit, credit, words):
    response = api.post(URL, body(books, debit, credit), format="json")
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not Voucher.objects.exists()


def test_a_posted_voucher_cannot_be_edited_or_deleted_and_is_reversed_once(api, books):
    voucher = api.post(URL, body(books), format="json").json()
    url = f"{URL}{voucher['id']}/"
    assert api.put(url, body(books), format="json").status_code == 405
    assert api.patch(url, {"summary": "改"}, format="json").status_code == 405
    assert api.delete(url).status_code == 405
    reversal = api.post(f"{url}reverse/", {"date": "2026-03-06"}, format="json")
    assert reversal.status_code == 201 and reversal.json()["lines"][0]["debit"] == "-100.00"
    twice = api.post(f"{url}reverse/", {}, format="json")
    assert twice.status_code == 400 and "不能重复冲销" in twice.content.decode()


def test_a_posting_into_a_closed_month_is_refused(api, books, ledger_users):
    services.close_period(actor=ledger_users["accountant"], books=books, year=2026, month=1)
    response = api.post(URL, body(books, date="2026-01-20"), format="json")
    assert response.status_code == 400 and "已结账" in response.content.decode()


def test_the_trial_balance_and_who_may_post(api, books, town, ledger_users):
    api.post(URL, body(books), format="json")
    rows = api.get(f"/api/v1/ledger-books/{books.pk}/trial-balance/?year=2026&month=3").json()
    bank = next(r for r in rows if r["code"] == "102")
    assert (bank["debit"], bank["closing_debit"]) == ("100.00", "100.00")
    assert api.get(f"/api/v1/ledger-books/{books.pk}/trial-balance/?year=2026&month=13").status_code == 400
    officer = APIClient()
    officer.force_authenticate(ledger_users["nongjing"])
    assert officer.get(f"/api/v1/ledger-books/{books.pk}/accounts/").status_code == 200
    assert officer.post(URL, body(books), format="json").status_code == 403
    grid = APIClient()
    grid.force_authenticate(town.users["gridworker"])
    assert grid.get(URL).json()["count"] == 0
    assert grid.post(URL, body(books), format="json").status_code == 400  # the books are not among its choices
