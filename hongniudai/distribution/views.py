"""Pages of the distribution plans (收益分配). Thin: selectors read, services write, forms carry the
input; every record is fetched within the user's scope (404 outside it), every write checked by
the service (403 without ECONOMY_WRITE)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hongniudai.accounts.http import AuthedHttpRequest
from hongniudai.accounts.pages import confirm_page, export_or_none, filters_of, form_page
from hongniudai.accounts.pages import history_context as _history
from hongniudai.common.forms import refetched_initial
from hongniudai.common.pagination import page_of as _page
from hongniudai.common.rows import render_rows
from hongniudai.common.xlsx import Column

from . import policy, selectors, services
from . import rows as rows_of
from .forms import ApproveForm, ItemForm, PayoutForm, PlanFilterForm, PlanForm
from .models import DistributionPlan, Dividend, PlanItem, PlanStatus


def _require_edit(request: AuthedHttpRequest, obj: Any) -> None:
    if not policy.can_edit(request.user, obj):
        raise PermissionDenied(_("您没有在该范围内进行此操作的权限。"))


def _holder(d: Dividend) -> str:
    if d.household is None:
        return str(_("集体股"))
    head = d.household.head.name if d.household.head_id and d.household.head else d.household.address
    return f"{head}({d.household.number})" if d.household.number else head


# ---- plans ------------------------------------------------------------------------------------


def _plan_columns() -> list[Column]:
    return [
        Column(_("集体经济组织"), lambda p: p.org.name, width=26),
        Column(_("分配年度"), lambda p: p.year, width=10),
        Column(_("可分配收益(元)"), lambda p: p.surplus, width=16),
        Column(_("股权登记日"), lambda p: p.record_date, width=12),
        Column(_("分配项目数"), lambda p: p.item_count, width=10),
        Column(_("状态"), lambda p: p.get_status_display(), width=10),
        Column(_("批准日期"), lambda p: p.approved_on, width=12),
        Column(_("决策依据"), lambda p: p.decision.title if p.decision else "", width=30),
    ]


@require_GET
def plan_list(request: AuthedHttpRequest) -> HttpResponseBase:
    form = PlanFilterForm(request.GET or None, user=request.user)
    filters = filters_of(form)
    qs = selectors.plans(
        request.user, org=filters.get("org"), year=filters.get("year"), status=filters.get("status", "")
    )
    export = export_or_none(request, filename="收益分配方案", title=_("收益分配方案"), columns=_plan_columns(), rows=qs)
    if export is not None:
        return export
    page = _page(request, qs.values(*rows_of.PLAN_ROW_FIELDS))
    rows = render_rows("distribution/_plan_rows.jinja", rows_of.plan_rows(page.object_list))
    context = {"form": form, "page": page, "rows": rows, "can_create": policy.writes_economy(request.user)}
    return render(request, "distribution/plan_list.html", context)


def _dividend_columns() -> list[Column]:
    return [
        Column(_("持股户"), _holder, width=24),
        Column(_("登记日持股数"), lambda d: d.shares, width=14),
        Column(_("应分金额(元)"), lambda d: d.amount, width=16),
        Column(_("发放日期"), lambda d: d.payout.paid_on if hasattr(d, "payout") else "", width=12),
        Column(_("发放凭证"), lambda d: str(d.payout.voucher or "") if hasattr(d, "payout") else "", width=16),
    ]


@require_GET
def plan_detail(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    plan = selectors.plan_get(request.user, pk)
    dividends = selectors.dividends(request.user, plan=plan)
    export = export_or_none(
        request,
        filename=f"{plan.org.name}{plan.year}年度成员分红",
        title=str(plan),
        columns=_dividend_columns(),
        rows=dividends,
    )
    if export is not None:
        return export
    rows = list(dividends)
    locked = any(hasattr(d, "payout") for d in rows)
    can_edit = policy.can_edit(request.user, plan)
    context = {
        "plan": plan,
        "check": selectors.plan_check(plan),
        "book_surplus": selectors.book_surplus(plan),
        "dividends": [{"dividend": d, "holder": _holder(d), "payout": getattr(d, "payout", None)} for d in rows],
        "dividend_total": sum((d.amount for d in rows), Decimal(0)),
        "locked": locked,
        "is_draft": plan.status == PlanStatus.DRAFT,
        "can_edit": can_edit,
        "items_editable": can_edit and plan.status == PlanStatus.DRAFT and not locked,
        "can_pay": can_edit and plan.status in (PlanStatus.APPROVED, PlanStatus.PAYING),
        **_history(plan),
    }
    return render(request, "distribution/plan_detail.html", context)


@require_http_methods(["GET", "POST"])
def plan_create(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_any_edit(request.user)
    initial: dict[str, Any] = {
        "year": timezone.localdate().year - 1,
        "record_date": timezone.localdate().replace(month=1, day=1),
    }
    # The form fetches itself again when the organisation changes (the decisions are its village's).
    initial |= refetched_initial(PlanForm, request.GET)
    form = PlanForm(request.POST or None, initial=initial, user=request.user)
    return form_page(
        request,
        form,
        "distribution/plan_form.html",
        {"plan": None, "title": _("新建收益分配方案")},
        save=lambda d: services.create_plan(actor=request.user, **d),
        message=lambda plan: _("已新建“%(plan)s”。") % {"plan": plan},
        then=lambda plan: redirect("distribution:plan_detail", plan.pk),
    )


def _refuse_locked(request: AuthedHttpRequest, plan: DistributionPlan, *, draft: bool = False) -> HttpResponse | None:
    """Back to the plan's page with the reason when it may not be changed (a GET: the service
    refuses a POST itself): locked by a payout, or (`draft`) no longer a draft."""
    if selectors.has_payouts(plan):
        messages.error(request, _("该分配方案已有发放记录,已锁定,不能修改。"))
        return redirect("distribution:plan_detail", plan.pk)
    if draft and plan.status != PlanStatus.DRAFT:
        messages.error(request, _("分配方案已批准,分配项目不能再修改。"))
        return redirect("distribution:plan_detail", plan.pk)
    return None


@require_http_methods(["GET", "POST"])
def plan_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(request.user, pk)
    _require_edit(request, plan)
    if request.method == "GET" and (refused := _refuse_locked(request, plan)) is not None:
        return refused
    initial = {name: getattr(plan, name) for name in DistributionPlan.EDITABLE}
    form = PlanForm(request.POST or None, initial=initial, user=request.user, plan=plan)
    return form_page(
        request,
        form,
        "distribution/plan_form.html",
        {"plan": plan, "title": _("修改收益分配方案")},
        save=lambda d: services.update_plan(actor=request.user, plan=plan, **d),
        message=_("已保存。"),
        then=lambda _plan: redirect("distribution:plan_detail", plan.pk),
        on_error=plan.refresh_from_db,
    )


@require_http_methods(["GET", "POST"])
def plan_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(request.user, pk)
    _require_edit(request, plan)
    return confirm_page(
        request,
        "distribution/confirm.html",
        obj=plan,
        what=_("收益分配方案"),
        cancel_url=reverse("distribution:plan_detail", args=[plan.pk]),
        act=lambda: services.delete_plan(actor=request.user, plan=plan),
        message=_("已删除“%(plan)s”。") % {"plan": plan},
        then=reverse("distribution:plan_list"),
    )


@require_http_methods(["GET", "POST"])
def plan_approve(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The plan's figures and a confirmation: approving posts the distribution voucher."""
    plan = selectors.plan_get(request.user, pk)
    _require_edit(request, plan)
    if request.method == "GET" and (refused := _refuse_locked(request, plan, draft=True)) is not None:
        return refused
    form = ApproveForm(request.POST or None, initial={"approved_on": timezone.localdate()})
    context = {"plan": plan, "check": selectors.plan_check(plan), "book_surplus": selectors.book_surplus(plan)}
    return form_page(
        request,
        form,
        "distribution/plan_approve.html",
        context,
        save=lambda d: services.approve_plan(actor=request.user, plan=plan, approved_on=d["approved_on"]),
        message=_("方案已批准,分配凭证已记账。"),
        then=lambda _plan: redirect("distribution:plan_detail", plan.pk),
    )


