"""Out-of-scope targets for the ledger's URLs, merged into tests/test_url_scoping.py: 发水河村's books
and one of its posted vouchers (xuqiao, 徐桥村's secretary, must get 404; the town admin reaches them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hongniudai.ledger import services
from hongniudai.ledger.models import Account, OrgKind
from hongniudai.ledger.specs import LineSpec
from tests.ledger.chart import CHART


def fashuihe_books(town: Any) -> Any:
    books = getattr(town, "_ledger_books", None)
    if books is None:
        books = services.open_books(
            actor=town.users["fashuihe"],
            village=town.fashuihe.area,
            name="发水河村经济合作社",
            kind=OrgKind.COOPERATIVE,
            opened_on=dt.date(2025, 1, 1),
            chart=CHART,
        )
        town._ledger_books = books
    return books


def fashuihe_voucher(town: Any) -> Any:
    voucher = getattr(town, "_ledger_voucher", None)
    if voucher is None:
        books = fashuihe_books(town)
        bank, income = (Account.objects.get(books=books, code=c) for c in ("102", "501"))
        voucher = services.post_entry(
            actor=town.users["fashuihe"],
            books=books,
            date=dt.date(2025, 3, 1),
            summary="发水河村鱼塘租金",
            lines=[LineSpec(bank, debit=Decimal(800)), LineSpec(income, credit=Decimal(800))],
            idempotency_key="",
        )
        town._ledger_voucher = voucher
    return voucher


OUT_OF_SCOPE: dict[str, Callable[[Any], dict[str, Any]]] = {
    "api:ledger-books-detail": lambda t: {"pk": fashuihe_books(t).pk},
    "api:ledger-books-accounts": lambda t: {"pk": fashuihe_books(t).pk},
    "api:ledger-books-trial-balance": lambda t: {"pk": fashuihe_books(t).pk},
    "api:ledger-voucher-detail": lambda t: {"pk": fashuihe_voucher(t).pk},
    "api:ledger-voucher-reverse": lambda t: {"pk": fashuihe_voucher(t).pk},
    "api:ledger-reports-trial-balance": lambda t: {"pk": fashuihe_books(t).pk},
    "api:ledger-reports-balance-sheet": lambda t: {"pk": fashuihe_books(t).pk},
    "api:ledger-reports-income-statement": lambda t: {"pk": fashuihe_books(t).pk},
    "ledger:trial_balance": lambda t: {"pk": fashuihe_books(t).pk},
    "ledger:journal": lambda t: {"pk": fashuihe_books(t).pk},
    "ledger:balance_sheet": lambda t: {"pk": fashuihe_books(t).pk},
    "ledger:income_statement": lambda t: {"pk": fashuihe_books(t).pk},
    "ledger:account_ledger": lambda t: {"pk": Account.objects.get(books=fashuihe_books(t), code="102").pk},
}
for _name in (
    "books_detail",
    "account_add",
    "period_list",
    "period_close",
    "period_reopen",
    "year_end_close",
    "voucher_create",
    "account_options",
):
    OUT_OF_SCOPE[f"ledger:{_name}"] = lambda t: {"pk": fashuihe_books(t).pk}
for _name in (
    "voucher_detail",
    "voucher_edit",
    "voucher_delete",
    "voucher_post",
    "voucher_reverse",
    "attachment_add",
):
    OUT_OF_SCOPE[f"ledger:{_name}"] = lambda t: {"pk": fashuihe_voucher(t).pk}
OUT_OF_SCOPE["ledger:attachment_download"] = lambda t: {"pk": fashuihe_attachment(t).pk}
NOT_RECORDS: dict[str, dict[str, Any]] = {}


def fashuihe_attachment(town: Any) -> Any:
    """A receipt behind 发水河村's voucher."""
    attachment = getattr(town, "_ledger_attachment", None)
    if attachment is None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "application/pdf")
        attachment = services.attach_to_voucher(
            actor=town.users["fashuihe"], voucher=fashuihe_voucher(town), upload=upload, note="收据"
        )
        town._ledger_attachment = attachment
    return attachment
