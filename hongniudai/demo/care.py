"""The demo town's resident services, written through `care.stations`, `care.soup` and
`volunteers` as the demo's users would record them (names and figures in `care_plan`):

- the town's catalogue and a service station in every village and community, with about a quarter
  year of requests (most closed on time and rated, a few open yellow and red, one turned into a
  matter);
- the soup rules, the recipients they propose in every village (approved by the village), the
  volunteers who carry soup hamlet by hand, and the last three months of rounds on the 9th, 19th
  and 29th checked off (a few welfare observations raised matters, one still open);
- volunteers (residents and not) in teams, their tasks, participation and confirmed hours, and
  the volunteer of the demo account `zhiyuanzhe`;
- the trade union, the Youth League and the Women's Federation at the town and in villages, with
  their activities.

The services stamp some steps with the present moment (approvals, ratings, confirmations, the
matters raised); afterwards those stamps are moved back to the day they belong to with queryset
updates, as `demo.governance` does for its history. A town that has a service station already is
left as it is.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import Role, User
from hongniudai.care.soup import services as soup
from hongniudai.care.soup.calendar import is_round_day
from hongniudai.care.soup.models import Outcome, RecipientStatus, SoupRecipient, SoupRound, SoupVisit
from hongniudai.care.stations import orgs as mass
from hongniudai.care.stations import services as stations
from hongniudai.care.stations.models import (
    RequestChannel,
    RequestOutcome,
    RequestStep,
    ServiceItem,
    ServiceRequest,
    ServiceStation,
    StepKind,
)
from hongniudai.governance import services as governance
from hongniudai.governance.calendar import add_working_days
from hongniudai.governance.models import Category, Matter, MatterEvent
from hongniudai.governance.models import Outcome as MatterOutcome
from hongniudai.notifications import selectors as notification_selectors
from hongniudai.places.models import AreaKind, AreaNode, Resident
from hongniudai.volunteers import services as volunteer_services
from hongniudai.volunteers import services_tasks as tasks
from hongniudai.volunteers.models import Participation, ServiceHours, TaskKind, Volunteer, VolunteerTask

from . import care_plan as plan

Say = Callable[[str], None]
T = TypeVar("T")
VOLUNTEER_USERNAME = "zhiyuanzhe"


def at(day: dt.date, hour: float) -> dt.datetime:
    minutes = round(hour * 60)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60)))


def weighted(rng: random.Random, table: Sequence[tuple[T, int]]) -> T:
    return rng.choices([v for v, _w in table], weights=[w for _v, w in table])[0]


def age_on(resident: Resident, day: dt.date) -> int:
    born = resident.birth_date
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def town_has_stations(town: AreaNode) -> bool:
    return ServiceStation.objects.filter(area_path__startswith=town.path).exists()


@dataclass(eq=False)
class Village:
    node: AreaNode
    staff: User | None  # the village secretary's account, else the town administrator's
    hamlets: list[AreaNode]
    residents: list[Resident]
    station: ServiceStation | None = None
    volunteers: list[Volunteer] = field(default_factory=list)
    rounds: list[SoupRound] = field(default_factory=list)


def read_villages(town: AreaNode) -> list[Village]:
    admin = User.objects.filter(username="admin", is_active=True).first()
    nodes = list(AreaNode.objects.filter(path__startswith=town.path, kind=AreaKind.VILLAGE).order_by("path"))
    hamlets = list(AreaNode.objects.filter(path__startswith=town.path, kind=AreaKind.HAMLET).order_by("path"))
    residents = list(
        Resident.objects.filter(household__hamlet__path__startswith=town.path)
        .select_related("household__hamlet")
        .order_by("household__hamlet__path", "id")
    )
    out = []
    for node in nodes:
        secretary = User.objects.filter(
            is_active=True, assignments__role=Role.VILLAGE_SECRETARY, assignments__area=node
        ).first()
        out.append(
            Village(
                node,
                secretary or admin,
                [h for h in hamlets if h.path.startswith(node.path)],
                [r for r in residents if r.household.hamlet.path.startswith(node.path)],
            )
        )
    return out


class CareLoader:
    def __init__(self, actor: User, town: AreaNode, today: dt.date) -> None:
        self.actor = actor
        self.town = town
        self.today = today
        now = timezone.now()
        evening = at(today, 18)
        self.limit = min(now, evening)  # nothing is dated later than this
        self.rng = random.Random(plan.SEED)
        self.start = plan.window_start(today)
        self.villages = read_villages(town)
        self.by_name = {v.node.name: v for v in self.villages}
        self.items: list[ServiceItem] = []
        self.account_volunteer: Volunteer | None = None
        self.matters: list[tuple[Matter, dt.datetime]] = []  # raised now, moved back to the moment given

    def actor_of(self, v: Village) -> User:
        return v.staff or self.actor

    # ---- stations and requests -------------------------------------------------------------

    def catalogue(self) -> None:
        existing = list(ServiceItem.objects.filter(area=self.town).order_by("sort_order", "id"))
        if existing:
            self.items = existing
            return
        valid_from = self.start - dt.timedelta(days=120)
        for i, (name, days, description) in enumerate(plan.CATALOGUE, start=1):
            item = stations.item_create(
                actor=self.actor,
                town=self.town,
                name=name,
                time_limit=days,
                description=description,
                sort_order=i,
                valid_from=valid_from,
                basis=_("镇便民服务事项清单"),
            )
            self.items.append(item)

    def stations(self) -> None:
        for i, v in enumerate(self.villages):
            v.station = stations.station_create(
                actor=self.actor,
                village=v.node,
                items=self.items,
                name=_("%(village)s便民服务站") % {"village": v.node.name},
                address=_("%(village)s党群服务中心一楼") % {"village": v.node.name},
                opening_hours=plan.OPENING_HOURS,
                phone=f"1357162{i:04d}",
            )
            for duty, phones in plan.STATION_STAFF:
                name = plan.STAFF_NAMES[(i * 2 + len(duty)) % len(plan.STAFF_NAMES)]
                stations.staff_add(
                    actor=self.actor, station=v.station, name=name, phone=phones[i % len(phones)], duty=duty
                )
            if v.staff is not None and v.staff.username != "admin":
                stations.staff_add(actor=self.actor, station=v.station, user=v.staff, duty=_("党支部书记"))
        first = self.start - dt.timedelta(days=30)
        ServiceStation.objects.filter(area_path__startswith=self.town.path).update(created_at=at(first, 9))

    def requests(self) -> int:
        count = 0
        weights = list(plan.ITEM_WEIGHTS)
        monday = self.start - dt.timedelta(days=self.start.weekday())
        for v in self.villages:
            elderly = [r for r in v.residents if age_on(r, self.today) >= 70 or r.is_disabled]
            for week in range(plan.WINDOW_DAYS // 7 + 2):
                for _n in range(self.rng.choice((0, 1, 1, 2, 2, 3))):
                    day = monday + dt.timedelta(days=week * 7 + self.rng.randrange(5))
                    received = at(day, self.rng.uniform(8.5, 16.5))
                    if day < self.start or received > self.limit - dt.timedelta(hours=1):
                        continue
                    item = self.rng.choices(self.items, weights=weights[: len(self.items)])[0]
                    self.request(v, item, received, elderly)
                    count += 1
        return count

    def request(self, v: Village, item: ServiceItem, received: dt.datetime, elderly: list[Resident]) -> None:
        rng = self.rng
        assert v.station is not None
        home = item.name in plan.HOME_ITEMS and bool(elderly) and rng.random() < 0.3
        person: dict[str, Any] = {}
        if home:
            person["resident"] = rng.choice(elderly)
        elif rng.random() < 0.04:
            person["person_name"], person["person_phone"] = rng.choice(plan.WALK_IN_PEOPLE)
        else:
            person["resident"] = rng.choice(v.residents)
        request = stations.request_receive(
            actor=self.actor,
            station=v.station,
            item=item,
            channel=RequestChannel.HOME_VISIT if home else weighted(rng, plan.CHANNEL_WEIGHTS),
            home_service=home,
            description=plan.DESCRIPTIONS.get(item.name, ""),
            handler=v.staff,
            received_at=received,
            **person,
        )
        self.finish(request)

    def finish(self, request: ServiceRequest) -> None:
        """Close a request in time (a few late, refused or referred), rated by most; recent ones
        and a few overdue stay open."""
        rng = self.rng
        span = request.deadline - request.received_at
        late = rng.random() < 0.03
        closed = request.received_at + span * (rng.uniform(1.05, 1.6) if late else rng.uniform(0.1, 0.9))
        if closed > self.limit or rng.random() < 0.012:  # still open (the few old ones are overdue)
            if rng.random() < 0.6:
                stations.request_add_step(actor=self.actor, request=request, kind=StepKind.IN_PROGRESS)
            return
        outcome, note = RequestOutcome.DONE, ""
        roll = rng.random()
        if roll < 0.02:
            outcome, note = RequestOutcome.REFUSED, plan.REFUSED_NOTE
        elif roll < 0.04:
            outcome, note = RequestOutcome.REFERRED, plan.REFERRED_NOTE
        done = stations.request_complete(
            actor=self.actor, request=request, outcome=outcome, note=note, completed_at=closed
        )
        if rng.random() < 0.85:
            stations.request_rate(actor=self.actor, request=done, satisfaction=weighted(rng, plan.SATISFACTION_WEIGHTS))

    def yellow(self) -> None:
        """A request or two on the last working day of their time limit today (yellow)."""
        v = self.by_name.get(plan.ACCOUNT_VILLAGE) or self.villages[0]
        assert v.station is not None
        for item in self.items[:3]:
            for back in range(1, 12):
                received = at(self.today - dt.timedelta(days=back), 10)
                if timezone.localtime(add_working_days(received, item.time_limit)).date() == self.today:
                    request = stations.request_receive(
                        actor=self.actor,
                        station=v.station,
                        item=item,
                        channel=RequestChannel.WALK_IN,
                        resident=v.residents[back],
                        description=plan.DESCRIPTIONS.get(item.name, ""),
                        handler=v.staff,
                        received_at=received,
                    )
                    stations.request_add_step(actor=self.actor, request=request, kind=StepKind.IN_PROGRESS)
                    break

    def red(self) -> None:
        """Two requests of the month before left open past their deadline (red)."""
        for v in self.villages[1:3]:
            assert v.station is not None
            item = self.items[5 % len(self.items)]
            received = at(self.today - dt.timedelta(days=24 + len(v.hamlets)), 9.5)
            request = stations.request_receive(
                actor=self.actor,
                station=v.station,
                item=item,
                channel=RequestChannel.WALK_IN,
                resident=v.residents[-1],
                description=plan.DESCRIPTIONS.get(item.name, ""),
                handler=v.staff,
                received_at=received,
            )
            stations.request_add_step(
                actor=self.actor, request=request, kind=StepKind.NOTE, note=_("材料不全,待补县民政局证明")
            )

    def to_matter(self) -> None:
        name, description, title = plan.TO_MATTER
        v = self.by_name.get(name)
        category = (
            Category.objects.filter(code="neighbour", is_active=True).first()
            or Category.objects.filter(kind="dispute", is_active=True).order_by("id").first()
        )
        if v is None or v.station is None or category is None or v.staff is None:
            return
        received = at(self.today - dt.timedelta(days=12), 9)
        request = stations.request_receive(
            actor=self.actor,
            station=v.station,
            item=self.items[-2],
            channel=RequestChannel.WALK_IN,
            resident=v.residents[len(v.residents) // 2],
            description=description,
            handler=v.staff,
            received_at=received,
        )
        matter = stations.request_to_matter(
            actor=v.staff, request=request, category=category, description=description, title=title
        )
        moved = received + dt.timedelta(hours=1)
        ServiceRequest.objects.filter(pk=request.pk).update(completed_at=moved)
        RequestStep.objects.filter(request=request, kind=StepKind.TO_MATTER).update(at=moved)
        governance.accept(actor=v.staff, matter=matter)
        governance.resolve(
            actor=v.staff,
            matter=matter,
            outcome=MatterOutcome.RECONCILED,
            resolution=_("湾组长上门协调,两户共同清理排水沟,和好如初。"),
        )
        self.matters.append((matter, moved))

    def move_request_stamps(self) -> None:
        """The ratings were stamped now: they were given when the request closed."""
        requests = ServiceRequest.objects.filter(area_path__startswith=self.town.path)
        completed = ServiceRequest.objects.filter(pk=OuterRef("request_id")).values("completed_at")[:1]
        RequestStep.objects.filter(request__in=requests, kind=StepKind.RATED).update(at=Subquery(completed))
        requests.update(created_at=F("received_at"))

    # ---- volunteers ---------------------------------------------------------------------------

    def volunteers(self) -> int:
        joined = self.start - dt.timedelta(days=200)
        town_team = volunteer_services.create_team(actor=self.actor, area=self.town, name=plan.TOWN_TEAM)
        outsiders = list(plan.OUTSIDERS)
        for i, v in enumerate(self.villages):
            team = volunteer_services.create_team(
                actor=self.actor, area=v.node, name=_("%(village)s志愿服务队") % {"village": v.node.name}
            )
            adults = [r for r in v.residents if 25 <= age_on(r, self.today) <= 62]
            for j, resident in enumerate(self.rng.sample(adults, min(len(adults), 3 + i % 3))):
                v.volunteers.append(
                    volunteer_services.register_volunteer(
                        actor=self.actor,
                        area=v.node,
                        resident=resident,
                        skills=plan.RESIDENT_SKILLS[(i + j) % len(plan.RESIDENT_SKILLS)],
                        team=team,
                        joined_on=joined + dt.timedelta(days=7 * j + i),
                    )
                )
            if i % 2 == 0 and outsiders:
                name, phone, skills = outsiders.pop(0)
                v.volunteers.append(
                    volunteer_services.register_volunteer(
                        actor=self.actor,
                        area=v.node,
                        name=name,
                        phone=phone,
                        skills=skills,
                        team=town_team,
                        joined_on=joined + dt.timedelta(days=30 + i),
                    )
                )
            volunteer_services.update_team(actor=self.actor, team=team, name=team.name, leader=v.volunteers[0])
        self.account_volunteer = self.volunteer_account()
        return sum(len(v.volunteers) for v in self.villages)

    def volunteer_account(self) -> Volunteer | None:
        """The volunteer who signs in as `zhiyuanzhe` (the account is created with the demo
        accounts), serving 徐桥村."""
        v = self.by_name.get(plan.ACCOUNT_VILLAGE)
        account = User.objects.filter(username=VOLUNTEER_USERNAME).first()
        if v is None:
            return None
        name, phone, skills = plan.ACCOUNT_VOLUNTEER
        team = v.volunteers[0].team
        volunteer = volunteer_services.register_volunteer(
            actor=self.actor,
            area=v.node,
            name=name,
            phone=phone,
            skills=skills,
            team=team,
            joined_on=self.start - dt.timedelta(days=150),
        )
        v.volunteers.insert(0, volunteer)
        if account is not None:
            volunteer_services.link_account(actor=self.actor, volunteer=volunteer, user=account)
        return volunteer

    def hours(self, task: VolunteerTask, carriers: list[Volunteer], amount: str, pending: bool = False) -> None:
        """The task done: each participation completed, its hours logged (by the volunteer who
        signs in, else by the organiser) and confirmed by the organiser."""
        organiser = task.organiser or self.actor
        day = timezone.localtime(task.starts_at).date()
        for p in Participation.objects.filter(task=task, volunteer__in=carriers).select_related("volunteer"):
            tasks.complete_participation(actor=organiser, participation=p)
            own = p.volunteer.user if p.volunteer.user_id else None
            record = tasks.log_hours(actor=own or organiser, participation=p, hours=amount, day=day)
            if not (pending and own is not None):
                tasks.confirm_hours(actor=organiser, hours=record)

    def activity_tasks(self) -> None:
        """Each village's volunteer activities of the quarter, and one coming up in 徐桥村."""
        for i, v in enumerate(self.villages):
            title, place, needed, amount = plan.TASKS[i % len(plan.TASKS)]
            day = self.start + dt.timedelta(days=20 + 5 * i)
            task = tasks.schedule_task(
                actor=self.actor,
                area=v.node,
                kind=TaskKind.ACTIVITY,
                title=title,
                starts_at=at(day, 8.5),
                ends_at=at(day, 11.5),
                place=v.node.name + place.removeprefix("村"),
                needed=needed,
                organiser=v.staff,
            )
            crew = v.volunteers[: needed - 1]
            tasks.assign(actor=self.actor, task=task, volunteers=crew)
            self.hours(task, crew, amount)
        home = self.by_name.get(plan.ACCOUNT_VILLAGE)
        if home is not None:
            v = home
            soon = self.today + dt.timedelta(days=3)
            task = tasks.schedule_task(
                actor=self.actor,
                area=v.node,
                kind=TaskKind.ACTIVITY,
                title=_("冬季独居老人上门探访"),
                starts_at=at(soon, 14),
                ends_at=at(soon, 17),
                place=v.node.name,
                needed=3,
                organiser=v.staff,
            )
            tasks.assign(actor=self.actor, task=task, volunteers=v.volunteers[:2])

    # ---- soup --------------------------------------------------------------------------------

    def soup_lists(self) -> int:
        soup.save_settings(actor=self.actor, town=self.town, february_rule="feb_28")
        for kind, min_age, active, source in plan.TOWN_RULES:
            soup.save_rule(
                actor=self.actor, area=self.town, kind=kind, min_age=min_age, is_active=active, source=source
            )
        for name, kind, min_age, active, source in plan.VILLAGE_RULES:
            if name in self.by_name:
                soup.save_rule(
                    actor=self.actor,
                    area=self.by_name[name].node,
                    kind=kind,
                    min_age=min_age,
                    is_active=active,
                    source=source,
                )
        for i, v in enumerate(self.villages):
            rows = soup.propose_recipients(actor=self.actor, village=v.node, today=self.today)
            on_list = {r.resident_id for r in rows}
            if i == 0:  # one chosen by hand, one removed
                by_hand = next(
                    (r for r in v.residents if 72 <= age_on(r, self.today) < 80 and r.pk not in on_list), None
                )
                if by_hand is not None:
                    soup.add_recipient(actor=self.actor, resident=by_hand, reason=plan.BY_HAND_REASON)
            if i == 1 and rows:
                soup.remove_recipient(actor=self.actor, recipient=rows[-1], reason=plan.REMOVED_REASON)
            soup.approve_proposed(actor=self.actor_of(v), village=v.node)
        recipients = SoupRecipient.objects.filter(village__path__startswith=self.town.path)
        decided = at(self.start - dt.timedelta(days=20), 10)
        recipients.update(proposed_at=decided - dt.timedelta(days=7), decided_at=decided)
        return recipients.filter(status=RecipientStatus.APPROVED).count()

    def carriers(self) -> None:
        """Each hamlet with recipients gets a village volunteer who carries its soup."""
        with_recipients = set(
            SoupRecipient.objects.filter(
                village__path__startswith=self.town.path, status=RecipientStatus.APPROVED
            ).values_list("hamlet_id", flat=True)
        )
        for v in self.villages:
            hamlets = [h for h in v.hamlets if h.pk in with_recipients]
            for j, hamlet in enumerate(hamlets):
                soup.set_hamlet_volunteer(
                    actor=self.actor, hamlet=hamlet, volunteer=v.volunteers[j % len(v.volunteers)]
                )

    def soup_days(self) -> list[dt.date]:
        days = (self.start + dt.timedelta(days=n) for n in range((self.today - self.start).days + 1))
        return [d for d in days if is_round_day(d, "feb_28")]

    def rounds(self) -> int:
        visits = 0
        days = self.soup_days()
        for v in self.villages:
            if not SoupRecipient.objects.filter(village=v.node, status=RecipientStatus.APPROVED).exists():
                continue
            for day in days:
                round_ = soup.create_round(actor=self.actor_of(v), village=v.node, day=day)
                v.rounds.append(round_)
                visits += self.check_round(v, round_)
        rounds = SoupRound.objects.filter(area_path__startswith=self.town.path)
        for day in days:
            rounds.filter(date=day).update(created_at=at(day, 6))
        return visits

    def check_round(self, v: Village, round_: SoupRound) -> int:
        rows = list(SoupVisit.objects.filter(round=round_).select_related("volunteer").order_by("area_path", "id"))
        carriers = list({r.volunteer_id: r.volunteer for r in rows if r.volunteer is not None}.values())
        task = tasks.schedule_task(
            actor=self.actor,
            area=v.node,
            kind=TaskKind.SOUP_ROUND,
            title=_("%(m)s月%(d)s日爱心汤") % {"m": round_.date.month, "d": round_.date.day},
            starts_at=at(round_.date, 9),
            ends_at=at(round_.date, 12),
            place=v.node.name,
            needed=max(1, len(carriers)),
            organiser=v.staff,
            source=round_,
        )
        tasks.assign(actor=self.actor, task=task, volunteers=carriers)
        checked = 0
        for n, visit in enumerate(rows):
            moment = at(round_.date, 9.25 + n * 0.1)
            if moment > self.limit:
                break  # today's round: the rest are still to be visited
            roll = self.rng.random()
            outcome = Outcome.DELIVERED if roll < 0.93 else Outcome.NOT_HOME if roll < 0.97 else Outcome.DECLINED
            extra: dict[str, Any] = {}
            if outcome == Outcome.DELIVERED and self.rng.random() < 0.015:
                extra["observation"], extra["observation_note"] = self.rng.choice(plan.QUIET_OBSERVATIONS)
            volunteer = visit.volunteer
            who = (volunteer.user if volunteer is not None else None) or self.actor
            soup.check_off(actor=who, visit=visit, outcome=outcome, at=moment, **extra)
            checked += 1
        if at(round_.date, 12) <= self.limit:
            self.hours(task, carriers, "3", pending=round_.date == self.soup_days()[-1])
        return checked

    def observations(self) -> int:
        """The welfare observations that raised matters: resolved by the village, one still open."""
        raised = 0
        for name, back, kind, note, settled in plan.OBSERVATIONS:
            v = self.by_name.get(name)
            if v is None or len(v.rounds) <= back or v.staff is None:
                continue
            round_ = v.rounds[-1 - back]
            visit = SoupVisit.objects.filter(round=round_, outcome=Outcome.DELIVERED).order_by("id").first()
            if visit is None:
                continue
            visit = soup.check_off(
                actor=self.actor,
                visit=visit,
                outcome=Outcome.DELIVERED,
                observation=kind,
                observation_note=note,
                needs_action=True,
                at=visit.checked_at,
            )
            assert visit.matter is not None and visit.checked_at is not None
            governance.accept(actor=v.staff, matter=visit.matter)
            if settled:
                governance.resolve(
                    actor=v.staff,
                    matter=visit.matter,
                    outcome=MatterOutcome.HANDLED,
                    resolution=plan.SETTLED_RESOLUTION,
                )
            self.matters.append((visit.matter, visit.checked_at))
            raised += 1
        return raised

    def move_matters(self) -> None:
        """The matters raised were stamped now: each moves back, its whole trail with it, to the
        moment it was raised (accepted at once, settled within the hour)."""
        for matter, moment in self.matters:
            matter.refresh_from_db()
            delta = moment - matter.reported_at
            fields = ("reported_at", "level_since", "accept_due_at", "settle_due_at", "accepted_at", "resolved_at")
            Matter.objects.filter(pk=matter.pk).update(**{name: F(name) + delta for name in fields})
            MatterEvent.objects.filter(matter=matter).update(at=F("at") + delta)
            notification_selectors.about(Matter, [matter.pk]).update(created_at=F("created_at") + delta)

    def move_task_stamps(self) -> None:
        """Participations asked for the day before, confirmed then, done and logged at the end of
        the task, confirmed the day after (never later than the load)."""
        participations = Participation.objects.filter(area_path__startswith=self.town.path)
        task_of = VolunteerTask.objects.filter(pk=OuterRef("task_id"))
        starts = Subquery(task_of.values("starts_at")[:1])
        participations.update(requested_at=starts, confirmed_at=starts)
        participations.filter(done_at__isnull=False).update(done_at=Subquery(task_of.values("ends_at")[:1]))
        ends = Subquery(VolunteerTask.objects.filter(participations=OuterRef("participation_id")).values("ends_at")[:1])
        hours = ServiceHours.objects.filter(area_path__startswith=self.town.path)
        hours.update(logged_at=ends)
        hours.filter(decided_at__isnull=False).update(decided_at=ends)
        VolunteerTask.objects.filter(area_path__startswith=self.town.path).update(
            created_at=F("starts_at") - dt.timedelta(days=3)
        )

    # ---- mass organisations -----------------------------------------------------------------

    def mass_orgs(self) -> int:
        orgs = {}
        for kind, name, leader in plan.TOWN_ORGS:
            orgs[name] = mass.org_create(actor=self.actor, kind=kind, area=self.town, name=name, leader=leader)
        for village, kind, name, leader in plan.VILLAGE_ORGS:
            if village in self.by_name:
                node = self.by_name[village].node
                orgs[name] = mass.org_create(actor=self.actor, kind=kind, area=node, name=name, leader=leader)
        count = 0
        for org_name, village, back, title, description, counted in plan.ACTIVITIES:
            v = self.by_name.get(village)
            if org_name not in orgs or v is None or back > plan.WINDOW_DAYS:
                continue
            named = self.rng.sample(v.residents, min(len(v.residents), 3 + back % 5))
            mass.activity_record(
                actor=self.actor,
                org=orgs[org_name],
                participants=named,
                held_on=self.today - dt.timedelta(days=back),
                place=_("%(village)s便民服务站") % {"village": village},
                station=v.station,
                title=title,
                description=description,
                participant_count=counted,
            )
            count += 1
        return count

    # ---- all of it ---------------------------------------------------------------------------

    def run(self, say: Say) -> None:
        t0 = time.monotonic()
        self.catalogue()
        self.stations()
        n = self.requests()
        self.yellow()
        self.red()
        self.to_matter()
        self.move_request_stamps()
        say(_("  便民服务站:%(s)s 个,服务申请:%(n)s 件") % {"s": len(self.villages), "n": n})
        volunteers = self.volunteers()
        self.activity_tasks()
        recipients = self.soup_lists()
        self.carriers()
        visits = self.rounds()
        raised = self.observations()
        self.move_matters()
        self.move_task_stamps()
        activities = self.mass_orgs()
        say(
            _(
                "  爱心汤:%(r)s 位送汤对象,%(v)s 次送汤,%(m)s 件关爱发现转为事项;志愿者 %(n)s 名;群团活动 %(a)s 次(%(t).1f 秒)"
            )
            % {
                "r": recipients,
                "v": visits,
                "m": raised,
                "n": volunteers + 1,
                "a": activities,
                "t": time.monotonic() - t0,
            }
        )


def load_care(actor: User, town: AreaNode, say: Say, *, today: dt.date) -> None:
    """The town's resident services, unless it has a service station already."""
    if town_has_stations(town):
        return
    CareLoader(actor, town, today).run(say)
