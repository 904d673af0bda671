"""The layouts of the regulation's reports (资产负债表, 收益及收益分配表) as data, checked on load.

A line is a heading, an item summed from accounts, or a total of earlier lines (`plus` less
`minus`). An item's `orientation` says which way its accounts' amounts are read: debit (借方减贷方)
or credit (贷方减借方); each account reference names a code (or a whole category), and may say
which amount (`measure`: balance, opening, activity; `part`: only the sub-accounts with a debit or
a credit balance; `counter`: only what was posted against that account). The meaning of each
measure is written in the file (`measures`). Phase 2 builds the reports from these lines; every
line says whether it was confirmed against the regulation's own form."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from hongniudai.ledger.charts import CATEGORIES, SIDES, Chart, ChartError, load_chart, read_json

REPORTS_2023 = "reports_2023.json"
KINDS = ("heading", "item", "total")
MEASURES = ("balance", "opening", "activity")
PARTS = ("debit_children", "credit_children")


@dataclass(frozen=True)
class AccountRef:
    code: str | None  # None when the reference is a whole category
    category: str | None
    measure: str
    part: str | None
    counter: str | None


@dataclass(frozen=True)
class ReportLine:
    id: str
    name: str
    kind: str
    indent: int
    orientation: str | None
    accounts: tuple[AccountRef, ...]
    plus: tuple[str, ...]
    minus: tuple[str, ...]
    confirmed: bool
    note: str


@dataclass(frozen=True)
class Report:
    title: str
    lines: tuple[ReportLine, ...]

    def line(self, line_id: str) -> ReportLine:
        for line in self.lines:
            if line.id == line_id:
                return line
        raise ChartError(f"{self.title}没有行 {line_id}")


@dataclass(frozen=True)
class ReportLayouts:
    standard: str
    balance_sheet_assets: Report
    balance_sheet_claims: Report  # liabilities and owners' equity, the right-hand side
    balance_check: tuple[str, str]  # the two totals that must be equal
    income_statement: Report
    measures: dict[str, str]
    note: str


@cache
def load_report_layouts() -> ReportLayouts:
    data = read_json(REPORTS_2023)
    chart = load_chart(data["standard"])
    sheet = data["balance_sheet"]
    left, right = (part.strip() for part in sheet["check"].split("="))
    layouts = ReportLayouts(
        standard=data["standard"],
        balance_sheet_assets=_report(sheet["title"], sheet["assets"], chart),
        balance_sheet_claims=_report(sheet["title"], sheet["liabilities_and_equity"], chart),
        balance_check=(left, right),
        income_statement=_report(data["income_statement"]["title"], data["income_statement"]["lines"], chart),
        measures=dict(data["measures"]),
        note=data["note"],
    )
    layouts.balance_sheet_assets.line(left)
    layouts.balance_sheet_claims.line(right)
    return layouts


def _report(title: str, rows: list[dict[str, Any]], chart: Chart) -> Report:
    lines: list[ReportLine] = []
    for row in rows:
        line = ReportLine(
            id=row["id"],
            name=row["name"],
            kind=row["kind"],
            indent=row["indent"],
            orientation=row.get("orientation"),
            accounts=tuple(_ref(ref) for ref in row.get("accounts", ())),
            plus=tuple(row.get("plus", ())),
            minus=tuple(row.get("minus", ())),
            confirmed=row["confirmed"],
            note=row["note"],
        )
        _check_line(line, title, earlier={done.id: done for done in lines}, chart=chart)
        lines.append(line)
    return Report(title=title, lines=tuple(lines))


def _ref(ref: dict[str, Any]) -> AccountRef:
    return AccountRef(
        code=ref.get("code"),
        category=ref.get("category"),
        measure=ref.get("measure", "balance"),
        part=ref.get("part"),
        counter=ref.get("counter"),
    )


def _check_line(line: ReportLine, title: str, *, earlier: dict[str, ReportLine], chart: Chart) -> None:
    where = f"{title} {line.id} {line.name}"
    if line.id in earlier or line.kind not in KINDS:
        raise ChartError(f"{where}：行号重复或种类有误")
    if line.kind == "item":
        if line.orientation not in SIDES or not line.accounts:
            raise ChartError(f"{where}：取数行应有取向和科目")
        for ref in line.accounts:
            _check_ref(ref, where, chart)
    if line.kind == "total":
        refs = (*line.plus, *line.minus)
        if not line.plus or any(ref not in earlier or earlier[ref].kind == "heading" for ref in refs):
            raise ChartError(f"{where}：合计只能加减其前的取数行或合计行")


def _check_ref(ref: AccountRef, where: str, chart: Chart) -> None:
    if (ref.code is None) == (ref.category is None):
        raise ChartError(f"{where}：取数应指明一个科目或一个类别")
    if ref.code is not None:
        chart.account(ref.code)
    if ref.category is not None and ref.category not in CATEGORIES:
        raise ChartError(f"{where}：类别 {ref.category} 有误")
    if ref.measure not in MEASURES or (ref.part is not None and ref.part not in PARTS):
        raise ChartError(f"{where}：取数方式有误")
    if ref.counter is not None:
        chart.account(ref.counter)
