"""The report pages of the collective's books, each on screen and as .xlsx (`?export=xlsx`): the
trial balance (科目余额表), the account ledger (明细账), the journal (序时账), the balance sheet
(资产负债表) and the income and distribution statement (收益及收益分配表), for a range of months
(`?from=YYYY-MM&to=YYYY-MM`). Every figure links to the vouchers behind it: the voucher list
filtered by account and months (`ledger:voucher_list?account=<id>&from=…&to=…`), or, for a figure
summing several accounts, the trial balance of those accounts. Thin: `reports` reads, within the
user's scope (out of scope: 404)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from hongniudai.accounts.http import AuthedHttpRequest
from hongniudai.accounts.pages import export_response
from hongniudai.common.pagination import page_of
from hongniudai.common.rows import render_rows
from hongniudai.common.xlsx import Column, wants_xlsx

from . import selectors
from .folding import FOLD_OVER, UNFOLDED_PAGE
from .models import Books
from .money import yuan
from .reports import (
    Month,
    Statement,
    StatementRow,
    TrialBalance,
    TrialRow,
    Window,
    account_get,
    account_ledger,
    balance_sheet,
    income_statement,
    journal,
    month_label,
    previous_month,
    trial_balance,
)
from .templatetags.ledger_reports import fen, fen_or_blank

MONTH_FORMAT = "%Y-%m"
SENTINEL = 987654321  # a stand-in id: a row's link is reversed once per page, then the id put in its place


class RangeForm(forms.Form):
    """The months of a report: `from` and `to`, as `YYYY-MM` (an `<input type=month>`)."""

    def __init__(self, data: Any, *, single: bool = False) -> None:
        super().__init__(data)
        widget = forms.DateInput(attrs={"type": "month", "class": "form-control form-control-sm"}, format=MONTH_FORMAT)
        if not single:
            self.fields["from"] = forms.DateField(
                label=gettext_lazy("起始月份"), required=False, input_formats=[MONTH_FORMAT], widget=widget
            )
        self.fields["to"] = forms.DateField(
            label=gettext_lazy("截止月份"), required=False, input_formats=[MONTH_FORMAT], widget=widget
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            raise forms.ValidationError(_("起始月份不能晚于截止月份。"))
        for value in (start, end):
            if value and not (1900 <= value.year <= 2100):
                raise forms.ValidationError(_("月份无效。"))
        return data


def _range(request: AuthedHttpRequest, *, single: bool = False) -> tuple[RangeForm, Window]:
    """The form and the window it asks for; by default this year up to this month. Wrong input
    shows its message and the default."""
    form = RangeForm(request.GET, single=single)
    data = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    end_date = data.get("to") or today
    end: Month = (end_date.year, end_date.month)
    start_date = data.get("from")
    start: Month = (start_date.year, start_date.month) if start_date else (end[0], 1)
    if start > end:
        start = (end[0], 1)
    return form, Window(start, end)


_reversed: dict[tuple[str, tuple[Any, ...], str, Any], str] = {}


def _reverse_or_blank(name: str, *args: Any) -> str:
    """A page of the books that may not be there yet (the voucher pages): its URL, or no link.
    Kept per URL conf: a failed reverse costs a walk of the whole URL conf."""
    key = (name, args, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    if key not in _reversed:
        try:
            _reversed[key] = reverse(name, args=args)
        except NoReverseMatch:
            _reversed[key] = ""
    return _reversed[key]


class Links:
    """The drill-down links of one books' reports, reversed once per page."""

    def __init__(self, books: Books) -> None:
        self.books = books
        self.opened: Month = (books.opened_on.year, books.opened_on.month)
        self.vouchers = _reverse_or_blank("ledger:voucher_list")
        self.trial = reverse("ledger:trial_balance", args=[books.pk])
        self.voucher_head, _sep, self.voucher_tail = _reverse_or_blank("ledger:voucher_detail", SENTINEL).partition(
            str(SENTINEL)
        )
        self.ledger_head, _sep, self.ledger_tail = _reverse_or_blank("ledger:account_ledger", SENTINEL).partition(
            str(SENTINEL)
        )
        self._spans: dict[tuple[Month, Month], str] = {}

    def vouchers_of(self, account_id: int, start: Month, end: Month) -> str:
        if not self.vouchers or start > end:
            return ""
        return f"{self.vouchers}?account={int(account_id)}&{self.span(start, end)}"

    def span(self, start: Month, end: Month) -> str:
        """`from=…&to=…`, encoded once per page and months, not once per figure."""
        found = self._spans.get((start, end))
        if found is None:
            found = self._spans[(start, end)] = urlencode({"from": month_label(start), "to": month_label(end)})
        return found

    def trial_of(self, codes: tuple[str, ...], window: Window) -> str:
        query = {"from": month_label(window.start), "to": month_label(window.end), "codes": ",".join(codes)}
        return f"{self.trial}?{urlencode(query)}"

    def voucher(self, pk: int) -> str:
        return f"{self.voucher_head}{int(pk)}{self.voucher_tail}" if self.voucher_head else ""

    def trial_row(self, row: TrialRow, window: Window) -> dict[str, str]:
        pk = row.account.pk
        return {
            "opening": self.vouchers_of(pk, self.opened, previous_month(window.start)),
            "moves": self.vouchers_of(pk, window.start, window.end),
            "closing": self.vouchers_of(pk, self.opened, window.end),
            "ledger": f"{self.ledger_head}{int(pk)}{self.ledger_tail}?{self.span(window.start, window.end)}",
        }

    def statement_row(self, statement: Statement, row: StatementRow) -> list[str]:
        if row.line.kind == "heading":
            return []
        links = []
        for _label, window in statement.columns:
            if row.measure == "activity":
                start, end = window.start, window.end
            elif row.measure == "opening":
                start, end = self.opened, previous_month(window.year_start)
            else:
                start, end = self.opened, window.end
            account = statement.account_ids.get(row.codes[0]) if len(row.codes) == 1 else None
            if account is not None:
                links.append(self.vouchers_of(account, start, end))
            elif row.codes and start <= end:
                links.append(self.trial_of(row.codes, Window(max(start, (end[0], 1)), end)))
            else:
                links.append("")
        return links


