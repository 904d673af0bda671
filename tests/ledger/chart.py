"""A minimal chart for the ledger's tests, and helpers to name its accounts and write two-line entries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hongniudai.ledger.models import Account, Books
from hongniudai.ledger.specs import AccountSpec, LineSpec

STD = "财会〔2023〕14号"
CHART = [
    AccountSpec("101", "库存现金", "asset", "debit", standard=STD),
    AccountSpec("102", "银行存款", "asset", "debit", standard=STD),
    AccountSpec("112", "应收款", "asset", "debit", standard=STD),
    AccountSpec("211", "应付款", "liability", "credit", standard=STD),
    AccountSpec("301", "资本", "equity", "credit", standard=STD),
    AccountSpec("321", "本年收益", "equity", "credit", standard=STD),
    AccountSpec("322", "收益分配", "equity", "credit", is_postable=False, standard=STD),
    AccountSpec("32201", "未分配收益", "equity", "credit", parent_code="322", standard=STD),
    AccountSpec("501", "经营收入", "income", "credit", standard=STD),
    AccountSpec("502", "经营支出", "income", "debit", standard=STD),
    AccountSpec("541", "补助收入", "income", "credit", standard=STD),
    AccountSpec("550", "管理费用", "income", "debit", standard=STD),
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
