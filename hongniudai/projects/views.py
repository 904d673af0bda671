"""Pages of projects, service teams and liaison (项目服务). Thin: selectors read, services write,
forms carry the input; records are fetched within the user's VIEW scope (404 otherwise) and every
write needs PROJECTS over the record's park or town (403 otherwise)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hongniudai.accounts.http import AuthedHttpRequest
from hongniudai.accounts.pages import export_or_none, filters_of, form_page
from hongniudai.accounts.pages import history_context as _history
from hongniudai.common.pagination import page_of as _page
from hongniudai.common.rows import render_rows
from hongniudai.common.xlsx import Column
from hongniudai.enterprises.interface import Enterprise
from hongniudai.vanguard import interface as vanguard

from . import policy, selectors, selectors_blockers, services_projects
from . import rows as rows_of
from .forms import LiaisonForm, MemberForm, MilestoneForm, ProjectFilterForm, ProjectForm, TeamForm, yes_no
from .models import Project


def require_edit(request: AuthedHttpRequest, obj: Any) -> None:
    if not policy.can_edit(request.user, obj):
        raise PermissionDenied(_("您没有在该范围内进行此操作的权限。"))


# ---- landing: my teams first ------------------------------------------------------------------


@require_GET
def home(request: AuthedHttpRequest) -> HttpResponse:
    """The projects landing page: a cadre's own teams, projects and charges first (我的专班), then
    the town's figures and the ways in."""
    policy.require_any_view(request.user)
    context = {
        "mine": selectors.my_work(request.user),
        "totals": selectors_blockers.measure_totals(request.user),
        "can_create": policy.writes_projects(request.user),
    }
    return render(request, "projects/home.html", context)


# ---- projects ---------------------------------------------------------------------------------


def _progress(p: Project) -> int:
    return selectors.progress(p.weight_done, p.weight_total)  # type: ignore[attr-defined]


def _project_columns() -> list[Column]:
    return [
        Column(_("项目名称"), lambda p: p.name, width=24),
        Column(_("业主企业"), lambda p: p.owner.name if p.owner else "", width=22),
        Column(_("项目类型"), lambda p: p.get_kind_display(), width=10),
        Column(_("项目状态"), lambda p: p.get_status_display(), width=8),
        Column(_("计划投资(元)"), lambda p: p.planned_investment, width=16),
        Column(_("累计完成投资(元)"), lambda p: p.invested, width=16),
        Column(_("形象进度(%)"), _progress, width=10),
        Column(_("进度滞后"), lambda p: _("是") if p.behind else _("否"), width=8),
        Column(_("牵头领导"), lambda p: str(p.leader) if p.leader else "", width=10),
        Column(_("服务专班"), lambda p: p.team.name if p.team else "", width=14),
    ]


@require_GET
def project_list(request: AuthedHttpRequest) -> HttpResponseBase:
    policy.require_any_view(request.user)
    form = ProjectFilterForm(request.GET or None, user=request.user)
    filters = filters_of(form)
    qs = selectors.projects(
        request.user,
        q=filters.get("q", ""),
        status=filters.get("status", ""),
        team=filters.get("team"),
        behind=yes_no(filters.get("behind")),
    )
    export = export_or_none(request, filename="项目", title=_("项目"), columns=_project_columns(), rows=qs)
    if export is not None:
        return export
    page = _page(request, qs.values(*rows_of.PROJECT_ROW_FIELDS))
    rows = render_rows("projects/_project_rows.jinja", rows_of.project_rows(page.object_list), behind=_("滞后"))
    context = {"form": form, "page": page, "rows": rows, "can_create": policy.writes_projects(request.user)}
    return render(request, "projects/project_list.html", context)


