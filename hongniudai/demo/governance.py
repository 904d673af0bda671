"""Source-governance demo data: the 张家冲 forest-land dispute settled in the hamlet, a year of
plausible matters across the demo town, and the demo's Open311 api_key.

Every matter goes through `governance.services` (report, accept, visits, invitations,
agreements, escalation, hand-down, resolution, follow-up visits, reopening), so timelines,
deadlines, notifications and audit records are those of the running platform. The services
stamp each step with the present moment; afterwards the loader moves each step back to the day
the plan gives it (events, acceptance, resolution, deadlines, visit dates) with queryset
updates — acceptable for demo history only.

Who acts: the demo accounts where one holds the node (张圣福 in 张家冲, the grid worker of
徐桥村5组, the secretaries of 徐桥村/发水河村/何梅畈村, the town administrator at the town);
elsewhere the town administrator performs the step and the loader then records it in the name
of the hamlet's centre household, the grid's party-group leader or the village secretary (who
have no demo account), without an account (`actor` empty, the name in the note).

The plan comes from a fixed seed; dates are counted back from the day of loading.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.governance import selectors as gov_selectors
from hongniudai.governance import services
from hongniudai.governance.calendar import add_working_days
from hongniudai.governance.models import (
    LEVEL_OF_KIND,
    OPEN_STATUSES,
    Agreement,
    Category,
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
from hongniudai.notifications import selectors as notification_selectors
from hongniudai.party.models import BranchType, CentreHousehold, Member, OrgKind, Post
from hongniudai.places.models import AreaKind, AreaNode, Household, Resident

from . import data

Say = Callable[[str], None]

SEED = data.SEED + 311
OPEN311_KEY = "demo-open311-songhe-2026"
OPEN311_CLIENT = "宋河镇演示客户端"
STORY_TITLE = "李某忠与赵某发山林界址纠纷"
STORY_PARTIES = ("李某忠", "赵某发")

PUBLIC_CATEGORIES = ("safety-hazard", "environment", "straw-burning", "flood-patrol", "request", "other")


# ---- what the town holds ------------------------------------------------------------------


@dataclass(eq=False)
class Hamlet:
    node: AreaNode
    grid: AreaNode
    village: AreaNode
    is_community: bool
    households: int
    adults: list[Resident] = field(default_factory=list)
    phones: dict[int, str] = field(default_factory=dict)


@dataclass
class Town:
    node: AreaNode
    hamlets: list[Hamlet]
    by_name: dict[str, Hamlet]  # "何梅畈村/6组/张家冲"
    categories: dict[str, Category]
    centre_names: dict[int, str]  # hamlet id → centre household's name
    group_leaders: dict[int, str]  # grid id → party-group leader's name
    secretaries: dict[int, str]  # village id → branch secretary's name
    accounts: dict[int, User]  # area id → the demo account that handles matters there
    admin: User
    users: dict[str, User]


def _read_town(town_node: AreaNode) -> Town:
    prefix = town_node.path
    nodes = {n.pk: n for n in AreaNode.objects.filter(path__under=prefix)}
    counts: dict[int, int] = {}
    adults: dict[int, list[Resident]] = {}
    phones: dict[int, dict[int, str]] = {}
    cutoff = data.years_before(data.REFERENCE_DATE, 18)
    residents = (
        Resident.objects.filter(household__hamlet__path__under=prefix)
        .select_related("household")
        .only("id", "name", "birth_date", "phone", "household__id", "household__hamlet_id")
        .order_by("id")
    )
    handlers = set(
        Member.objects.filter(
            Q(post__in=(Post.SECRETARY, Post.GROUP_LEADER)) | Q(centre_households__isnull=False),
            org__area__path__under=prefix,
        ).values_list("resident_id", flat=True)
    )
    for r in residents:
        hamlet_id = r.household.hamlet_id
        if r.birth_date <= cutoff and (r.pk not in handlers or r.name in STORY_PARTIES):
            adults.setdefault(hamlet_id, []).append(r)
            if r.phone:
                phones.setdefault(hamlet_id, {})[r.pk] = r.phone
    for hamlet_id, n in (
        Household.objects.filter(hamlet__path__under=prefix)
        .values("hamlet_id")
        .annotate(n=Count("*"))
        .values_list("hamlet_id", "n")
    ):
        counts[hamlet_id] = n
    hamlets = []
    by_name = {}
    for node in sorted((n for n in nodes.values() if n.kind == AreaKind.HAMLET), key=lambda n: n.path):
        grid = nodes[node.parent_id] if node.parent_id else None
        village = nodes[grid.parent_id] if grid is not None and grid.parent_id else None
        if grid is None or village is None or village.kind != AreaKind.VILLAGE:
            continue
        h = Hamlet(
            node,
            grid,
            village,
            village.is_community,
            counts.get(node.pk, 0),
            adults.get(node.pk, []),
            phones.get(node.pk, {}),
        )
        hamlets.append(h)
        by_name[f"{village.name}/{grid.name}/{node.name}"] = h
    centre_names = dict(
        CentreHousehold.objects.filter(hamlet__path__under=prefix).values_list("hamlet_id", "member__resident__name")
    )
    group_leaders = dict(
        Member.objects.filter(post=Post.GROUP_LEADER, party_group__area__path__under=prefix).values_list(
            "party_group__area_id", "resident__name"
        )
    )
    secretaries = dict(
        Member.objects.filter(
            post=Post.SECRETARY,
            org__kind=OrgKind.BRANCH,
            org__branch_type=BranchType.VILLAGE,
            org__area__path__under=prefix,
        ).values_list("org__area_id", "resident__name")
    )
    users = {u.username: u for u in User.objects.filter(username__in=[a.username for a in data.DEMO_ACCOUNTS])}
    accounts: dict[int, User] = {}
    for spec in data.DEMO_ACCOUNTS:
        user = users.get(spec.username)
        if user is None or spec.username in ("dongpian", "hmf_lawyer"):
            continue
        held = _node_at(nodes, town_node, spec.node)
        if held is not None:
            accounts.setdefault(held.pk, user)
    return Town(
        node=town_node,
        hamlets=hamlets,
        by_name=by_name,
        categories={c.code: c for c in Category.objects.prefetch_related("attributes")},
        centre_names=centre_names,
        group_leaders=group_leaders,
        secretaries=secretaries,
        accounts=accounts,
        admin=users["admin"],
        users=users,
    )


def _node_at(nodes: dict[int, AreaNode], town: AreaNode, names: tuple[str, ...]) -> AreaNode | None:
    node = town
    for name in names[1:]:
        child = next((n for n in nodes.values() if n.parent_id == node.pk and n.name == name), None)
        if child is None:
            return None
        node = child
    return node


# ---- the plan -----------------------------------------------------------------------------


@dataclass
class Step:
    kind: str  # accept, session, invite, agreement, escalate, hand_down, resolve, follow_up, reopen
    at: dt.datetime
    args: dict[str, Any] = field(default_factory=dict)
    actor: User | None = None  # forces the acting account (the 张家冲 story)


@dataclass
class Plan:
    category: str
    hamlet: Hamlet
    reported_at: dt.datetime
    title: str
    description: str
    channel: str
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter: User | None = None
    parties: list[Resident] = field(default_factory=list)
    other_parties: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)
    urgency: str = "normal"
    address: str = ""
    point: tuple[Decimal, Decimal] | None = None
    steps: list[Step] = field(default_factory=list)


# Topics per category: (title, what happened, what settled it).
TOPICS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "dispute-neighbour": (
        ("邻里排水纠纷", "因屋后排水沟改道,雨水漫入对方院落,双方多次争吵", "协商共同出资疏通排水沟,改走原水路"),
        ("通行纠纷", "一方在门前砌墙堵了另一方进出的便道", "砌墙一方后退留出一米通道,双方认可"),
        ("建房滴水纠纷", "新建房屋屋檐滴水落入邻家院内", "加装檐沟,滴水引入自家院内"),
        ("家禽损坏菜地纠纷", "散养鸡鸭多次啄食邻家菜地", "圈养家禽,折价赔偿菜苗损失"),
        ("树木遮挡采光纠纷", "门前大树遮挡邻家采光,枝叶落入屋顶", "修剪树枝,落叶由种树方清扫"),
    ),
    "dispute-land": (
        ("承包地界址纠纷", "双方承包田田埂界址不清,插秧时发生争执", "按二轮承包台账重新确认界址,打桩为界"),
        ("宅基地边界纠纷", "翻建房屋时地基越过原宅基地边界", "对照宅基地使用证现场丈量,越界部分退回"),
        ("土地流转租金纠纷", "流转土地租金拖欠半年未付", "约定分两次付清租金,续签流转合同"),
        ("灌溉用水纠纷", "抗旱期间争抢堰塘用水,发生推搡", "村组排定轮灌时间表,双方按序放水"),
    ),
    "dispute-family": (
        ("赡养老人纠纷", "兄弟几人对老人赡养费分摊有分歧,老人生活无着", "兄弟按月分摊赡养费,轮流照料"),
        ("婚姻家庭矛盾", "夫妻因琐事长期争吵,一方回娘家不归", "双方各自检讨,妻子回家,约定遇事商量"),
        ("分家析产纠纷", "兄弟分家时对老屋和田地分配有争议", "按人口平均分配,老屋归赡养老人一方"),
        ("继承纠纷", "老人去世后子女对房屋继承有争议", "依法律顾问意见按法定继承协商分割"),
    ),
    "dispute-debt": (
        ("民间借贷纠纷", "借款三万元到期未还,双方多次争吵", "约定分期还款计划,出具还款承诺"),
        ("农资货款纠纷", "赊购化肥农药货款拖欠一年", "秋收后一次性结清货款"),
    ),
    "dispute-wages": (
        ("务工人员讨薪", "在外包工头处务工,工资拖欠两个月", "联系包工头,年前结清拖欠工资"),
        ("工程款拖欠引发欠薪", "村内建房工程完工后工钱未结清", "户主与工匠核对工时,当场结清"),
    ),
    "dispute-forest": (
        ("山林界址纠纷", "山林四至不清,一方砍伐界边树木", "对照山林权证现场勘界,埋设界桩"),
        ("林木采伐纠纷", "对方擅自在自家林地砍伐杉树", "折价赔偿砍伐林木,补栽树苗"),
    ),
    "public-security": (
        ("农机具被盗", "夜间停放在田头的抽水机被盗", "派出所立案侦查,夜间巡逻队加强巡查"),
        ("酒后滋事", "村民酒后在小卖部门前吵闹", "民警和网格员劝离,次日赔礼道歉"),
        ("电信诈骗线索", "村民接到冒充客服电话要求转账", "及时劝阻未转账,在群内发布防诈提醒"),
        ("车辆乱停影响通行", "货车长期停放在村道,影响校车通行", "联系车主挪车,划定停车区域"),
    ),
    "safety-hazard": (
        ("老旧土坯房墙体开裂", "独居老人所住土坯房外墙出现裂缝", "动员老人搬至亲属家居住,危房纳入改造"),
        ("电线老化裸露", "村道旁电线老化、绝缘层破损", "联系供电所更换线路"),
        ("村道塌陷", "连日降雨后村道路基塌陷一处", "设置警示标志,交通部门修复路面"),
        ("柴草堆放靠近灶房", "柴草堆紧挨灶房,存在火灾隐患", "帮助户主将柴草移至安全地点"),
        ("堰塘缺少防护栏", "路边堰塘无护栏,学生上学经过", "安装护栏和警示牌"),
    ),
    "environment": (
        ("垃圾池满溢", "湾口垃圾池满溢未及时清运", "联系保洁公司当日清运,增加清运频次"),
        ("生活污水直排沟渠", "几户生活污水直排门前沟渠,气味较大", "引导接入污水收集管网"),
        ("畜禽养殖异味", "养猪户粪污处理不当,周边异味较重", "督促建设沼气池,粪污还田"),
        ("河道漂浮物", "河道内漂浮生活垃圾和水草", "组织保洁员打捞清理"),
    ),
    "straw-burning": (
        ("田间焚烧秸秆", "监控发现田间有烟火,疑似焚烧秸秆", "网格员赶到现场扑灭余火,宣讲禁烧政策"),
        ("秸秆焚烧烟点", "巡查发现田块边缘有焚烧痕迹", "现场处置,督促秸秆还田或离田利用"),
    ),
    "flood-patrol": (
        ("堤坝渗水", "汛期巡查发现堤坝背水坡渗水", "组织抢险队开沟导渗,加密巡查"),
        ("渠道堵塞积水", "排水渠被杂物堵塞,低洼农田积水", "组织人员清淤疏通"),
        ("涵闸启闭检查", "巡查发现涵闸启闭机锈蚀", "水利站维修保养,汛期专人值守"),
        ("低洼户转移", "连续强降雨,低洼处住户存在被淹风险", "提前转移老人儿童至安置点"),
    ),
    "epidemic-control": (
        ("返乡人员健康监测", "外地返乡人员需登记健康监测", "登记信息,提醒自我健康监测"),
        ("发热人员报告", "湾组内一老人连续发热", "陪同到镇卫生院就诊"),
    ),
    "request": (
        ("低保政策咨询", "村民咨询低保申请条件和流程", "讲解政策,协助准备申请材料"),
        ("医保缴费求助", "老人不会用手机缴纳城乡居民医保", "网格员上门代为办理缴费"),
        ("路灯不亮", "湾组主路路灯多日不亮", "联系电工更换灯具"),
        ("自来水管网维修", "入户自来水管爆裂停水", "水厂派人抢修恢复供水"),
        ("独居老人求助", "独居老人行动不便,需要代购药品", "志愿者代购送药,纳入定期探访"),
    ),
    "other": (
        ("对村务公开的疑问", "村民对公示的项目资金有疑问", "村委会当面解释资金使用明细"),
        ("流浪犬扰民", "湾组内流浪犬较多,夜间吠叫", "联系相关部门收容"),
    ),
}
ESCALATE_REASONS = (
    "双方分歧较大,湾组调解未果,请求上级协调",
    "涉及土地确权等事项,需村委会核实",
    "涉及金额较大,需村调委会和法律顾问介入",
    "需要相关部门联合处置",
)
TOWN_REASONS = ("需镇司法所和综治中心协调处理", "涉及多个部门职责,需镇级统筹")
HAND_DOWN_REASONS = ("情况已核实,请湾组继续做双方工作", "请湾组跟进落实调解意见")
FOLLOW_UP_NOTES = {
    5: ("双方关系恢复正常,对调处结果很满意", "问题已解决,群众表示满意"),
    4: ("结果基本保持,群众较满意", "已落实,建议以后处理再快一些"),
    3: ("结果保持,但群众认为处理时间较长",),
    2: ("当事人对处理结果仍有意见",),
    1: ("当事人不认可处理结果",),
}

# Matters of an ordinary month, by category (disputes peak around the Spring Festival and at
# planting, straw burning in June and October, flood patrols from June to August).
MONTHLY: dict[str, float] = {
    "dispute-neighbour": 9,
    "dispute-land": 5,
    "dispute-family": 5,
    "dispute-debt": 3,
    "dispute-wages": 2,
    "dispute-forest": 2,
    "public-security": 4,
    "safety-hazard": 6,
    "environment": 6,
    "request": 8,
    "epidemic-control": 0.6,
    "other": 2,
}
VOLUME = 0.75  # scales the ordinary months (about 650 matters a year in all)
SEASONAL: dict[str, dict[int, float]] = {
    "dispute-family": {1: 2.0, 2: 2.0},
    "dispute-debt": {1: 2.5, 2: 2.0, 12: 2.0},
    "dispute-wages": {1: 3.0, 12: 2.5, 2: 1.5},
    "dispute-land": {3: 1.8, 4: 1.8, 5: 1.4},
    "safety-hazard": {6: 1.5, 7: 1.5, 12: 1.3},
    "epidemic-control": {1: 3.0, 2: 3.0, 12: 2.0},
}
# Seasonal matters of a whole month: the counts are laid out as they stand (not drawn), so that the
# season's shape holds whatever the random stream and whichever day the demo is loaded on.
STRAW_MONTHS = {6: 30, 10: 28, 5: 3, 11: 2}
FLOOD_MONTHS = {6: 22, 7: 28, 8: 18, 5: 2, 9: 2}
SEASONS: dict[str, dict[int, int]] = {"straw-burning": STRAW_MONTHS, "flood-patrol": FLOOD_MONTHS}


def history_days(today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the year of matters laid out before `today`."""
    return today - dt.timedelta(days=365), today


