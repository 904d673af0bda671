"""One household's 2026 in 徐桥村, built through the packages' services: 1,600.00 yuan of land rent
(2 mu at 800), 240.00 yuan of wages for collective work (2 days at 120), a 12,500.00 dividend of
2025 paid in March 2026 (1 share of 4), 12,000.00 yuan of wages from a returnee's fish farm."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from hongniudai.collective.interface import EconomicOrg, OrgKind, ShareEntry, ShareKind
from hongniudai.distribution import services as distribution
from hongniudai.distribution.models import Dividend
from hongniudai.land import rent
from hongniudai.land import services as land
from hongniudai.land.models import RentInstalment
from hongniudai.places.models import Household
from hongniudai.production import services as production
from hongniudai.returnees import services as returnees
from tests import factories as f
from tests.distribution.helpers import APPROVED_ON, PAID_ON, draft_plan, holders, make_org
from tests.land.conftest import open_org

YEAR = 2026
RENT = Decimal("1600.00")
WAGES = Decimal("240.00")
DIVIDEND = Decimal("12500.00")
RETURNEE_WAGES = Decimal("12000.00")


@dataclass
class Year:
    town: Any
    household: Household
    collective: EconomicOrg
    coop: EconomicOrg
    events: dict[str, Any]


def build_year(town: Any) -> Year:
    actor = town.users["xuqiao"]
    household = town.xuqiao.household
    household.is_formerly_poor = True
    household.save(update_fields=["is_formerly_poor"])
    collective = make_org(town.xuqiao.area, actor)
    coop = open_org(town.xuqiao.area, "徐桥村稻虾种养专业合作社", OrgKind.SPECIALISED_COOPERATIVE, collective)
    events: dict[str, Any] = {}
    # Land rent: 2 mu leased to the cooperative at 800 a mu, paid on 5 March.
    parcel = land.create_parcel(actor=actor, household=household, name="1号田", registered_area=Decimal("3"))
    contract = land.create_contract(
        actor=actor,
        village=town.xuqiao.area,
        parcels=[(parcel, Decimal("2"))],
        org=coop,
        enterprise=None,
        starts_on=dt.date(YEAR, 1, 1),
        ends_on=dt.date(YEAR + 1, 12, 31),
        rent_per_mu=Decimal("800.00"),
        signed_on=dt.date(YEAR - 1, 12, 20),
        due_month=3,
        due_day=1,
        number="XQ-2026-01",
    )
    instalment = RentInstalment.objects.filter(contract=contract).order_by("due_on").first()
    assert instalment is not None
    events["rent"] = rent.pay_instalment(actor=actor, instalment=instalment, paid_on=dt.date(YEAR, 3, 5))
    # Collective work: 2 days at 120, paid on 10 April.
    events["work"] = production.record_work(
        actor=actor,
        org=collective,
        worker=town.xuqiao.head,
        worked_on=dt.date(YEAR, 4, 1),
        worked_until=dt.date(YEAR, 4, 2),
        days=Decimal("2"),
        daily_rate=Decimal("120.00"),
        task="除草",
    )
    events["wages"] = production.pay_wages(
        actor=actor, org=collective, worker=town.xuqiao.head, amount=WAGES, paid_on=dt.date(YEAR, 4, 10)
    )
    # Dividend of 2025: 50,000 over 4 shares, 1 of them the household's, paid on 10 March 2026.
    ShareEntry.objects.create(
        org=collective,
        household=household,
        kind=ShareKind.MEMBER,
        contribution="allotted",
        shares=Decimal("1"),
        effective_on=dt.date(2020, 1, 1),
        reason="折股量化",
    )
    holders(collective, town.xuqiao.hamlet, ["1", "1", "1"])
    plan = draft_plan(collective, actor)
    distribution.add_item(actor=actor, plan=plan, kind="reserve", percentage=Decimal("20"))
    distribution.add_item(actor=actor, plan=plan, kind="dividends", amount=Decimal("50000.00"))
    plan = distribution.approve_plan(actor=actor, plan=plan, approved_on=APPROVED_ON)
    dividend = Dividend.objects.get(plan=plan, household=household)
    events["payout"] = distribution.record_payout(actor=actor, dividend=dividend, paid_on=PAID_ON)
    # A returnee's fish farm employs the household's head: 12,000 for 2026.
    founder_home = f.household(town.xuqiao.hamlet, "徐桥湾8号")
    founder = f.resident(founder_home, "黄志强", relation="head", birth=dt.date(1985, 5, 1))
    returnee = returnees.register_returnee(
        actor=actor, resident=founder, returned_on=dt.date(2019, 1, 1), came_from="深圳"
    )
    business = returnees.register_business(
        actor=actor, founder=returnee, name="徐桥鱼苗繁育场", kind="breeding", started_on=dt.date(2019, 4, 1)
    )
    employment = returnees.employ_resident(
        actor=actor, business=business, resident=town.xuqiao.head, started_on=dt.date(2020, 1, 1)
    )
    events["returnee_wages"] = returnees.record_wages(
        actor=actor, employment=employment, year=YEAR, amount=RETURNEE_WAGES
    )
    return Year(town, household, collective, coop, events)


@pytest.fixture
def year(town: Any) -> Year:
    return build_year(town)
