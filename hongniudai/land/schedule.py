"""The arithmetic of rent, kept apart from the database: a contract's payment periods and their due
days, an instalment's amount to the fen (ROUND_HALF_UP), and a sum split by area so that the parts
add up to it exactly (largest remainder)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

FEN = Decimal("0.01")
CYCLE_MONTHS = {"yearly": 12, "half_yearly": 6}


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by `months`, the day clamped to the month's length (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Period:
    """One payment period: its first and last day and its share of a year (1, ½, or less for a
    last period cut short by the contract's end)."""

    start: dt.date
    end: dt.date
    share: Fraction


def periods(starts_on: dt.date, ends_on: dt.date, cycle: str) -> list[Period]:
    """The payment periods from `starts_on` to `ends_on` (inclusive), each `cycle` long; a last period
    cut short counts its days against the full period's."""
    months = CYCLE_MONTHS[cycle]
    out: list[Period] = []
    k = 0
    while True:
        start = add_months(starts_on, k * months)
        if start > ends_on:
            return out
        full_end = add_months(starts_on, (k + 1) * months) - dt.timedelta(days=1)
        end = min(full_end, ends_on)
        share = Fraction(months, 12)
        if end < full_end:
            share *= Fraction((end - start).days + 1, (full_end - start).days + 1)
        out.append(Period(start, end, share))
        k += 1


def due_date(period: Period, *, cycle: str, month: int, day: int) -> dt.date:
    """The first payment day (`month`/`day`, and six months on for half-yearly payment) on or after
    the period's start; the period's first day when none falls within it (rent paid in advance)."""
    months = {month} if cycle == "yearly" else {month, (month + 5) % 12 + 1}
    candidates = []
    for year in (period.start.year, period.start.year + 1):
        for m in months:
            candidates.append(dt.date(year, m, min(day, calendar.monthrange(year, m)[1])))
    on_or_after = sorted(d for d in candidates if d >= period.start)
    first = on_or_after[0]
    return first if first <= period.end else period.start


def round_fen(value: Fraction | Decimal) -> Decimal:
    """`value` in yuan rounded to the fen, half up (0.005 → 0.01)."""
    if isinstance(value, Fraction):
        fen = value * 100
        whole = fen.numerator // fen.denominator
        if fen - whole >= Fraction(1, 2):
            whole += 1
        return Decimal(whole) / 100
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def instalment_amount(area: Decimal, rent_per_mu: Decimal, share: Fraction) -> Decimal:
    """Area (mu) × rent per mu per year × the period's share of a year, to the fen."""
    return round_fen(Fraction(area) * Fraction(rent_per_mu) * share).quantize(FEN)


def split_exact(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """`total` (yuan) split in proportion to `weights`: each part floored to the fen, then the fen
    left over given one each to the parts with the largest remainders (the earlier one on a tie), so
    that the parts sum to `total` exactly."""
    if not weights:
        return []
    whole = sum((Fraction(w) for w in weights), Fraction(0))
    total_fen = int((total * 100).to_integral_value())
    if whole <= 0:
        raise ValueError("weights must sum to more than zero")
    exact = [Fraction(total_fen) * Fraction(w) / whole for w in weights]
    floors = [e.numerator // e.denominator for e in exact]
    left = total_fen - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [(Decimal(f) / 100).quantize(FEN) for f in floors]


def has_more_than_two_decimals(value: Decimal) -> bool:
    return value != value.quantize(FEN, rounding=ROUND_HALF_UP)
