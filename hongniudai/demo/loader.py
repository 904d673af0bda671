"""Writing the demo town through the services, and the demo accounts.

Everything goes through `places.services`, `party.services` and `accounts.services`, so paths,
validation and audit records are exactly those of the running platform. The actor is an unsaved
superuser named `load_demo`: it holds every capability, is never stored as a user, and the audit
trail shows its name on every record the loader writes.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongniudai.accounts import services as account_services
from hongniudai.accounts.models import Role, RoleAssignment, User
from hongniudai.common import rollups
from hongniudai.party import services as party_services
from hongniudai.party.models import BranchType, CentreHousehold, Member, OrgKind, PartyOrg
from hongniudai.places import services as place_services
from hongniudai.places.models import AreaKind, AreaNode, Household, Resident

from . import data
from .accounts import PEOPLE_ROLES, ensure_people_accounts
from .care import load_care
from .economy import load_economy
from .generate import HamletPlan, TownPlan, VillagePlan, plan_town
from .governance import history_only, load_governance
from .ledger import close_open_books, load_ledger
from .partywork import INSTRUCTOR_USERNAME, load_partywork
from .projects import load_projects
from .watch import load_watch

Say = Callable[[str], None]


def is_production() -> bool:
    """True under the production settings module, however it was chosen."""
    modules = (os.environ.get("DJANGO_SETTINGS_MODULE", ""), getattr(settings, "SETTINGS_MODULE", "") or "")
    return any(m.endswith(".prod") for m in modules)


def refuse_in_production() -> None:
    if is_production():
        raise CommandError(
            _("当前为生产环境配置(hongniudai.settings.prod),拒绝载入演示数据:演示数据含虚构人员和公开的演示密码。")
        )


def loader_actor() -> User:
    """An unsaved superuser: passes every capability check, never exists as an account."""
    return User(username=data.LOADER_USERNAME, display_name=_("演示数据载入"), is_superuser=True, is_active=True)


def demo_town() -> AreaNode | None:
    return AreaNode.objects.filter(kind=AreaKind.TOWN, name=data.TOWN_NAME).order_by("path").first()


def find_node(names: tuple[str, ...]) -> AreaNode | None:
    """The area node reached from the demo town down through `names` (which start with the town)."""
    node = demo_town()
    if node is None or names[0] != node.name:
        return None
    for name in names[1:]:
        node = AreaNode.objects.filter(parent=node, name=name).first()
        if node is None:
            return None
    return node


def node_label(area: AreaNode | None = None, org: PartyOrg | None = None) -> str:
    """The node's names from the town (or top) down: 宋河镇 › 东片区 › 徐桥村."""
    node: Any = area or org
    if node is None:
        return ""
    model = AreaNode if area is not None else PartyOrg
    ids = [int(part) for part in node.path.strip("/").split("/") if part]
    names = dict(model.objects.filter(pk__in=ids).values_list("pk", "name"))
    chain = [names[i] for i in ids if i in names]
    if area is not None and len(chain) > 1 and chain[0] == data.COUNTY_NAME:
        chain = chain[1:]
    return " › ".join(chain)


# ---- demo accounts -------------------------------------------------------------------------


def ensure_accounts(actor: User, say: Say) -> int:
    """Create each demo account that is missing, with its role; leave existing ones untouched."""
    created = 0
    for spec in data.DEMO_ACCOUNTS:
        if User.objects.filter(username=spec.username).exists():
            continue
        node = find_node(spec.node)
        if node is None:
            say(_("  未找到“%(node)s”,跳过演示账号 %(user)s") % {"node": " › ".join(spec.node), "user": spec.username})
            continue
        with transaction.atomic():
            user = account_services.create_user(
                actor=actor,
                username=spec.username,
                password=data.DEMO_PASSWORD,
                display_name=spec.display_name,
                check_password=False,
            )
            account_services.assign_role(actor=actor, user=user, role=spec.role, area=node)
        created += 1
    return created


