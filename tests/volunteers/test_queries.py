"""Every list of the volunteers reads a fixed number of queries whatever its rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hongniudai.volunteers import services, services_tasks

from .conftest import task_now

pytestmark = pytest.mark.django_db


def _grow(town, crew, n: int, start: int) -> None:
    admin = town.users["admin"]
    area = town.xuqiao.area
    for i in range(start, start + n):
        team = services.create_team(actor=admin, area=area, name=f"服务队{i}")
        v = services.register_volunteer(
            actor=admin, area=area, name=f"志愿者{i}", phone="13800138000", team=team, joined_on=crew.li.joined_on
        )
        task = task_now(admin, area, f"任务{i}")
        p = services_tasks.assign(actor=admin, task=task, volunteers=[v, crew.huang])
        for one in p:
            hours = services_tasks.log_hours(actor=admin, participation=one, hours="1")
            if one.volunteer_id == v.pk:
                services_tasks.confirm_hours(actor=admin, hours=hours)


@pytest.mark.parametrize(
    "name",
    [
        "volunteers:volunteer_list",
        "volunteers:team_list",
        "volunteers:task_list",
        "volunteers:hours_queue",
        "volunteers:ranking",
        "volunteers:my_tasks",
        "api:volunteer-list",
        "api:volunteer-team-list",
        "api:volunteer-task-list",
        "api:volunteer-participation-list",
        "api:volunteer-hours-list",
        "api:volunteer-ranking-list",
        "api:my-volunteer-task-list",
    ],
)
def test_list_queries_do_not_grow_with_rows(town, crew, name):
    user = "huang" if "my" in name else "admin"
    client = town.client_for(user)
    url = reverse(name)
    _grow(town, crew, 1, start=0)
    client.get(url)  # warm the caches (sessions, menus)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    _grow(town, crew, 4, start=1)
    assert count() == before


def test_task_detail_queries_do_not_grow_with_participants(town, crew):
    client = town.client_for("admin")
    url = reverse("volunteers:task_detail", args=[crew.soup.pk])
    services_tasks.assign(actor=town.users["admin"], task=crew.soup, volunteers=[crew.li])
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    services_tasks.assign(actor=town.users["admin"], task=crew.soup, volunteers=[crew.huang])
    for p in crew.soup.participations.all():
        services_tasks.log_hours(actor=town.users["admin"], participation=p, hours="1")
    assert count() == before
