"""Pages of enterprise party work: the registry, coverage, instructors and guidance visits.
Thin: selectors read, services write, forms carry the input; every record is fetched within the
user's scope (out of scope: 404), every write checks the capability (403)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hongniudai.accounts.http import AuthedHttpRequest
from hongniudai.accounts.pages import confirm_page, export_or_none, export_response, filters_of, form_page
from hongniudai.accounts.pages import export_area_path as _export_area_path
from hongniudai.accounts.pages import history_context as _history
from hongniudai.accounts.pages import require_party_edit as _require_edit
from hongniudai.accounts.scope import Capability, scope_for, user_can
from hongniudai.common import parsing, pick
from hongniudai.common.identity import mask_phone
from hongniudai.common.pagination import page_of as _page
from hongniudai.common.rows import render_rows
from hongniudai.common.xlsx import Column, wants_xlsx

from . import counterparties, pickers, policy, selectors, services, services_instructors, services_visits
from . import rows as rows_of
from .forms import (
    AssignmentForm,
    CloseFollowUpForm,
    CoverageFilterForm,
    EmploymentForm,
    EnterpriseFilterForm,
    EnterpriseForm,
    FollowUpForm,
    InstructorForm,
    VisitForm,
)
from .models import CheckItem, Coverage, Enterprise, Instructor

PAGE_SIZE = 50


def _require_any_edit(request: AuthedHttpRequest) -> None:
    if scope_for(request.user, Capability.EDIT_PARTY).is_empty:
        raise PermissionDenied(_("您没有维护企业党建信息的权限。"))


def _coverage_label(value: str) -> str:
    return str(Coverage(value).label) if value in Coverage.values else ""


# ---- enterprises ----------------------------------------------------------------------------


def _enterprise_columns() -> list[Column]:
    return [
        Column(_("企业名称"), lambda e: e.name, width=30),
        Column(_("统一社会信用代码"), lambda e: e.uscc, width=22, text=True),
        Column(_("行业"), lambda e: e.get_industry_display(), width=12),
        Column(_("所在园区或村"), lambda e: e.area.name, width=18),
        Column(_("规模"), lambda e: e.get_size_display(), width=8),
        Column(_("职工人数"), lambda e: e.employees, width=10),
        Column(_("正式党员数"), lambda e: e.full_members, width=10),
        Column(_("所属党支部"), lambda e: e.branch.name if e.branch else "", width=26),
        Column(_("覆盖情况"), lambda e: _coverage_label(e.coverage), width=26),
        Column(_("联系人"), lambda e: e.contact_name, width=10),
        Column(_("联系电话"), lambda e: mask_phone(e.contact_phone), width=14, text=True),
        Column(_("在营"), lambda e: e.is_active, width=6),
    ]


enterprise_pick = pick.search_view(
    selectors.pick_enterprises,
    pickers.enterprise_label,
    doc="The enterprise picker's result list (`common.pick`): enterprises of the user's scope by name.",
)


counterparty_pick = pick.search_view(
    counterparties.pick_counterparties,
    pickers.enterprise_label,
    doc="The other-party picker's result list: enterprises of the user's towns (`counterparties`) by name.",
)


@require_GET
def enterprise_list(request: AuthedHttpRequest) -> HttpResponseBase:
    form = EnterpriseFilterForm(request.GET or None, user=request.user)
    filters = filters_of(form)
    qs = selectors.enterprises(
        request.user,
        area=filters.get("area"),
        industry=filters.get("industry", ""),
        coverage=filters.get("coverage", ""),
        q=filters.get("q", ""),
    )
    export = export_or_none(request, filename="企业", title=_("企业"), columns=_enterprise_columns(), rows=qs)
    if export is not None:
        return export
    page = _page(request, qs.values(*rows_of.ENTERPRISE_ROW_FIELDS))
    context = {
        "form": form,
        "page": page,
        "rows": render_rows(
            "enterprises/_enterprise_rows.jinja", rows_of.enterprise_rows(page.object_list), inactive=_("不在营")
        ),
        "can_create": selectors.areas_for_enterprise_choice(request.user).exists(),
    }
    return render(request, "enterprises/enterprise_list.html", context)


@require_GET
def enterprise_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    enterprise = selectors.enterprise_get(request.user, pk)
    can_edit = user_can(request.user, Capability.EDIT_PARTY, enterprise)
    context = {
        "enterprise": enterprise,
        "is_gap": enterprise.coverage in selectors.GAPS,
        "employments": list(selectors.enterprise_employments(request.user, enterprise)),
        "instructors": selectors.enterprise_instructors(enterprise),
        "assignments": list(selectors.assignments(request.user).filter(enterprise=enterprise)[:20]),
        "visits": list(selectors.visits(request.user, enterprise=enterprise)[:10]),
        "can_edit": can_edit,
        "can_guide": policy.can_guide(request.user, org=enterprise.branch, enterprise=enterprise),
        "source": selectors.COVERAGE_SOURCE,
        **_history(enterprise),
    }
    return render(request, "enterprises/enterprise_detail.html", context)


def _enterprise_values(d: dict[str, Any]) -> dict[str, Any]:
    return {name: d[name] for name in Enterprise.EDITABLE}


@require_http_methods(["GET", "POST"])
def enterprise_create(request: AuthedHttpRequest) -> HttpResponse:
    _require_any_edit(request)
    initial: dict[str, Any] = {"is_active": True}
    area = selectors.area_get_optional(request.user, request.GET.get("area"))
    if area is not None:
        initial["area"] = area.pk
    form = EnterpriseForm(request.POST or None, initial=initial, user=request.user)
    return form_page(
        request,
        form,
        "enterprises/enterprise_form.html",
        {"enterprise": None, "title": _("登记企业")},
        save=lambda d: services.create_enterprise(actor=request.user, **_enterprise_values(d)),
        message=lambda enterprise: _("已登记企业“%(name)s”。") % {"name": enterprise.name},
        then=lambda enterprise: redirect("enterprises:enterprise_detail", enterprise.pk),
    )


@require_http_methods(["GET", "POST"])
def enterprise_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    enterprise = selectors.enterprise_get(request.user, pk)
    _require_edit(request, enterprise)
    initial = model_to_dict(enterprise, fields=Enterprise.EDITABLE)
    form = EnterpriseForm(request.POST or None, initial=initial, user=request.user)
    return form_page(
        request,
        form,
        "enterprises/enterprise_form.html",
        {"enterprise": enterprise, "title": _("修改企业信息")},
        save=lambda d: services.update_enterprise(actor=request.user, enterprise=enterprise, **_enterprise_values(d)),
        message=_("已保存。"),
        then=lambda _enterprise: redirect("enterprises:enterprise_detail", enterprise.pk),
        on_error=enterprise.refresh_from_db,
    )


@require_http_methods(["GET", "POST"])
def enterprise_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    enterprise = selectors.enterprise_get(request.user, pk)
    _require_edit(request, enterprise)
    return confirm_page(
        request,
        "enterprises/confirm.html",
        obj=enterprise,
        what=_("企业"),
        cancel_url=reverse("enterprises:enterprise_detail", args=[enterprise.pk]),
        act=lambda: services.delete_enterprise(actor=request.user, enterprise=enterprise),
        protected=_("该企业仍被其他记录引用,不能删除。"),
        message=_("已删除企业“%(name)s”。") % {"name": enterprise.name},
        then=reverse("enterprises:enterprise_list"),
    )


@require_http_methods(["GET", "POST"])
def employment_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Add a party member working at the enterprise (search by name or initials first)."""
    enterprise = selectors.enterprise_get(request.user, pk)
    _require_edit(request, enterprise)
    member_q = request.GET.get("member_q", "").strip()
    form = EmploymentForm(request.POST or None, user=request.user, member_q=member_q)
    return form_page(
        request,
        form,
        "enterprises/employment_form.html",
        {"enterprise": enterprise, "member_q": member_q},
        save=lambda d: services.add_employment(
            actor=request.user, enterprise=enterprise, member=d["member"], position=d["position"], since=d["since"]
        ),
        message=lambda employment: _("已登记党员“%(name)s”在本企业工作。") % {"name": employment.member.resident.name},
        then=lambda _employment: redirect("enterprises:enterprise_detail", enterprise.pk),
    )


