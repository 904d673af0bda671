"""Pages of the volunteers (志愿者); those of the tasks and hours are in `views_tasks`. Thin: selectors
read, services write, forms carry the input. Staff pages 404 for a signed-in volunteer
(`policy.require_staff`): their page is 我的志愿任务, and their calendar feed answers its private
token without a session."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hongniudai.accounts.http import AuthedHttpRequest
from hongniudai.accounts.models import User
from hongniudai.accounts.pages import export_or_none, filters_of, form_page
from hongniudai.accounts.pages import history_context as _history
from hongniudai.common import pick
from hongniudai.common.identity import mask_phone
from hongniudai.common.pagination import page_of as _page
from hongniudai.common.rows import render_rows
from hongniudai.common.xlsx import Column

from . import feed, policy, selectors, services
from . import rows as rows_of
from .forms import (
    AccountForm,
    AreaFilterForm,
    RankingForm,
    TeamEditForm,
    TeamForm,
    VolunteerEditForm,
    VolunteerFilterForm,
    VolunteerForm,
    YearForm,
    team_label,
    volunteer_label,
    year_of,
    yes_no,
)
from .models import ParticipationStatus, Volunteer, VolunteerTeam


def post_action(request: AuthedHttpRequest, act: Callable[[], object], message: str, then: str) -> HttpResponse:
    """A POST action: done, `message`; refused by a rule, the rule's Chinese message; back to `then`."""
    try:
        act()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, message)
    return redirect(then)


# ---- volunteers -------------------------------------------------------------------------------


def _volunteer_columns(year: int) -> list[Column]:
    return [
        Column(_("姓名"), lambda v: v.name, width=10),
        Column(_("所属地区"), lambda v: v.area.name, width=12),
        Column(_("本地居民"), lambda v: _("是") if v.resident_id else _("否"), width=8),
        Column(_("手机号"), lambda v: mask_phone(v.phone), width=14),
        Column(_("技能特长"), lambda v: v.skills, width=20),
        Column(_("服务队"), lambda v: v.team.name if v.team_id else "", width=16),
        Column(_("注册日期"), lambda v: v.joined_on, width=12),
        Column(_("在册"), lambda v: _("在册") if v.is_active else _("已退出"), width=8),
        Column(_("%(year)s 年服务时长(小时)") % {"year": year}, lambda v: v.year_hours, width=14),
    ]


@require_GET
def volunteer_list(request: AuthedHttpRequest) -> HttpResponseBase:
    policy.require_staff(request.user)
    form = VolunteerFilterForm(request.GET or None, user=request.user)
    filters = filters_of(form)
    year = timezone.localdate().year
    qs = selectors.volunteers(
        request.user,
        q=filters.get("q", ""),
        area=filters.get("area"),
        team_name=filters.get("team", ""),
        skill=filters.get("skill", ""),
        active=yes_no(filters.get("active")),
        year=year,
    )
    export = export_or_none(request, filename="志愿者", title=_("志愿者"), columns=_volunteer_columns(year), rows=qs)
    if export is not None:
        return export
    page = _page(request, qs.values(*rows_of.VOLUNTEER_ROW_FIELDS))
    rows = render_rows("volunteers/_volunteer_rows.jinja", rows_of.volunteer_rows(page.object_list), left=_("已退出"))
    context = {"form": form, "page": page, "rows": rows, "year": year, "can_create": policy.serves(request.user)}
    return render(request, "volunteers/volunteer_list.html", context)


@require_GET
def volunteer_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    policy.require_staff(request.user)
    volunteer = selectors.volunteer_get(request.user, pk)
    year = timezone.localdate().year
    context = {
        "volunteer": volunteer,
        "phone": mask_phone(volunteer.phone),
        "year": year,
        "year_total": selectors.confirmed_total(volunteer, year),
        "rows": list(selectors.participations(request.user, volunteer=volunteer)[:50]),
        "can_edit": policy.can_edit(request.user, volunteer),
        **_history(volunteer),
    }
    return render(request, "volunteers/volunteer_detail.html", context)


