"""A minimal chart for the ledger's tests, and helpers to name its accounts and write two-line entries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from hongniudai.accounts.models import User
from hongniudai.ledger import services
from hongniudai.ledger.models import Account, Books, Voucher
from hongniudai.ledger.specs import LineSpec


@dataclass(frozen=True)
class AccountSpec:
    """An entry of a chart, as `open_books` reads it (`ledger.specs.ChartAccount`)."""

    code: str
    name: str
    category: str
    normal_balance: str
    parent_code: str | None = None
    is_postable: bool = True


CHART = [
    AccountSpec("101", "库存现金", "asset", "debit"),
    AccountSpec("102", "银行存款", "asset", "debit"),
    AccountSpec("112", "应收款", "asset", "debit"),
    AccountSpec("211", "应付款", "liability", "credit"),
    AccountSpec("301", "资本", "equity", "credit"),
    AccountSpec("321", "本年收益", "equity", "credit"),
    AccountSpec("322", "收益分配", "equity", "credit", is_postable=False),
    AccountSpec("32201", "各项分配", "equity", "credit", parent_code="322", is_postable=False),
    AccountSpec("3220101", "向成员分配", "equity", "credit", parent_code="32201"),
    AccountSpec("32202", "未分配收益", "equity", "credit", parent_code="322"),
    AccountSpec("501", "经营收入", "income", "credit"),
    AccountSpec("502", "经营支出", "income", "debit"),
    AccountSpec("541", "补助收入", "income", "credit"),
    AccountSpec("550", "管理费用", "income", "debit"),
]
OPENED = dt.date(2026, 1, 1)


def acc(books: Books, code: str) -> Account:
    return Account.objects.get(books=books, code=code)


def pair(books: Books, debit: str, credit: str, amount: str | Decimal) -> list[LineSpec]:
    """A two-line entry: `amount` from `credit` to `debit`."""
    return [
        LineSpec(acc(books, debit), debit=Decimal(amount)),
        LineSpec(acc(books, credit), credit=Decimal(amount)),
    ]


def post_pair(actor: User, books: Books, debit: str, credit: str, amount: str, date: dt.date) -> Voucher:
    return services.post_entry(
        actor=actor,
        books=books,
        date=date,
        summary="业务",
        lines=pair(books, debit, credit, amount),
        idempotency_key="",
    )
