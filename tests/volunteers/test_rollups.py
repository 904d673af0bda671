"""The volunteers' year rollup: the ranking and the volunteer list read it and show what the
hours and participations themselves say, and every write keeps it equal to a rebuild."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Count, DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from hongniudai.common import rollups as common_rollups
from hongniudai.volunteers import rollups, selectors, services, services_tasks
from hongniudai.volunteers.models import (
    HoursStatus,
    Participation,
    ParticipationStatus,
    ServiceHours,
    Volunteer,
    VolunteerYear,
)

from .conftest import SHANGHAI, task_now

pytestmark = pytest.mark.django_db

ZERO = Value(Decimal("0.0"), output_field=DecimalField(max_digits=8, decimal_places=1))


# ---- the computation the pages made before the rollup (the reference) ---------------------------


def old_year_hours(year: int | None) -> Coalesce:
    q = ServiceHours.objects.filter(status=HoursStatus.CONFIRMED, volunteer=OuterRef("pk"))
    if year is not None:
        q = q.filter(day__year=year)
    rows = q.order_by().values("volunteer").annotate(total=Sum("hours")).values("total")
    return Coalesce(Subquery(rows), ZERO)


def old_volunteers(user: Any, *, year: int | None, area: Any = None) -> Any:
    qs = Volunteer.objects.filter(selectors.visible_q(user, Volunteer, "user_id")).annotate(
        year_hours=old_year_hours(year)
    )
    if area is not None:
        qs = qs.filter(area_path__startswith=area.path)
    return qs.order_by("area_path", "name", "id")


def old_ranking(user: Any, *, year: int, area: Any = None, limit: int = 100) -> list[selectors.RankRow]:
    qs = old_volunteers(user, year=year, area=area).filter(year_hours__gt=0)
    done = (
        Participation.objects.filter(
            volunteer=OuterRef("pk"), status=ParticipationStatus.DONE, task__starts_at__year=year
        )
        .order_by()
        .values("volunteer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = qs.annotate(task_count=Coalesce(Subquery(done), 0)).order_by("-year_hours", "name", "id")
    values = rows.values_list("pk", "name", "area__name", "team__name", "year_hours", "task_count")[:limit]
    out, rank, previous = [], 0, None
    for i, (pk, name, area_name, team_name, total, count) in enumerate(values, start=1):
        if total != previous:
            rank, previous = i, total
        out.append(selectors.RankRow(rank, pk, name, area_name, team_name or "", total, count))
    return out


# ---- a dataset --------------------------------------------------------------------------------


def _task(town: Any, area: Any, start: dt.datetime, hours: int = 4, title: str = "活动") -> Any:
    return services_tasks.schedule_task(
        actor=town.users["admin"],
        area=area,
        kind="activity",
        title=title,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=hours),
        needed=20,
    )


def serve(town: Any, volunteers: list[Volunteer], start: dt.datetime, hours: str, **kw: Any) -> list[ServiceHours]:
    """A past task of the volunteers' village: done, its hours logged on `day` (default: the
    start's) and confirmed unless `confirm` is False."""
    admin = town.users["admin"]
    area = kw.get("area", town.xuqiao.area)
    task = _task(town, area, start, hours=kw.get("length", 4))
    out = []
    for p in services_tasks.assign(actor=admin, task=task, volunteers=volunteers):
        if kw.get("done", True):
            services_tasks.complete_participation(actor=admin, participation=p)
        day = kw.get("day", start.date())
        logged = services_tasks.log_hours(actor=admin, participation=p, hours=hours, day=day)
        if kw.get("confirm", True):
            services_tasks.confirm_hours(actor=admin, hours=logged)
        out.append(logged)
    return out


def at(y: int, m: int, d: int, h: int = 9) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=SHANGHAI)


@pytest.fixture
def many(town: Any, crew: Any) -> list[Volunteer]:
    """Volunteers of 徐桥村 (village, grid, hamlet), 发水河村 and the town, with hours in two years,
    ties, unconfirmed and rejected hours, tasks not done, and a task over New Year's Eve."""
    admin = town.users["admin"]
    xq, fsh = town.xuqiao, town.fashuihe
    team = services.create_team(actor=admin, area=xq.area, name="送汤队")
    made = [crew.huang, crew.li, crew.shi]
    for i, area in enumerate([xq.area, xq.grid, xq.hamlet, xq.area, fsh.area, town.town, xq.area]):
        made.append(
            services.register_volunteer(
                actor=admin,
                area=area,
                name=f"志愿者{i % 4}",  # names repeat: ties are broken by id
                phone="13800138000",
                team=team if area == xq.area else None,
                joined_on=dt.date(2024, 1, 1),
            )
        )
    huang, li, shi, v0, v1, v2, v3, v4, v5, v6 = made
    serve(town, [huang, li, v0], at(2025, 3, 1), "4")
    serve(town, [v1, v2], at(2025, 3, 2), "4")  # a tie with the above
    serve(town, [v3], at(2025, 4, 1), "2.5", done=False)  # hours, no task done
    serve(town, [li, v6], at(2025, 5, 1), "3", confirm=False)  # unconfirmed
    rejected = serve(town, [v0], at(2025, 5, 2), "6", confirm=False)[0]
    services_tasks.reject_hours(actor=admin, hours=rejected, reason="重复登记")
    serve(town, [v4, shi], at(2025, 6, 1), "7.5", area=fsh.area)
    serve(town, [v5], at(2025, 6, 2), "1", area=town.town)
    serve(town, [huang, v1], at(2024, 12, 31, 20), "5", length=8, day=dt.date(2025, 1, 1))  # task of 2024
    serve(town, [li, v2], at(2024, 7, 1), "10")
    return made


