"""The county generator's projects stage (`demo.county_projects`) at a tiny scale: every generated
town gets its projects, teams, visits and blockers, model-valid; on an existing county that lacks
them they are added once, and a second run adds nothing."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from hongniudai.accounts.models import User
from hongniudai.demo.county import TOWN_NAMES
from hongniudai.demo.county_projects import MIN_PROJECTS
from hongniudai.governance.models import Matter
from hongniudai.places.models import AreaKind, AreaNode
from hongniudai.projects import selectors_blockers
from hongniudai.projects.models import (
    Blocker,
    BlockerStatus,
    BlockerStep,
    CheckIn,
    Liaison,
    Milestone,
    Project,
    ServiceTeam,
    SiteVisit,
    TeamMember,
)
from tests import factories as f

SCALE = "0.01"
MODELS = (ServiceTeam, TeamMember, Project, Milestone, Liaison, SiteVisit, CheckIn, Blocker, BlockerStep)


def towns() -> list[AreaNode]:
    return list(AreaNode.objects.filter(kind=AreaKind.TOWN, name__in=TOWN_NAMES).order_by("sort_order"))


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS} | {"matters": Matter.objects.count()}


def strip_projects() -> None:
    """The county as generated before the projects existed."""
    Blocker.objects.all().delete()  # their steps go with them
    CheckIn.objects.all().delete()
    SiteVisit.objects.all().delete()
    Liaison.objects.all().delete()
    Project.objects.all().delete()  # milestones too
    TeamMember.objects.all().delete()
    ServiceTeam.objects.all().delete()


@pytest.fixture(scope="module")
def runs(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """Generate a tiny county, then take its projects away and run the generator twice on it."""
    with django_db_blocker.unblock(), transaction.atomic():
        county = f.area(None, "鄂州县", AreaKind.COUNTY, code="420704")
        f.area(county, "宋河镇", AreaKind.TOWN)
        out = io.StringIO()
        call_command("generate_county", "--scale", SCALE, "--seed", "7", stdout=out)
        fresh = counts()
        strip_projects()
        stripped = counts()
        call_command("generate_county", "--scale", SCALE, "--seed", "7", stdout=io.StringIO())
        again = counts()
        call_command("generate_county", "--scale", SCALE, "--seed", "7", stdout=io.StringIO())
        twice = counts()
        yield {"output": out.getvalue(), "fresh": fresh, "stripped": stripped, "again": again, "twice": twice}
        transaction.set_rollback(True)


def test_every_generated_town_has_projects_served_by_teams(runs: dict[str, Any], db: Any) -> None:
    assert "项目服务" in runs["output"]
    generated = towns()
    assert generated
    for town in generated:
        projects = Project.objects.filter(area_path__startswith=town.path)
        assert projects.count() >= MIN_PROJECTS
        for project in projects.select_related("team", "owner"):
            assert project.team is not None and project.leader_id == project.team.leader_id
            assert project.owner is None or project.owner.area.path.startswith(town.path)
            assert project.milestones.count() >= 4
            assert 0 <= project.invested <= project.planned_investment
            assert SiteVisit.objects.filter(project=project).exists()
        assert TeamMember.objects.filter(team__area=town).count() > ServiceTeam.objects.filter(area=town).count()


def test_blockers_mostly_solved_with_evidence_and_sign_off(runs: dict[str, Any], db: Any) -> None:
    blockers = Blocker.objects.filter(area_path__startswith=towns()[0].path)
    total = blockers.count()
    solved = blockers.filter(status=BlockerStatus.SOLVED)
    assert total > 0 and solved.count() >= total / 2
    for b in solved:
        assert b.evidence and b.signed_off_by_id and b.signed_off_at and b.working_days_blocked is not None
        assert b.raised_at <= b.resolved_at <= b.signed_off_at
        assert b.visit is not None and b.visit.project_id == b.project_id
        assert [s.kind for s in b.steps.order_by("at", "id")] == ["raised", "resolved", "signed_off"]


def test_the_county_bench_account_sees_the_measures(runs: dict[str, Any], db: Any) -> None:
    user = User.objects.get(username="bench_county")
    m = selectors_blockers.measures(user)
    assert m["totals"]["raised"] == Blocker.objects.count()
    assert m["totals"]["solved"] == Blocker.objects.filter(status=BlockerStatus.SOLVED).count()
    names = set(ServiceTeam.objects.values_list("name", flat=True))
    assert len(names) == ServiceTeam.objects.count()  # one line per team on the measures
    assert {row["name"] for row in m["by_team"]} <= names
    assert sum(row["raised"] for row in m["by_team"]) == m["totals"]["raised"]


def test_rows_are_model_valid(runs: dict[str, Any], db: Any) -> None:
    for model in MODELS:
        for row in model.objects.order_by("id")[:20]:
            exclude = ["evidence_file"] if model is Blocker else []
            row.full_clean(exclude=exclude, validate_unique=False)


def test_existing_county_gets_them_once_and_nothing_twice(runs: dict[str, Any], db: Any) -> None:
    fresh, stripped, again, twice = runs["fresh"], runs["stripped"], runs["again"], runs["twice"]
    assert fresh["Project"] > 0 and stripped["Project"] == 0 and stripped["Blocker"] == 0
    assert again == fresh  # the same seed, the same rows (the cadres' accounts taken again)
    assert twice == again
    assert again["matters"] == stripped["matters"] == fresh["matters"]  # the stage raises no matters
