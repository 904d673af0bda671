"""The county generator: the demo county at realistic proportions around the demo town.

`generate_county --scale 1.0 --seed 2026` writes, next to the demo town 宋河镇 (loaded first
when missing), 19 more towns of the same county: ~20 villages each of ~8 grids of ~3 hamlets,
~300,000 households and ~1,000,000 residents with valid citizen ID numbers, ~30,000 party
members in village branches (party groups per grid, a centre household per hamlet), three years
of matters (~1,000,000) with their timelines, a year of branch and group meetings with marks and
attendance, enterprises with the members working there, each village's collective books
(`county_ledger`) and its collective economy (`county_economy`: members and shares, land and rent,
cooperatives, the distribution, returnees). `--scale` multiplies every count (towns included, at
least 2 generated towns).

Speed: nothing goes through the services row by row. Ids are allocated in advance and rows are
written as tuples (`county_write`), so every value the services would compute is computed here:
tree paths and depths, ID digests, ciphers and masked forms, pinyin, matter numbers, deadlines in
working days, held and settled levels, the timeline events. The generation writes one audit row
(an import) for the county, calls `common.rollups.rebuild_all`, and creates the benchmark
accounts and the Open311 key through the services.

A county that holds generated towns already is left as it is (only missing benchmark accounts,
the key and the books of villages generated before the ledger existed are added): generate into a fresh database to start again.
"""

from __future__ import annotations

import base64
import bisect
import datetime as dt
import hashlib
import hmac
import itertools
import os
import random
import struct
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import uscc

from hongniudai.accounts import services as account_services
from hongniudai.accounts.models import Role, User
from hongniudai.audit import actions as audit_actions
from hongniudai.audit.models import AuditEvent
from hongniudai.common import rollups
from hongniudai.common.identity import encrypt_id_number, field_keys, mask_id_number, region_known
from hongniudai.common.pinyin import name_pinyin, search_key
from hongniudai.common.tree import child_path
from hongniudai.enterprises.models import Employment, Enterprise, Industry, Size
from hongniudai.governance import selectors as gov_selectors
from hongniudai.governance import services as gov_services
from hongniudai.governance.calendar import WorkCalendar
from hongniudai.governance.models import (
    Agreement,
    Category,
    Channel,
    EventKind,
    FollowUp,
    Level,
    Matter,
    MatterEvent,
    MatterStatus,
    MediationSession,
    Open311Key,
    Outcome,
    open311_key_digest,
)
from hongniudai.orglife.models import AbsenceReason, Attendance, Meeting, MeetingKind, MeetingKindMark
from hongniudai.party.models import BranchType, CentreHousehold, Member, MemberStatus, OrgKind, PartyOrg, Post
from hongniudai.places.models import AreaKind, AreaNode, Household, Relation, Resident

from . import data
from . import governance as demo_gov
from .county_domains import TownScope, add_missing_domains, fill_town, new_stages
from .county_economy import EconomyWriter
from .county_ledger import LedgerWriter, add_missing_books
from .county_write import Ids, Stage, Table
from .generate import (
    FEMALE_CHARS,
    HAMLET_SUFFIXES,
    MALE_CHARS,
    PHONE_PREFIXES,
    SURNAMES,
    YOUNG_FEMALE,
    YOUNG_MALE,
)
from .loader import demo_town, load, loader_actor, refresh_planner_statistics, refuse_in_production

Say = Callable[[str], None]

DEFAULT_SEED = 2026
ACTOR_NAME = "generate_county"
BENCH_PASSWORD = "hongniudai-bench-2026"
BENCH_OPEN311_KEY = "bench-open311-2026"
BENCH_OPEN311_CLIENT = "县级压力测试客户端"
BENCH_ACCOUNTS = ("bench_county", "bench_village", "bench_grid")

# The shape at scale 1: 19 generated towns (and the demo town: 20), 20 villages per town.
TOWNS = 19
VILLAGES_PER_TOWN = 20
GRIDS = (6, 10)  # per village, uniform: ~8
HAMLETS = (2, 4)  # per grid: ~3
HOUSEHOLDS = (22, 44)  # per hamlet: ~33 → ~300,000 households
MEMBER_SHARE = 0.03  # of residents: ~30,000 members
MATTERS_PER_HOUSEHOLD = 1_000_000 / 300_000  # over the three years
YEARS = 3
MEETING_DAYS = 365  # meetings (with marks and attendance) of the last year
ENTERPRISES_PER_VILLAGE = (0, 4)

# Real-sounding town names (none of them the demo town).
TOWN_NAMES = (
    "临江镇", "杨柳镇", "沙窝镇", "太和镇", "长岭镇", "碧石镇", "葛店镇", "庙岭镇", "蒲团镇", "段店镇",
    "燕矶镇", "汀祖镇", "泽林镇", "梁子镇", "东沟镇", "沼山镇", "新庙镇", "杜山镇", "胡林镇", "峒山镇",
    "红莲镇", "石桥镇", "花湖镇", "长港镇", "涂镇", "汪集镇", "三溪镇", "龙口镇", "白浒镇", "杨叶镇",
)  # fmt: skip
DISTRICTS = ("东片区", "西片区", "南片区", "北片区")
VILLAGE_FIRST = "新白黄青石杨柳桥龙凤金银太平长安和兴胜利红光东西南北上下高丰福永"
VILLAGE_SECOND = ("桥", "湾", "岭", "港", "塘", "山", "河", "畈", "咀", "庙", "铺", "店", "冲", "垴", "坪", "湖")
INDUSTRY_NAMES: dict[str, tuple[str, ...]] = {
    Industry.AGRI_PROCESSING: ("粮油加工厂", "农产品专业合作社", "茶叶专业合作社", "水产养殖合作社"),
    Industry.BUILDING_MATERIALS: ("建材厂", "预制构件厂", "砂石场"),
    Industry.MACHINERY: ("农机修造厂", "机械配件厂"),
    Industry.TRADE_LOGISTICS: ("物流有限公司", "商贸有限公司", "农资超市"),
    Industry.SERVICES: ("家政服务有限公司", "电商服务站", "农家乐"),
    Industry.LIQUOR_FOOD: ("食品厂", "酒厂", "豆制品厂"),
    Industry.NEW_MATERIALS: ("塑业有限公司", "新材料有限公司"),
}
POSITIONS = ("生产工人", "技术员", "车间主任", "销售员", "会计", "仓管员", "司机", "质检员")
ABSENCE = (
    (AbsenceReason.MIGRANT_WORK, 45),
    (AbsenceReason.ILLNESS, 20),
    (AbsenceReason.PERSONAL, 20),
    (AbsenceReason.BUSINESS, 10),
    (AbsenceReason.OTHER, 5),
)
THEME_TOPICS = (
    "学习贯彻党的二十届三中全会精神",
    "党员义务清扫湾组环境",
    "走访慰问困难群众和老党员",
    "学习党章和《中国共产党纪律处分条例》",
    "开展防汛抗旱志愿服务",
    "秸秆禁烧宣传入户",
    "学习乡村振兴政策,研究村集体经济发展",
    "重温入党誓词,交纳党费",
    "开展移风易俗宣传",
    "党员联系户走访,收集群众诉求",
    "学习习近平新时代中国特色社会主义思想",
    "开展安全生产隐患排查",
)
COMMITTEE_TOPICS = (
    "研究本月党员联系户走访安排",
    "研究村集体经济项目",
    "研究发展党员工作",
    "研究矛盾纠纷排查化解工作",
    "研究防汛和秸秆禁烧工作",
    "研究困难群众帮扶名单",
)
LECTURES = ("党的光辉历程", "做合格党员", "基层治理中的党员责任", "乡村振兴与党员作用")
CHANNEL_LABEL = {c.value: str(c.label) for c in Channel}
LADDER = (Level.HAMLET, Level.GRID, Level.VILLAGE, Level.TOWN)


# ---- what is generated, kept for the later stages of one town -------------------------------------------


@dataclass(eq=False)
class HamletInfo:
    id: int
    path: str
    name: str
    grid: GridInfo
    households: list[int] = field(default_factory=list)
    adults: list[tuple[int, str, str, dt.date]] = field(default_factory=list)  # (resident id, name, phone, birth)
    # (household id, head's resident id, head's name, household number, people), for the economy
    homes: list[tuple[int, int, str, str, int]] = field(default_factory=list)
    centre_name: str = ""
    labels: tuple[str, ...] = ()


@dataclass(eq=False)
class GridInfo:
    id: int
    path: str
    name: str
    village: VillageInfo
    hamlets: list[HamletInfo] = field(default_factory=list)
    group_id: int = 0
    leader_name: str = ""


