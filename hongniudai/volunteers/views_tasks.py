"""Pages of the volunteers' tasks (志愿任务), their participations and the hours to confirm; the
same rules as `views` (staff pages 404 for a signed-in volunteer)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hongniudai.accounts.http import AuthedHttpRequest
from hongniudai.accounts.pages import export_or_none, filters_of, form_page
from hongniudai.accounts.pages import history_context as _history
from hongniudai.common.pagination import page_of as _page
from hongniudai.common.rows import render_rows
from hongniudai.common.xlsx import Column

from . import policy, selectors, services_tasks
from . import rows as rows_of
from .forms import AreaFilterForm, HoursForm, ParticipantForm, ReasonForm, RejectForm, TaskFilterForm, TaskForm
from .models import Participation, ParticipationStatus
from .views import post_action

# ---- tasks ------------------------------------------------------------------------------------


def _task_columns() -> list[Column]:
    return [
        Column(_("任务名称"), lambda t: t.title, width=22),
        Column(_("任务类型"), lambda t: t.get_kind_display(), width=10),
        Column(_("所属地区"), lambda t: t.area.name, width=12),
        Column(_("开始时间"), lambda t: timezone.localtime(t.starts_at).strftime("%Y-%m-%d %H:%M"), width=16),
        Column(_("结束时间"), lambda t: timezone.localtime(t.ends_at).strftime("%Y-%m-%d %H:%M"), width=16),
        Column(_("地点"), lambda t: t.place, width=16),
        Column(_("需要人数"), lambda t: t.needed, width=8),
        Column(_("已确认"), lambda t: t.confirmed_count, width=8),
        Column(_("报名待定"), lambda t: t.requested_count, width=8),
    ]


@require_GET
def task_list(request: AuthedHttpRequest) -> HttpResponseBase:
    policy.require_staff(request.user)
    form = TaskFilterForm(request.GET or None, user=request.user)
    f = filters_of(form)
    qs = selectors.tasks(
        request.user,
        area=f.get("area"),
        kind=f.get("kind", ""),
        start=f.get("start"),
        end=f.get("end"),
        q=f.get("q", ""),
    )
    export = export_or_none(request, filename="志愿任务", title=_("志愿任务"), columns=_task_columns(), rows=qs)
    if export is not None:
        return export
    page = _page(request, qs.values(*rows_of.TASK_ROW_FIELDS))
    rows = render_rows("volunteers/_task_rows.jinja", rows_of.task_rows(page.object_list))
    context = {"form": form, "page": page, "rows": rows, "can_create": policy.serves(request.user)}
    return render(request, "volunteers/task_list.html", context)


@require_GET
def task_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    policy.require_staff(request.user)
    task = selectors.task_get(request.user, pk)
    rows = list(selectors.participations(request.user, task=task))
    pending = list(selectors.hours_to_confirm(request.user).filter(participation__task=task))
    context = {
        "task": task,
        "rows": rows,
        "pending": pending,
        "can_edit": policy.can_edit(request.user, task),
        "S": ParticipationStatus,
        **_history(task),
    }
    return render(request, "volunteers/task_detail.html", context)


@require_http_methods(["GET", "POST"])
def task_create(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_staff(request.user)
    policy.require_any_write(request.user)
    form = TaskForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        "volunteers/form.html",
        {"title": _("发布志愿任务"), "cancel": reverse("volunteers:task_list")},
        save=lambda d: services_tasks.schedule_task(actor=request.user, **d),
        message=lambda t: _("已发布任务“%(title)s”。") % {"title": t.title},
        then=lambda t: redirect("volunteers:task_detail", t.pk),
    )


@require_http_methods(["GET", "POST"])
def task_participant(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Put a volunteer on the task: confirmed at once (安排), or as a request (报名)."""
    policy.require_staff(request.user)
    task = selectors.task_get(request.user, pk)
    policy.require_edit(request.user, task)
    form = ParticipantForm(request.POST or None, user=request.user, task=task)

    def save(d: dict[str, Any]) -> object:
        if d["confirm"]:
            return services_tasks.assign(actor=request.user, task=task, volunteers=[d["volunteer"]])
        return services_tasks.request_participation(actor=request.user, task=task, volunteer=d["volunteer"])

    return form_page(
        request,
        form,
        "volunteers/form.html",
        {"title": _("安排志愿者:%(title)s") % {"title": task.title}, "cancel": task.get_absolute_url()},
        save=save,
        message=_("已安排。"),
        then=lambda _r: redirect("volunteers:task_detail", task.pk),
    )


