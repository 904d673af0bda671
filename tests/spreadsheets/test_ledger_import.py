"""Importing the collective's books from Excel: opening balances and a year of vouchers, with row
errors in Chinese, all or nothing, posted through the ledger's services."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hongniudai.accounts.models import Role
from hongniudai.demo.loader import loader_actor
from hongniudai.ledger import services
from hongniudai.ledger.charts import CK_2023, load_chart
from hongniudai.ledger.integrity import faults
from hongniudai.ledger.models import Balance, Books, OrgKind, Voucher, VoucherStatus
from tests import factories as f

from .helpers import RESIDENT_HEADERS, confirm, messages_at, upload_job

OPENING_HEADERS = ["账套", "科目编码", "科目名称", "借方余额", "贷方余额", "备注"]
VOUCHER_HEADERS = [
    "账套",
    "凭证编号",
    "日期",
    "摘要",
    "科目编码",
    "科目名称",
    "借方金额",
    "贷方金额",
    "分录摘要",
    "备注",
]
NAME = "徐桥村股份经济合作社"
YEAR = dt.date.today().year - 1


@pytest.fixture
def books(town: Any) -> Books:
    return services.open_books(
        actor=loader_actor(),
        village=town.xuqiao.area,
        name=NAME,
        kind=OrgKind.SHAREHOLDING,
        opened_on=dt.date(YEAR, 1, 1),
        chart=load_chart(CK_2023).accounts,
    )


def _opening() -> list[list[Any]]:
    return [
        [NAME, "102", "银行存款", 356800.5, None, ""],
        [NAME, "101", "", "1,200.00", None, ""],
        [NAME, "301", "资本", None, 358000.5, ""],
    ]


def _vouchers() -> list[list[Any]]:
    return [
        [NAME, "1", f"{YEAR}-03-05", "收取集体厂房租金", "102", "", 12000, None, "", ""],
        [NAME, "1", f"{YEAR}-03-05", "收取集体厂房租金", "501", "经营收入", None, 12000, "", ""],
        [NAME, "2", f"{YEAR}-02-10", "支付办公用品费", "513", "", 356.8, None, "", ""],
        [NAME, "2", f"{YEAR}-02-10", "支付办公用品费", "101", "", None, 356.8, "", ""],
    ]


def test_the_village_secretary_imports_opening_balances_as_one_posted_voucher(town: Any, books: Books) -> None:
    client = town.client_for("xuqiao")
    job = upload_job(client, "ledger_opening", OPENING_HEADERS, _opening())
    assert (job.good_rows, job.error_rows) == (3, 0), job.errors
    confirm(client, job, "all")
    job.refresh_from_db()
    assert job.status == "done" and job.imported_rows == 3, job.errors
    voucher = Voucher.objects.get(books=books)
    assert (voucher.status, voucher.number, voucher.date, voucher.summary) == (
        VoucherStatus.POSTED,
        1,
        dt.date(YEAR, 1, 1),
        "期初余额",
    )
    assert Balance.objects.get(account__code="102").debit_fen == 35680050
    # A second file of opening balances for the same books is refused row by row.
    again = upload_job(client, "ledger_opening", OPENING_HEADERS, _opening())
    assert messages_at(again, 2, "账套") == ["该账套已导入过期初余额。"]


def test_vouchers_are_grouped_by_number_posted_in_date_order_and_never_twice(town: Any, books: Books) -> None:
    client = town.client_for("xuqiao")
    job = upload_job(client, "ledger_vouchers", VOUCHER_HEADERS, _vouchers())
    assert (job.good_rows, job.error_rows) == (4, 0), job.errors
    confirm(client, job, "all")
    job.refresh_from_db()
    assert job.status == "done" and job.imported_rows == 4, job.errors
    posted = list(Voucher.objects.filter(books=books).order_by("number").values_list("number", "summary"))
    assert posted == [(1, "支付办公用品费"), (2, "收取集体厂房租金")]
    assert faults(books) == []
    # The same file again posts nothing twice.
    again = upload_job(client, "ledger_vouchers", VOUCHER_HEADERS, _vouchers())
    confirm(client, again, "all")
    assert Voucher.objects.filter(books=books).count() == 2


def test_row_errors_in_chinese_and_nothing_posted(town: Any, books: Books) -> None:
    rows = _vouchers()
    rows[1][7] = 11000  # voucher 1 no longer balances
    rows[2][4] = "999"  # no such account
    rows[3][7] = 1.234  # three decimals
    rows.append([NAME, "3", f"{YEAR}-04-01", "计提", "322", "", 10, None, "", ""])  # a parent account
    rows.append([NAME, "3", f"{YEAR}-04-02", "计提", "513", "", None, -10, "", ""])  # another date, negative
    rows.append(["别村合作社", "4", f"{YEAR}-04-01", "x", "101", "", 1, None, "", ""])
    client = town.client_for("xuqiao")
    job = upload_job(client, "ledger_vouchers", VOUCHER_HEADERS, rows)
    assert "借贷不平衡" in messages_at(job, 2, "借方金额")[0]
    assert "借贷不平衡" in messages_at(job, 3, "借方金额")[0]
    assert messages_at(job, 4, "科目编码") == ["账套中没有编码为 999 的科目。"]
    assert messages_at(job, 5, "贷方金额") == ["金额最多保留两位小数(到分)。"]
    assert "设有明细科目" in messages_at(job, 6, "科目编码")[0]
    assert "金额不能为负数" in messages_at(job, 7, "贷方金额")[0]
    assert "未找到账套" in messages_at(job, 8, "账套")[0]
    response = confirm(client, job, "all", follow=True)
    assert "未导入任何数据" in response.content.decode()
    assert confirm(client, job, "good_only").status_code == 302
    assert not Voucher.objects.filter(books=books).exists()


def test_another_village_s_secretary_cannot_import_into_these_books(town: Any, books: Books) -> None:
    job = upload_job(town.client_for("fashuihe"), "ledger_vouchers", VOUCHER_HEADERS, _vouchers())
    assert job.error_rows == 4 and "未找到账套" in messages_at(job, 2, "账套")[0]


def test_a_closed_month_is_a_row_error(town: Any, books: Books) -> None:
    services.close_period(actor=loader_actor(), books=books, year=YEAR, month=1)
    services.close_period(actor=loader_actor(), books=books, year=YEAR, month=2)
    job = upload_job(town.client_for("xuqiao"), "ledger_vouchers", VOUCHER_HEADERS, _vouchers())
    assert messages_at(job, 4, "日期") == [f"{YEAR}年2月已结账,不能记入该期间。"]
    assert messages_at(job, 2, "日期") == []


def test_the_templates_list_the_books_one_may_write(town: Any, books: Books) -> None:
    client = town.client_for("xuqiao")
    for kind in ("ledger_opening", "ledger_vouchers"):
        response = client.get(reverse("spreadsheets:template_download", args=[kind]))
        assert response.status_code == 200
        wb = load_workbook(io.BytesIO(response.content))
        assert [row[0] for row in wb["可选账套"].iter_rows(values_only=True)] == ["账套", NAME]


def test_opening_balances_that_do_not_balance_are_refused_on_every_row(town: Any, books: Books) -> None:
    rows = _opening()
    rows[2][4] = 358000
    job = upload_job(town.client_for("xuqiao"), "ledger_opening", OPENING_HEADERS, rows)
    assert job.error_rows == 3
    assert messages_at(job, 2, "借方余额") == [
        f"账套“{NAME}”的期初余额借贷不平衡:借方合计 358000.50 元,贷方合计 358000.00 元。"
    ]


def test_the_village_accountant_imports_the_books_and_nothing_else(town: Any, books: Books) -> None:
    town.users["xq_accountant"] = f.user("xq_accountant", Role.VILLAGE_ACCOUNTANT, area=town.xuqiao.area)
    client = town.client_for("xq_accountant")
    job = upload_job(client, "ledger_opening", OPENING_HEADERS, _opening())
    confirm(client, job, "all")
    job.refresh_from_db()
    assert job.imported_rows == 3, job.errors
    assert Voucher.objects.get(books=books).status == VoucherStatus.POSTED
    # Importing residents also asks for the right to edit people, which the accountant lacks.
    job = upload_job(client, "residents", RESIDENT_HEADERS, [["XQ-001", "张三", "", "男", "", "户主", "", "", "", ""]])
    assert job.good_rows == 0
