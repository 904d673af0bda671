"""The demo park's projects (issue 19), written through the projects services as the town's cadres
would record them: the 13 projects of 宋河精细化工产业园, each with its leading cadre and its
service team (包联服务专班: cadres, an instructor, town staff), the cadres' charges (包项目, 包企业),
a year of 进解促 site visits with the members checked in, and the blockers the visits found — 41
solved and signed off with their evidence, a handful still open (one overdue, one escalated to the
town, one solved and awaiting the `baolian` team leader's sign-off). The figures are in
`projects_plan`.

The services stamp their records with the wall clock; as the governance history does, each record
is written through its service and then moved back to its day (`Backdating`), every date counted
back from the day of loading. A town that has projects already is left as it is."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts import services as account_services
from hongniudai.accounts.models import Role, User
from hongniudai.enterprises.interface import Enterprise
from hongniudai.governance.interface import add_working_days, working_days_left
from hongniudai.places.models import AreaKind, AreaNode
from hongniudai.projects import reminders
from hongniudai.projects import services_blockers as blockers
from hongniudai.projects import services_projects as projects
from hongniudai.projects import services_visits as visits
from hongniudai.projects.models import (
    Blocker,
    BlockerCategory,
    BlockerStep,
    CheckIn,
    FollowUp,
    MemberKind,
    Project,
    ProjectStatus,
    ServiceTeam,
    SiteVisit,
    TeamMember,
)

from . import projects_plan as plan

Say = Callable[[str], None]
VISIT_EVERY = 28  # days between a team's regular visits
SOLVE_DAYS = (4, 6, 9, 12, 7, 15, 5, 10, 18, 8, 13)  # calendar days from raising to solving, in turn
PARK_POINT = (30.3318, 114.9672)  # near the park: where the members check in
ADMIN_USERNAME = "admin"  # the demo's town administrator (`data.DEMO_ACCOUNTS`)


def town_has_projects(town: AreaNode) -> bool:
    return Project.objects.filter(area_path__startswith=town.path).exists()


def moment(day: dt.date, hour: float) -> dt.datetime:
    """`day` at `hour` (10.5: 10:30), local time."""
    hours, minutes = int(hour), int(round((hour % 1) * 60))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hours, minutes)))


def weekday_on_or_before(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


@dataclass
class Team:
    """One project and its team as they are written."""

    spec: plan.ProjectSpec
    index: int
    team: ServiceTeam
    project: Project
    leader: User
    cadre: User
    staff: list[User]
    visits: list[SiteVisit] = field(default_factory=list)


@dataclass
class ProjectsResult:
    projects: int = 0
    teams: int = 0
    visits: int = 0
    solved: int = 0
    open: int = 0
    seconds: float = 0.0


@dataclass
class Backdating:
    """The records to move back to their days once written, by model: (object, {field: value})."""

    rows: dict[type[Model], list[tuple[Model, dict[str, Any]]]] = field(default_factory=dict)

    def add(self, obj: Model, **values: Any) -> None:
        self.rows.setdefault(type(obj), []).append((obj, values))

    def flush(self) -> None:
        for model, rows in self.rows.items():
            names: set[str] = set()
            for obj, values in rows:
                for name, value in values.items():
                    setattr(obj, name, value)
                names.update(values)
            model._default_manager.bulk_update([obj for obj, _v in rows], sorted(names), batch_size=500)
        self.rows.clear()


class ProjectLoader:
    def __init__(self, actor: User, town: AreaNode, park: AreaNode, say: Say, today: dt.date) -> None:
        self.actor, self.town, self.park, self.say, self.today = actor, town, park, say, today
        # The town administrator records the projects and teams (a project keeps who recorded it);
        # the loader's unsaved actor only makes the cadres' accounts.
        self.recorder = User.objects.filter(username=ADMIN_USERNAME).first()
        self.now = timezone.now() if today == timezone.localdate() else moment(today, 18)
        self.backdating = Backdating()
        self.result = ProjectsResult()
        self.categories: dict[str, BlockerCategory] = {}
        self.teams: list[Team] = []

    @property
    def writer(self) -> User:
        assert self.recorder is not None
        return self.recorder

    # -- people

    def cadre(self, username: str, name: str) -> User:
        """The account of a cadre or staff member (made without a password when missing: they
        are the demo's people, not sign-in accounts), a 包联干部 on the park."""
        user = User.objects.filter(username=username).first()
        if user is None:
            user = account_services.create_user(actor=self.actor, username=username, password=None, display_name=name)
        account_services.assign_role(actor=self.actor, user=user, role=Role.PROJECT_CADRE, area=self.park)
        return user

    # -- projects and teams

    def status(self, spec: plan.ProjectSpec, done: int) -> str:
        if done == len(plan.MILESTONES):
            return ProjectStatus.PRODUCING
        if spec.behind and spec.started < 260:  # the year's second late project has stopped
            return ProjectStatus.STALLED
        return ProjectStatus.BUILDING if done > 1 else ProjectStatus.SIGNED

    def milestone_days(self, spec: plan.ProjectSpec) -> list[tuple[dt.date, dt.date | None]]:
        """Each milestone's planned day and, when done, its actual day (a few days either side of
        the plan, never after yesterday). Every milestone planned before today is done, except in
        a project behind schedule: there the latest one planned more than 20 days ago is not."""
        signed = self.today - dt.timedelta(days=spec.started)
        length = spec.months * 30
        planned = [signed + dt.timedelta(days=round(length * share)) for *_m, share in plan.MILESTONES]
        overdue = [i for i, day in enumerate(planned) if i and day <= self.today - dt.timedelta(days=20)]
        held = overdue[-1] if spec.behind and overdue else None
        out: list[tuple[dt.date, dt.date | None]] = []
        for i, day in enumerate(planned):
            if i == 0:
                out.append((day, signed))
            elif (held is not None and i >= held) or day >= self.today:
                out.append((day, None))
            else:
                jitter = dt.timedelta(days=(i * 3 + spec.started) % 9 - 4)
                out.append((day, max(signed, min(day + jitter, self.today - dt.timedelta(days=1)))))
        return out

    def project(self, spec: plan.ProjectSpec, team: ServiceTeam, leader: User, owner: Enterprise | None) -> Project:
        days = self.milestone_days(spec)
        done = sum(1 for _p, actual in days if actual is not None)
        signed = self.today - dt.timedelta(days=spec.started)
        project = projects.project_register(
            actor=self.writer,
            area=self.park,
            name=spec.name,
            owner=owner,
            contractors=spec.contractors,
            location={"type": "Point", "coordinates": [PARK_POINT[1], PARK_POINT[0]]},
            planned_investment=spec.planned,
            invested=spec.invested,
            kind=spec.kind,
            status=self.status(spec, done),
            leader=leader,
            team=team,
            signed_on=signed,
        )
        for (stage, name, weight, _share), (planned, actual) in zip(plan.MILESTONES, days, strict=True):
            projects.milestone_add(
                actor=self.writer,
                project=project,
                name=name,
                stage=stage,
                weight=Decimal(weight),
                planned_on=planned,
                done_on=actual,
            )
        self.backdating.add(project, created_at=moment(signed, 9))
        return project

    def team(self, index: int, spec: plan.ProjectSpec, staff: list[User], owners: dict[str, Enterprise]) -> Team:
        leader, cadre = self.cadre(*spec.leader), self.cadre(*spec.cadre)
        team = projects.team_set_up(
            actor=self.writer,
            area=self.park,
            name=_("%(short)s项目服务专班") % {"short": spec.short},
            leader=leader,
            note=_("一个项目、一名领导、一个专班"),
        )
        own_staff = [staff[index % len(staff)], staff[(index + 2) % len(staff)]]
        projects.team_member_add(actor=self.writer, team=team, user=cadre, kind=MemberKind.CADRE)
        for person in own_staff:
            projects.team_member_add(actor=self.writer, team=team, user=person, kind=MemberKind.STAFF)
        instructor = User.objects.filter(username=spec.instructor).first() if spec.instructor else None
        if instructor is not None:
            projects.team_member_add(actor=self.writer, team=team, user=instructor, kind=MemberKind.INSTRUCTOR)
        owner = owners.get(spec.owner)
        project = self.project(spec, team, leader, owner)
        signed = project.signed_on or self.today
        team_since = moment(signed - dt.timedelta(days=7), 9)
        self.backdating.add(team, created_at=team_since)
        for member in TeamMember.objects.filter(team=team):
            self.backdating.add(member, joined_at=team_since)
        projects.liaison_set(actor=self.writer, user=leader, project=project, since=signed)
        if owner is not None:
            projects.liaison_set(actor=self.writer, user=cadre, enterprise=owner, area=self.park, since=signed)
        return Team(spec, index, team, project, leader, cadre, own_staff)

    # -- visits

    def visit_days(self, t: Team) -> list[dt.date]:
        """The team's regular visits over the year, about every four weeks, from the signing."""
        first = min(360, t.spec.started) - (t.index * 2) % 9
        days = []
        ago = first
        while ago >= 5:
            days.append(weekday_on_or_before(self.today - dt.timedelta(days=ago)))
            ago -= VISIT_EVERY
        return days

    def visit(self, t: Team, day: dt.date, n: int, found: list[visits.FoundBlocker] | None = None) -> SiteVisit:
        follow_ups: list[visits.FollowUpFields] = []
        if n % 3 == 0:
            follow_ups.append({"due_on": day + dt.timedelta(days=10), "text": _("督促施工单位按节点推进")})
        visit = visits.visit_record(
            actor=t.leader,
            team=t.team,
            visited_on=day,
            project=t.project,
            people_met=plan.VISIT_PEOPLE[n % len(plan.VISIT_PEOPLE)],
            findings=plan.VISIT_FINDINGS[(n + t.index) % len(plan.VISIT_FINDINGS)],
            follow_ups=follow_ups,
            blockers=found or (),
        )
        at = moment(day, 9.5 + (n % 3) * 0.5)
        self.backdating.add(visit, created_at=at + dt.timedelta(hours=2))
        people = [t.cadre] + ([t.staff[n % 2]] if n % 2 == 0 else [])
        for person in people:
            visits.visit_check_in(actor=person, visit=visit, lat=PARK_POINT[0], lng=PARK_POINT[1])
        for i, checkin in enumerate(CheckIn.objects.filter(visit=visit).order_by("id")):
            self.backdating.add(checkin, at=at + dt.timedelta(minutes=3 * i))
        for follow_up in FollowUp.objects.filter(visit=visit):
            if follow_up.due_on < self.today:
                visits.follow_up_done(actor=t.leader, follow_up=follow_up)
                self.backdating.add(follow_up, done_at=moment(follow_up.due_on - dt.timedelta(days=2), 16))
        t.visits.append(visit)
        self.result.visits += 1
        return visit

    # -- blockers

    def found(self, t: Team, code: str, description: str) -> visits.FoundBlocker:
        return {
            "category": self.categories[code],
            "description": description,
            "owner_department": plan.WORK[code].department,
            "owner": t.cadre,
        }

    def problem(self, code: str, n: int, t: Team) -> str:
        work = plan.WORK[code]
        text = work.problems[n % len(work.problems)].format(n=3 + (n * 7 + t.index) % 20)
        return f"{t.spec.short}:{text}"

    def times(
        self,
        blocker: Blocker,
        raised: dt.datetime,
        moments: list[dt.datetime],
        due_from: dt.datetime | None = None,
        **values: Any,
    ) -> None:
        """Move the blocker and its timeline back: raised at `raised`, its later steps at `moments`,
        due in its category's working days from `due_from` (its raising by default)."""
        steps = list(BlockerStep.objects.filter(blocker=blocker).order_by("id"))
        for step, at in zip(steps, [raised, *moments], strict=True):
            self.backdating.add(step, at=at)
        due = add_working_days(due_from or raised, blocker.category.due_days)
        self.backdating.add(blocker, raised_at=raised, due_at=due, **values)  # fmt: skip

    def solve(self, t: Team, blocker: Blocker, raised: dt.datetime, n: int) -> None:
        """A blocker worked on, solved with its evidence and signed off by the team leader."""
        work = plan.WORK[blocker.category.code]
        blockers.blocker_step(actor=t.cadre, blocker=blocker, text=_("专班会同责任部门现场协调,制定解决方案"))
        blockers.blocker_resolve(actor=t.cadre, blocker=blocker, evidence=work.solutions[n % len(work.solutions)])
        blockers.blocker_sign_off(actor=t.leader, blocker=blocker)
        stepped = raised + dt.timedelta(days=1, hours=4)
        resolved = raised + dt.timedelta(days=SOLVE_DAYS[n % len(SOLVE_DAYS)], hours=5)
        signed = resolved + dt.timedelta(days=1) - dt.timedelta(hours=7)
        days = max(working_days_left(raised, signed), 0)
        self.times(
            blocker,
            raised,
            [stepped, resolved, signed],
            resolved_at=resolved,
            signed_off_at=signed,
            working_days_blocked=days,
        )
        self.result.solved += 1

    def solved_visits(self, t: Team, codes: list[str]) -> dict[int, list[str]]:
        """Which of the team's visits (indexes) found the blockers of `codes` that were then
        solved: spread over the visits at least a month old, so each was signed off before today."""
        old = [i for i, day in enumerate(self.visit_days(t)) if day <= self.today - dt.timedelta(days=30)]
        chosen: dict[int, list[str]] = {}
        if not old:
            return chosen
        step = max(len(old) // max(len(codes), 1), 1)
        for k, code in enumerate(codes):
            chosen.setdefault(old[min(k * step + step // 2, len(old) - 1)], []).append(code)
        return chosen

    def regular_visits(self, t: Team, codes: list[str]) -> None:
        chosen = self.solved_visits(t, codes)
        for n, day in enumerate(self.visit_days(t)):
            found: list[visits.FoundBlocker] = []
            for code in chosen.get(n, []):
                found.append(self.found(t, code, self.problem(code, self.result.solved + len(found), t)))
            visit = self.visit(t, day, n, found)
            for blocker in (
                Blocker.objects.filter(visit=visit).select_related("category", "project__team").order_by("id")
            ):
                self.solve(t, blocker, moment(day, 10.5), self.result.solved)

    def open_blocker(self, spec: plan.OpenBlocker) -> None:
        t = self.teams[spec.team]
        day = weekday_on_or_before(self.today - dt.timedelta(days=spec.days_ago))
        visit = self.visit(t, day, 1, [self.found(t, spec.category, f"{t.spec.short}:{spec.description}")])
        blocker = Blocker.objects.select_related("category", "project__team").get(visit=visit)
        raised = moment(day, 10.5)
        later = min(raised + dt.timedelta(days=1, hours=4), self.now - dt.timedelta(hours=2))
        if spec.state == "open":
            self.times(blocker, raised, [])
        elif spec.state in ("in_progress", "overdue"):
            blockers.blocker_step(actor=t.cadre, blocker=blocker, text=_("专班已对接责任部门,正在协调"))
            self.times(blocker, raised, [later])
        elif spec.state == "resolved":
            blockers.blocker_resolve(
                actor=t.cadre, blocker=blocker, evidence=_("供电所已完成电杆迁移方案,线路接入待专班组长现场核实")
            )
            self.times(blocker, raised, [later], resolved_at=later)
        else:  # escalated to the town: due again in the category's working days from then
            escalated = moment(self.today - dt.timedelta(days=6), 15)
            blockers.blocker_step(actor=t.cadre, blocker=blocker, text=_("多次协调未果,涉及村集体土地补偿"))
            blockers.blocker_escalate(actor=t.leader, blocker=blocker, reason=_("需镇政府统筹征收补偿资金"))
            self.times(blocker, raised, [raised + dt.timedelta(days=5), escalated], due_from=escalated)
        self.result.open += 1

    # -- all of it

    def run(self) -> ProjectsResult:
        start = time.monotonic()
        owners = {e.name: e for e in Enterprise.objects.filter(area__path__startswith=self.town.path)}
        staff = [self.cadre(username, name) for username, name in plan.STAFF]
        self.recorder = self.recorder or staff[0]  # a town without its administrator's account
        for i, spec in enumerate(plan.PROJECTS):
            self.teams.append(self.team(i, spec, staff, owners))
        self.categories = {c.code: c for c in BlockerCategory.objects.filter(town=self.town)}
        codes = plan.SOLVED_CATEGORIES
        for t in self.teams:  # the 41, dealt out in turn: every team solved three or four
            self.regular_visits(t, [codes[k] for k in range(t.index, len(codes), len(self.teams))])
        for blocker in plan.OPEN:
            self.open_blocker(blocker)
        self.backdating.flush()
        reminders.flag_overdue_blockers(now=self.now)  # the day's job has run: the overdue one is flagged
        self.result.projects = self.result.teams = len(self.teams)
        self.result.seconds = time.monotonic() - start
        return self.result


def load_projects(actor: User, town: AreaNode, say: Say, *, today: dt.date) -> ProjectsResult | None:
    """Write the demo park's projects, teams, visits and blockers, dated up to `today`, unless the
    town has projects already (or has no park)."""
    if town_has_projects(town):
        return None
    park = AreaNode.objects.filter(path__startswith=town.path, kind=AreaKind.PARK).order_by("path").first()
    if park is None:
        return None
    result = ProjectLoader(actor, town, park, say, today).run()
    say(
        _("  项目服务:%(p)s 个项目,%(t)s 个包联服务专班,%(v)s 次走访,已销号堵点 %(s)s 个,未办结 %(o)s 个(%(sec).1f 秒)")
        % {
            "p": result.projects,
            "t": result.teams,
            "v": result.visits,
            "s": result.solved,
            "o": result.open,
            "sec": result.seconds,
        }
    )
    return result
