"""A night patrol team of the market town (the town itself) with a route through 徐桥村's grid, and
an autumn straw-burning ban (2026-10-01..10-10, reports due by 18:00) covering 徐桥村 and 发水河村."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from hongniudai.places.models import AreaKind
from hongniudai.watch.patrols import services
from tests import factories as f

SH = ZoneInfo("Asia/Shanghai")


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A moment of `day` in Asia/Shanghai."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SH)


@pytest.fixture
def pt(town: Any) -> Any:
    """The town with `team` (集镇巡逻队, members: 黄文华 a party member, 李民兵 militia, a
    volunteer), and `campaign` (秸秆禁烧 of the town over 徐桥村 and 发水河村's grid)."""
    admin = town.users["admin"]
    town.grid2 = f.area(town.xuqiao.area, "6组", AreaKind.GRID)
    town.team = services.team_set_up(actor=admin, area=town.town, name="集镇夜间巡逻队")
    town.m_party = services.member_add(
        actor=admin, team=town.team, kind="party_member", party_member=town.xuqiao.member
    )
    town.m_militia = services.member_add(actor=admin, team=town.team, kind="militia", name="李民兵")
    vol = f.volunteer(town.xuqiao.area, "王志愿")
    town.m_volunteer = services.member_add(actor=admin, team=town.team, kind="volunteer", volunteer=vol)
    with time_machine.travel(at(dt.date(2026, 9, 20), 9), tick=False):
        town.campaign = services.campaign_set_up(
            actor=admin,
            area=town.town,
            areas=[town.xuqiao.area, town.fashuihe.grid],
            kind="straw_burning",
            name="2026年秋季秸秆禁烧",
            starts_on=dt.date(2026, 10, 1),
            ends_on=dt.date(2026, 10, 10),
            deadline_hour=18,
        )
    return town
