"""What the ledger's services take as plain values: an account of a chart (`AccountSpec`, what a
chart loader in `ledger.charts` returns and `services.open_books` creates) and a voucher line
(`LineSpec`, what every posting names).

A chart is a list of `AccountSpec` in which a parent comes before its children (`parent_code`
names an earlier spec's code); a child's category and normal balance must equal its parent's."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .models import Account


@dataclass(frozen=True)
class AccountSpec:
    code: str
    name: str
    category: str  # models.Category: asset, liability, equity, cost, income
    normal_balance: str  # models.Side: debit, credit
    parent_code: str | None = None
    is_postable: bool = True
    standard: str = ""  # "财会〔2023〕14号", "财会〔2004〕12号", or "" for a village's own


@dataclass(frozen=True)
class LineSpec:
    """One line of a voucher: an account and an amount in yuan on one side (the other side 0)."""

    account: Account
    debit: Decimal = Decimal(0)
    credit: Decimal = Decimal(0)
    summary: str = ""
