"""A chart folded for reading: an account with more sub-accounts than `FOLD_OVER` (a village's
households, one sub-account each under 113 内部往来) shows as one line that says how many lie under
it and leads to them, a page at a time. The chart page, the trial balance and the account choices
of the voucher list and the sub-account form fold the same way; exports and the API do not."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import TypeVar

FOLD_OVER = 30
UNFOLDED_PAGE = 100  # the sub-accounts of a folded account, per page

T = TypeVar("T")


def fold(
    rows: Iterable[T], *, pk: Callable[[T], int], parent: Callable[[T], int | None], over: int | None = None
) -> tuple[list[T], dict[int, int]]:
    """`rows` (in code order: a parent before what lies under it) without what lies under an account
    of more than `over` (`FOLD_OVER`) sub-accounts, and for each such account its number of sub-accounts."""
    over = FOLD_OVER if over is None else over
    rows = list(rows)
    children = Counter(p for p in map(parent, rows) if p is not None)
    big = {account: n for account, n in children.items() if n > over}
    hidden: set[int] = set()
    shown = []
    for row in rows:
        up = parent(row)
        if up is not None and (up in big or up in hidden):
            hidden.add(pk(row))
        else:
            shown.append(row)
    return shown, big