@dataclass(eq=False)
class VillageInfo:
    id: int
    path: str
    name: str
    code: str
    district_id: int
    grids: list[GridInfo] = field(default_factory=list)
    branch_id: int = 0
    branch_path: str = ""
    secretary_name: str = ""
    # (member id, resident id, name, birth, joined_on, full_on, status, post, group id)
    members: list[tuple[int, int, str, dt.date, dt.date, dt.date | None, str, str, int]] = field(default_factory=list)
    residents: int = 0
    enterprises: list[tuple[int, str]] = field(default_factory=list)  # (id, name)


@dataclass(eq=False)
class TownInfo:
    id: int
    path: str
    name: str
    code: str
    villages: list[VillageInfo] = field(default_factory=list)

    def hamlets(self) -> list[HamletInfo]:
        return [h for v in self.villages for g in v.grids for h in g.hamlets]


@dataclass
class Summary:
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    stages: list[Stage] = field(default_factory=list)
    skipped: bool = False
    towns: list[str] = field(default_factory=list)


def plan_shape(scale: float) -> list[int]:
    """Villages per generated town: at least 2 towns, about 20 villages each at scale 1."""
    towns = max(2, round(TOWNS * scale))
    villages = max(towns, round(TOWNS * VILLAGES_PER_TOWN * scale))
    base, extra = divmod(villages, towns)
    return [base + (1 if i < extra else 0) for i in range(towns)]


# ---- working days, fast ------------------------------------------------------------------------


class Deadlines:
    """`calendar.add_working_days` for many dates: the calendar is read once for the span."""

    def __init__(self, start: dt.date, end: dt.date, tz: ZoneInfo) -> None:
        cal = WorkCalendar(start, end)
        self.tz = tz
        self.days: list[dt.date] = []
        day = start
        while day <= end:
            if cal.is_working(day):
                self.days.append(day)
            day += dt.timedelta(days=1)
        self.cache: dict[tuple[dt.date, int], dt.datetime] = {}

    def due(self, start: dt.datetime, days: int) -> dt.datetime:
        day = start.astimezone(self.tz).date()
        key = (day, days)
        hit = self.cache.get(key)
        if hit is None:
            if days <= 0:
                end_day = day
            else:
                end_day = self.days[bisect.bisect_right(self.days, day) + days - 1]
            hit = dt.datetime.combine(end_day, dt.time(23, 59, 59), tzinfo=self.tz)
            self.cache[key] = hit
        return hit


# ---- the generator -----------------------------------------------------------------------------------


