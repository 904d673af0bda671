"""Pages of the service stations (便民服务站); those of the mass organisations (群团组织) are in
`views_orgs`. Thin: selectors read, services write, forms carry the input; every record is fetched
within the user's VIEW scope (404 otherwise) and every write needs SERVICES over it (403)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hongniudai.accounts.http import AuthedHttpRequest
from hongniudai.accounts.pages import export_or_none, filters_of, form_page
from hongniudai.accounts.pages import history_context as _history
from hongniudai.common import parsing, pick
from hongniudai.common.identity import mask_phone
from hongniudai.common.pagination import COUNT_CAP, count_upto
from hongniudai.common.pagination import page_of as _page
from hongniudai.common.rows import render_rows
from hongniudai.common.xlsx import Column

from . import policy, selectors, services
from . import rows as rows_of
from .forms import (
    CompleteForm,
    ItemForm,
    LimitForm,
    MeasuresForm,
    RateForm,
    RequestFilterForm,
    RequestForm,
    StaffForm,
    StationFilterForm,
    StationForm,
    StepForm,
    ToMatterForm,
    item_label,
    period_of,
    station_label,
    yes_no,
)
from .models import ServiceRequest, ServiceStation

FORM = "care/stations/form.html"


def require_edit(request: AuthedHttpRequest, obj: Any) -> None:
    if not policy.can_edit(request.user, obj):
        raise PermissionDenied(_("您没有在该范围内进行此操作的权限。"))


def _yes(value: bool) -> str:
    return _("是") if value else _("否")


def person_of(r: ServiceRequest) -> str:
    """Who asked, as a page shows it: the name, and a phone only masked."""
    if r.resident_id and r.resident is not None:
        return f"{r.resident.name}({mask_phone(r.resident.phone)})" if r.resident.phone else r.resident.name
    return f"{r.person_name}({mask_phone(r.person_phone)})" if r.person_phone else r.person_name


# ---- the catalogue ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def catalogue(request: AuthedHttpRequest) -> HttpResponse:
    """The town's catalogue; the town admin adds items here."""
    policy.require_any_view(request.user)
    town = selectors.towns_for_catalogue(request.user).first()
    form = ItemForm(request.POST or None) if town is not None else None
    if request.method == "POST" and form is None:
        raise PermissionDenied(_("服务事项目录由镇统一维护。"))
    if form is not None and town is not None:
        the_town = town
        return form_page(
            request,
            form,
            "care/stations/catalogue.html",
            {"items": list(selectors.items(request.user)), "town": town},
            save=lambda d: services.item_create(
                actor=request.user,
                town=the_town,
                name=d["name"],
                time_limit=d["time_limit"],
                description=d["description"],
                is_active=d["is_active"],
                sort_order=d.get("sort_order") or 0,
            ),
            message=lambda i: _("已添加服务事项“%(name)s”。") % {"name": i.name},
            then=lambda _i: redirect("stations:catalogue"),
        )
    return render(request, "care/stations/catalogue.html", {"items": list(selectors.items(request.user))})


@require_http_methods(["GET", "POST"])
def item_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(request.user, pk)
    require_edit(request, item)
    initial = {"name": item.name, "description": item.description, "is_active": item.is_active}
    initial["sort_order"] = item.sort_order
    form = ItemForm(request.POST or None, initial=initial, item=item)
    return form_page(
        request,
        form,
        "care/stations/item_form.html",
        {
            "item": item,
            "limits": selectors.item_limits(item),
            "title": _("修改服务事项"),
            "cancel": reverse("stations:catalogue"),
        },
        save=lambda d: services.item_update(
            actor=request.user,
            item=item,
            name=d["name"],
            description=d["description"],
            is_active=d["is_active"],
            sort_order=d.get("sort_order") or 0,
        ),
        message=_("已保存。"),
        then=lambda _i: redirect("stations:catalogue"),
        on_error=item.refresh_from_db,
    )


@require_http_methods(["GET", "POST"])
def item_limit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(request.user, pk)
    require_edit(request, item)
    form = LimitForm(request.POST or None, initial={"days": item.time_limit, "valid_from": timezone.localdate()})
    return form_page(
        request,
        form,
        "care/stations/item_form.html",
        {
            "item": item,
            "limits": selectors.item_limits(item),
            "title": _("调整办理时限"),
            "cancel": reverse("stations:catalogue"),
        },
        save=lambda d: services.item_set_limit(actor=request.user, item=item, **d),
        message=_("已调整办理时限;此前受理的申请仍按原时限计算。"),
        then=lambda _i: redirect("stations:catalogue"),
    )


