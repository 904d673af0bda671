"""The service stations of 宋河镇: the town's catalogue (医保参保 in 3 working days, 证明开具 in 1),
徐桥村's station offering both with 黄文华 as the resident; 发水河村's station (out of scope for
xuqiao). Times are fixed: Friday 2026-03-06, 10:00 Beijing time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from hongniudai.care.stations import services
from hongniudai.care.stations.models import ServiceItem, ServiceStation

BJ = ZoneInfo("Asia/Shanghai")
FRIDAY = dt.datetime(2026, 3, 6, 10, 0, tzinfo=BJ)


@dataclass
class Stations:
    insurance: ServiceItem
    certificate: ServiceItem
    xuqiao: ServiceStation
    fashuihe: ServiceStation


@pytest.fixture
def stations(town: Any) -> Stations:
    admin = town.users["admin"]
    insurance = services.item_create(
        actor=admin, town=town.town, name="医保参保", time_limit=3, valid_from=dt.date(2025, 1, 1)
    )
    certificate = services.item_create(
        actor=admin, town=town.town, name="证明开具", time_limit=1, valid_from=dt.date(2025, 1, 1)
    )
    xq = services.station_create(
        actor=admin,
        village=town.xuqiao.area,
        name="徐桥村便民服务站",
        address="徐桥村村委会一楼",
        opening_hours="工作日 8:30-17:30",
        items=[insurance, certificate],
    )
    fsh = services.station_create(
        actor=admin, village=town.fashuihe.area, name="发水河村便民服务站", items=[insurance, certificate]
    )
    return Stations(insurance, certificate, xq, fsh)
