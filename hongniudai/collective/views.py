"""Pages of the collective economy: decisions (四议两公开) and their steps, the organisations and the
cooperatives they found, members, and the share register. Thin: selectors read (ECONOMY_VIEW
scope; out of scope is 404), services write (ECONOMY_WRITE; refused is 403 or the form's errors)."""

from __future__ import annotations

from decimal import Decimal
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
from hongniudai.common import pick
from hongniudai.common.pagination import page_of as _page
from hongniudai.common.rows import render_rows
from hongniudai.common.xlsx import Column

from . import pickers, policy, selectors, services
from . import rows as rows_of
from .forms import (
    HOUSEHOLD_OPTIONS,
    CollectiveForm,
    CooperativeForm,
    DecisionFilterForm,
    DecisionForm,
    EndMemberForm,
    MemberFilterForm,
    MemberForm,
    OrgFilterForm,
    ShareForm,
    StepForm,
    household_q_filter,
)
from .models import Decision, EconomicOrg, StepKind


def _require_write(request: AuthedHttpRequest, obj: Any) -> None:
    if not policy.can_write(request.user, obj):
        raise PermissionDenied(_("您没有在该范围内进行此操作的权限。"))


def _labels(kinds: list[str]) -> list[str]:
    return [str(StepKind(k).label) for k in kinds]


# ---- decisions ------------------------------------------------------------------------------


def _decision_columns() -> list[Column]:
    return [
        Column(_("村"), lambda d: d.village.name, width=12),
        Column(_("事项类别"), lambda d: d.get_subject_display(), width=14),
        Column(_("事项名称"), lambda d: d.title, width=30),
        Column(_("已完成环节"), lambda d: "、".join(s.get_kind_display() for s in d.steps.all()), width=50),
        Column(_("待完成环节"), lambda d: "、".join(_labels(selectors.decision_missing_steps(d))), width=50),
    ]


@require_GET
def decision_list(request: AuthedHttpRequest) -> HttpResponseBase:
    policy.require_view_any(request.user)
    form = DecisionFilterForm(request.GET or None)
    filters = filters_of(form)
    qs = selectors.decisions(request.user, q=filters.get("q", ""), subject=filters.get("subject", ""))
    export = export_or_none(
        request, filename="四议两公开事项", title=_("四议两公开事项"), columns=_decision_columns(), rows=qs
    )
    if export is not None:
        return export
    page = _page(request, qs.prefetch_related(None).values(*rows_of.DECISION_ROW_FIELDS))
    steps = selectors.decision_step_kinds([d["id"] for d in page.object_list])
    rows = render_rows(
        "collective/_decision_rows.jinja", rows_of.decision_rows(page.object_list, steps), done=_("六个环节已完成")
    )
    context = {"form": form, "page": page, "rows": rows, "can_create": policy.writes_economy(request.user)}
    return render(request, "collective/decision_list.html", context)


@require_http_methods(["GET", "POST"])
def decision_create(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_write_any(request.user)
    form = DecisionForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        "collective/form.html",
        {"title": _("登记四议两公开事项"), "cancel": "collective:decision_list"},
        save=lambda d: services.create_decision(actor=request.user, **d),
        message=lambda decision: _("已登记事项“%(title)s”。") % {"title": decision.title},
        then=lambda decision: redirect("collective:decision_detail", decision.pk),
    )


def _step_form(request: AuthedHttpRequest, decision: Decision, data: Any = None) -> StepForm:
    missing = selectors.decision_missing_steps(decision)
    initial = {"held_on": timezone.localdate(), "kind": missing[0] if missing else ""}
    return StepForm(data, initial=initial, user=request.user, decision=decision)


@require_GET
def decision_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(request.user, pk)
    can_write = policy.can_write(request.user, decision)
    missing = selectors.decision_missing_steps(decision)
    context = {
        "decision": decision,
        "steps": list(decision.steps.all()),
        "missing": _labels(missing),
        "can_write": can_write,
        "step_form": _step_form(request, decision) if can_write and missing else None,
        **_history(decision),
    }
    return render(request, "collective/decision_detail.html", context)