# ---- stations ---------------------------------------------------------------------------------


def _station_columns() -> list[Column]:
    return [
        Column(_("服务站"), lambda s: s.name, width=22),
        Column(_("村(社区)"), lambda s: s.village.name, width=12),
        Column(_("地址"), lambda s: s.address, width=24),
        Column(_("开放时间"), lambda s: s.opening_hours, width=18),
        Column(_("工作人员"), lambda s: s.staff_count, width=8),
        Column(_("未办结申请"), lambda s: s.open_count, width=10),
    ]


@require_GET
def station_list(request: AuthedHttpRequest) -> HttpResponseBase:
    policy.require_any_view(request.user)
    form = StationFilterForm(request.GET or None, user=request.user)
    filters = filters_of(form)
    qs = selectors.stations(request.user, village=filters.get("village"), q=filters.get("q", ""))
    export = export_or_none(request, filename="便民服务站", title=_("便民服务站"), columns=_station_columns(), rows=qs)
    if export is not None:
        return export
    page = _page(request, qs.values(*rows_of.STATION_ROW_FIELDS))
    rows = render_rows("care/stations/_station_rows.jinja", rows_of.station_rows(page.object_list))
    context = {"form": form, "page": page, "rows": rows, "can_create": policy.records_services(request.user)}
    return render(request, "care/stations/station_list.html", context)


@require_GET
def station_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    station = selectors.station_get(request.user, pk)
    staff = [{"person": s, "phone": mask_phone(s.phone)} for s in station.staff.all()]
    context = {
        "station": station,
        "staff": staff,
        "recent": list(selectors.requests(request.user, station=station)[:10]),
        "can_edit": policy.can_edit(request.user, station),
        "staff_form": StaffForm(),
        **_history(station),
    }
    return render(request, "care/stations/station_detail.html", context)


def _station_values(d: dict[str, Any]) -> dict[str, Any]:
    return {name: d[name] for name in (*ServiceStation.EDITABLE, "items")}


@require_http_methods(["GET", "POST"])
def station_create(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_any_write(request.user)
    form = StationForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        FORM,
        {"title": _("设立便民服务站"), "cancel": reverse("stations:station_list")},
        save=lambda d: services.station_create(actor=request.user, village=d["village"], **_station_values(d)),
        message=lambda s: _("已设立“%(name)s”。") % {"name": s.name},
        then=lambda s: redirect("stations:station_detail", s.pk),
    )


@require_http_methods(["GET", "POST"])
def station_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    station = selectors.station_get(request.user, pk)
    require_edit(request, station)
    initial = {name: getattr(station, name) for name in ServiceStation.EDITABLE}
    initial["items"] = [i.pk for i in station.items.all()]
    form = StationForm(request.POST or None, initial=initial, user=request.user, station=station)
    return form_page(
        request,
        form,
        FORM,
        {"title": _("修改便民服务站"), "cancel": station.get_absolute_url()},
        save=lambda d: services.station_update(actor=request.user, station=station, **_station_values(d)),
        message=_("已保存。"),
        then=lambda _s: redirect("stations:station_detail", station.pk),
        on_error=station.refresh_from_db,
    )


@require_http_methods(["GET", "POST"])
def staff_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    station = selectors.station_get(request.user, pk)
    require_edit(request, station)
    form = StaffForm(request.POST or None)
    return form_page(
        request,
        form,
        FORM,
        {"title": _("添加工作人员"), "cancel": station.get_absolute_url()},
        save=lambda d: services.staff_add(actor=request.user, station=station, **d),
        message=lambda s: _("已添加 %(name)s。") % {"name": s.name},
        then=lambda _s: redirect("stations:station_detail", station.pk),
    )


@require_POST
def staff_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    staff = selectors.staff_get(request.user, pk)
    require_edit(request, staff.station)
    station_pk = staff.station_id
    services.staff_remove(actor=request.user, staff=staff)
    return redirect("stations:station_detail", station_pk)


# ---- requests ---------------------------------------------------------------------------------

SIGNAL_LABELS = {"green": _("绿灯"), "yellow": _("黄灯"), "red": _("红灯"), "": ""}


