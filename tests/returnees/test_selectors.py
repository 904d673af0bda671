"""The reads: who is a party member or veteran (read, not copied), the businesses with the people
and the formerly poor households they employ counted, the measures per village, and the wages per
household that the household's benefit (phase 2) reads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from hongniudai.returnees import selectors, services
from hongniudai.returnees.interface import returnee_wages_of_households, returnee_wages_to_households
from tests import factories as f


def test_returnees_show_party_member_and_veteran_from_the_resident(town, programme):
    rows = {r.resident.name: r for r in selectors.returnees(town.users["xuqiao"])}
    assert set(rows) == {"罗华清", "陈磊"}  # 施华成 is 发水河村's
    assert rows["罗华清"].is_party_member and not rows["罗华清"].resident.is_veteran
    assert not rows["陈磊"].is_party_member and rows["陈磊"].resident.is_veteran
    user = town.users["xuqiao"]
    assert [r.resident.name for r in selectors.returnees(user, party_member=True)] == ["罗华清"]
    assert [r.resident.name for r in selectors.returnees(user, veteran=True)] == ["陈磊"]
    assert [r.resident.name for r in selectors.returnees(user, q="陈")] == ["陈磊"]
    assert [r.resident.name for r in selectors.returnees(town.users["admin"], village=town.fashuihe.area)] == ["施华成"]


def test_businesses_count_employees_and_formerly_poor_households(town, programme):
    xq = town.users["xuqiao"]
    # A second member of the poor household, and a worker from a household that is not poor.
    sister = f.resident(programme.poor_household, "黄小兰", sex="F")
    services.employ_resident(actor=xq, business=programme.pigs, resident=sister, started_on=dt.date(2021, 1, 1))
    services.employ_resident(
        actor=xq, business=programme.pigs, resident=town.xuqiao.head, started_on=dt.date(2021, 1, 1)
    )
    # One who left does not count today.
    gone = f.resident(f.household(town.xuqiao.hamlet, is_formerly_poor=True, is_monitored=True), "王五")
    services.employ_resident(
        actor=xq,
        business=programme.pigs,
        resident=gone,
        started_on=dt.date(2021, 1, 1),
        ended_on=dt.date(2021, 12, 31),
    )
    pigs = selectors.business_get(xq, programme.pigs.pk)
    assert (pigs.employee_count, pigs.household_count, pigs.poor_household_count) == (3, 2, 1)
    assert pigs.monitored_household_count == 0
    then = selectors.businesses(xq, on=dt.date(2021, 6, 1)).get(pk=programme.pigs.pk)
    assert (then.employee_count, then.poor_household_count, then.monitored_household_count) == (4, 2, 1)
    grape = selectors.business_get(xq, programme.grape.pk)
    assert (grape.employee_count, grape.poor_household_count) == (0, 0)


def test_measures_per_village(town, programme):
    xq = town.users["xuqiao"]
    services.record_wages(actor=xq, employment=programme.worker_job, year=2024, amount=Decimal("24000.50"))
    services.record_support(
        actor=xq,
        business=programme.pigs,
        kind="loan_interest",
        given_on=dt.date(2020, 3, 1),
        amount=Decimal("50000.00"),
        given_by="宋河镇政府",
    )
    rows = {m.village.name: m for m in selectors.village_measures(town.users["admin"], year=2024)}
    m = rows["徐桥村"]
    assert (m.returnees, m.businesses, m.jobs, m.poor_households) == (2, 2, 1, 1)
    assert m.investment == Decimal("3800000.00")
    assert (m.supports, m.support_amount, m.wages) == (1, Decimal("50000.00"), Decimal("24000.50"))
    assert (rows["发水河村"].returnees, rows["发水河村"].businesses) == (1, 1)
    assert [m.village.name for m in selectors.village_measures(xq)] == ["徐桥村"]


def test_wages_per_household_for_phase_two(town, programme):
    xq = town.users["xuqiao"]
    sister = f.resident(programme.poor_household, "黄小兰", sex="F")
    grape_job = services.employ_resident(
        actor=xq, business=programme.grape, resident=sister, started_on=dt.date(2023, 1, 1)
    )
    a = services.record_wages(actor=xq, employment=programme.worker_job, year=2024, amount=Decimal("24000.50"))
    b = services.record_wages(actor=xq, employment=grape_job, year=2024, amount=Decimal("9999.99"))
    services.record_wages(actor=xq, employment=grape_job, year=2023, amount=Decimal("1.00"))
    with CaptureQueriesContext(connection) as ctx:
        rows = returnee_wages_to_households(town.xuqiao.area, 2024)
    assert len(ctx.captured_queries) == 1
    assert len(rows) == 1
    row = rows[0]
    assert row.household_id == programme.poor_household.pk
    assert row.amount == Decimal("34000.49")
    assert set(row.employment_ids) == {programme.worker_job.pk, grape_job.pk}
    assert set(row.wage_record_ids) == {a.pk, b.pk}
    assert returnee_wages_to_households(town.fashuihe.area, 2024) == []
    assert returnee_wages_of_households([programme.poor_household.pk], 2024) == rows
    assert returnee_wages_of_households([programme.poor_household.pk], 2023)[0].amount == Decimal("1.00")
    assert returnee_wages_of_households([town.xuqiao.household.pk], 2024) == []


def test_the_business_list_takes_the_same_queries_for_more_rows(town, programme):
    admin = town.users["admin"]

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            list(selectors.businesses(admin))
            list(selectors.returnees(admin))
            selectors.village_measures(admin)
        return len(ctx.captured_queries)

    before = count()
    for i in range(3):
        res = f.resident(f.household(town.hemeifan.hamlet), f"返乡{i}")
        r = services.register_returnee(actor=admin, resident=res, returned_on=dt.date(2020, 1, 1), came_from="上海")
        services.register_business(
            actor=admin, founder=r, name=f"项目{i}", kind="other", started_on=dt.date(2020, 2, 1)
        )
    assert count() == before
