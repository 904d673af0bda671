"""Recording production: work days and their wages (exact, accrued to the household's sub-account,
paid never beyond what is due), deliveries never beyond the contract, sales, each posted as a
voucher that names the event; every refusal in Chinese and nothing saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hongniudai.audit.models import AuditEvent
from hongniudai.ledger.interface import reverse_voucher
from hongniudai.ledger.models import Voucher
from hongniudai.ledger.services import close_period
from hongniudai.production import interface, selectors, services
from hongniudai.production.models import (
    Delivery,
    OutputUnit,
    PaidFrom,
    PriceUnit,
    SettledBy,
    WagePayment,
    WorkRecord,
)

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def _lines(voucher: Voucher) -> list[tuple[str, int, int]]:
    return [(line.account.code, line.debit_fen, line.credit_fen) for line in voucher.lines.order_by("id")]


def _work(farm, **kw):
    values = {
        "org": farm.org,
        "worker": farm.worker,
        "worked_on": dt.date(YEAR, 5, 6),
        "worked_until": dt.date(YEAR, 5, 8),
        "days": Decimal("2.5"),
        "daily_rate": Decimal("120.00"),
        "task": "间苗除草",
    }
    return services.record_work(actor=farm.secretary, **{**values, **kw})


def test_two_and_a_half_days_at_120_accrue_exactly_300_to_the_household_s_labour_account(farm):
    planting = farm.planting()
    record = _work(farm, planting=planting)
    assert record.amount == Decimal("300.00")
    assert record.household == farm.worker.household
    lines = _lines(record.voucher)
    assert lines[0] == ("401", 30000, 0)
    assert lines[1][0].startswith("213") and lines[1][0] != "213" and lines[1][1:] == (0, 30000)
    assert record.voucher.source == f"production.workrecord:{record.pk}"
    assert AuditEvent.objects.filter(action="production_work_recorded", target_id=str(record.pk)).exists()
    row = selectors.planting_get(farm.secretary, planting.pk)
    assert (row.work_days, row.wages) == (Decimal("2.5"), Decimal("300.00"))


@pytest.mark.parametrize(
    ("days", "field", "message"),
    [
        (Decimal("0"), "days", "天数必须大于零"),
        (Decimal("-1"), "days", "天数必须大于零"),
        (Decimal("1.25"), "days", "天数最多保留 1 位小数"),
        (Decimal("1.3"), "days", "半天"),
    ],
)
def test_zero_negative_or_odd_days_are_refused_and_nothing_saved(farm, days, field, message):
    with pytest.raises(ValidationError) as e:
        _work(farm, days=days)
    assert message in str(e.value.message_dict[field])
    assert not WorkRecord.objects.exists() and not Voucher.objects.exists()


def test_a_rate_with_three_decimals_is_refused(farm):
    with pytest.raises(ValidationError) as e:
        _work(farm, daily_rate=Decimal("120.005"))
    assert "最多保留 2 位小数" in str(e.value.message_dict["daily_rate"])


def test_a_worker_from_another_village_is_refused(farm):
    with pytest.raises(ValidationError) as e:
        _work(farm, worker=farm.outsider)
    assert "不是本村村民" in str(e.value.message_dict["worker"])
    assert not WorkRecord.objects.exists()


def test_another_village_s_secretary_may_not_record_work(farm):
    with pytest.raises(PermissionDenied):
        services.record_work(
            actor=farm.town.users["fashuihe"],
            org=farm.org,
            worker=farm.worker,
            worked_on=dt.date(YEAR, 5, 6),
            days=Decimal(1),
            daily_rate=Decimal(100),
            task="除草",
        )


def test_wages_due_after_a_payment_and_no_more_than_due_may_be_paid(farm):
    _work(farm)
    _work(farm, worked_on=dt.date(YEAR, 6, 1), worked_until=None, days=Decimal("0.5"), daily_rate=Decimal("150"))
    assert services.wages_due(org=farm.org, worker=farm.worker) == Decimal("375.00")
    payment = services.pay_wages(
        actor=farm.secretary, org=farm.org, worker=farm.worker, amount=Decimal("300.00"), paid_on=dt.date(YEAR, 6, 30)
    )
    assert _lines(payment.voucher)[1] == ("102", 0, 30000)
    assert _lines(payment.voucher)[0][0].startswith("213")
    [due] = selectors.wages_due(farm.secretary, org=farm.org)
    assert (due.days, due.accrued, due.paid, due.due) == (
        Decimal("3.0"),
        Decimal("375.00"),
        Decimal("300.00"),
        Decimal("75.00"),
    )
    with pytest.raises(ValidationError) as e:
        services.pay_wages(
            actor=farm.secretary,
            org=farm.org,
            worker=farm.worker,
            amount=Decimal("75.01"),
            paid_on=dt.date(YEAR, 7, 1),
            paid_from=PaidFrom.CASH,
        )
    assert "75.00" in str(e.value.message_dict["amount"])
    assert WagePayment.objects.count() == 1
    rows = interface.paid_to_households(farm.town.xuqiao.area, YEAR)
    assert [(r.household_id, r.amount, r.voucher_id, r.event) for r in rows] == [
        (farm.worker.household_id, Decimal("300.00"), payment.voucher_id, payment)
    ]
    [household] = interface.wages_paid_to_households(farm.town.xuqiao.area, YEAR)
    assert household == interface.HouseholdWages(farm.worker.household_id, Decimal("300.00"), (payment.voucher_id,))
    assert interface.wages_paid_to_households(farm.town.fashuihe.area, YEAR) == []


def test_a_delivery_is_income_at_the_contract_price(farm):
    contract = farm.contract()
    delivery = services.record_delivery(
        actor=farm.secretary, contract=contract, delivered_on=dt.date(YEAR, 9, 20), quantity_kg=Decimal("30000")
    )
    # 30,000 kg = 60,000 jin at 1.30 yuan a jin
    assert delivery.amount == Decimal("78000.00")
    assert _lines(delivery.voucher) == [("112", 7800000, 0), ("501", 0, 7800000)]
    row = selectors.contract_get(farm.secretary, contract.pk)
    assert (row.delivered_kg, row.owed_kg) == (Decimal("30000"), Decimal("70000"))
    schedule = selectors.contract_schedule(farm.secretary, row, today=dt.date(YEAR, 10, 1))
    assert [(r.delivered, r.owed, r.late) for r in schedule] == [
        (Decimal("30000"), Decimal("30000"), True),
        (Decimal("0"), Decimal("40000"), False),
    ]


def test_a_price_per_tonne_is_kept_and_applied_exactly(farm):
    contract = farm.contract(price=Decimal("2650.00"), price_unit=PriceUnit.TONNE, schedule=[])
    delivery = services.record_delivery(
        actor=farm.secretary, contract=contract, delivered_on=dt.date(YEAR, 9, 20), quantity_kg=Decimal("12345.6")
    )
    assert delivery.amount == Decimal("32715.84")  # 12.3456 t × 2650 = 32715.84


def test_a_delivery_beyond_what_the_contract_still_owes_is_refused_with_the_figure(farm):
    contract = farm.contract()
    services.record_delivery(
        actor=farm.secretary, contract=contract, delivered_on=dt.date(YEAR, 9, 20), quantity_kg=Decimal("99000")
    )
    vouchers = Voucher.objects.count()
    with pytest.raises(ValidationError) as e:
        services.record_delivery(
            actor=farm.secretary, contract=contract, delivered_on=dt.date(YEAR, 10, 2), quantity_kg=Decimal("1500")
        )
    message = str(e.value.message_dict["quantity_kg"])
    assert "1000" in message and "2000 斤" in message
    assert Delivery.objects.count() == 1 and Voucher.objects.count() == vouchers


def test_a_schedule_that_does_not_add_up_is_refused(farm):
    with pytest.raises(ValidationError) as e:
        farm.contract(schedule=[(dt.date(YEAR, 9, 30), Decimal("60000"))])
    assert "不符" in str(e.value.message_dict["schedule"])


def test_brewing_and_selling_liquor_and_the_income_by_source(farm):
    farm.planting()
    contract = farm.contract()
    services.record_delivery(
        actor=farm.secretary, contract=contract, delivered_on=dt.date(YEAR, 9, 20), quantity_kg=Decimal("50000")
    )
    services.record_processing(
        actor=farm.secretary,
        org=farm.org,
        input_crop="红高粱",
        input_kg=Decimal("5000"),
        product="高粱酒",
        output_quantity=Decimal("10000"),
        product_unit=OutputUnit.JIN,
        processed_on=dt.date(YEAR, 11, 1),
    )
    sale = services.record_sale(
        actor=farm.secretary,
        org=farm.org,
        product="高粱酒",
        quantity=Decimal("10000"),
        product_unit=OutputUnit.JIN,
        unit_price=Decimal("25.00"),
        sold_on=dt.date(YEAR, 12, 10),
        buyer_name="县城超市",
    )
    assert sale.amount == Decimal("250000.00")
    assert _lines(sale.voucher) == [("102", 25000000, 0), ("501", 0, 25000000)]
    sources = interface.income_by_source(farm.org, YEAR)
    assert [(s.kind, s.amount) for s in sources] == [("contract", Decimal("130000.00")), ("sale", Decimal("250000.00"))]
    assert "徐桥酒业" in sources[0].label
    assert interface.income_by_source(farm.org, YEAR - 1) == []


def test_the_income_of_many_organisations_is_one_query(farm, django_assert_num_queries):
    """Deliveries and sales, each with what its voucher credited to 501, are read together."""
    contract = farm.contract()
    services.record_delivery(
        actor=farm.secretary, contract=contract, delivered_on=dt.date(YEAR, 9, 20), quantity_kg=Decimal("50000")
    )
    sale = services.record_sale(
        actor=farm.secretary,
        org=farm.org,
        product="高粱酒",
        quantity=Decimal("100"),
        product_unit=OutputUnit.JIN,
        unit_price=Decimal("25.00"),
        sold_on=dt.date(YEAR, 12, 10),
        buyer_name="县城超市",
    )
    with django_assert_num_queries(1):
        found = interface.incomes_by_source([farm.org.pk, farm.org.pk + 1000], YEAR)
    assert found[farm.org.pk] == interface.income_by_source(farm.org, YEAR)
    assert [(s.kind, s.amount) for s in found[farm.org.pk]] == [
        ("contract", Decimal("130000.00")),
        ("sale", Decimal("2500.00")),
    ]
    assert found[farm.org.pk][1].voucher_ids == [sale.voucher_id]
    assert found[farm.org.pk + 1000] == []
    with django_assert_num_queries(0):
        assert interface.incomes_by_source([], YEAR) == {}


def test_a_sale_needs_a_buyer_and_a_positive_price(farm):
    with pytest.raises(ValidationError) as e:
        services.record_sale(
            actor=farm.secretary,
            org=farm.org,
            product="高粱酒",
            quantity=Decimal("10"),
            product_unit=OutputUnit.BOTTLE,
            unit_price=Decimal("0"),
            sold_on=dt.date(YEAR, 12, 10),
            buyer_name="张三",
        )
    assert "单价必须大于零" in str(e.value.message_dict["unit_price"])


def test_a_harvest_before_sowing_is_refused_and_harvests_sum_on_the_planting(farm):
    planting = farm.planting()
    with pytest.raises(ValidationError):
        services.record_harvest(
            actor=farm.secretary, planting=planting, harvested_on=dt.date(YEAR, 4, 1), quantity_kg=Decimal(1)
        )
    services.record_harvest(
        actor=farm.secretary, planting=planting, harvested_on=dt.date(YEAR, 9, 10), quantity_kg=Decimal("98000.5")
    )
    assert selectors.planting_get(farm.secretary, planting.pk).harvest_kg == Decimal("98000.5")


def test_the_buyer_pays_a_delivery_and_never_more_than_it_owes(farm):
    contract = farm.contract()
    delivery = services.record_delivery(
        actor=farm.secretary, contract=contract, delivered_on=dt.date(YEAR, 9, 20), quantity_kg=Decimal("1000")
    )
    receipt = services.record_receipt(
        actor=farm.secretary, delivery=delivery, received_on=dt.date(YEAR, 10, 8), amount=Decimal("2000.00")
    )
    assert _lines(receipt.voucher) == [("102", 200000, 0), ("112", 0, 200000)]
    assert services.outstanding(delivery) == Decimal("600.00")
    with pytest.raises(ValidationError) as e:
        services.record_receipt(
            actor=farm.secretary, delivery=delivery, received_on=dt.date(YEAR, 10, 9), amount=Decimal("600.01")
        )
    assert "600.00" in str(e.value.message_dict["amount"])
    paid_at_once = services.record_delivery(
        actor=farm.secretary,
        contract=contract,
        delivered_on=dt.date(YEAR, 9, 21),
        quantity_kg=Decimal("10"),
        settled_by=SettledBy.BANK,
    )
    assert _lines(paid_at_once.voucher)[0] == ("102", 2600, 0)
    with pytest.raises(ValidationError):
        services.record_receipt(
            actor=farm.secretary, delivery=paid_at_once, received_on=dt.date(YEAR, 10, 9), amount=Decimal("1")
        )


def test_a_sale_reversed_in_red_no_longer_counts_as_income(farm):
    sale = services.record_sale(
        actor=farm.secretary,
        org=farm.org,
        product="高粱酒",
        quantity=Decimal("2"),
        product_unit=OutputUnit.BOTTLE,
        unit_price=Decimal("50"),
        sold_on=dt.date(YEAR, 12, 10),
        buyer_name="县城超市",
    )
    assert [s.amount for s in interface.income_by_source(farm.org, YEAR)] == [Decimal("100.00")]
    reverse_voucher(actor=farm.secretary, voucher=sale.voucher, date=dt.date(YEAR, 12, 11))
    assert interface.income_by_source(farm.org, YEAR) == []


def test_a_closed_month_refuses_the_posting_and_nothing_is_saved(farm):
    close_period(actor=farm.secretary, books=farm.org.books, year=YEAR, month=1)
    contract = farm.contract(signed_on=dt.date(YEAR, 1, 2), schedule=[])
    with pytest.raises(ValidationError) as e:
        services.record_delivery(
            actor=farm.secretary, contract=contract, delivered_on=dt.date(YEAR, 1, 20), quantity_kg=Decimal("10")
        )
    assert "结账" in str(e.value)
    assert not Delivery.objects.exists() and not Voucher.objects.exists()