def _request_columns() -> list[Column]:
    return [
        Column(_("受理时间"), lambda r: timezone.localtime(r.received_at).strftime("%Y-%m-%d %H:%M"), width=16),
        Column(_("服务站"), lambda r: r.station.name, width=20),
        Column(_("群众"), person_of, width=20),
        Column(_("服务事项"), lambda r: r.item.name, width=14),
        Column(_("受理渠道"), lambda r: r.get_channel_display(), width=8),
        Column(_("上门服务"), lambda r: _yes(r.home_service), width=8),
        Column(_("经办人"), lambda r: (r.handler.display_name or r.handler.username) if r.handler else "", width=10),
        Column(_("办理期限"), lambda r: timezone.localtime(r.deadline).strftime("%Y-%m-%d"), width=12),
        Column(_("状态"), lambda r: r.get_status_display(), width=8),
        Column(_("预警"), lambda r: str(SIGNAL_LABELS.get(r.signal, "")), width=6),
        Column(_("办理结果"), lambda r: r.get_outcome_display(), width=8),
        Column(
            _("办结时间"),
            lambda r: timezone.localtime(r.completed_at).strftime("%Y-%m-%d %H:%M") if r.completed_at else "",
            width=16,
        ),
        Column(_("满意度"), lambda r: r.get_satisfaction_display(), width=8),
    ]


@require_GET
def request_list(request: AuthedHttpRequest) -> HttpResponseBase:
    policy.require_any_view(request.user)
    form = RequestFilterForm(request.GET or None, user=request.user)
    f = filters_of(form)
    qs = selectors.requests(
        request.user,
        village=f.get("village"),
        state=f.get("state", "") if f.get("state") == selectors.STATE_OPEN else "",
        status=f.get("state", "") if f.get("state") != selectors.STATE_OPEN else "",
        signal=f.get("signal", ""),
        item=f.get("item"),
        channel=f.get("channel", ""),
        home_service=yes_no(f.get("home_service")),
        received_from=f.get("received_from"),
        received_to=f.get("received_to"),
        q=f.get("q", ""),
    )
    export = export_or_none(request, filename="服务申请", title=_("服务申请"), columns=_request_columns(), rows=qs)
    if export is not None:
        return export
    page = _page(request, qs.values(*rows_of.REQUEST_ROW_FIELDS), total=count_upto(qs, COUNT_CAP))
    rows = render_rows("care/stations/_request_rows.jinja", rows_of.request_rows(page.object_list), home=_("上门"))
    context = {"form": form, "page": page, "rows": rows, "can_create": policy.records_services(request.user)}
    return render(request, "care/stations/request_list.html", context)


