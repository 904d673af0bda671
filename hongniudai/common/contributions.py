"""Page parts: how a package adds to the pages of a package below it without being imported by it.

The layers (`docs/architecture.md`) let a package import only those below it, yet a page of a lower
package sometimes shows what a higher one knows (a grid's page its party groups, an organisation's
page its enterprises). The lower package keeps a `PageParts` registry with named pages; the higher
package adds a part to a page when its app is ready (`AppConfig.ready`); the lower page's view merges
every part's context into its own. The templates show what is there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

PagePart = Callable[..., dict[str, Any]]


class PageParts:
    def __init__(self) -> None:
        self._parts: defaultdict[str, list[PagePart]] = defaultdict(list)

    def add(self, page: str, part: PagePart) -> None:
        """Add `part(user, record)` to `page`; adding the same part twice keeps one."""
        if part not in self._parts[page]:
            self._parts[page].append(part)

    def context(self, page: str, *args: Any) -> dict[str, Any]:
        """The context every part of `page` adds, given the page's arguments (the user, the record)."""
        out: dict[str, Any] = {}
        for part in self._parts.get(page, []):
            out.update(part(*args))
        return out
