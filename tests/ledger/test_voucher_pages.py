"""The voucher pages as the village accountant uses them: entry from the keyboard's form (lines as
typed, accounts by "code name"), what is refused with a Chinese message and nothing changed, the
draft edited then posted, the red reversal, and the list with its filters and export."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from hongniudai.ledger import services
from hongniudai.ledger.models import Voucher, VoucherStatus
from tests.ledger.chart import acc, pair

DAY = dt.date(2026, 3, 5)


def entry(*lines: tuple[str, str, str], summary: str = "收取土地租金", date: str = "2026-03-05", **extra: Any) -> dict:
    """The entry form as sent: one (account, debit, credit) per line, plus a blank line at the end."""
    rows = [*lines, ("", "", "")]
    return {
        "date": date,
        "summary": summary,
        "key": "k-" + summary,
        "account": [a for a, _d, _c in rows],
        "line_summary": ["" for _ in rows],
        "debit": [d for _a, d, _c in rows],
        "credit": [c for _a, _d, c in rows],
        **extra,
    }


RENT = (("102 银行存款", "1,200.50", ""), ("501 经营收入", "", "1200.50"))


@pytest.fixture
def accountant(town, ledger_users):
    return town.client_for("accountant")


def post(accountant: Any, books: Any, lines: Any, **kwargs: Any) -> Voucher:
    return services.post_entry(
        actor=accountant, books=books, date=DAY, summary="收取土地租金", lines=lines, idempotency_key="", **kwargs
    )


def test_a_balanced_voucher_entered_on_the_page_is_posted(books, accountant):
    response = accountant.post(reverse("ledger:voucher_create", args=[books.pk]), entry(*RENT, post="1"))
    voucher = Voucher.objects.get(books=books)
    assert response.status_code == 302
    assert (voucher.status, voucher.number) == (VoucherStatus.POSTED, 1)
    page = accountant.get(response["Location"]).content.decode()
    assert "记-2026-0001" in page and "1,200.50" in page and "已记账" in page


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ((("102 银行存款", "100", ""), ("501 经营收入", "", "99.99")), "借贷不平衡"),
        ((("102 银行存款", "10.005", ""), ("501 经营收入", "", "10.005")), "两位小数"),
        ((("102 银行存款", "-5", ""), ("501 经营收入", "", "-5")), "不能为负数"),
        ((("999 不存在", "5", ""), ("501 经营收入", "", "5")), "本账套没有科目"),
        ((("102 银行存款", "五元", ""), ("501 经营收入", "", "5")), "金额须为数字"),
        ((("322 收益分配", "5", ""), ("501 经营收入", "", "5")), "请记入明细科目"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_changes_nothing(books, accountant, lines, message):
    response = accountant.post(reverse("ledger:voucher_create", args=[books.pk]), entry(*lines, post="1"))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Voucher.objects.filter(books=books).exists()


def test_an_account_of_another_villages_books_is_not_found_in_this_one(books, other_books, accountant):
    lines = (("102 银行存款", "5", ""), (f"{acc(other_books, '501').code} 发水河村经营收入", "", "5"))
    # The code is looked up in these books only: 501 is this books' own 501.
    accountant.post(reverse("ledger:voucher_create", args=[books.pk]), entry(*lines, post="1"))
    voucher = Voucher.objects.get(books=books)
    assert {line.account.books_id for line in voucher.lines.all()} == {books.pk}


def test_an_unbalanced_draft_is_kept_then_edited_and_posted(books, accountant):
    lines = (("102 银行存款", "100", ""), ("501 经营收入", "", "90"))
    accountant.post(reverse("ledger:voucher_create", args=[books.pk]), entry(*lines, draft="1"))
    draft = Voucher.objects.get(books=books)
    assert draft.status == VoucherStatus.DRAFT
    page = accountant.get(reverse("ledger:voucher_edit", args=[draft.pk])).content.decode()
    assert 'value="102 银行存款"' in page and 'value="90.00"' in page
    # Posting it as it is is refused, and the draft is left as it was.
    response = accountant.post(reverse("ledger:voucher_post", args=[draft.pk]), follow=True)
    assert "借贷不平衡" in response.content.decode()
    fixed = (("102 银行存款", "100", ""), ("501 经营收入", "", "100"))
    response = accountant.post(reverse("ledger:voucher_edit", args=[draft.pk]), entry(*fixed, post="1"))
    draft.refresh_from_db()
    assert (draft.status, draft.number) == (VoucherStatus.POSTED, 1)


def test_a_refused_posting_from_the_edit_page_keeps_the_draft_unchanged(books, accountant):
    lines = (("102 银行存款", "100", ""), ("501 经营收入", "", "90"))
    accountant.post(reverse("ledger:voucher_create", args=[books.pk]), entry(*lines, draft="1"))
    draft = Voucher.objects.get(books=books)
    changed = (("102 银行存款", "70", ""), ("501 经营收入", "", "80"))
    response = accountant.post(
        reverse("ledger:voucher_edit", args=[draft.pk]), entry(*changed, summary="改过的摘要", post="1")
    )
    assert "借贷不平衡" in response.content.decode()
    draft.refresh_from_db()
    assert draft.summary == "收取土地租金" and draft.status == VoucherStatus.DRAFT
    assert sorted(line.debit_fen + line.credit_fen for line in draft.lines.all()) == [9000, 10000]


def test_a_posted_voucher_cannot_be_edited_or_deleted_through_the_pages(books, ledger_users, accountant):
    voucher = post(ledger_users["accountant"], books, pair(books, "102", "501", "100"))
    response = accountant.post(reverse("ledger:voucher_edit", args=[voucher.pk]), entry(*RENT, draft="1"), follow=True)
    assert "已记账的凭证不能修改" in response.content.decode()
    response = accountant.post(reverse("ledger:voucher_delete", args=[voucher.pk]), follow=True)
    assert "已记账的凭证不能删除" in response.content.decode()
    assert Voucher.objects.get(pk=voucher.pk).lines.count() == 2


def test_a_posting_into_a_closed_month_is_refused_on_the_page(books, ledger_users, accountant):
    for month in (1, 2, 3):
        services.close_period(actor=ledger_users["accountant"], books=books, year=2026, month=month)
    response = accountant.post(reverse("ledger:voucher_create", args=[books.pk]), entry(*RENT, post="1"))
    assert "2026年3月已结账" in response.content.decode()
    assert not Voucher.objects.filter(books=books).exists()


def test_a_line_with_a_summary_only_is_left_out(books, accountant):
    data = entry(*RENT, post="1")
    data["line_summary"][-1] = "收取土地租金"  # the blank last line, its summary filled in from the voucher's
    accountant.post(reverse("ledger:voucher_create", args=[books.pk]), data)
    assert Voucher.objects.get(books=books).lines.count() == 2


def test_a_sent_twice_form_posts_once(books, accountant):
    url = reverse("ledger:voucher_create", args=[books.pk])
    accountant.post(url, entry(*RENT, post="1"))
    accountant.post(url, entry(*RENT, post="1"))
    assert Voucher.objects.filter(books=books).count() == 1


def test_a_posted_voucher_is_reversed_once(books, ledger_users, accountant):
    voucher = post(ledger_users["accountant"], books, pair(books, "102", "501", "100"))
    detail = accountant.get(reverse("ledger:voucher_detail", args=[voucher.pk])).content.decode()
    assert reverse("ledger:voucher_reverse", args=[voucher.pk]) in detail
    url = reverse("ledger:voucher_reverse", args=[voucher.pk])
    response = accountant.post(url, {"date": "2026-03-20", "summary": "", "key": "r1"})
    reversal = Voucher.objects.get(reverses=voucher)
    assert response["Location"] == reverse("ledger:voucher_detail", args=[reversal.pk])
    page = accountant.get(response["Location"]).content.decode()
    assert "红字冲销" in page and "-100.00" in page and str(voucher) in page
    detail = accountant.get(reverse("ledger:voucher_detail", args=[voucher.pk])).content.decode()
    assert "已冲销" in detail and url not in detail
    response = accountant.post(url, {"date": "2026-03-21", "summary": "", "key": "r2"})
    assert "不能重复冲销" in response.content.decode()
    assert Voucher.objects.filter(books=books).count() == 2


def test_the_town_officer_reads_but_does_not_enter_vouchers(books, town, ledger_users):
    nongjing = town.client_for("nongjing")
    assert nongjing.get(reverse("ledger:voucher_create", args=[books.pk])).status_code == 403
    assert nongjing.get(reverse("ledger:voucher_list")).status_code == 200


def test_the_entry_page_offers_the_books_accounts_by_code_name_and_pinyin(books, accountant):
    page = accountant.get(reverse("ledger:voucher_create", args=[books.pk])).content.decode()
    assert '<option value="102 银行存款">102 银行存款 yhck yinhangcunkuan</option>' in page
    assert 'value="322 收益分配"' not in page  # not postable: its sub-accounts are
    assert "js/voucher_entry.js" in page


def test_the_draft_is_deleted_on_confirmation(books, accountant):
    accountant.post(reverse("ledger:voucher_create", args=[books.pk]), entry(*RENT, draft="1"))
    draft = Voucher.objects.get(books=books)
    assert accountant.post(reverse("ledger:voucher_delete", args=[draft.pk])).status_code == 302
    assert not Voucher.objects.filter(books=books).exists()


def test_an_attachment_is_uploaded_and_downloaded(books, ledger_users, accountant, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    voucher = post(ledger_users["accountant"], books, pair(books, "102", "501", "100"))
    upload = SimpleUploadedFile("收据.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "application/pdf")
    accountant.post(reverse("ledger:attachment_add", args=[voucher.pk]), {"file": upload, "note": "租金收据"})
    attachment = voucher.attachments.get()
    page = accountant.get(reverse("ledger:voucher_detail", args=[voucher.pk])).content.decode()
    assert "租金收据" in page
    response = accountant.get(reverse("ledger:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")


# ---- the list ----------------------------------------------------------------------------


@pytest.fixture
def year_of_vouchers(books, ledger_users):
    accountant = ledger_users["accountant"]
    services.add_sub_account(actor=accountant, parent=acc(books, "112"), code="11201", name="王大成")
    specs = [
        (dt.date(2026, 1, 10), "一月鱼塘租金", pair(books, "102", "501", "800")),
        (dt.date(2026, 2, 10), "二月补助", pair(books, "102", "541", "5000")),
        (dt.date(2026, 3, 10), "王大成借款", pair(books, "11201", "101", "300")),
    ]
    for date, summary, lines in specs:
        services.post_entry(
            actor=accountant, books=books, date=date, summary=summary, lines=lines, idempotency_key=summary
        )
    services.create_draft(
        actor=accountant,
        books=books,
        date=dt.date(2026, 3, 12),
        summary="草稿管理费",
        lines=pair(books, "550", "101", "1"),
    )


def listed(client: Any, **params: Any) -> str:
    return client.get(reverse("ledger:voucher_list"), params).content.decode()


def test_the_list_filters_by_account_months_status_and_text(books, year_of_vouchers, accountant):
    bank = acc(books, "102")
    page = listed(accountant, account=bank.pk)
    assert "一月鱼塘租金" in page and "二月补助" in page and "王大成借款" not in page
    # An account's sub-accounts count (the reports link a parent's figure to its vouchers).
    page = listed(accountant, account=acc(books, "112").pk, **{"from": "2026-03", "to": "2026-03"})
    assert "王大成借款" in page and "二月补助" not in page
    page = listed(accountant, books=books.pk, **{"from": "2026-02", "to": "2026-02"})
    assert "二月补助" in page and "一月鱼塘租金" not in page and "王大成借款" not in page
    page = listed(accountant, status="draft")
    assert "草稿管理费" in page and "二月补助" not in page
    assert "二月补助" in listed(accountant, q="补助") and "一月鱼塘租金" not in listed(accountant, q="补助")
    assert "一月鱼塘租金" in listed(accountant, q="1") and "二月补助" not in listed(accountant, q="1")
    assert "月份格式" in listed(accountant, start="2026-13")


def test_the_list_shows_no_other_villages_vouchers(books, other_books, year_of_vouchers, town, ledger_users):
    services.post_entry(
        actor=ledger_users["fsh_accountant"],
        books=other_books,
        date=DAY,
        summary="发水河村鱼塘租金",
        lines=pair(other_books, "102", "501", "9"),
        idempotency_key="",
    )
    page = listed(town.client_for("accountant"))
    assert "一月鱼塘租金" in page and "发水河村鱼塘租金" not in page
    assert "发水河村鱼塘租金" not in listed(town.client_for("accountant"), account=acc(other_books, "102").pk)
    assert "发水河村鱼塘租金" in listed(town.client_for("nongjing"))


def test_the_list_exports_to_xlsx_with_amounts(books, year_of_vouchers, accountant):
    response = accountant.get(reverse("ledger:voucher_list"), {"export": "xlsx", "books": books.pk})
    data = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("账套", "凭证日期", "凭证号", "摘要", "金额(元)")
    by_summary = {row[3]: row for row in rows[1:]}
    assert by_summary["二月补助"][2] == "记-2026-0002"
    assert float(by_summary["二月补助"][4]) == 5000


def test_the_lists_queries_do_not_grow_with_its_rows(books, ledger_users, accountant):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert listed(accountant, books=books.pk)
        return len(queries)

    post(ledger_users["accountant"], books, pair(books, "102", "501", "1"))
    count()  # the first request fills the caches (the menu, the user's scope)
    few = count()
    for n in range(10):
        services.post_entry(
            actor=ledger_users["accountant"],
            books=books,
            date=DAY,
            summary=f"租金{n}",
            lines=pair(books, "102", "501", "1"),
            idempotency_key=f"n{n}",
        )
    assert count() == few


def test_the_history_link_is_offered_to_those_who_may_read_it(books, town, ledger_users, accountant):
    voucher = post(ledger_users["accountant"], books, pair(books, "102", "501", "100"))
    history = reverse("audit:history", args=["ledger.voucher", voucher.pk])
    assert history not in accountant.get(reverse("ledger:voucher_detail", args=[voucher.pk])).content.decode()
    secretary = town.client_for("xuqiao")
    assert history in secretary.get(reverse("ledger:voucher_detail", args=[voucher.pk])).content.decode()
    assert secretary.get(history).status_code == 200


def test_the_list_offers_the_chosen_books_accounts_and_drops_another_books_account(
    books, other_books, year_of_vouchers, town
):
    nongjing = town.client_for("nongjing")
    page = listed(nongjing, books=books.pk)
    assert f'<option value="{acc(books, "102").pk}">102 银行存款</option>' in page
    assert f'value="{acc(other_books, "102").pk}"' not in page
    assert 'hx-trigger="change consume"' in page  # another books fetches the page with its chart
    # The account of 徐桥村 with 发水河村's books chosen: the books applies, the account is dropped.
    page = listed(nongjing, books=other_books.pk, account=acc(books, "102").pk)
    assert "一月鱼塘租金" not in page and "没有符合条件的凭证" in page
