"""Voucher pages: the list (filters by books, months, account, status and text; paged; .xlsx), one
voucher (lines, attachments, its reversal; post, reverse, edit, delete), and the entry form, made
for the keyboard (`static/js/voucher_entry.js`: Enter adds a line, the debit/credit difference is
shown as one types; accounts are picked by code, name or pinyin from the books' own chart)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hongniudai.accounts.http import AuthedHttpRequest
from hongniudai.accounts.pages import confirm_page, export_area_path, export_response, save_form
from hongniudai.accounts.scope import Capability, user_can
from hongniudai.common.choices import choice_label
from hongniudai.common.pagination import page_of
from hongniudai.common.refusals import refusal_message
from hongniudai.common.rows import render_rows
from hongniudai.common.templatetags.hnd import row_url
from hongniudai.common.xlsx import Column, wants_xlsx

from . import selectors, services
from .folding import fold
from .forms import AttachmentForm, LineRow, ReverseForm, VoucherFilterForm, VoucherForm, account_label
from .models import Account, Books, Voucher, VoucherStatus, voucher_number_label
from .money import yuan
from .templatetags.ledger_reports import fen
from .views import may_write, require_write

PAGE_SIZE = 50
WHOLE_PAGE = {
    "hx-include": "closest form",
    "hx-target": "main",
    "hx-select": "main",
    "hx-swap": "outerHTML",
    "hx-push-url": "true",
    "hx-trigger": "change consume",
}
BLANK_LINES = 4


# ---- the list ----------------------------------------------------------------------------


def _columns() -> list[Column]:
    status = choice_label(Voucher, "status")
    return [
        Column(_("账套"), lambda v: v.books.name, width=24),
        Column(_("凭证日期"), lambda v: v.date, width=12),
        Column(_("凭证号"), lambda v: str(v) if v.number else "", width=16, text=True),
        Column(_("摘要"), lambda v: v.summary, width=36),
        Column(_("金额(元)"), lambda v: yuan(v.total_fen or 0), width=16),
        Column(_("状态"), lambda v: status(v.status), width=8),
        Column(_("制单人"), lambda v: str(v.prepared_by or ""), width=10),
    ]


# The voucher list's columns, read as values (no model instances).
VOUCHER_ROW_FIELDS = (
    "id",
    "date",
    "year",
    "number",
    "status",
    "summary",
    "reverses_id",
    "books__name",
    "prepared_by__display_name",
    "prepared_by__username",
)


def _voucher_rows(vouchers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each voucher's cells, ready to place (`ledger/_voucher_rows.jinja`), with its debit total."""
    totals = selectors.voucher_totals(v["id"] for v in vouchers)
    draft = _("草稿")
    posted = _("已记账")
    red = _("红字")
    rows = []
    for v in vouchers:
        total = totals.get(v["id"], 0)
        rows.append(
            {
                "url": row_url("ledger:voucher_detail", v["id"]),
                "date": v["date"].isoformat(),
                "number": voucher_number_label(v["year"], v["number"]) if v["number"] else draft,
                "summary": v["summary"],
                "red": red if v["reverses_id"] else "",
                "total": fen(total),
                "negative": total < 0,
                "draft": v["status"] == VoucherStatus.DRAFT,
                "status": draft if v["status"] == VoucherStatus.DRAFT else posted,
                "books": v["books__name"],
                "prepared_by": v["prepared_by__display_name"] or v["prepared_by__username"] or "",
            }
        )
    return rows


@require_GET
def voucher_list(request: AuthedHttpRequest) -> HttpResponseBase:
    form = VoucherFilterForm(request.GET or None, user=request.user)
    # Another books brings its own chart to the account filter: the whole page is fetched again.
    form.fields["books"].widget.attrs.update({"hx-get": request.path, **WHOLE_PAGE})
    filters = form.selector_filters()
    vouchers = selectors.voucher_list(user=request.user, **filters)
    if wants_xlsx(request):  # the totals' subquery is built for an export only, not for every page
        return export_response(
            request,
            filename="凭证",
            title=_("记账凭证"),
            columns=_columns(),
            rows=selectors.with_totals(vouchers),
            area_path=export_area_path(request),
        )
    page = page_of(request, vouchers.values(*VOUCHER_ROW_FIELDS), PAGE_SIZE)
    books = filters.get("books") or (filters["account"].books if filters.get("account") else None)
    context = {
        "form": form,
        "page": page,
        "rows": render_rows("ledger/_voucher_rows.jinja", _voucher_rows(list(page.object_list))),
        "account": filters.get("account"),
        "books": books,
        "can_write": books is not None and may_write(request, books),
    }
    return render(request, "ledger/voucher_list.html", context)


