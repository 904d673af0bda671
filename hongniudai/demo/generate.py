"""The generated filler of the demo town: hamlets, households, residents, members, centre households.

`plan_town()` builds the whole town in memory from a fixed seed, touching no database, so the
same plan comes out on every run; `load_demo` then writes it through the services.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from stdnum.cn import ric

from hongniudai.party.models import MemberStatus, Post

from . import data

# ---- names ---------------------------------------------------------------------------------

# Common surnames of eastern Hubei, roughly by frequency (repeats weight them).
SURNAMES = (
    "张张张王王王李李李刘刘陈陈陈杨杨黄黄周周吴吴徐徐胡胡朱何何罗罗郭余余程程万肖彭熊曹邓汪汪田夏方涂柯柯"
    "石施宋冯谢梅赵邹雷叶付喻沈童戴秦袁龚卢蔡丁潘严魏段金陶"
)
MALE_CHARS = (
    "建国华明志强伟军平文勇兵斌俊杰涛林海波成德富贵长生春发金山清光忠荣新胜全友祥福安永卫东龙浩宇磊鹏飞博宏辉刚松柏桥树"
)
FEMALE_CHARS = "秀英兰芳华珍玉梅娟丽霞红琴萍燕敏静慧婷雪桂凤云莲艳玲颖洁璐欣怡佳雨梦晴蓉翠菊香月娥"
YOUNG_MALE = (
    "浩然",
    "子轩",
    "宇航",
    "俊熙",
    "梓涵",
    "思远",
    "博文",
    "一鸣",
    "嘉豪",
    "子豪",
    "明轩",
    "天佑",
    "睿",
    "航",
    "晨",
)
YOUNG_FEMALE = (
    "欣怡",
    "梓萱",
    "雨涵",
    "诗琪",
    "佳怡",
    "可馨",
    "紫涵",
    "思彤",
    "梦瑶",
    "一诺",
    "语桐",
    "若溪",
    "悦",
    "琳",
    "雪",
)
HAMLET_SUFFIXES = ("家湾", "家冲", "家垴", "家畈", "家咀", "家岭", "家大湾", "家塆", "家坳", "家桥", "家港", "家嘴")
COMMUNITY_HAMLETS = (
    "宋河老街",
    "新街",
    "朝阳小区",
    "幸福小区",
    "丰收小区",
    "商贸街",
    "学府小区",
    "滨河小区",
    "兴业路",
    "建设路",
    "光明小区",
    "和平街",
    "向阳小区",
    "康乐小区",
    "团结街",
    "文昌小区",
    "民主街",
    "锦绣小区",
    "花园小区",
    "育才路",
)
PHONE_PREFIXES = (
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "157",
    "158",
    "159",
    "166",
    "173",
    "177",
    "180",
    "183",
    "186",
    "187",
    "188",
    "189",
    "199",
)


# ---- the plan ------------------------------------------------------------------------------


@dataclass(eq=False)
class MemberPlan:
    branch: str  # branch name (unique in the demo)
    group: str = ""  # party-group name, "" for branches without groups
    post: str = Post.NONE
    joined_on: dt.date = dt.date(2000, 7, 1)
    status: str = MemberStatus.FULL
    full_on: dt.date | None = None


@dataclass(eq=False)
class PersonPlan:
    name: str
    sex: str
    birth: dt.date
    relation: str
    phone: str = ""
    is_veteran: bool = False
    is_returnee: bool = False
    is_disabled: bool = False
    note: str = ""
    id_number: str = ""
    member: MemberPlan | None = None
    named: bool = False
    wants_centre: bool = False

    def age(self, on: dt.date = data.REFERENCE_DATE) -> int:
        years = on.year - self.birth.year
        return years - ((on.month, on.day) < (self.birth.month, self.birth.day))


@dataclass(eq=False)
class HouseholdPlan:
    number: str
    address: str
    people: list[PersonPlan]
    is_formerly_poor: bool = False
    is_monitored: bool = False
    note: str = ""


@dataclass(eq=False)
class HamletPlan:
    name: str
    point: dict[str, Any]
    households: list[HouseholdPlan] = field(default_factory=list)
    centre: PersonPlan | None = None
    linked: list[HouseholdPlan] = field(default_factory=list)


@dataclass(eq=False)
class GridPlan:
    name: str
    geometry: dict[str, Any]
    hamlets: list[HamletPlan] = field(default_factory=list)

    def people(self) -> list[tuple[HamletPlan, HouseholdPlan, PersonPlan]]:
        return [(ht, hh, p) for ht in self.hamlets for hh in ht.households for p in hh.people]


@dataclass(eq=False)
class VillagePlan:
    spec: data.VillageSpec
    district: str
    code: str
    geometry: dict[str, Any]
    grids: list[GridPlan] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.spec.name

    def households(self) -> list[HouseholdPlan]:
        return [hh for g in self.grids for ht in g.hamlets for hh in ht.households]

    def people(self) -> list[PersonPlan]:
        return [p for hh in self.households() for p in hh.people]


@dataclass(eq=False)
class TownPlan:
    villages: list[VillagePlan]
    town_geometry: dict[str, Any]
    park_geometry: dict[str, Any]
    other_members: list[PersonPlan] = field(default_factory=list)  # park and organ branches

    def people(self) -> list[PersonPlan]:
        return [p for v in self.villages for p in v.people()]

    def households(self) -> list[HouseholdPlan]:
        return [hh for v in self.villages for hh in v.households()]


# ---- geometry ------------------------------------------------------------------------------


def _rect(x0: float, y0: float, x1: float, y1: float) -> dict[str, Any]:
    ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def cell_bounds(cell: tuple[int, int]) -> tuple[float, float, float, float]:
    col, row = cell
    x0 = data.ORIGIN_LON + col * data.CELL_LON + data.INSET
    y0 = data.ORIGIN_LAT + row * data.CELL_LAT + data.INSET
    return x0, y0, x0 + data.CELL_LON - 2 * data.INSET, y0 + data.CELL_LAT - 2 * data.INSET


def town_geometry() -> dict[str, Any]:
    return _rect(
        data.ORIGIN_LON, data.ORIGIN_LAT, data.ORIGIN_LON + 4 * data.CELL_LON, data.ORIGIN_LAT + 4 * data.CELL_LAT
    )


# ---- the generator -------------------------------------------------------------------------


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.ids: set[str] = set()
        self.phones: set[str] = set()
        self.names_taken = set(data.NAMED_PEOPLE)
        self.today = data.REFERENCE_DATE

    # -- small pieces

    def surname(self) -> str:
        return self.rng.choice(SURNAMES)

    def given(self, sex: str, birth_year: int) -> str:
        r = self.rng
        if birth_year >= 2005 and r.random() < 0.6:
            return r.choice(YOUNG_MALE if sex == "M" else YOUNG_FEMALE)
        chars = MALE_CHARS if sex == "M" else FEMALE_CHARS
        if r.random() < 0.3:
            return r.choice(chars)
        return r.choice(chars) + r.choice(chars)

    def name(self, surname: str, sex: str, birth_year: int) -> str:
        for _ in range(20):
            name = surname + self.given(sex, birth_year)
            if name not in self.names_taken:
                break
        self.names_taken.add(name)
        return name

    def birth(self, year: int) -> dt.date:
        year = min(year, self.today.year - 1)
        return dt.date(year, 1, 1) + dt.timedelta(days=self.rng.randrange(0, 365))

    def phone(self) -> str:
        while True:
            phone = self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(0, 10**8):08d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def id_number(self, birth: dt.date, sex: str) -> str:
        while True:
            seq = self.rng.randrange(0, 500) * 2 + (1 if sex == "M" else 0)
            body = f"{data.COUNTY_CODE}{birth:%Y%m%d}{seq:03d}"
            number = body + ric.calc_check_digit(body + "0")
            if number not in self.ids:
                self.ids.add(number)
                return number

    def person(self, surname: str, sex: str, year: int, relation: str) -> PersonPlan:
        birth = self.birth(year)
        p = PersonPlan(name=self.name(surname, sex, birth.year), sex=sex, birth=birth, relation=relation)
        age = p.age()
        r = self.rng
        if 16 <= age <= 75 and r.random() < 0.75 or age > 75 and r.random() < 0.2:
            p.phone = self.phone()
        if sex == "M" and 24 <= age <= 80 and r.random() < 0.05:
            p.is_veteran = True
        if 25 <= age <= 55 and r.random() < 0.03:
            p.is_returnee = True
        if r.random() < 0.025 + (0.03 if age >= 70 else 0):
            p.is_disabled = True
        return p

    # -- households

    def family(self, hamlet_surname: str | None) -> list[PersonPlan]:
        r = self.rng
        year0 = self.today.year
        surname = hamlet_surname if hamlet_surname and r.random() < 0.6 else self.surname()
        head_sex = "M" if r.random() < 0.85 else "F"
        head_year = r.choice(range(1938, 1996))
        head = self.person(surname, head_sex, head_year, "head")
        people = [head]
        head_age = year0 - head_year
        spouse_p = 0.6 if head_age >= 70 else 0.88
        if r.random() < spouse_p:
            other = "F" if head_sex == "M" else "M"
            people.append(self.person(self.surname(), other, head_year + r.randint(-3, 4), "spouse"))
        child_surname = surname if head_sex == "M" else self.surname()
        if head_age < 50:
            n_children = r.choice((0, 1, 1, 2, 2, 2, 3))
        elif head_age < 70:
            n_children = r.choice((0, 0, 1, 1, 2))
        else:
            n_children = r.choice((0, 0, 0, 1))
        for _ in range(n_children):
            year = head_year + r.randint(22, 34)
            if year >= year0:
                continue
            child = self.person(child_surname, r.choice("MF"), year, "child")
            people.append(child)
            if child.age() >= 25 and r.random() < 0.35:
                in_law_sex = "F" if child.sex == "M" else "M"
                people.append(self.person(self.surname(), in_law_sex, year + r.randint(-2, 3), "child_in_law"))
                for _ in range(r.choice((0, 1, 1, 2))):
                    gyear = year + r.randint(23, 32)
                    if gyear < year0:
                        g_surname = child_surname if child.sex == "M" else self.surname()
                        people.append(self.person(g_surname, r.choice("MF"), gyear, "grandchild"))
        if head_age < 55 and r.random() < 0.45:
            for sex in r.sample("MF", r.choice((1, 2))):
                year = head_year - r.randint(22, 32)
                if year0 - year <= 96:
                    people.append(self.person(surname if sex == "M" else self.surname(), sex, year, "parent"))
        return people

    def household(self, number: str, address: str, hamlet_surname: str | None) -> HouseholdPlan:
        people = self.family(hamlet_surname)
        hh = HouseholdPlan(number=number, address=address, people=people)
        elderly_head = people[0].age() >= 65
        if self.rng.random() < (0.14 if elderly_head else 0.06):
            hh.is_formerly_poor = True
            hh.note = "脱贫户"
            if self.rng.random() < 0.2:
                hh.is_monitored = True
                hh.note = "脱贫户;防返贫动态监测"
        elif self.rng.random() < 0.015:
            hh.is_monitored = True
            hh.note = "防返贫动态监测对象"
        return hh

    def named_household(self, spec: data.HouseholdSpec, number: str, address: str) -> HouseholdPlan:
        people = []
        for ps in spec.people:
            p = PersonPlan(
                name=ps.name,
                sex=ps.sex,
                birth=ps.birth,
                relation=ps.relation,
                phone=ps.phone,
                is_veteran=ps.is_veteran,
                is_returnee=ps.is_returnee,
                note=ps.note,
                named=True,
            )
            if p.phone:
                self.phones.add(p.phone)
            if ps.party is not None:
                p.member = MemberPlan(
                    branch="",
                    post=ps.party.post,
                    joined_on=ps.party.joined_on,
                    full_on=ps.party.joined_on + dt.timedelta(days=365),
                )
                p.wants_centre = ps.party.centre_household
            people.append(p)
        return HouseholdPlan(
            number=number, address=address, people=people, is_formerly_poor=spec.is_formerly_poor, note=spec.note
        )

    # -- places

    def hamlet_names(self, village: data.VillageSpec, grid: str, taken: set[str]) -> list[str]:
        fixed = list(data.FIXED_HAMLETS.get((village.name, grid), ()))
        count = max(len(fixed), self.rng.choices((1, 2, 3, 4), weights=(30, 42, 22, 6))[0])
        names = fixed[:]
        while len(names) < count:
            if village.is_community:
                candidate = self.rng.choice(COMMUNITY_HAMLETS)
            else:
                candidate = self.surname() + self.rng.choice(HAMLET_SUFFIXES)
            if candidate not in taken and candidate not in names:
                names.append(candidate)
        taken.update(names)
        return names

    def village(self, spec: data.VillageSpec, district: str) -> VillagePlan:
        x0, y0, x1, y1 = cell_bounds(spec.cell)
        plan = VillagePlan(
            spec=spec, district=district, code=f"{data.TOWN_CODE}{spec.code_suffix}", geometry=_rect(x0, y0, x1, y1)
        )
        named = [h for h in data.NAMED_HOUSEHOLDS if h.village == spec.name]
        width = (x1 - x0) / spec.grids
        taken: set[str] = set()
        for gi in range(1, spec.grids + 1):
            gname = data.grid_name(gi, community=spec.is_community)
            gx0 = x0 + (gi - 1) * width
            grid = GridPlan(name=gname, geometry=_rect(gx0 + 0.0002, y0 + 0.0002, gx0 + width - 0.0002, y1 - 0.0002))
            hamlet_names = self.hamlet_names(spec, gname, taken)
            seq = 0
            for hi, hname in enumerate(hamlet_names):
                # Points spread up the strip, jittered a little, well inside the grid.
                lon = gx0 + width * (0.3 + 0.4 * self.rng.random())
                lat = y0 + (y1 - y0) * (hi + 0.5) / len(hamlet_names) + (self.rng.random() - 0.5) * 0.002
                hamlet = HamletPlan(name=hname, point={"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]})
                # In a hamlet named after a family (张家冲) most households bear that surname.
                hamlet_surname = hname[0] if hname[0] in SURNAMES and hname[1:2] == "家" else None
                base = self.rng.randint(6, 10) if spec.is_community else self.rng.randint(4, 8)
                if len(hamlet_names) == 1:
                    base = max(base, 7)  # enough households in the grid for a centre household's 5 links
                fixed_here = [h for h in named if h.grid == gname and h.hamlet == hname]
                for n in range(max(base, len(fixed_here))):
                    seq += 1
                    number = f"{spec.code_suffix}-{gi:02d}-{seq:03d}"
                    address = f"{data.TOWN_NAME}{spec.name}{gname}{hname}{seq}号"
                    if n < len(fixed_here):
                        hh = self.named_household(fixed_here[n], number, address)
                    else:
                        hh = self.household(number, address, hamlet_surname)
                    hamlet.households.append(hh)
                grid.hamlets.append(hamlet)
            plan.grids.append(grid)
        return plan

    # -- party

    def _joined(self, p: PersonPlan) -> tuple[dt.date, str, dt.date | None]:
        r = self.rng
        earliest = max(dt.date(p.birth.year + 20, p.birth.month, min(p.birth.day, 28)), dt.date(1975, 1, 1))
        if p.age() < 40 and r.random() < 0.12:
            joined = dt.date(2025, 1, 1) + dt.timedelta(days=r.randrange(0, 150))
            if joined >= earliest:
                return joined, MemberStatus.PROBATIONARY, None
        latest = dt.date(2024, 6, 30)
        span = max((latest - earliest).days, 1)
        joined = earliest + dt.timedelta(days=r.randrange(0, span))
        return joined, MemberStatus.FULL, joined + dt.timedelta(days=365)

    def _make_member(self, p: PersonPlan, branch: str, group: str, post: str = Post.NONE) -> None:
        joined, status, full_on = self._joined(p)
        p.member = MemberPlan(branch=branch, group=group, post=post, joined_on=joined, status=status, full_on=full_on)

    @staticmethod
    def _eligible(p: PersonPlan, low: int = 22, high: int = 80) -> bool:
        return p.member is None and not p.named and low <= p.age() <= high

    def village_party(self, v: VillagePlan) -> None:
        r = self.rng
        branch = data.branch_name(v.name)
        for grid in v.grids:
            group = data.group_name(v.name, grid.name)
            people = grid.people()
            for _, _, p in people:
                if p.member is not None and not p.member.branch:  # a named member
                    p.member.branch, p.member.group = branch, group
            # One member for about every hamlet of the grid, living in it where possible.
            for hamlet in grid.hamlets:
                here = [p for hh in hamlet.households for p in hh.people]
                if any(p.member for p in here):
                    continue
                if len(grid.hamlets) >= 3 and r.random() < 0.5:
                    continue  # a grid of three or four hamlets may share its centre households
                candidates = [p for p in here if self._eligible(p)] or [p for _, _, p in people if self._eligible(p)]
                if candidates:
                    weights = [3 if p.relation == "head" else 1 for p in candidates]
                    self._make_member(r.choices(candidates, weights=weights)[0], branch, group)
        members = [p for p in v.people() if p.member is not None]
        posted = {p for p in members if p.member and p.member.post}
        # Secretary (if no named one), then committee members.
        if not any(p.member and p.member.post == Post.SECRETARY for p in members):
            pool = [p for p in members if p not in posted and 35 <= p.age() <= 62] or [
                p for p in members if p not in posted
            ]
            sec = r.choice(pool)
            assert sec.member is not None
            sec.member.post = Post.SECRETARY
            posted.add(sec)
        pool = [p for p in members if p not in posted and p.age() <= 70]
        for i, p in enumerate(r.sample(pool, min(len(pool), 3))):
            assert p.member is not None
            p.member.post = Post.DEPUTY_SECRETARY if i == 0 and len(v.grids) >= 6 else Post.COMMITTEE_MEMBER
            posted.add(p)
        # A leader for every party group: a member of that grid, added if the grid has none free.
        for grid in v.grids:
            group = data.group_name(v.name, grid.name)
            in_grid = [p for _, _, p in grid.people() if p.member is not None]
            if any(p.member and p.member.post == Post.GROUP_LEADER for p in in_grid):
                continue
            free = [p for p in in_grid if p not in posted]
            if free:
                leader = r.choice(free)
                assert leader.member is not None
                leader.member.post = Post.GROUP_LEADER
            else:
                candidates = [p for _, _, p in grid.people() if self._eligible(p, 28, 70)]
                if not candidates:
                    continue
                leader = r.choice(candidates)
                self._make_member(leader, branch, group, Post.GROUP_LEADER)
            posted.add(leader)
        # Centre households: a member living in the hamlet, else in the grid; 5-15 linked households.
        for grid in v.grids:
            grid_members = [(ht, hh, p) for ht, hh, p in grid.people() if p.member is not None]
            grid_households = [hh for ht in grid.hamlets for hh in ht.households]
            for hamlet in grid.hamlets:
                wanted = [p for hh in hamlet.households for p in hh.people if p.wants_centre]
                here = [p for ht, _, p in grid_members if ht is hamlet]
                anywhere = [p for _, _, p in grid_members]
                choices = wanted or here or anywhere
                if not choices:
                    continue
                centre = choices[0]
                hamlet.centre = centre
                own = next(hh for hh in grid_households if centre in hh.people)
                first = [hh for hh in hamlet.households if hh is not own]
                others = [hh for hh in grid_households if hh is not own and hh not in first]
                r.shuffle(others)
                # The hamlet's own households first; topped up from the rest of the grid to at least 5.
                linked = first[: r.randint(5, 15)]
                if len(linked) < 5:
                    linked += others[: 5 - len(linked)]
                hamlet.linked = linked

    def other_party(self, plan: TownPlan) -> None:
        """Members of the park branches and the town's government-organ branch."""
        r = self.rng
        pool = [p for p in plan.people() if self._eligible(p, 23, 55)]
        r.shuffle(pool)
        for spec in data.PARK_BRANCHES:
            for i in range(spec.members):
                p = pool.pop()
                self._make_member(p, spec.name, "", Post.SECRETARY if i == 0 else Post.NONE)
                plan.other_members.append(p)
        market_town = [
            p for v in plan.villages if v.district == "集镇片区" for p in v.people() if self._eligible(p, 25, 55)
        ]
        for i, p in enumerate(r.sample(market_town, data.ORGAN_BRANCH_MEMBERS)):
            self._make_member(p, data.ORGAN_BRANCH_NAME, "", Post.SECRETARY if i == 0 else Post.NONE)
            plan.other_members.append(p)

    def assign_ids(self, plan: TownPlan) -> None:
        for p in plan.people():
            p.id_number = self.id_number(p.birth, p.sex)


def plan_town(seed: int = data.SEED) -> TownPlan:
    gen = _Generator(seed)
    villages = [gen.village(spec, d.name) for d in data.DISTRICTS for spec in d.villages]
    x0, y0, x1, y1 = cell_bounds(data.PARK_CELL)
    plan = TownPlan(villages=villages, town_geometry=town_geometry(), park_geometry=_rect(x0, y0, x1, y1))
    for v in villages:
        gen.village_party(v)
    gen.other_party(plan)
    gen.assign_ids(plan)
    return plan
