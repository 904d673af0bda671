"""Importing the members of a collective economic organisation from Excel: households confirmed
with their shares through the collective's services, row errors in Chinese, all or nothing, only
in the importer's villages, and never twice."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.urls import reverse
from openpyxl import load_workbook

from hongniudai.collective.interface import Membership, ShareEntry
from hongniudai.ledger.models import Voucher

from .conftest import Economy
from .helpers import confirm, messages_at, upload_job

HEADERS = ["集体经济组织", "户编号", "户主姓名", "确认日期", "股数", "出资方式", "出资金额(元)", "确认依据", "备注"]
KIND = "economy_members"


def _rows() -> list[list[Any]]:
    return [
        ["徐桥村股份经济合作社", "XQ-05-001", "黄文华", "2024-03-15", 10, "", "", "", ""],
        ["徐桥村", "", "黄建国", "2024-03-15", "", "", "", "", ""],  # the village's collective, by head's name
        ["徐桥村高粱种植专业合作社", "XQ-05-003", "", "2025-04-01", 2, "现金入股", 2000, "", "入股"],
    ]


def test_a_good_file_confirms_the_members_with_their_shares(economy: Economy) -> None:
    client = economy.town.client_for("xuqiao")
    job = upload_job(client, KIND, HEADERS, _rows())
    assert (job.good_rows, job.error_rows) == (3, 0), job.errors
    confirm(client, job, "all")
    job.refresh_from_db()
    assert (job.status, job.imported_rows) == ("done", 3), job.errors
    members = {(m.org_id, m.household_id) for m in Membership.objects.all()}
    h = economy.households
    assert members == {(economy.collective.pk, h[0].pk), (economy.collective.pk, h[1].pk), (economy.coop.pk, h[2].pk)}
    shares = {(e.org_id, e.household_id, e.shares, e.contribution) for e in ShareEntry.objects.all()}
    assert shares == {
        (economy.collective.pk, h[0].pk, Decimal("10.00"), "allotted"),
        (economy.coop.pk, h[2].pk, Decimal("2.00"), "cash"),
    }
    # The cash contribution is posted to the cooperative's books.
    assert Voucher.objects.filter(books=economy.coop.books).count() == 1


def test_bad_rows_are_named_in_chinese_and_nothing_is_saved(economy: Economy) -> None:
    rows = _rows()
    rows[0][1] = "XQ-99-999"  # no such household
    rows[1][3] = "2099-01-01"  # a day to come
    rows[2][6] = ""  # cash without its amount
    rows.append(["徐桥村", "XQ-05-002", "", "2024-03-15", -1, "", "", "", ""])  # negative shares
    rows.append(["徐桥村", "XQ-05-002", "黄春梅", "2024-03-15", "", "", "", "", ""])  # number and head disagree
    rows.append(["徐桥村", "XQ-05-003", "", "2024-03-15", "", "", "", "没有这个事项", ""])
    rows.append(["徐桥村高粱种植专业合作社", "XQ-05-001", "", "2024-03-15", "", "", "", "", ""])  # a good row
    client = economy.town.client_for("xuqiao")
    job = upload_job(client, KIND, HEADERS, rows)
    assert messages_at(job, 2, "户编号") == ["徐桥村没有户编号为“XQ-99-999”的住户。"]
    assert messages_at(job, 3, "确认日期") == ["日期不能晚于今天。"]
    assert messages_at(job, 4, "出资金额(元)") == ["现金入股须填写出资金额。"]
    assert messages_at(job, 5, "股数") == ["股数必须大于零。"]
    assert messages_at(job, 6, "户主姓名") == ["户主姓名与户编号“XQ-05-002”登记的户主不一致。"]
    assert messages_at(job, 7, "确认依据") == ["徐桥村没有名为“没有这个事项”的四议两公开事项。"]
    assert (job.good_rows, job.error_rows) == (1, 6)
    response = confirm(client, job, "all", follow=True)
    assert "未导入任何数据" in response.content.decode()
    assert confirm(client, job, "good_only").status_code == 302  # all or nothing: refused
    assert not Membership.objects.exists()


def test_a_household_named_twice_in_the_file_is_an_error_of_the_second_row(economy: Economy) -> None:
    rows = [_rows()[0], ["徐桥村", "XQ-05-001", "", "2024-03-15", "", "", "", "", ""]]
    job = upload_job(economy.town.client_for("xuqiao"), KIND, HEADERS, rows)
    assert messages_at(job, 3, "户编号") == ["与第 2 行重复。"]


def test_another_village_s_rows_are_refused_row_by_row(economy: Economy) -> None:
    rows = [*_rows(), ["发水河村股份经济合作社", "", "施华成", "2024-03-15", "", "", "", "", ""]]
    client = economy.town.client_for("xuqiao")
    job = upload_job(client, KIND, HEADERS, rows)
    assert job.error_rows == 1
    assert messages_at(job, 5, "集体经济组织") == [
        "未找到集体经济组织“发水河村股份经济合作社”,或它不在您的管辖范围内。"
    ]
    # 发水河村's secretary finds none of 徐桥村's organisations.
    other = upload_job(economy.town.client_for("fashuihe"), KIND, HEADERS, _rows())
    assert (other.good_rows, other.error_rows) == (0, 3)
    assert "不在您的管辖范围内" in messages_at(other, 3, "集体经济组织")[0]


def test_importing_the_same_file_again_confirms_nobody_twice(economy: Economy) -> None:
    client = economy.town.client_for("xuqiao")
    confirm(client, upload_job(client, KIND, HEADERS, _rows()), "all")
    again = upload_job(client, KIND, HEADERS, _rows())
    assert (again.good_rows, again.error_rows) == (3, 0)
    assert [o["row"] for o in again.outcome] == ["2", "3", "4"]
    page = client.get(reverse("spreadsheets:import_detail", args=[again.pk])).content.decode()
    assert "已登记过" in page and "黄文华已是徐桥村股份经济合作社的成员,跳过。" in page
    confirm(client, again, "all")
    again.refresh_from_db()
    assert (again.status, again.imported_rows) == ("done", 0)
    assert Membership.objects.count() == 3 and ShareEntry.objects.count() == 2


def test_the_template_lists_only_the_importer_s_organisations(economy: Economy) -> None:
    response = economy.town.client_for("fashuihe").get(reverse("spreadsheets:template_download", args=[KIND]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb.worksheets[0][1]] == [
        h + ("*" if h in ("集体经济组织", "确认日期") else "") for h in HEADERS
    ]
    listed = [row[1] for row in wb["可选村和组织"].iter_rows(min_row=2, values_only=True)]
    assert listed == ["发水河村股份经济合作社"]
    assert "填写说明" in wb.sheetnames
    assert (
        economy.town.client_for("gridworker").get(reverse("spreadsheets:template_download", args=[KIND])).status_code
        == 403
    )