class CountyGenerator:
    def __init__(self, *, scale: float, seed: int, say: Say, progress: Say) -> None:
        self.scale = scale
        self.seed = seed
        self.say = say  # always shown
        self.progress = progress  # progress lines (silenced by --quiet)
        self.ids = Ids()
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.now = timezone.now().astimezone(self.tz).replace(microsecond=0)
        self.today = self.now.date()
        self.stages = {
            key: Stage(label)
            for key, label in (
                ("areas", _("地区")),
                ("households", _("户")),
                ("residents", _("居民")),
                ("party", _("党组织、党员、中心户")),
                ("matters", _("事项")),
                ("timeline", _("事项办理记录等")),
                ("meetings", _("组织生活")),
                ("enterprises", _("企业")),
                ("ledger", _("集体账套")),
                ("economy", _("集体经济")),
            )
        }
        self.stages.update(new_stages())  # resident services, the watch, projects (`county_domains`)
        self.pinyin: dict[str, tuple[str, str]] = {}
        self.node_keys: dict[str, str] = {}
        self.id_seq: dict[tuple[dt.date, str], int] = {}
        self.taken_digests: set[str] = set()
        self.counts: dict[str, int] = {}
        self.uscc_index = 0
        self.protect = IdProtector()
        self.ledgers: LedgerWriter | None = None
        self.economy: EconomyWriter | None = None
        self.texts: dict[str, Any] = {
            "verdict": (_("结果未保持"), _("结果稳定")),
            "satisfaction": _("满意度"),
            "patrol": _("网格员"),
            "camera": _("视频监控点"),
            "reopened": _("重新办理"),
        }

    # -- helpers

    def _count(self, key: str, n: int) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def _report(self, stage: Stage, town: str, rows: int, seconds: float) -> None:
        rate = rows / seconds if seconds else 0.0
        self.progress(
            _("  %(town)s · %(stage)s:%(rows)s 行,%(t).1f 秒(%(rate)s 行/秒)")
            % {"town": town, "stage": stage.label, "rows": f"{rows:,}", "t": seconds, "rate": f"{rate:,.0f}"}
        )

    # -- the county

    def run(self, county: AreaNode) -> Summary:
        start = time.monotonic()
        self.county = county
        region = county.code if len(county.code or "") == 6 and region_known(county.code) else data.COUNTY_CODE
        self.region = region
        self.taken_digests = set(Resident.objects.values_list("id_digest", flat=True))
        existing_towns = set(AreaNode.objects.filter(parent=county).values_list("name", flat=True))
        names = [n for n in TOWN_NAMES if n not in existing_towns]
        shape = plan_shape(self.scale)
        if len(shape) > len(names):
            extra = [f"{n[:-1]}{i}镇" for i, n in enumerate(TOWN_NAMES * 4, start=2)]
            names += [n for n in extra if n not in existing_towns]
        first_sort = AreaNode.objects.filter(parent=county).count() + 1
        self.categories = {c.code: c for c in Category.objects.all()}
        self.rules: dict[tuple[int, str], tuple[int, int]] = {}
        for c in self.categories.values():
            for level in LADDER:
                accept, settle, _u, _s = gov_selectors.rule_for(c, level)
                self.rules[(c.pk, level)] = (accept, settle)
        span_start = self.today - dt.timedelta(days=365 * YEARS + 10)
        self.deadlines = Deadlines(span_start, self.today + dt.timedelta(days=400), self.tz)
        summary = Summary()
        for i, villages in enumerate(shape):
            rng = random.Random(f"{self.seed}:{i}")
            town = self.town(rng, names[i], i, villages, first_sort + i)
            summary.towns.append(town.name)
            self.people(rng, town)
            self.party(rng, town)
            self.matters(rng, town)
            self.meetings(rng, town)
            self.enterprises(rng, town)
            self.ledger(rng, town)
            self.domains(town)
            self.progress(
                _("[%(i)d/%(n)d] %(town)s 完成(累计 %(t).1f 秒)")
                % {"i": i + 1, "n": len(shape), "town": town.name, "t": time.monotonic() - start}
            )
        self.ids.reset_sequences()
        summary.stages = list(self.stages.values())
        if self.ledgers is not None:
            self.counts.update(self.ledgers.written)
        if self.economy is not None:
            self.counts.update(self.economy.written)
        summary.counts = dict(self.counts)
        summary.seconds = time.monotonic() - start
        return summary

    # -- areas

    def area_row(
        self, table: Table, pk: int, parent_path: str, parent: int | None, name: str, kind: str, **kw: Any
    ) -> str:
        path = child_path(parent_path, pk)
        table.add(
            (
                pk,
                parent,
                name,
                kind,
                kw.get("is_community", False),
                kw.get("code", ""),
                None,
                kw.get("sort_order", 0),
                path,
                path.count("/") - 1,
                self.search_key(name),
            )
        )
        return path

    def town(self, rng: random.Random, name: str, index: int, n_villages: int, sort_order: int) -> TownInfo:
        stage = self.stages["areas"]
        t0 = time.monotonic()
        with stage:
            table = Table(
                AreaNode,
                [
                    "id",
                    "parent",
                    "name",
                    "kind",
                    "is_community",
                    "code",
                    "geometry",
                    "sort_order",
                    "path",
                    "depth",
                    "search_key",
                ],
            )
            code = f"{self.region}{200 + index:03d}"
            town_id = self.ids.take(AreaNode)
            path = self.area_row(
                table, town_id, self.county.path, self.county.pk, name, AreaKind.TOWN, code=code, sort_order=sort_order
            )
            town = TownInfo(town_id, path, name, code)
            n_districts = min(len(DISTRICTS), max(1, round(n_villages / 5)))
            district_ids = []
            district_paths = []
            for di in range(n_districts):
                pk = self.ids.take(AreaNode)
                district_paths.append(
                    self.area_row(table, pk, path, town_id, DISTRICTS[di], AreaKind.DISTRICT, sort_order=di + 1)
                )
                district_ids.append(pk)
            village_names = [a + b + "村" for a in VILLAGE_FIRST for b in VILLAGE_SECOND]
            rng.shuffle(village_names)
            for vi in range(n_villages):
                di = vi * n_districts // n_villages
                vid = self.ids.take(AreaNode)
                vcode = f"{code}{vi + 1:03d}"
                vname = village_names[vi]
                vpath = self.area_row(
                    table,
                    vid,
                    district_paths[di],
                    district_ids[di],
                    vname,
                    AreaKind.VILLAGE,
                    code=vcode,
                    sort_order=vi + 1,
                )
                village = VillageInfo(vid, vpath, vname, vcode, district_ids[di])
                town.villages.append(village)
                for gi in range(1, rng.randint(*GRIDS) + 1):
                    gid = self.ids.take(AreaNode)
                    gname = data.grid_name(gi, community=False)
                    gpath = self.area_row(table, gid, vpath, vid, gname, AreaKind.GRID, sort_order=gi)
                    grid = GridInfo(gid, gpath, gname, village)
                    village.grids.append(grid)
                    taken: set[str] = set()
                    for hi in range(1, rng.randint(*HAMLETS) + 1):
                        while True:
                            hname = rng.choice(SURNAMES) + rng.choice(HAMLET_SUFFIXES)
                            if hname not in taken:
                                taken.add(hname)
                                break
                        hid = self.ids.take(AreaNode)
                        hpath = self.area_row(table, hid, gpath, gid, hname, AreaKind.HAMLET, sort_order=hi)
                        grid.hamlets.append(HamletInfo(hid, hpath, hname, grid))
            rows = sum(t.flush_all() for t in (table,))
            stage.rows += rows
        self._count("towns", 1)
        self._count("districts", n_districts)
        self._count("villages", n_villages)
        self._count("grids", sum(len(v.grids) for v in town.villages))
        self._count("hamlets", len(town.hamlets()))
        self._report(stage, name, rows, time.monotonic() - t0)
        return town

    # -- households and residents

    def _name(self, rng: random.Random, surname: str, sex: str, year: int) -> str:
        if year >= 2005 and rng.random() < 0.6:
            given = rng.choice(YOUNG_MALE if sex == "M" else YOUNG_FEMALE)
        else:
            chars = MALE_CHARS if sex == "M" else FEMALE_CHARS
            given = rng.choice(chars) if rng.random() < 0.3 else rng.choice(chars) + rng.choice(chars)
        return surname + given

    def _birth(self, rng: random.Random, age: int) -> dt.date:
        day = self.today - dt.timedelta(days=age * 365 + rng.randrange(0, 365) + age // 4)
        return day

    def _family(self, rng: random.Random, surname: str | None) -> list[tuple[str, str, dt.date, str]]:
        """(name, sex, birth, relation) of the people of one household, the head first."""
        head_age = int(rng.triangular(24, 90, 56))
        head_sex = "M" if rng.random() < 0.86 else "F"
        family_name = surname if surname and rng.random() < 0.7 else rng.choice(SURNAMES)
        people = [(family_name, head_sex, head_age, Relation.HEAD.value)]
        if rng.random() < (0.6 if head_age >= 70 else 0.86):
            people.append(
                (rng.choice(SURNAMES), "F" if head_sex == "M" else "M", head_age + rng.randint(-4, 3), "spouse")
            )
        child_surname = family_name if head_sex == "M" else rng.choice(SURNAMES)
        if head_age < 50:
            n_children = rng.choice((0, 1, 1, 2, 2, 2))
        elif head_age < 70:
            n_children = rng.choice((0, 0, 1, 1, 2))
        else:
            n_children = rng.choice((0, 0, 0, 1))
        for _i in range(n_children):
            age = head_age - rng.randint(22, 34)
            if age < 0:
                continue
            sex = rng.choice("MF")
            people.append((child_surname, sex, age, "child"))
            if age >= 25 and rng.random() < 0.35:
                people.append(
                    (rng.choice(SURNAMES), "F" if sex == "M" else "M", age + rng.randint(-2, 3), "child_in_law")
                )
                for _j in range(rng.choice((0, 1, 1, 2))):
                    g_age = age - rng.randint(23, 32)
                    if g_age >= 0:
                        people.append((child_surname, rng.choice("MF"), g_age, "grandchild"))
        if head_age < 55 and rng.random() < 0.4:
            p_age = head_age + rng.randint(22, 32)
            if p_age <= 96:
                sex = rng.choice("MF")
                people.append((family_name if sex == "M" else rng.choice(SURNAMES), sex, p_age, "parent"))
        out = []
        for sname, sex, age, relation in people:
            birth = self._birth(rng, max(0, age))
            out.append((self._name(rng, sname, sex, birth.year), sex, birth, relation))
        return out

    def search_key(self, name: str) -> str:
        """`common.pinyin.search_key` of a node's name, cached (hamlet names repeat across the county)."""
        key = self.node_keys.get(name)
        if key is None:
            key = self.node_keys[name] = search_key(name)
        return key

    def _pinyin(self, name: str) -> tuple[str, str]:
        """`common.pinyin.name_pinyin`, cached by surname and given name (a county has
        hundreds of thousands of distinct names but a few thousand given names)."""
        surname, given = name[0], name[1:]
        a = self.pinyin.get(surname)
        if a is None:
            a = self.pinyin[surname] = name_pinyin(surname)
        b = self.pinyin.get(given)
        if b is None:
            b = self.pinyin[given] = name_pinyin(given)
        return f"{a[0]} {b[0]}"[:200], (a[1] + b[1])[:50]

    def _id_number(self, rng: random.Random, birth: dt.date, sex: str) -> tuple[str, str]:
        """A valid ID number of the county (GB 11643) unique in the database, and its digest."""
        while True:
            key = (birth, sex)
            k = self.id_seq.get(key)
            if k is None:
                k = rng.randrange(0, 200)
            if k >= 500:
                birth -= dt.timedelta(days=1)
                continue
            self.id_seq[key] = k + 1
            seq = k * 2 + (1 if sex == "M" else 0)
            body = f"{self.region}{birth:%Y%m%d}{seq:03d}"
            number = body + _check_char(body)
            digest = self.protect.digest(number)
            if digest not in self.taken_digests:
                self.taken_digests.add(digest)
                return number, digest

    def people(self, rng: random.Random, town: TownInfo) -> None:
        hh_stage, res_stage = self.stages["households"], self.stages["residents"]
        households = Table(
            Household,
            [
                "id",
                "hamlet",
                "number",
                "address",
                "head",
                "is_formerly_poor",
                "is_monitored",
                "note",
                "created_at",
                "updated_at",
            ],
        )
        residents = Table(
            Resident,
            [
                "id", "household", "name", "name_initials", "name_pinyin", "id_digest", "id_cipher", "id_masked",
                "sex", "birth_date", "phone", "relation", "is_veteran", "is_returnee", "is_disabled", "note",
                "created_at", "updated_at",
            ],
        )  # fmt: skip
        now = self.now
        adult_cut = data.years_before(self.today, 18)
        t_hh = t_res = 0.0
        for village in town.villages:
            t0 = time.monotonic()
            for gi, grid in enumerate(village.grids, start=1):
                seq = 0
                for hamlet in grid.hamlets:
                    surname = hamlet.name[0] if hamlet.name[1:2] == "家" else None
                    for _n in range(rng.randint(*HOUSEHOLDS)):
                        seq += 1
                        hh_id = self.ids.take(Household)
                        family = self._family(rng, surname)
                        first = self.ids.take(Resident, len(family))
                        poor = rng.random() < 0.08
                        monitored = poor and rng.random() < 0.2 or rng.random() < 0.01
                        note = "脱贫户" if poor else ("防返贫动态监测对象" if monitored else "")
                        households.add(
                            (
                                hh_id,
                                hamlet.id,
                                f"{village.code[-3:]}-{gi:02d}-{seq:03d}",
                                f"{town.name}{village.name}{grid.name}{hamlet.name}{seq}号",
                                first,
                                poor,
                                monitored,
                                note,
                                now,
                                now,
                            )
                        )
                        hamlet.households.append(hh_id)
                        number = f"{village.code[-3:]}-{gi:02d}-{seq:03d}"
                        hamlet.homes.append((hh_id, first, family[0][0], number, len(family)))
                        for j, (name, sex, birth, relation) in enumerate(family):
                            rid = first + j
                            number, digest = self._id_number(rng, birth, sex)
                            py = self._pinyin(name)
                            age = self.today.year - birth.year
                            phone = ""
                            if 16 <= age <= 75 and rng.random() < 0.75:
                                phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(0, 10**8):08d}"
                            residents.add(
                                (
                                    rid,
                                    hh_id,
                                    name,
                                    py[1],
                                    py[0],
                                    digest,
                                    self.protect.encrypt(number),
                                    mask_id_number(number),
                                    sex,
                                    birth,
                                    phone,
                                    relation,
                                    sex == "M" and 35 <= age <= 70 and rng.random() < 0.03,
                                    20 <= age <= 55 and rng.random() < 0.02,
                                    rng.random() < 0.015,
                                    "",
                                    now,
                                    now,
                                )
                            )
                            village.residents += 1
                            if birth <= adult_cut:
                                hamlet.adults.append((rid, name, phone, birth))
            t1 = time.monotonic()
            n_hh = households.flush()
            t2 = time.monotonic()
            n_res = residents.flush()
            t3 = time.monotonic()
            # Building a resident row (ID number, digest, cipher, pinyin) is most of the time: the
            # household rows' share of it is small, so it is counted with the residents.
            hh_stage.rows += n_hh
            res_stage.rows += n_res
            t_hh += t2 - t1
            t_res += (t1 - t0) + (t3 - t2)
        hh_stage.seconds += t_hh
        res_stage.seconds += t_res
        self._count("households", households.written)
        self._count("residents", residents.written)
        self._report(hh_stage, town.name, households.written, t_hh)
        self._report(res_stage, town.name, residents.written, t_res)

    # -- party

    def party(self, rng: random.Random, town: TownInfo) -> None:
        stage = self.stages["party"]
        t0 = time.monotonic()
        with stage:
            orgs = Table(
                PartyOrg,
                [
                    "id",
                    "parent",
                    "name",
                    "kind",
                    "branch_type",
                    "area",
                    "founded_on",
                    "has_committee",
                    "sort_order",
                    "path",
                    "depth",
                    "search_key",
                ],
            )
            members = Table(
                Member,
                [
                    "id",
                    "resident",
                    "org",
                    "party_group",
                    "status",
                    "joined_on",
                    "full_on",
                    "post",
                    "note",
                    "created_at",
                    "updated_at",
                ],
            )
            centres = Table(CentreHousehold, ["id", "member", "hamlet", "since"])
            links = Table(CentreHousehold.linked_households.through, ["centrehousehold", "household"])

            def org(
                parent: int | None, parent_path: str, name: str, kind: str, area: int, **kw: Any
            ) -> tuple[int, str]:
                pk = self.ids.take(PartyOrg)
                path = child_path(parent_path, pk)
                orgs.add(
                    (
                        pk,
                        parent,
                        name,
                        kind,
                        kw.get("branch_type", ""),
                        area,
                        kw.get("founded_on"),
                        kw.get("has_committee", True),
                        kw.get("sort_order", 0),
                        path,
                        path.count("/") - 1,
                        self.search_key(name),
                    )
                )
                return pk, path

            committee, cpath = org(None, "", f"{town.name}党委", OrgKind.TOWN_COMMITTEE, town.id)
            generals: dict[int, tuple[int, str]] = {}
            district_names = dict(AreaNode.objects.filter(parent_id=town.id).values_list("id", "name"))
            for si, did in enumerate(sorted({v.district_id for v in town.villages}), start=1):
                generals[did] = org(
                    committee,
                    cpath,
                    data.general_branch_name(district_names[did]),
                    OrgKind.GENERAL_BRANCH,
                    did,
                    sort_order=si,
                )
            n_members = n_centres = n_links = 0
            now = self.now
            for vi, village in enumerate(town.villages, start=1):
                gid, gpath = generals[village.district_id]
                village.branch_id, village.branch_path = org(
                    gid, gpath, data.branch_name(village.name), OrgKind.BRANCH, village.id,
                    branch_type=BranchType.VILLAGE, founded_on=dt.date(1950 + rng.randrange(0, 30), 7, 1), sort_order=vi,
                )  # fmt: skip
                for gi, grid in enumerate(village.grids, start=1):
                    grid.group_id, _p = org(
                        village.branch_id, village.branch_path, data.group_name(village.name, grid.name),
                        OrgKind.PARTY_GROUP, grid.id, sort_order=gi,
                    )  # fmt: skip
                n_members += self._village_members(rng, village, members, now)
                # Centre households: a member living in the hamlet, else one of the grid.
                member_of = {m[1]: m for m in village.members}
                for grid in village.grids:
                    in_grid = [m for h in grid.hamlets for a in h.adults if (m := member_of.get(a[0]))]
                    for hamlet in grid.hamlets:
                        here = [member_of[a[0]] for a in hamlet.adults if a[0] in member_of]
                        choices = here or in_grid
                        if not choices:
                            continue
                        centre = choices[0]
                        cid = self.ids.take(CentreHousehold)
                        centres.add((cid, centre[0], hamlet.id, dt.date(2021, 7, 1)))
                        hamlet.centre_name = centre[2]
                        n_centres += 1
                        linked = hamlet.households[: rng.randint(5, 15)]
                        if len(linked) < 5:
                            linked += [h for g in grid.hamlets for h in g.households if h not in linked][
                                : 5 - len(linked)
                            ]
                        for hh in linked:
                            links.add((cid, hh))
                        n_links += len(linked)
            rows = sum(
                t.flush_all()
                for t in (
                    orgs,
                    members,
                    centres,
                    links,
                )
            )
            stage.rows += rows
        self._count("orgs", orgs.written)
        self._count("members", members.written)
        self._count("centre_households", n_centres)
        self._report(stage, town.name, rows, time.monotonic() - t0)

    def _village_members(self, rng: random.Random, village: VillageInfo, table: Table, now: dt.datetime) -> int:
        """About 3 % of the residents: one per hamlet where possible, the rest drawn from the
        village's adults of 22–85; a secretary, a deputy, committee members, group leaders."""
        today = self.today
        want = max(len(village.grids) + 3, round(village.residents * MEMBER_SHARE))
        chosen: dict[int, tuple[str, GridInfo, dt.date]] = {}
        pool: list[tuple[int, str, GridInfo, dt.date]] = []
        young, old = data.years_before(today, 22), data.years_before(today, 85)
        for grid in village.grids:
            for hamlet in grid.hamlets:
                eligible = [a for a in hamlet.adults if old <= a[3] <= young]
                if eligible:
                    rid, name, _p, birth = rng.choice(eligible)
                    chosen[rid] = (name, grid, birth)
                pool += [(rid, name, grid, birth) for rid, name, _p, birth in eligible]
        rng.shuffle(pool)
        for rid, name, grid, birth in pool:
            if len(chosen) >= want:
                break
            chosen.setdefault(rid, (name, grid, birth))
        rows: list[list[Any]] = []
        for rid, (name, grid, birth) in chosen.items():
            earliest = max(dt.date(1975, 1, 1), dt.date(birth.year + 20, birth.month, min(birth.day, 28)))
            latest = today - dt.timedelta(days=400)
            if rng.random() < 0.06 and earliest < today - dt.timedelta(days=340):
                joined = today - dt.timedelta(days=rng.randrange(20, 330))
                status, full_on = MemberStatus.PROBATIONARY, None
            else:
                joined = earliest + dt.timedelta(days=rng.randrange(0, max(1, (latest - earliest).days)))
                status, full_on = MemberStatus.FULL, joined + dt.timedelta(days=365)
            rows.append([rid, name, grid, joined, full_on, status, "", birth])
        # Posts: secretary, deputy, three committee members (full members), then group leaders.
        full = [r for r in rows if r[5] == MemberStatus.FULL]
        rng.shuffle(full)
        for i, r in enumerate(full[:5]):
            r[6] = (
                Post.SECRETARY,
                Post.DEPUTY_SECRETARY,
                Post.COMMITTEE_MEMBER,
                Post.COMMITTEE_MEMBER,
                Post.COMMITTEE_MEMBER,
            )[i]
        for grid in village.grids:
            free = [r for r in rows if r[2] is grid and not r[6]]
            if free:
                leader = rng.choice(free)
                leader[6] = Post.GROUP_LEADER
                grid.leader_name = leader[1]
        for rid, name, grid, joined, full_on, status, post, birth in rows:
            mid = self.ids.take(Member)
            table.add((mid, rid, village.branch_id, grid.group_id, status, joined, full_on, post, "", now, now))
            village.members.append((mid, rid, name, birth, joined, full_on, status, post, grid.group_id))
            if post == Post.SECRETARY:
                village.secretary_name = name
        return len(rows)

    # -- matters

    def _label(self, h: HamletInfo, level: str) -> str:
        if level == Level.HAMLET:
            return _("党员中心户%(n)s") % {"n": h.centre_name} if h.centre_name else _("湾组")
        if level == Level.GRID:
            g = h.grid
            return _("%(g)s党小组长%(n)s") % {"g": g.name, "n": g.leader_name} if g.leader_name else g.name
        if level == Level.VILLAGE:
            v = h.grid.village
            return _("村党支部书记%(n)s") % {"n": v.secretary_name} if v.secretary_name else v.name
        return _("镇综治中心")

    def _draws(self, rng: random.Random, n: int) -> list[tuple[int, str]]:
        """(day index, category code) of `n` matters over the years, by the demo's monthly
        rates and seasons (disputes around the Spring Festival, straw burning in June and
        October, flood patrols in summer)."""
        start = self.today - dt.timedelta(days=365 * YEARS)
        keys: list[tuple[int, str]] = []
        cum: list[float] = []
        total = 0.0
        for d in range(365 * YEARS + 1):
            month = (start + dt.timedelta(days=d)).month
            for code, per_month in demo_gov.MONTHLY.items():
                if code not in self.categories:
                    continue
                total += demo_gov.VOLUME * per_month * demo_gov.SEASONAL.get(code, {}).get(month, 1.0)
                keys.append((d, code))
                cum.append(total)
            for code, table in (("straw-burning", demo_gov.STRAW_MONTHS), ("flood-patrol", demo_gov.FLOOD_MONTHS)):
                w = table.get(month, 0)
                if w and code in self.categories:
                    total += w
                    keys.append((d, code))
                    cum.append(total)
        return rng.choices(keys, cum_weights=cum, k=n)

    def matters(self, rng: random.Random, town: TownInfo) -> None:
        sm, st = self.stages["matters"], self.stages["timeline"]
        t0 = time.monotonic()
        hamlets = [h for h in town.hamlets() if h.households and h.adults]
        weights = list(itertools.accumulate(len(h.households) for h in hamlets))
        n = round(weights[-1] * MATTERS_PER_HOUSEHOLD) if hamlets else 0
        start = self.today - dt.timedelta(days=365 * YEARS)
        cutoff = self.now - dt.timedelta(minutes=10)
        specs = []
        for d, code in self._draws(rng, n):
            day = start + dt.timedelta(days=d)
            hour = rng.uniform(8, 19) if code != "straw-burning" else rng.uniform(11, 20)
            at = dt.datetime.combine(day, dt.time(int(hour), int(hour % 1 * 60), rng.randrange(60)), tzinfo=self.tz)
            if at <= cutoff:
                specs.append((at, code, rng.choices(hamlets, cum_weights=weights)[0]))
        specs.sort(key=lambda s: s[0])
        first = self.ids.take(Matter, len(specs))
        self.tables = {
            "matter": Table(
                Matter,
                [
                    "id", "number", "category", "title", "description", "place", "origin_path", "lon", "lat",
                    "address", "level", "area", "area_path", "handler", "status", "urgency", "channel", "reporter",
                    "reporter_name", "reporter_phone", "other_parties", "attributes", "reported_at", "level_since",
                    "accepted_at", "accept_due_at", "settle_due_at", "resolved_at", "resolved_level", "outcome",
                    "resolution", "escalations", "reopened", "satisfaction", "public_notes", "open311_token",
                    "updated_at",
                ],
            ),
            "parties": Table(Matter.parties.through, ["matter", "resident"]),
            "event": Table(MatterEvent, ["matter", "kind", "at", "actor", "from_level", "to_level", "note"]),
            "session": Table(
                MediationSession,
                ["matter", "held_on", "place", "participants", "legal_adviser_present", "summary", "agreed",
                 "recorded_by", "created_at"],
            ),
            "agreement": Table(
                Agreement,
                ["matter", "parties", "facts", "terms", "mediators", "signed_on", "signatures_noted", "created_at"],
            ),
            "follow_up": Table(FollowUp, ["matter", "visited_on", "held", "satisfaction", "note", "visited_by"]),
        }  # fmt: skip
        for i, (at, code, hamlet) in enumerate(specs):
            self._matter(rng, first + i, at, code, hamlet, town, cutoff)
        t1 = time.monotonic()
        tables = self.tables
        tables["matter"].flush()
        t2 = time.monotonic()
        others = ("parties", "event", "session", "agreement", "follow_up")
        for k in others:
            tables[k].flush()
        t3 = time.monotonic()
        # Building the rows (and the batches written on the way) is shared by row count.
        build = t1 - t0
        written = tables["matter"].written
        other = sum(tables[k].written for k in others)
        share = written / (written + other) if written + other else 0.5
        sm.rows += written
        st.rows += other
        sm.seconds += build * share + (t2 - t1)
        st.seconds += build * (1 - share) + (t3 - t2)
        names = {"matter": "matters", "event": "matter_events", "session": "mediation_sessions"}
        names |= {"agreement": "agreements", "follow_up": "follow_ups", "parties": "matter_parties"}
        for key, name in names.items():
            self._count(name, tables[key].written)
        self._report(sm, town.name, written, build * share + (t2 - t1))
        self._report(st, town.name, other, build * (1 - share) + (t3 - t2))
        del self.tables

    def _matter(
        self,
        rng: random.Random,
        pk: int,
        reported_at: dt.datetime,
        code: str,
        h: HamletInfo,
        town: TownInfo,
        cutoff: dt.datetime,
    ) -> None:
        cat = self.categories[code]
        dispute = cat.is_dispute
        title, what, settled = rng.choice(demo_gov.TOPICS[code])
        grid, village = h.grid, h.grid.village
        parties: list[tuple[int, str, str, dt.date]] = []
        other = ""
        if dispute:
            parties = rng.sample(h.adults, 2) if len(h.adults) >= 2 else list(h.adults)
            if code == "dispute-wages" and parties:
                parties = parties[:1]
                other = rng.choice(("外地包工头某某", "某建筑劳务公司", "某装修队负责人"))
        where = f"{village.name}{grid.name}{h.name}"
        names = "与".join(p[1] for p in parties)
        description = f"{where}{names if dispute else ''}{what}。"
        if dispute and other and parties:
            description = f"{where}村民{parties[0][1]}反映{other}{what}。"
        kind_key = "dispute" if dispute else code
        channel = demo_gov.pick(rng, demo_gov.CHANNELS[kind_key])
        if channel == "open311" and code not in demo_gov.PUBLIC_CATEGORIES:
            channel = "phone"
        reporter_name = reporter_phone = address = ""
        if channel == "centre_household":
            reporter_name = h.centre_name
        elif channel == "grid_patrol":
            reporter_name = grid.leader_name or self.texts["patrol"]
        elif channel == "camera":
            reporter_name = self.texts["camera"]
            address = _("%(grid)s路口视频监控点") % {"grid": f"{village.name}{grid.name}"}
        else:
            person = parties[0] if parties else rng.choice(h.adults)
            reporter_name = person[1]
            if channel in ("phone", "walk_in", "web"):
                reporter_phone = person[2]
        attributes = self._attributes(rng, code)
        title = (f"{parties[0][1]}与{parties[1][1]}{title}" if len(parties) == 2 else title)[:100]
        steps = self._ladder(rng, code, dispute, reported_at, h, parties, other, settled, description)
        steps = [s for s in steps if s[1] <= cutoff]
        if (self.now - reported_at).days < 60 and rng.random() < 0.12:
            first_resolve = next((i for i, s in enumerate(steps) if s[0] == "resolve"), len(steps))
            steps = steps[: rng.randrange(0, first_resolve + 1)]

        # Apply the steps as the services would: the state of the matter and its timeline.
        nodes = (
            (h.id, h.path),
            (grid.id, grid.path),
            (village.id, village.path),
            (town.id, town.path),
        )
        li = 0 if h.centre_name else 1  # no centre household: the grid worker takes it
        level_since = reported_at
        accepted_at: dt.datetime | None = None
        resolved_at: dt.datetime | None = None
        status = MatterStatus.NEW
        escalations = reopened = 0
        resolved_level = outcome = resolution = public_notes = ""
        satisfaction: int | None = None
        t = self.tables
        ev = t["event"].add
        if not h.labels:
            h.labels = tuple(self._label(h, level) for level in LADDER)
        texts = self.texts
        ev((pk, EventKind.REPORT, reported_at, None, "", LADDER[li], f"{reporter_name}经{CHANNEL_LABEL[channel]}上报"))
        for kind, at, args in steps:
            label = h.labels[li]
            if kind == "accept":
                status, accepted_at = MatterStatus.ACCEPTED, at
                ev((pk, EventKind.ACCEPT, at, None, "", LADDER[li], label))
            elif kind == "session":
                held_on = at.date()
                t["session"].add(
                    (pk, held_on, args["place"], args["participants"], args["present"], args["summary"],
                     args["agreed"], None, at)
                )  # fmt: skip
                if status == MatterStatus.NEW:
                    status, accepted_at = MatterStatus.ACCEPTED, at
                note = f"{held_on:%Y-%m-%d} {args['place']}:{args['summary']}"[:2000]
                ev((pk, EventKind.MEDIATE, at, None, "", "", f"{label}:{note}"))
            elif kind == "agreement":
                t["agreement"].add(
                    (pk, args["parties"], description, args["terms"], args["mediators"], at.date(), True, at)
                )
                ev((pk, EventKind.AGREEMENT, at, None, "", "", f"{label}:签订日期 {at.date()}"))
            elif kind in ("escalate", "hand_down"):
                before = LADDER[li]
                if kind == "escalate":
                    li += 1
                    escalations += 1
                else:
                    li = 0
                level_since, accepted_at, status = at, None, MatterStatus.NEW
                ev((pk, kind, at, None, before, LADDER[li], f"{label}:{args['reason']}"))
            elif kind == "resolve":
                if accepted_at is None:
                    accepted_at = at
                status, resolved_at, resolved_level = MatterStatus.RESOLVED, at, LADDER[li]
                outcome, resolution = args["outcome"], args["resolution"]
                public_notes = args.get("public_notes") or str(Outcome(outcome).label)
                note = f"{Outcome(outcome).label}:{resolution}"[:2000]
                ev((pk, EventKind.RESOLVE, at, None, "", LADDER[li], f"{label}:{note}"))
            elif kind == "follow_up":
                held, sat, fnote = args["held"], args["satisfaction"], args["note"]
                t["follow_up"].add((pk, at.date(), held, sat, fnote, None))
                satisfaction = sat
                if held:
                    status = MatterStatus.CLOSED
                verdict = texts["verdict"][held]
                ev(
                    (
                        pk,
                        EventKind.FOLLOW_UP,
                        at,
                        None,
                        "",
                        "",
                        f"{label}:{verdict},{texts['satisfaction']} {sat}。{fnote}",
                    )
                )
            elif kind == "reopen":
                level_since, accepted_at, resolved_at, status = at, None, None, MatterStatus.NEW
                resolved_level = outcome = ""
                public_notes = texts["reopened"]
                reopened += 1
                ev((pk, EventKind.REOPEN, at, None, "", LADDER[li], f"{label}:{args['reason']}"))
        level = LADDER[li]
        accept_days, settle_days = self.rules[(cat.pk, level)]
        due = self.deadlines.due
        t["matter"].add(
            (
                pk, f"{reported_at:%Y}{pk:07d}", cat.pk, title, description, h.id, h.path, None, None,
                address, level, nodes[li][0], nodes[li][1], None, status, "urgent" if code in ("straw-burning", "flood-patrol") else "normal",
                channel, None, reporter_name[:50], reporter_phone, other[:200], attributes, reported_at, level_since,
                accepted_at if status != MatterStatus.NEW else None, due(level_since, accept_days),
                due(level_since, settle_days), resolved_at, resolved_level, outcome, resolution, escalations,
                reopened, satisfaction, public_notes[:255], uuid.UUID(int=rng.getrandbits(128), version=4),
                self.now,
            )
        )  # fmt: skip
        for p in parties:
            t["parties"].add((pk, p[0]))

    @staticmethod
    def _attributes(rng: random.Random, code: str) -> dict[str, Any]:
        if code == "safety-hazard":
            return {"hazard_type": rng.choice(("building", "electric", "road", "fire", "water", "other"))}
        if code == "straw-burning":
            return {"burning_now": rng.choice(("yes", "yes", "no")), "area_mu": str(rng.choice((0.5, 1, 2, 3)))}
        if code == "flood-patrol":
            return {"water_level": rng.choice(("渗水点一处", "积水约30厘米", "水位接近警戒线", "渠道水位正常偏高"))}
        if code in ("dispute-forest", "dispute-land") and rng.random() < 0.6:
            return {"area_mu": str(rng.choice((0.3, 0.5, 1, 1.5, 2, 4)))}
        return {}

    def _ladder(
        self,
        rng: random.Random,
        code: str,
        dispute: bool,
        reported_at: dt.datetime,
        h: HamletInfo,
        parties: list[tuple[int, str, str, dt.date]],
        other: str,
        settled: str,
        description: str,
    ) -> list[tuple[str, dt.datetime, dict[str, Any]]]:
        """The steps of a matter up to settlement and the follow-up visit (as the demo plans them)."""
        quick = code in ("straw-burning", "flood-patrol", "epidemic-control")
        kind_key = "dispute" if dispute else code
        weights = demo_gov.LADDER_WEIGHTS.get(code, demo_gov.LADDER_WEIGHTS.get(kind_key, (70, 15, 10, 5)))
        lowest = 0 if h.centre_name else 1
        final = max(lowest, rng.choices(range(4), weights=weights)[0])
        t = reported_at
        steps: list[tuple[str, dt.datetime, dict[str, Any]]] = []

        def later(lo: float, hi: float) -> dt.datetime:
            nonlocal t
            t = t + dt.timedelta(hours=rng.uniform(lo, hi))
            if t.hour >= 21:
                t = t + dt.timedelta(hours=11)
            return t

        def who(li: int) -> str:
            if li == 0:
                return h.centre_name
            if li == 1:
                return h.grid.leader_name
            if li == 2:
                return h.grid.village.secretary_name
            return _("镇综治中心")

        def visit(li: int, agreed: str = "") -> None:
            present = li >= 2 and rng.random() < 0.6
            people = [who(li)] + ([_("村法律顾问")] if present else []) + ([_("村调委会委员")] if li >= 2 else [])
            people += [p[1] for p in parties] + ([other] if other else [])
            place = (
                (f"{h.name}{parties[0][1]}家" if parties else f"{h.name}现场")
                if li == 0
                else (
                    f"{h.grid.village.name}{h.grid.name}议事点"
                    if li == 1
                    else f"{h.grid.village.name}党群服务中心调解室"
                )
                if li < 3
                else "镇综治中心调解室"
            )
            summary = rng.choice(
                (
                    "分别听取双方陈述,讲政策、讲情理,劝双方各退一步",
                    "上门走访,摸清争议由来,稳定双方情绪",
                    "组织双方面对面协商,对照有关规定逐条沟通",
                    "请双方亲友和湾组老党员一起做工作",
                )
                if dispute
                else ("到现场查看核实情况", "现场处置并拍照留存", "联系有关单位到场处理")
            )
            at = later(6, 60) if not quick else later(0.5, 4)
            steps.append(
                ("session", at, {"place": place[:100], "participants": "、".join(p for p in people if p)[:255],
                                 "summary": summary, "agreed": agreed, "present": present})
            )  # fmt: skip

        hand_down = dispute and final == 0 and rng.random() < 0.04
        top = 2 if hand_down else final
        for li in range(lowest, top + 1):
            settles_here = li == top and not hand_down
            on_the_spot = settles_here and not dispute and li == 0 and rng.random() < 0.5
            if not on_the_spot:
                steps.append(("accept", later(0.3, 20) if not quick else later(0.1, 1.5), {}))
            if dispute:
                n = rng.choice((1, 1, 1, 2, 2, 3)) if settles_here else 1
                for i in range(n):
                    visit(li, settled if settles_here and i == n - 1 else "")
            elif not quick and rng.random() < 0.2:
                visit(li)
            if li != top:
                reasons = demo_gov.TOWN_REASONS if li == 2 else demo_gov.ESCALATE_REASONS
                steps.append(("escalate", later(4, 70), {"reason": rng.choice(reasons)}))
        if hand_down:
            steps.append(("hand_down", later(4, 48), {"reason": rng.choice(demo_gov.HAND_DOWN_REASONS)}))
            steps.append(("accept", later(1, 20), {}))
            visit(0, settled)
        level = 0 if hand_down else final
        if dispute:
            outcome = rng.choices(
                [Outcome.RECONCILED, Outcome.AGREEMENT, Outcome.WITHDRAWN, Outcome.NOT_UPHELD, Outcome.REFERRED_COURT],
                weights=[48, 34, 6, 4, 8 if level >= 2 else 0],
            )[0]
        else:
            outcome = rng.choices([Outcome.HANDLED, Outcome.REFERRED_OTHER, Outcome.NOT_UPHELD], weights=[86, 10, 4])[0]
        if outcome == Outcome.AGREEMENT:
            names = "、".join(p[1] for p in parties) or other
            steps.append(
                (
                    "agreement",
                    later(0.5, 6),
                    {
                        "parties": f"{names}(均为{h.grid.village.name}{h.grid.name}{h.name}村民)",
                        "terms": f"一、{settled}。二、双方今后如有争议,先找湾组党员中心户协商,不得激化矛盾。"
                        "三、本协议一式三份,双方各执一份,村调委会存档一份,自双方签字之日起生效。",
                        "mediators": "、".join(x for x in (who(level), _("村调委会")) if x),
                    },
                )
            )
        resolution = {
            Outcome.REFERRED_COURT: "经多次调解双方仍未达成一致,告知诉讼途径,引导依法起诉。",
            Outcome.REFERRED_OTHER: "已移交相关职能部门处理,跟踪办理结果。",
            Outcome.NOT_UPHELD: "经核实,反映情况与事实不符,已向反映人说明。",
            Outcome.WITHDRAWN: "当事人自行协商解决,申请撤回。",
        }.get(outcome, settled + "。")
        steps.append(
            ("resolve", later(0.5, 30) if outcome != Outcome.AGREEMENT else later(0.2, 2),
             {"outcome": outcome, "resolution": resolution})
        )  # fmt: skip
        if rng.random() < 0.88:
            sat = rng.choices([5, 4, 3, 2, 1], weights=[60, 28, 8, 3, 1])[0]
            held = sat >= 3 or rng.random() < 0.5
            steps.append(
                ("follow_up", later(24 * 3, 24 * 20),
                 {"held": held, "satisfaction": sat, "note": rng.choice(demo_gov.FOLLOW_UP_NOTES[sat])})
            )  # fmt: skip
            if not held:
                steps.append(("reopen", later(2, 30), {"reason": "回访发现问题反复,当事人要求重新处理"}))
                steps.append(("accept", later(1, 10), {}))
                steps.append(
                    ("resolve", later(24, 24 * 6),
                     {"outcome": Outcome.RECONCILED if dispute else Outcome.HANDLED,
                      "resolution": "再次上门做工作,问题得到解决。", "public_notes": _("已重新办理")})
                )  # fmt: skip
                steps.append(
                    ("follow_up", later(24 * 5, 24 * 15),
                     {"held": True, "satisfaction": rng.choice((4, 5)), "note": "结果保持,群众满意"})
                )  # fmt: skip
        return steps

    # -- organisational life

    def meetings(self, rng: random.Random, town: TownInfo) -> None:
        stage = self.stages["meetings"]
        t0 = time.monotonic()
        with stage:
            meetings = Table(
                Meeting,
                ["id", "org", "held_on", "start_time", "place", "topic", "minutes", "presided_by", "lecturer",
                 "voting_total", "voting_present", "recorded_by", "created_at", "updated_at"],
            )  # fmt: skip
            marks = Table(MeetingKindMark, ["meeting", "kind", "counts", "org", "held_on"])
            attendance = Table(Attendance, ["meeting", "member", "present", "absence_reason", "absence_note"])
            first_month = (self.today - dt.timedelta(days=MEETING_DAYS)).replace(day=1)
            months = []
            m = first_month
            while m <= self.today:
                months.append(m)
                m = dt.date(m.year + (m.month == 12), m.month % 12 + 1, 1)
            reasons = [r for r, _w in ABSENCE]
            reason_w = [w for _r, w in ABSENCE]

            def voting(mem: tuple[Any, ...], day: dt.date) -> bool:
                return mem[6] == MemberStatus.FULL and mem[4] <= day and (mem[5] is None or mem[5] <= day)

            def meeting(org: int, day: dt.date, kinds: list[Any], roster: list[tuple[Any, ...]],
                        pool: list[tuple[Any, ...]], topic: str, place: str, presided: int | None,
                        lecturer: str = "", rate: float = 0.8) -> None:  # fmt: skip
                mid = self.ids.take(Meeting)
                present: set[int] = set()
                for mem in roster:
                    here = rng.random() < rate
                    if here:
                        present.add(mem[0])
                        attendance.add((mid, mem[0], True, "", ""))
                    else:
                        attendance.add((mid, mem[0], False, rng.choices(reasons, weights=reason_w)[0], ""))
                voters = [mem for mem in pool if voting(mem, day)]
                total = len(voters)
                here_n = sum(1 for mem in voters if mem[0] in present)
                at = dt.datetime.combine(day, dt.time(15, 0), tzinfo=self.tz)
                meetings.add(
                    (mid, org, day, dt.time(rng.choice((9, 14, 15)), 0), place, topic, "", presided, lecturer,
                     total, here_n, None, at, at)
                )  # fmt: skip
                for kind in kinds:
                    counts = here_n * 2 > total if kind == MeetingKind.MEMBER_MEETING else True
                    marks.add((mid, kind, counts, org, day))

            for village in town.villages:
                branch = village.branch_id
                members = village.members
                secretary = next((mem[0] for mem in members if mem[7] == Post.SECRETARY), None)
                committee = [
                    mem for mem in members if mem[7] in (Post.SECRETARY, Post.DEPUTY_SECRETARY, Post.COMMITTEE_MEMBER)
                ]
                place = f"{village.name}党群服务中心"
                for month in months:
                    last = min(
                        self.today,
                        dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1) - dt.timedelta(days=1),
                    )
                    if last < month:
                        continue
                    span = (last - month).days
                    day = month + dt.timedelta(days=rng.randint(0, span))
                    roster = [mem for mem in members if mem[4] <= day]
                    kinds = [MeetingKind.THEME_DAY]
                    lecturer = ""
                    if month.month in (3, 6, 9, 12):
                        kinds += [MeetingKind.MEMBER_MEETING, MeetingKind.PARTY_LECTURE]
                        lecturer = village.secretary_name or _("支部书记")
                    if month.month == 1:
                        kinds += [MeetingKind.REVIEW_MEETING, MeetingKind.MEMBER_APPRAISAL]
                    rate = rng.choice((0.55, 0.7, 0.8, 0.85, 0.9)) if len(kinds) > 1 else 0.8
                    meeting(
                        branch, day, kinds, roster, roster, rng.choice(THEME_TOPICS), place, secretary, lecturer, rate
                    )
                    if committee:
                        cday = month + dt.timedelta(days=rng.randint(0, span))
                        meeting(
                            branch, cday, [MeetingKind.COMMITTEE_MEETING], [m for m in committee if m[4] <= cday],
                            [m for m in members if m[4] <= cday], rng.choice(COMMITTEE_TOPICS), place, secretary,
                            rate=0.9,
                        )  # fmt: skip
                    for grid in village.grids:
                        group = [mem for mem in members if mem[8] == grid.group_id]
                        if not group or rng.random() < 0.1:
                            continue
                        gday = month + dt.timedelta(days=rng.randint(0, span))
                        roster = [mem for mem in group if mem[4] <= gday]
                        leader = next((mem[0] for mem in group if mem[7] == Post.GROUP_LEADER), None)
                        meeting(
                            grid.group_id, gday, [MeetingKind.GROUP_MEETING], roster, roster,
                            rng.choice(THEME_TOPICS), f"{village.name}{grid.name}议事点", leader,
                        )  # fmt: skip
            rows = sum(
                t.flush_all()
                for t in (
                    meetings,
                    marks,
                    attendance,
                )
            )
            stage.rows += rows
        self._count("meetings", meetings.written)
        self._count("attendance", attendance.written)
        self._report(stage, town.name, rows, time.monotonic() - t0)

    # -- enterprises

    def _uscc(self) -> str:
        alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        self.uscc_index += 1
        n = self.uscc_index + self.seed * 10007
        chars = []
        for _i in range(7):
            n, r = divmod(n, 31)
            chars.append(alphabet[r])
        body = f"92{self.region}MA" + "".join(reversed(chars))
        return body + uscc.calc_check_digit(body)

    def enterprises(self, rng: random.Random, town: TownInfo) -> None:
        stage = self.stages["enterprises"]
        t0 = time.monotonic()
        with stage:
            enterprises = Table(
                Enterprise,
                ["id", "name", "uscc", "industry", "area", "size", "address", "employees", "founded_on",
                 "contact_name", "contact_phone", "branch", "is_active", "note", "created_at", "updated_at"],
            )  # fmt: skip
            employments = Table(Employment, ["enterprise", "member", "position", "since"])
            taken = set(Enterprise.objects.values_list("uscc", flat=True)) if self.uscc_index == 0 else set()
            for village in town.villages:
                working = [mem for mem in village.members if mem[3].year >= self.today.year - 58]
                rng.shuffle(working)
                for _i in range(rng.randint(*ENTERPRISES_PER_VILLAGE)):
                    industry = rng.choice(list(INDUSTRY_NAMES))
                    code = self._uscc()
                    while code in taken:
                        code = self._uscc()
                    eid = self.ids.take(Enterprise)
                    size = rng.choices([Size.MICRO, Size.SMALL, Size.MEDIUM], weights=[55, 38, 7])[0]
                    employees = {Size.MICRO: (3, 19), Size.SMALL: (20, 99), Size.MEDIUM: (100, 300)}[size]
                    boss = rng.choice(SURNAMES) + rng.choice(MALE_CHARS) + rng.choice(MALE_CHARS)
                    name = f"{town.name[:-1]}{village.name[:-1]}{rng.choice(INDUSTRY_NAMES[industry])}"
                    village.enterprises.append((eid, name))
                    enterprises.add(
                        (eid, name, code,
                         industry, village.id, size, f"{town.name}{village.name}", rng.randint(*employees),
                         dt.date(rng.randint(1998, 2024), rng.randint(1, 12), 1), boss,
                         rng.choice(PHONE_PREFIXES) + f"{rng.randrange(0, 10**8):08d}", None, True, "",
                         self.now, self.now)
                    )  # fmt: skip
                    for _j in range(rng.choice((0, 0, 1, 1, 2, 3))):
                        if not working:
                            break
                        mem = working.pop()
                        employments.add((eid, mem[0], rng.choice(POSITIONS), dt.date(rng.randint(2010, 2024), 3, 1)))
            rows = sum(
                t.flush_all()
                for t in (
                    enterprises,
                    employments,
                )
            )
            stage.rows += rows
        self._count("enterprises", enterprises.written)
        self._count("employments", employments.written)
        self._report(stage, town.name, rows, time.monotonic() - t0)

    def domains(self, town: TownInfo) -> None:
        """The later domains' rows for the town (`county_domains`), read back from what is written."""
        node = AreaNode.objects.get(pk=town.id)
        scope = TownScope(town=node, seed=self.seed, scale=self.scale, now=self.now, today=self.today)
        for key, rows in fill_town(scope, self.stages).items():
            self._count(key, rows)
            self.progress(f"  {town.name} · {self.stages[key].label}:{rows:,}")

    def ledger(self, rng: random.Random, town: TownInfo) -> None:
        """Each village's books (`county_ledger`) with its collective economy (`county_economy`: the
        organisation, members and shares, land, a cooperative, a distribution, returnees), whose
        vouchers are numbered into the books' year; flushed village by village. The economy's own
        rows and its share of the planning are timed as its stage."""
        stage, economy_stage = self.stages["ledger"], self.stages["economy"]
        t0 = time.monotonic()
        if self.ledgers is None:
            self.ledgers = LedgerWriter(self.ids, today=self.today, now=self.now, scale=self.scale)
            self.economy = EconomyWriter(self.ids, today=self.today, now=self.now, scale=self.scale)
        assert self.economy is not None
        self.economy.enterprises = [e for village in town.villages for e in village.enterprises]
        rows = economy_rows = 0
        economy_seconds = 0.0
        with stage:
            for village in town.villages:
                t1 = time.monotonic()
                extra = self.economy.village(
                    random.Random(f"{self.seed}:economy:{village.code}"), village, self.ledgers
                )
                economy_seconds += time.monotonic() - t1
                self.ledgers.village(rng, village.id, village.path, village.name, extra)
                rows += self.ledgers.flush()
                t1 = time.monotonic()
                economy_rows += self.economy.flush()
                economy_seconds += time.monotonic() - t1
            stage.rows += rows
        stage.seconds -= economy_seconds
        economy_stage.seconds += economy_seconds
        economy_stage.rows += economy_rows
        self._report(stage, town.name, rows, time.monotonic() - t0 - economy_seconds)
        self._report(economy_stage, town.name, economy_rows, economy_seconds)