@require_GET
def project_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    project = selectors.project_get(user, pk)
    owner: Enterprise | None = project.owner
    context = {
        "project": project,
        "progress": _progress(project),
        "milestones": selectors.milestones(project),
        "members": selectors.team_members(project.team) if project.team else [],
        "visits": list(selectors_blockers.visits(user, project=project)[:10]),
        "blockers": list(selectors_blockers.blockers(user, project=project)),
        "branch": owner.branch if owner else None,
        "instructors": list(owner.instructors.all()) if owner else [],
        "posts": list(vanguard.posts(user, enterprise=owner, state="active")) if owner else [],
        "can_edit": policy.can_edit(user, project),
        **_history(project),
    }
    return render(request, "projects/project_detail.html", context)


def _project_values(d: dict[str, Any]) -> dict[str, Any]:
    values = {name: d.get(name) for name in Project.EDITABLE}
    values["location"] = d.get("location") or None
    return values


@require_http_methods(["GET", "POST"])
def project_create(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_any_write(request.user)
    form = ProjectForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        "projects/form.html",
        {"title": _("登记项目")},
        save=lambda d: services_projects.project_register(actor=request.user, area=d["area"], **_project_values(d)),
        message=lambda p: _("已登记项目 %(name)s。") % {"name": p.name},
        then=lambda p: redirect("projects:project_detail", p.pk),
    )


@require_http_methods(["GET", "POST"])
def project_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(request.user, pk)
    require_edit(request, project)
    initial = {name: getattr(project, name) for name in Project.EDITABLE}
    if project.location:
        initial["location"] = json.dumps(project.location, ensure_ascii=False)
    form = ProjectForm(request.POST or None, initial=initial, user=request.user, editing=True)
    return form_page(
        request,
        form,
        "projects/form.html",
        {"title": _("修改项目"), "cancel": project.get_absolute_url()},
        save=lambda d: services_projects.project_update(actor=request.user, project=project, **_project_values(d)),
        message=_("已保存。"),
        then=lambda _p: redirect("projects:project_detail", project.pk),
        on_error=project.refresh_from_db,
    )


@require_http_methods(["GET", "POST"])
def milestone_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(request.user, pk)
    require_edit(request, project)
    form = MilestoneForm(request.POST or None)
    return form_page(
        request,
        form,
        "projects/form.html",
        {"title": _("新增项目节点"), "cancel": project.get_absolute_url()},
        save=lambda d: services_projects.milestone_add(actor=request.user, project=project, **d),
        message=_("已新增节点。"),
        then=lambda _m: redirect("projects:project_detail", project.pk),
    )


@require_http_methods(["GET", "POST"])
def milestone_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    milestone = selectors.milestone_get(request.user, pk)
    require_edit(request, milestone)
    initial = {name: getattr(milestone, name) for name in ("stage", "name", "weight", "planned_on", "done_on")}
    form = MilestoneForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        "projects/form.html",
        {"title": _("修改项目节点"), "cancel": milestone.get_absolute_url()},
        save=lambda d: services_projects.milestone_update(actor=request.user, milestone=milestone, **d),
        message=_("已保存。"),
        then=lambda _m: redirect("projects:project_detail", milestone.project_id),
        on_error=milestone.refresh_from_db,
    )


# ---- teams ------------------------------------------------------------------------------------


@require_GET
def team_list(request: AuthedHttpRequest) -> HttpResponseBase:
    policy.require_any_view(request.user)
    qs = selectors.teams(request.user, q=request.GET.get("q", ""))
    columns = [
        Column(_("专班名称"), lambda t: t.name, width=20),
        Column(_("组长"), lambda t: str(t.leader), width=10),
        Column(_("成员数"), lambda t: t.member_count, width=8),
        Column(_("项目数"), lambda t: t.project_count, width=8),
    ]
    export = export_or_none(request, filename="包联服务专班", title=_("包联服务专班"), columns=columns, rows=qs)
    if export is not None:
        return export
    page = _page(request, qs.values(*rows_of.TEAM_ROW_FIELDS))
    rows = render_rows("projects/_team_rows.jinja", rows_of.team_rows(page.object_list))
    context = {"page": page, "rows": rows, "can_create": policy.writes_projects(request.user)}
    return render(request, "projects/team_list.html", context)