def season_stretches(code: str, today: dt.date) -> list[tuple[dt.date, int, int]]:
    """The seasonal matters of `code` in the year before `today`: for each stretch of a month in
    it (the first and the last month may be cut short), (its first day, its length in days, how
    many matters), the month's count from `SEASONS` in proportion to the days covered. Today is
    left out, so that none of them is later than the moment of loading."""
    table = SEASONS[code]
    first, last = history_days(today)
    last -= dt.timedelta(days=1)
    out: list[tuple[dt.date, int, int]] = []
    day = first
    while day <= last:
        month_end = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        end = min(month_end, last)
        length = (end - day).days + 1
        count = round(table.get(day.month, 0) * length / month_end.day)
        if count:
            out.append((day, length, count))
        day = end + dt.timedelta(days=1)
    return out


def season_counts(code: str, today: dt.date) -> dict[int, int]:
    """How many matters of `code` the demo loaded on `today` holds in each month (by number)."""
    counts: dict[int, int] = {}
    for first, _length, count in season_stretches(code, today):
        counts[first.month] = counts.get(first.month, 0) + count
    return counts


CHANNELS: dict[str, tuple[tuple[str, int], ...]] = {
    "dispute": (("centre_household", 40), ("walk_in", 30), ("phone", 20), ("grid_patrol", 10)),
    "public-security": (("phone", 40), ("grid_patrol", 30), ("camera", 20), ("walk_in", 10)),
    "safety-hazard": (("grid_patrol", 45), ("centre_household", 25), ("phone", 12), ("open311", 10), ("web", 8)),
    "environment": (("grid_patrol", 30), ("camera", 20), ("open311", 15), ("phone", 15), ("web", 12), ("api", 8)),
    "straw-burning": (("camera", 45), ("grid_patrol", 40), ("centre_household", 15)),
    "flood-patrol": (("grid_patrol", 60), ("centre_household", 30), ("phone", 10)),
    "epidemic-control": (("centre_household", 60), ("grid_patrol", 40)),
    "request": (
        ("walk_in", 28),
        ("phone", 22),
        ("web", 14),
        ("open311", 14),
        ("api", 10),
        ("centre_household", 12),
    ),
    "other": (("phone", 50), ("walk_in", 50)),
}
# Where a settled matter was settled: hamlet, grid, village, town.
LADDER_WEIGHTS: dict[str, tuple[int, int, int, int]] = {
    "dispute": (66, 14, 14, 6),
    "dispute-wages": (30, 15, 30, 25),
    "public-security": (45, 25, 15, 15),
    "safety-hazard": (60, 22, 12, 6),
    "environment": (70, 18, 9, 3),
    "straw-burning": (85, 13, 2, 0),
    "flood-patrol": (70, 20, 8, 2),
    "epidemic-control": (80, 15, 5, 0),
    "request": (72, 14, 10, 4),
    "other": (65, 15, 15, 5),
}


