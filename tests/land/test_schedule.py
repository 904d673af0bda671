"""The arithmetic of rent: periods, due days, amounts to the fen, an exact split by area."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from hongniudai.land.schedule import due_date, instalment_amount, periods, split_exact


def test_ten_thousand_yuan_over_three_equal_areas_sums_exactly() -> None:
    parts = split_exact(Decimal("10000.00"), [Decimal(1), Decimal(1), Decimal(1)])
    assert parts == [Decimal("3333.34"), Decimal("3333.33"), Decimal("3333.33")]
    assert sum(parts) == Decimal("10000.00")


def test_largest_remainders_get_the_left_over_fen() -> None:
    parts = split_exact(Decimal("100.00"), [Decimal("1.5"), Decimal("2.25"), Decimal("3.1")])
    assert sum(parts) == Decimal("100.00")
    # exact shares 21.897…, 32.846…, 45.255…: floors 21.89, 32.84, 45.25 leave 2 fen, for the largest remainders
    assert parts == [Decimal("21.90"), Decimal("32.85"), Decimal("45.25")]


def test_yearly_periods_and_a_short_last_one() -> None:
    got = periods(dt.date(2025, 3, 1), dt.date(2026, 8, 31), "yearly")
    assert [(p.start, p.end) for p in got] == [
        (dt.date(2025, 3, 1), dt.date(2026, 2, 28)),
        (dt.date(2026, 3, 1), dt.date(2026, 8, 31)),
    ]
    assert got[0].share == 1
    assert got[1].share == Fraction(184, 365)


def test_half_yearly_due_days() -> None:
    got = periods(dt.date(2025, 1, 1), dt.date(2025, 12, 31), "half_yearly")
    assert [p.share for p in got] == [Fraction(1, 2), Fraction(1, 2)]
    assert [due_date(p, cycle="half_yearly", month=3, day=31) for p in got] == [
        dt.date(2025, 3, 31),
        dt.date(2025, 9, 30),
    ]


def test_a_due_day_outside_the_period_falls_on_its_first_day() -> None:
    (p,) = periods(dt.date(2025, 4, 1), dt.date(2025, 6, 30), "yearly")
    assert due_date(p, cycle="yearly", month=3, day=1) == dt.date(2025, 4, 1)


def test_amounts_round_half_up_to_the_fen() -> None:
    assert instalment_amount(Decimal("1.25"), Decimal("0.5"), Fraction(1)) == Decimal("0.63")  # 0.625
    assert instalment_amount(Decimal("2.5"), Decimal("801.00"), Fraction(1, 2)) == Decimal("1001.25")