def _query(window: Window) -> str:
    return urlencode({"from": month_label(window.start), "to": month_label(window.end)})


def _context(request: AuthedHttpRequest, books: Books, form: RangeForm, window: Window, active: str) -> dict[str, Any]:
    return {
        "books": books,
        "form": form,
        "window": window,
        "range_query": _query(window),
        "active": active,
        "books_url": _reverse_or_blank("ledger:books_detail", books.pk),
        "vouchers_url": _reverse_or_blank("ledger:voucher_list"),
    }


def _export(
    request: AuthedHttpRequest, books: Books, title: str, window: Window, columns: list[Column], rows: list[Any]
) -> HttpResponseBase:
    span = f"{month_label(window.start)}至{month_label(window.end)}"
    return export_response(
        request,
        filename=f"{books.name}-{title}-{span}",
        title=title,
        columns=columns,
        rows=rows,
        area_path=books.area_path,
    )


def _money(header: str, value: Callable[[Any], int | None]) -> Column:
    return Column(header, lambda row: None if value(row) is None else yuan(value(row) or 0), width=16)


# ---- trial balance -------------------------------------------------------------------------


def _trial_columns() -> list[Column]:
    return [
        Column(_("科目编码"), lambda r: r.account.code, width=12, text=True),
        Column(_("科目名称"), lambda r: r.account.name, width=24),
        _money(_("期初借方"), lambda r: r.opening_debit),
        _money(_("期初贷方"), lambda r: r.opening_credit),
        _money(_("本期借方"), lambda r: r.debit),
        _money(_("本期贷方"), lambda r: r.credit),
        _money(_("期末借方"), lambda r: r.closing_debit),
        _money(_("期末贷方"), lambda r: r.closing_credit),
    ]


# The trial balance's amount columns, each with the drill-down link (`Links.trial_row`) it takes.
TRIAL_CELLS = (
    ("opening_debit", "opening"),
    ("opening_credit", "opening"),
    ("debit", "moves"),
    ("credit", "moves"),
    ("closing_debit", "closing"),
    ("closing_credit", "closing"),
)


