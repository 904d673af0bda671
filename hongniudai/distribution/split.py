"""Splitting an amount over share holders exactly to the fen (最大余数法): each holder gets the whole
fen of its exact share, and the fen left over go one each to the holders with the largest
remainders, ties to the holder first in the given (stable) order; the parts always sum to the
amount: no fen lost, none created."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TypeVar

from hongniudai.ledger.money import to_fen, yuan

H = TypeVar("H")


def split_fen(total_fen: int, weights: Sequence[int]) -> list[int]:
    """`total_fen` split in proportion to the non-negative whole `weights` (at least one positive)."""
    whole = sum(weights)
    if whole <= 0 or any(w < 0 for w in weights):
        raise ValueError("weights must be non-negative with a positive sum")
    parts = [total_fen * w // whole for w in weights]
    remainders = [total_fen * w % whole for w in weights]
    left = total_fen - sum(parts)
    # Largest remainder first; on equal remainders, the earlier holder (stable order).
    for index in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[:left]:
        parts[index] += 1
    return parts


def split_amount(amount: Decimal, holdings: Sequence[tuple[H, Decimal]]) -> list[tuple[H, Decimal]]:
    """`amount` yuan split over `holdings` ((holder, shares), in the order ties are broken) by shares
    held (to two decimals), as (holder, yuan) in the same order."""
    weights = [int((shares * 100).to_integral_value()) for _holder, shares in holdings]
    parts = split_fen(to_fen(amount), weights)
    return [(holder, yuan(fen)) for (holder, _shares), fen in zip(holdings, parts, strict=True)]
