"""Pages of the soup rounds (爱心汤). Thin: selectors read, services write, forms carry the input.
The village's staff (Capability.SERVICES) keep the rules, the list and the rounds; a volunteer
sees "我的送汤任务" and checks off the visits given to them, on a phone (HTMX buttons)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hongniudai.accounts.http import AuthedHttpRequest
from hongniudai.accounts.pages import export_or_none, filters_of, form_page
from hongniudai.common.pagination import COUNT_CAP, count_upto, page_of
from hongniudai.common.rows import render_rows
from hongniudai.common.xlsx import Column, wants_xlsx

from . import policy, selectors, services
from . import rows as rows_of
from .forms import (
    CheckOffForm,
    RecipientFilterForm,
    RecipientForm,
    RemoveForm,
    RoundFilterForm,
    RoundForm,
    RuleForm,
    SettingsForm,
    VolunteerForm,
)
from .models import FebruaryRule, Outcome, SoupRule, SoupVisit


def _require_manage(request: AuthedHttpRequest, obj: Any) -> None:
    if not policy.can_manage(request.user, obj):
        raise PermissionDenied(_("您没有在该范围内进行此操作的权限。"))


def _htmx(request: AuthedHttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# ---- rules and the town's setting -------------------------------------------------------------


@require_GET
def rule_list(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_serves(request.user)
    towns = list(selectors.towns_for_settings(request.user))
    kept = selectors.settings_of(towns)
    settings = [
        (town, FebruaryRule(kept[town.pk].february_rule if town.pk in kept else FebruaryRule.FEB_28).label)
        for town in towns
    ]
    context = {"rules": list(selectors.rules(request.user)), "settings": settings}
    return render(request, "care/soup/rule_list.html", context)


def _rule_values(d: dict[str, Any]) -> dict[str, Any]:
    return {name: d.get(name) for name in ("min_age", "is_active", "source", "note")}


@require_http_methods(["GET", "POST"])
def rule_create(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_serves(request.user)
    form = RuleForm(request.POST or None, user=request.user, initial={"is_active": True})
    return form_page(
        request,
        form,
        "care/soup/form.html",
        {"title": _("制定送汤对象条件"), "cancel": reverse("soup:rule_list")},
        save=lambda d: services.save_rule(actor=request.user, area=d["area"], kind=d["kind"], **_rule_values(d)),
        message=_("已保存送汤对象条件。"),
        then=lambda _r: redirect("soup:rule_list"),
    )


@require_http_methods(["GET", "POST"])
def rule_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    rule: SoupRule = selectors.rule_get(request.user, pk)
    _require_manage(request, rule)
    form = RuleForm(
        request.POST or None, user=request.user, fixed=True, initial=model_to_dict(rule, fields=SoupRule.EDITABLE)
    )
    title = _("修改送汤对象条件:%(area)s · %(kind)s") % {"area": rule.area.name, "kind": rule.get_kind_display()}
    return form_page(
        request,
        form,
        "care/soup/form.html",
        {"title": title, "cancel": reverse("soup:rule_list")},
        save=lambda d: services.save_rule(actor=request.user, area=rule.area, kind=rule.kind, **_rule_values(d)),
        message=_("已保存送汤对象条件。"),
        then=lambda _r: redirect("soup:rule_list"),
    )


@require_http_methods(["GET", "POST"])
def settings_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    town = selectors.town_get(request.user, pk)
    form = SettingsForm(request.POST or None, initial={"february_rule": services.february_rule_of(town)})
    return form_page(
        request,
        form,
        "care/soup/form.html",
        {"title": _("%(town)s 爱心汤设置") % {"town": town.name}, "cancel": reverse("soup:rule_list")},
        save=lambda d: services.save_settings(actor=request.user, town=town, february_rule=d["february_rule"]),
        message=_("已保存爱心汤设置。"),
        then=lambda _s: redirect("soup:rule_list"),
    )


# ---- recipients -------------------------------------------------------------------------------


def _recipient_columns() -> list[Column]:
    return [
        Column(_("姓名"), lambda r: r.resident.name, width=10),
        Column(_("村"), lambda r: r.village.name, width=12),
        Column(_("湾组"), lambda r: r.hamlet.name, width=12),
        Column(_("送汤原因"), lambda r: r.reasons, width=28),
        Column(_("人工选定"), lambda r: _("是") if r.by_hand else _("否"), width=8),
        Column(_("状态"), lambda r: r.get_status_display(), width=8),
        Column(_("审核人"), lambda r: r.decided_by.username if r.decided_by else "", width=12),
        Column(_("审核时间"), lambda r: timezone.localtime(r.decided_at) if r.decided_at else "", width=18),
        Column(_("移除原因"), lambda r: r.removed_reason, width=24),
    ]


@require_GET
def recipient_list(request: AuthedHttpRequest) -> HttpResponseBase:
    policy.require_serves(request.user)
    form = RecipientFilterForm(request.GET or None, user=request.user)
    filters = filters_of(form)
    qs = selectors.recipients(
        request.user, village=filters.get("village"), status=filters.get("status", ""), q=filters.get("q", "")
    )
    export = export_or_none(request, filename="送汤对象", title=_("送汤对象"), columns=_recipient_columns(), rows=qs)
    if export is not None:
        return export
    villages = list(selectors.villages_for_choice(request.user)[:30])
    page = page_of(request, qs.values(*rows_of.RECIPIENT_ROW_FIELDS))
    rows = render_rows("care/soup/_recipient_rows.jinja", rows_of.recipient_rows(page.object_list), by_hand=_("人工"))
    context = {"form": form, "page": page, "rows": rows, "villages": villages}
    return render(request, "care/soup/recipient_list.html", context)


@require_http_methods(["GET", "POST"])
def recipient_create(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_serves(request.user)
    form = RecipientForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        "care/soup/form.html",
        {"title": _("人工添加送汤对象"), "cancel": reverse("soup:recipient_list")},
        save=lambda d: services.add_recipient(actor=request.user, resident=d["resident"], reason=d["reason"]),
        message=lambda r: _("已将 %(name)s 加入送汤名单,待村里确认。") % {"name": r.resident.name},
        then=lambda r: redirect(r.get_absolute_url()),
    )


def _act(request: AuthedHttpRequest, act: Any, done: str, back: str) -> HttpResponse:
    try:
        act()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect(back)


@require_POST
def recipient_approve(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    row = selectors.recipient_get(request.user, pk)
    return _act(
        request,
        lambda: services.approve_recipient(actor=request.user, recipient=row),
        _("已确认 %(name)s。") % {"name": row.resident.name},
        row.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def recipient_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    row = selectors.recipient_get(request.user, pk)
    _require_manage(request, row)
    form = RemoveForm(request.POST or None)
    return form_page(
        request,
        form,
        "care/soup/form.html",
        {"title": _("移除送汤对象:%(name)s") % {"name": row.resident.name}, "cancel": row.get_absolute_url()},
        save=lambda d: services.remove_recipient(actor=request.user, recipient=row, reason=d["reason"]),
        message=_("已移除,记录保留。"),
        then=lambda r: redirect(r.get_absolute_url()),
    )


@require_GET
def review(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A village's list by hamlet: propose from the rules, approve, remove, each hamlet's volunteer."""
    village = selectors.village_get(request.user, pk)
    context = {
        "village": village,
        "hamlets": selectors.village_review(request.user, village),
        "rules": services.rules_for(village),
        "today": timezone.localdate(),
    }
    return render(request, "care/soup/review.html", context)