@require_GET
def team_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    team = selectors.team_get(user, pk)
    projects = list(selectors.projects(user, team=team))
    for p in projects:
        p.progress = _progress(p)  # type: ignore[attr-defined]
    context = {
        "team": team,
        "members": selectors.team_members(team),
        "projects": projects,
        "visits": list(selectors_blockers.visits(user, team=team)[:10]),
        "open_blockers": list(selectors_blockers.blockers(user, team=team, open_only=True)),
        "can_edit": policy.can_edit(user, team),
        "feed_token": request.session.pop(f"projects-feed-{team.pk}", None),
        **_history(team),
    }
    return render(request, "projects/team_detail.html", context)


@require_http_methods(["GET", "POST"])
def team_create(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_any_write(request.user)
    form = TeamForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        "projects/form.html",
        {"title": _("设立包联服务专班")},
        save=lambda d: services_projects.team_set_up(actor=request.user, **d),
        message=lambda t: _("已设立专班 %(name)s。") % {"name": t.name},
        then=lambda t: redirect("projects:team_detail", t.pk),
    )


@require_http_methods(["GET", "POST"])
def team_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    team = selectors.team_get(request.user, pk)
    require_edit(request, team)
    initial = {"name": team.name, "leader": team.leader, "note": team.note}
    form = TeamForm(request.POST or None, initial=initial, user=request.user, editing=True)
    return form_page(
        request,
        form,
        "projects/form.html",
        {"title": _("修改专班"), "cancel": team.get_absolute_url()},
        save=lambda d: services_projects.team_update(actor=request.user, team=team, **d),
        message=_("已保存。"),
        then=lambda _t: redirect("projects:team_detail", team.pk),
        on_error=team.refresh_from_db,
    )


@require_http_methods(["GET", "POST"])
def member_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    team = selectors.team_get(request.user, pk)
    require_edit(request, team)
    form = MemberForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        "projects/form.html",
        {"title": _("增加专班成员"), "cancel": team.get_absolute_url()},
        save=lambda d: services_projects.team_member_add(actor=request.user, team=team, **d),
        message=_("已增加成员。"),
        then=lambda _m: redirect("projects:team_detail", team.pk),
    )


# ---- liaison ----------------------------------------------------------------------------------


@require_GET
def liaison_list(request: AuthedHttpRequest) -> HttpResponseBase:
    policy.require_any_view(request.user)
    qs = selectors.liaisons(request.user, current=True)
    columns = [
        Column(_("包联干部"), lambda r: str(r.user), width=12),
        Column(_("包联类型"), lambda r: r.get_kind_display(), width=8),
        Column(_("包联对象"), lambda r: str(r.enterprise or r.project), width=26),
        Column(_("开始日期"), lambda r: r.since, width=12),
    ]
    export = export_or_none(request, filename="包联", title=_("干部包联"), columns=columns, rows=qs)
    if export is not None:
        return export
    page, can_create = _page(request, qs.values(*rows_of.LIAISON_ROW_FIELDS)), policy.writes_projects(request.user)
    rows = render_rows(
        "projects/_liaison_rows.jinja",
        rows_of.liaison_rows(page.object_list),
        can_create=can_create,
        csrf=get_token(request),
        end=_("结束"),
    )
    return render(request, "projects/liaison_list.html", {"page": page, "rows": rows, "can_create": can_create})


@require_http_methods(["GET", "POST"])
def liaison_create(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_any_write(request.user)
    form = LiaisonForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        "projects/form.html",
        {"title": _("登记包联")},
        save=lambda d: services_projects.liaison_set(actor=request.user, **d),
        message=_("已登记包联。"),
        then=lambda _l: redirect("projects:liaison_list"),
    )


@require_http_methods(["POST"])
def liaison_end(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    liaison = selectors.liaison_get(request.user, pk)
    require_edit(request, liaison)
    try:
        services_projects.liaison_end(actor=request.user, liaison=liaison, until=timezone.localdate())
        messages.success(request, _("已结束包联。"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("projects:liaison_list")
