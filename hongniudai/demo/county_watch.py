"""The county generator's watch (平安守护) for one town, in bulk (`county_domains` stage "watch"):
cameras at most grids (some grids none, a few cameras offline or faulty), the market town's patrol
team of the town's party members and militia with last month's rota (a shift every night, a log per
kept shift, a few missed), and last autumn's straw-burning campaign over the town's villages with a
straw field per grid, a weekly duty rota and a daily report per grid (zero-reports mostly, a few
late, a few missing). No matters: the findings of the county's matters are the governance stage's.

Every row carries what the services would have given it (area paths, the campaign's covered grids
with their villages, one shift per team and night, one report per campaign, grid and day)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from django.db import models

from hongniudai.party.models import Member
from hongniudai.places.models import AreaKind, AreaNode
from hongniudai.watch.cameras.models import Camera, CameraKind, CameraOwner, CameraStatus
from hongniudai.watch.patrols.models import (
    Campaign,
    CampaignDuty,
    CampaignGrid,
    CampaignKind,
    CampaignReport,
    MemberKind,
    PatrolLog,
    PatrolMember,
    PatrolShift,
    PatrolTeam,
    PointKind,
    ShiftStatus,
    WatchPoint,
    Weather,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
BATCH = 2000
NO_CAMERA = 8  # one grid in eight has no camera
TEAM_MEMBERS, MILITIA = 8, 3
MISSED = 0.05  # the share of nights nobody checked in
REPORTED, ZERO, ON_TIME = 0.97, 0.85, 0.93  # reported grid-days; of those, zero-reports and on time
STRAW = ((10, 10), (11, 10))
CHECKED = ("巡查秸秆田块,已打捆离田,无焚烧现象。", "入户宣传禁烧政策,田间未见烟火。")
NOTES = ("沿集镇主街和社区网格巡逻,未见异常。", "巡查农贸市场和学校周边,安全正常。", "雨夜巡查低洼路段,无险情。")
Q6 = Decimal("0.000001")


class TownScope(Protocol):
    """What the stage reads of `county_domains.TownScope` (which imports this module for its stage)."""

    @property
    def town(self) -> AreaNode: ...

    @property
    def now(self) -> dt.datetime: ...

    @property
    def today(self) -> dt.date: ...

    def rng(self, key: str) -> random.Random: ...


def present(town: AreaNode) -> bool:
    return Camera.objects.filter(town=town).exists() or PatrolTeam.objects.filter(area=town).exists()


def fill(scope: TownScope) -> int:
    """The town's cameras, patrol and straw-burning season; returns the rows written."""
    rng = scope.rng("watch")
    grids = list(
        AreaNode.objects.filter(path__startswith=scope.town.path, kind=AreaKind.GRID)
        .order_by("path")
        .values_list("pk", "path", "parent_id", "name")
    )
    if not grids:
        return 0
    rows = cameras(scope, rng, grids)
    rows += patrol(scope, rng, grids)
    rows += straw_season(scope, rng, grids)
    return rows


def _point(rng: random.Random) -> tuple[Decimal, Decimal]:
    return Decimal(30.2 + rng.random() * 0.8).quantize(Q6), Decimal(114.2 + rng.random() * 0.9).quantize(Q6)


def cameras(scope: TownScope, rng: random.Random, grids: list[tuple[int, str, int, str]]) -> int:
    """One or two cameras at each grid but one in `NO_CAMERA`; a few offline or faulty."""
    rows: list[Camera] = []
    for gi, (pk, path, _village, _name) in enumerate(grids, start=1):
        if gi % NO_CAMERA == 3:
            continue
        for n in range(1, 3 if rng.random() < 0.4 else 2):
            lat, lng = _point(rng)
            roll = rng.random()
            status = (
                CameraStatus.OFFLINE if roll < 0.08 else CameraStatus.FAULTY if roll < 0.12 else CameraStatus.WORKING
            )
            rows.append(
                Camera(
                    town=scope.town,
                    grid_id=pk,
                    area_path=path,
                    code=f"C{scope.town.code or scope.town.pk}-{gi:04d}-{n}",
                    name=f"第{gi}号网格监控点{n}",
                    lat=lat,
                    lng=lng,
                    kind=CameraKind.DOME if n == 2 else CameraKind.BULLET,
                    owner=rng.choice((CameraOwner.POLICE, CameraOwner.TOWN, CameraOwner.VILLAGE)),
                    status=status,
                    stream_url=f"rtsp://10.{gi % 250}.{n}.1:554/live",
                    last_seen_at=scope.now - dt.timedelta(minutes=rng.randint(1, 600)),
                )
            )
    return _bulk(Camera, rows)


def _bulk(model: type[models.Model], rows: list[Any]) -> int:
    model._default_manager.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _last_month(today: dt.date) -> list[dt.date]:
    first = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    return [first + dt.timedelta(days=i) for i in range((today.replace(day=1) - first).days)]