YEARS = (2024, 2025, 2026)


def test_the_ranking_shows_what_the_hours_say(town, crew, many):
    areas = [None, town.town, town.district, town.xuqiao.area, town.xuqiao.grid, town.fashuihe.area]
    for user in ("admin", "xuqiao", "fashuihe", "gridworker", "huang", "hemeifan"):
        for area in areas:
            for year in YEARS:
                expected = old_ranking(town.users[user], year=year, area=area)
                got = selectors.ranking(town.users[user], year=year, area=area)
                assert got == expected, (user, area, year)
                # One decimal, as PostgreSQL gave the sums (SQLite gave "9" for 9.0 before the rollup).
                assert [str(r.hours) for r in got] == [f"{r.hours:.1f}" for r in expected]
    assert len(old_ranking(town.users["admin"], year=2025)) == 9


def test_the_ranking_keeps_its_limit(town, crew, many):
    for limit in (1, 3, 4, 5):
        expected = old_ranking(town.users["admin"], year=2025, limit=limit)
        assert selectors.ranking(town.users["admin"], year=2025, limit=limit) == expected


def test_the_volunteer_list_shows_the_years_hours(town, crew, many):
    for user in ("admin", "xuqiao", "huang"):
        for year in (*YEARS, None):
            got = selectors.volunteers(town.users[user], year=year).values_list("pk", "year_hours")
            assert list(got) == list(old_volunteers(town.users[user], year=year).values_list("pk", "year_hours"))


def _rows() -> list[tuple[Any, ...]]:
    return sorted(VolunteerYear.objects.values_list("volunteer_id", "area_path", "year", "hours", "tasks"))


def _as_rebuilt() -> None:
    kept = _rows()
    rollups.rebuild()
    assert kept == _rows()


def test_every_write_keeps_the_rollup_as_a_rebuild_makes_it(town, crew):
    admin, huang = town.users["admin"], crew.huang_user
    task = task_now(admin, town.xuqiao.area, needed=5)
    _as_rebuilt()
    requested = services_tasks.request_participation(actor=huang, task=task, volunteer=crew.huang)
    p = services_tasks.confirm_participation(actor=admin, participation=requested)
    _as_rebuilt()
    services_tasks.complete_participation(actor=admin, participation=p)
    assert _rows() != []
    _as_rebuilt()
    logged = services_tasks.log_hours(actor=huang, participation=p, hours="2.5")
    _as_rebuilt()
    services_tasks.confirm_hours(actor=admin, hours=logged)
    assert [(r[2], r[3], r[4]) for r in _rows()] == [(task.starts_at.astimezone(SHANGHAI).year, Decimal("2.5"), 1)]
    _as_rebuilt()
    more = services_tasks.log_hours(actor=admin, participation=p, hours="1")
    services_tasks.reject_hours(actor=admin, hours=more, reason="重复登记")
    _as_rebuilt()
    li = services_tasks.assign(actor=admin, task=task, volunteers=[crew.li])[0]
    _as_rebuilt()
    services_tasks.decline_participation(actor=admin, participation=li, reason="人已够")
    _as_rebuilt()
    old = serve(town, [crew.li], at(2024, 12, 31, 20), "3", length=8, day=dt.date(2025, 1, 1))
    assert old
    _as_rebuilt()
    assert {(r[0], r[2]) for r in _rows()} >= {(crew.li.pk, 2024), (crew.li.pk, 2025)}


def test_a_rebuild_writes_a_row_per_volunteer_and_year(town, crew, many):
    kept = _rows()
    VolunteerYear.objects.all().delete()
    assert rollups.rebuild() == len(kept)
    assert _rows() == kept


def test_bulk_writers_rebuild_it_with_the_others(town, crew):
    """Inside `common.rollups.deferred()` (the demo loader) the services skip their refreshes; the
    rollup is rebuilt with the others when the block ends."""
    with common_rollups.deferred():
        serve(town, [crew.li], at(2025, 3, 1), "4")
        assert _rows() == []
    assert [(r[0], r[2], r[3], r[4]) for r in _rows()] == [(crew.li.pk, 2025, Decimal("4.0"), 1)]
    assert "volunteer_years" in common_rollups.rebuild_all()
