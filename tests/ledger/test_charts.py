"""The regulations' charts of accounts as data: what an accountant opening the books would check."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter

import pytest

from hongniudai.ledger.charts import (
    ASSET,
    CK_2004,
    CK_2023,
    COST,
    CREDIT,
    DEBIT,
    EQUITY,
    INCOME,
    LIABILITY,
    ChartError,
    check_chart,
    load_chart,
    load_mapping,
    map_code,
    standards,
)
from hongniudai.ledger.charts.reports import load_report_layouts


def test_both_charts_load_with_their_document_and_dates():
    new, old = load_chart(CK_2023), load_chart(CK_2004)
    assert (new.title, new.effective_from) == ("农村集体经济组织会计制度", dt.date(2024, 1, 1))
    assert (old.title, old.effective_from, old.superseded_from) == (
        "村集体经济组织会计制度",
        dt.date(2005, 1, 1),
        dt.date(2024, 1, 1),
    )
    assert load_chart("caihui_2023_14") is new
    assert set(standards()) == {CK_2023, CK_2004}


def test_an_unknown_standard_is_refused():
    with pytest.raises(ChartError, match="没有会计制度"):
        load_chart("财会〔2099〕1号")


def test_the_2004_chart_has_33_accounts_from_101_cash_to_561_investment_income():
    top = load_chart(CK_2004).top_level()
    assert len(top) == 33
    assert (top[0].code, top[0].name) == ("101", "现金")
    assert (top[-1].code, top[-1].name) == ("561", "投资收益")
    assert [spec.order for spec in top] == list(range(1, 34))
    assert Counter(spec.category for spec in top) == {ASSET: 13, LIABILITY: 6, EQUITY: 4, COST: 1, INCOME: 9}
    assert [spec.code for spec in load_chart(CK_2004).optional_accounts] == ["161", "171", "241"]


def test_the_2023_chart_has_42_accounts_in_the_five_categories():
    top = load_chart(CK_2023).top_level()
    assert len(top) == 42
    assert (top[0].code, top[0].name, top[-1].code, top[-1].name) == ("101", "库存现金", "521", "所得税费用")
    assert Counter(spec.category for spec in top) == {ASSET: 19, LIABILITY: 8, EQUITY: 4, COST: 1, INCOME: 10}
    codes = [spec.code for spec in top]
    assert codes == sorted(codes)


@pytest.mark.parametrize(
    ("standard", "code", "category", "side"),
    [
        (CK_2004, "101", ASSET, DEBIT),
        (CK_2004, "152", ASSET, CREDIT),  # 累计折旧: its balance is on the credit side
        (CK_2004, "202", LIABILITY, CREDIT),
        (CK_2004, "322", EQUITY, CREDIT),
        (CK_2004, "401", COST, DEBIT),
        (CK_2004, "502", INCOME, DEBIT),  # 经营支出
        (CK_2004, "511", INCOME, CREDIT),  # 发包及上交收入
        (CK_2004, "561", INCOME, CREDIT),  # 投资收益
        (CK_2023, "133", ASSET, CREDIT),
        (CK_2023, "152", ASSET, CREDIT),
        (CK_2023, "162", ASSET, CREDIT),
        (CK_2023, "214", LIABILITY, CREDIT),
        (CK_2023, "321", EQUITY, CREDIT),
        (CK_2023, "401", COST, DEBIT),
        (CK_2023, "502", INCOME, CREDIT),  # 投资收益
        (CK_2023, "514", INCOME, DEBIT),  # 公益支出
    ],
)
def test_categories_and_normal_balances_are_those_of_the_regulation(standard, code, category, side):
    spec = load_chart(standard).account(code)
    assert (spec.category, spec.normal_balance) == (category, side)


def test_in_the_2023_chart_income_is_on_the_credit_side_and_expense_on_the_debit_side():
    income = [spec for spec in load_chart(CK_2023).top_level() if spec.category == INCOME]
    assert {spec.code for spec in income if spec.normal_balance == CREDIT} == {"501", "502", "503", "504"}
    assert {spec.code for spec in income if spec.normal_balance == DEBIT} == {"511", "512", "513", "514", "515", "521"}


def test_the_year_end_close_runs_through_current_year_income_into_undistributed_income():
    chart = load_chart(CK_2023)
    year_end = chart.year_end
    assert chart.account(year_end.current_year_income).name == "本年收益"
    assert chart.account(year_end.distribution).name == "收益分配"
    assert [spec.name for spec in chart.children(year_end.distribution)] == ["各项分配", "未分配收益"]
    assert chart.account(year_end.undistributed).is_postable
    assert not chart.account(year_end.distribution).is_postable
    closed = {spec.code for spec in chart.closed_at_year_end()}
    assert closed == {spec.code for spec in chart.top_level() if spec.category == INCOME}


def test_the_2004_standard_sub_accounts_are_those_the_regulation_names():
    chart = load_chart(CK_2004)
    assert [spec.name for spec in chart.children("131")] == ["幼畜及育肥畜", "产役畜"]
    assert [spec.name for spec in chart.children("132")] == ["经济林木", "非经济林木"]
    assert [spec.name for spec in chart.children("322")] == ["各项分配", "未分配收益"]
    assert [spec.name for spec in chart.children("511")] == ["承包金", "企业上交利润"]


def test_every_account_names_its_sources_and_an_unconfirmed_one_says_why():
    for standard in standards():
        chart = load_chart(standard)
        ids = {source.id for source in chart.sources}
        assert all(source.address for source in chart.sources)
        for spec in (*chart.accounts, *chart.optional_accounts):
            assert set(spec.sources) <= ids
            assert spec.confirmed or spec.note, spec.code
    assert all(spec.confirmed for spec in load_chart(CK_2004).accounts)


def test_every_2004_account_maps_to_accounts_of_the_2023_chart():
    old, new = load_chart(CK_2004), load_chart(CK_2023)
    for spec in (*old.accounts, *old.optional_accounts):
        for code in map_code(spec.code):
            new.account(code)
    assert len(load_mapping()) == len(old.accounts) + len(old.optional_accounts)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("101", ("101",)),
        ("153", ("154",)),  # 固定资产清理 and 在建工程 swapped their codes
        ("154", ("153",)),
        ("202", ("211",)),
        ("202001", ("211001",)),  # a village's own sub-account follows its parent
        ("131", ("131", "132")),  # 牲畜（禽）资产 splits into consumable and productive
        ("13101", ("131",)),
        ("561", ("502",)),
    ],
)
def test_a_village_that_kept_the_old_chart_can_map_its_codes(old, new):
    assert map_code(old) == new


@pytest.mark.parametrize("code", ["999", "abc", ""])
def test_a_code_outside_the_old_chart_is_refused(code):
    with pytest.raises(ChartError):
        map_code(code)


def replace_account(chart, which, changes):
    accounts = tuple(dataclasses.replace(s, **changes) if s.code == which else s for s in chart.accounts)
    return dataclasses.replace(chart, accounts=accounts)


@pytest.mark.parametrize(
    ("code", "changes", "message"),
    [
        ("102", {"code": "101"}, "编码重复"),
        ("102", {"normal_balance": CREDIT}, "余额方向与类别不符"),
        ("152", {"contra": False}, "余额方向与类别不符"),
        ("201", {"category": "负债"}, "不是五类之一"),
        ("32202", {"category": LIABILITY}, "明细科目的类别和余额方向应与上级科目相同"),
        ("32202", {"parent_code": "999"}, "上级科目 999 不存在"),
        ("322", {"is_postable": True}, "有明细科目的不记账"),
        ("101", {"is_postable": False}, "末级科目记账"),
        ("101", {"sources": ("X9",)}, "来源"),
    ],
)
def test_a_chart_that_breaks_a_rule_is_refused_naming_the_account(code, changes, message):
    broken = replace_account(load_chart(CK_2023), code, changes)
    with pytest.raises(ChartError, match=message):
        check_chart(broken)


def test_the_balance_sheet_places_every_balance_account_and_checks_assets_against_claims():
    layouts = load_report_layouts()
    chart = load_chart(layouts.standard)
    sheet_lines = (*layouts.balance_sheet_assets.lines, *layouts.balance_sheet_claims.lines)
    placed = Counter(ref.code for line in sheet_lines for ref in line.accounts if ref.code)
    balance_accounts = {spec.code for spec in chart.top_level() if spec.category != INCOME}
    assert set(placed) == balance_accounts
    assert {code for code, times in placed.items() if times > 1} == {"113"}  # debit and credit sub-accounts
    assert layouts.balance_check == ("A23", "E05")
    assert layouts.balance_sheet_assets.line("A23").name == "资产总计"
    assert layouts.balance_sheet_claims.line("E05").name == "负债和所有者权益总计"


def test_the_income_statement_takes_every_income_and_expense_account_once():
    layouts = load_report_layouts()
    chart = load_chart(layouts.standard)
    lines = layouts.income_statement.lines
    taken = Counter(
        ref.code for line in lines for ref in line.accounts if ref.measure == "activity" and not ref.counter
    )
    income = {spec.code for spec in chart.top_level() if spec.category == INCOME}
    assert income <= set(taken)
    assert all(taken[code] == 1 for code in income)
    assert [line.name for line in lines if line.kind == "total"] == [
        "二、经营收益",
        "三、收益总额",
        "四、净收益",
        "五、可分配收益",
        "六、年末未分配收益",
    ]


def test_the_chart_values_are_those_of_the_ledger_models():
    models = pytest.importorskip("hongniudai.ledger.models")
    assert set(models.Category.values) == {ASSET, LIABILITY, EQUITY, COST, INCOME}
    assert set(models.Side.values) == {DEBIT, CREDIT}
    assert set(models.Standard.values) == set(standards())
