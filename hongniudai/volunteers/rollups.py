"""The volunteers' year rollup (`VolunteerYear`): each volunteer's confirmed hours and done tasks
in each year, as the ranking and the volunteer list show them.

At county scale the ranking cannot sum every volunteer's hours of the year per request (see
docs/bench/); it reads the top rows of these instead. They are kept true in two ways, both
computing a row from the hours and participations themselves (never by adding and subtracting):

- `refresh(volunteer_id, years)`: the services call it in the same transaction after every change
  that moves a count (hours confirmed, a participation done);
- `rebuild()`: recomputes every row in one pass (after bulk writes: the demo, the county
  generator); registered with `common.rollups`.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear

from hongniudai.common.rollups import is_deferred, register

from .models import HoursStatus, Participation, ParticipationStatus, ServiceHours, Volunteer, VolunteerYear

ZERO = Decimal("0.0")


@transaction.atomic
def refresh(volunteer_id: int, *years: int) -> None:
    """Recompute the volunteer's rows of `years`. The volunteer's row is locked first, so that two
    writers for one volunteer recompute one after the other (the second reading the first's
    committed change). Skipped inside `common.rollups.deferred()`, which rebuilds at its end."""
    wanted = sorted(set(years))
    if not wanted or is_deferred():
        return
    area_path = (
        Volunteer.objects.select_for_update().filter(pk=volunteer_id).values_list("area_path", flat=True).first()
    )
    if area_path is None:
        return
    for year in wanted:
        hours = ServiceHours.objects.filter(
            volunteer_id=volunteer_id, status=HoursStatus.CONFIRMED, day__year=year
        ).aggregate(total=Sum("hours"))["total"]
        tasks = Participation.objects.filter(
            volunteer_id=volunteer_id, status=ParticipationStatus.DONE, task__starts_at__year=year
        ).count()
        VolunteerYear.objects.filter(volunteer_id=volunteer_id, year=year).delete()
        if hours or tasks:
            VolunteerYear.objects.create(
                volunteer_id=volunteer_id, area_path=area_path, year=year, hours=hours or ZERO, tasks=tasks
            )


@register("volunteer_years")
@transaction.atomic
def rebuild(say: Callable[[str], None] = lambda _m: None) -> int:
    """Recompute every row in two grouped reads; returns the number of rows."""
    hours: dict[tuple[int, int], Decimal] = {}
    tasks: dict[tuple[int, int], int] = {}
    confirmed = (
        ServiceHours.objects.filter(status=HoursStatus.CONFIRMED)
        .annotate(y=ExtractYear("day"))
        .values_list("volunteer_id", "y")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    for volunteer_id, year, total in confirmed:
        hours[(volunteer_id, year)] = total
    done = (
        Participation.objects.filter(status=ParticipationStatus.DONE)
        .annotate(y=ExtractYear("task__starts_at"))
        .values_list("volunteer_id", "y")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for volunteer_id, year, n in done:
        tasks[(volunteer_id, year)] = n
    keys = hours.keys() | tasks.keys()
    paths = dict(Volunteer.objects.values_list("pk", "area_path"))
    VolunteerYear.objects.all().delete()
    VolunteerYear.objects.bulk_create(
        (
            VolunteerYear(
                volunteer_id=v, area_path=paths[v], year=y, hours=hours.get((v, y), ZERO), tasks=tasks.get((v, y), 0)
            )
            for v, y in keys
        ),
        batch_size=2000,
    )
    say(f"    {len(keys)} volunteer-years")
    return len(keys)
