"""A soup list in 何梅畈村 (hamlet 张家冲, whose centre household is 张圣福) and in 发水河村: two
elderly residents each, approved, and a volunteer per village who signs in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from hongniudai.accounts.models import Role, User
from hongniudai.care.soup import services
from hongniudai.care.soup.models import RuleKind, SoupRecipient
from hongniudai.places.models import AreaNode, Resident
from hongniudai.volunteers.interface import Volunteer
from tests import factories as f


@dataclass
class SoupTown:
    town: Any
    admin: User
    hmf: User  # 何梅畈村's secretary
    elders: list[Resident]  # 何梅畈村, 张家冲
    fsh_elders: list[Resident]  # 发水河村, 施家湾
    volunteer: Volunteer  # 何梅畈村, signs in as "hmf_volunteer"
    other_volunteer: Volunteer  # 发水河村, signs in as "fsh_volunteer"

    @property
    def hamlet(self) -> AreaNode:
        return self.town.hemeifan.hamlet

    @property
    def village(self) -> AreaNode:
        return self.town.hemeifan.area


def volunteer_user(username: str, area: AreaNode, name: str) -> tuple[User, Volunteer]:
    user = f.user(username, Role.VOLUNTEER, area=area)
    return user, f.volunteer(area, name, user=user)


def approved_list(actor: User, village: AreaNode) -> list[SoupRecipient]:
    rows = services.propose_recipients(actor=actor, village=village, today=dt.date(2026, 12, 1))
    services.approve_proposed(actor=actor, village=village)
    return rows


@pytest.fixture
def soup(town: Any) -> SoupTown:
    admin = town.users["admin"]
    services.save_rule(actor=admin, area=town.town, kind=RuleKind.AGE, min_age=80, source="镇党委会议决定")
    elders = []
    for i, name in enumerate(("张老太", "张老汉")):
        hh = f.household(town.hemeifan.hamlet, f"张家冲{10 + i}号")
        elders.append(f.resident(hh, name, birth=dt.date(1938, 5, 1 + i)))
    fsh = []
    for i, name in enumerate(("施奶奶", "施爷爷")):
        hh = f.household(town.fashuihe.hamlet, f"施家湾{10 + i}号")
        fsh.append(f.resident(hh, name, birth=dt.date(1940, 6, 1 + i)))
    _u, vol = volunteer_user("hmf_volunteer", town.hemeifan.area, "何志愿")
    _u2, other = volunteer_user("fsh_volunteer", town.fashuihe.area, "施志愿")
    services.set_hamlet_volunteer(actor=admin, hamlet=town.hemeifan.hamlet, volunteer=vol)
    services.set_hamlet_volunteer(actor=admin, hamlet=town.fashuihe.hamlet, volunteer=other)
    approved_list(admin, town.hemeifan.area)
    approved_list(admin, town.fashuihe.area)
    return SoupTown(town, admin, town.users["hemeifan"], elders, fsh, vol, other)
