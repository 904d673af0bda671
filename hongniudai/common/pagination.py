"""One paginator for every list page and the API: it counts at most `COUNT_CAP` rows.

At county scale an exact COUNT(*) over a million scoped rows costs a second or two per page
view; nobody pages through more than a few thousand rows (they search or filter instead). Below
the cap the count is exact; above it the list says "10000+" and offers the first 10,000 rows.

Counting to the cap still reads 10,001 index entries (5 ms on the county's members, a fifth of the
page). That a query has more rows than the cap is therefore remembered for a few minutes (keyed by
its SQL, which carries the user's scope): paging through a county-wide list, or opening it again,
does not count it again. Only "more than the cap" is remembered, and it shows as "10000+", so a new
or deleted row cannot make the figure on the page wrong; a count below the cap is always exact.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

COUNT_CAP = 10_000
OVER_CAP_SECONDS = 300


def _over_cap_key(rows: QuerySet[Any]) -> str | None:
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:
        return None
    digest = hashlib.sha256(f"{rows.db}\x00{sql}\x00{params!r}".encode()).hexdigest()
    return f"count-over-cap:{digest}"


def count_upto(rows: Any, cap: int) -> int:
    """How many rows `rows` holds, counting no further than `cap + 1` (a queryset: the first cap + 1
    rows only, without their ordering, which the count does not need)."""
    if not isinstance(rows, QuerySet):
        return len(rows)
    upto = rows.order_by().values("pk")[: cap + 1]
    key = _over_cap_key(upto)
    if key is not None and cache.get(key):
        return cap + 1
    n = upto.count()
    if n > cap and key is not None:
        cache.set(key, True, OVER_CAP_SECONDS)
    return n


class CappedPaginator(Paginator):
    cap = COUNT_CAP
    capped = False

    def __init__(self, object_list: Any, per_page: int, *, total: int | None = None) -> None:
        super().__init__(object_list, per_page)
        self.total = total  # the rows' number when a counter kept by the services knows it

    @cached_property
    def count(self) -> int:
        n = self.total if self.total is not None else count_upto(self.object_list, self.cap)
        self.capped = n > self.cap
        return min(n, self.cap)

    @property
    def over_cap(self) -> bool:
        """More rows than the cap: the list shows "N+" and its export is refused (the export's limit
        is the same number), so the page disables the export button before anyone waits for it."""
        self.count  # noqa: B018 - counting sets `capped`
        return self.capped

    @property
    def count_label(self) -> str:
        count = self.count
        return f"{count}+" if self.capped else str(count)


def page_of(
    request: HttpRequest, rows: Any, per_page: int = 50, *, param: str = "page", total: int | None = None
) -> Page:
    """A page of `rows`; `total`, when given, is their number as a kept counter says (the hamlets'
    counts of households and residents), so that they are not counted; it is capped all the same."""
    return CappedPaginator(rows, per_page, total=total).get_page(request.GET.get(param))
