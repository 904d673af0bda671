"""The settling-time histograms of the matter rollup's cells (`MatterMonth.durations`, days to
settle → matters), summed for a page once per process: decoding and adding them was most of what
a county's measures cost."""

from __future__ import annotations

import functools
import hashlib
import json
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any


@functools.lru_cache(maxsize=1024)
def _histogram(text: str) -> Mapping[str, int]:
    """A cell's `durations`, read as text, decoded once per process (see `merged`)."""
    return MappingProxyType(json.loads(text))


class _Sums:
    """The sum of the histograms of some cells (one node over a period), decoded and added once per
    process: decoding and adding them was most of what summing a county's 240 town-months cost
    (40,000 keys a page), and PostgreSQL turning their `jsonb` into text most of what reading them
    cost (5 ms of a county's page). So a page first reads the cells without their histograms and
    asks `get` for the sum, keyed by the cells' rows (id and every number of each cell); only when
    it is missing does the page read the cells again with their histograms and `add` it.

    Exact because a cell is never changed in place: `refresh` and `rebuild` delete a cell and
    insert it anew, under a new id, so the same key always means the same histograms, and a
    changed cell changes the key. (A cell's numbers are in the key too: an id handed out again
    after a rolled-back insert, as SQLite does, would also have to bring back the very counts and
    seconds of the cell cached under it.) Kept by a 128-bit digest of the rows, the `size` most
    recently used. Read-only: a sum is shared."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.hits = 0
        self._sums: OrderedDict[bytes, Mapping[str, int]] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _digest(cells: Iterable[Sequence[Any]]) -> bytes:
        return hashlib.blake2b(repr(sorted(tuple(c) for c in cells)).encode(), digest_size=16).digest()

    def get(self, cells: Iterable[Sequence[Any]]) -> Mapping[str, int] | None:
        """The sum of the histograms of the cells whose rows (without their histograms) are
        `cells`, if made already."""
        digest = self._digest(cells)
        with self._lock:
            found = self._sums.get(digest)
            if found is not None:
                self._sums.move_to_end(digest)
                self.hits += 1
            return found

    def add(self, cells: Iterable[Sequence[Any]], texts: Iterable[str]) -> Mapping[str, int]:
        """Sum the histograms `texts` (as text) of the cells whose rows are `cells`, and keep it."""
        total: dict[str, int] = defaultdict(int)
        for text in texts:
            for key, n in _histogram(text).items():
                total[key] += n
        made = MappingProxyType(dict(total))
        digest = self._digest(cells)
        with self._lock:
            self._sums[digest] = made
            self._sums.move_to_end(digest)
            if len(self._sums) > self.size:
                self._sums.popitem(last=False)
        return made

    def clear(self) -> None:
        """Forget every sum (tests: the cells of a rolled-back test may come back under the same ids)."""
        with self._lock:
            self._sums.clear()


merged = _Sums(256)