_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


class IdProtector:
    """`identity.id_number_digest` and `identity.encrypt_id_number` for a million numbers: the
    same keys, the same digest and the same Fernet token format (version, time, IV, AES-CBC,
    HMAC-SHA256), without rebuilding the Fernet machinery per call (about 40 % faster)."""

    def __init__(self) -> None:
        digest_key, fernet = field_keys(settings.SECRET_KEY, settings.FIELD_ENCRYPTION_KEY)
        self.digest_key = digest_key
        self.signing = getattr(fernet, "_signing_key", None)
        encryption = getattr(fernet, "_encryption_key", None)
        self.aes = algorithms.AES(encryption) if encryption else None
        self.stamp = struct.pack(">Q", int(time.time()))

    def digest(self, number: str) -> str:
        return hmac.new(self.digest_key, number.encode(), hashlib.sha256).hexdigest()

    def encrypt(self, number: str) -> str:
        if self.aes is None or self.signing is None:
            return encrypt_id_number(number)
        data = number.encode()
        pad = 16 - len(data) % 16
        iv = os.urandom(16)
        encryptor = Cipher(self.aes, modes.CBC(iv)).encryptor()
        body = b"\x80" + self.stamp + iv + encryptor.update(data + bytes([pad]) * pad) + encryptor.finalize()
        return base64.urlsafe_b64encode(body + hmac.new(self.signing, body, hashlib.sha256).digest()).decode()


