"""A village collective's year of books as plain data: its opening balances and the ordinary
vouchers of each month (collective rents, the town's subsidies, management expenses, wages and
payments), in whole fen on the accounts of 财会〔2023〕14号. Read by the demo loader, which posts
them through the ledger's services, and by the county generator, which writes them in bulk.

The amounts are those of a village of a few thousand people in Hubei: a bank balance of some
hundred thousand yuan, rents of a few thousand a month, the town's transfer for the village's
running costs each quarter, cadres' pay accrued monthly and paid the month after."""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from hongniudai.ledger.models import year_end_keys

# The accounts the plan posts to (codes of the 2023 chart).
CASH, BANK, RECEIVABLE, FIXED, DEPRECIATION = "101", "102", "112", "151", "152"
PAYABLE, WAGES, SPECIAL = "211", "212", "241"
CAPITAL, RESERVE, PROFIT, UNDISTRIBUTED = "301", "311", "321", "32202"
OPERATING, INVESTMENT, SUBSIDY, OTHER_INCOME = "501", "502", "503", "504"
MANAGEMENT, WELFARE, OTHER_EXPENSE = "513", "514", "515"
INCOME_CODES = (OPERATING, INVESTMENT, SUBSIDY, OTHER_INCOME, MANAGEMENT, WELFARE, OTHER_EXPENSE)


@dataclass(frozen=True)
class PlannedLine:
    code: str
    debit_fen: int
    credit_fen: int
    summary: str = ""


@dataclass(frozen=True)
class PlannedVoucher:
    date: dt.date
    summary: str
    lines: tuple[PlannedLine, ...]
    key: str  # the idempotency key; "opening" for the opening voucher, as the Excel import keys it

    @property
    def balanced(self) -> bool:
        return sum(x.debit_fen for x in self.lines) == sum(x.credit_fen for x in self.lines)


