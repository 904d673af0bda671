"""Reading the coarse tier of the compliance rollup (`ObligationSum`, kept by `rollups`): when
it answers a page as the obligations' rows would, and its counts per root organisation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Case, F, Sum, Value, When

from hongniudai.accounts.scope import Scope

from .models import ObligationSum


def _depth(path: str) -> int:
    return path.count("/") - 1


def answers(scope: Scope, paths: Iterable[str]) -> bool:
    """Whether the tier counts the subtrees of `paths` as the rows do for `scope`: each of its
    rows lies wholly inside or wholly outside each subtree and the scope when every one of their
    paths is no deeper than the tier's keys (a county's roots; its or a town's area), since a
    path that short is a prefix of a row's path exactly when it is one of its key's."""
    if any(_depth(p) > ObligationSum.ORG_DEPTH for p in paths):
        return False
    if scope.everything:
        return True
    return all(_depth(p) <= ObligationSum.AREA_DEPTH for p in scope.area_paths) and all(
        _depth(p) <= ObligationSum.ORG_DEPTH for p in scope.org_paths
    )


def counts_by_root(
    scope: Scope, *, node_path: str | None, start: dt.date, end: dt.date, today: dt.date
) -> dict[str, tuple[int, int, int]]:
    """(due, met, missing) of the obligations of the units overlapping [start, end] and begun by
    today, per root organisation's path, within the scope (and `node_path`'s subtree). One query."""
    last = min(end, today)
    if last < start:
        return {}
    qs = ObligationSum.objects.filter(unit_start__lte=last, unit_end__gte=start)
    if node_path is not None:
        qs = qs.filter(path__under=node_path)
    rows = (
        scope.filter(qs)
        .values("path")
        .annotate(
            all_due=Sum("due"),
            all_met=Sum("met"),
            all_missing=Sum(Case(When(unit_end__lt=today, then=F("due") - F("met")), default=Value(0))),
        )
        .order_by()
        .values_list("path", "all_due", "all_met", "all_missing")
    )
    return {path: (due, met, missing) for path, due, met, missing in rows}
