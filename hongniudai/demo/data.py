"""The fixed facts of the demo town 宋河镇: what the article states, plus the invented frame around it.

The article (程一舟, 陈红革) names the town, three villages, the park, six people and the
park's branches (1 service-centre, 1 chamber, 3 enterprise, 1 joint enterprise branch). It does
not name the county: 华容区 (420703) is a plausible stand-in, and every other village, hamlet,
firm and person not in the article is invented. Generated filler lives in `generate.py`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hongniudai.accounts.models import Role
from hongniudai.party.models import BranchType, Post

SEED = 20260109
DEMO_PASSWORD = "Hongniudai-2026"  # demo only; never in production (meets the password rules)
LOADER_USERNAME = "load_demo"  # the name the audit trail shows for everything the loader writes
# Ages and dates are fixed against this day so that every run writes the same data.
REFERENCE_DATE = dt.date(2025, 6, 30)


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` earlier; 29 February becomes the 28th in a common year."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


COUNTY_NAME = "华容区"
COUNTY_CODE = "420703"
TOWN_NAME = "宋河镇"
TOWN_CODE = "420703105"
PARK_NAME = "宋河精细化工产业园"

# Geometry: the town is a 4 x 4 block of cells around lon 114.7, lat 30.3; each village takes one
# cell (col, row), the park one more. Cells are inset a little so that no two polygons touch.
ORIGIN_LON = 114.62
ORIGIN_LAT = 30.25
CELL_LON = 0.04
CELL_LAT = 0.025
INSET = 0.0006


@dataclass(frozen=True)
class VillageSpec:
    name: str
    code_suffix: str  # the last three digits of the 12-digit code
    cell: tuple[int, int]
    grids: int
    is_community: bool = False


@dataclass(frozen=True)
class DistrictSpec:
    name: str
    villages: tuple[VillageSpec, ...]


DISTRICTS: tuple[DistrictSpec, ...] = (
    DistrictSpec(
        "东片区",
        (
            VillageSpec("徐桥村", "201", (3, 1), 7),
            VillageSpec("发水河村", "202", (3, 2), 6),
            VillageSpec("何梅畈村", "203", (3, 3), 8),
            VillageSpec("龙岗村", "204", (2, 3), 5),
        ),
    ),
    DistrictSpec(
        "西片区",
        (
            VillageSpec("檀树村", "205", (0, 0), 6),
            VillageSpec("柏林村", "206", (0, 1), 5),
            VillageSpec("双河村", "207", (0, 2), 6),
            VillageSpec("枫树岭村", "208", (0, 3), 4),
        ),
    ),
    DistrictSpec(
        "南片区",
        (
            VillageSpec("金盆村", "209", (1, 0), 5),
            VillageSpec("杨家垴村", "210", (2, 0), 6),
            VillageSpec("桃园村", "211", (2, 1), 4),
            VillageSpec("胡家畈村", "212", (3, 0), 5),
        ),
    ),
    DistrictSpec(
        "集镇片区",
        (
            VillageSpec("宋河社区", "001", (1, 2), 5, is_community=True),
            VillageSpec("朝阳社区", "002", (1, 3), 4, is_community=True),
            VillageSpec("宋河村", "213", (2, 2), 6),
        ),
    ),
)
PARK_CELL = (1, 1)


def grid_name(index: int, *, community: bool) -> str:
    """Village groups are 1组, 2组…; a community's grids are 第1网格, 第2网格…"""
    return f"第{index}网格" if community else f"{index}组"


# Hamlets the article (or the named people below) need, by (village, grid).
FIXED_HAMLETS: dict[tuple[str, str], tuple[str, ...]] = {
    ("徐桥村", "1组"): ("徐家湾",),
    ("徐桥村", "5组"): ("黄家湾", "桂花湾"),
    ("发水河村", "1组"): ("施家湾",),
    ("何梅畈村", "2组"): ("何家畈",),
    ("何梅畈村", "6组"): ("张家冲", "李家湾"),
    ("龙岗村", "3组"): ("罗家湾",),
    ("檀树村", "2组"): ("陈家湾",),
    ("双河村", "4组"): ("马家咀",),
}


@dataclass(frozen=True)
class PartyRole:
    """A named person's party membership: the village branch of their village, their grid's group."""

    post: str = Post.NONE
    joined_on: dt.date = dt.date(2000, 7, 1)
    centre_household: bool = False  # centre household of their own hamlet


@dataclass(frozen=True)
class PersonSpec:
    name: str
    sex: str
    birth: dt.date
    relation: str
    phone: str = ""
    is_veteran: bool = False
    is_returnee: bool = False
    note: str = ""
    party: PartyRole | None = None


@dataclass(frozen=True)
class HouseholdSpec:
    village: str
    grid: str
    hamlet: str
    people: tuple[PersonSpec, ...]
    is_formerly_poor: bool = False
    note: str = ""


