"""Pages of land transfer: parcels, contracts with their parcels and rent schedule, recording a
payment, and what the collective owes each household. Thin: selectors read, services write, forms
carry the input; every record is fetched within the user's scope (ECONOMY_VIEW)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hongniudai.accounts.http import AuthedHttpRequest
from hongniudai.accounts.pages import export_or_none, filters_of, form_page
from hongniudai.accounts.pages import history_context as _history
from hongniudai.common.forms import refetched_initial
from hongniudai.common.pagination import page_of as _page
from hongniudai.common.rows import render_rows
from hongniudai.common.uploads import ALLOWED_UPLOADS
from hongniudai.common.xlsx import Column

from . import policy, rent, selectors, services
from . import rows as rows_of
from .forms import (
    AddParcelForm,
    ContractFilterForm,
    ContractForm,
    EndForm,
    ParcelFilterForm,
    ParcelForm,
    PayForm,
    ReceiveForm,
    VillageForm,
    household_label,
)
from .models import ContractStatus, InstalmentStatus, Parcel, TransferContract


def _require_write(request: AuthedHttpRequest, obj: Any) -> None:
    if not policy.can_write(request.user, obj):
        raise PermissionDenied(_("您没有在该范围内进行此操作的权限。"))


# ---- parcels ------------------------------------------------------------------------------


def _parcel_columns() -> list[Column]:
    return [
        Column(_("村"), lambda p: p.village.name, width=12),
        Column(_("地块名称"), lambda p: p.name, width=16),
        Column(_("承包户"), lambda p: household_label(p.household), width=16),
        Column(_("坐落"), lambda p: p.location, width=20),
        Column(_("土地类型"), lambda p: p.get_kind_display(), width=10),
        Column(_("地力等级"), lambda p: p.get_grade_display() if p.grade else "", width=8),
        Column(_("确权面积(亩)"), lambda p: p.registered_area, width=12),
        Column(_("实测面积(亩)"), lambda p: p.measured_area, width=12),
        Column(_("已流转(亩)"), lambda p: p.transferred or 0, width=12),
        Column(_("土地承包经营权证号"), lambda p: p.warrant_number, width=22),
    ]


@require_GET
def parcel_list(request: AuthedHttpRequest) -> HttpResponseBase:
    form = ParcelFilterForm(request.GET or None, user=request.user)
    filters = filters_of(form)
    qs = selectors.parcels(
        request.user, village=filters.get("village"), kind=filters.get("kind", ""), q=filters.get("q", "")
    )
    export = export_or_none(request, filename="承包地块", title=_("承包地块"), columns=_parcel_columns(), rows=qs)
    if export is not None:
        return export
    page = _page(request, qs.values(*rows_of.PARCEL_ROW_FIELDS))
    rows = render_rows("land/_parcel_rows.jinja", rows_of.parcel_rows(page.object_list))
    context = {"form": form, "page": page, "rows": rows, "can_create": policy.writes_anywhere(request.user)}
    return render(request, "land/parcel_list.html", context)


@require_GET
def parcel_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    parcel = selectors.parcel_get(request.user, pk)
    context = {
        "parcel": parcel,
        "transfers": selectors.parcel_transfers(parcel),
        "can_edit": policy.can_write(request.user, parcel),
        **_history(parcel),
    }
    return render(request, "land/parcel_detail.html", context)


@require_http_methods(["GET", "POST"])
def parcel_create(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_any_write(request.user)
    form = ParcelForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        "land/form.html",
        {"title": _("登记承包地块"), "cancel_url": reverse("land:parcel_list")},
        save=lambda d: services.create_parcel(actor=request.user, **d),
        message=lambda p: _("已登记地块“%(name)s”。") % {"name": p.name},
        then=lambda p: redirect("land:parcel_detail", p.pk),
    )


@require_http_methods(["GET", "POST"])
def parcel_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    parcel = selectors.parcel_get(request.user, pk)
    _require_write(request, parcel)
    form = ParcelForm(request.POST or None, initial=model_to_dict(parcel, fields=Parcel.EDITABLE), user=request.user)
    return form_page(
        request,
        form,
        "land/form.html",
        {"title": _("修改承包地块"), "cancel_url": reverse("land:parcel_detail", args=[parcel.pk])},
        save=lambda d: services.update_parcel(actor=request.user, parcel=parcel, **d),
        message=_("已保存。"),
        then=lambda p: redirect("land:parcel_detail", p.pk),
    )


# ---- contracts ----------------------------------------------------------------------------


def _contract_columns() -> list[Column]:
    return [
        Column(_("村"), lambda c: c.village.name, width=12),
        Column(_("合同编号"), lambda c: c.number, width=16),
        Column(_("流转方式"), lambda c: c.get_kind_display(), width=8),
        Column(_("流入方"), lambda c: c.transferee_name, width=24),
        Column(_("记账组织"), lambda c: c.org.name, width=24),
        Column(_("起始日期"), lambda c: c.starts_on, width=12),
        Column(_("终止日期"), lambda c: c.ends_on, width=12),
        Column(_("每亩年租金(元)"), lambda c: c.rent_per_mu, width=12),
        Column(_("流转面积(亩)"), lambda c: c.total_area or 0, width=12),
        Column(_("涉及农户"), lambda c: c.household_count, width=8),
        Column(_("状态"), lambda c: c.get_status_display(), width=8),
    ]


@require_GET
def contract_list(request: AuthedHttpRequest) -> HttpResponseBase:
    form = ContractFilterForm(request.GET or None, user=request.user)
    filters = filters_of(form)
    qs = selectors.contracts(
        request.user,
        village=filters.get("village"),
        status=filters.get("status", ""),
        kind=filters.get("kind", ""),
        q=filters.get("q", ""),
    )
    export = export_or_none(
        request, filename="土地流转合同", title=_("土地流转合同"), columns=_contract_columns(), rows=qs
    )
    if export is not None:
        return export
    page = _page(request, qs.values(*rows_of.CONTRACT_ROW_FIELDS))
    rows = render_rows("land/_contract_rows.jinja", rows_of.contract_rows(page.object_list))
    context = {"form": form, "page": page, "rows": rows, "can_create": policy.writes_anywhere(request.user)}
    return render(request, "land/contract_list.html", context)


@require_GET
def contract_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    contract = selectors.contract_get(request.user, pk)
    can_edit = policy.can_write(request.user, contract)
    context = {
        "contract": contract,
        "parts": selectors.contract_parcels(contract),
        "instalments": selectors.instalments(request.user, contract=contract).select_related("voucher"),
        "payments": selectors.payments(request.user, contract=contract),
        "totals": rent.instalment_totals(contract),
        "can_edit": can_edit,
        "active": contract.status == ContractStatus.ACTIVE,
        "DUE": InstalmentStatus.DUE,
        **_history(contract),
    }
    return render(request, "land/contract_detail.html", context)


def _contract_values(d: dict[str, Any]) -> dict[str, Any]:
    return {name: d[name] for name in TransferContract.EDITABLE if name in d}


@require_http_methods(["GET", "POST"])
def contract_create(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_any_write(request.user)
    today = timezone.localdate()
    initial: dict[str, Any] = {"signed_on": today, "starts_on": today}
    # The form fetches itself again when the village changes (its organisations and decisions).
    initial |= refetched_initial(ContractForm, request.GET)
    form = ContractForm(request.POST or None, request.FILES or None, initial=initial, user=request.user)
    context = {"title": _("登记土地流转合同"), "cancel_url": reverse("land:contract_list"), "multipart": True}
    return form_page(
        request,
        form,
        "land/form.html",
        {**context, "refetch_on": "village"},
        save=lambda d: services.create_contract(
            actor=request.user, village=d["village"], document=d.get("document"), **_contract_values(d)
        ),
        message=_("已登记流转合同,请添加流转的地块。"),
        then=lambda c: redirect("land:contract_detail", c.pk),
    )


@require_http_methods(["GET", "POST"])
def contract_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    contract = selectors.contract_get(request.user, pk)
    _require_write(request, contract)
    initial = model_to_dict(contract, fields=TransferContract.EDITABLE)
    form = ContractForm(
        request.POST or None, request.FILES or None, initial=initial, user=request.user, contract=contract
    )
    return form_page(
        request,
        form,
        "land/form.html",
        {"title": _("修改流转合同"), "cancel_url": contract.get_absolute_url(), "multipart": True},
        save=lambda d: services.update_contract(
            actor=request.user, contract=contract, document=d.get("document"), **_contract_values(d)
        ),
        message=_("已保存,未支付的租金已按新条款重排。"),
        then=lambda c: redirect("land:contract_detail", c.pk),
    )


@require_GET
def contract_document(request: AuthedHttpRequest, pk: int) -> FileResponse:
    """The contract's scan, served only as a download: never rendered or run in the browser."""
    contract = selectors.contract_get(request.user, pk)
    if not contract.document:
        raise Http404
    ext = contract.document.name.rsplit(".", 1)[-1].lower()
    try:
        handle = contract.document.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    content_type = ALLOWED_UPLOADS.get(ext, (b"", "application/octet-stream"))[1]
    response = FileResponse(
        handle, as_attachment=True, filename=contract.document_name or f"contract.{ext}", content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def contract_add_parcel(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    contract = selectors.contract_get(request.user, pk)
    _require_write(request, contract)
    form = AddParcelForm(request.POST or None, user=request.user, contract=contract)
    return form_page(
        request,
        form,
        "land/form.html",
        {"title": _("添加流转地块"), "subtitle": str(contract), "cancel_url": contract.get_absolute_url()},
        save=lambda d: services.add_parcel(actor=request.user, contract=contract, parcel=d["parcel"], area=d["area"]),
        message=_("已添加地块,租金计划已更新。"),
        then=lambda _part: redirect("land:contract_detail", contract.pk),
    )


@require_http_methods(["GET", "POST"])
def contract_end(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    contract = selectors.contract_get(request.user, pk)
    _require_write(request, contract)
    form = EndForm(request.POST or None)
    return form_page(
        request,
        form,
        "land/form.html",
        {"title": _("合同到期或解除"), "subtitle": str(contract), "cancel_url": contract.get_absolute_url()},
        save=lambda d: services.end_contract(actor=request.user, contract=contract, status=d["status"]),
        message=_("合同已结束,未支付的租金计划已取消。"),
        then=lambda c: redirect("land:contract_detail", c.pk),
    )


@require_http_methods(["GET", "POST"])
def contract_receive(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The enterprise's payment of the households' rent to the collective."""
    contract = selectors.contract_get(request.user, pk)
    _require_write(request, contract)
    if contract.enterprise_id is None:
        raise Http404
    today = timezone.localdate()
    form = ReceiveForm(
        request.POST or None, initial={"received_on": today, "amount": rent.year_rent(contract, today.year) or None}
    )
    return form_page(
        request,
        form,
        "land/form.html",
        {
            "title": _("登记企业支付的租金"),
            "subtitle": _("%(c)s:按各户流转面积分到各户内部往来,分毫不差。") % {"c": contract},
            "cancel_url": contract.get_absolute_url(),
        },
        save=lambda d: rent.receive_rent(
            actor=request.user, contract=contract, received_on=d["received_on"], amount=d["amount"], note=d["note"]
        ),
        message=_("已入账。"),
        then=lambda _p: redirect("land:contract_detail", contract.pk),
    )


@require_http_methods(["GET", "POST"])
def instalment_pay(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    instalment = selectors.instalment_get(request.user, pk)
    contract = instalment.contract
    _require_write(request, contract)
    form = PayForm(request.POST or None, initial={"paid_on": timezone.localdate()})
    subtitle = _("%(h)s · %(start)s 至 %(end)s · %(amount)s 元") % {
        "h": household_label(instalment.household),
        "start": instalment.period_start,
        "end": instalment.period_end,
        "amount": instalment.amount,
    }
    return form_page(
        request,
        form,
        "land/form.html",
        {"title": _("支付农户租金"), "subtitle": subtitle, "cancel_url": contract.get_absolute_url()},
        save=lambda d: rent.pay_instalment(
            actor=request.user, instalment=instalment, paid_on=d["paid_on"], note=d["note"]
        ),
        message=_("已支付并记账。"),
        then=lambda _p: redirect("land:contract_detail", contract.pk),
    )


# ---- what the collective owes each household ----------------------------------------------


@require_GET
def internal_accounts(request: AuthedHttpRequest) -> HttpResponse:
    form = VillageForm(request.GET or None, user=request.user)
    village = filters_of(form).get("village") or selectors.villages(request.user).first()
    rows = selectors.internal_balances(village, request.user) if village is not None else []
    context = {"form": form, "village": village, "rows": rows, "total": sum((r.owed for r in rows), start=0)}
    return render(request, "land/internal_accounts.html", context)
