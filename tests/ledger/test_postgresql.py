"""On PostgreSQL the database itself keeps the books: raw SQL cannot change a posted line or commit
an unbalanced posted voucher; and 20 postings at once to the same accounts leave every balance equal
to its lines, numbers 1..20, nothing posted twice. (CI runs these on PostgreSQL.)"""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, connections, transaction

from hongniudai.ledger import services
from hongniudai.ledger.integrity import faults
from hongniudai.ledger.models import Balance, Voucher, VoucherLine
from tests.ledger.chart import acc, pair

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's")

DAY = dt.date(2026, 4, 1)


def post(actor, books, amount="10", key=""):
    return services.post_entry(
        actor=actor, books=books, date=DAY, summary="租金", lines=pair(books, "102", "501", amount), idempotency_key=key
    )


@pytest.mark.django_db(transaction=True)
def test_a_raw_update_or_delete_of_a_posted_line_fails(books, ledger_users):
    voucher = post(ledger_users["accountant"], books)
    line = voucher.lines.first()
    for sql in (
        "UPDATE ledger_voucherline SET debit_fen = debit_fen + 1 WHERE id = %s",
        "DELETE FROM ledger_voucherline WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="posted voucher"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [line.pk])
    with pytest.raises(DatabaseError, match="posted voucher"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE ledger_voucher SET date = '2026-04-02' WHERE id = %s", [voucher.pk])
    with pytest.raises(DatabaseError, match="posted voucher"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE ledger_voucher SET summary = '改' WHERE id = %s", [voucher.pk])
    with pytest.raises(DatabaseError, match="posted voucher"), transaction.atomic():
        Voucher.objects.filter(pk=voucher.pk).delete()
    assert list(voucher.lines.values_list("debit_fen", "credit_fen")) == [(1000, 0), (0, 1000)]


@pytest.mark.django_db(transaction=True)
def test_a_raw_insert_of_an_unbalanced_posted_voucher_fails_at_commit(books, ledger_users):
    bank, income = acc(books, "102"), acc(books, "501")
    with pytest.raises(DatabaseError, match="does not balance"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO ledger_voucher (books_id, date, year, status, summary, idempotency_key, created_at)"
                " VALUES (%s, '2026-04-01', 2026, 'draft', 'raw', '', now()) RETURNING id",
                [books.pk],
            )
            (vid,) = cursor.fetchone()
            cursor.execute(
                "INSERT INTO ledger_voucherline (voucher_id, account_id, summary, debit_fen, credit_fen)"
                " VALUES (%s, %s, '', 500, 0), (%s, %s, '', 0, 400)",
                [vid, bank.pk, vid, income.pk],
            )
            cursor.execute(
                "UPDATE ledger_voucher SET status = 'posted', number = 99, posted_at = now() WHERE id = %s", [vid]
            )
    assert not Voucher.objects.exists() and not VoucherLine.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_postings_keep_the_books_true(books, ledger_users):
    actor = ledger_users["accountant"]
    errors: list[BaseException] = []
    start = threading.Barrier(20)

    def worker(i: int) -> None:
        try:
            start.wait()
            # Each posting twice under its key, as a retried request would.
            for _ in range(2):
                post(actor, books, amount=str(Decimal(i + 1)), key=f"k-{i}")
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Voucher.objects.filter(books=books).values_list("number", flat=True))
    assert numbers == list(range(1, 21))
    bank = Balance.objects.get(account=acc(books, "102"))
    assert bank.debit_fen == sum(range(1, 21)) * 100
    assert faults(books) == []
