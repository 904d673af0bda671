"""The demo park's projects (`hongniudai.demo.projects`): 13 projects each with its leading cadre
and service team, a year of site visits, 41 blockers solved (the measures page and the API say
so), a handful open — one overdue, one escalated — and the `baolian` cadre landing on their team."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from hongniudai.accounts.models import Role, RoleAssignment, User
from hongniudai.accounts.services_tokens import issue_token
from hongniudai.demo import projects_plan as plan
from hongniudai.places.models import AreaKind
from hongniudai.projects import selectors
from hongniudai.projects.models import (
    Blocker,
    BlockerLevel,
    BlockerStatus,
    MemberKind,
    Project,
    ServiceTeam,
    SiteVisit,
    StepKind,
    TeamMember,
)
from hongniudai.projects.selectors_blockers import overdue_q


def admin() -> User:
    return User.objects.get(username="admin")


def test_thirteen_projects_in_the_park_each_with_its_leader_and_team(demo: str, db: Any) -> None:
    assert "项目服务:13 个项目" in demo
    projects = list(Project.objects.select_related("area", "team", "owner", "leader"))
    assert len(projects) >= 13 and {p.area.kind for p in projects} == {AreaKind.PARK}
    assert ServiceTeam.objects.count() == 13
    assert len({p.team_id for p in projects}) == 13  # one project, one leader, one team
    for p in projects:
        assert p.leader is not None and p.team is not None and p.owner is not None
        assert p.team.leader_id == p.leader_id and p.contractors and p.planned_investment >= p.invested > 0
        assert p.owner.area_id == p.area_id  # the park's own enterprises
    kinds = Counter(TeamMember.objects.values_list("kind", flat=True))
    assert kinds[MemberKind.CADRE] >= 26 and kinds[MemberKind.STAFF] >= 26 and kinds[MemberKind.INSTRUCTOR] >= 5


def test_progress_varies_and_two_are_behind_schedule(demo: str, db: Any) -> None:
    rows = list(selectors.projects(admin()))
    progress = {selectors.progress(p.weight_done, p.weight_total) for p in rows}  # type: ignore[attr-defined]
    assert len(progress) >= 4 and 100 in progress and min(progress) < 50
    behind = sorted(p.name for p in rows if p.behind)  # type: ignore[attr-defined]
    assert behind == sorted(s.name for s in plan.PROJECTS if s.behind)


def test_a_year_of_site_visits_with_members_checked_in(demo: str, db: Any) -> None:
    today = timezone.localdate()
    visits = SiteVisit.objects.all()
    assert visits.count() >= 13 * 6
    assert min(visits.values_list("visited_on", flat=True)) >= today - dt.timedelta(days=366)
    assert max(visits.values_list("visited_on", flat=True)) <= today
    for team in ServiceTeam.objects.all():
        assert team.visits.count() >= 3
    visit = visits.filter(blockers__isnull=False).first()
    assert visit is not None and visit.checkins.count() >= 2
    checkin = visit.checkins.order_by("at").first()
    assert checkin is not None and timezone.localtime(checkin.at).date() == visit.visited_on


def test_41_solved_across_the_articles_categories(demo: str, db: Any) -> None:
    solved = Blocker.objects.filter(status=BlockerStatus.SOLVED).select_related("category", "project__team")
    assert solved.count() == plan.SOLVED == 41
    by_category = Counter(b.category.code for b in solved)
    assert {"labour", "site", "utilities", "financing"} <= set(by_category)
    for b in solved:
        assert b.evidence and b.signed_off_by_id == b.project.team.leader_id  # type: ignore[union-attr]
        assert b.raised_at < b.resolved_at < b.signed_off_at <= timezone.now()  # type: ignore[operator]
        assert b.working_days_blocked is not None and b.visit is not None
        kinds = [s.kind for s in b.steps.order_by("at", "id")]
        assert kinds == [StepKind.RAISED, StepKind.STEP, StepKind.RESOLVED, StepKind.SIGNED_OFF]


def test_a_handful_open_one_overdue_one_escalated(demo: str, db: Any) -> None:
    open_ = Blocker.objects.exclude(status=BlockerStatus.SOLVED)
    assert open_.count() == len(plan.OPEN)
    overdue = list(Blocker.objects.filter(overdue_q()))
    assert len(overdue) == 1 and overdue[0].overdue_since is not None
    escalated = open_.get(status=BlockerStatus.ESCALATED_TOWN)
    assert escalated.level == BlockerLevel.TOWN and escalated.due_at > timezone.now()
    assert open_.filter(status=BlockerStatus.RESOLVED).count() == 1


def test_the_measures_page_shows_41_solved(demo: str, db: Any, client: Client) -> None:
    client.force_login(admin())
    page = client.get(reverse("projects:measures")).content.decode()
    assert "已解决 41 个" in page
    board = client.get(reverse("projects:blocker_board")).content.decode()
    assert "宏达树脂" in board and "污水提标" in board


def test_the_api_says_41_solved(demo: str, db: Any) -> None:
    key, _token = issue_token(actor=admin())
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    totals = api.get("/api/v1/project-measures/").json()["totals"]
    assert totals["solved"] == 41 and totals["overdue"] == 1
    assert totals["raised"] == 41 + len(plan.OPEN)
    teams = api.get("/api/v1/project-teams/").json()
    assert (teams["count"] if isinstance(teams, dict) and "count" in teams else len(teams)) == 13


def test_the_cadre_account_lands_on_its_team(demo: str, db: Any, client: Client) -> None:
    cadre = User.objects.get(username="baolian")
    assert RoleAssignment.objects.filter(user=cadre, role=Role.PROJECT_CADRE, area__kind=AreaKind.PARK).exists()
    team = ServiceTeam.objects.get(leader=cadre)
    client.force_login(cadre)
    home = client.get("/", follow=True)
    assert home.status_code == 200
    page = home.content.decode()
    assert team.name in page and "鑫润年产2万吨精细化学品扩建项目" in page
    waiting = Blocker.objects.get(project__team=team, status=BlockerStatus.RESOLVED)
    assert (
        reverse("projects:blocker_detail", args=[waiting.pk])
        in client.get(reverse("projects:blocker_board")).content.decode()
    )