@require_http_methods(["GET", "POST"])
def decision_step(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(request.user, pk)
    _require_write(request, decision)
    form = _step_form(request, decision, request.POST or None)
    return form_page(
        request,
        form,
        "collective/form.html",
        {
            "title": _("记录环节:%(title)s") % {"title": decision.title},
            "missing": _labels(selectors.decision_missing_steps(decision)),
            "cancel_url": decision.get_absolute_url(),
        },
        save=lambda d: services.record_step(actor=request.user, decision=decision, **d),
        message=lambda step: _("已记录“%(step)s”。") % {"step": step.get_kind_display()},
        then=lambda _step: redirect("collective:decision_detail", decision.pk),
    )


# ---- organisations --------------------------------------------------------------------------


def _org_columns() -> list[Column]:
    return [
        Column(_("村"), lambda o: o.village.name, width=12),
        Column(_("名称"), lambda o: o.name, width=30),
        Column(_("组织类型"), lambda o: o.get_kind_display(), width=16),
        Column(_("发起组织"), lambda o: o.founded_by.name if o.founded_by else "", width=30),
        Column(_("统一社会信用代码"), lambda o: o.credit_code, width=22),
        Column(_("成立日期"), lambda o: o.founded_on, width=12),
        Column(_("在册成员户"), lambda o: o.member_count, width=10),
        Column(_("总股数"), lambda o: o.total_shares, width=12),
        Column(_("合作社数"), lambda o: o.cooperative_count, width=10),
    ]


org_pick = pick.search_view(
    selectors.pick_orgs,
    pickers.org_label,
    doc="The organisation picker's result list: organisations of the user's scope by name or village.",
)


@require_GET
def org_list(request: AuthedHttpRequest) -> HttpResponseBase:
    policy.require_view_any(request.user)
    form = OrgFilterForm(request.GET or None)
    filters = filters_of(form)
    qs = selectors.orgs(request.user, q=filters.get("q", ""), kind=filters.get("kind", ""))
    export = export_or_none(request, filename="集体经济组织", title=_("集体经济组织"), columns=_org_columns(), rows=qs)
    if export is not None:
        return export
    page = _page(request, qs.values(*rows_of.ORG_ROW_FIELDS))
    rows = render_rows("collective/_org_rows.jinja", rows_of.org_rows(page.object_list))
    context = {"form": form, "page": page, "rows": rows, "can_create": policy.writes_economy(request.user)}
    return render(request, "collective/org_list.html", context)


@require_http_methods(["GET", "POST"])
def org_create(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_write_any(request.user)
    form = CollectiveForm(request.POST or None, initial={"founded_on": timezone.localdate()}, user=request.user)
    return form_page(
        request,
        form,
        "collective/form.html",
        {"title": _("登记村集体经济组织"), "cancel": "collective:org_list"},
        save=lambda d: services.register_collective(actor=request.user, **d),
        message=lambda org: _("已登记“%(name)s”。") % {"name": org.name},
        then=lambda org: redirect("collective:org_detail", org.pk),
    )


@require_GET
def org_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    org = selectors.org_get(request.user, pk)
    context = {
        "org": org,
        "cooperatives": list(selectors.cooperatives(request.user, org)),
        "can_write": policy.can_write(request.user, org),
        **_history(org),
    }
    return render(request, "collective/org_detail.html", context)


@require_http_methods(["GET", "POST"])
def cooperative_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    founder = selectors.org_get(request.user, pk)
    _require_write(request, founder)
    form = CooperativeForm(
        request.POST or None, initial={"founded_on": timezone.localdate()}, user=request.user, founder=founder
    )
    return form_page(
        request,
        form,
        "collective/form.html",
        {"title": _("组建合作社:%(name)s发起") % {"name": founder.name}, "cancel_url": founder.get_absolute_url()},
        save=lambda d: services.found_cooperative(actor=request.user, founder=founder, **d),
        message=lambda org: _("已组建“%(name)s”,并为其建立账套。") % {"name": org.name},
        then=lambda org: redirect("collective:org_detail", org.pk),
    )


# ---- members --------------------------------------------------------------------------------


def _member_columns() -> list[Column]:
    return [
        Column(_("户主"), lambda m: m.household.head.name if m.household.head else "", width=10),
        Column(_("户编号"), lambda m: m.household.number, width=12),
        Column(_("湾组"), lambda m: m.household.hamlet.name, width=12),
        Column(_("住址"), lambda m: m.household.address, width=30),
        Column(_("确认日期"), lambda m: m.confirmed_on, width=12),
        Column(_("退出日期"), lambda m: m.ended_on, width=12),
        Column(_("确认依据"), lambda m: m.decision.title if m.decision else "", width=30),
    ]


@require_GET
def member_list(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    org = selectors.org_get(request.user, pk)
    form = MemberFilterForm(request.GET or None)
    filters = filters_of(form)
    qs = selectors.members(request.user, org, q=filters.get("q", ""), state=filters.get("state", ""))
    export = export_or_none(
        request,
        filename=f"{org.name}成员",
        title=_("%(name)s成员") % {"name": org.name},
        columns=_member_columns(),
        rows=qs,
    )
    if export is not None:
        return export
    context = {"org": org, "form": form, "page": _page(request, qs), "can_write": policy.can_write(request.user, org)}
    return render(request, "collective/member_list.html", context)


@require_http_methods(["GET", "POST"])
def member_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    org = selectors.org_get(request.user, pk)
    _require_write(request, org)
    household_q = request.GET.get("household_q", "").strip()[:30]
    form = MemberForm(
        request.POST or None,
        initial={"confirmed_on": timezone.localdate()},
        user=request.user,
        org=org,
        household_q=household_q,
    )
    return form_page(
        request,
        form,
        "collective/household_form.html",
        {
            "org": org,
            "title": _("确认成员:%(name)s") % {"name": org.name},
            "household_q": household_q,
            "options_for": "member",
            "cancel_url": org.get_absolute_url(),
        },
        save=lambda d: services.confirm_member(actor=request.user, org=org, **d),
        message=lambda m: _("已确认“%(household)s”为成员。") % {"household": m.household},
        then=lambda _m: redirect("collective:member_list", org.pk),
    )


@require_GET
def household_options(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """HTMX partial: <option>s of the households found for the member form (`for=member`: the
    village's households not yet members) or the share form (the current members)."""
    org = selectors.org_get(request.user, pk)
    q = request.GET.get("household_q", "").strip()[:30]
    if request.GET.get("for") == "share":
        found, empty = selectors.member_households(request.user, org), _("集体股(不选农户)")
    else:
        found, empty = selectors.households_for_member(request.user, org), _("请先搜索并选择农户")
    rows = list(found.filter(household_q_filter(q))[:HOUSEHOLD_OPTIONS]) if q else []
    options = [(h.pk, selectors.household_label(h)) for h in rows]
    return render(request, "collective/_options.html", {"options": options, "empty": empty})


@require_http_methods(["GET", "POST"])
def member_end(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    membership = selectors.membership_get(request.user, pk)
    _require_write(request, membership)
    form = EndMemberForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    return form_page(
        request,
        form,
        "collective/form.html",
        {
            "title": _("成员退出:%(household)s") % {"household": membership.household},
            "cancel_url": membership.get_absolute_url(),
        },
        save=lambda d: services.end_membership(actor=request.user, membership=membership, ended_on=d["ended_on"]),
        message=_("已登记退出。"),
        then=lambda m: redirect("collective:member_list", m.org_id),
    )


# ---- shares ---------------------------------------------------------------------------------


def _entry_columns() -> list[Column]:
    return [
        Column(_("生效日期"), lambda e: e.effective_on, width=12),
        Column(_("持股户"), lambda e: str(e.household) if e.household else _("集体股"), width=14),
        Column(_("股份类别"), lambda e: e.get_kind_display(), width=10),
        Column(_("出资方式"), lambda e: e.get_contribution_display(), width=14),
        Column(_("股数"), lambda e: e.shares, width=10),
        Column(_("出资金额(元)"), lambda e: e.amount, width=14),
        Column(_("变动原因"), lambda e: e.reason, width=30),
        Column(_("记账凭证"), lambda e: e.voucher.number if e.voucher else "", width=16),
    ]


@require_GET
def share_register(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    org = selectors.org_get(request.user, pk)
    holder = request.GET.get("holder", "").strip()[:20]
    qs = selectors.share_entries(request.user, org, holder=holder)
    export = export_or_none(
        request,
        filename=f"{org.name}股权登记簿",
        title=_("%(name)s股权登记簿") % {"name": org.name},
        columns=_entry_columns(),
        rows=qs,
    )
    if export is not None:
        return export
    holders = selectors.share_holders(request.user, org)
    context = {
        "org": org,
        "holders": holders,
        "holder": holder,
        "collective_holder": selectors.COLLECTIVE_HOLDER,
        "total": sum((h.shares for h in holders), Decimal(0)),
        "page": _page(request, qs),
        "can_write": policy.can_write(request.user, org),
    }
    return render(request, "collective/share_register.html", context)


@require_http_methods(["GET", "POST"])
def share_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    org: EconomicOrg = selectors.org_get(request.user, pk)
    _require_write(request, org)
    household_q = request.GET.get("household_q", "").strip()[:30]
    form = ShareForm(
        request.POST or None,
        initial={"effective_on": timezone.localdate()},
        user=request.user,
        org=org,
        household_q=household_q,
    )
    return form_page(
        request,
        form,
        "collective/household_form.html",
        {
            "org": org,
            "title": _("股权登记:%(name)s") % {"name": org.name},
            "household_q": household_q,
            "options_for": "share",
            "cancel_url": reverse("collective:share_register", args=[org.pk]),
        },
        save=lambda d: services.record_shares(actor=request.user, org=org, **d),
        message=_("已登记股权变动。"),
        then=lambda _e: redirect("collective:share_register", org.pk),
    )