@require_http_methods(["GET", "POST"])
def request_create(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_any_write(request.user)
    initial: dict[str, Any] = {}
    choices = list(selectors.stations_for_choice(request.user)[:2])
    if len(choices) == 1:
        initial["station"] = choices[0].pk
    if station_id := request.GET.get("station"):
        initial["station"] = station_id
    form = RequestForm(request.POST or None, initial=initial, user=request.user)
    return form_page(
        request,
        form,
        FORM,
        {"title": _("受理服务申请"), "cancel": reverse("stations:request_list")},
        save=lambda d: services.request_receive(actor=request.user, **d),
        message=lambda r: _("已受理,办理期限 %(d)s。") % {"d": timezone.localtime(r.deadline).strftime("%Y-%m-%d")},
        then=lambda r: redirect("stations:request_detail", r.pk),
    )


@require_GET
def request_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    r = selectors.request_get(request.user, pk)
    can_edit = policy.can_edit(request.user, r)
    context = {
        "r": r,
        "person": person_of(r),
        "steps": selectors.request_steps(r),
        "signal_label": SIGNAL_LABELS.get(getattr(r, "signal", ""), ""),
        "can_edit": can_edit,
        "step_form": StepForm(request=r) if can_edit and r.is_open else None,
        "complete_form": CompleteForm() if can_edit and r.is_open else None,
        "rate_form": RateForm() if can_edit and not r.is_open and not r.satisfaction else None,
        **_history(r),
    }
    return render(request, "care/stations/request_detail.html", context)


def _request_action(request: AuthedHttpRequest, pk: int, make_form: Any, title: str, save: Any) -> HttpResponse:
    r = selectors.request_get(request.user, pk)
    require_edit(request, r)
    form = make_form(r, request.POST or None)
    return form_page(
        request,
        form,
        FORM,
        {"title": title, "cancel": r.get_absolute_url()},
        save=lambda d: save(r, d),
        message=_("已保存。"),
        then=lambda _x: redirect("stations:request_detail", r.pk),
    )


@require_http_methods(["GET", "POST"])
def request_step(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _request_action(
        request,
        pk,
        lambda r, data: StepForm(data, request=r),
        _("登记办理环节"),
        lambda r, d: services.request_add_step(actor=request.user, request=r, **d),
    )


@require_http_methods(["GET", "POST"])
def request_complete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _request_action(
        request,
        pk,
        lambda _r, data: CompleteForm(data),
        _("办结服务申请"),
        lambda r, d: services.request_complete(actor=request.user, request=r, **d),
    )


@require_http_methods(["GET", "POST"])
def request_rate(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _request_action(
        request,
        pk,
        lambda _r, data: RateForm(data),
        _("登记满意度"),
        lambda r, d: services.request_rate(actor=request.user, request=r, **d),
    )


@require_http_methods(["GET", "POST"])
def request_to_matter(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """转为矛盾纠纷/隐患: the category's extra questions are asked once it is chosen (`?category=`)."""
    r = selectors.request_get(request.user, pk)
    require_edit(request, r)
    initial = {"description": r.description, "category": request.GET.get("category") or None}
    form = ToMatterForm(request.POST or None, initial=initial, user=request.user, request=r)
    chosen = parsing.parse_id(form["category"].value())
    categories: Any = form.fields["category"]
    category = categories.queryset.filter(pk=chosen).first() if chosen else None
    questions = list(category.attributes.all()) if category is not None else []
    # One category list: choosing a category fetches its questions into the form (#questions).
    swap = {"hx-target": "#questions", "hx-select": "#questions", "hx-swap": "outerHTML"}
    form.fields["category"].widget.attrs.update({"hx-get": request.path, "hx-trigger": "change", **swap})

    def save(d: dict[str, Any]) -> Any:
        answers = {a.code: request.POST.get(f"attribute[{a.code}]", "") for a in questions}
        return services.request_to_matter(
            actor=request.user,
            request=r,
            category=d["category"],
            title=d["title"],
            description=d["description"],
            place=d.get("place"),
            attributes=answers,
        )

    return form_page(
        request,
        form,
        "care/stations/to_matter.html",
        {
            "title": _("转为矛盾纠纷/隐患"),
            "cancel": r.get_absolute_url(),
            "r": r,
            "answered": [(a, request.POST.get(f"attribute[{a.code}]", "")) for a in questions],
        },
        save=save,
        message=lambda m: _("已转为事项 %(n)s,交由所在湾组的中心户处理。") % {"n": m.number},
        then=lambda _m: redirect("stations:request_detail", r.pk),
    )


# ---- measures ---------------------------------------------------------------------------------


def _measure_columns() -> list[Column]:
    return [
        Column(_("村(社区)"), lambda m: m.label, width=14),
        Column(_("受理"), lambda m: m.requests, width=8),
        Column(_("办结"), lambda m: m.completed, width=8),
        Column(_("按时办结"), lambda m: m.on_time, width=8),
        Column(_("按时办结率(%)"), lambda m: m.on_time_rate if m.on_time_rate is not None else "", width=12),
        Column(_("上门服务"), lambda m: m.home, width=8),
        Column(_("评价"), lambda m: m.rated, width=8),
        Column(_("满意率(%)"), lambda m: m.satisfaction_rate if m.satisfaction_rate is not None else "", width=10),
    ]


@require_GET
def measures(request: AuthedHttpRequest) -> HttpResponseBase:
    policy.require_any_view(request.user)
    form = MeasuresForm(request.GET or None, user=request.user)
    f = filters_of(form)
    start, end = period_of(f.get("period") or "month", f.get("year"), f.get("number"))
    rows, total = selectors.request_measures(request.user, start=start, end=end, village=f.get("village"))
    export = export_or_none(
        request, filename="便民服务统计", title=_("便民服务统计"), columns=_measure_columns(), rows=[*rows, total]
    )
    if export is not None:
        return export
    org_rows = selectors.org_measures(request.user, start=start, end=end, village=f.get("village"))
    context = {"form": form, "rows": rows, "total": total, "start": start, "end": end, "org_rows": org_rows}
    return render(request, "care/stations/measures.html", context)


item_pick = pick.search_view(
    selectors.pick_items,
    item_label,
    require=policy.require_any_view,
    doc="The item picker's result list: the catalogue items the user sees, by name or town.",
)


station_pick = pick.search_view(
    selectors.pick_stations,
    station_label,
    require=policy.require_any_view,
    doc="The station picker's result list: the stations the user sees, by name or village.",
)