def pick(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _w in table], weights=[w for _k, w in table])[0]


def _at(day: dt.date, hour: float) -> dt.datetime:
    h = max(7.5, min(21.5, hour))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(int(h), int((h % 1) * 60))))


class Planner:
    """Draws the year of matters before `now` (deterministic for a given day of loading)."""

    def __init__(self, town: Town, now: dt.datetime) -> None:
        self.town = town
        self.now = now
        self.today = timezone.localtime(now).date()
        self.rng = random.Random(SEED)
        self.rural = [h for h in town.hamlets if not h.is_community and h.households]
        self.all = [h for h in town.hamlets if h.households]
        self.feuds: list[tuple[Hamlet, Resident, Resident, str]] = []

    # -- people

    def _hamlet(self, code: str) -> Hamlet:
        pool = self.rural if code in ("straw-burning", "flood-patrol", "dispute-forest", "dispute-land") else self.all
        return self.rng.choices(pool, weights=[h.households for h in pool])[0]

    def _pair(self, h: Hamlet) -> list[Resident]:
        if len(h.adults) < 2:
            return list(h.adults)
        a, b = self.rng.sample(h.adults, 2)
        # Two people of one household are a family matter; otherwise neighbours.
        return [a, b]

    def _reporter(self, plan: Plan) -> None:
        h, rng = plan.hamlet, self.rng
        channel = plan.channel
        if channel == "centre_household":
            plan.reporter_name = self.town.centre_names.get(h.node.pk, "")
            if h.node.pk in self.town.accounts and self.town.accounts[h.node.pk].username == "zhangshengfu":
                plan.reporter = self.town.accounts[h.node.pk]
        elif channel == "grid_patrol":
            plan.reporter_name = self.town.group_leaders.get(h.grid.pk, "") or _("网格员")
            plan.point = _point(h.node)
        elif channel == "camera":
            plan.reporter_name = _("视频监控点")
            plan.address = _("%(grid)s路口视频监控点") % {"grid": f"{h.village.name}{h.grid.name}"}
            plan.point = _point(h.node)
        else:
            person = plan.parties[0] if plan.parties else (rng.choice(h.adults) if h.adults else None)
            if person is not None:
                plan.reporter_name = person.name
                plan.reporter_phone = h.phones.get(person.pk, "") if channel in ("phone", "walk_in", "web") else ""
            if channel in ("open311", "api", "web"):
                plan.point = _point(h.node)

    # -- one matter

    def matter(self, code: str, day: dt.date, hamlet: Hamlet | None = None) -> Plan:
        rng = self.rng
        category = self.town.categories[code]
        title, what, settled = rng.choice(TOPICS[code])
        h = hamlet or self._hamlet(code)
        parties: list[Resident] = []
        other = ""
        if category.is_dispute:
            feud = None
            if self.feuds and rng.random() < 0.12:
                feud = rng.choice(self.feuds)
            if feud is not None and hamlet is None:
                h, a, b, _kind = feud
                parties = [a, b]
            else:
                parties = self._pair(h)
                if code == "dispute-wages" and parties:
                    parties = parties[:1]
                    other = rng.choice(("外地包工头某某", "某建筑劳务公司", "某装修队负责人"))
                if len(parties) == 2 and rng.random() < 0.08:
                    self.feuds.append((h, parties[0], parties[1], code))
        names = "与".join(p.name for p in parties) or other
        description = (
            f"{h.village.name}{h.grid.name}{h.node.name}" + (f"{names}" if category.is_dispute else "") + what + "。"
        )
        if category.is_dispute and other and parties:
            description = f"{h.village.name}{h.grid.name}{h.node.name}村民{parties[0].name}反映{other}{what}。"
        hour = rng.uniform(8, 19) if code != "straw-burning" else rng.uniform(11, 20)
        reported_at = _at(day, hour)
        kind_key = "dispute" if category.is_dispute else code
        plan = Plan(
            category=code,
            hamlet=h,
            reported_at=reported_at,
            title=(f"{parties[0].name}与{parties[1].name}{title}" if len(parties) == 2 else title)[:100],
            description=description,
            channel=pick(rng, CHANNELS[kind_key]),
            parties=parties,
            other_parties=other,
            urgency="urgent" if code in ("straw-burning", "flood-patrol") else "normal",
        )
        if plan.channel == "open311" and code not in PUBLIC_CATEGORIES:
            plan.channel = "phone"
        plan.attributes = self._attributes(code)
        self._reporter(plan)
        self._ladder(plan, kind_key, settled)
        return plan

    def _attributes(self, code: str) -> dict[str, Any]:
        rng = self.rng
        if code == "safety-hazard":
            return {"hazard_type": rng.choice(("building", "electric", "road", "fire", "water", "other"))}
        if code == "straw-burning":
            return {"burning_now": rng.choice(("yes", "yes", "no")), "area_mu": str(rng.choice((0.5, 1, 2, 3)))}
        if code == "flood-patrol":
            return {"water_level": rng.choice(("渗水点一处", "积水约30厘米", "水位接近警戒线", "渠道水位正常偏高"))}
        if code in ("dispute-forest", "dispute-land") and rng.random() < 0.6:
            return {"area_mu": str(rng.choice((0.3, 0.5, 1, 1.5, 2, 4)))}
        return {}

    def _ladder(self, plan: Plan, kind_key: str, settled: str) -> None:
        """The steps of a matter up to its settlement and follow-up visit."""
        rng = self.rng
        category = self.town.categories[plan.category]
        quick = plan.category in ("straw-burning", "flood-patrol", "epidemic-control")
        weights = LADDER_WEIGHTS.get(plan.category, LADDER_WEIGHTS.get(kind_key, (70, 15, 10, 5)))
        final = rng.choices(list(Level.values), weights=weights)[0]
        t = plan.reported_at
        steps = plan.steps

        def later(hours_lo: float, hours_hi: float) -> dt.datetime:
            nonlocal t
            t = t + dt.timedelta(hours=rng.uniform(hours_lo, hours_hi))
            if t.astimezone(timezone.get_current_timezone()).hour >= 21:
                t = t + dt.timedelta(hours=11)
            return t

        def visit(where: str, present: bool = False, agreed: str = "") -> None:
            people = self._participants(plan, where, present)
            steps.append(
                Step(
                    "session",
                    later(6, 60) if not quick else later(0.5, 4),
                    {
                        "place": self._session_place(plan, where),
                        "participants": people,
                        "summary": self._summary(plan, where),
                        "agreed": agreed,
                        "legal_adviser_present": present,
                    },
                )
            )

        levels = list(Level.values)
        hand_down = category.is_dispute and final == Level.HAMLET and rng.random() < 0.04
        top = Level.VILLAGE if hand_down else final
        for level in levels[: levels.index(top) + 1]:
            settles_here = level == top and not hand_down
            on_the_spot = settles_here and not category.is_dispute and level == Level.HAMLET and rng.random() < 0.5
            if not on_the_spot:  # handled on the spot: resolved at once, without a separate acceptance
                steps.append(Step("accept", later(0.3, 20) if not quick else later(0.1, 1.5)))
            if category.is_dispute:
                n = rng.choice((1, 1, 1, 2, 2, 3)) if settles_here else 1
                for i in range(n):
                    present = level in (Level.VILLAGE, Level.TOWN) and rng.random() < 0.6
                    visit(level, present, settled if settles_here and i == n - 1 else "")
            elif not quick and rng.random() < 0.2:
                visit(level)
            if not settles_here and level != top:
                reason = rng.choice(TOWN_REASONS if level == Level.VILLAGE else ESCALATE_REASONS)
                steps.append(Step("escalate", later(4, 70), {"reason": reason}))
        if hand_down:
            steps.append(Step("hand_down", later(4, 48), {"reason": rng.choice(HAND_DOWN_REASONS)}))
            steps.append(Step("accept", later(1, 20)))
            visit(Level.HAMLET, False, settled)
        self._settle(plan, final if not hand_down else Level.HAMLET, settled, later)

    def _settle(self, plan: Plan, level: str, settled: str, later: Callable[[float, float], dt.datetime]) -> None:
        rng = self.rng
        category = self.town.categories[plan.category]
        steps = plan.steps
        if category.is_dispute:
            outcome = rng.choices(
                [Outcome.RECONCILED, Outcome.AGREEMENT, Outcome.WITHDRAWN, Outcome.NOT_UPHELD, Outcome.REFERRED_COURT],
                weights=[48, 34, 6, 4, 8 if level in (Level.VILLAGE, Level.TOWN) else 0],
            )[0]
        else:
            outcome = rng.choices([Outcome.HANDLED, Outcome.REFERRED_OTHER, Outcome.NOT_UPHELD], weights=[86, 10, 4])[0]
        if outcome == Outcome.AGREEMENT:
            at = later(0.5, 6)
            steps.append(Step("agreement", at, self._agreement(plan, level, settled, at)))
        resolution = {
            Outcome.REFERRED_COURT: "经多次调解双方仍未达成一致,告知诉讼途径,引导依法起诉。",
            Outcome.REFERRED_OTHER: "已移交相关职能部门处理,跟踪办理结果。",
            Outcome.NOT_UPHELD: "经核实,反映情况与事实不符,已向反映人说明。",
            Outcome.WITHDRAWN: "当事人自行协商解决,申请撤回。",
        }.get(outcome, settled + "。")
        steps.append(
            Step(
                "resolve",
                later(0.5, 30) if outcome != Outcome.AGREEMENT else later(0.2, 2),
                {"outcome": outcome, "resolution": resolution, "public_notes": Outcome(outcome).label},
            )
        )
        if rng.random() < 0.88:
            sat = rng.choices([5, 4, 3, 2, 1], weights=[60, 28, 8, 3, 1])[0]
            held = sat >= 3 or rng.random() < 0.5
            at = later(24 * 3, 24 * 20)
            steps.append(
                Step("follow_up", at, {"held": held, "satisfaction": sat, "note": rng.choice(FOLLOW_UP_NOTES[sat])})
            )
            if not held:
                steps.append(Step("reopen", later(2, 30), {"reason": "回访发现问题反复,当事人要求重新处理"}))
                steps.append(Step("accept", later(1, 10)))
                steps.append(
                    Step(
                        "resolve",
                        later(24, 24 * 6),
                        {
                            "outcome": Outcome.RECONCILED if category.is_dispute else Outcome.HANDLED,
                            "resolution": "再次上门做工作,问题得到解决。",
                            "public_notes": _("已重新办理"),
                        },
                    )
                )
                steps.append(
                    Step(
                        "follow_up",
                        later(24 * 5, 24 * 15),
                        {"held": True, "satisfaction": rng.choice((4, 5)), "note": "结果保持,群众满意"},
                    )
                )

    def _participants(self, plan: Plan, level: str, present: bool) -> str:
        h = plan.hamlet
        people = [self._handler_name(h, level)]
        if present:
            people.append(_("村法律顾问"))
        if level in (Level.VILLAGE, Level.TOWN):
            people.append(_("村调委会委员"))
        people += [p.name for p in plan.parties]
        if plan.other_parties:
            people.append(plan.other_parties)
        return "、".join(p for p in people if p)

    def _handler_name(self, h: Hamlet, level: str) -> str:
        t = self.town
        if level == Level.HAMLET:
            return t.centre_names.get(h.node.pk, "")
        if level == Level.GRID:
            return t.group_leaders.get(h.grid.pk, "")
        if level == Level.VILLAGE:
            return t.secretaries.get(h.village.pk, "")
        return _("镇综治中心")

    def _session_place(self, plan: Plan, level: str) -> str:
        h = plan.hamlet
        if level == Level.HAMLET:
            return (f"{h.node.name}{plan.parties[0].name}家" if plan.parties else f"{h.node.name}现场")[:100]
        if level == Level.GRID:
            return f"{h.village.name}{h.grid.name}议事点"
        if level == Level.VILLAGE:
            return f"{h.village.name}党群服务中心调解室"
        return "宋河镇综治中心调解室"

    def _summary(self, plan: Plan, level: str) -> str:
        category = self.town.categories[plan.category]
        if category.is_dispute:
            return self.rng.choice(
                (
                    "分别听取双方陈述,讲政策、讲情理,劝双方各退一步",
                    "上门走访,摸清争议由来,稳定双方情绪",
                    "组织双方面对面协商,对照有关规定逐条沟通",
                    "请双方亲友和湾组老党员一起做工作",
                )
            )
        return self.rng.choice(("到现场查看核实情况", "现场处置并拍照留存", "联系有关单位到场处理"))

    def _agreement(self, plan: Plan, level: str, settled: str, at: dt.datetime) -> dict[str, Any]:
        h = plan.hamlet
        parties = "、".join(p.name for p in plan.parties) or plan.other_parties
        return {
            "parties": f"{parties}(均为{h.village.name}{h.grid.name}{h.node.name}村民)",
            "facts": plan.description,
            "terms": f"一、{settled}。二、双方今后如有争议,先找湾组党员中心户协商,不得激化矛盾。"
            "三、本协议一式三份,双方各执一份,村调委会存档一份,自双方签字之日起生效。",
            "mediators": "、".join(x for x in (self._handler_name(h, level), _("村调委会")) if x),
            "signed_on": timezone.localtime(at).date(),
            "signatures_noted": True,
        }

    # -- the year

    def year(self) -> list[Plan]:
        plans: list[Plan] = []
        start, end = history_days(self.today)
        day = start
        while day <= end:
            month = day.month
            days_in_month = 30.4
            for code, per_month in MONTHLY.items():
                rate = VOLUME * per_month * SEASONAL.get(code, {}).get(month, 1.0) / days_in_month
                for _i in range(self._poisson(rate)):
                    plans.append(self.matter(code, day))
            day += dt.timedelta(days=1)
        for code in SEASONS:
            for first, length, count in season_stretches(code, self.today):
                for _i in range(count):
                    plans.append(self.matter(code, first + dt.timedelta(days=self.rng.randrange(length))))
        return plans

    def _poisson(self, rate: float) -> int:
        # Knuth's method; rates are small.
        limit, k, p = math.exp(-rate), 0, 1.0
        while True:
            p *= self.rng.random()
            if p <= limit:
                return k
            k += 1

    def stalled(self) -> list[Plan]:
        """Open matters: fresh ones, some in hand, some on the last day of their limit (yellow on
        a working day) and a few past it (red), also in the demo accounts' inboxes."""
        out: list[Plan] = []
        # (place, category, days ago reported or ("due today", working days), levels climbed, accepted?)
        specs: list[tuple[str | None, str, int | tuple[str, int], int, bool]] = [
            ("何梅畈村/6组/张家冲", "environment", ("due", 1), 0, False),
            ("徐桥村/5组/黄家湾", "safety-hazard", 3, 1, False),
            (None, "request", 1, 0, False),
            (None, "other", 0, 0, False),
            (None, "dispute-family", 3, 0, True),
            (None, "dispute-neighbour", 2, 0, True),
            (None, "request", ("due", 5), 0, True),
            ("何梅畈村/2组/何家畈", "dispute-land", 35, 2, True),
            ("发水河村/1组/施家湾", "dispute-neighbour", 12, 0, True),
            ("徐桥村/5组/桂花湾", "environment", 14, 1, True),
            (None, "dispute-debt", 40, 2, True),
            (None, "safety-hazard", 14, 1, True),
            (None, "dispute-wages", 50, 3, True),
            (None, "request", 10, 0, True),
        ]
        for place, code, when, climb, accepted in specs:
            hamlet = self.town.by_name.get(place) if place else None
            day = self._due_today(when[1]) if isinstance(when, tuple) else self.today - dt.timedelta(days=when)
            plan = self.matter(code, day, hamlet)
            if isinstance(when, tuple):
                plan.reported_at = _at(day, 10)
            if plan.reported_at > self.now - dt.timedelta(hours=3):
                plan.reported_at = self.now - dt.timedelta(hours=3)
            # Climbing happens early; the matter then waits where it is.
            steps: list[Step] = []
            t = plan.reported_at
            for i in range(climb):
                t += dt.timedelta(hours=self.rng.uniform(2, 8))
                steps.append(Step("accept", t))
                t += dt.timedelta(hours=self.rng.uniform(10, 24))
                reasons = ESCALATE_REASONS if i < 2 else TOWN_REASONS
                steps.append(Step("escalate", t, {"reason": self.rng.choice(reasons)}))
            if accepted:
                t += dt.timedelta(minutes=self.rng.uniform(20, 90))
                steps.append(Step("accept", t))
            else:
                # Nobody has accepted it yet because it is fresh: it arrived where it waits within
                # its limit (one working day) whatever weekday or holiday today is.
                shift = self._within_a_working_day(t)
                plan.reported_at += shift
                for step in steps:
                    step.at += shift
            plan.steps = [s for s in steps if s.at < self.now - dt.timedelta(minutes=10)]
            out.append(plan)
        return out

    def _within_a_working_day(self, arrival: dt.datetime) -> dt.timedelta:
        """How much later a matter arriving at `arrival` must arrive for its limit of one working
        day to end today or later (whole days, at most up to a few hours ago)."""
        shift = dt.timedelta(0)
        while add_working_days(arrival + shift, 1) < self.now and arrival + shift < self.now - dt.timedelta(
            days=1, hours=1
        ):
            shift += dt.timedelta(days=1)
        return shift

    def _due_today(self, days: int) -> dt.date:
        """A day of arrival whose limit of `days` working days ends today (when today is one)."""
        for back in range(1, 15):
            day = self.today - dt.timedelta(days=back)
            if timezone.localtime(add_working_days(_at(day, 10), days)).date() == self.today:
                return day
        return self.today - dt.timedelta(days=1)


