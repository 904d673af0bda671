"""The measures on a small fixed data set: what a town admin reads for a month."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hongniudai.care.stations import orgs, selectors, services
from hongniudai.care.stations.forms import period_of

from .conftest import BJ

pytestmark = pytest.mark.django_db


def test_measures_per_station_and_town_for_a_month(town, stations):
    admin = town.users["admin"]
    march = dt.datetime(2026, 3, 2, 9, 0, tzinfo=BJ)  # Monday

    def receive(station, resident, **kw):
        return services.request_receive(
            actor=admin, station=station, item=stations.certificate, channel="walk_in", resident=resident, **kw
        )

    with time_machine.travel(dt.datetime(2026, 3, 20, 9, 0, tzinfo=BJ), tick=False):
        on_time = receive(stations.xuqiao, town.xuqiao.head, received_at=march, home_service=True)
        services.request_complete(
            actor=admin, request=on_time, outcome="done", completed_at=march + dt.timedelta(hours=5)
        )
        services.request_rate(actor=admin, request=on_time, satisfaction="satisfied")
        late = receive(stations.xuqiao, town.xuqiao.head, received_at=march)
        services.request_complete(actor=admin, request=late, outcome="done", completed_at=march + dt.timedelta(days=4))
        services.request_rate(actor=admin, request=late, satisfaction="dissatisfied")
        receive(stations.xuqiao, town.xuqiao.head, received_at=march)  # still open
        receive(stations.fashuihe, town.fashuihe.head, received_at=march, home_service=True)
        receive(stations.xuqiao, town.xuqiao.head, received_at=march - dt.timedelta(days=5))  # February: not counted
        org = orgs.org_create(actor=admin, kind="womens_federation", area=town.xuqiao.area, name="徐桥村妇联")
        orgs.activity_record(actor=admin, org=org, title="宣讲", held_on=dt.date(2026, 3, 8), participant_count=20)
        orgs.activity_record(actor=admin, org=org, title="义诊", held_on=dt.date(2026, 3, 9), participant_count=15)
        town_org = orgs.org_create(actor=admin, kind="trade_union", area=town.town, name="宋河镇总工会")
        orgs.activity_record(
            actor=admin,
            org=town_org,
            title="送温暖",
            held_on=dt.date(2026, 3, 10),
            station=stations.fashuihe,
            participant_count=8,
        )

    start, end = period_of("month", 2026, 3)
    rows, total = selectors.request_measures(admin, start=start, end=end)
    by = {r.label: r for r in rows}
    xq = by["徐桥村"]
    assert (xq.requests, xq.completed, xq.on_time, xq.home, xq.rated, xq.satisfied) == (3, 2, 1, 1, 2, 1)
    assert xq.on_time_rate == 50.0 and xq.satisfaction_rate == 50.0
    assert (by["发水河村"].requests, by["发水河村"].home, by["发水河村"].on_time_rate) == (1, 1, None)
    assert (total.requests, total.completed, total.home) == (4, 2, 2)
    # A village secretary's measures are their village's only.
    mine, _total = selectors.request_measures(town.users["xuqiao"], start=start, end=end)
    assert [r.label for r in mine] == ["徐桥村"]
    activities = selectors.org_measures(admin, start=start, end=end)
    assert [(a.village, a.kind_label, a.activities, a.participants) for a in activities] == [
        ("徐桥村", "妇联", 2, 35),
        ("发水河村", "工会", 1, 8),
    ]


def test_periods():
    assert period_of("month", 2026, 2) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert period_of("quarter", 2026, 4) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert period_of("year", 2025, None) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
