"""The regulations' charts of accounts (科目表) as data, read and checked without the database.

Each chart is a JSON file beside this module, with its metadata (title, document number, dates),
the sources it was read from and, for every account, whether it was confirmed against the
regulation's own text (`confirmed`) and a note saying what is known:

- `caihui_2023_14.json`: 《农村集体经济组织会计制度》(财会〔2023〕14号), in force from 2024-01-01;
- `caihui_2004_12.json`: 《村集体经济组织会计制度》(财会〔2004〕12号), 33 accounts from 101 现金 to 561
  投资收益, kept so that a village that kept the old chart can map it;
- `mapping_2004_to_2023.json`: the old codes to the new ones (`map_code`);
- `reports_2023.json`: the report layouts (see `hongniudai.ledger.charts.reports`).

The category and side values are those of `hongniudai.ledger.models.Category` and `Side`, so that
`open_books` copies an `AccountSpec` into an `Account` field by field. A chart is checked as it is
loaded: codes unique, every parent present and listed before its children, a sub-account of its
parent's category and normal balance, a normal balance that fits the category (a contra account,
such as 累计折旧, the opposite one), an account with children not postable and a leaf postable."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

ASSET, LIABILITY, EQUITY, COST, INCOME = "asset", "liability", "equity", "cost", "income"
CATEGORIES = (ASSET, LIABILITY, EQUITY, COST, INCOME)
DEBIT, CREDIT = "debit", "credit"
SIDES = (DEBIT, CREDIT)
# The side a category's balance lies on; 损益类 holds both (income on the credit, expense on the debit).
CATEGORY_SIDE: dict[str, str | None] = {ASSET: DEBIT, LIABILITY: CREDIT, EQUITY: CREDIT, COST: DEBIT, INCOME: None}

CK_2023 = "财会〔2023〕14号"
CK_2004 = "财会〔2004〕12号"
CHART_FILES = {CK_2023: "caihui_2023_14.json", CK_2004: "caihui_2004_12.json"}
MAPPING_FILE = "mapping_2004_to_2023.json"
MAPPING_KINDS = ("same", "renamed", "recoded", "split", "merged", "dropped")
CODE_MAX, NAME_MAX = 20, 100  # the lengths of Account.code and Account.name


class ChartError(ValueError):
    """A chart or mapping that breaks a rule, or a code that is in no chart; the message says which."""


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    address: str
    note: str


@dataclass(frozen=True)
class AccountSpec:
    """One account of a regulation's chart, as `open_books` copies it into the books."""

    code: str
    name: str
    category: str
    normal_balance: str
    is_postable: bool
    parent_code: str | None
    order: int | None  # the regulation's 顺序号 (first-level accounts only)
    contra: bool  # a contra account (备抵科目): its balance lies opposite its category's side
    optional: bool  # listed by the regulation as one a village may add (可增设)
    confirmed: bool  # checked against the regulation's own text
    sources: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class YearEnd:
    """The accounts of the year-end close: income and expense into `current_year_income` (本年收益),
    which with `distribution_items` (各项分配) goes into `undistributed` (收益分配—未分配收益)."""

    current_year_income: str
    distribution: str
    distribution_items: str
    undistributed: str


@dataclass(frozen=True)
class Chart:
    standard: str
    title: str
    issued_on: dt.date
    effective_from: dt.date
    superseded_from: dt.date | None
    note: str
    sources: tuple[Source, ...]
    accounts: tuple[AccountSpec, ...]  # in order, each parent before its children
    optional_accounts: tuple[AccountSpec, ...]
    year_end: YearEnd

    def account(self, code: str) -> AccountSpec:
        for spec in (*self.accounts, *self.optional_accounts):
            if spec.code == code:
                return spec
        raise ChartError(f"科目编码 {code} 不在《{self.title}》({self.standard})的科目表内")

    def top_level(self) -> tuple[AccountSpec, ...]:
        return tuple(spec for spec in self.accounts if spec.parent_code is None)

    def children(self, code: str) -> tuple[AccountSpec, ...]:
        return tuple(spec for spec in self.accounts if spec.parent_code == code)

    def closed_at_year_end(self) -> tuple[AccountSpec, ...]:
        """The postable income and expense accounts, carried into 本年收益 at the close."""
        return tuple(spec for spec in self.accounts if spec.category == INCOME and spec.is_postable)


