"""The balance sheet's two totals computed straight from the layout of reports_2023.json and the
kept balances: a check for the tests of the demo and the county generator, independent of the
report pages."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Sum

from hongniudai.ledger.charts.reports import Report, load_report_layouts
from hongniudai.ledger.models import Account, Balance, Books


def _nets(books: Books) -> tuple[dict[str, int], dict[str, str]]:
    """Each account's closing balance, debit less credit, in fen; and each code's category."""
    rows = (
        Balance.objects.filter(books=books)
        .values_list("account__code")
        .annotate(debit=Sum("debit_fen"), credit=Sum("credit_fen"))
        .order_by()
    )
    nets = {code: debit - credit for code, debit, credit in rows}
    categories = dict(Account.objects.filter(books=books).values_list("code", "category"))
    return nets, categories


def _evaluate(report: Report, nets: dict[str, int], categories: dict[str, str]) -> dict[str, int]:
    values: dict[str, int] = defaultdict(int)
    for line in report.lines:
        if line.kind == "item":
            total = 0
            for ref in line.accounts:
                matched = [
                    net
                    for code, net in nets.items()
                    if (ref.code and code.startswith(ref.code)) or (ref.category and categories[code] == ref.category)
                ]
                # `part`: only the sub-accounts on one side (内部往来: the households' debit balances are
                # receivables, their credit balances payables)
                if ref.part == "debit_children":
                    matched = [net for net in matched if net > 0]
                elif ref.part == "credit_children":
                    matched = [net for net in matched if net < 0]
                total += sum(matched)
            values[line.id] = total if line.orientation == "debit" else -total
        elif line.kind == "total":
            values[line.id] = sum(values[x] for x in line.plus) - sum(values[x] for x in line.minus)
    return values


def balance_sheet_totals(books: Books) -> tuple[int, int]:
    """资产总计 and 负债和所有者权益总计, in fen."""
    layouts = load_report_layouts()
    nets, categories = _nets(books)
    left = _evaluate(layouts.balance_sheet_assets, nets, categories)[layouts.balance_check[0]]
    right = _evaluate(layouts.balance_sheet_claims, nets, categories)[layouts.balance_check[1]]
    return left, right
