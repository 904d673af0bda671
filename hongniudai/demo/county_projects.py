"""The county generator's projects (issue 19): for each town a handful of projects owned by its
generated enterprises, one service team (包联服务专班) each with its cadres, the cadres' charges, a
year of 进解促 site visits with check-ins, and the blockers the visits found — most solved and
signed off, a few open (some overdue). Written in bulk, model-valid, no matters; the sizes scale.

The generated towns have no park: the projects and teams hang at the town node. The cadres are
accounts without a password (`zb-<town code>-<n>`), 包联干部 on the town."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any, Protocol

from django.contrib.auth.hashers import make_password
from django.db.models import Model

from hongniudai.accounts.models import Role, RoleAssignment, User
from hongniudai.enterprises.interface import Enterprise
from hongniudai.governance.interface import add_working_days, working_days_left
from hongniudai.places.models import AreaKind, AreaNode
from hongniudai.projects.models import (
    Blocker,
    BlockerCategory,
    BlockerLevel,
    BlockerStatus,
    BlockerStep,
    CheckIn,
    Liaison,
    LiaisonKind,
    MemberKind,
    Milestone,
    Project,
    ProjectKind,
    ProjectStatus,
    ServiceTeam,
    SiteVisit,
    StepKind,
    TeamMember,
)
from hongniudai.projects.services_blockers import categories_ensure

from .projects_plan import MILESTONES, VISIT_FINDINGS, VISIT_PEOPLE, WORK

BATCH = 1000
PROJECTS_PER_VILLAGE = 0.8  # a town of 19 villages serves about 15 projects
MIN_PROJECTS = 2
MEMBERS = 3  # per team besides its leader
BLOCKERS_PER_PROJECT = (2, 8)
SOLVED_SHARE = 0.85
PROJECT_WORDS = ("扩建", "技改", "新建生产线", "仓储中心", "标准化厂房", "冷链物流", "智能制造")
CONTRACTORS = ("湖北建工第三建设有限公司", "鄂州市第一建筑工程有限公司", "湖北华宇建设集团有限公司")


class TownScope(Protocol):
    """What the stage reads of `county_domains.TownScope` (which lists this module's stage)."""

    @property
    def town(self) -> AreaNode: ...
    @property
    def now(self) -> dt.datetime: ...
    @property
    def today(self) -> dt.date: ...
    def rng(self, key: str) -> random.Random: ...


def present(town: AreaNode) -> bool:
    return Project.objects.filter(area_path__startswith=town.path).exists()


def project_count(town: AreaNode) -> int:
    """The town's projects: in proportion to its villages (the generated towns' sizes follow the scale)."""
    villages = AreaNode.objects.filter(path__startswith=town.path, kind=AreaKind.VILLAGE).count()
    return max(MIN_PROJECTS, round(villages * PROJECTS_PER_VILLAGE))


def _create(model: type[Model], rows: list[Any]) -> list[Any]:
    """Bulk insert `rows` in batches; they come back with their primary keys."""
    return model._default_manager.bulk_create(rows, batch_size=BATCH) if rows else []


def _at(day: dt.date, hour: int, scope: TownScope) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=scope.now.tzinfo)