@dataclass(frozen=True)
class CodeMapping:
    old_code: str
    old_name: str
    new_codes: tuple[str, ...]  # several when the old account splits: the caller chooses per line
    kind: str
    confirmed: bool
    note: str


def standards() -> tuple[str, ...]:
    return tuple(CHART_FILES)


def load_chart(standard: str) -> Chart:
    """The chart of `standard` ("财会〔2023〕14号", or its file's key "caihui_2023_14"), checked."""
    for number, filename in CHART_FILES.items():
        if standard in (number, filename.removesuffix(".json")):
            return _chart_from_file(filename)
    raise ChartError(f"没有会计制度 {standard} 的科目表")


@cache
def _chart_from_file(filename: str) -> Chart:
    data = read_json(filename)
    sources = tuple(Source(s["id"], s["title"], s["address"], s["note"]) for s in data["sources"])
    chart = Chart(
        standard=data["standard"],
        title=data["title"],
        issued_on=dt.date.fromisoformat(data["issued_on"]),
        effective_from=dt.date.fromisoformat(data["effective_from"]),
        superseded_from=dt.date.fromisoformat(data["superseded_from"]) if data["superseded_from"] else None,
        note=data["note"],
        sources=sources,
        accounts=tuple(_spec(row, optional=False) for row in data["accounts"]),
        optional_accounts=tuple(_spec(row, optional=True) for row in data["optional_accounts"]),
        year_end=YearEnd(**data["year_end"]),
    )
    check_chart(chart)
    return chart


def _spec(row: dict[str, Any], *, optional: bool) -> AccountSpec:
    return AccountSpec(
        code=row["code"],
        name=row["name"],
        category=row["category"],
        normal_balance=row["normal_balance"],
        is_postable=row["is_postable"],
        parent_code=row["parent_code"],
        order=row.get("order"),
        contra=row.get("contra", False),
        optional=optional,
        confirmed=row["confirmed"],
        sources=tuple(row["sources"]),
        note=row["note"],
    )


def read_json(filename: str) -> dict[str, Any]:
    with (HERE / filename).open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def check_chart(chart: Chart) -> None:
    """Raise ChartError naming the first account that breaks a rule of the chart."""
    seen: dict[str, AccountSpec] = {}
    source_ids = {source.id for source in chart.sources}
    for spec in (*chart.accounts, *chart.optional_accounts):
        where = f"{chart.standard} 科目 {spec.code} {spec.name}"
        if spec.code in seen:
            raise ChartError(f"{where}：编码重复")
        _check_account(spec, where, source_ids)
        if spec.parent_code is None:
            _check_side(spec, where)
        else:
            _check_parent(spec, seen.get(spec.parent_code), where)
        seen[spec.code] = spec
    parents = {spec.parent_code for spec in chart.accounts if spec.parent_code}
    for spec in chart.accounts:
        if spec.is_postable == (spec.code in parents):
            raise ChartError(f"{chart.standard} 科目 {spec.code}：有明细科目的不记账，末级科目记账")
    year_end = chart.year_end
    for code in (year_end.current_year_income, year_end.distribution, year_end.distribution_items):
        if chart.account(code).category != EQUITY:
            raise ChartError(f"{chart.standard} 年末结转科目 {code} 应属所有者权益类")
    if not chart.account(year_end.undistributed).is_postable:
        raise ChartError(f"{chart.standard} 未分配收益科目 {year_end.undistributed} 应可记账")