def _check_char(body: str) -> str:
    """The GB 11643 check character of the first 17 digits."""
    return "10X98765432"[sum(int(c) * w for c, w in zip(body, _WEIGHTS, strict=True)) % 11]


# ---- the whole run ---------------------------------------------------------------------------------------


def generated_towns(county: AreaNode) -> list[AreaNode]:
    return list(
        AreaNode.objects.filter(parent=county, kind=AreaKind.TOWN, name__in=TOWN_NAMES).order_by("sort_order", "id")
    )


def ensure_bench(actor: User, county: AreaNode, say: Say) -> int:
    """The three benchmark accounts and the county's Open311 key, each created only when missing."""
    towns = generated_towns(county)
    village = (
        AreaNode.objects.filter(path__under=towns[0].path, kind=AreaKind.VILLAGE).order_by("path").first()
        if towns
        else None
    )
    grid = (
        AreaNode.objects.filter(parent=village, kind=AreaKind.GRID).order_by("sort_order", "id").first()
        if village
        else None
    )
    specs = (
        ("bench_county", _("县级压测账号"), Role.TOWN_ADMIN, county),
        ("bench_village", _("村级压测账号"), Role.VILLAGE_SECRETARY, village),
        ("bench_grid", _("网格压测账号"), Role.GRID_WORKER, grid),
    )
    created = 0
    for username, display, role, node in specs:
        if node is None or User.objects.filter(username=username).exists():
            continue
        user = account_services.create_user(
            actor=actor, username=username, password=BENCH_PASSWORD, display_name=display, check_password=False
        )
        account_services.assign_role(actor=actor, user=user, role=role, area=node)
        created += 1
    if not Open311Key.objects.filter(digest=open311_key_digest(BENCH_OPEN311_KEY)).exists():
        gov_services.register_open311_key(actor=actor, name=BENCH_OPEN311_CLIENT, area=county, key=BENCH_OPEN311_KEY)
        created += 1
    return created