def _point(node: AreaNode) -> tuple[Decimal, Decimal] | None:
    geometry = node.geometry or {}
    if geometry.get("type") != "Point":
        return None
    lon, lat = geometry["coordinates"]
    return Decimal(str(round(lon, 6))), Decimal(str(round(lat, 6)))


# ---- the 张家冲 story ------------------------------------------------------------------------


def story(town: Town, now: dt.datetime) -> Plan | None:
    """李某忠 and 赵某发's forest-land dispute, settled inside the hamlet by 张圣福 with the
    village legal adviser (the article's case)."""
    h = town.by_name.get("何梅畈村/6组/张家冲")
    zsf, lawyer = town.users.get("zhangshengfu"), town.users.get("hmf_lawyer")
    if h is None or zsf is None or lawyer is None:
        return None
    people = {r.name: r for r in h.adults}
    li, zhao = people.get("李某忠"), people.get("赵某发")
    if li is None or zhao is None:
        return None
    day0 = timezone.localtime(now).date() - dt.timedelta(days=150)
    at = lambda d, hour: _at(day0 + dt.timedelta(days=d), hour)  # noqa: E731
    plan = Plan(
        category="dispute-forest",
        hamlet=h,
        reported_at=at(0, 9.5),
        title=STORY_TITLE,
        description=(
            "何梅畈村6组张家冲村民李某忠与赵某发两家山林相邻,因屋后山林界址不清多年不和,近日赵某发砍伐界边杉树,"
            "两人发生争吵并动手推搡。党员中心户张圣福赶到劝开,随即上报。"
        ),
        channel="centre_household",
        reporter=zsf,
        reporter_name="张圣福",
        parties=[li, zhao],
        attributes={"area_mu": "6"},
        urgency="urgent",
        address="张家冲后山",
    )
    terms = (
        "一、双方山林界址以1982年林业“三定”时颁发的山林权证所载四至为准,经现场勘定埋设水泥界桩三处,"
        "双方共同维护,任何一方不得擅自移动。\n"
        "二、赵某发砍伐的界内杉树两棵,折价人民币陆佰元,于本协议签订之日起十日内一次性付给李某忠。\n"
        "三、双方今后如有争议,先找湾组党员中心户协商解决,不得动手。\n"
        "四、本协议一式三份,双方各执一份,村人民调解委员会存档一份,自双方签字之日起生效。"
    )
    plan.steps = [
        Step("accept", at(0, 10), {}, zsf),
        Step(
            "session",
            at(0, 15),
            {
                "place": "张家冲李某忠家、赵某发家",
                "participants": "张圣福、李某忠、赵某发",
                "summary": "分别上门了解情况,劝双方冷静,界边林木暂不动,等候调解。",
                "agreed": "双方同意暂停砍伐,等候调解",
                "legal_adviser_present": False,
            },
            zsf,
        ),
        Step("invite", at(2, 9), {"note": "请村法律顾问参与调解"}, zsf),
        Step(
            "session",
            at(5, 14.5),
            {
                "place": "张家冲湾组议事点",
                "participants": "张圣福、村法律顾问刘明远、6组党小组长、李某忠、赵某发",
                "summary": "法律顾问对照山林权证和森林法有关规定讲解权属;双方到场指认界址;张圣福讲两家多年邻里情分,"
                "双方情绪缓和。",
                "agreed": "双方同意以山林权证所载四至为准,请村里派人现场勘界",
                "legal_adviser_present": True,
            },
            lawyer,
        ),
        Step(
            "session",
            at(9, 9),
            {
                "place": "张家冲后山争议林地",
                "participants": "张圣福、何梅畈村村委会干部、李某忠、赵某发",
                "summary": "会同村干部现场勘界,按山林权证四至埋设界桩三处;赵某发已砍伐的两棵杉树折价赔偿。",
                "agreed": "双方同意签订调解协议",
                "legal_adviser_present": False,
            },
            zsf,
        ),
        Step(
            "agreement",
            at(9, 16),
            {
                "parties": "李某忠(何梅畈村6组张家冲村民)、赵某发(何梅畈村6组张家冲村民)",
                "facts": "双方山林相邻,因界址不清多年不和,赵某发砍伐界边杉树两棵,双方发生争吵和推搡。",
                "terms": terms,
                "mediators": "张圣福(党员中心户)、刘明远(村法律顾问)",
                "signed_on": day0 + dt.timedelta(days=9),
                "signatures_noted": True,
            },
            zsf,
        ),
        Step(
            "resolve",
            at(9, 17),
            {
                "outcome": Outcome.AGREEMENT,
                "resolution": "经三次走访调处,双方在湾组内达成调解协议,握手言和,矛盾化解在湾组。",
                "public_notes": "已调解结案",
            },
            zsf,
        ),
        Step(
            "follow_up",
            at(40, 10),
            {"held": True, "satisfaction": 5, "note": "回访两户:界桩完好,赔偿款已付清,两家恢复往来。"},
            zsf,
        ),
    ]
    return plan