def patrol(scope: TownScope, rng: random.Random, grids: list[tuple[int, str, int, str]]) -> int:
    """The market town's team (the town's own), last month's rota, a log per kept shift."""
    town = scope.town
    team = PatrolTeam.objects.create(area=town, area_path=town.path, name=f"{town.name}集镇夜间治安联防巡逻队")
    party = list(
        Member.objects.filter(org__area__path__startswith=town.path)
        .order_by("id")
        .values_list("pk", "resident_id", "resident__name")[: TEAM_MEMBERS - MILITIA]
    )
    members = [
        PatrolMember(
            team=team, area_path=town.path, kind=MemberKind.PARTY_MEMBER, party_member_id=m, resident_id=r, name=n
        )
        for m, r, n in party
    ]
    members += [
        PatrolMember(team=team, area_path=town.path, kind=MemberKind.MILITIA, name=f"民兵{i}")
        for i in range(1, MILITIA + 1)
    ]
    written = 1 + _bulk(PatrolMember, members)
    route = [g[0] for g in grids[:3]]
    shifts: list[PatrolShift] = []
    for day in _last_month(scope.today):
        starts = dt.datetime.combine(day, dt.time(20, 0), tzinfo=SHANGHAI)
        missed = rng.random() < MISSED
        shifts.append(
            PatrolShift(
                team=team,
                area_path=town.path,
                date=day,
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=4),
                status=ShiftStatus.MISSED if missed else ShiftStatus.KEPT,
                missed_at=starts + dt.timedelta(hours=5) if missed else None,
            )
        )
    written += _bulk(PatrolShift, shifts)
    through = PatrolShift.route.through
    written += _bulk(through, [through(patrolshift_id=s.pk, areanode_id=g) for s in shifts for g in route])
    kept = [s for s in shifts if s.status == ShiftStatus.KEPT]
    logs = [
        PatrolLog(
            shift=s,
            area_path=town.path,
            weather=rng.choice(Weather.values),
            route_notes=rng.choice(NOTES),
            started_at=s.starts_at + dt.timedelta(minutes=rng.randint(0, 15)),
            ended_at=s.ends_at - dt.timedelta(minutes=rng.randint(0, 20)),
        )
        for s in kept
    ]
    written += _bulk(PatrolLog, logs)
    came = PatrolLog.present.through
    written += _bulk(
        came,
        [
            came(patrollog_id=log.pk, patrolmember_id=m.pk)
            for log in logs
            for m in rng.sample(members, min(4, len(members)))
        ],
    )
    return written


def straw_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last straw-burning window (10 Oct – 10 Nov) over before `today`."""
    (m1, d1), (m2, d2) = STRAW
    year = today.year if dt.date(today.year, m2, d2) < today else today.year - 1
    return dt.date(year, m1, d1), dt.date(year, m2, d2)


def straw_season(scope: TownScope, rng: random.Random, grids: list[tuple[int, str, int, str]]) -> int:
    """Last autumn's straw-burning campaign over the town's villages (not its communities)."""
    town = scope.town
    villages = dict(
        AreaNode.objects.filter(path__startswith=town.path, kind=AreaKind.VILLAGE, is_community=False).values_list(
            "pk", "path"
        )
    )
    covered = [g for g in grids if g[2] in villages]
    if not covered:
        return 0
    first, last = straw_window(scope.today)
    campaign = Campaign.objects.create(
        area=town,
        area_path=town.path,
        kind=CampaignKind.STRAW_BURNING,
        name=f"{first.year}年秋季秸秆禁烧",
        starts_on=first,
        ends_on=last,
        deadline_hour=18,
    )
    campaign.areas.set(list(villages))
    written = 1 + len(villages)
    written += _bulk(
        CampaignGrid, [CampaignGrid(campaign=campaign, grid_id=g, village_id=v, area_path=p) for g, p, v, _n in covered]
    )
    points = [
        WatchPoint(
            campaign=campaign, grid_id=g, area_path=p, kind=PointKind.STRAW_FIELD, name=f"{n}秸秆田块", lat=lat, lng=lng
        )
        for g, p, _v, n in covered
        for lat, lng in (_point(rng),)
    ]
    written += _bulk(WatchPoint, points)
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    duties = [
        CampaignDuty(campaign=campaign, date=day, grid_id=g, area_path=p, person_name=f"{n}值班员")
        for day in days[::7]
        for g, p, _v, n in covered
    ]
    written += _bulk(CampaignDuty, duties)
    reports: list[CampaignReport] = []
    for day in days:
        for g, p, _v, _n in covered:
            if rng.random() >= REPORTED:
                continue
            on_time = rng.random() < ON_TIME
            hour = rng.uniform(8, 17.9) if on_time else rng.uniform(18.1, 23.9)
            zero = rng.random() < ZERO
            reports.append(
                CampaignReport(
                    campaign=campaign,
                    grid_id=g,
                    area_path=p,
                    date=day,
                    reported_at=dt.datetime.combine(day, dt.time(0), tzinfo=SHANGHAI) + dt.timedelta(hours=hour),
                    on_time=on_time,
                    nothing_found=zero,
                    checked="" if zero else rng.choice(CHECKED),
                )
            )
            if len(reports) >= BATCH:
                written += _bulk(CampaignReport, reports)
                reports = []
    return written + _bulk(CampaignReport, reports)
