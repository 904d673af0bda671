"""The collective economy the economy imports write into, on top of the shared `town`: 徐桥村's
collective economic organisation (with books) and a cooperative it founded, 发水河村's collective,
three numbered households of 黄家湾 (黄文华's, 黄建国's, 黄春梅's), a land transfer decision and an
enterprise."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from hongniudai.collective.interface import Decision, DecisionSubject, EconomicOrg, OrgKind
from hongniudai.enterprises.interface import Enterprise
from hongniudai.places.models import Household
from tests import factories as f
from tests.conftest import Town
from tests.land.conftest import open_org


@dataclass
class Economy:
    town: Town
    collective: EconomicOrg
    coop: EconomicOrg
    fsh_collective: EconomicOrg
    households: list[Household]
    decision: Decision
    enterprise: Enterprise


@pytest.fixture
def economy(town: Town) -> Economy:
    xq = town.xuqiao
    collective = open_org(xq.area, "徐桥村股份经济合作社", OrgKind.SHAREHOLDING_COLLECTIVE)
    coop = open_org(xq.area, "徐桥村高粱种植专业合作社", OrgKind.SPECIALISED_COOPERATIVE, collective)
    fsh = open_org(town.fashuihe.area, "发水河村股份经济合作社", OrgKind.SHAREHOLDING_COLLECTIVE)
    xq.household.number = "XQ-05-001"
    xq.household.save(update_fields=["number"])
    households = [xq.household]
    for i, name in enumerate(("黄建国", "黄春梅"), start=2):
        h = f.household(xq.hamlet, f"黄家湾{i}号", number=f"XQ-05-00{i}")
        f.resident(h, name, relation="head", birth=dt.date(1965, 1, 1))
        households.append(h)
    decision = Decision.objects.create(
        village=xq.area, area_path=xq.area.path, subject=DecisionSubject.LAND_TRANSFER, title="坡地流转种植高粱"
    )
    enterprise = Enterprise.objects.create(
        name="徐桥酒业有限公司", uscc="91420704MA4XQ0002B", industry="agri_processing", area=xq.area
    )
    return Economy(town, collective, coop, fsh, households, decision, enterprise)