# ---- writing --------------------------------------------------------------------------------


@dataclass
class GovernanceResult:
    matters: int = 0
    seconds: float = 0.0
    open: int = 0
    overdue: int = 0


Trail = list[tuple[dt.datetime, "User | None", str]]


class Writer:
    """Writes plans through the services, then moves every step back to its day."""

    def __init__(self, town: Town, now: dt.datetime) -> None:
        self.town = town
        self.now = now
        self.trails: dict[int, Trail] = {}
        self.matter_rows: list[tuple[Any, ...]] = []
        self.session_rows: list[tuple[Any, ...]] = []
        self.agreement_rows: list[tuple[Any, ...]] = []
        self.follow_up_rows: list[tuple[Any, ...]] = []
        self.settled: list[int] = []
        self._due_cache: dict[tuple[dt.date, int], dt.datetime] = {}
        self._rules: dict[tuple[int, str], tuple[int, int]] = {}
        self.lawyer = town.users.get("hmf_lawyer")

    def _account(self, area: AreaNode) -> User | None:
        return self.town.accounts.get(area.pk)

    def _label(self, area: AreaNode) -> str:
        t = self.town
        if area.kind == AreaKind.HAMLET:
            name = t.centre_names.get(area.pk, "")
            return _("党员中心户%(n)s") % {"n": name} if name else _("湾组")
        if area.kind == AreaKind.GRID:
            name = t.group_leaders.get(area.pk, "")
            return _("%(g)s党小组长%(n)s") % {"g": area.name, "n": name} if name else area.name
        if area.kind == AreaKind.VILLAGE:
            name = t.secretaries.get(area.pk, "")
            return _("村党支部书记%(n)s") % {"n": name} if name else area.name
        return _("镇综治中心")

    def _due(self, start: dt.datetime, days: int) -> dt.datetime:
        key = (timezone.localtime(start).date(), days)
        if key not in self._due_cache:
            self._due_cache[key] = add_working_days(start, days)
        return self._due_cache[key]

    def _rule(self, category: Category, level: str) -> tuple[int, int]:
        key = (category.pk, level)
        if key not in self._rules:
            accept_days, settle_days, _u, _s = gov_selectors.rule_for(category, level)
            self._rules[key] = (accept_days, settle_days)
        return self._rules[key]

    def write(self, plan: Plan) -> Matter:
        town, h = self.town, plan.hamlet
        category = town.categories[plan.category]
        lon, lat = plan.point if plan.point else (None, None)
        matter = services.report_matter(
            actor=plan.reporter,
            category=category,
            title=plan.title,
            description=plan.description,
            channel=plan.channel,
            place=h.node,
            lon=lon,
            lat=lat,
            address=plan.address,
            urgency=plan.urgency,
            reporter_name=plan.reporter_name,
            reporter_phone=plan.reporter_phone,
            parties=plan.parties,
            other_parties=plan.other_parties,
            attributes=plan.attributes,
            within=town.node if plan.reporter is None else None,
            reported_at=plan.reported_at,
        )
        area: AreaNode = matter.area
        # (time, the account that acted or None, the name for a step without an account)
        trail: Trail = [(plan.reported_at, plan.reporter, plan.reporter_name if plan.reporter is None else "")]
        level_since, accepted_at, resolved_at = plan.reported_at, None, None
        handler: User | None = None
        status = MatterStatus.NEW
        for step in plan.steps:
            account = step.actor or self._account(area)
            actor = account or town.admin
            label = "" if account is not None else self._label(area)
            args = step.args
            if step.kind == "accept":
                services.accept(actor=actor, matter=matter)
                accepted_at, handler, status = step.at, account, MatterStatus.ACCEPTED
            elif step.kind == "session":
                session = services.record_session(
                    actor=actor, matter=matter, held_on=timezone.localtime(step.at).date(), **args
                )
                self.session_rows.append((session.pk, step.at))
                if status == MatterStatus.NEW:
                    accepted_at, handler, status = step.at, account, MatterStatus.ACCEPTED
            elif step.kind == "invite":
                assert self.lawyer is not None
                services.invite(actor=actor, matter=matter, user=self.lawyer, note=args.get("note", ""))
            elif step.kind == "agreement":
                agreement = services.sign_agreement(actor=actor, matter=matter, **args)
                self.agreement_rows.append((agreement.pk, step.at))
            elif step.kind in ("escalate", "hand_down"):
                if step.kind == "escalate":
                    matter = services.escalate(actor=actor, matter=matter, reason=args["reason"])
                else:
                    matter = services.hand_down(actor=actor, matter=matter, to=h.node, reason=args["reason"])
                area, level_since, accepted_at, handler, status = matter.area, step.at, None, None, MatterStatus.NEW
            elif step.kind == "resolve":
                services.resolve(actor=actor, matter=matter, **args)
                resolved_at, status = step.at, MatterStatus.RESOLVED
                if accepted_at is None:
                    accepted_at, handler = step.at, account
            elif step.kind == "follow_up":
                # The service checks the visit against the resolution it stamped with the wall
                # clock; the visit is moved back to its planned day with the other steps.
                visit = services.follow_up(actor=actor, matter=matter, visited_on=timezone.localdate(), **args)
                self.follow_up_rows.append(
                    (visit.pk, timezone.localtime(step.at).date(), account.pk if account is not None else None)
                )
                if args["held"]:
                    status = MatterStatus.CLOSED
            elif step.kind == "reopen":
                services.reopen(actor=actor, matter=matter, reason=args["reason"])
                level_since, accepted_at, resolved_at = step.at, None, None
                handler, status = None, MatterStatus.NEW
            else:  # pragma: no cover - a typo in a plan
                raise ValueError(step.kind)
            trail.append((step.at, account, label))
        self.trails[matter.pk] = trail
        accept_days, settle_days = self._rule(category, LEVEL_OF_KIND[area.kind])
        self.matter_rows.append(
            (
                matter.pk,
                level_since,
                self._due(level_since, accept_days),
                self._due(level_since, settle_days),
                accepted_at if status != MatterStatus.NEW else None,
                resolved_at if status in (MatterStatus.RESOLVED, MatterStatus.CLOSED) else None,
                handler.pk if handler is not None and status != MatterStatus.NEW else None,
            )
        )
        if status in (MatterStatus.RESOLVED, MatterStatus.CLOSED):
            self.settled.append(matter.pk)
        return matter

    def flush(self) -> None:
        """Move every step back to its day: one UPDATE statement per table, many rows each."""
        event_rows: list[tuple[Any, ...]] = []
        ids = list(self.trails)
        events = (
            MatterEvent.objects.filter(matter_id__in=ids)
            .order_by("matter_id", "id")
            .values_list("id", "matter_id", "kind", "note")
        )
        by_matter: dict[int, list[tuple[int, str, str]]] = {}
        for pk, matter_id, kind, note in events:
            by_matter.setdefault(matter_id, []).append((pk, kind, note))
        for matter_id, trail in self.trails.items():
            rows = by_matter.get(matter_id, [])
            assert len(rows) == len(trail), (matter_id, [k for _p, k, _n in rows], len(trail))
            for (pk, kind, note), (at, account, label) in zip(rows, trail, strict=True):
                if account is not None:
                    event_rows.append((pk, at, account.pk, note))
                elif kind == EventKind.REPORT:
                    event_rows.append((pk, at, None, f"{label}{note}"))
                else:
                    event_rows.append((pk, at, None, f"{label}:{note}" if note else label))
        _update_rows(MatterEvent, ["at", "actor", "note"], event_rows)
        _update_rows(
            Matter,
            ["level_since", "accept_due_at", "settle_due_at", "accepted_at", "resolved_at", "handler"],
            self.matter_rows,
        )
        _update_rows(MediationSession, ["created_at"], self.session_rows)
        _update_rows(Agreement, ["created_at"], self.agreement_rows)
        _update_rows(FollowUp, ["visited_on", "visited_by"], self.follow_up_rows)
        reported = Matter.objects.filter(pk=OuterRef("target_id")).values("reported_at")[:1]
        notification_selectors.about(Matter, ids).update(created_at=Subquery(reported))
        notification_selectors.about(Matter, self.settled).filter(read_at__isnull=True).update(read_at=self.now)