# ---- one voucher -------------------------------------------------------------------------


@require_GET
def voucher_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    voucher = selectors.voucher_get(user=request.user, pk=pk)
    lines = list(voucher.lines.all())
    can_write = may_write(request, voucher.books)
    reversal = selectors.voucher_reversal(voucher) if voucher.status == VoucherStatus.POSTED else None
    context = {
        "voucher": voucher,
        "books": voucher.books,
        "lines": lines,
        "debit": sum(x.debit_fen for x in lines),
        "credit": sum(x.credit_fen for x in lines),
        "attachments": list(voucher.attachments.all()),
        "reversal": reversal,
        "source": selectors.voucher_source(voucher) if voucher.source else None,
        "can_write": can_write,
        "can_reverse": can_write
        and voucher.status == VoucherStatus.POSTED
        and not voucher.reverses_id
        and not reversal,
        "is_draft": voucher.status == VoucherStatus.DRAFT,
        "attachment_form": AttachmentForm() if can_write else None,
        "post_key": uuid.uuid4().hex,
        # The audit history page reads within the VIEW scope, which a village accountant lacks.
        "show_history": user_can(request.user, Capability.VIEW, voucher),
        "history_type": voucher._meta.label_lower,
        "history_id": voucher.pk,
    }
    return render(request, "ledger/voucher_detail.html", context)


def _refused(request: AuthedHttpRequest, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, refusal_message(exc))