def _check_account(spec: AccountSpec, where: str, source_ids: set[str]) -> None:
    if not spec.code.isdigit() or len(spec.code) > CODE_MAX:
        raise ChartError(f"{where}：编码应为不超过{CODE_MAX}位的数字")
    if not spec.name or len(spec.name) > NAME_MAX:
        raise ChartError(f"{where}：名称为空或过长")
    if spec.category not in CATEGORIES:
        raise ChartError(f"{where}：类别 {spec.category} 不是五类之一")
    if spec.normal_balance not in SIDES:
        raise ChartError(f"{where}：余额方向 {spec.normal_balance} 应为借或贷")
    unknown = set(spec.sources) - source_ids
    if unknown or not spec.sources:
        raise ChartError(f"{where}：来源 {sorted(unknown)} 未列在科目表的来源中")


def _check_side(spec: AccountSpec, where: str) -> None:
    side = CATEGORY_SIDE[spec.category]
    if side is None:
        if spec.contra:
            raise ChartError(f"{where}：损益类科目没有备抵之说")
        return
    expected = opposite(side) if spec.contra else side
    if spec.normal_balance != expected:
        raise ChartError(f"{where}：余额方向与类别不符")


def _check_parent(spec: AccountSpec, parent: AccountSpec | None, where: str) -> None:
    if parent is None:
        raise ChartError(f"{where}：上级科目 {spec.parent_code} 不存在或列在其后")
    if not spec.code.startswith(parent.code) or len(spec.code) <= len(parent.code):
        raise ChartError(f"{where}：明细科目编码应以上级科目编码开头")
    if (spec.category, spec.normal_balance, spec.contra) != (parent.category, parent.normal_balance, parent.contra):
        raise ChartError(f"{where}：明细科目的类别和余额方向应与上级科目相同")


def opposite(side: str) -> str:
    return CREDIT if side == DEBIT else DEBIT


@cache
def load_mapping() -> tuple[CodeMapping, ...]:
    """The 2004 codes to the 2023 codes, checked: every 2004 account maps, to accounts of the 2023 chart."""
    data = read_json(MAPPING_FILE)
    mappings = tuple(
        CodeMapping(
            old_code=row["old_code"],
            old_name=row["old_name"],
            new_codes=tuple(row["new_codes"]),
            kind=row["kind"],
            confirmed=row["confirmed"],
            note=row["note"],
        )
        for row in data["mappings"]
    )
    check_mapping(mappings, old=load_chart(data["from_standard"]), new=load_chart(data["to_standard"]))
    return mappings


def check_mapping(mappings: Iterable[CodeMapping], *, old: Chart, new: Chart) -> None:
    mapped: set[str] = set()
    for mapping in mappings:
        where = f"对照 {mapping.old_code} {mapping.old_name}"
        if mapping.old_code in mapped:
            raise ChartError(f"{where}：重复")
        if old.account(mapping.old_code).name != mapping.old_name:
            raise ChartError(f"{where}：名称与{old.standard}科目表不符")
        if mapping.kind not in MAPPING_KINDS or not mapping.new_codes:
            raise ChartError(f"{where}：对照方式 {mapping.kind} 或新科目有误")
        for code in mapping.new_codes:
            new.account(code)
        mapped.add(mapping.old_code)
    missing = [spec.code for spec in (*old.accounts, *old.optional_accounts) if spec.code not in mapped]
    if missing:
        raise ChartError(f"{old.standard} 科目 {', '.join(missing)} 没有对照")


def map_code(old_code: str) -> tuple[str, ...]:
    """The 2023 code(s) of a 2004 code: one for most accounts, several when the old account splits
    (the caller then chooses, line by line). A village's own sub-account maps below each new account
    its nearest mapped ancestor maps to (202001 应付款—某单位 → 211001); where that code is taken by a
    standard sub-account of another name, the caller must choose another."""
    by_code = {mapping.old_code: mapping for mapping in load_mapping()}
    if old_code.isdigit():
        for length in range(len(old_code), 0, -1):
            mapping = by_code.get(old_code[:length])
            if mapping is not None:
                rest = old_code[length:]
                return tuple(code + rest for code in mapping.new_codes)
    raise ChartError(f"科目编码 {old_code} 不在《村集体经济组织会计制度》({CK_2004})的科目表内")
