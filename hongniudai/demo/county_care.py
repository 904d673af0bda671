"""The county generator's resident services (stage "services"): for one town read from the
database, the town's catalogue and soup rules, a service station in every village with a quarter
of requests (steps, outcomes, satisfaction), the soup recipients the rules propose (approved),
volunteers carrying soup hamlet by hamlet, the three months of rounds on the 9th, 19th and 29th
with their visits checked off, each round's volunteer task with participations and confirmed
hours, and the mass organisations with a few activities.

Written in bulk (`bulk_create` in batches), model-valid, no audit records and no matters (the
generated matters stand on their own). Per village the numbers are those of a village of the demo
town; the county's size comes from its number of villages (`scope.scale`)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from hongniudai.care.soup.calendar import is_round_day
from hongniudai.care.soup.models import (
    FebruaryRule,
    Outcome,
    RecipientStatus,
    RuleKind,
    SoupHamletVolunteer,
    SoupRecipient,
    SoupRound,
    SoupRule,
    SoupVisit,
)
from hongniudai.care.stations.models import (
    MassActivity,
    MassOrg,
    MassOrgKind,
    RequestChannel,
    RequestOutcome,
    RequestStatus,
    RequestStep,
    Satisfaction,
    ServiceItem,
    ServiceItemLimit,
    ServiceRequest,
    ServiceStation,
    StationStaff,
    StepKind,
)
from hongniudai.governance.calendar import WorkCalendar
from hongniudai.places.models import AreaKind, AreaNode, Resident
from hongniudai.volunteers.models import (
    HoursStatus,
    Participation,
    ParticipationStatus,
    ServiceHours,
    TaskKind,
    Volunteer,
    VolunteerTask,
    VolunteerTeam,
)

from . import care_plan as plan

BATCH = 2000


class TownScope(Protocol):
    """What `county_domains.TownScope` gives a stage (a protocol here: `county_domains` imports
    this module to register the stage, so this module does not import it back)."""

    @property
    def town(self) -> AreaNode: ...

    @property
    def now(self) -> dt.datetime: ...

    @property
    def today(self) -> dt.date: ...

    def rng(self, key: str) -> random.Random: ...


AGE = 80  # the generated towns' age threshold (with disabled residents)
VOLUNTEERS_PER_VILLAGE = 5
REQUESTS_PER_WEEK = (0, 1, 1, 2, 2, 3)


def bulk(model: type[models.Model], rows: list[Any]) -> list[Any]:
    return model._default_manager.bulk_create(rows, batch_size=BATCH)


def present(town: AreaNode) -> bool:
    return ServiceStation.objects.filter(area_path__startswith=town.path).exists()


@dataclass
class Person:
    pk: int
    hamlet: int
    born: dt.date
    disabled: bool
    name: str


@dataclass
class Village:
    node: AreaNode
    hamlets: list[AreaNode] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    station: ServiceStation | None = None
    volunteers: list[Volunteer] = field(default_factory=list)


def read_town(town: AreaNode) -> list[Village]:
    """The town's villages with their hamlets and residents (one query each)."""
    under = AreaNode.objects.filter(path__startswith=town.path)
    villages = {v.path: Village(v) for v in under.filter(kind=AreaKind.VILLAGE).order_by("path")}
    depth = next(iter(villages.values())).node.depth if villages else 0
    by_hamlet: dict[int, Village] = {}

    def village_of(path: str) -> Village | None:
        parts = path.strip("/").split("/")
        return villages.get("/" + "/".join(parts[:depth]) + "/")

    for hamlet in under.filter(kind=AreaKind.HAMLET).order_by("path"):
        v = village_of(hamlet.path)
        if v is not None:
            v.hamlets.append(hamlet)
            by_hamlet[hamlet.pk] = v
    rows = Resident.objects.filter(household__hamlet__path__startswith=town.path).values_list(
        "pk", "household__hamlet_id", "birth_date", "is_disabled", "name"
    )
    for pk, hamlet_id, born, disabled, name in rows.order_by("household__hamlet__path", "pk"):
        v = by_hamlet.get(hamlet_id)
        if v is not None and born is not None:
            v.people.append(Person(pk, hamlet_id, born, bool(disabled), name))
    return [v for v in villages.values() if v.hamlets]


def at(day: dt.date, hour: float) -> dt.datetime:
    minutes = round(hour * 60)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60)))


