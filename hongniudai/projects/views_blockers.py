"""Pages of blockers (堵点难点问题), the board (督办), site visits (进解促), the measures and the
team's visit calendar (iCalendar, at a private token address). Thin, like `views`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hongniudai.accounts.http import AuthedHttpRequest
from hongniudai.accounts.pages import export_or_none, filters_of, form_page
from hongniudai.accounts.pages import history_context as _history
from hongniudai.common import parsing
from hongniudai.common.pagination import page_of as _page
from hongniudai.common.rows import render_rows
from hongniudai.common.xlsx import Column
from hongniudai.places import selectors as place_selectors

from . import feed, policy, selectors, selectors_blockers, services_blockers, services_visits
from . import rows as rows_of
from .forms import (
    BlockerFilterForm,
    BlockerForm,
    CheckInForm,
    EscalateForm,
    ResolveForm,
    StepForm,
    VisitFilterForm,
    VisitForm,
    yes_no,
)
from .views import require_edit


def _local(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _blocker_columns() -> list[Column]:
    return [
        Column(_("项目"), lambda b: b.project.name, width=22),
        Column(_("类别"), lambda b: b.category.name, width=10),
        Column(_("问题描述"), lambda b: b.description, width=36),
        Column(_("责任部门"), lambda b: b.owner_department, width=12),
        Column(_("状态"), lambda b: b.get_status_display(), width=10),
        Column(_("提出时间"), lambda b: _local(b.raised_at), width=16),
        Column(_("办结时限"), lambda b: _local(b.due_at), width=16),
        Column(_("解决用时(工作日)"), lambda b: b.working_days_blocked, width=10),
        Column(_("服务专班"), lambda b: b.project.team.name if b.project.team else "", width=12),
    ]


def _blocker_filters(request: AuthedHttpRequest) -> tuple[BlockerFilterForm, dict[str, Any]]:
    form = BlockerFilterForm(request.GET or None, user=request.user)
    f = filters_of(form)
    return form, {
        "q": f.get("q", ""),
        "category": f.get("category"),
        "team": f.get("team"),
        "department": (f.get("department") or "").strip(),
        "overdue": yes_no(f.get("overdue")),
        **({"status": f["status"]} if f.get("status") else {}),
    }


@require_GET
def blocker_list(request: AuthedHttpRequest) -> HttpResponseBase:
    policy.require_any_view(request.user)
    form, filters = _blocker_filters(request)
    qs = selectors_blockers.blockers(request.user, **filters)
    export = export_or_none(
        request, filename="堵点难点问题", title=_("堵点难点问题"), columns=_blocker_columns(), rows=qs
    )
    if export is not None:
        return export
    page = _page(request, qs.values(*rows_of.BLOCKER_ROW_FIELDS))
    blocker_rows = rows_of.blocker_rows(page.object_list, timezone.now())
    rows = render_rows("projects/_blocker_rows.jinja", blocker_rows, overdue=_("逾期"))
    return render(request, "projects/blocker_list.html", {"form": form, "page": page, "rows": rows})


@require_GET
def blocker_board(request: AuthedHttpRequest) -> HttpResponseBase:
    """督办: the open blockers, oldest first, by age, category and owning department."""
    policy.require_any_view(request.user)
    form, filters = _blocker_filters(request)
    filters.pop("status", None)
    if request.GET.get("export") == "xlsx":
        qs = selectors_blockers.blockers(request.user, open_only=True, **filters).order_by("raised_at", "id")
        export = export_or_none(request, filename="堵点督办", title=_("堵点督办"), columns=_blocker_columns(), rows=qs)
        if export is not None:
            return export
    board = selectors_blockers.board(request.user, rows_of.BOARD_ROW_FIELDS, **filters)
    rows = render_rows("projects/_board_rows.jinja", rows_of.board_rows(board["rows"], board["now"]), overdue=_("逾期"))
    context = {"form": form, "board": board, "rows": rows, "can_create": policy.writes_projects(request.user)}
    return render(request, "projects/blocker_board.html", context)


@require_GET
def blocker_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    blocker = selectors_blockers.blocker_get(request.user, pk)
    can_edit = policy.can_edit(request.user, blocker)
    context = {
        "blocker": blocker,
        "steps": selectors_blockers.steps(blocker),
        "overdue": blocker.status in selectors_blockers.OVERDUE_STATUSES and blocker.due_at < timezone.now(),
        "can_edit": can_edit,
        "can_sign_off": can_edit and services_blockers.may_sign_off(request.user, blocker),
        "step_form": StepForm(),
        "resolve_form": ResolveForm(),
        "escalate_form": EscalateForm(),
        **_history(blocker),
    }
    return render(request, "projects/blocker_detail.html", context)


@require_http_methods(["GET", "POST"])
def blocker_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(request.user, pk)
    require_edit(request, project)
    form = BlockerForm(request.POST or None, user=request.user, project=project)
    return form_page(
        request,
        form,
        "projects/form.html",
        {"title": _("登记堵点难点问题:%(p)s") % {"p": project.name}, "cancel": project.get_absolute_url()},
        save=lambda d: services_blockers.blocker_raise(actor=request.user, project=project, **d),
        message=_("已登记问题。"),
        then=lambda b: redirect("projects:blocker_detail", b.pk),
    )


def _act(request: AuthedHttpRequest, pk: int, form_class: type | None, act: Any, done: str) -> HttpResponse:
    """A blocker action posted from its page: done → back with a message; refused → back with it."""
    blocker = selectors_blockers.blocker_get(request.user, pk)
    require_edit(request, blocker)
    form = form_class(request.POST, request.FILES) if form_class else None
    if form is not None and not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("projects:blocker_detail", blocker.pk)
    try:
        act(blocker, form.cleaned_data if form is not None else {})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("您没有进行此操作的权限。"))
    else:
        messages.success(request, done)
    return redirect("projects:blocker_detail", blocker.pk)


@require_POST
def blocker_step(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, StepForm,
        lambda b, d: services_blockers.blocker_step(actor=request.user, blocker=b, text=d["text"]), _("已登记办理情况。"),
    )  # fmt: skip


@require_POST
def blocker_resolve(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    def act(b: Any, d: dict[str, Any]) -> Any:
        return services_blockers.blocker_resolve(
            actor=request.user, blocker=b, evidence=d["evidence"], upload=d["file"]
        )

    return _act(request, pk, ResolveForm, act, _("已登记解决情况,待专班组长销号。"))


@require_POST
def blocker_sign_off(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        None,
        lambda b, _d: services_blockers.blocker_sign_off(actor=request.user, blocker=b),
        _("已销号。"),
    )


@require_POST
def blocker_escalate(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, EscalateForm,
        lambda b, d: services_blockers.blocker_escalate(actor=request.user, blocker=b, reason=d["reason"]), _("已上报。"),
    )  # fmt: skip


# ---- visits -----------------------------------------------------------------------------------


def _visit_columns() -> list[Column]:
    return [
        Column(_("走访日期"), lambda v: v.visited_on, width=12),
        Column(_("服务专班"), lambda v: v.team.name, width=14),
        Column(_("走访项目"), lambda v: v.project.name if v.project else "", width=22),
        Column(_("走访企业"), lambda v: v.enterprise.name if v.enterprise else "", width=22),
        Column(_("座谈对象"), lambda v: v.people_met, width=16),
        Column(_("走访情况"), lambda v: v.findings, width=36),
        Column(_("签到人数"), lambda v: v.checkin_count, width=8),
        Column(_("发现问题数"), lambda v: v.blocker_count, width=8),
    ]


@require_GET
def visit_list(request: AuthedHttpRequest) -> HttpResponseBase:
    policy.require_any_view(request.user)
    form = VisitFilterForm(request.GET or None, user=request.user)
    f = filters_of(form)
    qs = selectors_blockers.visits(
        request.user, team=f.get("team"), date_from=f.get("date_from"), date_to=f.get("date_to")
    )
    export = export_or_none(request, filename="进解促走访", title=_("进解促走访"), columns=_visit_columns(), rows=qs)
    if export is not None:
        return export
    page = _page(request, qs.values(*rows_of.VISIT_ROW_FIELDS))
    rows = render_rows("projects/_visit_rows.jinja", rows_of.visit_rows(page.object_list))
    context = {"form": form, "page": page, "rows": rows, "can_create": policy.writes_projects(request.user)}
    return render(request, "projects/visit_list.html", context)


@require_GET
def visit_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    visit = selectors_blockers.visit_get(request.user, pk)
    context = {
        "visit": visit,
        "checkins": selectors_blockers.checkins(visit),
        "follow_ups": selectors_blockers.follow_ups(visit),
        "blockers": list(selectors_blockers.blockers(request.user).filter(visit=visit)),
        "can_edit": policy.can_edit(request.user, visit),
        **_history(visit),
    }
    return render(request, "projects/visit_detail.html", context)


def _save_visit(request: AuthedHttpRequest, d: dict[str, Any]) -> Any:
    follow_ups: list[services_visits.FollowUpFields] = []
    if d.get("follow_up_text"):
        follow_ups.append({"due_on": d["follow_up_due"], "text": d["follow_up_text"]})
    found: list[services_visits.FoundBlocker] = []
    if d.get("blocker_category"):
        found.append(
            {
                "category": d["blocker_category"],
                "description": d["blocker_description"],
                "owner_department": d.get("blocker_department", ""),
            }
        )
    return services_visits.visit_record(
        actor=request.user,
        team=d["team"],
        visited_on=d["visited_on"],
        project=d.get("project"),
        enterprise=d.get("enterprise"),
        people_met=d.get("people_met", ""),
        findings=d.get("findings", ""),
        follow_ups=follow_ups,
        blockers=found,
    )


@require_http_methods(["GET", "POST"])
def visit_create(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_any_write(request.user)
    initial: dict[str, Any] = {"visited_on": timezone.localdate()}
    project_id = request.GET.get("project")
    project_pk = parsing.parse_id(project_id) if project_id else None
    if project_pk:
        project = selectors.projects_for_choice(request.user).filter(pk=project_pk).first()
        if project is not None:
            initial.update(project=project.pk, team=project.team_id)
    form = VisitForm(request.POST or None, initial=initial, user=request.user)
    return form_page(
        request,
        form,
        "projects/visit_form.html",
        {"title": _("登记进解促走访")},
        save=lambda d: _save_visit(request, d),
        message=lambda v: _("已登记走访,发现问题 %(n)d 个。") % {"n": v.blockers.count()},
        then=lambda v: redirect("projects:visit_detail", v.pk),
    )


@require_POST
def visit_check_in(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    visit = selectors_blockers.visit_get(request.user, pk)
    require_edit(request, visit)
    form = CheckInForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    try:
        services_visits.visit_check_in(actor=request.user, visit=visit, lat=data.get("lat"), lng=data.get("lng"))
        messages.success(request, _("已签到。"))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    return redirect("projects:visit_detail", visit.pk)


@require_POST
def follow_up_done(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    follow_up = selectors_blockers.follow_up_get(request.user, pk)
    require_edit(request, follow_up)
    services_visits.follow_up_done(actor=request.user, follow_up=follow_up)
    messages.success(request, _("已完成。"))
    return redirect("projects:visit_detail", follow_up.visit_id)


# ---- measures ---------------------------------------------------------------------------------


@require_GET
def measures(request: AuthedHttpRequest) -> HttpResponse:
    """The measures (服务成效), within an area if `?area=` names one. Where the teams' and the visit
    counts' rows lie in more than one town (a county's hundreds of teams and cadres), those lists
    are added up per town (by the database), each town linking to its own measures, where its rows
    are listed."""
    policy.require_any_view(request.user)
    area = place_selectors.area_get_optional(request.user, request.GET.get("area"))
    page, unnamed = selectors_blockers.measures_page(request.user, area=area), _("未指定")
    m, frequency, per_town = page["m"], page["frequency"], page["per_town"]
    tables = {
        key: render_rows("projects/_measure_rows.jinja", rows_of.measure_rows(m[key], unnamed))
        for key in ("by_category", "by_department")
    }
    if per_town:
        lists = (m["by_team"], frequency["by_team"], frequency["by_member"])
        towns = selectors_blockers.towns_named(r["town"] for rows in lists for r in rows)
        url = reverse("projects:measures")
        tables["by_team"] = render_rows(
            "projects/_measure_town_rows.jinja",
            rows_of.town_measure_rows(m["by_team"], towns, url, _("%(n)s 个专班")),
        )
        counts = {
            "by_team": rows_of.town_frequency_rows(frequency["by_team"], towns, url, _("%(n)s 个专班")),
            "by_member": rows_of.town_frequency_rows(frequency["by_member"], towns, url, _("%(n)s 人")),
        }
        shown = {
            key: render_rows("projects/_frequency_town_rows.jinja", rows) if rows else ""
            for key, rows in counts.items()
        }
    else:
        tables["by_team"] = render_rows("projects/_measure_rows.jinja", rows_of.measure_rows(m["by_team"], unnamed))
        lists_of = {
            "by_team": rows_of.frequency_rows(frequency["by_team"]),
            "by_member": rows_of.frequency_rows(frequency["by_member"], full_name=True),
        }
        shown = {
            key: render_rows("projects/_frequency_rows.jinja", rows) if rows else "" for key, rows in lists_of.items()
        }
    context = {"m": m, "area": area, "per_town": per_town, "tables": tables, "frequency": shown}
    return render(request, "projects/measures.html", context)


# ---- the team's visit calendar ----------------------------------------------------------------


@require_POST
def calendar_token(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Issue a new private calendar address for the team (shown once), or revoke them all."""
    team = selectors.team_get(request.user, pk)
    require_edit(request, team)
    if request.POST.get("revoke"):
        services_visits.calendar_token_revoke(actor=request.user, team=team)
        messages.success(request, _("已停用该专班的走访日历地址。"))
    else:
        token = services_visits.calendar_token_issue(actor=request.user, team=team)
        request.session[f"projects-feed-{team.pk}"] = token
    return redirect("projects:team_detail", team.pk)


@require_GET
def calendar_feed(request: Any, token: str) -> HttpResponse:
    """The team's visits as iCalendar, for a phone's calendar app; unknown or revoked: 404."""
    team = services_visits.team_for_token(token)
    if team is None:
        raise Http404
    body = feed.team_calendar(team, selectors_blockers.team_calendar_visits(team))
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
