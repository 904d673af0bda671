"""The reports of the collective's books for any range of months, given the acting user: the trial
balance (科目余额表), the account ledger (明细账) with its running balance, the journal (序时账), and
the balance sheet (资产负债表) and income and distribution statement (收益及收益分配表) in the layout of
`charts/reports_2023.json`.

Every total is read from the kept balances, summed per column by the database (one row per
account): an account's own (`Balance`, per account and month) and, for an account with
sub-accounts, all that lies under it (`ParentBalance`), so that neither the number of queries nor
the rows read grow with the sub-accounts a report does not show (a village's households under 113);
only the statement's two line-level measures (activity without the year-end close, and what was
posted against one account) read lines, in one query each. Amounts are whole fen, signed debit-positive
(借正贷负) until a report line turns them by its orientation."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, scope_for

from .charts.reports import AccountRef, Report, ReportLine, load_report_layouts
from .folding import fold
from .models import YEAR_END_KEY_PREFIX, Account, Balance, Books, ParentBalance, Voucher, VoucherLine, VoucherStatus

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


def _span(span: Span) -> Q | None:
    """The balances of the periods of `span`; None for every period."""
    lo, hi = span
    if lo is None and hi is None:
        return None
    if lo is None:
        return _upto(hi)  # type: ignore[arg-type]
    if hi is None:
        return _from(lo)
    return _from(lo) & _upto(hi)


def _of_books(model: type[Balance] | type[ParentBalance], books: Books, accounts: Q | None) -> QuerySet[Any]:
    """The kept rows of `books`, of the `accounts` (None: all). All of them, the months too are those
    of the books (every kept row's month is of its books): the database then joins the few dozen
    months of these books, not every month of every books in the county (a village's balance sheet
    1.8 ms instead of 6 on PostgreSQL). Not for a few accounts: their rows are found by account."""
    if accounts is None:
        return model.objects.filter(books=books, period__books=books)
    return model.objects.filter(accounts, books=books)


def _nets(
    model: type[Balance] | type[ParentBalance], books: Books, buckets: dict[str, Span], accounts: Q | None = None
) -> dict[int, dict[str, int]]:
    """Per account (of the kept `model`: own balances, or what lies under it), the signed net
    (debit less credit) of each bucket of months, summed by the database: one row per account."""
    net = F("debit_fen") - F("credit_fen")
    sums = {name: Sum(net, filter=_span(span), default=0) for name, span in buckets.items()}
    rows = _of_books(model, books, accounts)
    return {row.pop("account_id"): row for row in rows.values("account_id").annotate(**sums).order_by()}


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
    folded: dict[int, int] = field(default_factory=dict)  # an account folded: its number of sub-accounts

    @property
    def top(self) -> list[TrialRow]:
        return [row for row in self.rows if row.account.parent_id is None]

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


# Past this many accounts shown, the balances are read for the whole books rather than named ones.
NAMED_ACCOUNTS = 200


def trial_balance(
    *, user: User, books: Books, window: Window, codes: Iterable[str] = (), fold_over: int | None = None
) -> TrialBalance:
    """Every account of the books in code order (or only those under `codes`), with its opening
    balance, the debits and credits of the window and its closing balance; a parent sums its
    sub-accounts (its own balances and its kept `ParentBalance`). With `fold_over`, what lies under
    an account of more sub-accounts than that is left out (`folding`), and its balances are not
    read. Four queries, whatever the number of accounts."""
    _require_view(user, books)
    tree = list(Account.objects.filter(books=books).order_by("code").values_list("pk", "code", "parent_id"))
    wanted = [c for c in codes if c]
    chosen = [row for row in tree if not wanted or any(row[1].startswith(c) for c in wanted)]
    folded: dict[int, int] = {}
    if fold_over is not None:
        chosen, folded = fold(chosen, pk=lambda r: r[0], parent=lambda r: r[2], over=fold_over)
    parent_of = {pk: parent for pk, _code, parent in tree}
    parents = set(parent_of.values())
    ids = [pk for pk, _code, _parent in chosen]
    accounts = Account.objects.filter(books=books).order_by("code")
    if len(ids) < len(tree):
        accounts = accounts.filter(pk__in=ids)
    rows = {a.pk: TrialRow(a) for a in accounts}
    for row in rows.values():
        node = row.account.parent_id
        while node is not None and node in parent_of:
            row.depth += 1
            node = parent_of[node]
    buckets: dict[str, Span] = {"o": (None, previous_month(window.start)), "m": (window.start, window.end)}
    named = Q(account_id__in=ids) if len(ids) <= NAMED_ACCOUNTS else None
    above = [pk for pk in ids if pk in parents]
    moves = {"o": Sum(F("debit_fen") - F("credit_fen"), filter=_span(buckets["o"]), default=0)}
    moves["d"] = Sum("debit_fen", filter=_span(buckets["m"]), default=0)
    moves["c"] = Sum("credit_fen", filter=_span(buckets["m"]), default=0)
    sources: list[tuple[type[Balance] | type[ParentBalance], Q | None]] = [(Balance, named)]
    if above:
        sources.append((ParentBalance, Q(account_id__in=above)))
    for model, only in sources:
        kept = _of_books(model, books, only).filter(_upto(window.end))
        for sums in kept.values("account_id").annotate(**moves).order_by():
            found = rows.get(sums["account_id"])
            if found is not None:
                found.opening += sums["o"]
                found.debit += sums["d"]
                found.credit += sums["c"]
    return TrialBalance(books, window, [rows[pk] for pk in ids if pk in rows], folded)


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


RefKey = tuple[str | None, str | None]
MEASURE_KEYS = {"balance": "b", "opening": "o", "activity": "a"}


class _Figures:
    """What a statement's lines read, fetched once: the chart's codes and parents (not its
    accounts), the nets per column of the accounts the lines name and the line-level measures the
    lines ask for. A line on a whole account reads the account's own and kept parent balances (one
    row each, whatever lies under it); a line on its debit or credit sub-accounts (113 内部往来's
    households) reads theirs, one row each, summed by the database."""

    def __init__(self, books: Books, windows: list[Window], refs: list[AccountRef]) -> None:
        tree = sorted(
            Account.objects.filter(books=books).values_list("pk", "code", "parent_id", "category"),
            key=lambda row: row[1],
        )
        self.codes = [code for _pk, code, _parent, _category in tree]
        self.tree = tree
        self.account_ids = {code: pk for pk, code, _parent, _category in tree}
        self.parent_of = {pk: parent for pk, _code, parent, _category in tree}
        self.code_of = code_of = {pk: code for pk, code, _parent, _category in tree}
        # A sub-account's code extends its parent's: what lies under an account is what its code
        # prefixes, and a line on a code reads the kept parent balances of its top accounts.
        self.nested = all(parent is None or code.startswith(code_of.get(parent, "")) for _pk, code, parent, _c in tree)
        self._members: dict[RefKey, list[int]] = {}
        self._member_sets: dict[RefKey, set[int]] = {}
        self._tops: dict[RefKey, list[int]] = {}
        self.windows = windows
        measures = {ref.measure for ref in refs if not ref.counter}
        letters = {"balance": "b", "opening": "o", "activity": "a"}
        buckets: dict[str, Span] = {}
        for i, w in enumerate(windows):
            spans = {"b": (None, w.end), "o": (None, previous_month(w.year_start)), "a": (w.start, w.end)}
            for measure in measures:
                buckets[f"{letters[measure]}{i}"] = spans[letters[measure]]
        whole: set[int] = set()
        split: set[int] = set()  # the accounts read one by one (a village's households under 113)
        for ref in refs:
            if ref.counter:
                continue
            if self.whole(ref):
                whole.update(self.tops(ref))
            else:
                split.update(self.members(ref))
        named = whole | split
        # Past NAMED_ACCOUNTS, the whole books' own balances are read (the rest go unused): no list
        # of hundreds of ids, and no join to the chart to find them by code.
        wanted = Q(account_id__in=named) if len(named) <= NAMED_ACCOUNTS else None
        self.own = _nets(Balance, books, buckets, wanted) if named else {}
        self.under = _nets(ParentBalance, books, buckets, Q(account_id__in=whole)) if whole else {}
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

    def _prefixed(self, code: str) -> list[int]:
        """The accounts whose code starts with `code`: in code order, one run."""
        at = bisect_left(self.codes, code)
        found = []
        while at < len(self.codes) and self.codes[at].startswith(code):
            found.append(self.tree[at][0])
            at += 1
        return found

    def subtree(self, code: str) -> list[int]:
        return self._prefixed(code)

    def members(self, ref: AccountRef) -> list[int]:
        """The accounts `ref` reads, in code order, found once per category or code."""
        key = (ref.category, ref.code)
        found = self._members.get(key)
        if found is None:
            if ref.category is not None:
                found = [pk for pk, _code, _parent, category in self.tree if category == ref.category]
            else:
                found = self._prefixed(ref.code) if ref.code is not None else []
            self._members[key] = found
            self._member_sets[key] = set(found)
        return found

    def tops(self, ref: AccountRef) -> list[int]:
        """The accounts of `ref` whose parent is not one of them: the rest lie under these."""
        key = (ref.category, ref.code)
        found = self._tops.get(key)
        if found is None:
            members = self.members(ref)
            inside = self._member_sets[key]
            found = self._tops[key] = [pk for pk in members if self.parent_of[pk] not in inside]
        return found

    def whole(self, ref: AccountRef) -> bool:
        """Whether `ref`'s amount is that of whole accounts (their kept parent balances serve): not
        a split of sub-accounts by side, nor a line-level measure. A category is always whole (a
        sub-account takes its parent's); a code, when the codes nest."""
        return not ref.part and not ref.counter and (ref.category is not None or self.nested)

    def ref_codes(self, ref: AccountRef) -> list[str]:
        """The codes behind `ref`'s figure: those of its top accounts (the others are under them)."""
        accounts = self.tops(ref) if self.nested or ref.category is not None else self.members(ref)
        return [self.code_of[pk] for pk in accounts]

    def amount(self, ref: AccountRef, column: int) -> int:
        """`ref`'s signed (debit-positive) amount in a column."""
        key = MEASURE_KEYS[ref.measure] + str(column)
        self.members(ref)
        inside = self._member_sets[(ref.category, ref.code)]
        if self.whole(ref):
            total = sum(self.own.get(pk, {}).get(key, 0) + self.under.get(pk, {}).get(key, 0) for pk in self.tops(ref))
            if ref.measure == "activity":
                total -= sum(row[f"a{column}"] for pk, row in self.year_end.items() if pk in inside)
            return total
        # Account by account (every account with figures has kept balances, or lines for a counter).
        if ref.counter:
            nets = [row.get(f"a{column}", 0) for pk, row in self.counters[ref.counter].items() if pk in inside]
        else:
            closed = self.year_end if ref.measure == "activity" else {}
            done = f"a{column}"
            nets = [row[key] - closed.get(pk, {}).get(done, 0) for pk, row in self.own.items() if pk in inside]
            nets += [-row[done] for pk, row in closed.items() if pk in inside and pk not in self.own]
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
            codes = tuple(dict.fromkeys(code for ref in line.accounts for code in figures.ref_codes(ref)))
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
    return Statement(books, reports[0].title, columns, parts, balanced, unconfirmed, figures.account_ids)


def income_statement(*, user: User, books: Books, window: Window) -> Statement:
    """The income and distribution statement of the window (本期数), beside the year to its end
    (本年累计数)."""
    _require_view(user, books)
    report = load_report_layouts().income_statement
    columns = [(_("本期数"), window), (_("本年累计数"), Window((window.end[0], 1), window.end))]
    figures = _Figures(books, [w for _label, w in columns], _refs([report]))
    rows = _evaluate(report, figures, len(columns))
    unconfirmed = any(not line.confirmed for line in report.lines)
    return Statement(books, report.title, columns, [rows], [], unconfirmed, figures.account_ids)