def demo_account_specs() -> list[data.AccountSpec]:
    """The demo accounts `manage.py demo_accounts` lists and the load summary counts. The demo
    instructor is created with the party work (an instructor profile and the branches assigned),
    not from an AccountSpec; it is listed with the others."""
    return [*data.DEMO_ACCOUNTS, data.AccountSpec(INSTRUCTOR_USERNAME, "陈立群", Role.INSTRUCTOR, ())]


@dataclass
class AccountRow:
    username: str
    display_name: str
    role: str
    node: str
    exists: bool


def account_rows() -> list[AccountRow]:
    rows = []
    for spec in demo_account_specs():
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            rows.append(AccountRow(spec.username, spec.display_name, str(Role(spec.role).label), "", False))
            continue
        assignments = list(RoleAssignment.objects.filter(user=user).select_related("area", "org").order_by("id"))
        if not assignments:
            rows.append(AccountRow(user.username, user.display_name, "", "", True))
        for a in assignments:
            rows.append(
                AccountRow(user.username, user.display_name, str(a.get_role_display()), node_label(a.area, a.org), True)
            )
    return rows


# ---- the town ------------------------------------------------------------------------------


@dataclass
class LoadResult:
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    accounts_created: int = 0


class TownLoader:
    def __init__(self, actor: User, say: Say) -> None:
        self.actor = actor
        self.say = say
        self.residents: dict[int, Resident] = {}  # id(PersonPlan) → Resident
        self.households: dict[int, Household] = {}  # id(HouseholdPlan) → Household
        self.hamlets: list[tuple[HamletPlan, AreaNode]] = []
        self.grids: dict[tuple[str, str], AreaNode] = {}
        self.villages: dict[str, AreaNode] = {}
        self.orgs: dict[str, PartyOrg] = {}
        self.members: dict[int, Member] = {}

    # -- areas

    def area(self, parent: AreaNode | None, name: str, kind: str, **kwargs: Any) -> AreaNode:
        return place_services.create_area(actor=self.actor, parent=parent, name=name, kind=kind, **kwargs)

    def county(self) -> AreaNode:
        existing = AreaNode.objects.filter(parent=None, kind=AreaKind.COUNTY, name=data.COUNTY_NAME).first()
        return existing or self.area(None, data.COUNTY_NAME, AreaKind.COUNTY, code=data.COUNTY_CODE)

    def village(self, district: AreaNode, plan: VillagePlan, sort_order: int) -> None:
        village = self.area(
            district,
            plan.name,
            AreaKind.VILLAGE,
            code=plan.code,
            geometry=plan.geometry,
            is_community=plan.spec.is_community,
            sort_order=sort_order,
        )
        self.villages[plan.name] = village
        for gi, grid_plan in enumerate(plan.grids, start=1):
            grid = self.area(village, grid_plan.name, AreaKind.GRID, geometry=grid_plan.geometry, sort_order=gi)
            self.grids[(plan.name, grid_plan.name)] = grid
            for hi, hamlet_plan in enumerate(grid_plan.hamlets, start=1):
                hamlet = self.area(grid, hamlet_plan.name, AreaKind.HAMLET, geometry=hamlet_plan.point, sort_order=hi)
                self.hamlets.append((hamlet_plan, hamlet))
                for hh_plan in hamlet_plan.households:
                    household = place_services.create_household(
                        actor=self.actor,
                        hamlet=hamlet,
                        address=hh_plan.address,
                        number=hh_plan.number,
                        is_formerly_poor=hh_plan.is_formerly_poor,
                        is_monitored=hh_plan.is_monitored,
                        note=hh_plan.note,
                    )
                    self.households[id(hh_plan)] = household
                    for p in hh_plan.people:
                        self.residents[id(p)] = place_services.create_resident(
                            actor=self.actor,
                            household=household,
                            name=p.name,
                            id_number=p.id_number,
                            sex=p.sex,
                            phone=p.phone,
                            relation=p.relation,
                            is_veteran=p.is_veteran,
                            is_returnee=p.is_returnee,
                            is_disabled=p.is_disabled,
                            note=p.note,
                        )

    # -- party

    def org(self, parent: PartyOrg | None, name: str, kind: str, area: AreaNode, **kwargs: Any) -> PartyOrg:
        org = party_services.create_org(actor=self.actor, parent=parent, name=name, kind=kind, area=area, **kwargs)
        self.orgs[name] = org
        return org

    def party(self, plan: TownPlan, town: AreaNode, districts: dict[str, AreaNode], park: AreaNode) -> None:
        committee = self.org(None, data.COMMITTEE_NAME, OrgKind.TOWN_COMMITTEE, town)
        self.org(
            committee,
            data.ORGAN_BRANCH_NAME,
            OrgKind.BRANCH,
            town,
            branch_type=BranchType.GOVERNMENT_ORGAN,
            has_committee=False,
            sort_order=1,
        )
        for di, (district_name, district) in enumerate(districts.items(), start=2):
            general = self.org(
                committee, data.general_branch_name(district_name), OrgKind.GENERAL_BRANCH, district, sort_order=di
            )
            for vi, v in enumerate((v for v in plan.villages if v.district == district_name), start=1):
                branch = self.org(
                    general,
                    data.branch_name(v.name),
                    OrgKind.BRANCH,
                    self.villages[v.name],
                    branch_type=BranchType.VILLAGE,
                    sort_order=vi,
                )
                for gi, grid in enumerate(v.grids, start=1):
                    self.org(
                        branch,
                        data.group_name(v.name, grid.name),
                        OrgKind.PARTY_GROUP,
                        self.grids[(v.name, grid.name)],
                        sort_order=gi,
                    )
        park_org = self.org(
            committee,
            data.PARK_ORG_NAME,
            OrgKind.PARK_JOINT_ORG,
            park,
            founded_on=dt.date(2021, 6, 28),
            sort_order=len(districts) + 2,
        )
        for si, spec in enumerate(data.PARK_BRANCHES, start=1):
            self.org(
                park_org,
                spec.name,
                OrgKind.BRANCH,
                park,
                branch_type=spec.branch_type,
                founded_on=dt.date(2021 + si // 3, 7, 1),
                has_committee=spec.members >= 7,
                sort_order=si,
            )
        self.org(
            committee,
            data.INDUSTRY_COMMITTEE_NAME,
            OrgKind.INDUSTRY_COMMITTEE,
            town,
            founded_on=dt.date(2022, 7, 1),
            sort_order=len(districts) + 3,
        )
        self.say(_("  党组织:%(n)s 个") % {"n": len(self.orgs)})

        people = [p for p in plan.people() if p.member is not None]
        for p in people:
            m = p.member
            assert m is not None
            self.members[id(p)] = party_services.create_member(
                actor=self.actor,
                resident=self.residents[id(p)],
                org=self.orgs[m.branch],
                party_group=self.orgs[m.group] if m.group else None,
                joined_on=m.joined_on,
                status=m.status,
                full_on=m.full_on,
                post=m.post,
            )
        self.say(_("  党员:%(n)s 名") % {"n": len(self.members)})

        centres = 0
        for hamlet_plan, hamlet in self.hamlets:
            if hamlet_plan.centre is None:
                continue
            party_services.set_centre_household(
                actor=self.actor,
                hamlet=hamlet,
                member=self.members[id(hamlet_plan.centre)],
                linked_households=[self.households[id(hh)] for hh in hamlet_plan.linked],
                since=dt.date(2021, 7, 1),
            )
            centres += 1
        self.say(_("  党员中心户:%(n)s 户") % {"n": centres})

    # -- all of it

    def run(self, plan: TownPlan) -> None:
        start = time.monotonic()
        county = self.county()
        town = self.area(county, data.TOWN_NAME, AreaKind.TOWN, code=data.TOWN_CODE, geometry=plan.town_geometry)
        districts: dict[str, AreaNode] = {}
        for di, spec in enumerate(data.DISTRICTS, start=1):
            districts[spec.name] = self.area(town, spec.name, AreaKind.DISTRICT, sort_order=di)
        park = self.area(
            town, data.PARK_NAME, AreaKind.PARK, geometry=plan.park_geometry, sort_order=len(data.DISTRICTS) + 1
        )
        total = len(plan.villages)
        sort_in_district: dict[str, int] = {}
        for i, v in enumerate(plan.villages, start=1):
            sort_in_district[v.district] = sort_in_district.get(v.district, 0) + 1
            self.village(districts[v.district], v, sort_in_district[v.district])
            households = v.households()
            self.say(
                _(
                    "  [%(i)2d/%(n)d] %(district)s %(village)s:%(grids)s 个村组,%(hamlets)s 个湾组,%(hh)s 户,%(people)s 人(%(t).1f 秒)"
                )
                % {
                    "i": i,
                    "n": total,
                    "district": v.district,
                    "village": v.name,
                    "grids": len(v.grids),
                    "hamlets": sum(len(g.hamlets) for g in v.grids),
                    "hh": len(households),
                    "people": sum(len(h.people) for h in households),
                    "t": time.monotonic() - start,
                }
            )
        refresh_planner_statistics()
        self.party(plan, town, districts, park)


def refresh_planner_statistics(*, everything: bool = False) -> None:
    """On PostgreSQL, ANALYZE the tables just filled (`everything`: every table): inside the
    loading transaction the planner would otherwise take them for empty and choose plans that scan
    them over and over, and after a bulk load the first requests would plan on stale figures."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            if everything:
                cursor.execute("ANALYZE")
            else:
                cursor.execute(
                    "ANALYZE places_areanode, places_household, places_resident, party_partyorg, party_member"
                )


def reference_moment(today: dt.date) -> dt.datetime:
    """The moment the demo is laid out to: now when `today` is the local date, else the evening of
    `today` (the demo as it stood at the end of that working day)."""
    if today == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(dt.datetime.combine(today, dt.time(18, 0)))


def check_reference_date(today: dt.date) -> None:
    """The demo can be laid out to a day between the town's own reference date (its people, ages
    and memberships are fixed against it) and the local date (the services refuse later dates)."""
    local = timezone.localdate()
    if today > local:
        raise CommandError(
            _("演示数据的基准日期 %(day)s 晚于今天(%(today)s):不能载入未来的记录。") % {"day": today, "today": local}
        )
    if today < data.REFERENCE_DATE:
        raise CommandError(
            _("演示数据的基准日期不能早于 %(first)s(演示镇人员信息的基准日)。") % {"first": data.REFERENCE_DATE}
        )


def load(say: Say, *, today: dt.date | None = None) -> LoadResult | None:
    """Load the demo town unless it is there already (then only missing demo accounts are added).

    `today` is the reference date (default: the local date): the year of matters, the meetings,
    visits and development steps are laid out in the year before it, and nothing is dated after it.
    Returns None when the town was already loaded."""
    refuse_in_production()
    today = today or timezone.localdate()
    check_reference_date(today)
    now = reference_moment(today)
    actor = loader_actor()
    start = time.monotonic()
    existing = demo_town()
    if existing is not None:
        created = ensure_accounts(actor, say)
        if created:
            say(_("补建了 %(n)s 个缺失的演示账号。") % {"n": created})
        with history_only(), transaction.atomic(), rollups.deferred():
            load_governance(actor, existing, say, now=now)  # matters only when the town has none
            load_partywork(actor, existing, say, today=today)  # party work only when the town has no enterprises
            load_ledger(actor, existing, say, today=today, close=False)  # books only for villages that have none
            load_economy(actor, existing, say, today=today)  # only when the town has none, in open months
            load_projects(actor, existing, say, today=today)  # only when the town has no projects
            load_care(actor, existing, say, today=today)  # only when the town has no service station
            load_watch(actor, existing, say, today=today)  # only when the town has no cameras
            close_open_books(actor, existing, today)
        ensure_people_accounts(actor, existing, say)  # only those missing
        return None
    plan = plan_town()
    # The rollups and counters are rebuilt once at the end instead of after every write (and the
    # governance history is moved back in time around the services anyway).
    with history_only(), transaction.atomic(), rollups.deferred():
        TownLoader(actor, say).run(plan)
        created = ensure_accounts(actor, say)
        town = demo_town()
        assert town is not None
        refresh_planner_statistics()
        load_governance(actor, town, say, now=now)
        load_partywork(actor, town, say, today=today)
        load_ledger(actor, town, say, today=today, close=False)
        load_economy(actor, town, say, today=today)  # posted before the months are closed
        load_projects(actor, town, say, today=today)
        load_care(actor, town, say, today=today)
        load_watch(actor, town, say, today=today)
        close_open_books(actor, town, today)
        # After the history: the matters of the past year notify nobody new.
        ensure_people_accounts(actor, town, say)
    # Counted from the database once everything is written (party work adds members, accounts).
    return LoadResult(seconds=time.monotonic() - start, counts=town_counts(), accounts_created=created)


def town_counts() -> dict[str, int]:
    """What the demo town holds (for the summary line and the tests)."""
    town = demo_town()
    if town is None:
        return {}
    prefix = town.path
    areas = AreaNode.objects.filter(path__under=prefix)
    orgs = PartyOrg.objects.filter(area__path__under=prefix)
    residents = Resident.objects.filter(household__hamlet__path__under=prefix)
    headline = [a.username for a in demo_account_specs()]
    return {
        "districts": areas.filter(kind=AreaKind.DISTRICT).count(),
        "villages": areas.filter(kind=AreaKind.VILLAGE, is_community=False).count(),
        "communities": areas.filter(kind=AreaKind.VILLAGE, is_community=True).count(),
        "grids": areas.filter(kind=AreaKind.GRID).count(),
        "hamlets": areas.filter(kind=AreaKind.HAMLET).count(),
        "households": Household.objects.filter(hamlet__path__under=prefix).count(),
        "residents": residents.count(),
        "elderly": residents.elderly().count(),
        "orgs": orgs.count(),
        "branches": orgs.filter(kind=OrgKind.BRANCH).count(),
        "party_groups": orgs.filter(kind=OrgKind.PARTY_GROUP).count(),
        "members": Member.objects.filter(org__area__path__under=prefix).count(),
        "centre_households": CentreHousehold.objects.filter(hamlet__path__under=prefix).count(),
        "demo_accounts": User.objects.filter(username__in=headline).count(),
        # Besides the headline accounts (`gridworker`, `zhangshengfu` hold these roles too).
        "people_accounts": User.objects.filter(
            assignments__role__in=PEOPLE_ROLES, assignments__area__path__under=prefix
        )
        .exclude(username__in=headline)
        .distinct()
        .count(),
    }


COUNT_LABELS = {
    "districts": gettext_lazy("片区"),
    "villages": gettext_lazy("村"),
    "communities": gettext_lazy("社区"),
    "grids": gettext_lazy("村组(网格)"),
    "hamlets": gettext_lazy("湾组"),
    "households": gettext_lazy("户"),
    "residents": gettext_lazy("居民"),
    "elderly": gettext_lazy("60 岁以上老人"),
    "orgs": gettext_lazy("党组织"),
    "branches": gettext_lazy("党支部"),
    "party_groups": gettext_lazy("党小组"),
    "members": gettext_lazy("党员"),
    "centre_households": gettext_lazy("党员中心户"),
    "demo_accounts": gettext_lazy("演示账号"),
    "people_accounts": gettext_lazy("网格员和党员中心户账号"),
}
