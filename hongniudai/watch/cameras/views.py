"""Pages of the camera net (视频监控). Thin: selectors read, services write, forms carry the input.
Records are fetched within the user's VIEW scope (404 otherwise); writes need WATCH over the grid,
the keys and the alert kinds the town administrator (403 otherwise). The stream address is never in
a list or an export: the camera's page shows it masked, and a WATCH holder reveals it (audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hongniudai.accounts.http import AuthedHttpRequest
from hongniudai.accounts.pages import export_or_none, filters_of, form_page
from hongniudai.accounts.pages import history_context as _history
from hongniudai.common.forms import apply_service_errors
from hongniudai.common.pagination import page_of as _page
from hongniudai.common.rows import render_rows
from hongniudai.common.xlsx import Column

from . import alerts, policy, selectors, services
from . import rows as rows_of
from .forms import (
    AlertKindForm,
    AreaFilterForm,
    CameraFilterForm,
    CameraForm,
    DismissForm,
    PendingFilterForm,
    PlatformKeyForm,
)
from .models import AlertKindRule, Camera, CameraStatus, PendingStatus


def _nav(tab: str, request: AuthedHttpRequest) -> dict[str, Any]:
    return {"tab": tab, "keeps_towns": policy.keeps_towns(request.user), "watches": policy.watches(request.user)}


# ---- cameras ----------------------------------------------------------------------------------


def _camera_columns() -> list[Column]:
    # No stream address here: it is never exported.
    return [
        Column(_("编号"), lambda c: c.code, width=14),
        Column(_("名称"), lambda c: c.name, width=20),
        Column(_("村组"), lambda c: c.grid.name, width=12),
        Column(_("类型"), lambda c: c.get_kind_display(), width=10),
        Column(_("权属"), lambda c: c.get_owner_display(), width=10),
        Column(_("状态"), lambda c: c.get_status_display(), width=8),
        Column(_("纬度"), lambda c: c.lat, width=12),
        Column(_("经度"), lambda c: c.lng, width=12),
        Column(_("最近在线"), lambda c: c.last_seen_at, width=18),
    ]


@require_GET
def camera_list(request: AuthedHttpRequest) -> HttpResponseBase:
    policy.require_view(request.user)
    form = CameraFilterForm(request.GET or None, user=request.user)
    filters = filters_of(form)
    qs = selectors.cameras(
        request.user,
        area=filters.get("area"),
        status=filters.get("status", ""),
        kind=filters.get("kind", ""),
        q=filters.get("q", ""),
    )
    export = export_or_none(request, filename="摄像机", title=_("摄像机"), columns=_camera_columns(), rows=qs)
    if export is not None:
        return export
    page = _page(request, qs.values(*rows_of.CAMERA_ROW_FIELDS))
    rows = render_rows("watch/cameras/_camera_rows.jinja", rows_of.camera_rows(page.object_list))
    context = {"form": form, "page": page, "rows": rows, **_nav("cameras", request)}
    return render(request, "watch/cameras/camera_list.html", context)


def _detail(request: AuthedHttpRequest, camera: Camera, stream: str = "") -> HttpResponse:
    can_watch = policy.can_watch(request.user, camera)
    context = {
        "camera": camera,
        "can_edit": can_watch,
        "masked_stream": services.mask_stream(camera.stream_url) if can_watch else "",
        "stream": stream,
        "point": {"lat": float(camera.lat), "lng": float(camera.lng), "name": camera.name},
        "alerts": list(selectors.alerts(request.user, camera=camera)[:10]),
        **_nav("cameras", request),
        **_history(camera),
    }
    response = render(request, "watch/cameras/camera_detail.html", context)
    if stream:
        response["Cache-Control"] = "no-store"
    return response


@require_GET
def camera_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.camera_get(request.user, pk))


@require_POST
def camera_reveal(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    camera = selectors.camera_get(request.user, pk)
    return _detail(request, camera, services.reveal_stream(actor=request.user, camera=camera))


@require_http_methods(["GET", "POST"])
def camera_create(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_watch(request.user)
    form = CameraForm(request.POST or None, user=request.user, initial={"status": CameraStatus.WORKING})
    return form_page(
        request,
        form,
        "watch/cameras/camera_form.html",
        {"camera": None, "title": _("登记摄像机"), **_nav("cameras", request)},
        save=lambda d: services.register_camera(actor=request.user, **form.values()),
        message=lambda c: _("已登记摄像机 %(name)s。") % {"name": c.name},
        then=lambda c: redirect("cameras:camera_detail", c.pk),
    )


@require_http_methods(["GET", "POST"])
def camera_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    camera = selectors.camera_get(request.user, pk)
    if not policy.can_watch(request.user, camera):
        raise PermissionDenied(_("您没有在该范围内进行此操作的权限。"))
    initial = {name: getattr(camera, name) for name in Camera.EDITABLE if name != "stream_url"}
    form = CameraForm(request.POST or None, user=request.user, initial={**initial, "grid": camera.grid_id})
    return form_page(
        request,
        form,
        "watch/cameras/camera_form.html",
        {"camera": camera, "title": _("修改摄像机"), **_nav("cameras", request)},
        save=lambda d: services.update_camera(actor=request.user, camera=camera, **form.values()),
        message=_("已保存。"),
        then=lambda c: redirect("cameras:camera_detail", c.pk),
        on_error=camera.refresh_from_db,
    )


# ---- coverage ---------------------------------------------------------------------------------


def _coverage_columns() -> list[Column]:
    return [
        Column(_("村组"), lambda g: g.name, width=14),
        Column(_("摄像机"), lambda g: g.camera_count, width=10),
        Column(_("正常运行"), lambda g: g.working_count, width=10),
    ]


@require_GET
def coverage(request: AuthedHttpRequest) -> HttpResponseBase:
    policy.require_view(request.user)
    form = AreaFilterForm(request.GET or None, user=request.user)
    area = filters_of(form).get("area")
    without = request.GET.get("without") == "1"
    qs = selectors.coverage(request.user, area=area, without_only=without)
    export = export_or_none(request, filename="摄像机覆盖", title=_("摄像机覆盖"), columns=_coverage_columns(), rows=qs)
    if export is not None:
        return export
    totals = selectors.coverage_totals(request.user, area=area)
    total = totals.grids_without if without else totals.grids
    page = _page(request, qs.values(*rows_of.COVERAGE_ROW_FIELDS), total=total)
    context = {
        "form": form,
        "page": page,
        "rows": render_rows("watch/cameras/_coverage_rows.jinja", rows_of.coverage_rows(page.object_list)),
        "totals": totals,
        "without": without,
        **_nav("coverage", request),
    }
    return render(request, "watch/cameras/coverage.html", context)


# ---- alerts -----------------------------------------------------------------------------------


def _alert_columns() -> list[Column]:
    return [
        Column(_("报警编号"), lambda a: a.alert_id, width=20),
        Column(_("摄像机"), lambda a: f"{a.camera.name}({a.camera.code})", width=24),
        Column(_("报警类型"), lambda a: a.rule.label, width=12),
        Column(_("报警时间"), lambda a: a.occurred_at, width=18),
        Column(_("收到时间"), lambda a: a.received_at, width=18),
        Column(_("事项编号"), lambda a: a.matter.number if a.matter else "", width=14),
        Column(_("待确认"), lambda a: a.pending_id or "", width=8),
        Column(_("并入已有"), lambda a: _("是") if a.merged else _("否"), width=8),
    ]


@require_GET
def alert_list(request: AuthedHttpRequest) -> HttpResponseBase:
    policy.require_view(request.user)
    form = AreaFilterForm(request.GET or None, user=request.user)
    qs = selectors.alerts(request.user, area=filters_of(form).get("area"))
    export = export_or_none(request, filename="报警记录", title=_("报警记录"), columns=_alert_columns(), rows=qs)
    if export is not None:
        return export
    return render(
        request, "watch/cameras/alert_list.html", {"form": form, "page": _page(request, qs), **_nav("alerts", request)}
    )


def _pending_columns() -> list[Column]:
    return [
        Column(_("摄像机"), lambda p: f"{p.camera.name}({p.camera.code})", width=24),
        Column(_("村组"), lambda p: p.camera.grid.name, width=12),
        Column(_("报警类型"), lambda p: p.rule.label, width=12),
        Column(_("报警时间"), lambda p: p.occurred_at, width=18),
        Column(_("报警次数"), lambda p: p.alert_count, width=8),
        Column(_("状态"), lambda p: p.get_status_display(), width=8),
        Column(_("排除理由"), lambda p: p.dismiss_reason, width=20),
    ]


@require_GET
def pending_list(request: AuthedHttpRequest) -> HttpResponseBase:
    policy.require_view(request.user)
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = PendingStatus.WAITING
    form = PendingFilterForm(data, user=request.user)
    filters = filters_of(form)
    qs = selectors.pending_alerts(request.user, status=filters.get("status", ""), area=filters.get("area"))
    export = export_or_none(request, filename="待确认报警", title=_("待确认报警"), columns=_pending_columns(), rows=qs)
    if export is not None:
        return export
    page = _page(request, qs.values(*rows_of.PENDING_ROW_FIELDS))
    rows = render_rows("watch/cameras/_pending_rows.jinja", rows_of.pending_rows(page.object_list))
    context = {"form": form, "page": page, "rows": rows, **_nav("pending", request)}
    return render(request, "watch/cameras/pending_list.html", context)


@require_GET
def pending_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    pending = selectors.pending_get(request.user, pk)
    context = {
        "pending": pending,
        "can_decide": pending.status == PendingStatus.WAITING and policy.can_watch(request.user, pending),
        "dismiss_form": DismissForm(),
        **_nav("pending", request),
    }
    return render(request, "watch/cameras/pending_detail.html", context)


@require_GET
def pending_snapshot(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    pending = selectors.pending_get(request.user, pk)
    if not pending.snapshot:
        raise Http404
    response = FileResponse(pending.snapshot.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def pending_confirm(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    pending = selectors.pending_get(request.user, pk)
    try:
        matter = alerts.confirm_pending(actor=request.user, pending=pending)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cameras:pending_detail", pending.pk)
    messages.success(request, _("已确认,立为事项 %(n)s。") % {"n": matter.number})
    return redirect("cameras:pending_list")


@require_POST
def pending_dismiss(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    pending = selectors.pending_get(request.user, pk)
    form = DismissForm(request.POST)
    if form.is_valid():
        try:
            alerts.dismiss_pending(actor=request.user, pending=pending, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已排除该报警。"))
            return redirect("cameras:pending_list")
    context = {"pending": pending, "can_decide": True, "dismiss_form": form, **_nav("pending", request)}
    return render(request, "watch/cameras/pending_detail.html", context, status=400)


# ---- the town's alert kinds and platform keys -------------------------------------------------


@require_GET
def kind_list(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_any_town_keeper(request.user)
    context = {"kinds": list(selectors.alert_kinds(request.user)), **_nav("kinds", request)}
    return render(request, "watch/cameras/kind_list.html", context)


def _kind_values(d: dict[str, Any]) -> dict[str, Any]:
    return {name: d[name] for name in ("label", "category", "confirm_first", "is_active")} | {
        "attributes": d.get("attributes") or {}
    }


@require_http_methods(["GET", "POST"])
def kind_create(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_any_town_keeper(request.user)
    form = AlertKindForm(request.POST or None, user=request.user)

    def save(d: dict[str, Any]) -> AlertKindRule:
        if AlertKindRule.objects.filter(town=d["town"], code=d["code"]).exists():
            raise ValidationError({"code": _("本镇已有该代码的报警类型。")})
        return services.save_alert_kind(actor=request.user, town=d["town"], code=d["code"], **_kind_values(d))

    return form_page(
        request,
        form,
        "watch/cameras/kind_form.html",
        {"title": _("新增报警类型"), **_nav("kinds", request)},
        save=save,
        message=_("已保存。"),
        then=lambda _r: redirect("cameras:kind_list"),
    )


@require_http_methods(["GET", "POST"])
def kind_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    rule = selectors.alert_kind_get(request.user, pk)
    initial = {
        "town": rule.town_id,
        "code": rule.code,
        "label": rule.label,
        "category": rule.category_id,
        "confirm_first": rule.confirm_first,
        "attributes": rule.attributes,
        "is_active": rule.is_active,
    }
    form = AlertKindForm(request.POST or None, user=request.user, fixed=True, initial=initial)
    return form_page(
        request,
        form,
        "watch/cameras/kind_form.html",
        {"title": _("修改报警类型"), **_nav("kinds", request)},
        save=lambda d: services.save_alert_kind(actor=request.user, town=rule.town, code=rule.code, **_kind_values(d)),
        message=_("已保存。"),
        then=lambda _r: redirect("cameras:kind_list"),
    )


@require_http_methods(["GET", "POST"])
def key_list(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_any_town_keeper(request.user)
    form = PlatformKeyForm(request.POST or None, user=request.user)
    new_key = ""
    if request.method == "POST" and form.is_valid():
        try:
            new_key, _record = services.issue_platform_key(
                actor=request.user, town=form.cleaned_data["town"], name=form.cleaned_data["name"]
            )
            form = PlatformKeyForm(user=request.user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    context = {"form": form, "keys": list(selectors.platform_keys(request.user)), "new_key": new_key}
    response = render(request, "watch/cameras/key_list.html", {**context, **_nav("keys", request)})
    if new_key:
        response["Cache-Control"] = "no-store"
    return response


@require_POST
def key_revoke(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    key = selectors.platform_key_get(request.user, pk)
    try:
        services.revoke_platform_key(actor=request.user, key=key)
        messages.success(request, _("密钥“%(n)s”已停用,使用它的平台将无法再上报。") % {"n": key.name})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("cameras:key_list")
