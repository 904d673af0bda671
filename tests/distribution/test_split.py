"""The members' dividends split exactly to the fen (largest remainder), whatever the figures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hongniudai.distribution.split import split_amount, split_fen


def test_100000_over_three_single_shares_sums_exactly() -> None:
    parts = split_amount(Decimal("100000.00"), [(1, Decimal(1)), (2, Decimal(1)), (3, Decimal(1))])
    assert parts == [(1, Decimal("33333.34")), (2, Decimal("33333.33")), (3, Decimal("33333.33"))]
    assert sum(p for _h, p in parts) == Decimal("100000.00")


def test_five_fen_over_seven_holders_goes_to_the_first_five() -> None:
    parts = split_amount(Decimal("0.05"), [(h, Decimal(1)) for h in range(1, 8)])
    assert [p for _h, p in parts] == [Decimal("0.01")] * 5 + [Decimal("0.00")] * 2
    assert sum(p for _h, p in parts) == Decimal("0.05")


def test_largest_remainder_wins_over_order() -> None:
    # 1.00 over 1, 2 and 3.5 shares: exact 0.1538.., 0.3076.., 0.5384..: the fen left goes to the second.
    parts = split_amount(Decimal("1.00"), [(1, Decimal("1")), (2, Decimal("2")), (3, Decimal("3.5"))])
    assert [p for _h, p in parts] == [Decimal("0.15"), Decimal("0.31"), Decimal("0.54")]


@pytest.mark.parametrize("total", [1, 7, 99, 10_000_001, 123_456_789])
def test_no_fen_lost_or_created(total: int) -> None:
    weights = [3, 7, 11, 13, 250, 1]
    assert sum(split_fen(total, weights)) == total
