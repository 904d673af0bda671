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


def _figures(**where: object) -> dict[tuple[int, int], tuple[Decimal, int]]:
    """(confirmed hours, done tasks) per (volunteer id, year), over the hours and participations
    matching `where` (a volunteer's, or everyone's): the one definition `refresh` and `rebuild` share,
    two grouped reads."""
    hours = (
        ServiceHours.objects.filter(status=HoursStatus.CONFIRMED, **where)
        .annotate(y=ExtractYear("day"))
        .values_list("volunteer_id", "y")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    done = (
        Participation.objects.filter(status=ParticipationStatus.DONE, **where)
        .annotate(y=ExtractYear("task__starts_at"))
        .values_list("volunteer_id", "y")
        .annotate(n=Count("pk"))
        .order_by()
    )
    out: dict[tuple[int, int], tuple[Decimal, int]] = {}
    for volunteer_id, year, total in hours:
        out[(volunteer_id, year)] = (total or ZERO, 0)
    for volunteer_id, year, n in done:
        out[(volunteer_id, year)] = (out.get((volunteer_id, year), (ZERO, 0))[0], n)
    return {key: figures for key, figures in out.items() if figures[0] or figures[1]}


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
    figures = _figures(volunteer_id=volunteer_id)
    VolunteerYear.objects.filter(volunteer_id=volunteer_id, year__in=wanted).delete()
    VolunteerYear.objects.bulk_create(
        VolunteerYear(volunteer_id=volunteer_id, area_path=area_path, year=year, hours=hours, tasks=tasks)
        for (_v, year), (hours, tasks) in sorted(figures.items())
        if year in wanted
    )


@register("volunteer_years")
@transaction.atomic
def rebuild(say: Callable[[str], None] = lambda _m: None) -> int:
    """Recompute every row in two grouped reads; returns the number of rows."""
    figures = _figures()
    paths = dict(Volunteer.objects.values_list("pk", "area_path"))
    VolunteerYear.objects.all().delete()
    VolunteerYear.objects.bulk_create(
        (
            VolunteerYear(volunteer_id=v, area_path=paths[v], year=y, hours=hours, tasks=tasks)
            for (v, y), (hours, tasks) in figures.items()
        ),
        batch_size=2000,
    )
    say(f"    {len(figures)} volunteer-years")
    return len(figures)
