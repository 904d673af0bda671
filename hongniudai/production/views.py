"""Pages of production and sales (生产经营). Thin: selectors read, services write, forms carry the
input; every record is fetched within the user's scope (404 outside it). Recording work days and
deliveries is phone work: short forms, the decimal keypad."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hongniudai.accounts.http import AuthedHttpRequest
from hongniudai.accounts.pages import export_or_none, filters_of, form_page
from hongniudai.accounts.pages import history_context as _history
from hongniudai.common import parsing
from hongniudai.common.pagination import page_of as _page
from hongniudai.common.rows import render_rows
from hongniudai.common.xlsx import Column

from . import policy, selectors, services
from . import rows as rows_of
from .forms import (
    ContractForm,
    DeliveryForm,
    HarvestForm,
    IncomeFilterForm,
    PaymentForm,
    PlantingForm,
    ProcessingForm,
    ReceiptForm,
    SaleForm,
    WorkForm,
    YearFilterForm,
    weight_kg,
)
from .models import KG_PER_JIN


def _require_record(request: AuthedHttpRequest, obj: Any = None) -> None:
    """Refuse (403) a user who records production nowhere, or not over `obj`."""
    allowed = policy.records_economy(request.user) if obj is None else policy.can_record(request.user, obj)
    if not allowed:
        raise PermissionDenied(_("您没有登记生产经营的权限。"))


def _year_filters(request: AuthedHttpRequest) -> tuple[YearFilterForm, dict[str, Any]]:
    form = YearFilterForm(request.GET or None, user=request.user)
    return form, filters_of(form)


def _jin(kg: Any) -> Any:
    return kg / KG_PER_JIN if kg is not None else None


# ---- plantings ----------------------------------------------------------------------------------


def _planting_columns() -> list[Column]:
    return [
        Column(_("年度"), lambda p: p.year, width=8),
        Column(_("经营主体"), lambda p: p.org.name, width=24),
        Column(_("作物"), lambda p: p.crop, width=10),
        Column(_("季节"), lambda p: p.season, width=8),
        Column(_("面积(亩)"), lambda p: p.area_mu, width=10),
        Column(_("地块"), lambda p: p.land, width=24),
        Column(_("技术指导企业"), lambda p: p.adviser.name if p.adviser else "", width=20),
        Column(_("播种日期"), lambda p: p.started_on, width=12),
        Column(_("务工天数"), lambda p: p.work_days, width=10),
        Column(_("应付工资(元)"), lambda p: p.wages, width=12),
        Column(_("产量(斤)"), lambda p: _jin(p.harvest_kg), width=12),
    ]


@require_GET
def planting_list(request: AuthedHttpRequest) -> HttpResponseBase:
    form, filters = _year_filters(request)
    qs = selectors.plantings(request.user, org=filters.get("org"), year=filters.get("year"))
    export = export_or_none(request, filename="种植台账", title=_("种植台账"), columns=_planting_columns(), rows=qs)
    if export is not None:
        return export
    page = _page(request, qs.values(*rows_of.PLANTING_ROW_FIELDS))
    rows = render_rows("production/_planting_rows.jinja", rows_of.planting_rows(page.object_list))
    context = {"form": form, "page": page, "rows": rows, "can_record": policy.records_economy(request.user)}
    return render(request, "production/planting_list.html", context)


@require_GET
def planting_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    planting = selectors.planting_get(request.user, pk)
    context = {
        "planting": planting,
        "work": selectors.planting_work(request.user, planting)[:200],
        "dues": selectors.wages_due(request.user, planting=planting),
        "harvests": selectors.planting_harvests(request.user, planting),
        "can_record": policy.can_record(request.user, planting),
        **_history(planting),
    }
    return render(request, "production/planting_detail.html", context)


@require_http_methods(["GET", "POST"])
def planting_create(request: AuthedHttpRequest) -> HttpResponse:
    _require_record(request)
    form = PlantingForm(request.POST or None, user=request.user, initial={"started_on": timezone.localdate()})
    return form_page(
        request,
        form,
        "production/form.html",
        {"title": _("登记种植"), "cancel": "production:planting_list"},
        save=lambda d: services.record_planting(actor=request.user, **d),
        message=lambda p: _("已登记种植:%(p)s。") % {"p": p},
        then=lambda p: redirect("production:planting_detail", p.pk),
    )


@require_http_methods(["GET", "POST"])
def harvest_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    planting = selectors.planting_get(request.user, pk)
    _require_record(request, planting)
    form = HarvestForm(request.POST or None, initial={"harvested_on": timezone.localdate()})
    return form_page(
        request,
        form,
        "production/form.html",
        {"title": _("登记收获"), "subject": planting, "cancel_url": planting.get_absolute_url()},
        save=lambda d: services.record_harvest(
            actor=request.user,
            planting=planting,
            harvested_on=d["harvested_on"],
            quantity_kg=form.kg(d),
            note=d["note"],
        ),
        message=_("已登记收获。"),
        then=lambda _h: redirect("production:planting_detail", planting.pk),
    )


# ---- work and wages -----------------------------------------------------------------------------


def _work_columns() -> list[Column]:
    return [
        Column(_("务工日期"), lambda w: w.worked_on, width=12),
        Column(_("截止日期"), lambda w: w.worked_until, width=12),
        Column(_("经营主体"), lambda w: w.org.name, width=24),
        Column(_("种植"), lambda w: str(w.planting) if w.planting else "", width=24),
        Column(_("务工人员"), lambda w: w.worker.name, width=10),
        Column(_("户编号"), lambda w: w.household.number, width=12, text=True),
        Column(_("工作内容"), lambda w: w.task, width=16),
        Column(_("天数"), lambda w: w.days, width=8),
        Column(_("日工资(元)"), lambda w: w.daily_rate, width=10),
        Column(_("应付工资(元)"), lambda w: w.amount, width=12),
        Column(_("凭证号"), lambda w: w.voucher.number if w.voucher else "", width=8),
    ]


@require_GET
def work_list(request: AuthedHttpRequest) -> HttpResponseBase:
    form, filters = _year_filters(request)
    qs = selectors.work_records(request.user, org=filters.get("org"), year=filters.get("year"))
    export = export_or_none(request, filename="务工台账", title=_("务工台账"), columns=_work_columns(), rows=qs)
    if export is not None:
        return export
    context = {"form": form, "page": _page(request, qs), "can_record": policy.records_economy(request.user)}
    return render(request, "production/work_list.html", context)


@require_GET
def work_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    record = selectors.work_get(request.user, pk)
    return render(request, "production/work_detail.html", {"record": record, **_history(record)})


@require_http_methods(["GET", "POST"])
def work_create(request: AuthedHttpRequest) -> HttpResponse:
    _require_record(request)
    worker_q = request.GET.get("worker_q", "").strip()
    initial: dict[str, Any] = {"worked_on": timezone.localdate()}
    planting_id = parsing.parse_id(request.GET.get("planting"))
    planting = selectors.plantings(request.user).filter(pk=planting_id).first() if planting_id else None
    if planting is not None:
        initial.update(planting=planting.pk, org=planting.org_id)
    for name in ("worker", "org", "days", "daily_rate", "task"):
        if request.GET.get(name):
            initial[name] = request.GET[name]
    form = WorkForm(request.POST or None, initial=initial, user=request.user, worker_q=worker_q)
    return form_page(
        request,
        form,
        "production/work_form.html",
        {"title": _("登记务工"), "worker_q": worker_q, "planting": planting},
        save=lambda d: services.record_work(actor=request.user, **d),
        message=lambda w: _("已登记 %(name)s 务工 %(days)s 天,应付工资 %(amount)s 元。")
        % {"name": w.worker.name, "days": services.figure(w.days), "amount": w.amount},
        then=lambda w: redirect(f"{request.path}?org={w.org_id}&planting={w.planting_id or ''}"),
    )


@require_GET
def worker_options(request: AuthedHttpRequest) -> HttpResponse:
    """HTMX partial: <option>s for the worker select of the work form."""
    q = request.GET.get("worker_q", "").strip()
    rows = list(selectors.workers_for_record(request.user, q=q)[: WorkForm.WORKER_OPTIONS]) if q else []
    options = [(r.pk, f"{r.name}({r.household.number or r.household.address})") for r in rows]
    return render(request, "production/_options.html", {"options": options, "empty": _("请先搜索并选择")})


def _due_columns() -> list[Column]:
    return [
        Column(_("经营主体"), lambda d: d.org.name, width=24),
        Column(_("务工人员"), lambda d: d.worker_name, width=10),
        Column(_("务工天数"), lambda d: d.days, width=10),
        Column(_("应付工资(元)"), lambda d: d.accrued, width=12),
        Column(_("已发工资(元)"), lambda d: d.paid, width=12),
        Column(_("未发工资(元)"), lambda d: d.due, width=12),
    ]


@require_GET
def wages(request: AuthedHttpRequest) -> HttpResponseBase:
    form, filters = _year_filters(request)
    rows = selectors.wages_due(request.user, org=filters.get("org"))
    export = export_or_none(request, filename="务工工资", title=_("务工工资"), columns=_due_columns(), rows=rows)
    if export is not None:
        return export
    payments = selectors.wage_payments(request.user, org=filters.get("org"), year=filters.get("year"))
    context = {
        "form": form,
        "rows": rows,
        "payments": _page(request, payments),
        "can_record": policy.records_economy(request.user),
    }
    return render(request, "production/wages.html", context)


@require_http_methods(["GET", "POST"])
def payment_create(request: AuthedHttpRequest) -> HttpResponse:
    _require_record(request)
    initial: dict[str, Any] = {"paid_on": timezone.localdate()}
    for name in ("org", "worker", "amount"):
        if request.GET.get(name):
            initial[name] = request.GET[name]
    form = PaymentForm(request.POST or None, initial=initial, user=request.user)
    return form_page(
        request,
        form,
        "production/form.html",
        {"title": _("发放务工工资"), "cancel": "production:wages"},
        save=lambda d: services.pay_wages(actor=request.user, **d),
        message=lambda p: _("已向 %(name)s 发放工资 %(amount)s 元。") % {"name": p.worker.name, "amount": p.amount},
        then=lambda p: redirect("production:payment_detail", p.pk),
    )


@require_GET
def payment_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    payment = selectors.payment_get(request.user, pk)
    return render(request, "production/payment_detail.html", {"payment": payment, **_history(payment)})


# ---- contracts ----------------------------------------------------------------------------------


def _contract_columns() -> list[Column]:
    return [
        Column(_("签订日期"), lambda c: c.signed_on, width=12),
        Column(_("合同编号"), lambda c: c.number, width=14, text=True),
        Column(_("卖方"), lambda c: c.org.name, width=24),
        Column(_("收购企业"), lambda c: c.buyer.name, width=24),
        Column(_("作物"), lambda c: c.crop, width=10),
        Column(_("合同数量(斤)"), lambda c: _jin(c.quantity_kg), width=14),
        Column(_("单价(元)"), lambda c: c.price, width=10),
        Column(_("计价单位"), lambda c: c.get_price_unit_display(), width=10),
        Column(_("已交(斤)"), lambda c: _jin(c.delivered_kg), width=14),
        Column(_("未交(斤)"), lambda c: _jin(c.owed_kg), width=14),
        Column(_("交货金额(元)"), lambda c: c.delivered_amount, width=14),
    ]


@require_GET
def contract_list(request: AuthedHttpRequest) -> HttpResponseBase:
    form, filters = _year_filters(request)
    qs = selectors.contracts(request.user, org=filters.get("org"), year=filters.get("year"))
    export = export_or_none(request, filename="收购合同", title=_("收购合同"), columns=_contract_columns(), rows=qs)
    if export is not None:
        return export
    page = _page(request, qs.values(*rows_of.CONTRACT_ROW_FIELDS))
    rows = render_rows("production/_contract_rows.jinja", rows_of.contract_rows(page.object_list))
    context = {"form": form, "page": page, "rows": rows, "can_record": policy.records_economy(request.user)}
    return render(request, "production/contract_list.html", context)


@require_GET
def contract_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    contract = selectors.contract_get(request.user, pk)
    context = {
        "contract": contract,
        "schedule": selectors.contract_schedule(request.user, contract, today=timezone.localdate()),
        "deliveries": selectors.contract_deliveries(request.user, contract),
        "can_record": policy.can_record(request.user, contract) and getattr(contract, "owed_kg", 0) > 0,
        "can_receive": policy.can_record(request.user, contract),
        **_history(contract),
    }
    return render(request, "production/contract_detail.html", context)


@require_http_methods(["GET", "POST"])
def contract_create(request: AuthedHttpRequest) -> HttpResponse:
    _require_record(request)
    form = ContractForm(request.POST or None, user=request.user, initial={"signed_on": timezone.localdate()})

    def save(d: dict[str, Any]) -> Any:
        return services.sign_contract(
            actor=request.user,
            org=d["org"],
            buyer=d["buyer"],
            crop=d["crop"],
            quantity_kg=form.kg(d),
            price=d["price"],
            price_unit=d["price_unit"],
            signed_on=d["signed_on"],
            schedule=form.schedule_kg(d),
            number_=d["number"],
            note=d["note"],
        )

    return form_page(
        request,
        form,
        "production/form.html",
        {"title": _("登记收购合同"), "cancel": "production:contract_list"},
        save=save,
        message=_("已登记收购合同。"),
        then=lambda c: redirect("production:contract_detail", c.pk),
    )


@require_http_methods(["GET", "POST"])
def delivery_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    contract = selectors.contract_get(request.user, pk)
    _require_record(request, contract)
    form = DeliveryForm(request.POST or None, initial={"delivered_on": timezone.localdate()})
    return form_page(
        request,
        form,
        "production/form.html",
        {"title": _("登记交货"), "subject": contract, "cancel_url": contract.get_absolute_url()},
        save=lambda d: services.record_delivery(
            actor=request.user,
            contract=contract,
            delivered_on=d["delivered_on"],
            quantity_kg=weight_kg(d["quantity"], d["unit"]),
            settled_by=d["settled_by"],
        ),
        message=lambda d: _("已登记交货 %(kg)s,金额 %(amount)s 元。")
        % {"kg": services.kg_text(d.quantity_kg), "amount": d.amount},
        then=lambda _d: redirect("production:contract_detail", contract.pk),
    )


@require_http_methods(["GET", "POST"])
def receipt_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    delivery = selectors.delivery_get(request.user, pk)
    _require_record(request, delivery)
    owed = services.outstanding(delivery)
    form = ReceiptForm(request.POST or None, initial={"received_on": timezone.localdate(), "amount": owed})
    contract_url = reverse("production:contract_detail", args=[delivery.contract_id])
    return form_page(
        request,
        form,
        "production/form.html",
        {
            "title": _("登记货款收回"),
            "subject": _("%(d)s,尚未收回 %(owed)s 元") % {"d": delivery, "owed": owed},
            "cancel_url": contract_url,
        },
        save=lambda d: services.record_receipt(actor=request.user, delivery=delivery, **d),
        message=lambda r: _("已登记收款 %(amount)s 元。") % {"amount": r.amount},
        then=lambda _r: redirect(contract_url),
    )


# ---- processing and sales -----------------------------------------------------------------------


def _processing_columns() -> list[Column]:
    return [
        Column(_("加工日期"), lambda p: p.processed_on, width=12),
        Column(_("经营主体"), lambda p: p.org.name, width=24),
        Column(_("原料"), lambda p: p.input_crop, width=10),
        Column(_("原料用量(斤)"), lambda p: _jin(p.input_kg), width=14),
        Column(_("产品"), lambda p: p.product, width=10),
        Column(_("产量"), lambda p: p.output_quantity, width=12),
        Column(_("单位"), lambda p: p.get_product_unit_display(), width=6),
        Column(_("备注"), lambda p: p.note, width=20),
    ]


@require_GET
def processing_list(request: AuthedHttpRequest) -> HttpResponseBase:
    form, filters = _year_filters(request)
    qs = selectors.processings(request.user, org=filters.get("org"), year=filters.get("year"))
    export = export_or_none(request, filename="加工台账", title=_("加工台账"), columns=_processing_columns(), rows=qs)
    if export is not None:
        return export
    context = {"form": form, "page": _page(request, qs), "can_record": policy.records_economy(request.user)}
    return render(request, "production/processing_list.html", context)


@require_http_methods(["GET", "POST"])
def processing_create(request: AuthedHttpRequest) -> HttpResponse:
    _require_record(request)
    form = ProcessingForm(request.POST or None, user=request.user, initial={"processed_on": timezone.localdate()})
    return form_page(
        request,
        form,
        "production/form.html",
        {"title": _("登记加工"), "cancel": "production:processing_list"},
        save=lambda d: services.record_processing(
            actor=request.user,
            org=d["org"],
            input_crop=d["input_crop"],
            input_kg=weight_kg(d["input_quantity"], d["input_unit"]),
            product=d["product"],
            output_quantity=d["output_quantity"],
            product_unit=d["product_unit"],
            processed_on=d["processed_on"],
            note=d["note"],
        ),
        message=_("已登记加工。"),
        then=lambda _p: redirect("production:processing_list"),
    )


def _sale_columns() -> list[Column]:
    return [
        Column(_("销售日期"), lambda s: s.sold_on, width=12),
        Column(_("经营主体"), lambda s: s.org.name, width=24),
        Column(_("产品"), lambda s: s.product, width=10),
        Column(_("数量"), lambda s: s.quantity, width=10),
        Column(_("单位"), lambda s: s.get_product_unit_display(), width=6),
        Column(_("单价(元)"), lambda s: s.unit_price, width=10),
        Column(_("金额(元)"), lambda s: s.amount, width=12),
        Column(_("买方"), lambda s: s.buyer_name, width=20),
        Column(_("凭证号"), lambda s: s.voucher.number if s.voucher else "", width=8),
    ]


@require_GET
def sale_list(request: AuthedHttpRequest) -> HttpResponseBase:
    form, filters = _year_filters(request)
    qs = selectors.sales(request.user, org=filters.get("org"), year=filters.get("year"))
    export = export_or_none(request, filename="产品销售", title=_("产品销售"), columns=_sale_columns(), rows=qs)
    if export is not None:
        return export
    context = {"form": form, "page": _page(request, qs), "can_record": policy.records_economy(request.user)}
    return render(request, "production/sale_list.html", context)


@require_GET
def sale_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    sale = selectors.sale_get(request.user, pk)
    return render(request, "production/sale_detail.html", {"sale": sale, **_history(sale)})


@require_http_methods(["GET", "POST"])
def sale_create(request: AuthedHttpRequest) -> HttpResponse:
    _require_record(request)
    form = SaleForm(request.POST or None, user=request.user, initial={"sold_on": timezone.localdate()})
    return form_page(
        request,
        form,
        "production/form.html",
        {"title": _("登记产品销售"), "cancel": "production:sale_list"},
        save=lambda d: services.record_sale(actor=request.user, **d),
        message=lambda s: _("已登记销售,金额 %(amount)s 元。") % {"amount": s.amount},
        then=lambda s: redirect("production:sale_detail", s.pk),
    )


# ---- income ---------------------------------------------------------------------------------


@require_GET
def income(request: AuthedHttpRequest) -> HttpResponse:
    """A village's production income for a year, per organisation and source."""
    form = IncomeFilterForm(request.GET or None, user=request.user)
    village_field = form.fields["village"]
    villages = list(village_field.queryset)  # type: ignore[attr-defined]
    data = request.GET.copy()
    if not data.get("village") and villages:
        data["village"] = str(villages[0].pk)
    if not data.get("year"):
        data["year"] = str(timezone.localdate().year)
    form = IncomeFilterForm(data, user=request.user)
    rows: list[Any] = []
    total = None
    if form.is_valid():
        rows = selectors.income_by_source(
            request.user, village=form.cleaned_data["village"], year=form.cleaned_data["year"]
        )
        total = sum((s.amount for _org, sources in rows for s in sources), start=0)
    return render(request, "production/income.html", {"form": form, "rows": rows, "total": total})