def generate(*, scale: float, seed: int, say: Say, progress: Say) -> Summary:
    """Generate the county around the demo town (loading it first when missing)."""
    refuse_in_production()
    if scale <= 0:
        raise ValueError("scale")
    town = demo_town()
    if town is None:
        say(_("未找到演示镇“%(town)s”,先载入演示镇……") % {"town": data.TOWN_NAME})
        load(progress)
        town = demo_town()
        assert town is not None
    county = town.parent
    assert county is not None
    actor = loader_actor()
    actor.username = ACTOR_NAME
    if generated_towns(county):
        with transaction.atomic():
            created = ensure_bench(actor, county, say)
            books = add_missing_books(generated_towns(county), scale=scale, seed=seed, now=timezone.localtime())
            domains = add_missing_domains(
                generated_towns(county), scale=scale, seed=seed, now=timezone.localtime(), progress=progress
            )
        return Summary(skipped=True, counts={"bench_created": created, "books_created": books, **domains})
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # index pages of million-row tables stay in memory
            cursor.execute("PRAGMA cache_size = -262144")
    with demo_gov.history_only(), transaction.atomic():
        gen = CountyGenerator(scale=scale, seed=seed, say=say, progress=progress)
        summary = gen.run(county)
        AuditEvent.objects.create(
            actor=None,
            actor_name=ACTOR_NAME,
            action=audit_actions.IMPORT,
            target_type="places.areanode",
            target_id=str(county.pk),
            target_repr=county.name,
            changes={"scale": scale, "seed": seed, **summary.counts},
            note=(
                _("县级规模数据生成:%(towns)s 个镇,%(res)s 名居民,%(matters)s 件事项")
                % {
                    "towns": summary.counts.get("towns", 0),
                    "res": summary.counts.get("residents", 0),
                    "matters": summary.counts.get("matters", 0),
                }  # fmt: skip
            )[:255],
            area_path=county.path,
        )
        refresh_planner_statistics(everything=True)
        t0 = time.monotonic()
        rollups.rebuild_all(progress)
        rollup = Stage(_("汇总重建"))
        rollup.seconds = time.monotonic() - t0
        summary.stages.append(rollup)
        summary.counts["bench_created"] = ensure_bench(actor, county, say)
    summary.seconds += rollup.seconds
    return summary