NAMED_HOUSEHOLDS: tuple[HouseholdSpec, ...] = (
    # 徐桥村5组脱贫户黄文华: works in the red-sorghum cooperative.
    HouseholdSpec(
        "徐桥村",
        "5组",
        "黄家湾",
        (
            PersonSpec(
                "黄文华",
                "F",
                dt.date(1972, 4, 12),
                "head",
                phone="13597612408",
                note="在村股份制合作社务工(红高粱种植)",
            ),
            PersonSpec("黄长友", "M", dt.date(1946, 9, 3), "parent"),
            PersonSpec("黄小雨", "F", dt.date(2003, 11, 21), "child"),
        ),
        is_formerly_poor=True,
        note="脱贫户;家庭成员在合作社务工",
    ),
    HouseholdSpec(
        "徐桥村",
        "1组",
        "徐家湾",
        (
            PersonSpec(
                "徐志强",
                "M",
                dt.date(1971, 2, 16),
                "head",
                phone="13886021537",
                party=PartyRole(Post.SECRETARY, dt.date(1996, 7, 1)),
            ),
            PersonSpec("万春兰", "F", dt.date(1973, 8, 9), "spouse"),
        ),
    ),
    # 发水河村党支部书记施华成.
    HouseholdSpec(
        "发水河村",
        "1组",
        "施家湾",
        (
            PersonSpec(
                "施华成",
                "M",
                dt.date(1967, 5, 28),
                "head",
                phone="13986507219",
                party=PartyRole(Post.SECRETARY, dt.date(1994, 6, 30)),
            ),
            PersonSpec("程桂芳", "F", dt.date(1969, 1, 17), "spouse"),
            PersonSpec("施俊", "M", dt.date(1993, 10, 2), "child", phone="15872036641"),
        ),
    ),
    HouseholdSpec(
        "何梅畈村",
        "2组",
        "何家畈",
        (
            PersonSpec(
                "何国平",
                "M",
                dt.date(1969, 12, 5),
                "head",
                phone="13707115283",
                party=PartyRole(Post.SECRETARY, dt.date(1995, 7, 1)),
            ),
            PersonSpec("余秀珍", "F", dt.date(1971, 3, 22), "spouse"),
        ),
    ),
    # 何梅畈村6组张家冲: centre household 张圣福, and the two villagers of the forest-land dispute.
    HouseholdSpec(
        "何梅畈村",
        "6组",
        "张家冲",
        (
            PersonSpec(
                "张圣福",
                "M",
                dt.date(1959, 8, 14),
                "head",
                phone="13329875016",
                party=PartyRole(Post.GROUP_LEADER, dt.date(1985, 10, 1), centre_household=True),
            ),
            PersonSpec("胡月娥", "F", dt.date(1961, 6, 30), "spouse"),
        ),
    ),
    HouseholdSpec(
        "何梅畈村",
        "6组",
        "张家冲",
        (
            PersonSpec("李某忠", "M", dt.date(1964, 3, 9), "head"),
            PersonSpec("周凤英", "F", dt.date(1966, 12, 1), "spouse"),
        ),
    ),
    HouseholdSpec(
        "何梅畈村",
        "6组",
        "张家冲",
        (
            PersonSpec("赵某发", "M", dt.date(1968, 7, 19), "head"),
            PersonSpec("陶小梅", "F", dt.date(1970, 4, 4), "spouse"),
            PersonSpec("赵磊", "M", dt.date(1995, 9, 13), "child"),
        ),
    ),
    # 归雁工程: the three who built industries.
    HouseholdSpec(
        "龙岗村",
        "3组",
        "罗家湾",
        (
            PersonSpec(
                "罗华清",
                "M",
                dt.date(1970, 11, 8),
                "head",
                phone="13971824650",
                note="金地葡萄种植负责人,致富带头人",
                party=PartyRole(Post.NONE, dt.date(2003, 7, 1), centre_household=True),
            ),
            PersonSpec("彭爱华", "F", dt.date(1972, 2, 25), "spouse"),
        ),
    ),
    HouseholdSpec(
        "檀树村",
        "2组",
        "陈家湾",
        (
            PersonSpec(
                "陈磊",
                "M",
                dt.date(1982, 6, 6),
                "head",
                phone="18071536629",
                is_returnee=True,
                note="返乡创办万头生猪养殖场",
                party=PartyRole(Post.NONE, dt.date(2008, 5, 4)),
            ),
            PersonSpec("柯婷", "F", dt.date(1985, 9, 18), "spouse"),
            PersonSpec("陈梓轩", "M", dt.date(2012, 3, 3), "child"),
        ),
    ),
    HouseholdSpec(
        "双河村",
        "4组",
        "马家咀",
        (
            PersonSpec(
                "马星",
                "M",
                dt.date(1979, 1, 26),
                "head",
                phone="15527430918",
                is_veteran=True,
                note="退役军人,创办皓宇高端鱼繁育基地",
                party=PartyRole(Post.NONE, dt.date(1999, 8, 1)),
            ),
            PersonSpec("汪丽", "F", dt.date(1981, 7, 7), "spouse"),
        ),
    ),
)