# An account with more sub-accounts than FOLD_OVER (a village's households under 113) shows as one
# line in the trial balance, linked to its sub-accounts' own pages of `TRIAL_PAGE` lines (`folding`).
TRIAL_PAGE = UNFOLDED_PAGE


def _nonzero(rows: list[TrialRow], show_all: bool) -> list[TrialRow]:
    return rows if show_all else [r for r in rows if not r.is_zero]


def _trial_rows(
    rows: list[TrialRow], links: Links, window: Window, folded: dict[int, int] | None = None
) -> list[dict[str, Any]]:
    """Each account's cells, ready to place (`ledger/reports/_trial_rows.jinja`): amounts as yuan
    (zero left blank), a non-zero amount linked to its vouchers; an account whose sub-accounts are
    folded links to them."""
    folded = folded or {}
    out = []
    for row in rows:
        link = links.trial_row(row, window)
        cells = []
        for attr, kind in TRIAL_CELLS:
            amount = getattr(row, attr)
            cells.append((fen_or_blank(amount), link[kind] if amount else ""))
        out.append(
            {
                "code": row.account.code,
                "name": row.account.name,
                "depth": row.depth,
                "ledger": link["ledger"],
                "cells": cells,
                "folded": _("%(n)s 个明细科目") % {"n": folded[row.account.pk]} if row.account.pk in folded else "",
                "unfold": links.trial_of((row.account.code,), window) if row.account.pk in folded else "",
            }
        )
    return out