@require_http_methods(["GET", "POST"])
def employment_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    employment = selectors.employment_get(request.user, pk)
    _require_edit(request, employment)
    back = reverse("enterprises:enterprise_detail", args=[employment.enterprise_id])
    return confirm_page(
        request,
        "enterprises/confirm.html",
        obj=employment,
        what=_("企业党员"),
        action_label=_("移除"),
        cancel_url=back,
        act=lambda: services.remove_employment(actor=request.user, employment=employment),
        message=_("已移除党员“%(name)s”。") % {"name": employment.member.resident.name},
        then=back,
    )


# ---- coverage -------------------------------------------------------------------------------


def _coverage_columns() -> list[Column]:
    return [
        Column(_("企业名称"), lambda e: e.name, width=30),
        Column(_("统一社会信用代码"), lambda e: e.uscc, width=22, text=True),
        Column(_("所在园区或村"), lambda e: e.area.name, width=18),
        Column(_("行业"), lambda e: e.get_industry_display(), width=12),
        Column(_("职工人数"), lambda e: e.employees, width=10),
        Column(_("正式党员数"), lambda e: e.full_members, width=10),
        Column(_("所属党支部"), lambda e: e.branch.name if e.branch else "", width=26),
        Column(_("支部类别"), lambda e: e.branch.get_branch_type_display() if e.branch else "", width=16),
        Column(_("覆盖情况"), lambda e: _coverage_label(e.coverage), width=28),
        Column(_("是否缺口"), lambda e: e.coverage in selectors.GAPS, width=8),
    ]


