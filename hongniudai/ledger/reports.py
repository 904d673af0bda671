"""The reports of the collective's books for any range of months, given the acting user: the trial
balance (科目余额表), the account ledger (明细账) with its running balance, the journal (序时账), and
the balance sheet (资产负债表) and income and distribution statement (收益及收益分配表) in the layout of
`charts/reports_2023.json`.

Every total is read from the kept balances (`Balance`, per account and month) in one query, summed
per column here, so the number of queries does not grow with the accounts; only the
statement's two line-level measures (activity without the year-end close, and what was posted
against one account) read lines, in one query each. Amounts are whole fen, signed debit-positive
(借正贷负) until a report line turns them by its orientation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import F, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, scope_for

from .charts.reports import AccountRef, Report, ReportLine, load_report_layouts
from .folding import fold
from .models import YEAR_END_KEY_PREFIX, Account, Balance, Books, Voucher, VoucherLine, VoucherStatus

Month = tuple[int, int]


def _require_view(user: User, books: Books) -> None:
    if not scope_for(user, Capability.BOOKS_VIEW).covers(books):
        raise Http404


def month_label(month: Month) -> str:
    """A month as the URL carries it: `2026-03`."""
    return f"{month[0]:04d}-{month[1]:02d}"


def previous_month(month: Month) -> Month:
    return (month[0] - 1, 12) if month[1] == 1 else (month[0], month[1] - 1)


def first_day(month: Month) -> dt.date:
    return dt.date(month[0], month[1], 1)


def last_day(month: Month) -> dt.date:
    after = (month[0] + 1, 1) if month[1] == 12 else (month[0], month[1] + 1)
    return first_day(after) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Window:
    """The months from `start` to `end`, both included."""

    start: Month
    end: Month

    @property
    def year_start(self) -> Month:
        return (self.start[0], 1)


def _upto(month: Month) -> Q:
    """Balances of the periods up to `month`, included."""
    year, m = month
    return Q(period__year__lt=year) | Q(period__year=year, period__month__lte=m)


def _from(month: Month) -> Q:
    year, m = month
    return Q(period__year__gt=year) | Q(period__year=year, period__month__gte=m)


def _dates(window: Window, prefix: str = "voucher__") -> Q:
    return Q(**{f"{prefix}date__gte": first_day(window.start), f"{prefix}date__lte": last_day(window.end)})


Span = tuple[Month | None, Month | None]  # the months from the first to the last, both included; None: open


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


# ---- trial balance (科目余额表) -------------------------------------------------------------


@dataclass
class TrialRow:
    account: Account
    depth: int = 0
    opening: int = 0  # signed, debit-positive
    debit: int = 0
    credit: int = 0

    @property
    def closing(self) -> int:
        return self.opening + self.debit - self.credit

    @property
    def opening_debit(self) -> int:
        return max(self.opening, 0)

    @property
    def opening_credit(self) -> int:
        return max(-self.opening, 0)

    @property
    def closing_debit(self) -> int:
        return max(self.closing, 0)

    @property
    def closing_credit(self) -> int:
        return max(-self.closing, 0)

    @property
    def is_zero(self) -> bool:
        return not (self.opening or self.debit or self.credit)


@dataclass
class TrialBalance:
    books: Books
    window: Window
    rows: list[TrialRow]

    @property
    def top(self) -> list[TrialRow]:
        return [row for row in self.rows if row.account.parent_id is None]

    def folded(self, over: int) -> tuple[list[TrialRow], dict[int, int]]:
        """The rows without what lies under an account of more than `over` sub-accounts (`folding`)."""
        return fold(self.rows, pk=lambda r: r.account.pk, parent=lambda r: r.account.parent_id, over=over)

    def side_totals(self) -> dict[str, int]:
        """The sums of the top-level accounts (the sub-accounts are in their parents): debits equal
        credits in each pair when the books balance."""
        top = self.top
        return {
            "opening_debit": sum(r.opening_debit for r in top),
            "opening_credit": sum(r.opening_credit for r in top),
            "debit": sum(r.debit for r in top),
            "credit": sum(r.credit for r in top),
            "closing_debit": sum(r.closing_debit for r in top),
            "closing_credit": sum(r.closing_credit for r in top),
        }


def trial_balance(*, user: User, books: Books, window: Window, codes: Iterable[str] = ()) -> TrialBalance:
    """Every account of the books in code order (or only those under `codes`), with its opening
    balance, the debits and credits of the window and its closing balance; a parent sums its
    sub-accounts. Two queries, whatever the number of accounts."""
    _require_view(user, books)
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


# ---- account ledger (明细账) and journal (序时账) --------------------------------------------


@dataclass
class LedgerRow:
    voucher: Voucher
    line: VoucherLine
    balance: int  # the running balance after this line, signed debit-positive


@dataclass
class AccountLedger:
    """An account's lines in a window: `entries` (line id, debit, credit, running balance) are all
    of them, cheap; `rows_of(entries)` loads the lines and vouchers of a page of them."""

    account: Account
    window: Window
    opening: int
    entries: list[tuple[int, int, int, int]] = field(default_factory=list)

    @property
    def debit(self) -> int:
        return sum(e[1] for e in self.entries)

    @property
    def credit(self) -> int:
        return sum(e[2] for e in self.entries)

    @property
    def closing(self) -> int:
        return self.entries[-1][3] if self.entries else self.opening

    @property
    def rows(self) -> list[LedgerRow]:
        return self.rows_of(self.entries)

    def rows_of(self, entries: Iterable[tuple[int, int, int, int]]) -> list[LedgerRow]:
        """The entries' lines with their vouchers and accounts, in one query."""
        chosen = list(entries)
        lines = VoucherLine.objects.select_related("voucher", "account").in_bulk([e[0] for e in chosen])
        return [LedgerRow(lines[e[0]].voucher, lines[e[0]], e[3]) for e in chosen]


