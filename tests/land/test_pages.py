"""The land pages as the village secretary uses them: lists with their Excel export, a parcel and
a contract registered through the forms, a payment recorded, the internal accounts cleared; Chinese
errors; view-only users see but cannot write; the menu entry."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from hongniudai.land import rent
from hongniudai.land.models import InstalmentStatus, Parcel, RentInstalment, TransferContract

from .conftest import YEAR, LandTown, contract

pytestmark = pytest.mark.django_db


def _xlsx(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    content = b"".join(response.streaming_content)
    ws = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]


def test_the_menu_offers_land_transfer(lt: LandTown) -> None:
    page = lt.town.client_for("xuqiao").get(reverse("land:parcel_list")).content.decode()
    assert "集体经济" in page and reverse("land:contract_list") in page
    assert "登记地块" in page


def test_parcels_list_and_export(lt: LandTown) -> None:
    client = lt.town.client_for("xuqiao")
    page = client.get(reverse("land:parcel_list")).content.decode()
    assert "1号田" in page and "黄春梅" in page
    rows = _xlsx(client.get(reverse("land:parcel_list") + "?export=xlsx"))
    assert any("2号田" in row for row in rows)
    assert lt.town.client_for("fashuihe").get(reverse("land:parcel_list")).content.decode().count("号田") == 0


def test_registering_a_parcel_through_the_form(lt: LandTown) -> None:
    client = lt.town.client_for("xuqiao")
    data = {
        "household": lt.households[1].pk,
        "name": "塘边田",
        "registered_area": "1.50",
        "measured_area": "-2",
        "kind": "arable",
    }
    response = client.post(reverse("land:parcel_create"), data)
    assert response.status_code == 200
    assert "面积必须大于零。" in response.content.decode()
    data["measured_area"] = "1.62"
    response = client.post(reverse("land:parcel_create"), data)
    parcel = Parcel.objects.get(name="塘边田")
    assert response.status_code == 302 and response.url == parcel.get_absolute_url()
    assert parcel.area == Decimal("1.62")
    assert "1.62" in client.get(parcel.get_absolute_url()).content.decode()


def test_registering_a_contract_adding_parcels_and_paying(lt: LandTown) -> None:
    client = lt.town.client_for("xuqiao")
    data = {
        "village": lt.town.xuqiao.area.pk,
        "number": "XQ-表单",
        "kind": "lease",
        "org": lt.coop.pk,
        "starts_on": f"{YEAR}-01-01",
        "ends_on": f"{YEAR}-12-31",
        "rent_per_mu": "700.001",
        "cycle": "yearly",
        "due_month": "3",
        "due_day": "1",
        "signed_on": f"{YEAR}-01-01",
    }
    response = client.post(reverse("land:contract_create"), data)
    assert "两位小数" in response.content.decode()
    data["rent_per_mu"] = "700.00"
    response = client.post(reverse("land:contract_create"), data)
    c = TransferContract.objects.get(number="XQ-表单")
    assert response.status_code == 302
    detail = client.get(c.get_absolute_url()).content.decode()
    assert "未关联“土地流转”的四议两公开决策" in detail
    add = reverse("land:contract_add_parcel", args=[c.pk])
    response = client.post(add, {"parcel": lt.parcels[0].pk, "area": "3.5"})
    assert "最多还能流转 3.00 亩" in response.content.decode()
    assert client.post(add, {"parcel": lt.parcels[0].pk, "area": "2"}).status_code == 302
    instalment = RentInstalment.objects.get(contract=c)
    assert instalment.amount == Decimal("1400.00")
    response = client.post(reverse("land:instalment_pay", args=[instalment.pk]), {"paid_on": f"{YEAR}-03-02"})
    assert response.status_code == 302
    instalment.refresh_from_db()
    assert instalment.status == InstalmentStatus.PAID
    detail = client.get(c.get_absolute_url()).content.decode()
    assert "支付农户租金" in detail and "1400.00" in detail
    assert "XQ-表单" in client.get(reverse("land:contract_list")).content.decode()
    rows = _xlsx(client.get(reverse("land:contract_list") + "?export=xlsx"))
    assert any("XQ-表单" in row for row in rows)


def test_the_enterprise_s_rent_on_the_internal_accounts_page(lt: LandTown) -> None:
    c = contract(lt, enterprise=True)
    client = lt.town.client_for("xuqiao")
    response = client.post(
        reverse("land:contract_receive", args=[c.pk]), {"received_on": f"{YEAR}-02-20", "amount": "10000.00"}
    )
    assert response.status_code == 302
    page = client.get(reverse("land:internal_accounts")).content.decode()
    assert page.count("3333.33") == 4 and "3333.34" in page and "10000.00" in page  # received and owed
    for instalment in RentInstalment.objects.filter(contract=c, due_on__year=YEAR):
        client.post(reverse("land:instalment_pay", args=[instalment.pk]), {"paid_on": f"{YEAR}-03-02"})
    page = client.get(reverse("land:internal_accounts")).content.decode()
    assert "7600.00" in page  # 10,000 received, 2,400 paid out: still owed


def test_a_view_only_officer_sees_but_cannot_write(lt: LandTown) -> None:
    c = contract(lt)
    client = lt.town.client_for("xq_officer")
    assert client.get(c.get_absolute_url()).status_code == 200
    assert client.get(reverse("land:contract_create")).status_code == 403
    assert client.get(reverse("land:contract_edit", args=[c.pk])).status_code == 403
    instalment = RentInstalment.objects.filter(contract=c).first()
    assert instalment is not None
    assert (
        client.post(reverse("land:instalment_pay", args=[instalment.pk]), {"paid_on": "2025-03-01"}).status_code == 403
    )
    assert "支付</a>" not in client.get(c.get_absolute_url()).content.decode()


def test_ending_a_contract_through_its_page(lt: LandTown) -> None:
    c = contract(lt)
    client = lt.town.client_for("xuqiao")
    assert client.post(reverse("land:contract_end", args=[c.pk]), {"status": "terminated"}).status_code == 302
    c.refresh_from_db()
    assert c.status == "terminated"
    assert not RentInstalment.objects.filter(contract=c).exists()
    assert dt.date.today()  # the page still renders
    assert client.get(c.get_absolute_url()).status_code == 200


def test_the_voucher_page_links_back_to_the_contract(lt: LandTown) -> None:
    c = contract(lt, enterprise=True)
    receipt = rent.receive_rent(actor=lt.xq, contract=c, received_on=dt.date(YEAR, 2, 20), amount=Decimal("900.00"))
    page = (
        lt.town.client_for("xuqiao").get(reverse("ledger:voucher_detail", args=[receipt.voucher_id])).content.decode()
    )
    assert c.get_absolute_url() in page and "租金收付" in page


def test_every_form_page_renders_for_the_secretary(lt: LandTown) -> None:
    c = contract(lt, enterprise=True)
    instalment = RentInstalment.objects.filter(contract=c).first()
    assert instalment is not None
    client = lt.town.client_for("xuqiao")
    urls = [
        reverse("land:parcel_create"),
        reverse("land:parcel_edit", args=[lt.parcels[0].pk]),
        reverse("land:contract_create"),
        reverse("land:contract_edit", args=[c.pk]),
        reverse("land:contract_add_parcel", args=[c.pk]),
        reverse("land:contract_end", args=[c.pk]),
        reverse("land:contract_receive", args=[c.pk]),
        reverse("land:instalment_pay", args=[instalment.pk]),
        reverse("land:parcel_detail", args=[lt.parcels[0].pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    edit = client.post(
        reverse("land:parcel_edit", args=[lt.parcels[0].pk]),
        {"household": lt.households[0].pk, "name": "改名田", "registered_area": "3", "kind": "pond", "grade": "2"},
    )
    assert edit.status_code == 302
    lt.parcels[0].refresh_from_db()
    assert (lt.parcels[0].name, lt.parcels[0].kind, lt.parcels[0].grade) == ("改名田", "pond", 2)


def test_the_contract_scan_is_downloaded_in_scope_only(lt: LandTown, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    client = lt.town.client_for("xuqiao")
    data = {
        "village": lt.town.xuqiao.area.pk,
        "number": "XQ-扫描件",
        "kind": "lease",
        "org": lt.coop.pk,
        "starts_on": f"{YEAR}-01-01",
        "ends_on": f"{YEAR}-12-31",
        "rent_per_mu": "700.00",
        "cycle": "yearly",
        "due_month": "3",
        "due_day": "1",
        "signed_on": f"{YEAR}-01-01",
        "document": SimpleUploadedFile("流转合同.pdf", b"%PDF-1.4 scan", content_type="application/pdf"),
    }
    assert client.post(reverse("land:contract_create"), data).status_code == 302
    c = TransferContract.objects.get(number="XQ-扫描件")
    url = reverse("land:contract_document", args=[c.pk])
    assert url in client.get(c.get_absolute_url()).content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 scan"
    assert lt.town.client_for("fashuihe").get(url).status_code == 404


def test_the_collective_s_own_land_in_an_enterprise_s_contract_through_the_pages(lt: LandTown) -> None:
    client = lt.town.client_for("xuqiao")
    data = {
        "village": lt.town.xuqiao.area.pk,
        "number": "XQ-机动地",
        "kind": "lease",
        "org": lt.collective.pk,
        "enterprise": lt.enterprise.pk,
        "collective_area": "2.5",
        "starts_on": f"{YEAR}-01-01",
        "ends_on": f"{YEAR}-12-31",
        "rent_per_mu": "800.00",
        "cycle": "yearly",
        "due_month": "3",
        "due_day": "1",
        "signed_on": f"{YEAR}-01-01",
    }
    assert client.post(reverse("land:contract_create"), data).status_code == 302
    c = TransferContract.objects.get(number="XQ-机动地")
    assert c.collective_area == Decimal("2.5")
    response = client.post(
        reverse("land:contract_receive", args=[c.pk]), {"received_on": f"{YEAR}-03-01", "amount": "2000.00"}
    )
    assert response.status_code == 302
    detail = client.get(c.get_absolute_url()).content.decode()
    assert "集体机动地面积(亩)" in detail
    assert "集体留存 2000.00 元" in detail
