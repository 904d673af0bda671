"""The demo's party work: enterprises in every coverage state, the 14 instructors and their
visits, a year of organisational life with some gaps, people in every stage of member
development, vanguard posts and activities. Written through the services, dated relative to
today, deterministic from the demo seed; loaded once (when the town has no enterprises).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import uscc

from hongniudai.accounts.models import User
from hongniudai.development import services as development
from hongniudai.development.models import StepKind
from hongniudai.enterprises import services as enterprises
from hongniudai.enterprises import services_instructors as instructors
from hongniudai.enterprises import services_visits as visits
from hongniudai.enterprises.models import CheckItem, Enterprise, Industry, Instructor, Size
from hongniudai.orglife import selectors as orglife_selectors
from hongniudai.orglife import services as orglife
from hongniudai.orglife.models import AbsenceReason, MeetingKind
from hongniudai.party import services as party_services
from hongniudai.party.models import Member, MemberStatus, OrgKind, PartyOrg, Post
from hongniudai.places.models import AreaKind, AreaNode, Resident
from hongniudai.vanguard import services as vanguard
from hongniudai.vanguard.models import ActivityKind, PostPlace

from . import data

Say = Callable[[str], None]
SEED = data.SEED + 404

# ---- enterprises ------------------------------------------------------------------------------


@dataclass(frozen=True)
class EnterpriseSpec:
    name: str
    industry: str
    size: str
    place: str  # "park" or a village name
    employees: int
    branch: str = ""  # the branch it belongs to, "" for none
    # Where its member employees come from: "branch" (its own branch's members) or branch names
    # separated by "|" (full members, not the secretaries, living there and working in the firm).
    staff_from: str = ""
    staff: int = 0  # how many members work there
    contact: str = ""


PARK = "park"
JOINT = "园区企业联合党支部"
CHAMBER = "宋河镇商会党支部"

ENTERPRISES: tuple[EnterpriseSpec, ...] = (
    # Own branches (the article's three enterprise branches).
    EnterpriseSpec(
        "湖北徐桥酒业有限公司", Industry.LIQUOR_FOOD, Size.MEDIUM, PARK, 268, "徐桥酒业党支部", "branch", 5, "徐建国"
    ),
    EnterpriseSpec(
        "鄂州鑫润精细化工有限公司",
        Industry.FINE_CHEMICALS,
        Size.MEDIUM,
        PARK,
        186,
        "鑫润精细化工党支部",
        "branch",
        4,
        "罗志明",
    ),
    EnterpriseSpec(
        "湖北宏达新材料科技有限公司",
        Industry.NEW_MATERIALS,
        Size.SMALL,
        PARK,
        95,
        "宏达新材料党支部",
        "branch",
        3,
        "汪宏达",
    ),
    # Small firms in the park's joint branch.
    EnterpriseSpec("鄂州恒通化学品有限公司", Industry.FINE_CHEMICALS, Size.SMALL, PARK, 46, JOINT, JOINT, 2, "胡恒通"),
    EnterpriseSpec("宋河华泰包装材料有限公司", Industry.NEW_MATERIALS, Size.SMALL, PARK, 38, JOINT, JOINT, 1, "陈华泰"),
    EnterpriseSpec("鄂州正源环保科技有限公司", Industry.SERVICES, Size.MICRO, PARK, 17, JOINT, JOINT, 1, "周正源"),
    # No members: an instructor watches them.
    EnterpriseSpec("湖北楚润生物科技有限公司", Industry.AGRI_PROCESSING, Size.SMALL, PARK, 52, contact="吴楚润"),
    EnterpriseSpec("鄂州宏泰物流有限公司", Industry.TRADE_LOGISTICS, Size.SMALL, PARK, 33, contact="谢宏泰"),
    EnterpriseSpec("何梅畈生态农业有限公司", Industry.AGRI_PROCESSING, Size.MICRO, "何梅畈村", 14, contact="何新农"),
    EnterpriseSpec("鄂州顺达运输有限公司", Industry.TRADE_LOGISTICS, Size.MICRO, "发水河村", 12, contact="施顺达"),
    # Gaps: three or more full members and no branch; members and no branch; nobody at all.
    EnterpriseSpec(
        "宋河新锐机械制造有限公司",
        Industry.MACHINERY,
        Size.SMALL,
        PARK,
        74,
        "",
        "徐桥村党支部|何梅畈村党支部",
        4,
        "李新锐",
    ),
    EnterpriseSpec(
        "宋河镇永兴建材厂", Industry.BUILDING_MATERIALS, Size.MICRO, "徐桥村", 21, "", "发水河村党支部", 1, "徐永兴"
    ),
    EnterpriseSpec("鄂州金盛塑业有限公司", Industry.NEW_MATERIALS, Size.MICRO, PARK, 26, contact="金盛"),
    EnterpriseSpec("宋河镇福源食品厂", Industry.LIQUOR_FOOD, Size.MICRO, "何梅畈村", 9, contact="何福源"),
    # Registered last month, no members, no instructor posted yet: the gap the coverage page shows.
    EnterpriseSpec("宋河镇顺心农资经营部", Industry.TRADE_LOGISTICS, Size.MICRO, "发水河村", 6, contact="施顺心"),
)


def uscc_for(index: int) -> str:
    """A valid unified social credit code (GB 32100) for the demo's `index`-th enterprise."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91420704MA4" + "".join(alphabet[(index * 7 + k * 3) % 31] for k in range(2)) + f"{index:04d}"
    return body + uscc.calc_check_digit(body)