@require_GET
def coverage(request: AuthedHttpRequest) -> HttpResponseBase:
    """应建尽建: rates for the town, per park or village and per industry, and the gap list."""
    form = CoverageFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    area = filters.get("area")
    if wants_xlsx(request):
        rows = selectors.enterprises(request.user, area=area, active=True).order_by("area__path", "name", "id")
        return export_response(
            request,
            filename="企业党组织覆盖情况",
            title=_("企业党组织覆盖情况"),
            columns=_coverage_columns(),
            rows=rows,
            area_path=area.path if area else _export_area_path(request),
        )
    # A county's page shows a row per town, each linking to the town's page of its villages.
    summary, gap_list = selectors.coverage_page(request.user, area=area)
    list_url = reverse("enterprises:enterprise_list")
    coverage_url = reverse("enterprises:coverage")
    # The page of gaps is cut on the enterprises alone (their number is the summary's), then its
    # rows are read by key.
    gaps = _page(request, gap_list.values_list("pk", flat=True), total=summary.overall.gaps)
    gap_values = selectors.enterprise_values(list(gaps.object_list), rows_of.ENTERPRISE_ROW_FIELDS)
    context = {
        "form": form,
        "summary": summary,
        "area_rows": render_rows(
            "enterprises/_coverage_rows.jinja",
            rows_of.coverage_rows(summary.by_area, f"{list_url}?area=", town_link=f"{coverage_url}?area="),
        ),
        "by_town": summary.by_town,
        "industry_rows": render_rows(
            "enterprises/_coverage_rows.jinja", rows_of.coverage_rows(summary.by_industry, f"{list_url}?industry=")
        ),
        "gaps": gaps,
        "gap_rows": render_rows("enterprises/_gap_rows.jinja", rows_of.enterprise_rows(gap_values)),
        "states": list(Coverage),
        "covered_states": selectors.COVERED,
        "gap_states": selectors.GAPS,
        "source": selectors.COVERAGE_SOURCE,
        "rule": selectors.COVERAGE_RULE,
    }
    return render(request, "enterprises/coverage.html", context)


# ---- instructors ----------------------------------------------------------------------------


@require_GET
def instructor_list(request: AuthedHttpRequest) -> HttpResponse:
    """The roster: each instructor with current assignments and open follow-ups."""
    q = request.GET.get("q", "").strip()
    page = _page(request, selectors.instructors(request.user, q=q))
    users = [i.user_id for i in page.object_list]
    current: dict[int, list[Any]] = {}
    for a in selectors.assignments(request.user, current=True).filter(instructor_id__in=users):
        current.setdefault(a.instructor_id, []).append(a)
    rows = [{"instructor": i, "assignments": current.get(i.user_id, [])} for i in page.object_list]
    context = {
        "page": page,
        "rows": rows,
        "q": q,
        "can_create": selectors.towns_for_instructor_choice(request.user).exists(),
    }
    return render(request, "enterprises/instructor_list.html", context)


