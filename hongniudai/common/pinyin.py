"""Pinyin for search: people and places are found by typing their name, its pinyin or its initials
(徐桥村: "徐桥", "xuqiao", "xqc"), as a phone keyboard makes easiest."""

from __future__ import annotations

from typing import Any

from pypinyin import Style, lazy_pinyin

SEARCH_KEY_MAX = 255


def name_pinyin(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a Chinese name: 张圣福 → ("zhang sheng fu", "zsf")."""
    full = lazy_pinyin(name, errors="default")
    initials = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")
    return " ".join(full).lower()[:200], "".join(initials).lower()[:50]


def search_key(name: str) -> str:
    """What a name is found by besides itself: its pinyin run together, then its initials
    (徐桥村 → "xuqiaocun xqc"); `search_key__contains` on the typed text, lower-cased and without
    spaces, finds it by either."""
    full, initials = name_pinyin(name)
    return f"{full.replace(' ', '')} {initials}"[:SEARCH_KEY_MAX]


def typed(text: str) -> str:
    """The typed search text as compared with a search key: lower case, no spaces."""
    return "".join((text or "").split()).lower()


def fill_search_keys(model: Any, batch: int = 2000) -> None:
    """Give every row of the tree-node `model` its search key (for the migration that adds it)."""
    rows = []
    for node in model.objects.only("id", "name").iterator(chunk_size=batch):
        node.search_key = search_key(node.name)
        rows.append(node)
        if len(rows) >= batch:
            model.objects.bulk_update(rows, ["search_key"])
            rows = []
    model.objects.bulk_update(rows, ["search_key"])
