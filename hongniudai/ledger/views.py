"""Pages of the collective's books: the books in scope, one books with its chart of accounts (and a
sub-account added below an account), and its months (closing, reopening with a reason, the year-end
close). Thin: selectors read within BOOKS_VIEW (out of scope: 404), services write and check the
capability (403); the voucher pages are in `views_vouchers`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hongniudai.accounts.http import AuthedHttpRequest
from hongniudai.accounts.pages import form_page
from hongniudai.accounts.scope import Capability, user_can
from hongniudai.common import parsing, pick
from hongniudai.common.choices import choice_label
from hongniudai.common.pagination import page_of
from hongniudai.common.refusals import REFUSALS, refusal_message

from . import selectors, services
from .folding import UNFOLDED_PAGE, fold
from .forms import ReopenForm, SubAccountForm, books_label
from .models import Account, Books, Period, PeriodStatus


def may_write(request: AuthedHttpRequest, books: Books) -> bool:
    return user_can(request.user, Capability.BOOKS_WRITE, books)


def require_write(request: AuthedHttpRequest, books: Books) -> None:
    if not may_write(request, books):
        raise PermissionDenied(_("您没有记账的权限。"))


@require_GET
def books_list(request: AuthedHttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:50]
    page = page_of(request, selectors.books_matching(user=request.user, text=q))
    return render(request, "ledger/books_list.html", {"page": page, "books_list": page.object_list, "q": q})


@require_GET
def books_pick(request: AuthedHttpRequest) -> HttpResponse:
    """The books picker's matches (`common.pick`): by village or organisation name, or pinyin."""
    found = list(selectors.books_matching(user=request.user, text=pick.query_of(request))[: pick.PICK_LIMIT + 1])
    rows = [pick.PickRow(books.pk, books_label(books), False) for books in found[: pick.PICK_LIMIT]]
    return pick.results_response(request, rows, more=len(found) > pick.PICK_LIMIT, empty_label=_("全部账套"))


@require_GET
def books_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The books and their chart of accounts, each account indented below its parent."""
    books = selectors.books_get(user=request.user, pk=pk)
    accounts = list(selectors.account_list(user=request.user, books=books))
    depth: dict[int, int] = {}
    for account in accounts:  # in code order: a parent comes before its sub-accounts
        depth[account.pk] = depth.get(account.parent_id or 0, -1) + 1 if account.parent_id else 0
    under = request.GET.get("under", "").strip()[:20]
    page = None
    folded: dict[int, int] = {}
    if under:  # what lies under one account, a page at a time (a village's households)
        page = page_of(request, [a for a in accounts if a.code.startswith(under)], UNFOLDED_PAGE)
        shown = list(page.object_list)
    else:
        shown, folded = fold(accounts, pk=lambda a: a.pk, parent=lambda a: a.parent_id)
    category, side = choice_label(Account, "category"), choice_label(Account, "normal_balance")
    rows = [(a, depth[a.pk], category(a.category), side(a.normal_balance), folded.get(a.pk, 0)) for a in shown]
    context = {"books": books, "rows": rows, "can_write": may_write(request, books), "under": under, "page": page}
    return render(request, "ledger/books_detail.html", context)


@require_http_methods(["GET", "POST"])
def account_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Add a sub-account (明细科目) below an account of the books (?parent=<id> chooses it)."""
    books = selectors.books_get(user=request.user, pk=pk)
    require_write(request, books)
    accounts = selectors.account_list(user=request.user, books=books).filter(is_active=True)
    parent_id = parsing.parse_id(request.GET.get("parent"))
    parent = accounts.filter(pk=parent_id).first() if parent_id is not None else None
    initial = {"parent": parent.pk, "code": parent.code} if parent is not None else None
    form = SubAccountForm(request.POST or None, accounts=accounts, initial=initial)
    return form_page(
        request,
        form,
        "ledger/account_form.html",
        {"books": books},
        save=lambda d: services.add_sub_account(actor=request.user, parent=d["parent"], code=d["code"], name=d["name"]),
        message=lambda account: _("已增设明细科目“%(account)s”。") % {"account": account},
        then=lambda _account: redirect("ledger:books_detail", books.pk),
    )


# ---- periods ---------------------------------------------------------------------------------


@dataclass
class MonthRow:
    year: int
    month: int
    period: Period | None
    future: bool

    @property
    def closed(self) -> bool:
        return self.period is not None and self.period.status == PeriodStatus.CLOSED


