"""Importing land parcels and transfer contracts from Excel through the land services: row errors
in Chinese, all or nothing, only in the importer's villages, and never twice."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

from django.urls import reverse
from openpyxl import load_workbook

from hongniudai.accounts.models import Role
from hongniudai.land.models import ContractParcel, Parcel, RentInstalment, TransferContract
from tests import factories as f

from .conftest import Economy
from .helpers import confirm, messages_at, upload_job

PARCEL_HEADERS = [
    "村",
    "地块名称",
    "户编号",
    "户主姓名",
    "确权面积(亩)",
    "实测面积(亩)",
    "土地类型",
    "地力等级",
    "坐落",
    "承包经营权证号",
    "地块范围",
    "备注",
]
CONTRACT_HEADERS = [
    "村",
    "合同编号",
    "流转方式",
    "流转地块",
    "流入方",
    "签订日期",
    "起始日期",
    "终止日期",
    "每亩年租金(元)",
    "支付方式",
    "支付月份",
    "支付日",
    "四议两公开决策",
    "备注",
]
SQUARE = "114.8,30.4;114.8005,30.4;114.8005,30.4004;114.8,30.4004"  # about 3.2 mu
WKT = "POLYGON((114.8 30.4, 114.8005 30.4, 114.8005 30.4004, 114.8 30.4))"  # about 1.6 mu


def _parcels() -> list[list[Any]]:
    return [
        ["徐桥村", "黄家湾大田", "XQ-05-001", "", 3, "", "耕地", "二等", "黄家湾东", "", SQUARE, ""],
        ["徐桥村", "黄家湾坡地", "", "黄建国", "2.5", 2, "", "", "", "", "", ""],
        ["徐桥村", "桃树冲", "XQ-05-003", "黄春梅", 1.5, "", "园地", "", "", "", WKT, ""],
    ]


def _contracts() -> list[list[Any]]:
    return [
        ["徐桥村", "XQ-2025-01", "出租", "黄家湾大田;黄家湾坡地:1.5", "徐桥村高粱种植专业合作社",
         "2024-12-20", "2025-01-01", "2034-12-31", 500, "按年支付", 3, 1, "坡地流转种植高粱", ""],
        ["徐桥村", "XQ-2025-02", "", "桃树冲", "徐桥酒业有限公司",
         "2024-12-20", "2025-01-01", "2027-12-31", "800.50", "按半年支付", "", "", "", "代企业收付"],
    ]  # fmt: skip


def _import(economy: Economy, kind: str, headers: list[str], rows: list[list[Any]], username: str = "xuqiao") -> Any:
    client = economy.town.client_for(username)
    job = upload_job(client, kind, headers, rows)
    assert job.error_rows == 0, job.errors
    confirm(client, job, "all")
    job.refresh_from_db()
    assert job.status == "done", job.errors
    return job


# ---- parcels ------------------------------------------------------------------------------


def test_a_good_file_registers_the_parcels_with_their_outlines(economy: Economy) -> None:
    job = _import(economy, "land_parcels", PARCEL_HEADERS, _parcels())
    assert job.imported_rows == 3
    parcels = {p.name: p for p in Parcel.objects.all()}
    assert {name: p.household_id for name, p in parcels.items()} == {
        "黄家湾大田": economy.households[0].pk,
        "黄家湾坡地": economy.households[1].pk,
        "桃树冲": economy.households[2].pk,
    }
    field = parcels["黄家湾大田"]
    assert (field.registered_area, field.kind, field.grade, field.location) == (
        Decimal("3.00"),
        "arable",
        2,
        "黄家湾东",
    )
    assert json.loads(field.polygon)["type"] == "Polygon"
    assert json.loads(parcels["桃树冲"].polygon)["coordinates"][0][0] == [114.8, 30.4]
    assert parcels["黄家湾坡地"].area == Decimal("2.00")  # the measured area
    assert {p.village_id for p in parcels.values()} == {economy.town.xuqiao.area.pk}


def test_bad_parcel_rows_are_named_in_chinese_and_nothing_is_saved(economy: Economy) -> None:
    rows = _parcels()
    rows[0][4] = -3
    rows[1][4] = "2.555"
    rows[2][6] = "水田"
    rows.append(["徐桥村", "大塘", "XQ-05-001", "", 10, "", "", "", "", "", SQUARE, ""])  # outline far too small
    rows.append(["徐桥村", "小塘", "XQ-05-001", "", 1, "", "", "", "", "", "114.8,30.4;114.8", ""])
    rows.append(["徐桥村", "小塘", "XQ-05-001", "", 1, "", "", "", "", "", "", ""])  # the same household's name again
    rows.append(["徐桥村", "菜地", "", "", 1, "", "", "", "", "", "", ""])  # no household
    rows.append(["徐桥村", "菜园", "XQ-05-002", "", 1, "", "", "", "", "", "", ""])  # good
    job = upload_job(economy.town.client_for("xuqiao"), "land_parcels", PARCEL_HEADERS, rows)
    assert messages_at(job, 2, "确权面积(亩)") == ["面积必须大于零。"]
    assert messages_at(job, 3, "确权面积(亩)") == ["面积最多保留两位小数。"]
    assert messages_at(job, 4, "土地类型") == ["应为以下之一:耕地、园地、林地、草地、坑塘水面、其他。"]
    assert "与登记面积 10 亩相差过大" in messages_at(job, 5, "地块范围")[0]
    assert messages_at(job, 6, "地块范围") == ["地块范围至少须有三个点,每点写作“经度,纬度”,点与点之间用分号隔开。"]
    assert messages_at(job, 7, "地块名称") == ["与第 6 行重复。"]
    assert messages_at(job, 8, "户编号") == ["请填写户编号或户主姓名。"]
    assert (job.good_rows, job.error_rows) == (1, 7)
    confirm(economy.town.client_for("xuqiao"), job, "all")
    assert not Parcel.objects.exists()


def test_another_village_s_parcels_are_refused_row_by_row(economy: Economy) -> None:
    rows = [*_parcels(), ["发水河村", "施家湾田", "", "施华成", 2, "", "", "", "", "", "", ""]]
    job = upload_job(economy.town.client_for("xuqiao"), "land_parcels", PARCEL_HEADERS, rows)
    assert job.error_rows == 1
    assert messages_at(job, 5, "村") == ["未找到村“发水河村”,或该村不在您的管辖范围内。"]
    other = upload_job(economy.town.client_for("fashuihe"), "land_parcels", PARCEL_HEADERS, _parcels())
    assert (other.good_rows, other.error_rows) == (0, 3)


def test_importing_the_same_parcels_again_registers_none_twice(economy: Economy) -> None:
    _import(economy, "land_parcels", PARCEL_HEADERS, _parcels())
    again = _import(
        economy, "land_parcels", PARCEL_HEADERS, [*_parcels(), ["徐桥村", "菜园", "XQ-05-002", "", 1] + [""] * 7]
    )
    assert again.imported_rows == 1
    assert [o["message"] for o in again.outcome][0] == "黄文华户已有地块“黄家湾大田”,跳过。"
    assert Parcel.objects.count() == 4


# ---- contracts ----------------------------------------------------------------------------


def test_a_good_file_signs_the_contracts_and_lays_out_their_rent(economy: Economy) -> None:
    _import(economy, "land_parcels", PARCEL_HEADERS, _parcels())
    job = _import(economy, "land_contracts", CONTRACT_HEADERS, _contracts())
    assert job.imported_rows == 2
    first, second = TransferContract.objects.order_by("number")
    assert (first.org, first.enterprise, first.decision) == (economy.coop, None, economy.decision)
    assert (first.rent_per_mu, first.due_month, first.cycle) == (Decimal("500.00"), 3, "yearly")
    parts = {cp.parcel.name: cp.area for cp in ContractParcel.objects.filter(contract=first).select_related("parcel")}
    assert parts == {"黄家湾大田": Decimal("3.00"), "黄家湾坡地": Decimal("1.50")}
    # An enterprise's rent goes through the village's collective, by half years.
    assert (second.org, second.enterprise, second.cycle) == (economy.collective, economy.enterprise, "half_yearly")
    assert (second.rent_per_mu, second.note) == (Decimal("800.50"), "代企业收付")
    assert RentInstalment.objects.filter(contract=first).count() == 2 * 10  # two households, ten years
    assert RentInstalment.objects.filter(contract=second).count() == 6


def test_bad_contract_rows_are_named_in_chinese_and_nothing_is_saved(economy: Economy) -> None:
    _import(economy, "land_parcels", PARCEL_HEADERS, _parcels())
    rows = _contracts()
    rows[0][3] = "黄家湾大田;没有的地;黄家湾坡地:-1"
    rows[1][4] = "不存在的公司"
    rows.append(
        [
            "徐桥村",
            "XQ-2025-03",
            "租赁",
            "桃树冲",
            "徐桥村股份经济合作社",
            "2024-12-20",
            "2026-01-01",
            "2025-12-31",
            "1.234",
            "按月支付",
            13,
            0,
            "",
            "",
        ]
    )
    rows.append(["徐桥村", "XQ-2025-01", "", "桃树冲", "徐桥村股份经济合作社",
                 "2024-12-20", "2025-01-01", "2025-12-31", 100, "", "", "", "", ""])  # fmt: skip
    client = economy.town.client_for("xuqiao")
    job = upload_job(client, "land_contracts", CONTRACT_HEADERS, rows)
    assert messages_at(job, 2, "流转地块") == ["徐桥村没有地块“没有的地”。", "“黄家湾坡地:-1”:流转面积必须大于零。"]
    assert messages_at(job, 3, "流入方") == ["“不存在的公司”不是本村的集体经济组织或合作社,也未找到该名称的企业。"]
    assert messages_at(job, 4, "流转方式") == ["应为以下之一:出租、转包、互换、转让、入股。"]
    assert messages_at(job, 4, "终止日期") == ["终止日期不能早于起始日期。"]
    assert messages_at(job, 4, "每亩年租金(元)") == ["租金最多保留两位小数。"]
    assert messages_at(job, 4, "支付方式") == ["应为以下之一:按年支付、按半年支付。"]
    assert messages_at(job, 4, "支付月份") == ["须是 1 至 12 之间的整数。"]
    assert messages_at(job, 4, "支付日") == ["须是 1 至 31 之间的整数。"]
    assert messages_at(job, 5, "合同编号") == ["与第 2 行重复。"]
    assert not TransferContract.objects.exists()


def test_a_parcel_transferred_beyond_its_area_is_refused_and_nothing_is_saved(economy: Economy) -> None:
    _import(economy, "land_parcels", PARCEL_HEADERS, _parcels())
    rows = [*_contracts(), _contracts()[1], _contracts()[1]]
    rows[2][1] = "XQ-2025-03"  # the same peach orchard, the same years, again
    rows[3][1:4] = ["XQ-2025-04", "", "桃树冲:1"]
    rows[3][6:8] = ["2028-01-01", "2030-12-31"]  # after the first ends: room again
    client = economy.town.client_for("xuqiao")
    job = upload_job(client, "land_contracts", CONTRACT_HEADERS, rows)
    assert messages_at(job, 4, "流转地块") == [
        "地块“桃树冲”面积 1.50 亩,同期已流转 1.50 亩,本合同最多还能流转 0.00 亩。"
    ]
    assert (job.good_rows, job.error_rows) == (3, 1)
    confirm(client, job, "all")
    assert not TransferContract.objects.exists()
    # Once the orchard's contract is signed, a later file finds it taken.
    _import(economy, "land_contracts", CONTRACT_HEADERS, _contracts())
    later = upload_job(client, "land_contracts", CONTRACT_HEADERS, rows[2:3])
    assert "最多还能流转 0.00 亩" in messages_at(later, 2, "流转地块")[0]


def test_another_village_s_contracts_are_refused_row_by_row(economy: Economy) -> None:
    _import(economy, "land_parcels", PARCEL_HEADERS, _parcels())
    job = upload_job(economy.town.client_for("fashuihe"), "land_contracts", CONTRACT_HEADERS, _contracts())
    assert (job.good_rows, job.error_rows) == (0, 2)
    assert messages_at(job, 2, "村") == ["未找到村“徐桥村”,或该村不在您的管辖范围内。"]
    # Nor may 徐桥村 name 发水河村's collective as the transferee.
    rows = _contracts()[:1]
    rows[0][4] = "发水河村股份经济合作社"
    job = upload_job(economy.town.client_for("xuqiao"), "land_contracts", CONTRACT_HEADERS, rows)
    assert "不是本村的集体经济组织或合作社" in messages_at(job, 2, "流入方")[0]


def test_importing_the_same_contracts_again_signs_none_twice(economy: Economy) -> None:
    _import(economy, "land_parcels", PARCEL_HEADERS, _parcels())
    _import(economy, "land_contracts", CONTRACT_HEADERS, _contracts())
    instalments = RentInstalment.objects.count()
    again = _import(economy, "land_contracts", CONTRACT_HEADERS, _contracts())
    assert again.imported_rows == 0 and len(again.outcome) == 2
    assert TransferContract.objects.count() == 2 and RentInstalment.objects.count() == instalments


def test_the_templates_and_jobs_stay_in_scope(economy: Economy) -> None:
    xq, fsh = economy.town.client_for("xuqiao"), economy.town.client_for("fashuihe")
    for kind in ("land_parcels", "land_contracts"):
        response = fsh.get(reverse("spreadsheets:template_download", args=[kind]))
        wb = load_workbook(io.BytesIO(response.content))
        assert [r[0] for r in wb["可选村和组织"].iter_rows(min_row=2, values_only=True)] == ["发水河村"]
        assert wb.worksheets[0]["A2"].value == "发水河村"  # the example row names the importer's village
        assert economy.town.client_for("gridworker").get(response.request["PATH_INFO"]).status_code == 403
    job = upload_job(xq, "land_parcels", PARCEL_HEADERS, _parcels())
    for name in ("import_detail", "import_progress", "import_errors"):
        assert fsh.get(reverse(f"spreadsheets:{name}", args=[job.pk])).status_code == 404
    assert fsh.post(reverse("spreadsheets:import_confirm", args=[job.pk]), {"mode": "all"}).status_code == 404


def test_the_list_pages_link_to_their_import_for_those_who_may_import(economy: Economy) -> None:
    pages = {
        reverse("collective:member_list", args=[economy.collective.pk]): "economy_members",
        reverse("land:parcel_list"): "land_parcels",
        reverse("land:contract_list"): "land_contracts",
    }
    officer = f.user("xq_officer", Role.RURAL_ECONOMY_OFFICER, area=economy.town.xuqiao.area)
    economy.town.users["xq_officer"] = officer
    for url, kind in pages.items():
        link = f'href="{reverse("spreadsheets:import_new")}?kind={kind}"'
        assert link in economy.town.client_for("xuqiao").get(url).content.decode(), url
        response = economy.town.client_for("xq_officer").get(url)
        assert response.status_code == 200 and link not in response.content.decode(), url


def test_two_households_parcels_of_one_name_are_told_apart_by_the_household_number(economy: Economy) -> None:
    rows = [
        ["徐桥村", "门口田", "XQ-05-001", "", 1, "", "", "", "", "", "", ""],
        ["徐桥村", "门口田", "XQ-05-002", "", 2, "", "", "", "", "", "", ""],
    ]
    _import(economy, "land_parcels", PARCEL_HEADERS, rows)
    contract = _contracts()[:1]
    contract[0][3] = "门口田"
    job = upload_job(economy.town.client_for("xuqiao"), "land_contracts", CONTRACT_HEADERS, contract)
    assert messages_at(job, 2, "流转地块") == ["徐桥村有多块名为“门口田”的地块,请写“户编号/名称”。"]
    contract[0][3] = "XQ-05-002/门口田"
    _import(economy, "land_contracts", CONTRACT_HEADERS, contract)
    part = ContractParcel.objects.select_related("parcel").get()
    assert (part.parcel.household, part.area) == (economy.households[1], Decimal("2.00"))


def test_the_village_accountant_imports_parcels_too(economy: Economy) -> None:
    economy.town.users["xq_accountant"] = f.user(
        "xq_accountant", Role.VILLAGE_ACCOUNTANT, area=economy.town.xuqiao.area
    )
    job = _import(economy, "land_parcels", PARCEL_HEADERS, _parcels(), username="xq_accountant")
    assert job.imported_rows == 3 and Parcel.objects.count() == 3
