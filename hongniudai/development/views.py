"""Pages of member development: the roster, opening a case, a case's timeline and its next
step, what is due next per branch, and the rules in force. Thin: selectors read, services write."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hongniudai.accounts.http import AuthedHttpRequest
from hongniudai.accounts.pages import export_or_none, filters_of, form_page, history_context, save_form
from hongniudai.accounts.scope import Capability, scope_for, user_can
from hongniudai.common.identity import id_number_digest
from hongniudai.common.pagination import page_of
from hongniudai.common.xlsx import Column
from hongniudai.party.forms import resident_label

from . import policy, selectors, services, services_rules
from .forms import CaseFilterForm, CaseForm, LocalRuleForm, OrgFilterForm, StepForm
from .models import DevelopmentStep, Stage, StepKind

PAGE_SIZE = 50
_ID_LIKE = re.compile(r"^\d{17}[\dXx]$")


def _require_any_edit(request: AuthedHttpRequest) -> None:
    if scope_for(request.user, Capability.EDIT_PARTY).is_empty:
        raise PermissionDenied(_("您没有维护发展党员信息的权限。"))


# ---- the roster ---------------------------------------------------------------------------


def _case_columns() -> list[Column]:
    return [
        Column(_("姓名"), lambda c: c.resident.name, width=10),
        Column(_("性别"), lambda c: c.resident.get_sex_display(), width=6),
        Column(_("出生日期"), lambda c: c.resident.birth_date, width=12),
        Column(_("身份证号"), lambda c: c.resident.id_masked, width=22, text=True),
        Column(_("培养党支部"), lambda c: c.org.name, width=24),
        Column(_("阶段"), lambda c: c.get_stage_display(), width=12),
        Column(_("递交申请日期"), lambda c: c.applied_on, width=12),
        Column(_("谈话日期"), lambda c: c.talked_on, width=12),
        Column(_("确定积极分子日期"), lambda c: c.activist_on, width=14),
        Column(_("最近考察日期"), lambda c: c.last_assessed_on, width=12),
        Column(_("确定发展对象日期"), lambda c: c.candidate_on, width=14),
        Column(_("集中培训天数"), lambda c: c.training_days, width=10),
        Column(_("集中培训学时"), lambda c: c.training_hours, width=10),
        Column(_("支部大会通过日期"), lambda c: c.resolution_on, width=14),
        Column(_("上级党委审批日期"), lambda c: c.approved_on, width=14),
        Column(_("预备期满日期"), lambda c: c.probation_ends_on, width=12),
        Column(_("转正日期"), lambda c: c.full_on, width=12),
        Column(_("终止日期"), lambda c: c.ended_on, width=12),
        Column(_("终止原因"), lambda c: c.end_reason, width=20),
    ]


@require_GET
def case_list(request: AuthedHttpRequest) -> HttpResponseBase:
    form = CaseFilterForm(request.GET or None, user=request.user)
    filters = filters_of(form)
    q, org, stage = filters.get("q", ""), filters.get("org"), filters.get("stage", "")
    qs = selectors.cases(request.user, stage=stage, org=org, q=q)
    export = export_or_none(
        request, filename="发展党员花名册", title=_("发展党员花名册"), columns=_case_columns(), rows=qs
    )
    if export is not None:
        return export
    counts = selectors.stage_counts(request.user, org=org, q=q)
    context = {
        "form": form,
        "page": page_of(request, qs, PAGE_SIZE),
        "counts": [(value, label, counts[value]) for value, label in Stage.choices],
        "stage": stage,
        "can_create": not scope_for(request.user, Capability.EDIT_PARTY).is_empty,
    }
    return render(request, "development/case_list.html", context)


@require_http_methods(["GET", "POST"])
def case_create(request: AuthedHttpRequest) -> HttpResponse:
    _require_any_edit(request)
    resident_q = request.GET.get("resident_q", "").strip()
    if _ID_LIKE.match(resident_q):
        # An exact-ID search: carry on with its digest, never the number itself.
        params = request.GET.copy()
        params["resident_q"], params["resident_idd"] = "", id_number_digest(resident_q)
        return redirect(f"{request.path}?{params.urlencode()}")
    initial: dict[str, Any] = {}
    branch = selectors.org_get_optional(request.user, request.GET.get("org"))
    if branch is not None:
        initial["org"] = branch.pk
    form = CaseForm(
        request.POST or None,
        initial=initial,
        user=request.user,
        resident_q=resident_q,
        resident_idd=request.GET.get("resident_idd", ""),
    )
    return form_page(
        request,
        form,
        "development/case_form.html",
        {"resident_q": resident_q},
        save=lambda d: services.open_case(
            actor=request.user, resident=d["resident"], org=d["org"], applied_on=d["applied_on"], note=d["note"]
        ),
        message=lambda case: _("已为“%(name)s”建立发展党员档案。") % {"name": case.resident.name},
        then=lambda case: redirect("development:case_detail", case.pk),
    )


@require_GET
def resident_options(request: AuthedHttpRequest) -> HttpResponse:
    """HTMX partial: <option>s for the applicant select of the new-case form."""
    q = request.GET.get("resident_q", "").strip()
    rows = list(selectors.residents_for_case_choice(request.user, q=q)[: CaseForm.RESIDENT_OPTIONS]) if q else []
    options = [(r.pk, resident_label(r)) for r in rows]
    return render(request, "party/_options.html", {"options": options, "empty": _("请先搜索并选择居民")})


# ---- one case -----------------------------------------------------------------------------


def _detail(request: AuthedHttpRequest, pk: int, bound: StepForm | None = None) -> HttpResponse:
    case = selectors.case_get(request.user, pk)
    can_edit = user_can(request.user, Capability.EDIT_PARTY, case)
    forms = []
    if can_edit:
        for kind in selectors.valid_steps(case):
            forms.append(bound if bound is not None and bound.kind == kind else StepForm(kind=kind))
    due = selectors.due_next(request.user, case.org)
    context = {
        "case": case,
        "steps": case.timeline,  # type: ignore[attr-defined]
        "step_forms": forms,
        "can_edit": can_edit,
        "due": next((d for d in due if d.case.pk == case.pk), None),
        **history_context(case),
    }
    return render(request, "development/case_detail.html", context, status=400 if bound is not None else 200)


@require_GET
def case_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


@require_http_methods(["GET", "POST"])
def case_step(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Record a step (POST from the case page); a GET goes back to the case."""
    case = selectors.case_get(request.user, pk)
    if request.method == "GET":
        return redirect("development:case_detail", case.pk)
    if not user_can(request.user, Capability.EDIT_PARTY, case):
        raise PermissionDenied(_("您没有在该范围内进行此操作的权限。"))
    kind = request.POST.get("kind", "")
    if kind not in StepKind.values or kind == StepKind.APPLY:
        messages.error(request, _("请选择要登记的环节。"))
        return redirect("development:case_detail", case.pk)
    form = StepForm(request.POST, kind=kind)

    def recorded(step: DevelopmentStep) -> HttpResponse:
        for w in step.warnings:
            messages.warning(request, w["message"])
        return redirect("development:case_detail", case.pk)

    saved = save_form(
        request,
        form,
        lambda d: services.record_step(
            actor=request.user,
            case=case,
            kind=kind,
            on=d["on"],
            note=d.get("note", ""),
            training_days=d.get("training_days"),
            training_hours=d.get("training_hours"),
            extension_months=d.get("extension_months"),
            end_reason=d.get("end_reason", ""),
        ),
        message=lambda step: _("已登记“%(step)s”。") % {"step": step.get_kind_display()},
        then=recorded,
    )
    return saved if saved is not None else _detail(request, pk, bound=form)


