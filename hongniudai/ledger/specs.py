"""What the ledger's services take as plain values: an account of a chart (`ChartAccount`, what
`services.open_books` reads from each entry of a chart: `ledger.charts.AccountSpec` is one) and a
voucher line (`LineSpec`, what every posting names).

A chart is a sequence of `ChartAccount` in which a parent comes before its children (`parent_code`
names an earlier entry's code); a child's category and normal balance must equal its parent's."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from .models import Account


class ChartAccount(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def category(self) -> str: ...  # models.Category: asset, liability, equity, cost, income
    @property
    def normal_balance(self) -> str: ...  # models.Side: debit, credit
    @property
    def parent_code(self) -> str | None: ...
    @property
    def is_postable(self) -> bool: ...


@dataclass(frozen=True)
class LineSpec:
    """One line of a voucher: an account and an amount in yuan on one side (the other side 0)."""

    account: Account
    debit: Decimal = Decimal(0)
    credit: Decimal = Decimal(0)
    summary: str = ""