@require_POST
def voucher_post(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Post a draft (记账): numbered, locked, the balances moved; refused with the service's reason."""
    voucher = selectors.voucher_get(user=request.user, pk=pk)
    require_write(request, voucher.books)
    key = request.POST.get("key", "").strip()[:100]
    try:
        posted = services.post_voucher(actor=request.user, voucher=voucher, idempotency_key=key)
    except (ValidationError, IntegrityError, ProtectedError, RestrictedError) as exc:
        _refused(request, exc)
        return redirect("ledger:voucher_detail", voucher.pk)
    messages.success(request, _("已记账,凭证号 %(voucher)s。") % {"voucher": posted})
    return redirect("ledger:voucher_detail", posted.pk)


@require_http_methods(["GET", "POST"])
def voucher_reverse(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Correct a posted voucher by a red reversal (红字冲销), dated in an open month."""
    voucher = selectors.voucher_get(user=request.user, pk=pk)
    require_write(request, voucher.books)
    form = ReverseForm(request.POST or None, initial={"date": timezone.localdate(), "key": uuid.uuid4().hex})
    response = save_form(
        request,
        form,
        lambda d: services.reverse_voucher(
            actor=request.user, voucher=voucher, date=d["date"], summary=d["summary"], idempotency_key=d["key"]
        ),
        message=lambda reversal: _("已红字冲销,冲销凭证 %(voucher)s。") % {"voucher": reversal},
        then=lambda reversal: redirect("ledger:voucher_detail", reversal.pk),
    )
    if response is not None:
        return response
    return render(request, "ledger/voucher_reverse.html", {"form": form, "voucher": voucher, "books": voucher.books})


@require_http_methods(["GET", "POST"])
def voucher_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    voucher = selectors.voucher_get(user=request.user, pk=pk)
    require_write(request, voucher.books)
    return confirm_page(
        request,
        "ledger/confirm.html",
        obj=voucher,
        what=_("草稿凭证"),
        cancel_url=reverse("ledger:voucher_detail", args=[voucher.pk]),
        act=lambda: services.delete_draft(actor=request.user, voucher=voucher),
        message=_("已删除草稿凭证。"),
        then=f"{reverse('ledger:voucher_list')}?books={voucher.books_id}",
    )


# ---- attachments ---------------------------------------------------------------------------


@require_POST
def attachment_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    voucher = selectors.voucher_get(user=request.user, pk=pk)
    require_write(request, voucher.books)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("ledger:voucher_detail", voucher.pk)
    try:
        services.attach_to_voucher(
            actor=request.user, voucher=voucher, upload=form.cleaned_data["file"], note=form.cleaned_data["note"]
        )
    except (ValidationError, IntegrityError, ProtectedError, RestrictedError) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("已添加原始凭证。"))
    return redirect("ledger:voucher_detail", voucher.pk)


@require_GET
def attachment_download(request: AuthedHttpRequest, pk: int) -> FileResponse:
    """Served only as a download, with the stored type: never rendered or run in the browser."""
    attachment = selectors.attachment_get(user=request.user, pk=pk)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# ---- entry ---------------------------------------------------------------------------------


def _choices(accounts: list[Account]) -> list[tuple[str, str]]:
    """The picker's options: "code name" to put in the box, labelled with the name's pinyin and
    initials so that typing "yhck" or "yinhang" finds 银行存款 as well as typing "102"."""
    return [(account_label(a), " ".join(reversed(selectors.account_pinyin(a.name)))) for a in accounts]


@require_GET
def account_options(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The entry form's account options for what is typed (`?q=`): the accounts folded out of the
    page's list (a village's households) are found here, by code, name or pinyin."""
    books = selectors.books_get(user=request.user, pk=pk)
    found = selectors.accounts_matching(user=request.user, books=books, text=request.GET.get("q", ""))
    return render(request, "ledger/_account_options.html", {"choices": _choices(found)})


def _entry_page(request: AuthedHttpRequest, form: VoucherForm, books: Books, voucher: Voucher | None) -> HttpResponse:
    rows = form.parsed.rows if form.is_bound else []
    if voucher is not None and not form.is_bound:
        rows = [
            LineRow(
                account_label(x.account),
                x.summary,
                str(yuan(x.debit_fen)) if x.debit_fen else "",
                str(yuan(x.credit_fen)) if x.credit_fen else "",
            )
            for x in voucher.lines.all()
        ]
    rows = rows + [LineRow() for _ in range(max(BLANK_LINES - len(rows), 1))]
    shown, _folded = fold(list(form.accounts.values()), pk=lambda a: a.pk, parent=lambda a: a.parent_id)
    postable = [a for a in shown if a.is_postable and a.is_active]  # the rest are asked for as one types
    context = {"form": form, "books": books, "voucher": voucher, "rows": rows, "choices": _choices(postable)}
    return render(request, "ledger/voucher_form.html", context)


def _accounts_by_code(request: AuthedHttpRequest, books: Books) -> dict[str, Account]:
    return {a.code: a for a in selectors.account_list(user=request.user, books=books)}


def _save(request: AuthedHttpRequest, form: VoucherForm, books: Books, voucher: Voucher | None) -> Voucher:
    """Save the draft (new or changed); with 保存并记账, post it too, in one transaction: a refused
    posting leaves nothing changed."""
    d = form.cleaned_data
    lines = form.parsed.specs
    post = "post" in request.POST
    with transaction.atomic():
        if voucher is None and post:
            return services.post_entry(
                actor=request.user, books=books, date=d["date"], summary=d["summary"], lines=lines,
                idempotency_key=d["key"],
            )  # fmt: skip
        if voucher is None:
            voucher = services.create_draft(
                actor=request.user, books=books, date=d["date"], summary=d["summary"], lines=lines
            )
        else:
            voucher = services.update_draft(
                actor=request.user, voucher=voucher, date=d["date"], summary=d["summary"], lines=lines
            )
        if post:
            voucher = services.post_voucher(actor=request.user, voucher=voucher, idempotency_key=d["key"])
    return voucher


def _saved_message(voucher: Voucher) -> str:
    if voucher.status == VoucherStatus.POSTED:
        return _("已记账,凭证号 %(voucher)s。") % {"voucher": voucher}
    return _("已保存草稿。")


@require_http_methods(["GET", "POST"])
def voucher_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    books = selectors.books_get(user=request.user, pk=pk)
    require_write(request, books)
    form = VoucherForm(
        request.POST or None, accounts=_accounts_by_code(request, books), initial={"date": timezone.localdate()}
    )
    response = save_form(
        request,
        form,
        lambda _d: _save(request, form, books, None),
        message=_saved_message,
        then=lambda voucher: redirect("ledger:voucher_detail", voucher.pk),
    )
    return response or _entry_page(request, form, books, None)


@require_http_methods(["GET", "POST"])
def voucher_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    voucher = selectors.voucher_get(user=request.user, pk=pk)
    books = voucher.books
    require_write(request, books)
    if voucher.status != VoucherStatus.DRAFT:
        messages.error(request, _("已记账的凭证不能修改,请用红字冲销更正。"))
        return redirect("ledger:voucher_detail", voucher.pk)
    initial: dict[str, Any] = {"date": voucher.date, "summary": voucher.summary}
    form = VoucherForm(request.POST or None, accounts=_accounts_by_code(request, books), initial=initial)
    response = save_form(
        request,
        form,
        lambda _d: _save(request, form, books, voucher),
        message=_saved_message,
        then=lambda saved: redirect("ledger:voucher_detail", saved.pk),
    )
    return response or _entry_page(request, form, books, voucher)