@require_http_methods(["GET", "POST"])
def instructor_create(request: AuthedHttpRequest) -> HttpResponse:
    if not selectors.towns_for_instructor_choice(request.user).exists():
        raise PermissionDenied(_("只有镇管理员可以选派党建指导员。"))
    form = InstructorForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        "enterprises/instructor_form.html",
        {"instructor": None, "title": _("新增党建指导员")},
        save=lambda d: services_instructors.create_instructor(
            actor=request.user,
            username=d["username"],
            password=d.get("password") or None,
            area=d["area"],
            **_instructor_values(d),
        ),
        message=lambda instructor: _("已新增党建指导员“%(name)s”。") % {"name": instructor},
        then=lambda instructor: redirect("enterprises:instructor_detail", instructor.pk),
    )


def _instructor_values(d: dict[str, Any]) -> dict[str, Any]:
    return {"display_name": d["display_name"], **{name: d[name] for name in Instructor.EDITABLE}}


@require_GET
def instructor_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    instructor = selectors.instructor_get(request.user, pk)
    can_edit = user_can(request.user, Capability.EDIT_PARTY, instructor)
    context = {
        "instructor": instructor,
        "assignments": list(selectors.assignments(request.user, instructor=instructor.user)),
        "open_follow_ups": list(selectors.follow_ups(request.user, instructor=instructor.user, open_only=True)),
        "visits": list(selectors.visits(request.user, instructor=instructor.user)[:20]),
        "can_edit": can_edit,
        "assign_form": AssignmentForm(user=request.user) if can_edit else None,
        **_history(instructor),
    }
    return render(request, "enterprises/instructor_detail.html", context)


@require_http_methods(["GET", "POST"])
def instructor_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    instructor = selectors.instructor_get(request.user, pk)
    _require_edit(request, instructor)
    initial = {
        "display_name": instructor.user.display_name,
        "work_unit": instructor.work_unit,
        "phone": instructor.phone,
        "note": instructor.note,
    }
    form = InstructorForm(request.POST or None, initial=initial, user=request.user, instructor=instructor)
    return form_page(
        request,
        form,
        "enterprises/instructor_form.html",
        {"instructor": instructor, "title": _("修改指导员信息")},
        save=lambda d: services_instructors.update_instructor(
            actor=request.user, instructor=instructor, **_instructor_values(d)
        ),
        message=_("已保存。"),
        then=lambda _instructor: redirect("enterprises:instructor_detail", instructor.pk),
    )


@require_http_methods(["GET", "POST"])
def assignment_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    instructor = selectors.instructor_get(request.user, pk)
    _require_edit(request, instructor)
    initial: dict[str, Any] = {}
    for name in ("enterprise", "org"):
        if parsing.parse_id(request.GET.get(name)):
            initial[name] = request.GET[name]
    form = AssignmentForm(request.POST or None, initial=initial, user=request.user)
    return form_page(
        request,
        form,
        "enterprises/assignment_form.html",
        {"instructor": instructor},
        save=lambda d: services_instructors.assign_instructor(
            actor=request.user,
            instructor=instructor,
            enterprise=d.get("enterprise"),
            org=d.get("org"),
            since=d.get("since"),
            note=d.get("note", ""),
        ),
        message=lambda assignment: _("已派驻到“%(target)s”。") % {"target": assignment.enterprise or assignment.org},
        then=lambda _assignment: redirect("enterprises:instructor_detail", instructor.pk),
    )