# ---- due next -----------------------------------------------------------------------------


@require_GET
def due_list(request: AuthedHttpRequest) -> HttpResponseBase:
    form = OrgFilterForm(request.GET or None, user=request.user)
    org = filters_of(form).get("org")
    items = selectors.due_next(request.user, org)
    export = export_or_none(
        request,
        filename="发展党员待办",
        title=_("发展党员待办"),
        columns=[
            Column(_("培养党支部"), lambda i: i.case.org.name, width=24),
            Column(_("姓名"), lambda i: i.case.resident.name, width=10),
            Column(_("阶段"), lambda i: i.case.get_stage_display(), width=12),
            Column(_("下一步"), lambda i: i.what, width=22),
            Column(_("日期"), lambda i: i.due_on, width=12),
            Column(_("已逾期"), lambda i: i.overdue, width=8),
            Column(_("说明"), lambda i: i.note, width=30),
        ],
        rows=items,
    )
    if export is not None:
        return export
    # One block per branch (tree order); within it, overdue first, then by date.
    branches = sorted({i.case.org.path: i.case.org for i in items}.items())
    groups = [{"org": org, "items": [i for i in items if i.case.org_id == org.pk]} for _path, org in branches]
    context = {
        "form": form,
        "groups": groups,
        "overdue": sum(1 for i in items if i.overdue),
        "total": len(items),
    }
    return render(request, "development/due_list.html", context)


# ---- rules --------------------------------------------------------------------------------


@require_GET
def rule_list(request: AuthedHttpRequest) -> HttpResponse:
    form = OrgFilterForm(request.GET or None, user=request.user, empty=_("默认规则(全部署)"))
    org = form.cleaned_data.get("org") if form.is_valid() else None
    context = {
        "form": form,
        "org": org,
        "rules": selectors.rules_in_force(request.user, org),
        "local_rules": list(selectors.local_rules(request.user)),
        "can_set": policy.may_set_local_rules(request.user),
    }
    return render(request, "development/rule_list.html", context)


@require_http_methods(["GET", "POST"])
def rule_create(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_rule_admin(request.user)
    form = LocalRuleForm(request.POST or None, user=request.user, initial={"severity": "refuse"})
    return form_page(
        request,
        form,
        "development/rule_form.html",
        {"rule": None},
        save=lambda d: services_rules.save_local_rule(actor=request.user, **d),
        message=_("已保存本地规则。"),
        then=lambda _rule: redirect("development:rule_list"),
    )


@require_http_methods(["GET", "POST"])
def rule_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    rule = selectors.local_rule_get(request.user, pk)
    area = rule.area
    assert area is not None  # local rules only
    policy.require_rule_admin(request.user, area)
    initial = {
        "code": rule.code,
        "area": rule.area_id,
        "value": rule.value,
        "unit": rule.unit,
        "severity": rule.severity,
        "source": rule.source,
        "note": rule.note,
    }
    form = LocalRuleForm(request.POST or None, user=request.user, initial=initial, fixed=True)
    if request.method == "POST" and request.POST.get("delete"):
        try:
            services_rules.delete_local_rule(actor=request.user, rule=rule)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已删除本地规则,恢复执行上级规定。"))
        return redirect("development:rule_list")
    return form_page(
        request,
        form,
        "development/rule_form.html",
        {"rule": rule},
        save=lambda d: services_rules.save_local_rule(
            actor=request.user,
            code=rule.code,
            area=area,
            value=d["value"],
            unit=d["unit"],
            severity=d["severity"],
            source=d["source"],
            note=d["note"],
        ),
        message=_("已保存本地规则。"),
        then=lambda _rule: redirect("development:rule_list"),
    )