def _participation_action(
    request: AuthedHttpRequest, pk: int, act: Callable[[Participation], object], message: str
) -> HttpResponse:
    policy.require_staff(request.user)
    p = selectors.participation_get(request.user, pk)
    return post_action(request, lambda: act(p), message, reverse("volunteers:task_detail", args=[p.task_id]))


@require_POST
def participation_confirm(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _participation_action(
        request, pk, lambda p: services_tasks.confirm_participation(actor=request.user, participation=p), _("已确认。")
    )


@require_POST
def participation_complete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _participation_action(
        request,
        pk,
        lambda p: services_tasks.complete_participation(actor=request.user, participation=p),
        _("已标记完成。"),
    )


@require_POST
def participation_decline(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _participation_action(
        request,
        pk,
        lambda p: services_tasks.decline_participation(actor=request.user, participation=p, reason=reason),
        _("已谢绝。"),
    )


@require_http_methods(["GET", "POST"])
def participation_hours(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Log hours for a participation: staff for a volunteer, or the volunteer for themselves."""
    p = selectors.participation_get(request.user, pk)
    own = p.volunteer.user_id == request.user.pk
    if not own:
        policy.require_staff(request.user)
        policy.require_edit(request.user, p.task)
    form = HoursForm(request.POST or None, initial={"day": timezone.localtime(p.task.starts_at).date()})
    back = reverse("volunteers:my_tasks") if own else reverse("volunteers:task_detail", args=[p.task_id])
    return form_page(
        request,
        form,
        "volunteers/form.html",
        {"title": _("登记服务时长:%(title)s") % {"title": p.task.title}, "intro": p.volunteer.name, "cancel": back},
        save=lambda d: services_tasks.log_hours(actor=request.user, participation=p, **d),
        message=_("已登记服务时长,等待组织人确认。"),
        then=lambda _h: redirect(back),
    )


# ---- hours ------------------------------------------------------------------------------------


def _hours_columns() -> list[Column]:
    return [
        Column(_("志愿者"), lambda h: h.volunteer.name, width=10),
        Column(_("任务"), lambda h: h.participation.task.title, width=22),
        Column(_("服务日期"), lambda h: h.day, width=12),
        Column(_("时长(小时)"), lambda h: h.hours, width=10),
        Column(_("说明"), lambda h: h.note, width=20),
        Column(_("登记人"), lambda h: str(h.logged_by or ""), width=10),
    ]


@require_GET
def hours_queue(request: AuthedHttpRequest) -> HttpResponseBase:
    """Hours awaiting the organiser's confirmation (never the user's own)."""
    policy.require_staff(request.user)
    form = AreaFilterForm(request.GET or None, user=request.user)
    qs = selectors.hours_to_confirm(request.user, area=filters_of(form).get("area"))
    export = export_or_none(
        request, filename="待确认服务时长", title=_("待确认服务时长"), columns=_hours_columns(), rows=qs
    )
    if export is not None:
        return export
    page = _page(request, qs.values(*rows_of.HOURS_ROW_FIELDS))
    labels = {"confirm": _("确认"), "reject": _("退回"), "reason": _("未通过原因")}
    rows = render_rows(
        "volunteers/_hours_rows.jinja",
        rows_of.hours_rows(page.object_list),
        csrf=get_token(request),
        back=request.path,
        labels=labels,
    )
    return render(request, "volunteers/hours_queue.html", {"form": form, "page": page, "rows": rows})


def _hours_back(request: AuthedHttpRequest) -> str:
    back = request.POST.get("next", "")
    return back if back.startswith("/volunteers/") else reverse("volunteers:hours_queue")


@require_POST
def hours_confirm(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    policy.require_staff(request.user)
    record = selectors.hours_get(request.user, pk)
    return post_action(
        request,
        lambda: services_tasks.confirm_hours(actor=request.user, hours=record),
        _("已确认服务时长。"),
        _hours_back(request),
    )


@require_POST
def hours_reject(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    policy.require_staff(request.user)
    record = selectors.hours_get(request.user, pk)
    form = RejectForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return post_action(
        request,
        lambda: services_tasks.reject_hours(actor=request.user, hours=record, reason=reason),
        _("已退回服务时长。"),
        _hours_back(request),
    )