# ---- items ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def item_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(request.user, pk)
    _require_edit(request, plan)
    if request.method == "GET" and (refused := _refuse_locked(request, plan, draft=True)) is not None:
        return refused
    form = ItemForm(request.POST or None)
    return form_page(
        request,
        form,
        "distribution/item_form.html",
        {"plan": plan, "item": None, "title": _("新增分配项目")},
        save=lambda d: services.add_item(actor=request.user, plan=plan, **d),
        message=_("已新增分配项目。"),
        then=lambda _item: redirect("distribution:plan_detail", plan.pk),
    )


def _item_get(request: AuthedHttpRequest, pk: int) -> PlanItem:
    item = selectors.item_get(request.user, pk)
    _require_edit(request, item)
    return item


@require_http_methods(["GET", "POST"])
def item_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    item = _item_get(request, pk)
    if request.method == "GET" and (refused := _refuse_locked(request, item.plan, draft=True)) is not None:
        return refused
    initial = {name: getattr(item, name) for name in PlanItem.EDITABLE}
    form = ItemForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        "distribution/item_form.html",
        {"plan": item.plan, "item": item, "title": _("修改分配项目")},
        save=lambda d: services.update_item(actor=request.user, item=item, **d),
        message=_("已保存。"),
        then=lambda _item: redirect("distribution:plan_detail", item.plan_id),
        on_error=item.refresh_from_db,
    )


@require_http_methods(["GET", "POST"])
def item_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    item = _item_get(request, pk)
    return confirm_page(
        request,
        "distribution/confirm.html",
        obj=item,
        what=_("分配项目"),
        cancel_url=reverse("distribution:plan_detail", args=[item.plan_id]),
        act=lambda: services.delete_item(actor=request.user, item=item),
        message=_("已删除分配项目。"),
        then=reverse("distribution:plan_detail", args=[item.plan_id]),
    )


# ---- payouts ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def dividend_pay(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    dividend = selectors.dividend_get(request.user, pk)
    _require_edit(request, dividend)
    form = PayoutForm(request.POST or None, initial={"paid_on": timezone.localdate()})
    return form_page(
        request,
        form,
        "distribution/payout_form.html",
        {"plan": dividend.plan, "dividend": dividend, "holder": _holder(dividend)},
        save=lambda d: services.record_payout(
            actor=request.user, dividend=dividend, paid_on=d["paid_on"], amount=d.get("amount")
        ),
        message=_("已登记发放,凭证已记账。"),
        then=lambda _payout: redirect("distribution:plan_detail", dividend.plan_id),
    )