@require_GET
def trial_balance_page(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    """科目余额表: every account's opening, debits, credits and closing over the months chosen."""
    books = selectors.books_get(user=request.user, pk=pk)
    form, window = _range(request)
    codes = [c.strip() for c in request.GET.get("codes", "").split(",") if c.strip()][:50]
    show_all = request.GET.get("all") == "1" or bool(codes)
    if wants_xlsx(request):
        every = trial_balance(user=request.user, books=books, window=window, codes=codes)
        return _export(request, books, _("科目余额表"), window, _trial_columns(), _nonzero(every.rows, show_all))
    # Folded unless an account's sub-accounts are asked for: what lies under a folded account is not read.
    tb: TrialBalance = trial_balance(
        user=request.user, books=books, window=window, codes=codes, fold_over=None if codes else FOLD_OVER
    )
    links = Links(books)
    context = _context(request, books, form, window, "trial_balance")
    page = None
    folded: dict[int, int] = {}
    if codes:  # an account's sub-accounts, a page at a time
        page = page_of(request, _nonzero(tb.rows, show_all), TRIAL_PAGE)
        rows = list(page.object_list)
    else:
        rows, folded = _nonzero(tb.rows, show_all), tb.folded
    context.update(
        rows=render_rows("ledger/reports/_trial_rows.jinja", _trial_rows(rows, links, window, folded)),
        totals=tb.side_totals(),
        codes=",".join(codes),
        show_all=show_all,
        page=page,
    )
    return render(request, "ledger/reports/trial_balance.html", context)


# ---- account ledger and journal --------------------------------------------------------------


@require_GET
def account_ledger_page(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    """明细账: an account's lines over the months chosen, each with the running balance."""
    account = account_get(user=request.user, pk=pk)
    books = account.books
    form, window = _range(request)
    ledger = account_ledger(user=request.user, account=account, window=window)
    if wants_xlsx(request):
        columns = [
            Column(_("日期"), lambda r: r.voucher.date, width=12),
            Column(_("凭证号"), lambda r: str(r.voucher), width=16, text=True),
            Column(_("科目"), lambda r: str(r.line.account), width=20),
            Column(_("摘要"), lambda r: r.line.summary or r.voucher.summary, width=30),
            _money(_("借方"), lambda r: r.line.debit_fen),
            _money(_("贷方"), lambda r: r.line.credit_fen),
            _money(_("余额(借正贷负)"), lambda r: r.balance),
        ]
        return _export(request, books, _("明细账") + account.code, window, columns, ledger.rows)
    links = Links(books)
    page = page_of(request, ledger.entries)
    context = _context(request, books, form, window, "trial_balance")
    context.update(
        account=account,
        ledger=ledger,
        page=page,
        rows=[(row, links.voucher(row.voucher.pk)) for row in ledger.rows_of(page.object_list)],
        opening_link=links.vouchers_of(account.pk, links.opened, previous_month(window.start)),
        moves_link=links.vouchers_of(account.pk, window.start, window.end),
    )
    return render(request, "ledger/reports/account_ledger.html", context)


@require_GET
def journal_page(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    """序时账: the posted vouchers of the months chosen, in order, with their lines; paged."""
    books = selectors.books_get(user=request.user, pk=pk)
    form, window = _range(request)
    vouchers = journal(user=request.user, books=books, window=window)
    if wants_xlsx(request):
        lines = [(v, line) for v in vouchers for line in v.lines.all()]
        columns = [
            Column(_("日期"), lambda r: r[0].date, width=12),
            Column(_("凭证号"), lambda r: str(r[0]), width=16, text=True),
            Column(_("摘要"), lambda r: r[1].summary or r[0].summary, width=30),
            Column(_("科目编码"), lambda r: r[1].account.code, width=12, text=True),
            Column(_("科目名称"), lambda r: r[1].account.name, width=20),
            _money(_("借方"), lambda r: r[1].debit_fen),
            _money(_("贷方"), lambda r: r[1].credit_fen),
        ]
        return _export(request, books, _("序时账"), window, columns, lines)
    page = page_of(request, vouchers, per_page=30)
    links = Links(books)
    context = _context(request, books, form, window, "journal")
    context.update(page=page, rows=[(v, links.voucher(v.pk)) for v in page.object_list])
    return render(request, "ledger/reports/journal.html", context)


# ---- statements ----------------------------------------------------------------------------


def _column_amount(i: int) -> Callable[[StatementRow], int | None]:
    return lambda row: row.amounts[i]


def _statement_export(request: AuthedHttpRequest, statement: Statement, window: Window) -> HttpResponseBase:
    columns = [Column(_("项目"), lambda r: "　" * r.line.indent + r.line.name, width=30)]
    for i, (label, _w) in enumerate(statement.columns):
        columns.append(_money(label, _column_amount(i)))
    rows = [row for part in statement.parts for row in part]
    return _export(request, statement.books, statement.title, window, columns, rows)


def _statement_rows(statement: Statement, part: list[StatementRow], links: Links) -> list[dict[str, Any]]:
    """A statement part's lines, ready to place (`ledger/reports/_statement_rows.jinja`): each
    amount as yuan with the link to what makes it up."""
    out = []
    for row in part:
        hrefs = links.statement_row(statement, row)
        amounts = [fen(amount) for amount in row.amounts]
        out.append(
            {
                "kind": row.line.kind,
                "indent": row.line.indent,
                "name": row.line.name,
                "id": row.line.id,
                "cells": [(amount, hrefs[i] if i < len(hrefs) else "") for i, amount in enumerate(amounts)],
            }
        )
    return out


def _statement_page(
    request: AuthedHttpRequest, statement: Statement, form: RangeForm, window: Window, active: str
) -> HttpResponse:
    links = Links(statement.books)
    context = _context(request, statement.books, form, window, active)
    context.update(
        statement=statement,
        parts=[
            render_rows("ledger/reports/_statement_rows.jinja", _statement_rows(statement, part, links))
            for part in statement.parts
        ],
    )
    return render(request, "ledger/reports/statement.html", context)


@require_GET
def balance_sheet_page(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    """资产负债表 at the end of the month chosen, beside the start of its year."""
    books = selectors.books_get(user=request.user, pk=pk)
    form, window = _range(request, single=True)
    statement = balance_sheet(user=request.user, books=books, end=window.end)
    if wants_xlsx(request):
        return _statement_export(request, statement, Window((window.end[0], 1), window.end))
    return _statement_page(request, statement, form, window, "balance_sheet")


@require_GET
def income_statement_page(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    """收益及收益分配表 of the months chosen, beside the year to date."""
    books = selectors.books_get(user=request.user, pk=pk)
    form, window = _range(request)
    statement = income_statement(user=request.user, books=books, window=window)
    if wants_xlsx(request):
        return _statement_export(request, statement, window)
    return _statement_page(request, statement, form, window, "income_statement")