def account_get(*, user: User, pk: int) -> Account:
    account = scope_for(user, Capability.BOOKS_VIEW).filter(Account.objects.select_related("books")).filter(pk=pk)
    found = account.first()
    if found is None:
        raise Http404
    return found


def account_ledger(*, user: User, account: Account, window: Window) -> AccountLedger:
    """The account's posted lines (its sub-accounts' too) in the window, in date and number order,
    each with the running balance; the opening from the kept balances."""
    _require_view(user, account.books)
    ids = list(
        Account.objects.filter(books_id=account.books_id, code__startswith=account.code).values_list("pk", flat=True)
    )
    before = Balance.objects.filter(~_from(window.start), account_id__in=ids).aggregate(
        debit=Sum("debit_fen", default=0), credit=Sum("credit_fen", default=0)
    )
    ledger = AccountLedger(account, window, before["debit"] - before["credit"])
    lines = (
        VoucherLine.objects.filter(_dates(window), account_id__in=ids, voucher__status=VoucherStatus.POSTED)
        .order_by("voucher__date", "voucher__number", "id")
        .values_list("id", "debit_fen", "credit_fen")
    )
    running = ledger.opening
    for line_id, debit, credit in lines:
        running += debit - credit
        ledger.entries.append((line_id, debit, credit, running))
    return ledger


def journal(*, user: User, books: Books, window: Window) -> QuerySet[Voucher]:
    """The window's posted vouchers in date and number order, each with its lines and their accounts."""
    _require_view(user, books)
    lines = Prefetch("lines", queryset=VoucherLine.objects.select_related("account").order_by("id"))
    return (
        Voucher.objects.filter(_dates(window, prefix=""), books=books, status=VoucherStatus.POSTED)
        .prefetch_related(lines)
        .order_by("date", "number", "id")
    )


# ---- statements (资产负债表, 收益及收益分配表) -------------------------------------------------


@dataclass
class StatementRow:
    line: ReportLine
    amounts: list[int | None]  # per column, turned by the line's orientation; None on a heading
    codes: tuple[str, ...]  # the account codes behind the figures (a total: those of its lines)
    measure: str = "balance"  # what the figures are: balances at the column's end, or its activity


@dataclass
class Statement:
    books: Books
    title: str
    columns: list[tuple[str, Window]]
    parts: list[list[StatementRow]]  # the balance sheet: assets, then liabilities and equity
    balanced: list[bool] = field(default_factory=list)  # per column (the balance sheet)
    unconfirmed: bool = True
    account_ids: dict[str, int] = field(default_factory=dict)  # code -> account, for the drill-down


class _Figures:
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


def _evaluate(report: Report, figures: _Figures, columns: int) -> list[StatementRow]:
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


def balance_sheet(*, user: User, books: Books, end: Month) -> Statement:
    """The balance sheet at the end of `end`, beside the one at the start of its year (年初数)."""
    _require_view(user, books)
    layouts = load_report_layouts()
    year = end[0]
    columns = [
        (_("年初数"), Window((year - 1, 1), (year - 1, 12))),
        (_("期末数"), Window((year, 1), end)),
    ]
    reports = [layouts.balance_sheet_assets, layouts.balance_sheet_claims]
    figures = _Figures(books, [w for _label, w in columns], _refs(reports))
    parts = [_evaluate(report, figures, len(columns)) for report in reports]
    left, right = layouts.balance_check
    totals = [{row.line.id: row for row in part} for part in parts]
    balanced = [totals[0][left].amounts[c] == totals[1][right].amounts[c] for c in range(len(columns))]
    unconfirmed = any(not line.confirmed for report in reports for line in report.lines)
    ids = {a.code: a.pk for a in figures.accounts}
    return Statement(books, reports[0].title, columns, parts, balanced, unconfirmed, ids)


def income_statement(*, user: User, books: Books, window: Window) -> Statement:
    """The income and distribution statement of the window (本期数), beside the year to its end
    (本年累计数)."""
    _require_view(user, books)
    report = load_report_layouts().income_statement
    columns = [(_("本期数"), window), (_("本年累计数"), Window((window.end[0], 1), window.end))]
    figures = _Figures(books, [w for _label, w in columns], _refs([report]))
    rows = _evaluate(report, figures, len(columns))
    unconfirmed = any(not line.confirmed for line in report.lines)
    ids = {a.code: a.pk for a in figures.accounts}
    return Statement(books, report.title, columns, [rows], [], unconfirmed, ids)