@require_http_methods(["GET", "POST"])
def assignment_end(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_get(request.user, pk)
    _require_edit(request, assignment)
    instructor = selectors.instructor_of(assignment.instructor)
    back = (
        reverse("enterprises:instructor_detail", args=[instructor.pk])
        if instructor is not None
        else reverse("enterprises:instructor_list")
    )
    return confirm_page(
        request,
        "enterprises/confirm.html",
        obj=assignment,
        what=_("派驻"),
        action_label=_("结束"),
        cancel_url=back,
        act=lambda: services_instructors.end_assignment(actor=request.user, assignment=assignment),
        message=_("已结束派驻。"),
        then=back,
    )


# ---- guidance visits ------------------------------------------------------------------------


@require_GET
def visit_list(request: AuthedHttpRequest) -> HttpResponseBase:
    qs = selectors.visits(request.user)
    export = export_or_none(
        request,
        filename="指导记录",
        title=_("指导记录"),
        columns=[
            Column(_("指导日期"), lambda v: v.visited_on, width=12),
            Column(_("指导员"), lambda v: str(v.instructor), width=12),
            Column(_("党支部"), lambda v: v.org.name if v.org else "", width=26),
            Column(_("企业"), lambda v: v.enterprise.name if v.enterprise else "", width=26),
            Column(_("检查内容"), lambda v: _checked_labels(v.checked), width=40),
            Column(_("发现的问题"), lambda v: v.findings, width=40),
            Column(_("未完成整改"), lambda v: v.open_follow_ups, width=10),
            Column(_("逾期整改"), lambda v: v.overdue_follow_ups, width=10),
        ],
        rows=qs,
    )
    if export is not None:
        return export
    context = {"page": _page(request, qs), "can_record": policy.can_record_visits(request.user)}
    return render(request, "enterprises/visit_list.html", context)


def _checked_labels(values: list[str]) -> str:
    return "、".join(str(CheckItem(v).label) for v in values if v in CheckItem.values)


@require_http_methods(["GET", "POST"])
def visit_create(request: AuthedHttpRequest) -> HttpResponse:
    if not policy.can_record_visits(request.user):
        raise PermissionDenied(_("只有党建指导员可以登记指导记录。"))
    initial: dict[str, Any] = {"visited_on": timezone.localdate()}
    for name in ("org", "enterprise"):
        if parsing.parse_id(request.GET.get(name)):
            initial[name] = request.GET[name]
    form = VisitForm(request.POST or None, initial=initial, user=request.user)
    return form_page(
        request,
        form,
        "enterprises/visit_form.html",
        {},
        save=lambda d: services_visits.record_visit(
            actor=request.user,
            visited_on=d["visited_on"],
            org=d.get("org"),
            enterprise=d.get("enterprise"),
            checked=d.get("checked") or [],
            findings=d.get("findings", ""),
            follow_ups=form.follow_up_rows(),
        ),
        message=_("已登记指导记录。"),
        then=lambda visit: redirect("enterprises:visit_detail", visit.pk),
    )


@require_GET
def visit_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_get(request.user, pk)
    items = list(selectors.follow_ups(request.user, visit=visit))
    context = {
        "visit": visit,
        "checked_labels": [CheckItem(v).label for v in visit.checked if v in CheckItem.values],
        "follow_ups": [{"item": f, "can_close": policy.can_close_follow_up(request.user, f)} for f in items],
        "can_add": policy.can_edit_visit(request.user, visit),
        "follow_up_form": FollowUpForm(),
        "close_form": CloseFollowUpForm(),
        **_history(visit),
    }
    return render(request, "enterprises/visit_detail.html", context)


@require_http_methods(["GET", "POST"])
def follow_up_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_get(request.user, pk)
    if not policy.can_edit_visit(request.user, visit):
        raise PermissionDenied(_("只有该指导记录的指导员可以添加整改事项。"))
    form = FollowUpForm(request.POST or None)
    return form_page(
        request,
        form,
        "enterprises/simple_form.html",
        {
            "title": _("添加整改事项"),
            "subtitle": str(visit),
            "cancel_url": reverse("enterprises:visit_detail", args=[visit.pk]),
        },
        save=lambda d: services_visits.add_follow_up(
            actor=request.user, visit=visit, description=d["description"], due_on=d["due_on"]
        ),
        message=_("已添加整改事项。"),
        then=lambda _item: redirect("enterprises:visit_detail", visit.pk),
    )


@require_http_methods(["GET", "POST"])
def follow_up_close(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    follow_up = selectors.follow_up_get(request.user, pk)
    if not policy.can_close_follow_up(request.user, follow_up):
        raise PermissionDenied(_("只有指导员或该党支部的维护人员可以办结整改事项。"))
    form = CloseFollowUpForm(request.POST or None)
    return form_page(
        request,
        form,
        "enterprises/simple_form.html",
        {
            "title": _("办结整改事项"),
            "subtitle": follow_up.description,
            "cancel_url": reverse("enterprises:visit_detail", args=[follow_up.visit_id]),
        },
        save=lambda d: services_visits.close_follow_up(
            actor=request.user, follow_up=follow_up, note=d["closing_note"], closed_on=d.get("closed_on")
        ),
        message=_("整改事项已办结。"),
        then=lambda _item: redirect("enterprises:visit_detail", follow_up.visit_id),
    )


@require_GET
def my_guidance(request: AuthedHttpRequest) -> HttpResponse:
    """The instructor's own page: assigned branches (with this year's organisational-life
    compliance), assigned enterprises, open follow-ups and recent visits."""
    context = {
        "profile": selectors.instructor_of(request.user),
        "today": timezone.localdate(),
        **selectors.my_guidance(request.user),
    }
    return render(request, "enterprises/my_guidance.html", context)
