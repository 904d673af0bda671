"""Pages of night patrols and seasonal campaigns. Thin: selectors read, services write, forms carry
the input; every record is fetched within the user's VIEW scope (404 otherwise) and every write
needs WATCH over its area (403 otherwise). The shift page and the grid worker's daily report are
phone work at 375 px: one big button each for 开始巡逻 / 结束巡逻 and for 今日无情况."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hongniudai.accounts.http import AuthedHttpRequest
from hongniudai.accounts.pages import export_or_none, filters_of, form_page, save_form
from hongniudai.accounts.pages import history_context as _history
from hongniudai.common.pagination import page_of as _page
from hongniudai.common.xlsx import Column

from . import policy, selectors, services
from . import rows as rows_of
from .forms import (
    CampaignFilterForm,
    CampaignForm,
    CheckInForm,
    DutyForm,
    IncidentForm,
    LogFilterForm,
    LogForm,
    MeasuresForm,
    MemberForm,
    PointForm,
    ReportFilterForm,
    ReportForm,
    RotaForm,
    ShiftFilterForm,
    TeamFilterForm,
    TeamForm,
    yes_no,
)
from .models import ShiftStatus


def _require_edit(request: AuthedHttpRequest, obj: Any) -> None:
    if not policy.can_edit(request.user, obj):
        raise PermissionDenied(_("您没有在该范围内进行此操作的权限。"))


def _yes(value: bool) -> str:
    return _("是") if value else _("否")


def _local(moment: dt.datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


# ---- teams ------------------------------------------------------------------------------------


def _team_columns() -> list[Column]:
    return [
        Column(_("队名"), lambda t: t.name, width=20),
        Column(_("巡逻区域"), lambda t: t.area.name, width=12),
        Column(_("在队人数"), lambda t: t.member_count, width=10),
        Column(_("在用"), lambda t: _yes(t.is_active), width=6),
    ]


@require_GET
def team_list(request: AuthedHttpRequest) -> HttpResponseBase:
    policy.require_any_view(request.user)
    form = TeamFilterForm(request.GET or None, user=request.user)
    filters = filters_of(form)
    qs = selectors.teams(request.user, q=filters.get("q", ""), area=filters.get("area"))
    export = export_or_none(request, filename="巡逻队", title=_("巡逻队"), columns=_team_columns(), rows=qs)
    if export is not None:
        return export
    context = {"form": form, **rows_of.listed(request, qs, "teams"), "can_create": policy.writes_watch(request.user)}
    return render(request, "watch/patrols/team_list.html", context)


@require_http_methods(["GET", "POST"])
def team_create(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_any_write(request.user)
    form = TeamForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        "watch/patrols/form.html",
        {"title": _("成立巡逻队")},
        save=lambda d: services.team_set_up(actor=request.user, area=d["area"], name=d["name"], note=d["note"]),
        message=lambda t: _("已成立巡逻队 %(name)s。") % {"name": t.name},
        then=lambda t: redirect("patrols:team_detail", t.pk),
    )


@require_http_methods(["GET", "POST"])
def team_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    team = selectors.team_get(request.user, pk)
    _require_edit(request, team)
    initial = {"name": team.name, "note": team.note, "is_active": team.is_active}
    form = TeamForm(request.POST or None, initial=initial, user=request.user, team=team)
    return form_page(
        request,
        form,
        "watch/patrols/form.html",
        {"title": _("修改巡逻队")},
        save=lambda d: services.team_update(
            actor=request.user, team=team, name=d["name"], is_active=d["is_active"], note=d["note"]
        ),
        message=_("已保存。"),
        then=lambda t: redirect("patrols:team_detail", t.pk),
        on_error=team.refresh_from_db,
    )


@require_GET
def team_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    team = selectors.team_get(request.user, pk)
    today = timezone.localdate()
    context = {
        "team": team,
        "members": list(selectors.members(request.user, team=team)),
        "shifts": list(selectors.shifts(request.user, team=team, month=today)),
        "can_edit": policy.can_edit(request.user, team),
        **_history(team),
    }
    return render(request, "watch/patrols/team_detail.html", context)


@require_http_methods(["GET", "POST"])
def member_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    team = selectors.team_get(request.user, pk)
    _require_edit(request, team)
    form = MemberForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        "watch/patrols/form.html",
        {"title": _("增加巡逻队员 · %(t)s") % {"t": team.name}},
        save=lambda d: services.member_add(
            actor=request.user,
            team=team,
            kind=d["kind"],
            party_member=d["party_member"],
            volunteer=d["volunteer"],
            resident=d["resident"],
            name=d["name"],
            joined_on=d["joined_on"],
        ),
        message=lambda m: _("已增加队员 %(name)s。") % {"name": m.name},
        then=lambda _m: redirect("patrols:team_detail", team.pk),
    )


@require_POST
def member_leave(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get(request.user, pk)
    _require_edit(request, member)
    services.member_leave(actor=request.user, member=member)
    messages.success(request, _("%(name)s 已离队。") % {"name": member.name})
    return redirect("patrols:team_detail", member.team_id)


@require_http_methods(["GET", "POST"])
def rota_generate(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    team = selectors.team_get(request.user, pk)
    _require_edit(request, team)
    initial = {"month": timezone.localdate().replace(day=1)}
    form = RotaForm(request.POST or None, initial=initial, user=request.user, team=team)
    return form_page(
        request,
        form,
        "watch/patrols/form.html",
        {"title": _("生成排班 · %(t)s") % {"t": team.name}},
        save=lambda d: services.rota_generate(
            actor=request.user,
            team=team,
            month=d["month"],
            start=d["start"],
            hours=d["hours"],
            route=d["route"],
            weekdays=d["weekdays"],
        ),
        message=lambda added: _("已排班 %(n)d 个夜班(已有的不重复排)。") % {"n": len(added)},
        then=lambda _a: redirect(
            f"{reverse('patrols:shift_list')}?team={team.pk}&month={form.cleaned_data['month']:%Y-%m}"
        ),
    )


# ---- the rota and the shift page --------------------------------------------------------------


def _shift_columns() -> list[Column]:
    return [
        Column(_("日期"), lambda s: s.date, width=12),
        Column(_("巡逻队"), lambda s: s.team.name, width=20),
        Column(_("计划开始"), lambda s: _local(s.starts_at), width=18),
        Column(_("计划结束"), lambda s: _local(s.ends_at), width=18),
        Column(_("路线"), lambda s: "、".join(g.name for g in s.route.all()), width=30),
        Column(_("状态"), lambda s: s.get_status_display(), width=8),
    ]


@require_GET
def shift_list(request: AuthedHttpRequest) -> HttpResponseBase:
    """The rota: a month of shifts as a list (this month unless chosen)."""
    policy.require_any_view(request.user)
    form = ShiftFilterForm(request.GET or None, user=request.user)
    filters = filters_of(form)
    month = filters.get("month") or timezone.localdate()
    qs = selectors.shifts(
        request.user,
        team=filters.get("team"),
        area=filters.get("area"),
        month=month,
        status=filters.get("status", ""),
    )
    export = export_or_none(request, filename="巡逻排班", title=_("巡逻排班"), columns=_shift_columns(), rows=qs)
    if export is not None:
        return export
    context = {"form": form, **rows_of.listed(request, qs, "shifts", per_page=62), "month": month}
    return render(request, "watch/patrols/shift_list.html", context)


def _shift_context(request: AuthedHttpRequest, shift: Any, **forms: Any) -> dict[str, Any]:
    log = selectors.log_of(shift)
    can_edit = policy.can_edit(request.user, shift)
    started = shift.status in (ShiftStatus.ON_PATROL, ShiftStatus.KEPT)
    initial = (
        {"weather": log.weather, "route_notes": log.route_notes, "present": list(log.present.all())} if log else {}
    )
    return {
        "shift": shift,
        "log": log,
        "route": list(shift.route.all()),
        "incidents": list(selectors.incidents(request.user, shift=shift)),
        "can_edit": can_edit,
        "started": started,
        "log_form": forms.get("log_form") or LogForm(initial=initial, user=request.user, shift=shift),
        "incident_form": forms.get("incident_form") or IncidentForm(user=request.user, shift=shift),
        **_history(shift),
    }


@require_GET
def shift_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    shift = selectors.shift_get(request.user, pk)
    return render(request, "watch/patrols/shift_detail.html", _shift_context(request, shift))


def _check_in(request: AuthedHttpRequest, pk: int, service: Any, done: str) -> HttpResponse:
    shift = selectors.shift_get(request.user, pk)
    _require_edit(request, shift)
    form = CheckInForm(request.POST)
    position = form.cleaned_data if form.is_valid() else {}
    try:
        service(actor=request.user, shift=shift, lat=position.get("lat"), lng=position.get("lng"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("patrols:shift_detail", shift.pk)


@require_POST
def shift_start(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _check_in(request, pk, services.shift_start, _("已开始巡逻,注意安全。"))


@require_POST
def shift_end(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _check_in(request, pk, services.shift_end, _("已结束巡逻。"))


@require_POST
def shift_log(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    shift = selectors.shift_get(request.user, pk)
    _require_edit(request, shift)
    form = LogForm(request.POST, user=request.user, shift=shift)
    done = save_form(
        request,
        form,
        lambda d: services.log_update(
            actor=request.user, shift=shift, present=d["present"], weather=d["weather"], route_notes=d["route_notes"]
        ),
        message=_("巡逻日志已保存。"),
        then=lambda _log: redirect("patrols:shift_detail", shift.pk),
    )
    if done is not None:
        return done
    return render(request, "watch/patrols/shift_detail.html", _shift_context(request, shift, log_form=form))


@require_POST
def shift_incident(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    shift = selectors.shift_get(request.user, pk)
    _require_edit(request, shift)
    form = IncidentForm(request.POST, user=request.user, shift=shift)
    done = save_form(
        request,
        form,
        lambda d: services.incident_raise(
            actor=request.user,
            shift=shift,
            place=d["place"],
            category=d["category"],
            title=d["title"],
            description=d["description"],
        ),
        message=lambda i: _("已上报为事项 %(n)s。") % {"n": i.matter.number},
        then=lambda _i: redirect("patrols:shift_detail", shift.pk),
    )
    if done is not None:
        return done
    return render(request, "watch/patrols/shift_detail.html", _shift_context(request, shift, incident_form=form))


# ---- logs and measures ------------------------------------------------------------------------


def _log_columns() -> list[Column]:
    return [
        Column(_("日期"), lambda g: g.shift.date, width=12),
        Column(_("巡逻队"), lambda g: g.shift.team.name, width=20),
        Column(_("开始巡逻"), lambda g: _local(g.started_at), width=18),
        Column(_("结束巡逻"), lambda g: _local(g.ended_at), width=18),
        Column(_("天气"), lambda g: g.get_weather_display(), width=8),
        Column(_("到岗人数"), lambda g: g.present_count, width=8),
        Column(_("巡逻发现"), lambda g: g.incident_count, width=8),
        Column(_("巡逻记录"), lambda g: g.route_notes, width=40),
    ]


@require_GET
def log_list(request: AuthedHttpRequest) -> HttpResponseBase:
    policy.require_any_view(request.user)
    form = LogFilterForm(request.GET or None, user=request.user)
    filters = filters_of(form)
    qs = selectors.logs(
        request.user,
        area=filters.get("area"),
        start=filters.get("start"),
        end=filters.get("end"),
        with_incidents=yes_no(filters.get("with_incidents")),
    )
    export = export_or_none(request, filename="巡逻日志", title=_("巡逻日志"), columns=_log_columns(), rows=qs)
    if export is not None:
        return export
    return render(request, "watch/patrols/log_list.html", {"form": form, **rows_of.listed(request, qs, "logs")})


@require_GET
def measures(request: AuthedHttpRequest) -> HttpResponseBase:
    policy.require_any_view(request.user)
    form = MeasuresForm(request.GET or None)
    month = filters_of(form).get("month") or timezone.localdate()
    qs = selectors.team_measures(request.user, month=month)
    columns = [
        Column(_("巡逻队"), lambda t: t.name, width=20),
        Column(_("排班"), lambda t: t.planned, width=8),
        Column(_("已完成"), lambda t: t.kept, width=8),
        Column(_("缺勤"), lambda t: t.missed, width=8),
        Column(_("上报事项"), lambda t: t.incidents, width=8),
    ]
    export = export_or_none(request, filename="巡逻统计", title=_("巡逻统计"), columns=columns, rows=qs)
    if export is not None:
        return export
    context = {"form": form, "page": _page(request, qs), "month": month}
    return render(request, "watch/patrols/measures.html", context)


# ---- campaigns --------------------------------------------------------------------------------


def _campaign_columns() -> list[Column]:
    return [
        Column(_("名称"), lambda c: c.name, width=24),
        Column(_("类型"), lambda c: c.get_kind_display(), width=10),
        Column(_("组织单位"), lambda c: c.area.name, width=12),
        Column(_("开始日期"), lambda c: c.starts_on, width=12),
        Column(_("结束日期"), lambda c: c.ends_on, width=12),
        Column(_("每日上报截止"), lambda c: f"{c.deadline_hour}:00", width=10),
        Column(_("覆盖网格数"), lambda c: c.grid_count, width=10),
    ]


@require_GET
def campaign_list(request: AuthedHttpRequest) -> HttpResponseBase:
    policy.require_any_view(request.user)
    form = CampaignFilterForm(request.GET or None)
    filters = filters_of(form)
    qs = selectors.campaigns(request.user, kind=filters.get("kind", ""), q=filters.get("q", ""))
    export = export_or_none(request, filename="专项巡查", title=_("专项巡查"), columns=_campaign_columns(), rows=qs)
    if export is not None:
        return export
    listed = rows_of.listed(request, qs, "campaigns")
    context = {"form": form, **listed, "can_create": policy.writes_watch(request.user)}
    return render(request, "watch/patrols/campaign_list.html", context)


@require_http_methods(["GET", "POST"])
def campaign_create(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_any_write(request.user)
    form = CampaignForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        "watch/patrols/form.html",
        {"title": _("部署专项巡查")},
        save=lambda d: services.campaign_set_up(
            actor=request.user,
            area=d["area"],
            areas=d["villages"],
            kind=d["kind"],
            name=d["name"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            deadline_hour=d["deadline_hour"],
            note=d["note"],
        ),
        message=lambda c: _("已部署专项巡查 %(name)s。") % {"name": c.name},
        then=lambda c: redirect("patrols:campaign_detail", c.pk),
    )


@require_GET
def campaign_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(request.user, pk)
    points = list(selectors.points(request.user, campaign=campaign))
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(p.lng), float(p.lat)]},
            "properties": {"name": f"{p.name}({p.get_kind_display()})"},
        }
        for p in points
    ]
    context = {
        "campaign": campaign,
        "grids": list(selectors.campaign_grids(request.user, campaign)),
        "duties": list(selectors.duties(request.user, campaign=campaign)),
        "points": points,
        "features": json.dumps(features, ensure_ascii=False),
        "can_edit": policy.can_edit(request.user, campaign),
        "can_report": bool(selectors.grids_to_report(request.user, campaign)),
        **_history(campaign),
    }
    return render(request, "watch/patrols/campaign_detail.html", context)


def _grid_form_page(request: AuthedHttpRequest, pk: int, form_class: Any, title: str, save: Any) -> HttpResponse:
    campaign = selectors.campaign_get(request.user, pk)
    if not selectors.grids_to_report(request.user, campaign):
        raise PermissionDenied(_("您没有在该范围内进行此操作的权限。"))
    form = form_class(request.POST or None, user=request.user, campaign=campaign)
    return form_page(
        request,
        form,
        "watch/patrols/form.html",
        {"title": f"{title} · {campaign.name}"},
        save=lambda d: save(campaign, d),
        message=_("已保存。"),
        then=lambda _r: redirect("patrols:campaign_detail", campaign.pk),
    )


@require_http_methods(["GET", "POST"])
def duty_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _grid_form_page(
        request,
        pk,
        DutyForm,
        _("安排值班"),
        lambda c, d: services.duty_assign(
            actor=request.user, campaign=c, date=d["date"], grid=d["grid"], person_name=d["person_name"]
        ),
    )


@require_http_methods(["GET", "POST"])
def point_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _grid_form_page(
        request,
        pk,
        PointForm,
        _("登记重点点位"),
        lambda c, d: services.point_add(
            actor=request.user,
            campaign=c,
            grid=d["grid"],
            kind=d["kind"],
            name=d["name"],
            lat=d["lat"],
            lng=d["lng"],
            note=d["note"],
        ),
    )


@require_GET
def campaign_board(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(request.user, pk)  # by village, or one village's grids (?village=)
    context = rows_of.board_context(request.user, campaign, village=request.GET.get("village"))
    return render(request, "watch/patrols/campaign_board.html", context)


@require_http_methods(["GET", "POST"])
def campaign_today(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The grid worker's daily report (今日上报): one tap for 今日无情况, or the findings form."""
    campaign = selectors.campaign_get(request.user, pk)
    grids = selectors.grids_to_report(request.user, campaign)
    if not grids:
        raise PermissionDenied(_("您不负责本次专项巡查覆盖的网格。"))
    today = timezone.localdate()
    done = {r.grid_id: r for r in selectors.reports(request.user, campaign=campaign, start=today, end=today)}
    form = ReportForm(request.POST or None, user=request.user, campaign=campaign, grids=grids)
    nothing = request.method == "POST" and "nothing_found" in request.POST

    def save(d: dict[str, Any]) -> Any:
        attributes = {"burning_now": "yes" if d.get("burning_now") else "no"} if "burning_now" in d else None
        return services.report_make(
            actor=request.user,
            campaign=campaign,
            grid=d["grid"],
            nothing_found=nothing,
            checked="" if nothing else d["checked"],
            findings="" if nothing else d["findings"],
            points_checked=d["points_checked"],
            attributes=attributes if d.get("findings") and not nothing else None,
        )

    response = save_form(
        request,
        form,
        save,
        message=lambda r: _("%(g)s 已上报“今日无情况”。") % {"g": r.grid.name}
        if r.nothing_found
        else _("%(g)s 今日情况已上报。") % {"g": r.grid.name},
        then=lambda _r: redirect("patrols:campaign_today", campaign.pk),
    )
    if response is not None:
        return response
    rows = [(g, done.get(g.pk)) for g in grids]
    context = {
        "campaign": campaign,
        "form": form,
        "rows": rows,
        "today": today,
        "in_window": campaign.starts_on <= today <= campaign.ends_on,
        "deadline": f"{campaign.deadline_hour}:00",
        "single_grid": grids[0] if len(grids) == 1 else None,
    }
    return render(request, "watch/patrols/campaign_today.html", context)


