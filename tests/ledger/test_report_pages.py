"""The report pages: what a village's accountant sees on screen and downloads, figures formatted as
yuan with thousands separators, every figure linked to its vouchers, other villages' books out of
reach, and a page's query count that does not grow with the accounts."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from hongniudai.audit.models import AuditEvent
from hongniudai.ledger import reports, services, views_reports
from hongniudai.ledger.models import Voucher
from hongniudai.ledger.reports import Window
from hongniudai.ledger.views_reports import Links
from tests.ledger.chart import acc, post_pair

PAGES = ("ledger:trial_balance", "ledger:journal", "ledger:balance_sheet", "ledger:income_statement")
RANGE = "?from=2026-01&to=2026-03"


@pytest.fixture
def accountant_client(town: Any, ledger_users: dict[str, Any]) -> Any:
    return town.client_for("accountant")


def test_the_trial_balance_shows_yuan_with_separators_and_balanced_totals(accountant_client, year23):
    page = accountant_client.get(reverse("ledger:trial_balance", args=[year23.pk]) + RANGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "科目余额表" in html
    assert "147,500.00" in html  # 银行存款's closing debit
    assert "1,200.50" in html  # 管理费用
    assert 'class="table-responsive"' in html
    assert reverse("ledger:account_ledger", args=[acc(year23, "102").pk]) in html
    assert "资本" in html and "短期投资" not in html  # accounts without figures are hidden by default
    assert (
        "短期投资"
        in accountant_client.get(reverse("ledger:trial_balance", args=[year23.pk]) + RANGE + "&all=1").content.decode()
    )


def test_every_report_page_answers_and_exports(accountant_client, year23):
    for name in PAGES:
        url = reverse(name, args=[year23.pk])
        page = accountant_client.get(url + RANGE)
        assert page.status_code == 200, name
        assert 'class="table-responsive' in page.content.decode(), name  # a phone scrolls the table sideways
        export = accountant_client.get(url + RANGE + "&export=xlsx")
        assert export.status_code == 200, name
        assert export["Content-Disposition"].startswith("attachment")
    ledger = reverse("ledger:account_ledger", args=[acc(year23, "102").pk])
    assert "147,500.00" in accountant_client.get(ledger + RANGE).content.decode()


def test_the_balance_sheet_export_has_the_regulations_lines(accountant_client, year23):
    export = accountant_client.get(reverse("ledger:balance_sheet", args=[year23.pk]) + "?to=2026-03&export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = {row[0].strip(): row[1:] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert float(rows["资产总计"][1]) == float(rows["负债和所有者权益总计"][1]) == 152099.5
    assert float(rows["货币资金"][1]) == 151299.5


def test_the_statements_show_the_regulations_layout(accountant_client, year23):
    sheet = accountant_client.get(reverse("ledger:balance_sheet", args=[year23.pk]) + "?to=2026-03").content.decode()
    assert "资产总计" in sheet and "152,099.50" in sheet and "负债和所有者权益总计" in sheet
    assert "不相等" not in sheet
    income = accountant_client.get(reverse("ledger:income_statement", args=[year23.pk]) + RANGE).content.decode()
    assert "收益及收益分配表" in income and "101,799.50" in income and "本年累计数" in income


def test_a_wrong_month_shows_a_message_not_an_error(accountant_client, year23):
    for query in ("?from=2026-05&to=2026-01", "?from=abc&to=2026-13", "?to=0000-01", "?codes=" + "9" * 300):
        page = accountant_client.get(reverse("ledger:trial_balance", args=[year23.pk]) + query)
        assert page.status_code == 200, query
    page = accountant_client.get(reverse("ledger:trial_balance", args=[year23.pk]) + "?from=2026-05&to=2026-01")
    assert "起始月份不能晚于截止月份" in page.content.decode()


@override_settings(ROOT_URLCONF="tests.ledger.report_urls")
def test_a_figure_links_to_the_vouchers_behind_it(year23):
    links = Links(year23)
    bank = acc(year23, "102").pk
    assert (
        links.vouchers_of(bank, (2026, 1), (2026, 3))
        == f"/ledger/stand-in/vouchers/?account={bank}&from=2026-01&to=2026-03"
    )
    assert links.voucher(41) == "/ledger/stand-in/vouchers/41/"
    tb = reports.trial_balance(user=year23.created_by, books=year23, window=Window((2026, 2), (2026, 3)))
    row = next(r for r in tb.rows if r.account.pk == bank)
    drill = links.trial_row(row, tb.window)
    assert drill["opening"].endswith(f"account={bank}&from=2026-01&to=2026-01")
    assert drill["moves"].endswith(f"account={bank}&from=2026-02&to=2026-03")
    assert drill["closing"].endswith(f"account={bank}&from=2026-01&to=2026-03")
    sheet = reports.balance_sheet(user=year23.created_by, books=year23, end=(2026, 3))
    capital = next(row for row in sheet.parts[1] if row.line.id == "E01")
    assert links.statement_row(sheet, capital)[1].endswith(f"account={acc(year23, '301').pk}&from=2026-01&to=2026-03")


def test_without_the_voucher_pages_a_figure_has_no_broken_link(year23):
    try:
        reverse("ledger:voucher_list")
    except NoReverseMatch:
        assert Links(year23).vouchers_of(acc(year23, "102").pk, (2026, 1), (2026, 3)) == ""
    else:
        pytest.skip("the voucher pages are on this branch")


def test_a_figure_of_several_accounts_links_to_their_trial_balance(accountant_client, year23):
    html = accountant_client.get(reverse("ledger:balance_sheet", args=[year23.pk]) + "?to=2026-03").content.decode()
    assert "codes=101%2C102" in html  # 货币资金 = 库存现金 + 银行存款
    page = accountant_client.get(reverse("ledger:trial_balance", args=[year23.pk]) + RANGE + "&codes=101,102")
    assert "库存现金" in page.content.decode() and "资本" not in page.content.decode()


def test_another_villages_books_answer_404(town, year23, client):
    client.force_login(town.users["fashuihe"])
    for name in PAGES:
        assert client.get(reverse(name, args=[year23.pk])).status_code == 404, name
    assert client.get(reverse("ledger:account_ledger", args=[acc(year23, "102").pk])).status_code == 404


def test_the_towns_officer_reads_every_village(town, year23, client):
    client.force_login(town.users["nongjing"])
    assert client.get(reverse("ledger:balance_sheet", args=[year23.pk])).status_code == 200


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_report_pages_query_count_does_not_grow_with_accounts(accountant_client, year23, ledger_users):
    urls = [reverse(name, args=[year23.pk]) + RANGE + "&all=1" for name in PAGES if name != "ledger:journal"]
    [_queries(accountant_client, url) for url in urls]  # the session and caches, once
    before = [_queries(accountant_client, url) for url in urls]
    accountant = ledger_users["accountant"]
    for i in range(3, 23):
        sub = services.add_sub_account(actor=accountant, parent=acc(year23, "113"), code=f"113{i:02d}", name=f"户{i}")
        post_pair(accountant, year23, sub.code, "101", "1", dt.date(2026, 3, 9))
    assert [_queries(accountant_client, url) for url in urls] == before


def test_the_reports_through_the_api(town, year23, ledger_users):
    api = APIClient()
    api.force_authenticate(ledger_users["accountant"])
    base = f"/api/v1/ledger-reports/{year23.pk}/"
    query = {"from": "2026-01", "to": "2026-03"}
    sheet = api.get(base + "balance-sheet/", query)
    assert sheet.status_code == 200, sheet.content
    lines = {line["id"]: line for part in sheet.json()["parts"] for line in part}
    assert lines["A23"]["amounts"] == lines["E05"]["amounts"] == ["0.00", "152099.50"]
    assert sheet.json()["balanced"] == [True, True]
    income = api.get(base + "income-statement/", query).json()
    assert {line["id"]: line["amounts"] for line in income["parts"][0]}["I13"] == ["101799.50", "101799.50"]
    trial = api.get(base + "trial-balance/", query).json()
    assert {r["code"]: r["closing_debit"] for r in trial}["102"] == "147500.00"
    assert api.get(base + "trial-balance/", {**query, "from": "2026-13"}).status_code == 400
    assert api.get(base + "trial-balance/", {"from": "2026-05", "to": "2026-01"}).status_code == 400
    outsider = APIClient()
    outsider.force_authenticate(town.users["fashuihe"])
    assert outsider.get(base + "balance-sheet/", query).status_code == 404


def test_the_trial_balance_export_holds_yuan_and_is_audited(accountant_client, year23):
    export = accountant_client.get(reverse("ledger:trial_balance", args=[year23.pk]) + RANGE + "&export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["102"][1] == "银行存款"
    assert float(rows["102"][6]) == 147500.0 and float(rows["513"][4]) == 1200.5
    event = AuditEvent.objects.filter(action="export").latest("pk")
    assert event.target_repr.startswith("科目余额表") and event.area_path == year23.area_path


@override_settings(ROOT_URLCONF="tests.ledger.report_urls")
def test_the_journal_lists_each_voucher_with_its_lines(year23, town):
    client = Client()
    client.force_login(town.users["accountant"])
    html = client.get(reverse("ledger:journal", args=[year23.pk]) + "?from=2026-03&to=2026-03").content.decode()
    assert html.count("记-2026-") == 3 and "3,000.00" in html and "徐大林" in html
    first = Voucher.objects.get(books=year23, number=5)
    assert reverse("ledger:voucher_detail", args=[first.pk]) in html


def test_a_villages_households_fold_under_their_account(accountant_client, year23, ledger_users, monkeypatch):
    """Hundreds of households' sub-accounts under 113 show as one line linked to their own pages;
    the totals are the same either way."""
    monkeypatch.setattr(views_reports, "FOLD_OVER", 3)
    monkeypatch.setattr(views_reports, "TRIAL_PAGE", 2)
    accountant = ledger_users["accountant"]
    for i in range(3, 7):
        sub = services.add_sub_account(actor=accountant, parent=acc(year23, "113"), code=f"113{i:02d}", name=f"户{i}")
        post_pair(accountant, year23, sub.code, "101", "1", dt.date(2026, 3, 9))
    url = reverse("ledger:trial_balance", args=[year23.pk])
    html = accountant_client.get(url + RANGE).content.decode()
    assert "徐大林" not in html and "户4" not in html
    assert "6 个明细科目" in html
    assert "codes=113" in html
    totals = reports.trial_balance(user=accountant, books=year23, window=Window((2026, 1), (2026, 3))).side_totals()
    assert f"{totals['debit'] / 100:,.2f}" in html
    first = accountant_client.get(url + RANGE + "&codes=113").content.decode()
    assert "内部往来" in first and "徐大林" in first and "户4" not in first  # 113, then a page of two
    assert "第 1/4 页" in first
    last = accountant_client.get(url + RANGE + "&codes=113&page=4").content.decode()
    assert "户6" in last
    export = accountant_client.get(url + RANGE + "&export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    assert "户6" in [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]  # the export holds them all
