"""Per-row figures of a list as correlated subqueries.

A list annotated with `Count("children")` is joined and grouped over every row in the user's scope
before its page is cut: at county scale, tens of thousands of rows aggregated for the 50 shown. The
same figure as a correlated subquery is computed for the page's rows only (the database orders and
limits first, then evaluates the subquery for each row kept)."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Func, IntegerField, QuerySet, Subquery


def count_of(rows: QuerySet[Any], *, field: str = "pk", distinct: bool = False) -> Subquery:
    """How many of `rows` (filtered on an `OuterRef` to the listed row) there are, counting `field`
    (its distinct values with `distinct`): one aggregate row without GROUP BY, 0 when none."""
    template = "COUNT(DISTINCT %(expressions)s)" if distinct else "COUNT(%(expressions)s)"
    n = Func(F(field), template=template, output_field=IntegerField())
    return Subquery(rows.order_by().annotate(n=n).values("n")[:1], output_field=IntegerField())