def _fen(rng: random.Random, low: int, high: int, step: int = 100) -> int:
    """A whole amount in fen between `low` and `high` yuan, in steps of `step` fen."""
    return rng.randrange(low * 100 // step, high * 100 // step + 1) * step


def _pair(debit: str, credit: str, amount: int, summary: str = "") -> tuple[PlannedLine, PlannedLine]:
    return PlannedLine(debit, amount, 0, summary), PlannedLine(credit, 0, amount, summary)


def start_of_books(today: dt.date) -> dt.date:
    """The books open on the first day of the month a year before `today`'s month."""
    return dt.date(today.year - 1, today.month, 1)


def months(start: dt.date, today: dt.date) -> Iterator[tuple[int, int]]:
    year, month = start.year, start.month
    while (year, month) <= (today.year, today.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def opening(rng: random.Random, date: dt.date) -> PlannedVoucher:
    """The opening balances (期初余额) as one voucher; the equity takes the difference."""
    fixed = _fen(rng, 800_000, 3_000_000, 10_000)
    debits = [
        PlannedLine(CASH, _fen(rng, 2_000, 8_000), 0),
        PlannedLine(BANK, _fen(rng, 300_000, 1_500_000), 0),
        PlannedLine(RECEIVABLE, _fen(rng, 20_000, 80_000), 0),
        PlannedLine(FIXED, fixed, 0),
    ]
    credits = [
        PlannedLine(DEPRECIATION, 0, fixed * rng.randint(15, 30) // 100 // 100 * 100),
        PlannedLine(PAYABLE, 0, _fen(rng, 30_000, 120_000)),
        PlannedLine(SPECIAL, 0, _fen(rng, 50_000, 200_000)),
        PlannedLine(UNDISTRIBUTED, 0, _fen(rng, 10_000, 60_000)),
    ]
    rest = sum(x.debit_fen for x in debits) - sum(x.credit_fen for x in credits)
    reserve = rest * rng.randint(20, 35) // 100
    credits += [PlannedLine(RESERVE, 0, reserve), PlannedLine(CAPITAL, 0, rest - reserve)]
    return PlannedVoucher(date, _("期初余额"), tuple(debits + credits), "opening")


# Occasional vouchers: (summary, debit account, credit account, low yuan, high yuan).
OCCASIONAL = (
    ("支付村部办公用品费", MANAGEMENT, CASH, 200, 1_500),
    ("支付村部电费", MANAGEMENT, BANK, 300, 2_000),
    ("支付村干部差旅费", MANAGEMENT, CASH, 100, 800),
    ("支付路灯维修费", WELFARE, BANK, 1_000, 8_000),
    ("支付村道清扫保洁费", WELFARE, BANK, 2_000, 6_000),
    ("支付五保户慰问金", WELFARE, CASH, 500, 3_000),
    ("收取鱼塘承包费", BANK, OPERATING, 2_000, 20_000),
    ("收取农田承包费", BANK, OPERATING, 5_000, 40_000),
    ("收回承包户欠款", BANK, RECEIVABLE, 1_000, 10_000),
    ("支付前欠工程款", PAYABLE, BANK, 5_000, 30_000),
    ("收到银行存款利息", BANK, OTHER_INCOME, 100, 1_500),
    ("收到合作社投资分红", BANK, INVESTMENT, 5_000, 30_000),
    ("支付银行手续费", OTHER_EXPENSE, BANK, 10, 200),
)


def month_vouchers(rng: random.Random, year: int, month: int, *, until: dt.date, extra: int) -> list[PlannedVoucher]:
    """The ordinary vouchers of one month, dated no later than `until`: the recurring ones and
    `extra` occasional ones, in date order."""
    last = calendar.monthrange(year, month)[1]
    if (year, month) == (until.year, until.month):
        last = until.day
    tag = f"{year}-{month:02d}"
    wages = _fen(rng, 9_000, 15_000)
    rent = _fen(rng, 3_000, 12_000)
    planned: list[tuple[int, str, tuple[PlannedLine, ...]]] = [
        (1, _("提取备用金"), _pair(CASH, BANK, _fen(rng, 2_000, 4_000))),
        (5, _("收取集体厂房门面租金"), _pair(BANK, OPERATING, rent)),
        (10, _("支付上月村干部报酬"), _pair(WAGES, BANK, wages)),
        (25, _("计提本月村干部报酬"), _pair(MANAGEMENT, WAGES, wages)),
    ]
    if month % 3 == 0:
        grant = _fen(rng, 20_000, 60_000, 10_000)
        planned.append((15, _("收到村级组织运转经费转移支付"), _pair(BANK, SUBSIDY, grant)))
    for _i in range(extra):
        summary, debit, credit, low, high = rng.choice(OCCASIONAL)
        planned.append((rng.randint(1, 28), _(summary), _pair(debit, credit, _fen(rng, low, high, 10))))
    planned.sort(key=lambda item: item[0])
    return [
        PlannedVoucher(dt.date(year, month, min(day, last)), summary, lines, f"demo:{tag}:{n}")
        for n, (day, summary, lines) in enumerate(planned, start=1)
        if day <= last
    ]


def year_end(year: int, vouchers: Sequence[PlannedVoucher]) -> list[PlannedVoucher]:
    """The year-end close of `year` as the ledger's `year_end_close` writes it, for the writers that
    bypass the services: each income and expense account's net to 本年收益, then 本年收益 to
    收益分配——未分配收益."""
    nets: dict[str, int] = defaultdict(int)
    for voucher in vouchers:
        if voucher.date.year == year:
            for line in voucher.lines:
                if line.code in INCOME_CODES:
                    nets[line.code] += line.debit_fen - line.credit_fen
    date = dt.date(year, 12, 31)
    lines = []
    for code in sorted(nets):
        net = nets[code]
        if net:
            lines.append(PlannedLine(code, max(-net, 0), max(net, 0), _("结转本年收益")))
    profit = -sum(nets.values())  # credit-positive
    if not lines:
        return []
    lines.append(PlannedLine(PROFIT, max(-profit, 0), max(profit, 0), _("本年收益")))
    income_key, profit_key = year_end_keys(year)
    out = [PlannedVoucher(date, _("结转本年收益"), tuple(lines), income_key)]
    if profit:
        carried = (
            PlannedLine(PROFIT, max(profit, 0), max(-profit, 0), _("本年收益转入未分配收益")),
            PlannedLine(UNDISTRIBUTED, max(-profit, 0), max(profit, 0), _("本年收益转入未分配收益")),
        )
        out.append(PlannedVoucher(date, _("结转本年收益及各项分配至未分配收益"), carried, profit_key))
    return out


def village_year(
    rng: random.Random, today: dt.date, *, extra: int = 2, closes: bool = True
) -> tuple[dt.date, list[PlannedVoucher]]:
    """A village's books from `start_of_books(today)` to `today`: the opening voucher, every month's
    vouchers and (`closes`) the year-end close of each December before `today`'s month, in date
    order. Returns the opening date and the vouchers."""
    start = start_of_books(today)
    vouchers = [opening(rng, start)]
    for year, month in months(start, today):
        vouchers += month_vouchers(rng, year, month, until=today, extra=extra)
        if closes and month == 12 and (year, month) < (today.year, today.month):
            vouchers += year_end(year, vouchers)
    return start, vouchers
