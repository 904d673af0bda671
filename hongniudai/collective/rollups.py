"""Each organisation's current members, total shares and cooperatives founded
(`EconomicOrg.members_now`, `shares_total`, `cooperatives_founded`).

The organisations' list shows the three for every row; counting each organisation's memberships
and summing its share register per request costs a village's whole register per row. The services
recompute an organisation's figures (never add or subtract) in the same transaction as any write
that confirms or ends a membership, records shares or founds a cooperative; `rebuild` recomputes
all of them after bulk writes (registered with `common.rollups`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from hongniudai.common.rollups import Say, is_deferred, register

from .models import EconomicOrg, Membership, ShareEntry


def figures(org_ref: Any) -> dict[str, Any]:
    """The three figures of the organisation `org_ref` (an id or an `OuterRef`), as expressions."""
    members = Membership.objects.filter(Q(ended_on__isnull=True), org=org_ref).order_by().values("org")
    shares = ShareEntry.objects.filter(org=org_ref).order_by().values("org")
    coops = EconomicOrg.objects.filter(founded_by=org_ref).order_by().values("founded_by")
    return {
        "members_now": Coalesce(
            Subquery(members.annotate(n=Count("*")).values("n"), output_field=IntegerField()), Value(0)
        ),
        "shares_total": Coalesce(
            Subquery(shares.annotate(s=Sum("shares")).values("s"), output_field=DecimalField()),
            Value(Decimal(0)),
            output_field=DecimalField(),
        ),
        "cooperatives_founded": Coalesce(
            Subquery(coops.annotate(n=Count("*")).values("n"), output_field=IntegerField()), Value(0)
        ),
    }


@transaction.atomic
def refresh(*org_ids: int | None) -> None:
    """Recompute the figures of the given organisations. Their rows are locked first (in id order),
    so that the counting runs after any concurrent writer to the same organisation has committed."""
    ids = sorted({pk for pk in org_ids if pk is not None})
    if not ids or is_deferred():
        return
    list(EconomicOrg.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    EconomicOrg.objects.filter(pk__in=ids).update(**figures(OuterRef("pk")))


@register("collective_org_figures")
def rebuild(say: Say = lambda _m: None) -> int:
    """Recompute every organisation's figures (one UPDATE)."""
    n = EconomicOrg.objects.update(**figures(OuterRef("pk")))
    say(f"    {n} organisations")
    return n
