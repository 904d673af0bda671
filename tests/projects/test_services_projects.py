"""Projects: progress follows the weighted milestones and nothing can set it; money is exact; a
location is a valid point or a plausible outline; teams and liaison."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from hongniudai.projects import selectors, services_projects
from hongniudai.projects.models import BlockerCategory, Project

pytestmark = pytest.mark.django_db


def _progress(user, project):
    p = selectors.project_get(user, project.pk)
    return selectors.progress(p.weight_done, p.weight_total)


def test_progress_follows_the_weighted_milestones(town, park):
    admin, project = town.users["admin"], park["project"]
    assert _progress(admin, project) == 0  # one milestone (weight 2), not done
    second = services_projects.milestone_add(
        actor=admin, project=project, name="设备安装", planned_on=dt.date(2026, 9, 30), weight=Decimal("6")
    )
    assert _progress(admin, project) == 0
    m = park["milestone"]
    services_projects.milestone_update(
        actor=admin, milestone=m, name=m.name, planned_on=m.planned_on, weight=m.weight, done_on=dt.date(2026, 6, 28)
    )
    assert _progress(admin, project) == 25  # 2 of 8
    services_projects.milestone_update(
        actor=admin,
        milestone=second,
        name=second.name,
        planned_on=second.planned_on,
        weight=6,
        done_on=dt.date(2026, 9, 1),
    )
    assert _progress(admin, project) == 100


def test_nothing_can_set_progress(town, park):
    assert not any(f.name == "progress" for f in Project._meta.get_fields())
    assert "progress" not in Project.EDITABLE
    project = park["project"]
    services_projects.project_update(actor=town.users["admin"], project=project, name=project.name, progress=99)  # type: ignore[call-arg]
    assert _progress(town.users["admin"], project) == 0


def test_a_milestone_weight_must_be_positive(town, park):
    with pytest.raises(ValidationError) as exc:
        services_projects.milestone_add(
            actor=town.users["admin"], project=park["project"], name="x", planned_on=dt.date(2026, 1, 1), weight=0
        )
    assert "weight" in exc.value.message_dict


@pytest.mark.parametrize("amount", ["1.005", "-1", "abc"])
def test_investment_is_exact_yuan(town, park, amount):
    with pytest.raises(ValidationError) as exc:
        services_projects.project_register(actor=town.users["admin"], area=town.park, name="x", invested=amount)
    assert "invested" in exc.value.message_dict


def test_location_point_or_plausible_polygon(town):
    admin = town.users["admin"]
    p = services_projects.project_register(
        actor=admin, area=town.park, name="点位", location={"type": "Point", "coordinates": [114.9, 30.4]}
    )
    assert p.location["type"] == "Point"
    square = [[114.9, 30.4], [114.902, 30.4], [114.902, 30.402], [114.9, 30.402], [114.9, 30.4]]
    services_projects.project_register(
        actor=admin, area=town.park, name="厂区", location={"type": "Polygon", "coordinates": [square]}
    )
    bowtie = [[114.9, 30.4], [114.91, 30.41], [114.91, 30.4], [114.9, 30.41], [114.9, 30.4]]
    huge = [[100, 20], [120, 20], [120, 40], [100, 40], [100, 20]]
    for ring in (bowtie, huge):
        with pytest.raises(ValidationError) as exc:
            services_projects.project_register(
                actor=admin, area=town.park, name="坏", location={"type": "Polygon", "coordinates": [ring]}
            )
        assert "location" in exc.value.message_dict


def test_projects_hang_at_the_park_or_the_town_and_need_projects_capability(town):
    with pytest.raises(ValidationError):
        services_projects.project_register(actor=town.users["admin"], area=town.xuqiao.area, name="x")
    with pytest.raises(PermissionDenied):
        services_projects.project_register(actor=town.users["xuqiao"], area=town.park, name="x")


def test_a_team_gives_its_town_the_blocker_categories(town):
    BlockerCategory.objects.filter(town=town.town).delete()
    services_projects.team_set_up(actor=town.users["admin"], area=town.park, name="专班二", leader=town.users["admin"])
    names = list(BlockerCategory.objects.filter(town=town.town).values_list("name", flat=True))
    assert names[:4] == ["用工", "场地平整", "电杆迁改及水电", "融资"] and len(names) == 8


def test_behind_schedule_follows_the_working_day_calendar(town, park, settings):
    admin, project = town.users["admin"], park["project"]  # milestone planned 2026-06-30 (a Tuesday)
    with time_machine.travel(dt.datetime(2026, 6, 30, 12, 0, tzinfo=dt.UTC), tick=False):
        assert not selectors.project_get(admin, project.pk).behind
    with time_machine.travel(dt.datetime(2026, 7, 1, 2, 0, tzinfo=dt.UTC), tick=False):
        assert selectors.project_get(admin, project.pk).behind
        assert [p.pk for p in selectors.projects(admin, behind=True)] == [project.pk]
        settings.PROJECTS_LATE_WORKING_DAYS = 3  # grace: Wed 1, Thu 2, Fri 3 July
        assert not selectors.project_get(admin, project.pk).behind
    with time_machine.travel(dt.datetime(2026, 7, 3, 15, 0, tzinfo=dt.UTC), tick=False):  # Friday 23:00
        assert not selectors.project_get(admin, project.pk).behind
    with time_machine.travel(dt.datetime(2026, 7, 3, 17, 0, tzinfo=dt.UTC), tick=False):  # Saturday 01:00
        assert selectors.project_get(admin, project.pk).behind


def test_my_teams_come_first_for_a_cadre(town, park):
    mine = selectors.my_work(town.users["leader"])
    assert [t.name for t in mine["teams"]] == ["专班一"]
    assert [p.name for p in mine["projects"]] == ["年产5万吨精细化学品项目"]
    assert [c.enterprise.name for c in mine["liaisons"]] == ["宋河新材料有限公司"]
    assert selectors.my_work(town.users["other"]) == {"teams": [], "projects": [], "liaisons": []}