# ---- instructors: the article's 14 red instructors ---------------------------------------------
# "选派14名红色指导员到企业": every one is posted to at least one enterprise; some also guide a
# branch (an enterprise's own, the park's, the chamber's or a village's).


@dataclass(frozen=True)
class InstructorSpec:
    username: str
    name: str
    work_unit: str
    branches: tuple[str, ...] = ()
    enterprises: tuple[str, ...] = ()


INSTRUCTOR_USERNAME = "instructor"
INSTRUCTORS: tuple[InstructorSpec, ...] = (
    InstructorSpec(
        INSTRUCTOR_USERNAME,
        "陈立群",
        "宋河镇党政办",
        ("徐桥酒业党支部", JOINT),
        ("湖北楚润生物科技有限公司", "宋河新锐机械制造有限公司"),
    ),
    InstructorSpec("instructor02", "刘春梅", "宋河镇组织办", ("鑫润精细化工党支部",), ("鄂州鑫润精细化工有限公司",)),
    InstructorSpec(
        "instructor03", "王振华", "宋河镇经济发展办", ("宏达新材料党支部",), ("湖北宏达新材料科技有限公司",)
    ),
    InstructorSpec("instructor04", "张国庆", "宋河镇园区管委会", ("园区服务中心党支部",), ("湖北徐桥酒业有限公司",)),
    InstructorSpec("instructor05", "黄美玲", "宋河镇统战办", (CHAMBER,), ("鄂州金盛塑业有限公司",)),
    InstructorSpec("instructor06", "赵立新", "宋河镇园区管委会", (), ("鄂州宏泰物流有限公司",)),
    InstructorSpec("instructor07", "孙丽华", "宋河镇农业服务中心", (), ("何梅畈生态农业有限公司",)),
    InstructorSpec("instructor08", "周建军", "宋河镇综治中心", (), ("鄂州顺达运输有限公司",)),
    InstructorSpec("instructor09", "吴海燕", "宋河镇安监站", (), ("鄂州恒通化学品有限公司",)),
    InstructorSpec("instructor10", "郑卫东", "宋河镇财政所", (), ("宋河华泰包装材料有限公司",)),
    InstructorSpec("instructor11", "冯晓红", "宋河镇环保站", (), ("鄂州正源环保科技有限公司",)),
    InstructorSpec("instructor12", "朱永刚", "宋河镇退役军人服务站", (), ("宋河镇永兴建材厂",)),
    InstructorSpec("instructor13", "马丽娟", "宋河镇社会事务办", ("徐桥村党支部",), ("宋河镇永兴建材厂",)),
    InstructorSpec("instructor14", "胡志勇", "宋河镇党群服务中心", ("何梅畈村党支部",), ("宋河镇福源食品厂",)),
)