NAMED_PEOPLE = frozenset(p.name for h in NAMED_HOUSEHOLDS for p in h.people)


# ---- party organisation --------------------------------------------------------------------

COMMITTEE_NAME = "宋河镇党委"
ORGAN_BRANCH_NAME = "宋河镇机关党支部"
PARK_ORG_NAME = "宋河精细化工产业园联合党组织"
INDUSTRY_COMMITTEE_NAME = "宋河镇行业综合党委"


def general_branch_name(district: str) -> str:
    return f"{district}大总支"


def branch_name(village: str) -> str:
    return f"{village}党支部"


def group_name(village: str, grid: str) -> str:
    return f"{village}{grid}党小组"


@dataclass(frozen=True)
class ParkBranchSpec:
    name: str
    branch_type: str
    members: int
    note: str = ""


# Exactly the article's 1 / 1 / 3 / 1.
PARK_BRANCHES: tuple[ParkBranchSpec, ...] = (
    ParkBranchSpec("园区服务中心党支部", BranchType.PARK_SERVICE_CENTRE, 5),
    ParkBranchSpec("宋河镇商会党支部", BranchType.CHAMBER, 4),
    ParkBranchSpec("徐桥酒业党支部", BranchType.ENTERPRISE, 5),
    ParkBranchSpec("鑫润精细化工党支部", BranchType.ENTERPRISE, 4),
    ParkBranchSpec("宏达新材料党支部", BranchType.ENTERPRISE, 3),
    ParkBranchSpec("园区企业联合党支部", BranchType.JOINT, 4),
)
ORGAN_BRANCH_MEMBERS = 6


# ---- demo accounts -------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountSpec:
    username: str
    display_name: str
    role: str
    node: tuple[str, ...]  # names from the town down, e.g. ("宋河镇", "东片区", "徐桥村")
    note: str = ""


DEMO_ACCOUNTS: tuple[AccountSpec, ...] = (
    AccountSpec("admin", "王建华", Role.TOWN_ADMIN, (TOWN_NAME,), "镇管理员"),
    AccountSpec("dongpian", "周文斌", Role.DISTRICT_SECRETARY, (TOWN_NAME, "东片区"), "东片区大总支书记"),
    AccountSpec("xuqiao", "徐志强", Role.VILLAGE_SECRETARY, (TOWN_NAME, "东片区", "徐桥村"), "徐桥村党支部书记"),
    AccountSpec("fashuihe", "施华成", Role.VILLAGE_SECRETARY, (TOWN_NAME, "东片区", "发水河村"), "发水河村党支部书记"),
    AccountSpec("hemeifan", "何国平", Role.VILLAGE_SECRETARY, (TOWN_NAME, "东片区", "何梅畈村"), "何梅畈村党支部书记"),
    AccountSpec(
        "zhangshengfu",
        "张圣福",
        Role.CENTRE_HOUSEHOLD,
        (TOWN_NAME, "东片区", "何梅畈村", "6组", "张家冲"),
        "张家冲党员中心户",
    ),
    AccountSpec("gridworker", "黄丽娟", Role.GRID_WORKER, (TOWN_NAME, "东片区", "徐桥村", "5组"), "徐桥村5组网格员"),
    AccountSpec("hmf_lawyer", "刘明远", Role.LEGAL_ADVISER, (TOWN_NAME, "东片区", "何梅畈村"), "何梅畈村法律顾问"),
    # The collective's books: 徐桥村's accountant keeps them, the town's 农经 officer sees every village's.
    AccountSpec("xq_kuaiji", "徐春梅", Role.VILLAGE_ACCOUNTANT, (TOWN_NAME, "东片区", "徐桥村"), "徐桥村会计"),
    AccountSpec("nongjing", "李卫东", Role.RURAL_ECONOMY_OFFICER, (TOWN_NAME,), "镇农经站农经员"),
    # The park's projects: leads the 鑫润扩建 service team (包联服务专班) and signs its blockers off.
    AccountSpec("baolian", "程国栋", Role.PROJECT_CADRE, (TOWN_NAME, PARK_NAME), "鑫润扩建项目服务专班组长"),
    AccountSpec("zhiyuanzhe", "刘春燕", Role.VOLUNTEER, (TOWN_NAME, "东片区", "徐桥村"), "徐桥村志愿者"),
)
