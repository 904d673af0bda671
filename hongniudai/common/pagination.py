"""One paginator for every list page and the API: it counts at most `COUNT_CAP` rows.

At county scale an exact COUNT(*) over a million scoped rows costs a second or two per page
view; nobody pages through more than a few thousand rows (they search or filter instead). Below
the cap the count is exact; above it the list says "10000+" and offers the first 10,000 rows.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    cap = COUNT_CAP
    capped = False

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if isinstance(rows, QuerySet):
            # Count the first cap + 1 rows only; no ordering (the count does not need the sort).
            n = rows.order_by().values("pk")[: self.cap + 1].count()
        else:
            n = len(rows)
        self.capped = n > self.cap
        return min(n, self.cap)

    @property
    def count_label(self) -> str:
        count = self.count
        return f"{count}+" if self.capped else str(count)


def page_of(request: HttpRequest, rows: Any, per_page: int = 50, *, param: str = "page") -> Page:
    return CappedPaginator(rows, per_page).get_page(request.GET.get(param))