class TownProjects:
    """One town's projects as they are generated."""

    def __init__(self, scope: TownScope) -> None:
        self.scope = scope
        self.town = scope.town
        self.rng: random.Random = scope.rng("projects")
        self.rows = 0

    def cadres(self, n: int) -> list[User]:
        """The town's cadres (those made by an earlier, interrupted run are taken again)."""
        code = self.town.code or str(self.town.pk)
        names = [f"zb-{code}-{i:02d}" for i in range(1, n + 1)]
        found = {u.username: u for u in User.objects.filter(username__in=names)}
        password = make_password(None)  # unusable: the generated cadres do not sign in
        new = [
            User(username=name, display_name=f"{self.town.name}包联干部{i}", password=password)
            for i, name in enumerate(names, start=1)
            if name not in found
        ]
        for user in _create(User, new):
            found[user.username] = user
        _create(RoleAssignment, [RoleAssignment(user=u, role=Role.PROJECT_CADRE, area=self.town) for u in new])
        self.rows += 2 * len(new)
        return [found[name] for name in names]

    def projects(self, n: int, cadres: list[User]) -> list[Project]:
        enterprises = list(
            Enterprise.objects.filter(area__path__startswith=self.town.path).order_by("id").values_list("id", "name")
        )
        teams = _create(
            ServiceTeam,
            [
                ServiceTeam(
                    name=f"{self.town.name}第{i + 1}项目服务专班",
                    area=self.town,
                    area_path=self.town.path,
                    leader=cadres[i],
                )
                for i in range(n)
            ],
        )
        members = []
        for i, team in enumerate(teams):
            others = {cadres[(i + k) % len(cadres)].pk for k in range(1, MEMBERS + 1)} - {team.leader_id}
            members.append(TeamMember(team=team, user_id=team.leader_id, kind=MemberKind.CADRE))
            members += [TeamMember(team=team, user_id=u, kind=MemberKind.STAFF) for u in sorted(others)]
        _create(TeamMember, members)
        out = []
        for i, team in enumerate(teams):
            owner = enterprises[i % len(enterprises)] if enterprises else None
            planned = Decimal(self.rng.randrange(500, 20000) * 10000)
            started = self.rng.randrange(60, 720)
            out.append(
                Project(
                    name=f"{owner[1] if owner else self.town.name}{self.rng.choice(PROJECT_WORDS)}项目",
                    area=self.town,
                    area_path=self.town.path,
                    owner_id=owner[0] if owner else None,
                    contractors=self.rng.choice(CONTRACTORS),
                    planned_investment=planned,
                    invested=(planned * Decimal(self.rng.randrange(5, 101)) / 100).quantize(Decimal("0.01")),
                    kind=ProjectKind.INDUSTRIAL if i % 4 else ProjectKind.INFRASTRUCTURE,
                    status=ProjectStatus.BUILDING,
                    leader=cadres[i],
                    team=team,
                    signed_on=self.scope.today - dt.timedelta(days=started),
                )
            )
        projects = _create(Project, out)
        self.rows += len(teams) + len(members) + len(projects)
        return projects

    def milestones(self, projects: list[Project]) -> None:
        """Milestones over 12–24 months from the signing; done when planned before today, but
        for about one project in six, which is behind."""
        rows = []
        for p in projects:
            assert p.signed_on is not None
            length = self.rng.randrange(360, 720)
            behind = self.rng.random() < 1 / 6
            done_count = 0
            for k, (stage, name, weight, share) in enumerate(MILESTONES):
                planned = p.signed_on + dt.timedelta(days=round(length * share))
                done = planned < self.scope.today and not (behind and k >= 2)
                done_count += done
                actual = min(planned + dt.timedelta(days=self.rng.randrange(-4, 5)), self.scope.today) if done else None
                rows.append(
                    Milestone(project=p, stage=stage, name=name, weight=weight, planned_on=planned, done_on=actual)
                )
            p.status = (
                ProjectStatus.PRODUCING
                if done_count == len(MILESTONES)
                else ProjectStatus.SIGNED
                if done_count <= 1
                else ProjectStatus.BUILDING
            )
        _create(Milestone, rows)
        Project.objects.bulk_update(projects, ["status"], batch_size=BATCH)
        liaisons = []
        for p in projects:
            assert p.leader is not None and p.signed_on is not None
            liaisons.append(
                Liaison(user=p.leader, kind=LiaisonKind.PROJECT, project=p, area_path=p.area_path, since=p.signed_on)
            )
        _create(Liaison, liaisons)
        self.rows += len(rows) + len(liaisons)

    def visits(self, projects: list[Project], members: dict[int, list[int]]) -> list[SiteVisit]:
        """About one visit a month per project over the year (since its signing)."""
        year_ago = self.scope.today - dt.timedelta(days=365)
        rows = []
        for p in projects:
            assert p.signed_on is not None and p.team_id is not None
            day = max(p.signed_on, year_ago) + dt.timedelta(days=self.rng.randrange(0, 20))
            while day < self.scope.today:
                rows.append(
                    SiteVisit(
                        team_id=p.team_id,
                        area_path=p.area_path,
                        visited_on=day,
                        project=p,
                        enterprise_id=p.owner_id,
                        people_met=self.rng.choice(VISIT_PEOPLE),
                        findings=self.rng.choice(VISIT_FINDINGS),
                        recorded_by_id=p.leader_id,
                    )
                )
                day += dt.timedelta(days=self.rng.randrange(21, 40))
        visits = _create(SiteVisit, rows)
        checkins = []
        for v in visits:
            people = members[v.team_id][: 1 + self.rng.randrange(0, 3)]
            at = _at(v.visited_on, 9, self.scope)
            checkins += [CheckIn(visit=v, user_id=u, at=at + dt.timedelta(minutes=5 * k)) for k, u in enumerate(people)]
        _create(CheckIn, checkins)
        self.rows += len(visits) + len(checkins)
        return visits

    def blockers(self, projects: list[Project], visits: list[SiteVisit]) -> None:
        categories = list(BlockerCategory.objects.filter(town=self.town).order_by("order"))
        by_project: dict[int, list[SiteVisit]] = {}
        for v in visits:
            assert v.project_id is not None
            by_project.setdefault(v.project_id, []).append(v)
        rows, trails = [], []
        for p in projects:
            own = by_project.get(p.pk, [])
            for _ in range(min(len(own), self.rng.randrange(*BLOCKERS_PER_PROJECT))):
                visit = self.rng.choice(own)
                category = categories[min(int(self.rng.expovariate(0.5)), len(categories) - 1)]
                blocker, steps = self.blocker(p, visit, category)
                rows.append(blocker)
                trails.append(steps)
        blockers = _create(Blocker, rows)
        timeline = [BlockerStep(blocker=b, **s) for b, trail in zip(blockers, trails, strict=True) for s in trail]
        _create(BlockerStep, timeline)
        self.rows += len(blockers) + len(timeline)

    def blocker(self, p: Project, visit: SiteVisit, category: BlockerCategory) -> tuple[Blocker, list[dict[str, Any]]]:
        """A blocker found on `visit`: solved and signed off when there was time, else still open."""
        raised = _at(visit.visited_on, 11, self.scope)
        work = WORK.get(category.code) or WORK["other"]
        due = add_working_days(raised, category.due_days)
        blocker = Blocker(
            project=p,
            area_path=p.area_path,
            category=category,
            description=self.rng.choice(work.problems).format(n=self.rng.randrange(2, 30)),
            raised_by_id=p.leader_id,
            visit=visit,
            owner_department=work.department,
            owner_id=p.leader_id,
            raised_at=raised,
            due_at=due,
            status=BlockerStatus.OPEN,
            level=BlockerLevel.TEAM,
        )
        steps: list[dict[str, Any]] = [
            {"kind": StepKind.RAISED, "at": raised, "actor_id": p.leader_id, "text": "走访中发现"}
        ]
        solved_at = raised + dt.timedelta(days=self.rng.randrange(3, 30), hours=5)
        if solved_at < self.scope.now and self.rng.random() < SOLVED_SHARE:
            signed = solved_at + dt.timedelta(hours=18)
            blocker.status = BlockerStatus.SOLVED
            blocker.evidence = self.rng.choice(work.solutions)
            blocker.resolved_at, blocker.signed_off_at = solved_at, min(signed, self.scope.now)
            blocker.signed_off_by_id = p.leader_id
            blocker.working_days_blocked = max(working_days_left(raised, blocker.signed_off_at), 0)
            steps.append(
                {"kind": StepKind.RESOLVED, "at": solved_at, "actor_id": p.leader_id, "text": blocker.evidence}
            )
            steps.append(
                {"kind": StepKind.SIGNED_OFF, "at": blocker.signed_off_at, "actor_id": p.leader_id, "text": ""}
            )
        elif due < self.scope.now:
            blocker.status = BlockerStatus.IN_PROGRESS
            blocker.overdue_since = (due + dt.timedelta(days=1)).date()
            steps.append(
                {
                    "kind": StepKind.OVERDUE,
                    "at": due + dt.timedelta(hours=8),
                    "actor_id": None,
                    "text": "已超过办结时限",
                }
            )
        return blocker, steps


def fill(scope: TownScope) -> int:
    """The town's projects, teams, visits and blockers; the rows written."""
    town = TownProjects(scope)
    n = project_count(scope.town)
    categories_ensure(scope.town)
    cadres = town.cadres(n + MEMBERS)
    projects = town.projects(n, cadres)
    town.milestones(projects)
    members: dict[int, list[int]] = {}
    for team_id, user_id in (
        TeamMember.objects.filter(team__projects__in=projects).order_by("id").values_list("team_id", "user_id")
    ):
        members.setdefault(team_id, []).append(user_id)
    visits = town.visits(projects, members)
    town.blockers(projects, visits)
    return town.rows
