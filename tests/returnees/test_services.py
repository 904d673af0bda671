"""The writes of the returnee programme: what a clerk is refused, with a Chinese message, and what
is kept."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hongniudai.audit.models import AuditEvent
from hongniudai.returnees import services
from hongniudai.returnees.models import Employment, Returnee, Support, WageRecord
from tests import factories as f


def test_a_resident_is_registered_once_with_the_village_and_hamlet(town, programme):
    luo = programme.luo
    assert luo.village == town.xuqiao.area
    assert luo.area_path == town.xuqiao.hamlet.path
    with pytest.raises(ValidationError) as exc:
        services.register_returnee(
            actor=town.users["xuqiao"], resident=luo.resident, returned_on=dt.date(2020, 1, 1), came_from="上海"
        )
    assert "已登记为返乡能人" in str(exc.value)
    assert Returnee.objects.filter(resident=luo.resident).count() == 1
    assert AuditEvent.objects.filter(action="returnee_registered", target_id=str(luo.pk)).exists()


def test_a_resident_of_another_village_cannot_be_registered(town):
    with pytest.raises(PermissionDenied):
        services.register_returnee(
            actor=town.users["xuqiao"], resident=town.fashuihe.head, returned_on=dt.date(2020, 1, 1), came_from="上海"
        )


def test_a_return_in_the_future_or_from_nowhere_is_refused(town):
    res = town.xuqiao.head
    with pytest.raises(ValidationError) as exc:
        services.register_returnee(
            actor=town.users["xuqiao"], resident=res, returned_on=dt.date(2100, 1, 1), came_from=" "
        )
    assert set(exc.value.message_dict) == {"returned_on", "came_from"}
    assert not Returnee.objects.exists()


@pytest.mark.parametrize(
    ("investment", "message"),
    [(Decimal("-1"), "不能为负数"), (Decimal("1.001"), "两位小数"), ("abc", "不是有效的数字")],
)
def test_a_business_with_a_bad_investment_is_refused(town, programme, investment, message):
    with pytest.raises(ValidationError) as exc:
        services.register_business(
            actor=town.users["xuqiao"],
            founder=programme.luo,
            name="华清葡萄酒坊",
            kind="processing",
            started_on=dt.date(2021, 1, 1),
            investment=investment,
        )
    assert message in exc.value.message_dict["investment"][0]


def test_the_secretary_of_another_village_cannot_register_a_business_there(town, programme):
    with pytest.raises(PermissionDenied):
        services.register_business(
            actor=town.users["fashuihe"], founder=programme.luo, name="x", kind="other", started_on=dt.date(2021, 1, 1)
        )


def test_employment_overlapping_at_the_same_business_is_refused(town, programme):
    xq = town.users["xuqiao"]
    with pytest.raises(ValidationError) as exc:
        services.employ_resident(
            actor=xq, business=programme.pigs, resident=programme.worker, started_on=dt.date(2021, 3, 1)
        )
    assert "重叠" in exc.value.message_dict["resident"][0]
    # At another business, or after the first employment ended, it is fine.
    services.employ_resident(
        actor=xq, business=programme.grape, resident=programme.worker, started_on=dt.date(2021, 3, 1)
    )
    services.end_employment(actor=xq, employment=programme.worker_job, ended_on=dt.date(2022, 12, 31))
    again = services.employ_resident(
        actor=xq, business=programme.pigs, resident=programme.worker, started_on=dt.date(2023, 1, 1)
    )
    assert again.household == programme.poor_household
    with pytest.raises(ValidationError):
        services.employ_resident(
            actor=xq,
            business=programme.pigs,
            resident=programme.worker,
            started_on=dt.date(2022, 6, 1),
            ended_on=dt.date(2022, 7, 1),
        )


def test_an_employment_ending_before_it_starts_is_refused(town, programme):
    with pytest.raises(ValidationError) as exc:
        services.employ_resident(
            actor=town.users["xuqiao"],
            business=programme.grape,
            resident=town.xuqiao.head,
            started_on=dt.date(2022, 5, 1),
            ended_on=dt.date(2022, 4, 30),
        )
    assert "不能早于开始日期" in exc.value.message_dict["ended_on"][0]
    assert not Employment.objects.filter(resident=town.xuqiao.head).exists()


def test_a_resident_out_of_sight_cannot_be_employed(town, programme):
    with pytest.raises(ValidationError) as exc:
        services.employ_resident(
            actor=town.users["xuqiao"],
            business=programme.grape,
            resident=town.fashuihe.head,
            started_on=dt.date(2022, 5, 1),
        )
    assert "权限范围" in exc.value.message_dict["resident"][0]


@pytest.mark.parametrize(
    ("amount", "message"),
    [(Decimal("-100"), "大于零"), (Decimal("0"), "大于零"), (Decimal("100.005"), "两位小数")],
)
def test_bad_wages_are_refused(town, programme, amount, message):
    with pytest.raises(ValidationError) as exc:
        services.record_wages(actor=town.users["xuqiao"], employment=programme.worker_job, year=2024, amount=amount)
    assert message in exc.value.message_dict["amount"][0]
    assert not WageRecord.objects.exists()


def test_wages_outside_the_employment_are_refused(town, programme):
    with pytest.raises(ValidationError) as exc:
        services.record_wages(
            actor=town.users["xuqiao"], employment=programme.worker_job, year=2019, amount=Decimal("1000")
        )
    assert "用工期间" in exc.value.message_dict["year"][0]


def test_wages_of_a_year_are_recorded_once_and_corrected(town, programme):
    xq = town.users["xuqiao"]
    first = services.record_wages(actor=xq, employment=programme.worker_job, year=2024, amount=Decimal("24000.50"))
    second = services.record_wages(actor=xq, employment=programme.worker_job, year=2024, amount=Decimal("25000.00"))
    assert first.pk == second.pk
    assert WageRecord.objects.get().amount == Decimal("25000.00")
    assert AuditEvent.objects.filter(action="returnee_wages_corrected").count() == 1


def test_support_to_a_business_is_the_founders_and_refuses_bad_amounts(town, programme):
    xq = town.users["xuqiao"]
    support = services.record_support(
        actor=xq,
        business=programme.pigs,
        kind="loan_interest",
        given_on=dt.date(2020, 3, 1),
        amount=Decimal("50000.00"),
        given_by="宋河镇政府",
    )
    assert support.returnee == programme.chen
    assert support.village == town.xuqiao.area
    training = services.record_support(
        actor=xq, returnee=programme.luo, kind="training", given_on=dt.date(2020, 3, 1), given_by="区农业农村局"
    )
    assert training.amount is None
    with pytest.raises(ValidationError) as exc:
        services.record_support(
            actor=xq, returnee=programme.luo, kind="subsidy", given_on=dt.date(2020, 3, 1), given_by="", amount="-5"
        )
    assert set(exc.value.message_dict) == {"given_by", "amount"}
    with pytest.raises(PermissionDenied):
        services.record_support(
            actor=xq, business=programme.fish, kind="site", given_on=dt.date(2020, 3, 1), given_by="x"
        )
    assert Support.objects.count() == 2


def test_a_grid_worker_may_not_write(town, programme):
    with pytest.raises(PermissionDenied):
        services.register_returnee(
            actor=town.users["gridworker"],
            resident=f.resident(f.household(town.xuqiao.hamlet), "李四"),
            returned_on=dt.date(2020, 1, 1),
            came_from="上海",
        )


def test_a_business_cannot_start_before_its_founder_came_back_or_after_its_first_worker(town, programme):
    xq = town.users["xuqiao"]
    with pytest.raises(ValidationError) as exc:
        services.register_business(
            actor=xq, founder=programme.luo, name="早办项目", kind="other", started_on=dt.date(2010, 1, 1)
        )
    assert "返乡日期" in exc.value.message_dict["started_on"][0]
    with pytest.raises(ValidationError) as exc:
        services.update_business(
            actor=xq, business=programme.pigs, name="陈磊生猪养殖场", kind="breeding", started_on=dt.date(2021, 1, 1)
        )
    assert "最早的用工" in exc.value.message_dict["started_on"][0]