def _report_columns() -> list[Column]:
    return [
        Column(_("日期"), lambda r: r.date, width=12),
        Column(_("专项巡查"), lambda r: r.campaign.name, width=24),
        Column(_("网格"), lambda r: r.grid.name, width=10),
        Column(_("上报时间"), lambda r: _local(r.reported_at), width=18),
        Column(_("按时上报"), lambda r: _yes(r.on_time), width=8),
        Column(_("今日无情况"), lambda r: _yes(r.nothing_found), width=10),
        Column(_("巡查情况"), lambda r: r.checked, width=30),
        Column(_("发现问题"), lambda r: r.findings, width=30),
        Column(_("上报事项数"), lambda r: r.matter_count, width=10),
        Column(_("上报人"), lambda r: str(r.reported_by or ""), width=12),
    ]


@require_GET
def report_list(request: AuthedHttpRequest) -> HttpResponseBase:
    policy.require_any_view(request.user)
    form = ReportFilterForm(request.GET or None, user=request.user)
    filters = filters_of(form)
    qs = selectors.reports(
        request.user,
        campaign=filters.get("campaign"),
        area=filters.get("area"),
        start=filters.get("start"),
        end=filters.get("end"),
        nothing_found=yes_no(filters.get("nothing_found")),
        on_time=yes_no(filters.get("on_time")),
    )
    export = export_or_none(
        request, filename="专项巡查上报", title=_("专项巡查上报"), columns=_report_columns(), rows=qs
    )
    if export is not None:
        return export
    return render(request, "watch/patrols/report_list.html", {"form": form, **rows_of.listed(request, qs, "reports")})