MEETING_TOPICS = (
    "学习贯彻党的二十届四中全会精神",
    "学习《中国共产党支部工作条例(试行)》",
    "研究部署秋冬季秸秆禁烧工作",
    "讨论汛期巡查值守安排",
    "学习“红纽带”工作机制,推进党员联系户",
    "研究村集体经济合作社年度分红方案",
    "部署爱心汤“逢九送汤”志愿服务",
    "学习安全生产法律法规",
    "讨论发展党员工作计划",
    "开展“三进三访”走访慰问",
    "部署矛盾纠纷排查化解",
    "学习乡村振兴政策",
)
LECTURES = ("书记讲党课:红纽带连民心", "党课:发挥党员先锋模范作用", "党课:小事不出湾,大事不出村", "党课:守初心 担使命")


@dataclass
class PartyWorkResult:
    enterprises: int = 0
    instructors: int = 0
    meetings: int = 0
    cases: int = 0
    new_members: int = 0  # received into the party by the development cases
    posts: int = 0
    activities: int = 0
    seconds: float = 0.0


def town_has_enterprises(town: AreaNode) -> bool:
    return Enterprise.objects.filter(area__path__under=town.path).exists()


def _months_back(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(y, m + 1, min(day.day, 28))


def meeting_months(today: dt.date) -> list[dt.date]:
    """The first days of the months the demo lays organisational life out in: from the start of
    the quarter twelve months before today's month to today's month, so that every month,
    quarter and the years of `meeting_window` are whole."""
    first = _months_back(today.replace(day=1), 12)
    first = first.replace(month=(first.month - 1) // 3 * 3 + 1)
    months = []
    while first <= today:
        months.append(first)
        first = (first + dt.timedelta(days=31)).replace(day=1)
    return months


def meeting_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last twelve whole months before today's month: the demo's organisational life covers
    them on any day (its gaps included: 徐桥村's skipped committee meeting three months ago)."""
    first_of_month = today.replace(day=1)
    return _months_back(first_of_month, 12), first_of_month - dt.timedelta(days=1)


def short_quorum_month(today: dt.date) -> dt.date:
    """The month of 何梅畈村's member meeting that fell short of a quorum: the latest middle month of
    a quarter (when the branches hold their member meetings) before today's month."""
    month = _months_back(today.replace(day=1), 1)
    while month.month not in QUARTER_MIDDLES:
        month = _months_back(month, 1)
    return month


QUARTER_MIDDLES = (2, 5, 8, 11)


class PartyWorkLoader:
    def __init__(self, actor: User, town: AreaNode, say: Say, today: dt.date | None = None) -> None:
        self.actor = actor
        self.town = town
        self.say = say
        self.rng = random.Random(SEED)
        self.today = today or timezone.localdate()
        orgs = PartyOrg.objects.filter(area__path__under=town.path).select_related("area")
        self.orgs = {o.name: o for o in orgs}
        self.villages = {a.name: a for a in AreaNode.objects.filter(path__under=town.path, kind=AreaKind.VILLAGE)}
        self.park = AreaNode.objects.filter(path__under=town.path, kind=AreaKind.PARK).first()
        self.members_by_branch: dict[int, list[Member]] = {}
        for m in Member.objects.filter(org__area__path__under=town.path).select_related("resident", "org"):
            self.members_by_branch.setdefault(m.org_id, []).append(m)
        self.enterprises: dict[str, Enterprise] = {}
        self.result = PartyWorkResult()

    # -- enterprises and instructors

    def load_enterprises(self) -> None:
        employed: set[int] = set()
        for i, spec in enumerate(ENTERPRISES, start=1):
            area = self.park if spec.place == PARK else self.villages.get(spec.place)
            if area is None:
                continue
            branch = self.orgs.get(spec.branch) if spec.branch else None
            enterprise = enterprises.create_enterprise(
                actor=self.actor,
                name=spec.name,
                uscc=uscc_for(i),
                industry=spec.industry,
                area=area,
                size=spec.size,
                address=f"{area.name}{i}号",
                employees=spec.employees,
                founded_on=dt.date(2008 + i % 12, 1 + i % 12, 8),
                contact_name=spec.contact,
                contact_phone=f"139{7100 + i:04d}{i * 37 % 10000:04d}",
                branch=branch,
            )
            self.enterprises[spec.name] = enterprise
            if spec.staff_from == "branch":
                sources = [branch] if branch else []
            else:
                sources = [self.orgs[n] for n in spec.staff_from.split("|") if n in self.orgs]
            pool = [
                m
                for source in sources
                for m in self.members_by_branch.get(source.pk, [])
                if m.pk not in employed
                and (spec.staff_from == "branch" or (m.status == MemberStatus.FULL and m.post not in LEADERS))
            ]
            for member in pool[: spec.staff]:
                enterprises.add_employment(
                    actor=self.actor, enterprise=enterprise, member=member, position=self.rng.choice(POSITIONS)
                )
                employed.add(member.pk)
        self.result.enterprises = len(self.enterprises)

    def load_instructors(self) -> None:
        since = _months_back(self.today, 14)
        for spec in INSTRUCTORS:
            if User.objects.filter(username=spec.username).exists():
                continue
            instructor = instructors.create_instructor(
                actor=self.actor,
                username=spec.username,
                display_name=spec.name,
                area=self.town,
                password=data.DEMO_PASSWORD,
                work_unit=spec.work_unit,
            )
            for name in spec.branches:
                if name in self.orgs:
                    instructors.assign_instructor(
                        actor=self.actor, instructor=instructor, org=self.orgs[name], since=since
                    )
            for name in spec.enterprises:
                if name in self.enterprises:
                    instructors.assign_instructor(
                        actor=self.actor, instructor=instructor, enterprise=self.enterprises[name], since=since
                    )
            self.result.instructors += 1
            self.visits(instructor, spec)

    def visits(self, instructor: Instructor, spec: InstructorSpec) -> None:
        """Guidance visits every two or three months, with findings and follow-ups (some closed,
        some open, one overdue for the demo instructor)."""
        user = instructor.user
        targets: list[tuple[PartyOrg | None, Enterprise | None]] = [
            (self.orgs[n], None) for n in spec.branches if n in self.orgs
        ] + [(None, self.enterprises[n]) for n in spec.enterprises if n in self.enterprises]
        for ti, (org, enterprise) in enumerate(targets):
            months = list(range(11, 0, -3 if spec.username == INSTRUCTOR_USERNAME else -4))
            for k, back in enumerate(months):
                day = _months_back(self.today, back) + dt.timedelta(days=ti * 2 + 3)
                if day > self.today:
                    continue
                finding, fix = FINDINGS[(k + ti) % len(FINDINGS)]
                visit = visits.record_visit(
                    actor=user,
                    instructor=user,
                    visited_on=day,
                    org=org,
                    enterprise=enterprise,
                    checked=CHECKS[(k + ti) % len(CHECKS)],
                    findings=finding,
                    follow_ups=[(fix, day + dt.timedelta(days=30))],
                )
                last = k == len(months) - 1
                for follow_up in visit.follow_ups.all():
                    if follow_up.due_on < self.today - dt.timedelta(days=10) and not (last or (k == 2 and ti == 0)):
                        visits.close_follow_up(
                            actor=user,
                            follow_up=follow_up,
                            closed_on=follow_up.due_on - dt.timedelta(days=5),
                            note="已整改到位,复查通过",
                        )

    # -- organisational life

    def attendance(self, roster: list[Member], rate: float) -> list[orglife.AttendanceEntry]:
        entries = []
        for m in roster:
            present = self.rng.random() < rate
            entries.append(
                orglife.AttendanceEntry(
                    member=m,
                    present=present,
                    absence_reason="" if present else self.rng.choice(ABSENCE_REASONS),
                    absence_note="" if present else self.rng.choice(ABSENCE_NOTES),
                )
            )
        return entries

    def meeting(
        self, org: PartyOrg, day: dt.date, kinds: Sequence[str], topic: str, rate: float = 0.88, **kw: Any
    ) -> None:
        if day > self.today or (org.founded_on and day < org.founded_on):
            return
        roster = orglife_selectors.meeting_roster(org, kinds, day)
        orglife.record_meeting(
            actor=self.actor,
            org=org,
            held_on=day,
            topic=topic,
            kinds=kinds,
            attendance=self.attendance(roster, rate),
            place=kw.pop("place", f"{org.area.name}党群服务中心"),
            minutes=kw.pop("minutes", f"会议围绕“{topic}”进行学习讨论,形成意见并明确责任人。"),
            **kw,
        )
        self.result.meetings += 1

    def load_meetings(self) -> None:
        """Thirteen to fifteen months of 三会一课 and theme party days for every branch and party
        group (`meeting_months`), with gaps: 徐桥村 skipped a committee meeting three months ago;
        何梅畈村's member meeting of last quarter fell short of a quorum; a few others missed here
        and there; the annual review meetings in January (a few branches late, one or two none)."""
        branches = [o for o in self.orgs.values() if o.kind == OrgKind.BRANCH]
        groups = [o for o in self.orgs.values() if o.kind == OrgKind.PARTY_GROUP]
        skipped_committee = (self.orgs.get("徐桥村党支部"), _months_back(self.today.replace(day=1), 3))
        short_quorum = (self.orgs.get("何梅畈村党支部"), short_quorum_month(self.today))
        months = meeting_months(self.today)
        total = len(branches)
        t0 = time.monotonic()
        for bi, branch in enumerate(branches, start=1):
            presider = next((m for m in self.members_by_branch.get(branch.pk, []) if m.post == Post.SECRETARY), None)
            for month in months:
                quarter_middle = month.month in QUARTER_MIDDLES
                # Theme party day, on the 9th or so; in the middle month of each quarter it is
                # also the member meeting and the party lecture.
                kinds = [MeetingKind.THEME_DAY]
                if quarter_middle:
                    kinds += [MeetingKind.MEMBER_MEETING, MeetingKind.PARTY_LECTURE]
                if self.rng.random() < 0.04:
                    kinds = [k for k in kinds if k != MeetingKind.THEME_DAY] or []
                rate = 0.88
                if (branch, month) == short_quorum:
                    rate = 0.3
                if kinds:
                    self.meeting(
                        branch,
                        month.replace(day=9 + bi % 5),
                        kinds,
                        self.rng.choice(MEETING_TOPICS),
                        rate=rate,
                        presided_by=presider,
                        lecturer=(presider.resident.name if presider else "") if quarter_middle else "",
                    )
                if branch.has_committee and (branch, month) != skipped_committee and self.rng.random() > 0.03:
                    self.meeting(
                        branch,
                        month.replace(day=3 + bi % 4),
                        [MeetingKind.COMMITTEE_MEETING],
                        self.rng.choice(MEETING_TOPICS),
                        rate=0.95,
                        presided_by=presider,
                    )
            # The annual review meeting and member appraisal, in January (a few branches late),
            # for each year the months touch.
            for year in sorted({month.year for month in months}):
                january = dt.date(year, 1, 20)
                if self.rng.random() > 0.1:
                    self.meeting(
                        branch,
                        january if self.rng.random() > 0.2 else january + dt.timedelta(days=30),
                        [MeetingKind.REVIEW_MEETING, MeetingKind.MEMBER_APPRAISAL],
                        f"{year - 1}年度组织生活会和民主评议党员",
                        rate=0.92,
                        presided_by=presider,
                    )
            if bi % 5 == 0:
                self.say(
                    _("  组织生活:%(i)s / %(n)s 个党支部(%(t).1f 秒)")
                    % {"i": bi, "n": total, "t": time.monotonic() - t0}
                )
        for group in groups:
            for month in months:
                if self.rng.random() < 0.05:
                    continue
                self.meeting(
                    group,
                    month.replace(day=12 + group.pk % 10),
                    [MeetingKind.GROUP_MEETING],
                    self.rng.choice(MEETING_TOPICS),
                    place=f"{group.area.name}党员中心户家中",
                )

    # -- member development

    def candidates_for(self, branch: PartyOrg, count: int, used: set[int]) -> list[Resident]:
        """Residents of the branch's village aged 22–45 who are not members."""
        born_after = data.years_before(self.today, 45)
        born_before = data.years_before(self.today, 22)
        area_path = branch.area.path
        if branch.area.kind == AreaKind.PARK:
            area_path = self.villages["徐桥村"].path
        qs = (
            Resident.objects.filter(
                household__hamlet__path__under=area_path,
                birth_date__gt=born_after,
                birth_date__lt=born_before,
                party_member__isnull=True,
            )
            .exclude(pk__in=used)
            .order_by("id")
        )
        people = list(qs[: count * 3])
        self.rng.shuffle(people)
        chosen = people[:count]
        used.update(p.pk for p in chosen)
        return chosen

    def load_development(self) -> None:
        used: set[int] = set()
        ago = self.ago
        plans: list[tuple[str, list[tuple[str, dt.date, dict[str, Any]]]]] = [
            # 徐桥村: a new applicant nobody has talked with yet; an activist; a candidate in training.
            ("徐桥村党支部", [("apply", ago(20), {})]),
            (
                "徐桥村党支部",
                [
                    ("apply", ago(300), {}),
                    ("talk", ago(285), {}),
                    ("activist", ago(240), {}),
                    ("assessment", ago(60), {}),
                ],
            ),
            (
                "徐桥村党支部",
                [
                    ("apply", ago(640), {}),
                    ("talk", ago(625), {}),
                    ("activist", ago(520), {}),
                    ("assessment", ago(340), {}),
                    ("assessment", ago(160), {}),
                    ("candidate", ago(40), {}),
                ],
            ),
            # 发水河村: an applicant talked to; an activist whose half-yearly assessment is overdue.
            ("发水河村党支部", [("apply", ago(50), {}), ("talk", ago(30), {})]),
            ("发水河村党支部", [("apply", ago(330), {}), ("talk", ago(310), {}), ("activist", ago(290), {})]),
            # 何梅畈村: a probationary member due to convert; one converted this year; one who withdrew.
            (
                "何梅畈村党支部",
                [
                    ("apply", ago(1000), {}),
                    ("talk", ago(985), {}),
                    ("activist", ago(900), {}),
                    ("assessment", ago(720), {}),
                    ("assessment", ago(540), {}),
                    ("candidate", ago(480), {}),
                    ("training", ago(450), {"training_days": 3, "training_hours": 24}),
                    ("resolution", ago(340), {}),
                    ("approval", ago(300), {}),
                ],
            ),
            (
                "何梅畈村党支部",
                [
                    ("apply", ago(1300), {}),
                    ("talk", ago(1285), {}),
                    ("activist", ago(1200), {}),
                    ("assessment", ago(1020), {}),
                    ("assessment", ago(840), {}),
                    ("candidate", ago(800), {}),
                    ("training", ago(780), {"training_days": 4, "training_hours": 32}),
                    ("resolution", ago(700), {}),
                    ("approval", ago(660), {}),
                    ("convert", ago(330), {}),
                ],
            ),
            (
                "何梅畈村党支部",
                [
                    ("apply", ago(400), {}),
                    ("talk", ago(352), {}),
                    ("end", ago(200), {"end_reason": "本人外出务工,申请暂缓"}),
                ],
            ),
            # 徐桥酒业: a candidate trained and received by the branch, awaiting the committee's approval.
            (
                "徐桥酒业党支部",
                [
                    ("apply", ago(800), {}),
                    ("talk", ago(790), {}),
                    ("activist", ago(700), {}),
                    ("assessment", ago(520), {}),
                    ("assessment", ago(340), {}),
                    ("candidate", ago(200), {}),
                    ("training", ago(150), {"training_days": 3, "training_hours": 26}),
                    ("resolution", ago(25), {}),
                ],
            ),
            (
                "鑫润精细化工党支部",
                [
                    ("apply", ago(420), {}),
                    ("talk", ago(400), {}),
                    ("activist", ago(360), {}),
                    ("assessment", ago(180), {}),
                ],
            ),
        ]
        for branch_name, steps in plans:
            branch = self.orgs.get(branch_name)
            if branch is None:
                continue
            people = self.candidates_for(branch, 1, used)
            if not people:
                continue
            (_kind0, day0, _extra0), rest = steps[0], steps[1:]
            case = development.open_case(actor=self.actor, resident=people[0], org=branch, applied_on=day0)
            for kind, day, extra in rest:
                development.record_step(
                    actor=self.actor, case=case, kind=StepKind(kind), on=day, note=STEP_NOTES.get(kind, ""), **extra
                )
            case.refresh_from_db(fields=["member"])
            if case.member_id is not None:
                self.place_in_group(
                    Member.objects.select_related("org", "resident__household__hamlet").get(pk=case.member_id)
                )
                self.result.new_members += 1
            self.result.cases += 1

    def place_in_group(self, member: Member) -> None:
        """A member received into a village branch joins the party group of their grid."""
        grid_id = member.resident.household.hamlet.parent_id
        group = next(
            (
                o
                for o in self.orgs.values()
                if o.kind == OrgKind.PARTY_GROUP and o.parent_id == member.org_id and o.area_id == grid_id
            ),
            None,
        )
        if group is None or member.party_group_id == group.pk:
            return
        party_services.update_member(
            actor=self.actor,
            member=member,
            org=member.org,
            joined_on=member.joined_on,
            status=member.status,
            party_group=group,
            full_on=member.full_on,
            post=member.post,
            note=member.note,
        )

    def ago(self, days: int) -> dt.date:
        return self.today - dt.timedelta(days=days)

    # -- vanguard posts and activities

    def load_vanguard(self) -> None:
        for branch_name, title, place_kind, place_name, commitment in VANGUARD_POSTS:
            branch = self.orgs.get(branch_name)
            members = self.members_by_branch.get(branch.pk, []) if branch else []
            member = next((m for m in members if not m.post), members[0] if members else None)
            if member is None:
                continue
            vanguard.create_post(
                actor=self.actor,
                member=member,
                title=title,
                place_kind=place_kind,
                place_name=place_name,
                commitment=commitment,
                since=_months_back(self.today, 10),
            )
            self.result.posts += 1
        for back, branch_name, kind, title, enterprise_name in ACTIVITIES:
            branch = self.orgs.get(branch_name)
            if branch is None:
                continue
            members = self.members_by_branch.get(branch.pk, [])
            vanguard.create_activity(
                actor=self.actor,
                kind=kind,
                title=title,
                held_on=_months_back(self.today, back),
                org=branch,
                enterprise=self.enterprises.get(enterprise_name) if enterprise_name else None,
                place=f"{branch.area.name}",
                description=f"{title},党员带头参加。",
                participants=[m for m in members if self.rng.random() < 0.8],
                other_participants=self.rng.randint(5, 40),
            )
            self.result.activities += 1

    def run(self) -> PartyWorkResult:
        t0 = time.monotonic()
        self.load_enterprises()
        self.say(_("  企业:%(n)s 家") % {"n": self.result.enterprises})
        self.load_instructors()
        self.say(_("  党建指导员:%(n)s 名") % {"n": self.result.instructors})
        self.load_development()
        self.say(
            _("  发展党员档案:%(n)s 份(其中 %(m)s 名已接收为党员)")
            % {"n": self.result.cases, "m": self.result.new_members}
        )
        self.load_meetings()
        self.say(_("  组织生活会议:%(n)s 次") % {"n": self.result.meetings})
        self.load_vanguard()
        self.say(_("  党员先锋岗:%(p)s 个,党建活动:%(a)s 次") % {"p": self.result.posts, "a": self.result.activities})
        self.result.seconds = time.monotonic() - t0
        return self.result


LEADERS = (Post.SECRETARY, Post.DEPUTY_SECRETARY)
POSITIONS = ("车间主任", "技术员", "班组长", "质检员", "仓库管理员", "销售经理", "安全员")
ABSENCE_REASONS = (AbsenceReason.MIGRANT_WORK, AbsenceReason.ILLNESS, AbsenceReason.PERSONAL, AbsenceReason.BUSINESS)
ABSENCE_NOTES = ("在外务工", "身体不适", "家中有事", "外出学习", "")
CHECKS: tuple[tuple[str, ...], ...] = (
    (CheckItem.MEETING_RECORDS, CheckItem.THEME_DAYS),
    (CheckItem.MEMBER_FILES, CheckItem.DUES),
    (CheckItem.MEETING_RECORDS, CheckItem.DEVELOPMENT_FILES, CheckItem.POSITION),
)
FINDINGS = (
    ("三会一课记录不完整,两次支部党员大会缺少签到表", "补齐会议签到表并规范会议记录本"),
    ("主题党日活动形式单一,与生产经营结合不够", "结合生产实际开展一次车间党日活动"),
    ("党员档案中两名党员缺少转正材料", "补齐党员档案材料"),
    ("党费收缴台账未按月登记", "建立按月登记的党费收缴台账"),
)
STEP_NOTES = {
    "talk": "支部委员与申请人谈话,了解入党动机",
    "activist": "经党员推荐、支委会研究确定",
    "assessment": "培养联系人考察,表现良好",
    "candidate": "经支委会讨论并报上级党委备案",
    "training": "参加镇党委举办的发展对象培训班",
    "resolution": "支部党员大会讨论,同意接收为预备党员",
    "approval": "镇党委审批同意",
    "convert": "预备期满,支部大会讨论同意按期转正",
}
VANGUARD_POSTS: tuple[tuple[str, str, str, str, str], ...] = (
    ("徐桥酒业党支部", "酿造车间党员先锋岗", PostPlace.WORKSHOP, "酿造车间", "把好高粱酿造工艺关,带头安全生产"),
    ("徐桥酒业党支部", "灌装车间党员先锋岗", PostPlace.WORKSHOP, "灌装车间", "带头提质增效,零差错交付"),
    ("鑫润精细化工党支部", "反应车间安全生产先锋岗", PostPlace.WORKSHOP, "反应车间", "带头落实安全操作规程"),
    ("宏达新材料党支部", "新材料研发攻关先锋岗", PostPlace.PROJECT, "高性能材料研发项目", "攻克关键工艺难题"),
    ("园区服务中心党支部", "园区企业服务先锋岗", PostPlace.SERVICE_WINDOW, "园区服务中心窗口", "企业诉求当日响应"),
    ("徐桥村党支部", "便民服务站党员示范岗", PostPlace.SERVICE_WINDOW, "徐桥村便民服务站", "群众事项一次办好"),
)
ACTIVITIES: tuple[tuple[int, str, str, str, str], ...] = (
    (10, "徐桥酒业党支部", ActivityKind.WORKSHOP_PARTY_DAY, "酿造车间党日:党员示范操作", "湖北徐桥酒业有限公司"),
    (7, "徐桥酒业党支部", ActivityKind.WORKSHOP_PARTY_DAY, "灌装车间党日:质量安全大家谈", "湖北徐桥酒业有限公司"),
    (4, "徐桥酒业党支部", ActivityKind.SKILL_CONTEST, "品酒与勾调技能比武", "湖北徐桥酒业有限公司"),
    (9, "鑫润精细化工党支部", ActivityKind.SKILL_CONTEST, "安全应急处置技能比武", "鄂州鑫润精细化工有限公司"),
    (5, "鑫润精细化工党支部", ActivityKind.WORKSHOP_PARTY_DAY, "反应车间党日:隐患随手查", "鄂州鑫润精细化工有限公司"),
    (6, "宏达新材料党支部", ActivityKind.NIGHT_CLASS, "党员夜校:新材料产业政策解读", "湖北宏达新材料科技有限公司"),
    (8, JOINT, ActivityKind.NIGHT_CLASS, "联合党支部党员夜校:企业党建实务", ""),
    (3, JOINT, ActivityKind.VOLUNTEER_SERVICE, "园区环境整治志愿服务", ""),
    (9, "徐桥村党支部", ActivityKind.NIGHT_CLASS, "党员夜校:高粱种植技术", ""),
    (2, "徐桥村党支部", ActivityKind.VOLUNTEER_SERVICE, "爱心汤送汤志愿服务", ""),
    (8, "何梅畈村党支部", ActivityKind.VOLUNTEER_SERVICE, "汛期巡堤志愿服务", ""),
    (1, "何梅畈村党支部", ActivityKind.NIGHT_CLASS, "党员夜校:人民调解案例学习", ""),
    (5, "发水河村党支部", ActivityKind.VOLUNTEER_SERVICE, "秸秆禁烧宣传志愿服务", ""),
    (4, CHAMBER, ActivityKind.OTHER, "商会党支部助企座谈会", ""),
)


def load_partywork(actor: User, town: AreaNode, say: Say, *, today: dt.date | None = None) -> PartyWorkResult | None:
    """Write the demo's party work, dated up to `today` (default: the local date), unless the town
    has enterprises already."""
    if town_has_enterprises(town):
        return None
    return PartyWorkLoader(actor, town, say, today).run()
