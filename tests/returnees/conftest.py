"""The article's returnees in 徐桥村: 罗华清 (a party member) with a grape farm, 陈磊 (a veteran) with a
pig farm employing 黄文华's formerly poor household; and 施华成's fish farm in 发水河村 (out of scope
for xuqiao)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from hongniudai.places.models import Household, Resident
from hongniudai.returnees import services
from hongniudai.returnees.models import Business, Employment, Returnee
from tests import factories as f


@dataclass
class Programme:
    luo: Returnee
    chen: Returnee
    grape: Business
    pigs: Business
    poor_household: Household
    worker: Resident
    worker_job: Employment
    shi: Returnee
    fish: Business


@pytest.fixture
def programme(town: Any) -> Programme:
    admin = town.users["admin"]
    xq = town.xuqiao
    luo_hh = f.household(xq.hamlet, "黄家湾8号")
    luo_res = f.resident(luo_hh, "罗华清", relation="head", birth=dt.date(1975, 2, 1))
    f.member(luo_res, xq.branch, group=xq.group)
    chen_res = f.resident(f.household(xq.hamlet, "黄家湾9号"), "陈磊", relation="head", is_veteran=True)
    luo = services.register_returnee(
        actor=admin, resident=luo_res, returned_on=dt.date(2018, 3, 1), came_from="浙江宁波", skills="葡萄种植"
    )
    chen = services.register_returnee(actor=admin, resident=chen_res, returned_on=dt.date(2019, 5, 1), came_from="广东")
    grape = services.register_business(
        actor=admin,
        founder=luo,
        name="华清葡萄园",
        kind="planting",
        started_on=dt.date(2018, 6, 1),
        investment=Decimal("800000.00"),
        scale="葡萄 80 亩",
    )
    pigs = services.register_business(
        actor=admin,
        founder=chen,
        name="陈磊生猪养殖场",
        kind="breeding",
        started_on=dt.date(2019, 8, 1),
        investment=Decimal("3000000.00"),
        scale="存栏生猪 1 万头",
    )
    poor = f.household(xq.hamlet, "黄家湾5号", is_formerly_poor=True)
    worker = f.resident(poor, "黄小红", sex="F", relation="head")
    job = services.employ_resident(
        actor=admin, business=pigs, resident=worker, started_on=dt.date(2020, 1, 1), job="饲养员"
    )
    fsh = town.fashuihe
    shi = services.register_returnee(actor=admin, resident=fsh.head, returned_on=dt.date(2017, 1, 1), came_from="武汉")
    fish = services.register_business(
        actor=admin, founder=shi, name="施家湾鱼苗繁育场", kind="breeding", started_on=dt.date(2017, 4, 1)
    )
    return Programme(luo, chen, grape, pigs, poor, worker, job, shi, fish)
