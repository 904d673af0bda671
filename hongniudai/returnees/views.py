"""Pages of the returnee programme (归雁工程). Thin: selectors read, services write, forms carry the
input; every record is fetched within the user's ECONOMY_VIEW scope and every write needs
ECONOMY_WRITE over its village (403 otherwise)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hongniudai.accounts.http import AuthedHttpRequest
from hongniudai.accounts.pages import export_or_none, filters_of, form_page
from hongniudai.accounts.pages import history_context as _history
from hongniudai.common import pick
from hongniudai.common.pagination import COUNT_CAP, count_upto
from hongniudai.common.pagination import page_of as _page
from hongniudai.common.rows import render_rows
from hongniudai.common.xlsx import Column

from . import policy, selectors, services
from . import rows as rows_of
from .forms import (
    BusinessFilterForm,
    BusinessForm,
    EmploymentForm,
    EndEmploymentForm,
    MeasuresForm,
    ReturneeFilterForm,
    ReturneeForm,
    SupportForm,
    WageForm,
    returnee_label,
    yes_no,
)
from .models import Business, Returnee


def _require_edit(request: AuthedHttpRequest, obj: Any) -> None:
    if not policy.can_edit(request.user, obj):
        raise PermissionDenied(_("您没有在该范围内进行此操作的权限。"))


def _yes(value: bool) -> str:
    return _("是") if value else _("否")


# ---- returnees --------------------------------------------------------------------------------


def _returnee_columns() -> list[Column]:
    return [
        Column(_("姓名"), lambda r: r.resident.name, width=10),
        Column(_("村"), lambda r: r.village.name, width=12),
        Column(_("返乡日期"), lambda r: r.returned_on, width=12),
        Column(_("返乡前所在地"), lambda r: r.came_from, width=16),
        Column(_("外出期间从事工作"), lambda r: r.previous_work, width=20),
        Column(_("技能特长"), lambda r: r.skills, width=24),
        Column(_("党员"), lambda r: _yes(r.is_party_member), width=6),
        Column(_("退役军人"), lambda r: _yes(r.resident.is_veteran), width=8),
        Column(_("创办项目数"), lambda r: r.business_count, width=10),
    ]


@require_GET
def returnee_list(request: AuthedHttpRequest) -> HttpResponseBase:
    policy.require_any_view(request.user)
    form = ReturneeFilterForm(request.GET or None, user=request.user)
    filters = filters_of(form)
    qs = selectors.returnees(
        request.user,
        q=filters.get("q", ""),
        village=filters.get("village"),
        party_member=yes_no(filters.get("party_member")),
        veteran=yes_no(filters.get("veteran")),
    )
    export = export_or_none(request, filename="返乡能人", title=_("返乡能人"), columns=_returnee_columns(), rows=qs)
    if export is not None:
        return export
    page = _page(request, qs.values(*rows_of.RETURNEE_ROW_FIELDS), total=count_upto(qs, COUNT_CAP))
    rows = render_rows(
        "returnees/_returnee_rows.jinja",
        rows_of.returnee_rows(page.object_list),
        member=_("党员"),
        veteran=_("退役军人"),
    )
    context = {"form": form, "page": page, "rows": rows, "can_create": policy.writes_economy(request.user)}
    return render(request, "returnees/returnee_list.html", context)


@require_GET
def returnee_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    returnee = selectors.returnee_get(request.user, pk)
    context = {
        "returnee": returnee,
        "businesses": list(selectors.businesses(request.user, founder=returnee)),
        "supports": list(selectors.supports(request.user, returnee=returnee)),
        "can_edit": policy.can_edit(request.user, returnee),
        **_history(returnee),
    }
    return render(request, "returnees/returnee_detail.html", context)


def _returnee_values(d: dict[str, Any]) -> dict[str, Any]:
    return {name: d[name] for name in Returnee.EDITABLE}


@require_http_methods(["GET", "POST"])
def returnee_create(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_any_write(request.user)
    resident_q = request.GET.get("resident_q", "").strip()
    form = ReturneeForm(request.POST or None, user=request.user, resident_q=resident_q)
    return form_page(
        request,
        form,
        "returnees/returnee_form.html",
        {"returnee": None, "resident_q": resident_q, "title": _("登记返乡能人")},
        save=lambda d: services.register_returnee(actor=request.user, resident=d["resident"], **_returnee_values(d)),
        message=lambda r: _("已登记返乡能人 %(name)s。") % {"name": r.resident.name},
        then=lambda r: redirect("returnees:returnee_detail", r.pk),
    )


@require_http_methods(["GET", "POST"])
def returnee_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    returnee = selectors.returnee_get(request.user, pk)
    _require_edit(request, returnee)
    initial = model_to_dict(returnee, fields=Returnee.EDITABLE)
    form = ReturneeForm(request.POST or None, initial=initial, user=request.user, returnee=returnee)
    return form_page(
        request,
        form,
        "returnees/returnee_form.html",
        {"returnee": returnee, "title": _("修改返乡能人")},
        save=lambda d: services.update_returnee(actor=request.user, returnee=returnee, **_returnee_values(d)),
        message=_("已保存。"),
        then=lambda _r: redirect("returnees:returnee_detail", returnee.pk),
        on_error=returnee.refresh_from_db,
    )


@require_GET
def resident_options(request: AuthedHttpRequest) -> HttpResponse:
    """HTMX partial: <option>s for the resident select of the returnee form (`for=returnee`, the
    residents the user may register) or the employment form (any resident the user sees)."""
    q = request.GET.get("resident_q", "").strip()
    if request.GET.get("for") == "employ":
        rows = selectors.residents_for_employment(request.user, q=q)
    else:
        rows = selectors.residents_for_choice(request.user, q=q)
    found = list(rows[:20]) if q else []
    options = [(r.pk, selectors.resident_label(r)) for r in found]
    return render(request, "returnees/_options.html", {"options": options, "empty": _("请先搜索并选择居民")})


returnee_pick = pick.search_view(
    selectors.pick_returnees,
    returnee_label,
    doc="The founder picker's result list: returnees the user records, by name or pinyin.",
)


# ---- businesses -------------------------------------------------------------------------------


def _business_columns() -> list[Column]:
    return [
        Column(_("项目名称"), lambda b: b.name, width=22),
        Column(_("创办人"), lambda b: b.founder.resident.name, width=10),
        Column(_("村"), lambda b: b.village.name, width=12),
        Column(_("产业类型"), lambda b: b.get_kind_display(), width=10),
        Column(_("创办日期"), lambda b: b.started_on, width=12),
        Column(_("投资额(元)"), lambda b: b.investment, width=14),
        Column(_("规模"), lambda b: b.scale, width=18),
        Column(_("登记企业"), lambda b: b.enterprise.name if b.enterprise else "", width=22),
        Column(_("经营状态"), lambda b: b.get_status_display(), width=8),
        Column(_("在岗务工人数"), lambda b: b.employee_count, width=10),
        Column(_("带动户数"), lambda b: b.household_count, width=8),
        Column(_("带动脱贫户数"), lambda b: b.poor_household_count, width=10),
        Column(_("带动监测户数"), lambda b: b.monitored_household_count, width=10),
    ]


@require_GET
def business_list(request: AuthedHttpRequest) -> HttpResponseBase:
    policy.require_any_view(request.user)
    form = BusinessFilterForm(request.GET or None, user=request.user)
    filters = filters_of(form)
    qs = selectors.businesses(
        request.user,
        q=filters.get("q", ""),
        village=filters.get("village"),
        kind=filters.get("kind", ""),
        status=filters.get("status", ""),
    )
    export = export_or_none(
        request, filename="返乡创业项目", title=_("返乡创业项目"), columns=_business_columns(), rows=qs
    )
    if export is not None:
        return export
    page = _page(request, qs.values(*rows_of.BUSINESS_ROW_FIELDS), total=count_upto(qs, COUNT_CAP))
    rows = render_rows("returnees/_business_rows.jinja", rows_of.business_rows(page.object_list))
    context = {"form": form, "page": page, "rows": rows, "can_create": policy.writes_economy(request.user)}
    return render(request, "returnees/business_list.html", context)


@require_GET
def business_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    business = selectors.business_get(request.user, pk)
    employments = list(selectors.employments(request.user, business=business))
    today = timezone.localdate()
    rows = [
        {"job": e, "current": e.started_on <= today and (e.ended_on is None or e.ended_on >= today)}
        for e in employments
    ]
    wages = list(selectors.wages(request.user, business=business))
    by_year: dict[int, Decimal] = {}
    for w in wages:
        by_year[w.year] = by_year.get(w.year, Decimal("0.00")) + w.amount
    context = {
        "business": business,
        "rows": rows,
        "wages": wages,
        "wages_by_year": sorted(by_year.items(), reverse=True),
        "supports": list(selectors.supports(request.user, business=business)),
        "can_edit": policy.can_edit(request.user, business),
        **_history(business),
    }
    return render(request, "returnees/business_detail.html", context)


def _business_values(d: dict[str, Any]) -> dict[str, Any]:
    return {name: d[name] for name in Business.EDITABLE}


@require_http_methods(["GET", "POST"])
def business_create(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_any_write(request.user)
    initial: dict[str, Any] = {}
    founder = request.GET.get("founder")
    if founder:
        initial["founder"] = founder
    form = BusinessForm(request.POST or None, initial=initial, user=request.user)
    return form_page(
        request,
        form,
        "returnees/business_form.html",
        {"business": None, "title": _("登记返乡创业项目")},
        save=lambda d: services.register_business(actor=request.user, founder=d["founder"], **_business_values(d)),
        message=lambda b: _("已登记项目“%(name)s”。") % {"name": b.name},
        then=lambda b: redirect("returnees:business_detail", b.pk),
    )


@require_http_methods(["GET", "POST"])
def business_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    business = selectors.business_get(request.user, pk)
    _require_edit(request, business)
    initial = model_to_dict(business, fields=Business.EDITABLE)
    form = BusinessForm(request.POST or None, initial=initial, user=request.user, business=business)
    return form_page(
        request,
        form,
        "returnees/business_form.html",
        {"business": business, "title": _("修改返乡创业项目")},
        save=lambda d: services.update_business(actor=request.user, business=business, **_business_values(d)),
        message=_("已保存。"),
        then=lambda _b: redirect("returnees:business_detail", business.pk),
        on_error=business.refresh_from_db,
    )


# ---- employment, wages, support ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def employment_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    business = selectors.business_get(request.user, pk)
    _require_edit(request, business)
    resident_q = request.GET.get("resident_q", "").strip()
    form = EmploymentForm(
        request.POST or None, initial={"started_on": timezone.localdate()}, user=request.user, resident_q=resident_q
    )
    return form_page(
        request,
        form,
        "returnees/employment_form.html",
        {"business": business, "resident_q": resident_q, "title": _("登记用工")},
        save=lambda d: services.employ_resident(actor=request.user, business=business, **d),
        message=lambda e: _("已登记 %(name)s 在“%(business)s”务工。")
        % {"name": e.resident.name, "business": business.name},
        then=lambda _e: redirect("returnees:business_detail", business.pk),
    )


@require_http_methods(["GET", "POST"])
def employment_end(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    employment = selectors.employment_get(request.user, pk)
    _require_edit(request, employment)
    form = EndEmploymentForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    return form_page(
        request,
        form,
        "returnees/employment_end.html",
        {"employment": employment, "title": _("结束用工")},
        save=lambda d: services.end_employment(actor=request.user, employment=employment, ended_on=d["ended_on"]),
        message=_("已结束用工。"),
        then=lambda _e: redirect("returnees:business_detail", employment.business_id),
        on_error=employment.refresh_from_db,
    )


@require_http_methods(["GET", "POST"])
def wage_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    employment = selectors.employment_get(request.user, pk)
    _require_edit(request, employment)
    form = WageForm(request.POST or None, initial={"year": timezone.localdate().year})
    return form_page(
        request,
        form,
        "returnees/wage_form.html",
        {"employment": employment, "title": _("登记务工工资")},
        save=lambda d: services.record_wages(actor=request.user, employment=employment, **d),
        message=lambda w: _("已登记 %(name)s %(year)s 年工资 %(amount)s 元。")
        % {"name": employment.resident.name, "year": w.year, "amount": w.amount},
        then=lambda _w: redirect("returnees:business_detail", employment.business_id),
    )


def _support_page(request: AuthedHttpRequest, *, returnee: Returnee | None, business: Business | None) -> HttpResponse:
    target: Any = business or returnee
    _require_edit(request, target)
    form = SupportForm(request.POST or None, initial={"given_on": timezone.localdate()})
    return form_page(
        request,
        form,
        "returnees/support_form.html",
        {"target": target, "business": business, "returnee": returnee, "title": _("登记扶持措施")},
        save=lambda d: services.record_support(actor=request.user, returnee=returnee, business=business, **d),
        message=_("已登记扶持措施。"),
        then=lambda _s: redirect(target.get_absolute_url()),
    )


@require_http_methods(["GET", "POST"])
def returnee_support_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _support_page(request, returnee=selectors.returnee_get(request.user, pk), business=None)


@require_http_methods(["GET", "POST"])
def business_support_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _support_page(request, returnee=None, business=selectors.business_get(request.user, pk))


# ---- measures ---------------------------------------------------------------------------------


def _measure_columns(year: int) -> list[Column]:
    return [
        Column(_("村"), lambda m: m.village.name, width=12),
        Column(_("返乡能人"), lambda m: m.returnees, width=10),
        Column(_("创业项目"), lambda m: m.businesses, width=10),
        Column(_("务工人数"), lambda m: m.jobs, width=10),
        Column(_("带动户数"), lambda m: m.households, width=10),
        Column(_("带动脱贫户"), lambda m: m.poor_households, width=10),
        Column(_("投资额(元)"), lambda m: m.investment, width=16),
        Column(_("扶持(次)"), lambda m: m.supports, width=10),
        Column(_("扶持金额(元)"), lambda m: m.support_amount, width=16),
        Column(_("%(year)s 年工资(元)") % {"year": year}, lambda m: m.wages, width=16),
    ]


@require_GET
def measures(request: AuthedHttpRequest) -> HttpResponseBase:
    policy.require_any_view(request.user)
    form = MeasuresForm(request.GET or None)
    year = filters_of(form).get("year") or timezone.localdate().year
    rows = selectors.village_measures(request.user, year=year)
    export = export_or_none(
        request, filename="归雁工程统计", title=_("归雁工程统计"), columns=_measure_columns(year), rows=rows
    )
    if export is not None:
        return export
    totals = {
        name: sum((getattr(r, name) for r in rows), Decimal("0.00") if name in MONEY else 0)
        for name in ("returnees", "businesses", "jobs", "households", "poor_households", *MONEY, "supports")
    }
    return render(request, "returnees/measures.html", {"form": form, "rows": rows, "totals": totals, "year": year})


MONEY = ("investment", "support_amount", "wages")