def _update_rows(model: type[models.Model], names: list[str], rows: list[tuple[Any, ...]]) -> None:
    """`UPDATE table SET a = %s, b = %s WHERE id = %s` for many rows at once (each row: the
    primary key, then the values of `names`). The same as a queryset `.update()` per row, in
    one statement: the demo history has thousands of rows."""
    if not rows:
        return
    fields: list[Any] = [model._meta.get_field(name) for name in names]
    columns = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
    sql = f"UPDATE {connection.ops.quote_name(model._meta.db_table)} SET {columns} WHERE id = %s"
    params = [
        [f.get_db_prep_value(v, connection) for f, v in zip(fields, row[1:], strict=True)] + [row[0]] for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


@contextmanager
def history_only() -> Iterator[None]:
    """The demo's notifications are history: they land in the in-app inboxes, but no outside
    sender (SMS, WeChat, the log) is called for them when the load commits."""
    saved = getattr(settings, "NOTIFICATION_SENDERS", [])
    settings.NOTIFICATION_SENDERS = []
    try:
        yield
    finally:
        settings.NOTIFICATION_SENDERS = saved


def ensure_open311_key(actor: Any, town: AreaNode) -> Open311Key:
    """The demo's Open311 api_key (a fixed value, printed in the README)."""
    existing = Open311Key.objects.filter(digest=open311_key_digest(OPEN311_KEY)).first()
    if existing is not None:
        return existing
    return services.register_open311_key(actor=actor, name=OPEN311_CLIENT, area=town, key=OPEN311_KEY)


def town_has_matters(town: AreaNode) -> bool:
    return Matter.objects.filter(origin_path__under=town.path).exists()


WAITING_AFTER = ("escalate", "hand_down", "reopen")  # steps after which a matter waits to be accepted
TAKING_UP = ("accept", "session", "resolve")  # steps that take a waiting matter up


def cut_at(steps: list[Step], reported_at: dt.datetime, cutoff: dt.datetime) -> list[Step]:
    """The steps of a matter of the year up to `cutoff`. One cut short while it waits to be
    accepted (just reported, passed on or reopened) before today or more than half a day ago is
    taken up two hours after it arrived instead of later: the year's matters are handled in time
    whatever the day of loading; only the stalled ones (`Planner.stalled`) wait past their limit."""
    kept = [s for s in steps if s.at <= cutoff]
    if len(kept) == len(steps):
        return kept
    arrival = kept[-1].at if kept else reported_at
    waiting = not kept or kept[-1].kind in WAITING_AFTER
    following = steps[len(kept)]
    arrived_before = timezone.localtime(arrival).date() < timezone.localtime(cutoff).date()
    if waiting and following.kind in TAKING_UP and (arrived_before or arrival < cutoff - dt.timedelta(hours=12)):
        following.at = min(arrival + dt.timedelta(hours=2), cutoff)
        kept.append(following)
    return kept


def load_governance(
    actor: Any, town_node: AreaNode, say: Say, *, now: dt.datetime | None = None
) -> GovernanceResult | None:
    """Write the demo's matters unless the town has some already; make sure the Open311 key
    exists either way. The year of matters ends at `now` (default: the present moment).
    Returns None when nothing but (perhaps) the key was written."""
    ensure_open311_key(actor, town_node)
    say(
        _("  Open311 演示密钥 api_key = %(key)s(%(name)s,辖区 %(town)s)")
        % {"key": OPEN311_KEY, "name": OPEN311_CLIENT, "town": town_node.name}
    )
    if town_has_matters(town_node):
        return None
    start = time.monotonic()
    now = now or timezone.now()
    town = _read_town(town_node)
    if "admin" not in town.users:
        say(_("  缺少演示账号 admin,未载入事项。"))
        return None
    planner = Planner(town, now)
    plans = planner.year() + planner.stalled()
    told = story(town, now)
    if told is not None:
        plans.append(told)
    cutoff = now - dt.timedelta(minutes=10)
    plans = [p for p in plans if p.reported_at <= cutoff]
    for plan in plans:
        plan.steps = cut_at(plan.steps, plan.reported_at, cutoff)
    plans.sort(key=lambda p: p.reported_at)
    writer = Writer(town, now)
    for i, plan in enumerate(plans, start=1):
        writer.write(plan)
        if i % 200 == 0:
            say(_("  事项:%(i)s / %(n)s(%(t).1f 秒)") % {"i": i, "n": len(plans), "t": time.monotonic() - start})
    writer.flush()
    result = GovernanceResult(matters=len(plans), seconds=time.monotonic() - start)
    qs = Matter.objects.filter(origin_path__under=town_node.path)
    result.open = qs.filter(status__in=OPEN_STATUSES).count()
    late = Q(status=MatterStatus.NEW, accept_due_at__lt=now) | Q(settle_due_at__lt=now)
    result.overdue = qs.filter(status__in=OPEN_STATUSES).filter(late).count()
    say(
        _("  事项:%(n)s 件(未办结 %(open)s 件,其中超时 %(overdue)s 件),用时 %(t).1f 秒")
        % {"n": result.matters, "open": result.open, "overdue": result.overdue, "t": result.seconds}
    )
    return result
