"""A small town with two villages: enough to test scoping both ways.

county 鄂州县 → town 宋河镇 → district 东片区 → 徐桥村 (group 5 → hamlet 黄家湾)
                                         → 发水河村 (group 1 → hamlet 施家湾)
                                         → 何梅畈村 (group 6 → hamlet 张家冲)
             → park 宋河精细化工产业园
Party: 宋河镇党委 → 东片区大总支 → each village branch → party group per grid.
Users: admin (town admin), xuqiao / fashuihe / hemeifan (village secretaries),
gridworker (徐桥村 group 5), zhangshengfu (centre household, 张家冲).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django.utils import translation

from hongniudai.accounts.models import Role, User
from hongniudai.governance import histograms
from hongniudai.party.models import BranchType, Member, OrgKind, PartyOrg
from hongniudai.places.models import AreaKind, AreaNode, Household, Resident
from tests import factories as f

PASSWORD = "Hnd-test-2026!"


@dataclass
class Village:
    area: AreaNode
    grid: AreaNode
    hamlet: AreaNode
    branch: PartyOrg
    group: PartyOrg
    household: Household
    head: Resident
    member: Member


@dataclass
class Town:
    county: AreaNode
    town: AreaNode
    district: AreaNode
    park: AreaNode
    committee: PartyOrg
    general_branch: PartyOrg
    xuqiao: Village
    fashuihe: Village
    hemeifan: Village
    users: dict[str, User]

    def client_for(self, username: str) -> Client:
        client = Client()
        client.force_login(self.users[username])
        return client


def _village(district: AreaNode, gb: PartyOrg, name: str, grid_name: str, hamlet_name: str, head: str) -> Village:
    v = f.area(district, name, AreaKind.VILLAGE)
    grid = f.area(v, grid_name, AreaKind.GRID)
    hamlet = f.area(grid, hamlet_name, AreaKind.HAMLET)
    branch = f.org(gb, f"{name}党支部", OrgKind.BRANCH, v, branch_type=BranchType.VILLAGE)
    group = f.org(branch, f"{name}{grid_name}党小组", OrgKind.PARTY_GROUP, grid)
    hh = f.household(hamlet, f"{name}{hamlet_name}1号")
    res = f.resident(hh, head, relation="head", birth=dt.date(1958, 3, 4), phone="13912345678")
    mem = f.member(res, branch, group=group)
    return Village(v, grid, hamlet, branch, group, hh, res, mem)


@pytest.fixture(autouse=True)
def fresh_id_numbers() -> None:
    f.reset_id_numbers()


@pytest.fixture(autouse=True)
def empty_shared_cache() -> None:
    """Sessions, users and their roles cached by an earlier test (whose rows are rolled back) go, and
    the histogram sums kept under the ids of its rollup cells."""
    caches["default"].clear()
    histograms.merged.clear()


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """A request that chose English (`set_language`) leaves it active in the thread: the next test
    starts in Chinese again, as a service called outside a request would."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def town(db: Any) -> Town:
    county = f.area(None, "鄂州县", AreaKind.COUNTY, code="420704")
    town = f.area(county, "宋河镇", AreaKind.TOWN)
    district = f.area(town, "东片区", AreaKind.DISTRICT)
    park = f.area(town, "宋河精细化工产业园", AreaKind.PARK)
    committee = f.org(None, "宋河镇党委", OrgKind.TOWN_COMMITTEE, town)
    gb = f.org(committee, "东片区大总支", OrgKind.GENERAL_BRANCH, district)
    xq = _village(district, gb, "徐桥村", "5组", "黄家湾", "黄文华")
    fsh = _village(district, gb, "发水河村", "1组", "施家湾", "施华成")
    hmf = _village(district, gb, "何梅畈村", "6组", "张家冲", "张圣福")
    users = {
        "admin": f.user("admin", Role.TOWN_ADMIN, area=town),
        "xuqiao": f.user("xuqiao", Role.VILLAGE_SECRETARY, area=xq.area),
        "fashuihe": f.user("fashuihe", Role.VILLAGE_SECRETARY, area=fsh.area),
        "hemeifan": f.user("hemeifan", Role.VILLAGE_SECRETARY, area=hmf.area),
        "gridworker": f.user("gridworker", Role.GRID_WORKER, area=xq.grid),
        "zhangshengfu": f.user("zhangshengfu", Role.CENTRE_HOUSEHOLD, area=hmf.hamlet),
    }
    return Town(county, town, district, park, committee, gb, xq, fsh, hmf, users)


@pytest.fixture
def admin_client(town: Town) -> Client:
    return town.client_for("admin")


@pytest.fixture
def xuqiao_client(town: Town) -> Client:
    return town.client_for("xuqiao")
