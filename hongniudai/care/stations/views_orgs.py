"""Pages of the mass organisations (群团组织) and their activities: the same rules as `views`
(VIEW scope to read, SERVICES over the record to write)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
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

from . import orgs, policy, selectors
from . import rows as rows_of
from .forms import ActivityFilterForm, ActivityForm, OrgFilterForm, OrgForm, PhotosForm, org_label
from .models import MassActivity
from .views import FORM, require_edit

# ---- mass organisations -----------------------------------------------------------------------


def _org_columns() -> list[Column]:
    return [
        Column(_("名称"), lambda o: o.name, width=22),
        Column(_("类别"), lambda o: o.get_kind_display(), width=8),
        Column(_("所在镇(村)"), lambda o: o.area.name, width=12),
        Column(_("负责人"), lambda o: o.leader, width=10),
        Column(_("活动次数"), lambda o: o.activity_count, width=8),
    ]


@require_GET
def org_list(request: AuthedHttpRequest) -> HttpResponseBase:
    policy.require_any_view(request.user)
    form = OrgFilterForm(request.GET or None, user=request.user)
    f = filters_of(form)
    qs = selectors.orgs(request.user, kind=f.get("kind", ""), area=f.get("village"), q=f.get("q", ""))
    export = export_or_none(request, filename="群团组织", title=_("群团组织"), columns=_org_columns(), rows=qs)
    if export is not None:
        return export
    page = _page(request, qs.values(*rows_of.ORG_ROW_FIELDS))
    rows = render_rows("care/stations/_org_rows.jinja", rows_of.org_rows(page.object_list))
    context = {"form": form, "page": page, "rows": rows, "can_create": policy.records_services(request.user)}
    return render(request, "care/stations/org_list.html", context)


@require_GET
def org_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    org = selectors.org_get(request.user, pk)
    context = {
        "org": org,
        "recent": list(selectors.activities(request.user, org=org)[:20]),
        "can_edit": policy.can_edit(request.user, org),
        **_history(org),
    }
    return render(request, "care/stations/org_detail.html", context)


@require_http_methods(["GET", "POST"])
def org_create(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_any_write(request.user)
    form = OrgForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        FORM,
        {"title": _("登记群团组织"), "cancel": reverse("stations:org_list")},
        save=lambda d: orgs.org_create(actor=request.user, **d),
        message=lambda o: _("已登记“%(name)s”。") % {"name": o.name},
        then=lambda o: redirect("stations:org_detail", o.pk),
    )


@require_http_methods(["GET", "POST"])
def org_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    org = selectors.org_get(request.user, pk)
    require_edit(request, org)
    initial = {"name": org.name, "leader": org.leader, "note": org.note}
    form = OrgForm(request.POST or None, initial=initial, user=request.user, org=org)
    return form_page(
        request,
        form,
        FORM,
        {"title": _("修改群团组织"), "cancel": org.get_absolute_url()},
        save=lambda d: orgs.org_update(actor=request.user, org=org, **d),
        message=_("已保存。"),
        then=lambda _o: redirect("stations:org_detail", org.pk),
        on_error=org.refresh_from_db,
    )


def _activity_columns() -> list[Column]:
    return [
        Column(_("活动日期"), lambda a: a.held_on, width=12),
        Column(_("活动名称"), lambda a: a.title, width=24),
        Column(_("群团组织"), lambda a: a.org.name, width=18),
        Column(_("类别"), lambda a: a.org.get_kind_display(), width=8),
        Column(_("村(社区)"), lambda a: a.village.name if a.village else _("镇级"), width=12),
        Column(_("地点"), lambda a: a.place, width=18),
        Column(_("服务站"), lambda a: a.station.name if a.station else "", width=18),
        Column(_("参加人数"), lambda a: a.participant_count, width=8),
        Column(_("照片"), lambda a: a.photo_count, width=6),
    ]


@require_GET
def activity_list(request: AuthedHttpRequest) -> HttpResponseBase:
    policy.require_any_view(request.user)
    form = ActivityFilterForm(request.GET or None, user=request.user)
    f = filters_of(form)
    qs = selectors.activities(
        request.user,
        kind=f.get("kind", ""),
        village=f.get("village"),
        held_from=f.get("held_from"),
        held_to=f.get("held_to"),
        q=f.get("q", ""),
    )
    export = export_or_none(request, filename="群团活动", title=_("群团活动"), columns=_activity_columns(), rows=qs)
    if export is not None:
        return export
    page = _page(request, qs.values(*rows_of.ACTIVITY_ROW_FIELDS))
    rows = render_rows("care/stations/_activity_rows.jinja", rows_of.activity_rows(page.object_list))
    context = {"form": form, "page": page, "rows": rows, "can_create": policy.records_services(request.user)}
    return render(request, "care/stations/activity_list.html", context)


@require_GET
def activity_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(request.user, pk)
    context = {
        "a": activity,
        "participants": selectors.activity_participants(activity),
        "photos": selectors.activity_photos(activity),
        "can_edit": policy.can_edit(request.user, activity),
        **_history(activity),
    }
    return render(request, "care/stations/activity_detail.html", context)


def _activity_values(d: dict[str, Any]) -> dict[str, Any]:
    return {name: d[name] for name in (*MassActivity.EDITABLE, "participants")}


@require_http_methods(["GET", "POST"])
def activity_create(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_any_write(request.user)
    participant_q = request.GET.get("participant_q", "").strip()[:50]
    initial: dict[str, Any] = {"held_on": timezone.localdate(), "participant_count": 0}
    if org := request.GET.get("org"):
        initial["org"] = org
    form = ActivityForm(
        request.POST or None, request.FILES or None, initial=initial, user=request.user, participant_q=participant_q
    )

    def save(d: dict[str, Any]) -> MassActivity:
        with transaction.atomic():
            activity = orgs.activity_record(actor=request.user, org=d["org"], **_activity_values(d))
            for upload in d.get("photos") or []:
                orgs.activity_add_photo(actor=request.user, activity=activity, upload=upload)
        return activity

    return form_page(
        request,
        form,
        "care/stations/activity_form.html",
        {"title": _("登记群团活动"), "cancel": reverse("stations:activity_list"), "participant_q": participant_q},
        save=save,
        message=lambda a: _("已登记活动“%(t)s”。") % {"t": a.title},
        then=lambda a: redirect("stations:activity_detail", a.pk),
    )


@require_http_methods(["GET", "POST"])
def activity_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(request.user, pk)
    require_edit(request, activity)
    participant_q = request.GET.get("participant_q", "").strip()[:50]
    initial = {name: getattr(activity, name) for name in MassActivity.EDITABLE}
    form = ActivityForm(
        request.POST or None, initial=initial, user=request.user, activity=activity, participant_q=participant_q
    )
    return form_page(
        request,
        form,
        "care/stations/activity_form.html",
        {"title": _("修改群团活动"), "cancel": activity.get_absolute_url(), "participant_q": participant_q},
        save=lambda d: orgs.activity_update(actor=request.user, activity=activity, **_activity_values(d)),
        message=_("已保存。"),
        then=lambda _a: redirect("stations:activity_detail", activity.pk),
        on_error=activity.refresh_from_db,
    )


@require_http_methods(["GET", "POST"])
def activity_photo_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(request.user, pk)
    require_edit(request, activity)
    form = PhotosForm(request.POST or None, request.FILES or None)

    def save(d: dict[str, Any]) -> int:
        with transaction.atomic():
            for upload in d["photos"]:
                orgs.activity_add_photo(actor=request.user, activity=activity, upload=upload)
        return len(d["photos"])

    return form_page(
        request,
        form,
        "care/stations/activity_form.html",
        {"title": _("上传活动照片"), "cancel": activity.get_absolute_url()},
        save=save,
        message=lambda n: _("已上传 %(n)d 张照片。") % {"n": n},
        then=lambda _n: redirect("stations:activity_detail", activity.pk),
    )


@require_GET
def photo_download(request: AuthedHttpRequest, pk: int) -> FileResponse:
    """Served only as a download, with the stored type: never rendered or run in the browser."""
    photo = selectors.photo_get(request.user, pk)
    try:
        handle = photo.file.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=photo.original_name, content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


org_pick = pick.search_view(
    selectors.pick_orgs,
    org_label,
    require=policy.require_any_write,
    doc="The organisation picker's result list: the organisations the user records activities of.",
)
