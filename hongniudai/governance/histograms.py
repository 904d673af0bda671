"""The settling-time histograms of the matter rollup's cells (`MatterMonth.durations`, days to
settle → matters), summed for a page once per process: decoding and adding them was most of what
a county's measures cost."""

from __future__ import annotations

import functools
import hashlib
import json
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Mapping, Sequence
from types import MappingProxyType


@functools.lru_cache(maxsize=1024)
def _histogram(text: str) -> Mapping[str, int]:
    """A cell's `durations`, read as text, decoded once per process (see `merged`)."""
    return MappingProxyType(json.loads(text))


class _Sums:
    """The sum of the histograms of some cells (one node over a period), decoded and added once per
    process: decoding and adding them was most of what summing a county's 240 town-months cost
    (40,000 keys a page). A cell is never changed in place (`refresh` deletes and re-inserts it),
    so the same texts recur on every page that reads the same cells, and a changed cell changes
    them. Kept by a 128-bit digest of the texts, not the texts (a county's are half a megabyte),
    the `size` most recently used. Read-only: a sum is shared."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.hits = 0
        self._sums: OrderedDict[bytes, Mapping[str, int]] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, texts: Sequence[str]) -> Mapping[str, int]:
        digest = hashlib.blake2b("\x1e".join(texts).encode(), digest_size=16).digest()
        with self._lock:
            found = self._sums.get(digest)
            if found is not None:
                self._sums.move_to_end(digest)
                self.hits += 1
                return found
        total: dict[str, int] = defaultdict(int)
        for text in texts:
            for key, n in _histogram(text).items():
                total[key] += n
        made = MappingProxyType(dict(total))
        with self._lock:
            self._sums[digest] = made
            if len(self._sums) > self.size:
                self._sums.popitem(last=False)
        return made


merged = _Sums(256)
