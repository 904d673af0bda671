"""The reports' figures as they were computed before the kept parent balances (`ParentBalance`):
every account's balances read and summed up its parents here. Kept to test the reports against: the
same books give the same figures both ways."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from hongniudai.ledger.charts.reports import AccountRef, Report, load_report_layouts
from hongniudai.ledger.models import YEAR_END_KEY_PREFIX, Account, Balance, Books, VoucherLine, VoucherStatus
from hongniudai.ledger.reports import (
    Month,
    Span,
    Statement,
    StatementRow,
    TrialBalance,
    TrialRow,
    Window,
    first_day,
    last_day,
    previous_month,
)


def _upto(month: Month) -> Q:
    """Balances of the periods up to `month`, included."""
    year, m = month
    return Q(period__year__lt=year) | Q(period__year=year, period__month__lte=m)


def _dates(window: Window, prefix: str = "voucher__") -> Q:
    return Q(**{f"{prefix}date__gte": first_day(window.start), f"{prefix}date__lte": last_day(window.end)})


def _sums(books: Books, buckets: dict[str, Span]) -> dict[int, dict[str, int]]:
    """Per account, the debit (`<bucket>_d`) and credit (`<bucket>_c`) of each bucket of months,
    from one query of the books' kept balances (one row per account and month), summed here."""
    last = max((hi for _lo, hi in buckets.values() if hi is not None), default=None)
    balances = Balance.objects.filter(books=books)
    if last is not None and all(hi is not None for _lo, hi in buckets.values()):
        balances = balances.filter(_upto(last))
    rows = balances.values_list("account_id", "period__year", "period__month", "debit_fen", "credit_fen")
    sums: dict[int, dict[str, int]] = {}
    empty = {f"{name}_{side}": 0 for name in buckets for side in "dc"}
    for account_id, year, month, debit, credit in rows.order_by().iterator(chunk_size=5000):
        row = sums.get(account_id)
        if row is None:
            row = sums[account_id] = dict(empty)
        for name, (lo, hi) in buckets.items():
            if (lo is None or (year, month) >= lo) and (hi is None or (year, month) <= hi):
                row[f"{name}_d"] += debit
                row[f"{name}_c"] += credit
    return sums


def trial_balance(*, books: Books, window: Window, codes: Iterable[str] = ()) -> TrialBalance:
    """Every account of the books in code order (or only those under `codes`), with its opening
    balance, the debits and credits of the window and its closing balance; a parent sums its
    sub-accounts. Two queries, whatever the number of accounts."""
    accounts = list(Account.objects.filter(books=books).order_by("code"))
    by_pk = {a.pk: a for a in accounts}
    rows = {a.pk: TrialRow(a) for a in accounts}
    for row in rows.values():
        node = row.account
        while node.parent_id is not None and node.parent_id in by_pk:
            row.depth += 1
            node = by_pk[node.parent_id]
    sums = _sums(books, {"o": (None, previous_month(window.start)), "m": (window.start, window.end)})
    for account_id, s in sums.items():
        node_id: int | None = account_id
        while node_id is not None and node_id in rows:
            row = rows[node_id]
            row.opening += s["o_d"] - s["o_c"]
            row.debit += s["m_d"]
            row.credit += s["m_c"]
            node_id = by_pk[node_id].parent_id
    wanted = [c for c in codes if c]
    chosen = [a for a in accounts if not wanted or any(a.code.startswith(c) for c in wanted)]
    return TrialBalance(books, window, [rows[a.pk] for a in chosen])