@require_POST
def propose(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    village = selectors.village_get(request.user, pk)
    try:
        created = services.propose_recipients(actor=request.user, village=village)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("按条件新提出 %(n)d 位送汤对象,请逐一审核。") % {"n": len(created)})
    return redirect("soup:review", village.pk)


@require_POST
def approve_all(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    village = selectors.village_get(request.user, pk)
    hamlet_id = request.POST.get("hamlet")
    hamlet = selectors.hamlet_get(request.user, hamlet_id) if hamlet_id else None
    count = services.approve_proposed(actor=request.user, village=village, hamlet=hamlet)
    messages.success(request, _("已确认 %(n)d 位送汤对象。") % {"n": count})
    return redirect("soup:review", village.pk)


@require_http_methods(["GET", "POST"])
def hamlet_volunteer(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    hamlet = selectors.hamlet_get(request.user, pk)
    _require_manage(request, hamlet)
    village = services.ancestor_of_kind(hamlet, "village")
    if village is None:
        raise PermissionDenied(_("该湾组不属于任何村。"))
    current = selectors.hamlet_volunteer_of(hamlet)
    form = VolunteerForm(request.POST or None, user=request.user, village=village, initial={"volunteer": current})
    return form_page(
        request,
        form,
        "care/soup/form.html",
        {
            "title": _("%(hamlet)s 送汤志愿者") % {"hamlet": hamlet.name},
            "cancel": reverse("soup:review", args=[village.pk]),
        },
        save=lambda d: services.set_hamlet_volunteer(actor=request.user, hamlet=hamlet, volunteer=d["volunteer"]),
        message=_("已指定。以后生成的送汤批次由该志愿者送。"),
        then=lambda _r: redirect("soup:review", village.pk),
    )


# ---- rounds -----------------------------------------------------------------------------------


def _round_columns() -> list[Column]:
    return [
        Column(_("日期"), lambda r: r.date, width=12),
        Column(_("村"), lambda r: r.village.name, width=12),
        Column(_("应送"), lambda r: r.visit_count, width=8),
        Column(_("已送达"), lambda r: r.delivered_count, width=8),
        Column(_("待送"), lambda r: r.pending_count, width=8),
        Column(_("不在家"), lambda r: r.not_home_count, width=8),
        Column(_("谢绝"), lambda r: r.declined_count, width=8),
        Column(_("关爱发现"), lambda r: r.observation_count, width=10),
        Column(_("转办事项"), lambda r: r.matter_count, width=10),
    ]


@require_GET
def round_list(request: AuthedHttpRequest) -> HttpResponseBase:
    if not policy.serves(request.user) and selectors.is_volunteer(request.user):
        return redirect("soup:my_visits")
    policy.require_serves(request.user)
    form = RoundFilterForm(request.GET or None, user=request.user)
    filters = filters_of(form)
    chosen = {
        "village": filters.get("village"),
        "date_from": filters.get("date_from"),
        "date_to": filters.get("date_to"),
    }
    export = export_or_none(
        request,
        filename="爱心汤送汤批次",
        title=_("爱心汤送汤批次"),
        columns=_round_columns(),
        rows=selectors.rounds(request.user, **chosen) if wants_xlsx(request) else [],
    )
    if export is not None:
        return export
    # The page is cut and counted on the rounds alone, then its rounds' visits are counted at once.
    listed = selectors.round_list(request.user, **chosen)
    page = page_of(request, listed.values(*rows_of.ROUND_ROW_FIELDS), total=count_upto(listed, COUNT_CAP))
    figures = selectors.round_figures([r["id"] for r in page.object_list])
    rows = render_rows(
        "care/soup/_round_rows.jinja", rows_of.round_rows({**r, **figures[r["id"]]} for r in page.object_list)
    )
    return render(request, "care/soup/round_list.html", {"form": form, "page": page, "rows": rows})


@require_http_methods(["GET", "POST"])
def round_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    village = selectors.village_get(request.user, pk)
    _require_manage(request, village)
    form = RoundForm(request.POST or None, initial={"day": timezone.localdate()})
    return form_page(
        request,
        form,
        "care/soup/form.html",
        {
            "title": _("%(village)s 生成送汤批次") % {"village": village.name},
            "cancel": reverse("soup:review", args=[pk]),
        },
        save=lambda d: services.create_round(actor=request.user, village=village, day=d["day"]),
        message=_("送汤批次已生成。"),
        then=lambda r: redirect(r.get_absolute_url()),
    )


@require_GET
def round_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Who is still to be visited (by hamlet) and how many were delivered."""
    round_ = selectors.round_get(request.user, pk)
    rows = list(selectors.visits(request.user, round_=round_))
    context = {
        "round": round_,
        "hamlets": selectors.by_hamlet(rows),
        "can_manage": policy.can_manage(request.user, round_),
        "is_today": round_.date == timezone.localdate(),
    }
    return render(request, "care/soup/round_detail.html", context)


@require_GET
def my_visits(request: AuthedHttpRequest) -> HttpResponse:
    """我的送汤任务: the visits given to the volunteer who signs in, today's first."""
    today = timezone.localdate()
    todays = list(selectors.visits_for_volunteer(request.user, day=today))
    earlier = selectors.visits_for_volunteer(request.user).exclude(round__date=today)
    context = {"hamlets": selectors.by_hamlet(todays), "page": page_of(request, earlier, 20), "today": today}
    return render(request, "care/soup/my_visits.html", context)


def _check_values(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "outcome": d["outcome"],
        "observation": d.get("observation") or "",
        "observation_note": d.get("observation_note") or "",
        "needs_action": bool(d.get("needs_action")),
    }


def _checked_message(visit: SoupVisit) -> str:
    if visit.matter is not None:
        return _("已登记,并已转为事项 %(n)s。") % {"n": visit.matter.number}
    return _("已登记。")


@require_http_methods(["GET", "POST"])
def visit_check(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Check a visit off. With HTMX, a tap on 已送达 / 不在家 / 谢绝 answers the visit's row; the
    full form records a welfare observation."""
    visit: SoupVisit = selectors.visit_get(request.user, pk)
    policy.require_check_off(request.user, visit)
    back = (
        reverse("soup:round_detail", args=[visit.round_id])
        if policy.can_manage(request.user, visit)
        else reverse("soup:my_visits")
    )
    if request.method == "POST" and _htmx(request) and "observation" not in request.POST:
        error = ""
        try:
            visit = services.check_off(actor=request.user, visit=visit, outcome=request.POST.get("outcome", ""))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        visit = selectors.visit_get(request.user, pk)
        return render(request, "care/soup/_visit.html", {"v": visit, "error": error, "can_check": True})
    initial = {"outcome": visit.outcome if visit.outcome != Outcome.PENDING else Outcome.DELIVERED}
    initial |= {"observation": visit.observation, "observation_note": visit.observation_note}
    form = CheckOffForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        "care/soup/visit_check.html",
        {"visit": visit, "title": _("送汤登记:%(name)s") % {"name": visit.recipient.resident.name}, "cancel": back},
        save=lambda d: services.check_off(actor=request.user, visit=visit, **_check_values(d)),
        message=_checked_message,
        then=lambda _v: redirect(back),
    )


@require_http_methods(["GET", "POST"])
def visit_assign(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_get(request.user, pk)
    _require_manage(request, visit)
    form = VolunteerForm(
        request.POST or None, user=request.user, village=visit.round.village, initial={"volunteer": visit.volunteer_id}
    )
    return form_page(
        request,
        form,
        "care/soup/form.html",
        {
            "title": _("改派送汤志愿者:%(name)s") % {"name": visit.recipient.resident.name},
            "cancel": reverse("soup:round_detail", args=[visit.round_id]),
        },
        save=lambda d: services.assign_visit(actor=request.user, visit=visit, volunteer=d["volunteer"]),
        message=_("已改派。"),
        then=lambda _v: redirect("soup:round_detail", visit.round_id),
    )