class Filler:
    """One town's resident services, table by table."""

    def __init__(self, scope: TownScope) -> None:
        self.scope = scope
        self.town = scope.town
        self.today = scope.today
        self.start = plan.window_start(self.today)
        self.limit = min(scope.now, timezone.now())
        self.rng = scope.rng("services")
        self.villages = read_town(self.town)
        self.calendar = WorkCalendar(self.start - dt.timedelta(days=7), self.today + dt.timedelta(days=60))
        self.rows = 0

    def write(self, model: type[models.Model], rows: list[Any]) -> list[Any]:
        self.rows += len(rows)
        return bulk(model, rows)

    def due(self, received: dt.datetime, days: int) -> dt.datetime:
        """`governance.calendar.add_working_days` on the calendar read once."""
        day = timezone.localtime(received).date()
        remaining = days
        while remaining > 0:
            day += dt.timedelta(days=1)
            if self.calendar.is_working(day):
                remaining -= 1
        return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))

    # ---- stations and requests ---------------------------------------------------------------

    def catalogue(self) -> list[ServiceItem]:
        items = self.write(
            ServiceItem,
            [
                ServiceItem(
                    area=self.town, area_path=self.town.path, name=name, description=text, time_limit=days, sort_order=i
                )
                for i, (name, days, text) in enumerate(plan.CATALOGUE, start=1)
            ],
        )
        since = self.start - dt.timedelta(days=120)
        self.write(ServiceItemLimit, [ServiceItemLimit(item=i, days=i.time_limit, valid_from=since) for i in items])
        return items

    def stations(self, items: list[ServiceItem]) -> None:
        for i, v in enumerate(self.villages):
            v.station = ServiceStation(
                village=v.node,
                area_path=v.node.path,
                name=f"{v.node.name}便民服务站",
                address=f"{v.node.name}党群服务中心一楼",
                opening_hours=plan.OPENING_HOURS,
                phone=f"1357162{i % 10000:04d}",
            )
        stations = self.write(ServiceStation, [v.station for v in self.villages])
        through = ServiceStation.items.through
        self.write(through, [through(servicestation=s, serviceitem=i) for s in stations for i in items])
        self.write(
            StationStaff,
            [
                StationStaff(station=s, name=plan.STAFF_NAMES[n % len(plan.STAFF_NAMES)], duty="站长")
                for n, s in enumerate(stations)
            ],
        )

    def requests(self, items: list[ServiceItem]) -> None:
        rng = self.rng
        monday = self.start - dt.timedelta(days=self.start.weekday())
        requests: list[ServiceRequest] = []
        for v in self.villages:
            for week in range(plan.WINDOW_DAYS // 7 + 2):
                for _n in range(rng.choice(REQUESTS_PER_WEEK)):
                    day = monday + dt.timedelta(days=week * 7 + rng.randrange(5))
                    received = at(day, rng.uniform(8.5, 16.5))
                    if day < self.start or received > self.limit - dt.timedelta(hours=1) or not v.people:
                        continue
                    item = rng.choices(items, weights=plan.ITEM_WEIGHTS[: len(items)])[0]
                    requests.append(self.request(v, item, received))
        saved = self.write(ServiceRequest, requests)
        steps: list[RequestStep] = []
        for r in saved:
            steps.append(RequestStep(request=r, kind=StepKind.ACCEPTED, at=r.received_at))
            if r.completed_at is not None:
                steps.append(RequestStep(request=r, kind=r.outcome, at=r.completed_at))
            if r.satisfaction:
                label = Satisfaction(r.satisfaction).label
                steps.append(RequestStep(request=r, kind=StepKind.RATED, note=str(label), at=r.completed_at))
        self.write(RequestStep, steps)

    def request(self, v: Village, item: ServiceItem, received: dt.datetime) -> ServiceRequest:
        rng = self.rng
        assert v.station is not None
        person = rng.choice(v.people)
        old = (self.today.year - person.born.year) >= 70 or person.disabled
        home = old and item.name in plan.HOME_ITEMS and rng.random() < 0.3
        deadline = self.due(received, item.time_limit)
        closed = received + (deadline - received) * rng.uniform(0.1, 1.3)
        is_open = closed > self.limit or rng.random() < 0.01
        return ServiceRequest(
            station=v.station,
            village=v.node,
            area_path=next(h.path for h in v.hamlets if h.pk == person.hamlet),
            resident_id=person.pk,
            item=item,
            channel=RequestChannel.HOME_VISIT if home else rng.choice(RequestChannel.values[:2] + ["online"]),
            home_service=home,
            description=plan.DESCRIPTIONS.get(item.name, ""),
            received_at=received,
            limit_days=item.time_limit,
            deadline=deadline,
            status=RequestStatus.ACCEPTED if is_open else RequestStatus.CLOSED,
            outcome="" if is_open else RequestOutcome.DONE,
            completed_at=None if is_open else closed,
            satisfaction="" if is_open or rng.random() > 0.85 else rng.choice(("satisfied",) * 4 + ("basically",)),
        )

    # ---- volunteers and soup -----------------------------------------------------------------

    def volunteers(self) -> None:
        rng = self.rng
        joined = self.start - dt.timedelta(days=200)
        teams = self.write(
            VolunteerTeam,
            [VolunteerTeam(area=v.node, area_path=v.node.path, name=f"{v.node.name}志愿服务队") for v in self.villages],
        )
        rows: list[Volunteer] = []
        for v, team in zip(self.villages, teams, strict=True):
            adults = [p for p in v.people if 25 <= self.today.year - p.born.year <= 62]
            for n, p in enumerate(rng.sample(adults, min(len(adults), VOLUNTEERS_PER_VILLAGE))):
                v.volunteers.append(
                    Volunteer(
                        area=v.node,
                        area_path=v.node.path,
                        resident_id=p.pk,
                        name=p.name,
                        skills=plan.RESIDENT_SKILLS[n % len(plan.RESIDENT_SKILLS)],
                        team=team,
                        joined_on=joined + dt.timedelta(days=n * 9),
                    )
                )
            rows += v.volunteers
        self.write(Volunteer, rows)
        for v, team in zip(self.villages, teams, strict=True):
            if v.volunteers:
                team.leader = v.volunteers[0]
        VolunteerTeam.objects.bulk_update([t for t in teams if t.leader_id], ["leader"], batch_size=BATCH)

    def rules(self) -> list[SoupRule]:
        made = [
            SoupRule(
                area=self.town, area_path=self.town.path, kind=RuleKind.AGE, min_age=AGE, source=plan.TOWN_RULES[0][3]
            ),
            SoupRule(area=self.town, area_path=self.town.path, kind=RuleKind.DISABLED, source=plan.TOWN_RULES[0][3]),
        ]
        return self.write(SoupRule, made)

    def recipients(self) -> list[SoupRecipient]:
        age_rule = str(self.rules()[0])
        cutoff = (
            self.today.replace(year=self.today.year - AGE)
            if (self.today.month, self.today.day) != (2, 29)
            else self.today.replace(year=self.today.year - AGE, day=28)
        )
        decided = at(self.start - dt.timedelta(days=20), 10)
        rows: list[SoupRecipient] = []
        for v in self.villages:
            hamlets = {h.pk: h for h in v.hamlets}
            for p in v.people:
                reasons = [age_rule] if p.born <= cutoff else []
                if p.disabled:
                    reasons.append(str(RuleKind.DISABLED.label))
                if reasons:
                    rows.append(
                        SoupRecipient(
                            village=v.node,
                            hamlet_id=p.hamlet,
                            area_path=hamlets[p.hamlet].path,
                            resident_id=p.pk,
                            reasons="、".join(reasons),
                            status=RecipientStatus.APPROVED,
                            decided_at=decided,
                        )
                    )
        saved = self.write(SoupRecipient, rows)
        SoupRecipient.objects.filter(pk__in=[r.pk for r in saved]).update(proposed_at=decided - dt.timedelta(days=7))
        return saved

    def carriers(self, recipients: list[SoupRecipient]) -> dict[int, Volunteer]:
        """A village volunteer for each hamlet with recipients."""
        with_recipients = {r.hamlet_id for r in recipients}
        carriers: dict[int, Volunteer] = {}
        for v in self.villages:
            if not v.volunteers:
                continue
            for n, h in enumerate(h for h in v.hamlets if h.pk in with_recipients):
                carriers[h.pk] = v.volunteers[n % len(v.volunteers)]
        paths = {h.pk: h.path for v in self.villages for h in v.hamlets}
        self.write(
            SoupHamletVolunteer,
            [SoupHamletVolunteer(hamlet_id=h, area_path=paths[h], volunteer=c) for h, c in carriers.items()],
        )
        return carriers

    def soup_days(self) -> list[dt.date]:
        days = (self.start + dt.timedelta(days=n) for n in range((self.today - self.start).days))
        return [d for d in days if is_round_day(d, FebruaryRule.FEB_28)]

    def rounds(self, recipients: list[SoupRecipient], carriers: dict[int, Volunteer]) -> None:
        by_village: dict[int, list[SoupRecipient]] = defaultdict(list)
        for r in recipients:
            by_village[r.village_id].append(r)
        days = self.soup_days()
        villages = [v for v in self.villages if by_village[v.node.pk]]
        rounds = self.write(
            SoupRound,
            [SoupRound(village=v.node, area_path=v.node.path, date=d) for v in villages for d in days],
        )
        made = SoupRound.objects.filter(pk__in=[r.pk for r in rounds])
        for d in days:
            made.filter(date=d).update(created_at=at(d, 6))
        visits: list[SoupVisit] = []
        for round_ in rounds:
            for n, r in enumerate(by_village[round_.village_id]):
                roll = self.rng.random()
                outcome = Outcome.DELIVERED if roll < 0.93 else Outcome.NOT_HOME if roll < 0.97 else Outcome.DECLINED
                carrier = carriers.get(r.hamlet_id)
                visits.append(
                    SoupVisit(
                        round=round_,
                        recipient=r,
                        hamlet_id=r.hamlet_id,
                        area_path=r.area_path,
                        volunteer=carrier,
                        outcome=outcome,
                        checked_at=at(round_.date, 9.25 + n * 0.05),
                    )
                )
        self.write(SoupVisit, visits)
        self.round_tasks(rounds, by_village, carriers)

    def round_tasks(
        self, rounds: list[SoupRound], by_village: dict[int, list[SoupRecipient]], carriers: dict[int, Volunteer]
    ) -> None:
        """Each round's volunteer task: its carriers took part (done) and their hours are confirmed."""
        source_type = ContentType.objects.get_for_model(SoupRound)
        crews = {
            round_.pk: list(
                {
                    carriers[r.hamlet_id].pk: carriers[r.hamlet_id]
                    for r in by_village[round_.village_id]
                    if r.hamlet_id in carriers
                }.values()
            )
            for round_ in rounds
        }
        tasks = self.write(
            VolunteerTask,
            [
                VolunteerTask(
                    area_id=round_.village_id,
                    area_path=round_.area_path,
                    kind=TaskKind.SOUP_ROUND,
                    title=f"{round_.date.month}月{round_.date.day}日爱心汤",
                    starts_at=at(round_.date, 9),
                    ends_at=at(round_.date, 12),
                    needed=max(1, len(crews[round_.pk])),
                    source_type=source_type,
                    source_id=round_.pk,
                )
                for round_ in rounds
            ],
        )
        done = ParticipationStatus.DONE
        parts = [
            Participation(
                task=t,
                volunteer=c,
                area_path=t.area_path,
                status=done,
                requested_at=t.starts_at - dt.timedelta(days=1),
                confirmed_at=t.starts_at - dt.timedelta(days=1),
                done_at=t.ends_at,
            )
            for t in tasks
            for c in crews[t.source_id]
        ]
        self.confirmed_hours(tasks, self.write(Participation, parts))

    def confirmed_hours(self, tasks: list[VolunteerTask], parts: list[Participation]) -> None:
        tasks_by_id = {t.pk: t for t in tasks}
        self.write(
            ServiceHours,
            [
                ServiceHours(
                    participation=p,
                    volunteer_id=p.volunteer_id,
                    area_path=p.area_path,
                    day=timezone.localtime(tasks_by_id[p.task_id].starts_at).date(),
                    hours=Decimal("3"),
                    status=HoursStatus.CONFIRMED,
                    decided_at=tasks_by_id[p.task_id].ends_at + dt.timedelta(days=1),
                )
                for p in parts
            ],
        )

    # ---- mass organisations ------------------------------------------------------------------

    def mass_orgs(self) -> None:
        names = {
            MassOrgKind.TRADE_UNION: f"{self.town.name}总工会",
            MassOrgKind.YOUTH_LEAGUE: f"共青团{self.town.name}委员会",
            MassOrgKind.WOMENS_FEDERATION: f"{self.town.name}妇女联合会",
        }
        orgs = [MassOrg(kind=k, area=self.town, area_path=self.town.path, name=n) for k, n in names.items()]
        orgs += [
            MassOrg(kind=MassOrgKind.WOMENS_FEDERATION, area=v.node, area_path=v.node.path, name=f"{v.node.name}妇联")
            for v in self.villages
        ]
        orgs = self.write(MassOrg, orgs)
        activities: list[MassActivity] = []
        for n, v in enumerate(self.villages):
            for org, (_o, _v, back, title, description, counted) in (
                (orgs[3 + n], plan.ACTIVITIES[(2 * n) % len(plan.ACTIVITIES)]),
                (orgs[n % 3], plan.ACTIVITIES[(2 * n + 1) % len(plan.ACTIVITIES)]),
            ):
                activities.append(
                    MassActivity(
                        org=org,
                        village=v.node,
                        area_path=v.node.path,
                        station=v.station,
                        held_on=self.today - dt.timedelta(days=back),
                        place=f"{v.node.name}便民服务站",
                        title=title,
                        description=description,
                        participant_count=counted,
                    )
                )
        self.write(MassActivity, activities)

    def run(self) -> int:
        if not self.villages:
            return 0
        items = self.catalogue()
        self.stations(items)
        self.requests(items)
        self.volunteers()
        recipients = self.recipients()
        self.rounds(recipients, self.carriers(recipients))
        self.mass_orgs()
        return self.rows


def fill(scope: TownScope) -> int:
    """The town's resident services; returns the rows written."""
    return Filler(scope).run()