class Figures:
    """What a statement's lines read, fetched once: the accounts, their sums per column, and the
    line-level measures the lines ask for."""

    def __init__(self, books: Books, windows: list[Window], refs: list[AccountRef]) -> None:
        self.accounts = list(Account.objects.filter(books=books).order_by("code"))
        self._ref_accounts: dict[tuple[str | None, str | None], list[Account]] = {}
        buckets: dict[str, Span] = {}
        for i, w in enumerate(windows):
            buckets[f"b{i}"] = (None, w.end)
            buckets[f"o{i}"] = (None, previous_month(w.year_start))
            buckets[f"a{i}"] = (w.start, w.end)
        self.sums = _sums(books, buckets)
        self.windows = windows
        self.year_end: dict[int, dict[str, int]] = {}
        if any(ref.measure == "activity" for ref in refs):
            lines = VoucherLine.objects.filter(
                voucher__books=books,
                voucher__status=VoucherStatus.POSTED,
                voucher__idempotency_key__startswith=YEAR_END_KEY_PREFIX,
            )
            self.year_end = self._line_sums(lines)
        self.counters: dict[str, dict[int, dict[str, int]]] = {}
        for ref in refs:
            if ref.counter and ref.counter not in self.counters:
                against = VoucherLine.objects.filter(account_id__in=self.subtree(ref.counter)).values("voucher_id")
                lines = VoucherLine.objects.filter(
                    voucher__books=books, voucher__status=VoucherStatus.POSTED, voucher_id__in=against
                ).exclude(account_id__in=self.subtree(ref.counter))
                self.counters[ref.counter] = self._line_sums(lines)

    def _line_sums(self, lines: QuerySet[VoucherLine]) -> dict[int, dict[str, int]]:
        net = F("debit_fen") - F("credit_fen")
        aggregates = {f"a{i}": Sum(net, filter=_dates(w), default=0) for i, w in enumerate(self.windows)}
        rows = lines.values("account_id").annotate(**aggregates).order_by()
        return {row.pop("account_id"): row for row in rows}

    def subtree(self, code: str) -> list[int]:
        return [a.pk for a in self.accounts if a.code.startswith(code)]

    def ref_accounts(self, ref: AccountRef) -> list[Account]:
        """The accounts `ref` reads, found once per category or code (a village's books hold hundreds
        of household sub-accounts, and the lines ask for them again and again)."""
        key = (ref.category, ref.code)
        found = self._ref_accounts.get(key)
        if found is None:
            if ref.category is not None:
                found = [a for a in self.accounts if a.category == ref.category]
            else:
                found = [a for a in self.accounts if ref.code is not None and a.code.startswith(ref.code)]
            self._ref_accounts[key] = found
        return found

    def net(self, account_id: int, ref: AccountRef, column: int) -> int:
        """One account's signed net for `ref`'s measure in a column."""
        if ref.counter:
            return self.counters[ref.counter].get(account_id, {}).get(f"a{column}", 0)
        s = self.sums.get(account_id)
        if s is None:
            return 0
        key = {"balance": "b", "opening": "o", "activity": "a"}[ref.measure] + str(column)
        value = s[f"{key}_d"] - s[f"{key}_c"]
        if ref.measure == "activity":
            value -= self.year_end.get(account_id, {}).get(f"a{column}", 0)
        return value

    def amount(self, ref: AccountRef, column: int) -> int:
        """`ref`'s signed (debit-positive) amount in a column."""
        accounts = self.ref_accounts(ref)
        nets = [self.net(a.pk, ref, column) for a in accounts]
        if ref.part == "debit_children":
            return sum(n for n in nets if n > 0)
        if ref.part == "credit_children":
            return sum(n for n in nets if n < 0)
        return sum(nets)


def _evaluate(report: Report, figures: Figures, columns: int) -> list[StatementRow]:
    done: dict[str, StatementRow] = {}
    rows = []
    for line in report.lines:
        if line.kind == "heading":
            row = StatementRow(line, [None] * columns, ())
        elif line.kind == "item":
            sign = 1 if line.orientation == "debit" else -1
            amounts: list[int | None] = [
                sign * sum(figures.amount(ref, c) for ref in line.accounts) for c in range(columns)
            ]
            codes = tuple(dict.fromkeys(a.code for ref in line.accounts for a in figures.ref_accounts(ref)))
            row = StatementRow(line, amounts, _top_codes(codes), line.accounts[0].measure)
        else:
            amounts = [
                sum(done[i].amounts[c] or 0 for i in line.plus) - sum(done[i].amounts[c] or 0 for i in line.minus)
                for c in range(columns)
            ]
            codes = tuple(dict.fromkeys(code for i in (*line.plus, *line.minus) for code in done[i].codes))
            row = StatementRow(line, amounts, _top_codes(codes), done[line.plus[0]].measure)
        done[line.id] = row
        rows.append(row)
    return rows


def _top_codes(codes: tuple[str, ...]) -> tuple[str, ...]:
    """The codes without those already under another of them (11201 under 112), in their order.
    Sorted, the codes under a code follow it at once: each is compared with the last one kept."""
    top: set[str] = set()
    last = None
    for code in sorted(set(codes)):
        if last is None or not code.startswith(last):
            top.add(code)
            last = code
    return tuple(c for c in dict.fromkeys(codes) if c in top)


def _refs(reports: Iterable[Report]) -> list[AccountRef]:
    return [ref for report in reports for line in report.lines for ref in line.accounts]


def balance_sheet(*, books: Books, end: Month) -> Statement:
    """The balance sheet at the end of `end`, beside the one at the start of its year (年初数)."""
    layouts = load_report_layouts()
    year = end[0]
    columns = [
        (_("年初数"), Window((year - 1, 1), (year - 1, 12))),
        (_("期末数"), Window((year, 1), end)),
    ]
    reports = [layouts.balance_sheet_assets, layouts.balance_sheet_claims]
    figures = Figures(books, [w for _label, w in columns], _refs(reports))
    parts = [_evaluate(report, figures, len(columns)) for report in reports]
    left, right = layouts.balance_check
    totals = [{row.line.id: row for row in part} for part in parts]
    balanced = [totals[0][left].amounts[c] == totals[1][right].amounts[c] for c in range(len(columns))]
    unconfirmed = any(not line.confirmed for report in reports for line in report.lines)
    ids = {a.code: a.pk for a in figures.accounts}
    return Statement(books, reports[0].title, columns, parts, balanced, unconfirmed, ids)


def income_statement(*, books: Books, window: Window) -> Statement:
    """The income and distribution statement of the window (本期数), beside the year to its end
    (本年累计数)."""
    report = load_report_layouts().income_statement
    columns = [(_("本期数"), window), (_("本年累计数"), Window((window.end[0], 1), window.end))]
    figures = Figures(books, [w for _label, w in columns], _refs([report]))
    rows = _evaluate(report, figures, len(columns))
    unconfirmed = any(not line.confirmed for line in report.lines)
    ids = {a.code: a.pk for a in figures.accounts}
    return Statement(books, report.title, columns, [rows], [], unconfirmed, ids)
