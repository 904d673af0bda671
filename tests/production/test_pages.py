"""The production pages: the secretary records work days and deliveries from a phone (short forms,
the decimal keypad), sees wages due and what the contract still owes, exports the lists; another
village's secretary sees none of it; a viewer records nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from hongniudai.production import services
from hongniudai.production.models import Delivery, OutputUnit, WorkRecord

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def test_the_menu_offers_production_to_who_reads_the_economy(farm):
    page = farm.town.client_for("xuqiao").get(reverse("production:planting_list")).content.decode()
    assert "集体经济" in page and "生产经营" in page


def test_recording_work_days_from_the_planting_page(farm):
    planting = farm.planting()
    client = farm.town.client_for("xuqiao")
    url = reverse("production:work_create") + f"?planting={planting.pk}"
    form = client.get(url + "&worker_q=黄").content.decode()
    assert 'inputmode="decimal"' in form and "黄文华" in form
    response = client.post(
        url,
        {
            "org": farm.org.pk,
            "planting": planting.pk,
            "worker": farm.worker.pk,
            "worked_on": f"{YEAR}-05-06",
            "worked_until": f"{YEAR}-05-08",
            "days": "2.5",
            "daily_rate": "120",
            "task": "间苗除草",
        },
        follow=True,
    )
    assert "应付工资 300.00 元" in response.content.decode()
    record = WorkRecord.objects.get()
    detail = client.get(reverse("production:planting_detail", args=[planting.pk])).content.decode()
    assert "黄文华" in detail and "300.00" in detail and "鄂州种业" in detail
    assert (
        reverse("ledger:voucher_detail", args=[record.voucher_id])
        in client.get(reverse("production:work_detail", args=[record.pk])).content.decode()
    )
    voucher_page = client.get(reverse("ledger:voucher_detail", args=[record.voucher_id])).content.decode()
    assert reverse("production:work_detail", args=[record.pk]) in voucher_page


def test_a_bad_number_is_a_chinese_error_on_the_form(farm):
    client = farm.town.client_for("xuqiao")
    response = client.post(
        reverse("production:work_create"),
        {
            "org": farm.org.pk,
            "worker": farm.worker.pk,
            "worked_on": f"{YEAR}-05-06",
            "days": "-1",
            "daily_rate": "abc",
            "task": "除草",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "请输入数字" in page
    assert not WorkRecord.objects.exists()


def test_a_delivery_beyond_the_contract_is_refused_on_the_page_with_the_figure(farm):
    contract = farm.contract()
    client = farm.town.client_for("xuqiao")
    url = reverse("production:delivery_create", args=[contract.pk])
    ok = client.post(url, {"delivered_on": f"{YEAR}-09-20", "quantity": "180000", "unit": "jin", "settled_by": "112"})
    assert ok.status_code == 302
    refused = client.post(
        url, {"delivered_on": f"{YEAR}-09-21", "quantity": "25", "unit": "tonne", "settled_by": "112"}
    )
    page = refused.content.decode()
    assert refused.status_code == 200 and "10000" in page and "20000 斤" in page
    assert Delivery.objects.count() == 1
    detail = client.get(reverse("production:contract_detail", args=[contract.pk])).content.decode()
    assert "234000.00" in detail  # 180,000 jin × 1.30


def test_wages_page_and_payment(farm):
    services.record_work(
        actor=farm.secretary,
        org=farm.org,
        worker=farm.worker,
        worked_on=dt.date(YEAR, 5, 6),
        days=Decimal("1"),
        daily_rate=Decimal("120"),
        task="除草",
    )
    client = farm.town.client_for("xuqiao")
    page = client.get(reverse("production:wages")).content.decode()
    assert "120.00" in page
    response = client.post(
        reverse("production:payment_create"),
        {"org": farm.org.pk, "worker": farm.worker.pk, "amount": "200", "paid_on": f"{YEAR}-06-01", "paid_from": "102"},
    )
    assert response.status_code == 200 and "超过了应付" in response.content.decode()
    response = client.post(
        reverse("production:payment_create"),
        {"org": farm.org.pk, "worker": farm.worker.pk, "amount": "120", "paid_on": f"{YEAR}-06-01", "paid_from": "102"},
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "name",
    ["planting_list", "work_list", "wages", "contract_list", "processing_list", "sale_list"],
)
def test_every_list_exports_to_excel(farm, name):
    farm.planting()
    response = farm.town.client_for("xuqiao").get(reverse(f"production:{name}") + "?export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_another_village_sees_none_of_it_and_a_grid_worker_records_nothing(farm):
    planting = farm.planting()
    other = farm.town.client_for("fashuihe")
    assert "红高粱" not in other.get(reverse("production:planting_list")).content.decode()
    assert other.get(reverse("production:planting_detail", args=[planting.pk])).status_code == 404
    grid = farm.town.client_for("gridworker")
    assert grid.get(reverse("production:planting_list")).status_code == 200
    assert grid.get(reverse("production:work_create")).status_code == 403


def test_income_page_sums_contract_deliveries_and_sales(farm):
    contract = farm.contract()
    services.record_delivery(
        actor=farm.secretary, contract=contract, delivered_on=dt.date(YEAR, 9, 20), quantity_kg=Decimal("1000")
    )
    services.record_sale(
        actor=farm.secretary,
        org=farm.org,
        product="高粱酒",
        quantity=Decimal("100"),
        product_unit=OutputUnit.BOTTLE,
        unit_price=Decimal("50"),
        sold_on=dt.date(YEAR, 12, 1),
        buyer_name="县城超市",
    )
    page = (
        farm.town.client_for("xuqiao")
        .get(reverse("production:income") + f"?village={farm.town.xuqiao.area.pk}&year={YEAR}")
        .content.decode()
    )
    assert "2600.00" in page and "5000.00" in page and "7600.00" in page


def test_other_forms_render_at_phone_width_without_errors(farm):
    client = farm.town.client_for("xuqiao")
    for name in ["planting_create", "contract_create", "processing_create", "sale_create", "payment_create", "income"]:
        response = client.get(reverse(f"production:{name}"))
        assert response.status_code == 200, name
        assert "viewport" in response.content.decode()


def test_recording_the_buyer_s_payment_from_the_contract_page(farm):
    contract = farm.contract()
    delivery = services.record_delivery(
        actor=farm.secretary, contract=contract, delivered_on=dt.date(YEAR, 9, 20), quantity_kg=Decimal("1000")
    )
    client = farm.town.client_for("xuqiao")
    detail = client.get(reverse("production:contract_detail", args=[contract.pk])).content.decode()
    url = reverse("production:receipt_create", args=[delivery.pk])
    assert url in detail
    assert "2600.00" in client.get(url).content.decode()
    refused = client.post(url, {"received_on": f"{YEAR}-10-01", "amount": "2600.01"})
    assert refused.status_code == 200 and "超过了" in refused.content.decode()
    assert client.post(url, {"received_on": f"{YEAR}-10-01", "amount": "2600"}).status_code == 302
    assert url not in client.get(reverse("production:contract_detail", args=[contract.pk])).content.decode()
