"""Every read of source governance, for an acting user: matter lists, the inbox, a matter's
timeline, and the measures (小事不出湾率, 大事不出村率 …) of any node and period."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet
from django.utils import timezone

from hongniudai.accounts.scope import Capability, get_scoped_or_404, scope_for
from hongniudai.places.models import AreaNode

from .calendar import signal
from .models import (
    OPEN_STATUSES,
    Category,
    Level,
    Matter,
    MatterEvent,
    MatterStatus,
    Notification,
)

LIST_RELATED = ("category", "place", "place__parent", "area", "handler")


def matters(
    user: Any,
    *,
    q: str = "",
    status: str = "",
    level: str = "",
    category: Category | None = None,
    kind: str = "",
    area: AreaNode | None = None,
    overdue: bool | None = None,
    reported_from: dt.date | None = None,
    reported_to: dt.date | None = None,
) -> QuerySet[Matter]:
    qs = scope_for(user).filter(Matter.objects.select_related(*LIST_RELATED))
    if q:
        q = q.strip()
        qs = qs.filter(
            Q(number=q) | Q(title__icontains=q) | Q(description__icontains=q) | Q(other_parties__icontains=q)
        )
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if level:
        qs = qs.filter(level=level)
    if category is not None:
        qs = qs.filter(category=category)
    if kind:
        qs = qs.filter(category__kind=kind)
    if area is not None:
        qs = qs.filter(origin_path__startswith=area.path)
    if overdue:
        qs = qs.filter(_overdue_q(timezone.now()))
    if reported_from:
        qs = qs.filter(reported_at__date__gte=reported_from)
    if reported_to:
        qs = qs.filter(reported_at__date__lte=reported_to)
    return qs.order_by("-reported_at", "-id")


def _overdue_q(now: dt.datetime) -> Q:
    return Q(status__in=OPEN_STATUSES) & (Q(status=MatterStatus.NEW, accept_due_at__lt=now) | Q(settle_due_at__lt=now))


def matter_get(user: Any, pk: int) -> Matter:
    return get_scoped_or_404(user, Matter.objects.select_related(*LIST_RELATED, "reporter"), pk=pk)


def timeline(user: Any, matter: Matter) -> QuerySet[MatterEvent]:
    return matter.events.select_related("actor").order_by("at", "id")


def inbox(user: Any) -> QuerySet[Matter]:
    """What awaits the user: open matters held exactly at a node they handle, plus those they
    are invited to, most urgent deadline first."""
    handle = scope_for(user, Capability.HANDLE)
    if handle.everything:
        held = Q(status__in=OPEN_STATUSES)
    else:
        held = Q(area__path__in=handle.area_paths, status__in=OPEN_STATUSES)
    invited = Q(pk__in=Matter.objects.filter(invited=user, status__in=OPEN_STATUSES).values("pk"))
    due_soon = Q(pk__in=Matter.objects.filter(status=MatterStatus.RESOLVED, handler=user).values("pk"))
    return (
        Matter.objects.filter(held | invited | due_soon)
        .select_related(*LIST_RELATED)
        .annotate(due=_next_due())
        .order_by(F("due").asc(nulls_last=True), "reported_at")
    )


def _next_due() -> Any:
    from django.db.models import Case, When

    return Case(
        When(status=MatterStatus.NEW, then=F("accept_due_at")),
        When(status=MatterStatus.ACCEPTED, then=F("settle_due_at")),
        default=None,
    )


def due_of(matter: Matter) -> dt.datetime | None:
    if matter.status == MatterStatus.NEW:
        return matter.accept_due_at
    if matter.status == MatterStatus.ACCEPTED:
        return matter.settle_due_at
    return None


def signal_of(matter: Matter, now: dt.datetime | None = None) -> str:
    return signal(now or timezone.now(), due_of(matter)) if matter.is_open else "done"


def unread_notifications(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, read_at__isnull=True).select_related("matter")


def categories(*, active_only: bool = True) -> QuerySet[Category]:
    qs = Category.objects.prefetch_related("attributes")
    return qs.filter(is_active=True) if active_only else qs


# ---- measures -----------------------------------------------------------------------------


@dataclass
class Measures:
    node: AreaNode | None
    start: dt.date
    end: dt.date
    reported: int = 0
    settled: int = 0
    open: int = 0
    overdue: int = 0
    settled_hamlet: int = 0
    settled_village_or_below: int = 0
    mean_days: float | None = None
    p90_days: float | None = None
    satisfaction: float | None = None
    follow_ups: int = 0
    repeat_matters: int = 0
    by_level: dict[str, int] = field(default_factory=dict)

    @property
    def hamlet_rate(self) -> float | None:
        return self.settled_hamlet / self.settled if self.settled else None

    @property
    def village_rate(self) -> float | None:
        return self.settled_village_or_below / self.settled if self.settled else None


def _percentile(sorted_values: list[float], pct: float) -> float | None:
    if not sorted_values:
        return None
    k = max(0, math.ceil(pct * len(sorted_values)) - 1)
    return sorted_values[k]


def measures(user: Any, *, node: AreaNode | None, start: dt.date, end: dt.date) -> Measures:
    """Measures of the matters that arose under `node` (by where they happened), for the
    period [start, end] in local dates, restricted to what the user may see."""
    base = scope_for(user).filter(Matter.objects.all())
    if node is not None:
        base = base.filter(origin_path__startswith=node.path)
    m = Measures(node=node, start=start, end=end)
    now = timezone.now()
    m.reported = base.filter(reported_at__date__gte=start, reported_at__date__lte=end).count()
    settled_qs = base.filter(resolved_at__isnull=False, resolved_at__date__gte=start, resolved_at__date__lte=end)
    by_level = dict(settled_qs.values("resolved_level").annotate(n=Count("*")).values_list("resolved_level", "n"))
    m.by_level = {lvl: by_level.get(lvl, 0) for lvl in Level.values}
    m.settled = sum(by_level.values())
    m.settled_hamlet = by_level.get(Level.HAMLET, 0)
    m.settled_village_or_below = sum(by_level.get(lvl, 0) for lvl in (Level.HAMLET, Level.GRID, Level.VILLAGE))
    m.open = base.filter(status__in=OPEN_STATUSES, reported_at__date__lte=end).count()
    m.overdue = base.filter(_overdue_q(now)).count()
    durations = sorted(
        (resolved - reported).total_seconds() / 86400
        for reported, resolved in settled_qs.values_list("reported_at", "resolved_at")
        if resolved is not None
    )
    if durations:
        m.mean_days = sum(durations) / len(durations)
        m.p90_days = _percentile(durations, 0.9)
    sat = base.filter(satisfaction__isnull=False, resolved_at__date__gte=start, resolved_at__date__lte=end).aggregate(
        avg=Avg("satisfaction"), n=Count("*")
    )
    m.satisfaction = float(sat["avg"]) if sat["avg"] is not None else None
    m.follow_ups = sat["n"] or 0
    m.repeat_matters = repeat_matters(user, node=node, start=start, end=end).count()
    return m


def repeat_matters(
    user: Any, *, node: AreaNode | None, start: dt.date, end: dt.date, window_days: int = 180
) -> QuerySet[Matter]:
    """Matters of the period whose place and category, or one of whose parties, had an earlier
    matter within `window_days`."""
    base = scope_for(user).filter(Matter.objects.all())
    if node is not None:
        base = base.filter(origin_path__startswith=node.path)
    period = base.filter(reported_at__date__gte=start, reported_at__date__lte=end)
    from django.db.models import Exists, OuterRef

    window = dt.timedelta(days=window_days)
    same_place = Matter.objects.filter(
        place_id=OuterRef("place_id"),
        category_id=OuterRef("category_id"),
        reported_at__lt=OuterRef("reported_at"),
        reported_at__gte=OuterRef("reported_at") - window,
    )
    same_party = Matter.objects.filter(
        parties__in=OuterRef("parties"),
        reported_at__lt=OuterRef("reported_at"),
        reported_at__gte=OuterRef("reported_at") - window,
    )
    return period.filter(Q(Exists(same_place)) | Q(Exists(same_party))).distinct()


def drill_down(user: Any, *, node: AreaNode | None, start: dt.date, end: dt.date, measure: str) -> QuerySet[Matter]:
    """The matters behind one number of `measures`."""
    base = scope_for(user).filter(Matter.objects.select_related(*LIST_RELATED))
    if node is not None:
        base = base.filter(origin_path__startswith=node.path)
    settled = base.filter(resolved_at__isnull=False, resolved_at__date__gte=start, resolved_at__date__lte=end)
    if measure == "reported":
        return base.filter(reported_at__date__gte=start, reported_at__date__lte=end)
    if measure == "settled":
        return settled
    if measure == "settled_hamlet":
        return settled.filter(resolved_level=Level.HAMLET)
    if measure == "settled_village":
        return settled.filter(resolved_level__in=(Level.HAMLET, Level.GRID, Level.VILLAGE))
    if measure == "open":
        return base.filter(status__in=OPEN_STATUSES, reported_at__date__lte=end)
    if measure == "overdue":
        return base.filter(_overdue_q(timezone.now()))
    if measure == "repeat":
        ids = repeat_matters(user, node=node, start=start, end=end).values("pk")
        return base.filter(pk__in=ids)
    return base.none()


def measures_by_child(user: Any, *, node: AreaNode, start: dt.date, end: dt.date) -> list[Measures]:
    """Measures of each visible child of `node` (villages of a town, grids of a village…)."""
    children = scope_for(user).filter(node.children.all()).order_by("sort_order", "name")
    return [measures(user, node=child, start=start, end=end) for child in children]