@require_http_methods(["GET", "POST"])
def volunteer_create(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_staff(request.user)
    policy.require_any_write(request.user)
    form = VolunteerForm(request.POST or None, initial={"joined_on": timezone.localdate()}, user=request.user)
    return form_page(
        request,
        form,
        "volunteers/form.html",
        {"title": _("登记志愿者"), "cancel": reverse("volunteers:volunteer_list")},
        save=lambda d: services.register_volunteer(
            actor=request.user,
            area=d["area"],
            resident=d["resident"],
            name=d["name"],
            phone=d["phone"],
            skills=d["skills"],
            joined_on=d["joined_on"],
            note=d["note"],
        ),
        message=lambda v: _("已登记志愿者 %(name)s。") % {"name": v.name},
        then=lambda v: redirect("volunteers:volunteer_detail", v.pk),
    )


@require_http_methods(["GET", "POST"])
def volunteer_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    policy.require_staff(request.user)
    volunteer = selectors.volunteer_get(request.user, pk)
    policy.require_edit(request.user, volunteer)
    initial = model_to_dict(volunteer, fields=Volunteer.EDITABLE)
    initial["phone"] = ""  # never echoed unmasked: a blank phone keeps the one on file
    form = VolunteerEditForm(request.POST or None, initial=initial, user=request.user, volunteer=volunteer)
    form.fields["phone"].help_text = _("现手机号 %(phone)s;留空则不修改。") % {
        "phone": mask_phone(volunteer.phone) or "—"
    }

    def save(d: dict[str, Any]) -> Volunteer:
        return services.update_volunteer(
            actor=request.user,
            volunteer=volunteer,
            name=d["name"] or volunteer.name,
            phone=d["phone"] or volunteer.phone,
            skills=d["skills"],
            team=d["team"],
            joined_on=d["joined_on"],
            note=d["note"],
        )

    return form_page(
        request,
        form,
        "volunteers/form.html",
        {"title": _("修改志愿者"), "cancel": reverse("volunteers:volunteer_detail", args=[volunteer.pk])},
        save=save,
        message=_("已保存。"),
        then=lambda _v: redirect("volunteers:volunteer_detail", volunteer.pk),
        on_error=volunteer.refresh_from_db,
    )


@require_POST
def volunteer_deactivate(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    policy.require_staff(request.user)
    volunteer = selectors.volunteer_get(request.user, pk)
    return post_action(
        request,
        lambda: services.deactivate_volunteer(actor=request.user, volunteer=volunteer),
        _("%(name)s 已退出志愿者队伍。") % {"name": volunteer.name},
        reverse("volunteers:volunteer_detail", args=[volunteer.pk]),
    )


@require_http_methods(["GET", "POST"])
def volunteer_account(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    policy.require_staff(request.user)
    volunteer = selectors.volunteer_get(request.user, pk)
    policy.require_edit(request.user, volunteer)
    form = AccountForm(request.POST or None)

    def save(d: dict[str, Any]) -> Volunteer:
        user = User.objects.filter(username__iexact=d["username"].strip(), is_active=True).first()
        if user is None:
            raise ValidationError({"username": _("没有这个账号。")})
        try:
            return services.link_account(actor=request.user, volunteer=volunteer, user=user)
        except PermissionDenied as exc:  # granting the role is the account rules' call: say why on the form
            raise ValidationError({"username": str(exc) or _("您不能为该账号授予志愿者角色。")}) from None

    return form_page(
        request,
        form,
        "volunteers/form.html",
        {"title": _("关联登录账号"), "cancel": reverse("volunteers:volunteer_detail", args=[volunteer.pk])},
        save=save,
        message=_("已关联登录账号。"),
        then=lambda _v: redirect("volunteers:volunteer_detail", volunteer.pk),
    )


def _feed_url(request: AuthedHttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("volunteers:feed", kwargs={"token": token}))


@require_POST
def volunteer_feed(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Issue (or re-issue) the volunteer's private feed address: shown once, on this answer."""
    policy.require_staff(request.user)
    volunteer = selectors.volunteer_get(request.user, pk)
    try:
        token = services.issue_feed_token(actor=request.user, volunteer=volunteer)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("volunteers:volunteer_detail", volunteer.pk)
    back = reverse("volunteers:volunteer_detail", args=[volunteer.pk])
    context = {"volunteer": volunteer, "url": _feed_url(request, token), "back": back}
    return render(request, "volunteers/feed_issued.html", context)


@require_POST
def volunteer_feed_revoke(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    policy.require_staff(request.user)
    volunteer = selectors.volunteer_get(request.user, pk)
    return post_action(
        request,
        lambda: services.revoke_feed_token(actor=request.user, volunteer=volunteer),
        _("日历订阅地址已停用。"),
        reverse("volunteers:volunteer_detail", args=[volunteer.pk]),
    )


@require_GET
def volunteer_certificate(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    policy.require_staff(request.user)
    volunteer = selectors.volunteer_get(request.user, pk)
    return _certificate(request, volunteer)


def _certificate(request: AuthedHttpRequest, volunteer: Volunteer) -> HttpResponse:
    year = year_of(YearForm(request.GET or None))
    cert = selectors.certificate(volunteer, year)
    return render(request, "volunteers/certificate.html", {"cert": cert, "today": timezone.localdate()})


# ---- teams ------------------------------------------------------------------------------------


def _team_columns() -> list[Column]:
    return [
        Column(_("队名"), lambda t: t.name, width=20),
        Column(_("所属地区"), lambda t: t.area.name, width=12),
        Column(_("队长"), lambda t: t.leader.name if t.leader_id else "", width=10),
        Column(_("在册队员"), lambda t: t.member_count, width=10),
    ]


@require_GET
def team_list(request: AuthedHttpRequest) -> HttpResponseBase:
    policy.require_staff(request.user)
    form = AreaFilterForm(request.GET or None, user=request.user)
    qs = selectors.teams(request.user, area=filters_of(form).get("area"))
    export = export_or_none(request, filename="志愿服务队", title=_("志愿服务队"), columns=_team_columns(), rows=qs)
    if export is not None:
        return export
    context = {"form": form, "page": _page(request, qs), "can_create": policy.serves(request.user)}
    return render(request, "volunteers/team_list.html", context)


@require_GET
def team_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    policy.require_staff(request.user)
    team = selectors.team_get(request.user, pk)
    members = selectors.volunteers(request.user, team=team, year=timezone.localdate().year)
    context = {"team": team, "members": list(members[:200]), "can_edit": policy.can_edit(request.user, team)}
    return render(request, "volunteers/team_detail.html", {**context, **_history(team)})


@require_http_methods(["GET", "POST"])
def team_create(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_staff(request.user)
    policy.require_any_write(request.user)
    form = TeamForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        "volunteers/form.html",
        {"title": _("成立志愿服务队"), "cancel": reverse("volunteers:team_list")},
        save=lambda d: services.create_team(actor=request.user, area=d["area"], name=d["name"], note=d["note"]),
        message=lambda t: _("已成立服务队“%(name)s”。") % {"name": t.name},
        then=lambda t: redirect("volunteers:team_detail", t.pk),
    )


@require_http_methods(["GET", "POST"])
def team_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    policy.require_staff(request.user)
    team = selectors.team_get(request.user, pk)
    policy.require_edit(request.user, team)
    form = TeamEditForm(request.POST or None, initial=model_to_dict(team, fields=VolunteerTeam.EDITABLE), team=team)
    return form_page(
        request,
        form,
        "volunteers/form.html",
        {"title": _("修改服务队"), "cancel": reverse("volunteers:team_detail", args=[team.pk])},
        save=lambda d: services.update_team(
            actor=request.user, team=team, name=d["name"], leader=d["leader"], note=d["note"]
        ),
        message=_("已保存。"),
        then=lambda _t: redirect("volunteers:team_detail", team.pk),
        on_error=team.refresh_from_db,
    )


# ---- ranking ----------------------------------------------------------------------------------


@require_GET
def ranking(request: AuthedHttpRequest) -> HttpResponseBase:
    policy.require_staff(request.user)
    form = RankingForm(request.GET or None, user=request.user)
    year = year_of(form)
    rows = selectors.ranking(request.user, year=year, area=filters_of(form).get("area"))
    columns = [
        Column(_("名次"), lambda r: r.rank, width=6),
        Column(_("姓名"), lambda r: r.name, width=10),
        Column(_("所属地区"), lambda r: r.area_name, width=12),
        Column(_("服务队"), lambda r: r.team_name, width=16),
        Column(_("%(year)s 年服务时长(小时)") % {"year": year}, lambda r: r.hours, width=14),
        Column(_("完成任务"), lambda r: r.tasks, width=8),
    ]
    export = export_or_none(
        request, filename="志愿服务时长排行", title=_("志愿服务时长排行"), columns=columns, rows=rows
    )
    if export is not None:
        return export
    html = render_rows("volunteers/_ranking_rows.jinja", rows_of.ranking_rows(rows))
    return render(request, "volunteers/ranking.html", {"form": form, "rows": html, "year": year})


# ---- the volunteer's own ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def my_tasks(request: AuthedHttpRequest) -> HttpResponse:
    """我的志愿任务: the signed-in volunteer's tasks, participations and hours, and their calendar
    feed (issued, re-issued or stopped here by a POST)."""
    volunteer = selectors.volunteer_of(request.user)
    if request.method == "POST":
        if volunteer is None:
            raise Http404
        if request.POST.get("action") == "revoke":
            return post_action(
                request,
                lambda: services.revoke_feed_token(actor=request.user, volunteer=volunteer),
                _("日历订阅地址已停用。"),
                reverse("volunteers:my_tasks"),
            )
        try:
            token = services.issue_feed_token(actor=request.user, volunteer=volunteer)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("volunteers:my_tasks")
        back = reverse("volunteers:my_tasks")
        return render(
            request,
            "volunteers/feed_issued.html",
            {"volunteer": volunteer, "url": _feed_url(request, token), "back": back},
        )
    context: dict[str, Any] = {"volunteer": volunteer}
    if volunteer is not None:
        year = timezone.localdate().year
        context |= {
            "rows": list(selectors.participations(request.user, volunteer=volunteer)[:100]),
            "hours": list(selectors.hours(request.user, volunteer=volunteer)[:100]),
            "year": year,
            "year_total": selectors.confirmed_total(volunteer, year),
            "S": ParticipationStatus,
        }
    return render(request, "volunteers/my_tasks.html", context)


@require_GET
def my_certificate(request: AuthedHttpRequest) -> HttpResponse:
    volunteer = selectors.volunteer_of(request.user)
    if volunteer is None:
        return render(request, "volunteers/my_tasks.html", {"volunteer": None})
    return _certificate(request, volunteer)


@require_GET
def calendar_feed(request: Any, token: str) -> HttpResponse:
    """The private .ics feed: the token is the key (no session); revoked or unknown, 404."""
    volunteer = selectors.feed_volunteer(token)
    if volunteer is None:
        raise Http404
    body = feed.calendar_of(volunteer, selectors.feed_participations(volunteer), host=request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


volunteer_pick = pick.search_view(
    selectors.pick_volunteers,
    volunteer_label,
    require=policy.require_staff,
    doc="The volunteer picker's result list: the active volunteers the user may put on tasks, by name.",
)


team_pick = pick.search_view(
    selectors.pick_teams,
    team_label,
    require=policy.require_staff,
    doc="The team picker's result list: the teams the user manages, by name.",
)