def _year_of(request: AuthedHttpRequest, books: Books) -> int:
    today = timezone.localdate()
    year = parsing.whole_number(request.GET.get("year") or request.POST.get("year"))
    if year is None or not (books.opened_on.year <= year <= today.year + 1):
        return max(today.year, books.opened_on.year)
    return year


@require_GET
def period_list(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The months of one year of the books, each open or closed (by whom, when), with what may be done."""
    books = selectors.books_get(user=request.user, pk=pk)
    year = _year_of(request, books)
    today = timezone.localdate()
    periods = selectors.periods_of(user=request.user, books=books, year=year)
    first = books.opened_on.month if year == books.opened_on.year else 1
    months = [MonthRow(year, m, periods.get(m), (year, m) > (today.year, today.month)) for m in range(first, 13)]
    context = {
        "books": books,
        "year": year,
        "months": months,
        "years": list(range(books.opened_on.year, today.year + 1)),
        "can_close": may_write(request, books) or user_can(request.user, Capability.BOOKS_CLOSE, books),
        "can_reopen": user_can(request.user, Capability.BOOKS_CLOSE, books),
        "can_write": may_write(request, books),
        "year_closed": selectors.year_closed(books=books, year=year),
    }
    return render(request, "ledger/period_list.html", context)


def _periods_url(books: Books, year: int) -> str:
    return f"{reverse('ledger:period_list', args=[books.pk])}?year={year}"


def _act(request: AuthedHttpRequest, act: Any, message: str) -> None:
    """Run a period service: its refusal, in Chinese, is flashed instead of the success message."""
    try:
        act()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except REFUSALS as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, message)


def _month_of(request: AuthedHttpRequest) -> tuple[int, int] | None:
    year = parsing.whole_number(request.POST.get("year") or request.GET.get("year"))
    month = parsing.whole_number(request.POST.get("month") or request.GET.get("month"))
    if year is None or month is None or not (1 <= month <= 12) or not (1900 <= year <= 2100):
        return None
    return year, month


@require_POST
def period_close(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    books = selectors.books_get(user=request.user, pk=pk)
    chosen = _month_of(request)
    if chosen is None:
        messages.error(request, _("会计期间无效。"))
        return redirect("ledger:period_list", books.pk)
    year, month = chosen
    _act(
        request,
        lambda: services.close_period(actor=request.user, books=books, year=year, month=month),
        _("%(year)d年%(month)d月已结账。") % {"year": year, "month": month},
    )
    return redirect(_periods_url(books, year))


@require_http_methods(["GET", "POST"])
def period_reopen(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Reopen a closed month (反结账): the town's 农经 staff, with a reason that is kept."""
    books = selectors.books_get(user=request.user, pk=pk)
    if not user_can(request.user, Capability.BOOKS_CLOSE, books):
        raise PermissionDenied(_("只有镇农经员可以反结账。"))
    chosen = _month_of(request)
    if chosen is None:
        messages.error(request, _("会计期间无效。"))
        return redirect("ledger:period_list", books.pk)
    year, month = chosen
    form = ReopenForm(request.POST or None)
    return form_page(
        request,
        form,
        "ledger/period_reopen.html",
        {"books": books, "year": year, "month": month},
        save=lambda d: services.reopen_period(
            actor=request.user, books=books, year=year, month=month, reason=d["reason"]
        ),
        message=_("%(year)d年%(month)d月已反结账。") % {"year": year, "month": month},
        then=lambda _period: redirect(_periods_url(books, year)),
    )


@require_http_methods(["GET", "POST"])
def year_end_close(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The year-end close (年终收益结转): asked to confirm, then the closing vouchers are posted."""
    books = selectors.books_get(user=request.user, pk=pk)
    require_write(request, books)
    year = _year_of(request, books)
    if request.method != "POST":
        return render(request, "ledger/year_end_close.html", {"books": books, "year": year})
    try:
        vouchers = services.year_end_close(actor=request.user, books=books, year=year)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except REFUSALS as exc:
        messages.error(request, refusal_message(exc))
    else:
        numbers = "、".join(str(v) for v in vouchers) or _("无")
        messages.success(request, _("%(year)d年收益已结转,凭证:%(numbers)s。") % {"year": year, "numbers": numbers})
    return redirect(_periods_url(books, year))
