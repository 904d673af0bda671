"""Counters of each hamlet's households, residents and party members (`AreaNode.*_here`; the
party members' count is registered by `party`, see `contributions`).

The tree shows counts for every node's subtree; at county scale counting a million residents
per page is too slow, so the page sums these counters over the hamlets under each node. The
services recompute a hamlet's counters (never add or subtract) in the same transaction as any
write that moves a household, a resident or a member; `rebuild` recomputes all of them after
bulk writes (registered with `common.rollups`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from hongniudai.common.rollups import is_deferred, register

from .contributions import registry
from .models import AreaKind, AreaNode, Household, Resident


def count_per_hamlet(model: Any, hamlet_field: str, hamlet_ref: Any) -> Coalesce:
    """A correlated COUNT(*) of `model` rows whose hamlet is `hamlet_ref`."""
    counted = (
        model.objects.filter(**{hamlet_field: hamlet_ref})
        .order_by()
        .values(hamlet_field)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted), Value(0), output_field=IntegerField())


def _counters(hamlet_ref: Any) -> dict[str, Any]:
    return {
        "households_here": count_per_hamlet(Household, "hamlet_id", hamlet_ref),
        "residents_here": count_per_hamlet(Resident, "household__hamlet_id", hamlet_ref),
        **{c.field: c.per_hamlet(hamlet_ref) for c in registry.hamlet_counts},
    }


@transaction.atomic
def refresh(*hamlet_ids: int | None) -> None:
    """Recompute the counters of the given hamlets. Their rows are locked first (in id order),
    so that the counting runs after any concurrent writer to the same hamlet has committed.
    Each count goes by the hamlet's household ids, so it is an index lookup whatever the
    planner knows of the tables (during a bulk load it may know nothing). The counts of the packages
    above (party members) are theirs (`contributions.HamletCount`)."""
    ids = sorted({pk for pk in hamlet_ids if pk is not None})
    if not ids or is_deferred():
        return
    list(AreaNode.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    for hamlet_id in ids:
        households = list(Household.objects.filter(hamlet_id=hamlet_id).values_list("pk", flat=True))
        AreaNode.objects.filter(pk=hamlet_id).update(
            households_here=len(households),
            residents_here=Resident.objects.filter(household_id__in=households).count() if households else 0,
            **{c.field: c.in_households(households) if households else 0 for c in registry.hamlet_counts},
        )


@register("hamlet_counters")
def rebuild(say: Callable[[str], None] = lambda _m: None) -> int:
    """Recompute every hamlet's counters (one UPDATE)."""
    n = AreaNode.objects.filter(kind=AreaKind.HAMLET).update(**_counters(OuterRef("pk")))
    say(f"    {n} hamlets")
    return n
