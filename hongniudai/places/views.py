"""Web pages for the area tree, areas, households and residents.

Thin: selectors read (always for the acting user, so out-of-scope records answer 404), services
write (they check capabilities and audit); a visible record the user may not change answers 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from hongniudai.accounts.http import AuthedHttpRequest
from hongniudai.accounts.pages import confirm_page, export_response, form_page
from hongniudai.accounts.scope import Capability
from hongniudai.common import parsing, pick
from hongniudai.common.identity import id_number_digest, mask_phone
from hongniudai.common.pagination import page_of as _page
from hongniudai.common.rows import render_rows
from hongniudai.common.xlsx import Column, wants_xlsx

from . import contributions, pickers, policy, selectors, services
from . import rows as rows_of
from .forms import AreaForm, HouseholdForm, ResidentForm
from .models import ALLOWED_CHILDREN, AreaKind, AreaNode, RegistrationReview, ReviewStatus, Sex

PAGE_SIZE = 50


# ---- helpers ------------------------------------------------------------------------------


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def history_url(obj: models.Model) -> str:
    """The audit history page of a record."""
    target_type = obj._meta.label_lower
    try:
        return reverse("audit:history", args=[target_type, str(obj.pk)])
    except NoReverseMatch:
        return f"/audit/history/{target_type}/{obj.pk}/"


def _text(request: HttpRequest, name: str, limit: int = 100) -> str:
    return (request.GET.get(name) or "").strip()[:limit]


def _yes(value: bool) -> str:
    return _("是") if value else ""


# ---- tree ---------------------------------------------------------------------------------


def area_pick(request: AuthedHttpRequest) -> HttpResponse:
    """The area picker's result list (`common.pick`): matches, or one level of the tree."""
    rows, more, parent = selectors.pick_areas(request.user, q=pick.query_of(request), parent=request.GET.get("parent"))
    return pick.results_response(request, rows, more=more, parent=parent, empty_label=_("全部地区"))


def household_pick(request: AuthedHttpRequest) -> HttpResponse:
    """The household picker's result list: households of the user's scope by the head's name or pinyin."""
    found = selectors.pick_households(request.user, q=pick.query_of(request))
    rows, more = pickers.household_rows(request.user, found)
    return pick.results_response(request, rows, more=more)


def resident_pick(request: AuthedHttpRequest) -> HttpResponse:
    """The resident picker's result list: residents of the user's scope by name or pinyin."""
    found = selectors.pick_residents(request.user, q=pick.query_of(request))
    rows, more = pickers.resident_rows(request.user, found)
    return pick.results_response(request, rows, more=more)


def tree(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    node = selectors.area_get_optional(user, request.GET.get("node"))
    context = {
        "node": node,
        "rows": selectors.area_children_with_counts(user, node),
        "crumbs": selectors.area_ancestors(user, node) if node is not None else [],
    }
    return render(request, "places/tree.html", context)


def tree_children(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The children of one node (an HTMX fragment); without HTMX, the tree page at that node."""
    node = selectors.area_get(request.user, pk)
    if not _is_htmx(request):
        return redirect(f"{reverse('places:tree')}?node={node.pk}")
    rows = selectors.area_children_with_counts(request.user, node)
    return render(request, "places/_tree_children.html", {"rows": rows, "parent": node, "nested": True})


# ---- areas --------------------------------------------------------------------------------


def area_list(request: AuthedHttpRequest) -> HttpResponseBase:
    user = request.user
    kind = request.GET.get("kind", "")
    if kind not in AreaKind.values:
        kind = ""
    q = _text(request, "q")
    within = selectors.area_get_optional(user, request.GET.get("area"))
    qs = selectors.areas(user, kind=kind or None, q=q, within=within)
    if wants_xlsx(request):
        columns = [
            Column(_("名称"), lambda a: a.name, 24),
            Column(_("类型"), lambda a: a.kind_label, 12),
            Column(_("统计代码"), lambda a: a.code, 16, text=True),
            Column(_("上级"), lambda a: a.parent.name if a.parent_id else "", 24),
        ]
        return export_response(
            request,
            filename=_("地区"),
            title=_("地区"),
            columns=columns,
            rows=qs,
            area_path=within.path if within else "",
        )
    context = {
        "page": _page(request, qs),
        "kinds": AreaKind.choices,
        "kind": kind,
        "q": q,
        "within": within,
        "area_pick": pickers.area_filter(request.user, within),
    }
    return render(request, "places/area_list.html", context)


def _geo_features(area: AreaNode, children: list[selectors.NodeCounts]) -> list[dict[str, Any]]:
    features = []
    if area.geometry:
        features.append({"type": "Feature", "geometry": area.geometry, "properties": {"name": area.name, "own": True}})
    for row in children:
        if row.node.geometry:
            features.append(
                {"type": "Feature", "geometry": row.node.geometry, "properties": {"name": row.node.name, "own": False}}
            )
    return features


def area_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    area = selectors.area_get(user, pk)
    children = selectors.area_children_with_counts(user, area)
    context: dict[str, Any] = {
        "area": area,
        "crumbs": selectors.area_ancestors(user, area),
        "children": children,
        "totals": selectors.area_totals(user, area),
        "child_kinds": [AreaKind(k).label for k in ALLOWED_CHILDREN.get(area.kind, ())],
        "can_edit": policy.can_edit_places(user, area),
        "can_edit_people": policy.can_edit_people(user, area),
        "features": _geo_features(area, children),
        "history_url": history_url(area),
    }
    context.update(contributions.pages.context(f"area:{area.kind}", user, area))
    if area.kind == AreaKind.HAMLET:
        context["households"] = list(selectors.households(user, area=area)[:100])
    return render(request, "places/area_detail.html", context)


def area_create(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    parent = selectors.area_get_optional(user, request.GET.get("parent"))
    if parent is None:
        if not user.is_superuser:
            raise PermissionDenied(_("请从上级地区的页面新增下级地区。"))
        kinds: tuple[str, ...] = (AreaKind.COUNTY, AreaKind.TOWN)
    else:
        policy.require(user, Capability.EDIT_PLACES, parent)
        kinds = ALLOWED_CHILDREN.get(parent.kind, ())
        if not kinds:
            messages.error(request, _("%(kind)s之下不能再设下级地区。") % {"kind": parent.kind_label})
            return redirect("places:area_detail", pk=parent.pk)
    form = AreaForm(request.POST or None, kinds=kinds)
    crumbs = [*selectors.area_ancestors(user, parent), parent] if parent else []
    return form_page(
        request,
        form,
        "places/area_form.html",
        {"parent": parent, "crumbs": crumbs},
        save=lambda d: services.create_area(actor=user, parent=parent, kind=d["kind"], **form.service_kwargs()),
        message=lambda area: _("已新增地区“%(name)s”。") % {"name": area.name},
        then=lambda area: redirect("places:area_detail", pk=area.pk),
    )


def area_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    area = selectors.area_get(user, pk)
    policy.require(user, Capability.EDIT_PLACES, area)
    form = AreaForm(request.POST or None, area=area)
    return form_page(
        request,
        form,
        "places/area_form.html",
        {"area": area, "crumbs": [*selectors.area_ancestors(user, area), area]},
        save=lambda _d: services.update_area(actor=user, area=area, **form.service_kwargs()),
        message=_("已保存。"),
        then=lambda _area: redirect("places:area_detail", pk=area.pk),
    )


def area_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    area = selectors.area_get(user, pk)
    policy.require(user, Capability.EDIT_PLACES, area)
    parent = area.parent

    def after() -> str:
        if parent is not None and policy.can_view(user, parent):
            return reverse("places:area_detail", args=[parent.pk])
        return reverse("places:tree")

    return confirm_page(
        request,
        "places/confirm_delete.html",
        obj=area,
        what=area.kind_label,
        cancel_url=reverse("places:area_detail", args=[area.pk]),
        act=lambda: services.delete_area(actor=user, area=area),
        message=_("已删除地区“%(name)s”。") % {"name": area.name},
        then=after,
    )


# ---- households ---------------------------------------------------------------------------


def household_list(request: AuthedHttpRequest) -> HttpResponseBase:
    user = request.user
    q = _text(request, "q")
    area = selectors.area_get_optional(user, request.GET.get("area"))
    formerly_poor = selectors.parse_flag(request.GET.get("formerly_poor"))
    monitored = selectors.parse_flag(request.GET.get("monitored"))
    qs = selectors.households(user, q=q, area=area, formerly_poor=formerly_poor, monitored=monitored)
    if wants_xlsx(request):
        columns = [
            Column(_("户编号"), lambda h: h.number, 14, text=True),
            Column(_("住址"), lambda h: h.address, 30),
            Column(_("村组"), lambda h: h.hamlet.parent.name if h.hamlet.parent_id else "", 12),
            Column(_("湾组"), lambda h: h.hamlet.name, 12),
            Column(_("户主"), lambda h: h.head.name if h.head_id else "", 10),
            Column(_("人数"), lambda h: h.member_count, 6),
            Column(_("脱贫户"), lambda h: h.is_formerly_poor, 8),
            Column(_("监测户"), lambda h: h.is_monitored, 8),
        ]
        return export_response(
            request,
            filename=_("住户"),
            title=_("住户"),
            columns=columns,
            rows=qs,
            area_path=area.path if area else "",
        )
    unfiltered = not q and formerly_poor is None and monitored is None
    total = selectors.counted_total(user, counter="households_here", area=area) if unfiltered else None
    page = _page(request, qs.values(*rows_of.HOUSEHOLD_ROW_FIELDS), total=total)
    context = {
        "page": page,
        "rows": render_rows("places/_household_rows.jinja", rows_of.household_rows(page.object_list)),
        "q": q,
        "area": area,
        "area_pick": pickers.area_filter(request.user, area),
        "formerly_poor": request.GET.get("formerly_poor", ""),
        "monitored": request.GET.get("monitored", ""),
    }
    return render(request, "places/household_list.html", context)


def household_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    household = selectors.household_get(user, pk)
    context = {
        "household": household,
        "members": selectors.household_members(user, household),
        "crumbs": [*selectors.area_ancestors(user, household.hamlet), household.hamlet],
        "can_edit": policy.can_edit_people(user, household),
        "history_url": history_url(household),
        "household_links": contributions.household_links(user, household),
    }
    return render(request, "places/household_detail.html", context)


def household_create(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    if not policy.may_register_households(user):
        raise PermissionDenied(_("您没有登记住户的权限。"))
    hamlet = selectors.area_get_optional(user, request.GET.get("hamlet"))
    if hamlet is not None:
        policy.require(user, Capability.EDIT_PEOPLE, hamlet)
    initial = {"hamlet": hamlet.pk} if hamlet is not None and hamlet.kind == AreaKind.HAMLET else {}
    form = HouseholdForm(request.POST or None, user=user, initial=initial)
    return form_page(
        request,
        form,
        "places/household_form.html",
        {},
        save=lambda _d: services.create_household(actor=user, **form.service_kwargs()),
        message=_("已登记住户,请继续添加家庭成员。"),
        then=lambda household: redirect("places:household_detail", pk=household.pk),
    )


def household_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    household = selectors.household_get(user, pk)
    policy.require(user, Capability.EDIT_PEOPLE, household)
    form = HouseholdForm(request.POST or None, user=user, household=household)
    return form_page(
        request,
        form,
        "places/household_form.html",
        {"household": household},
        save=lambda _d: services.update_household(actor=user, household=household, **form.service_kwargs()),
        message=_("已保存。"),
        then=lambda _household: redirect("places:household_detail", pk=household.pk),
    )


def household_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    household = selectors.household_get(user, pk)
    policy.require(user, Capability.EDIT_PEOPLE, household)
    return confirm_page(
        request,
        "places/confirm_delete.html",
        obj=household,
        what=_("住户"),
        cancel_url=reverse("places:household_detail", args=[pk]),
        act=lambda: services.delete_household(actor=user, household=household),
        message=_("已删除住户。"),
        then=f"{reverse('places:household_list')}?area={household.hamlet_id}",
    )


# ---- residents ----------------------------------------------------------------------------


RESIDENT_FLAGS = (
    ("elderly", _lazy("老年人")),
    ("veteran", _lazy("退役军人")),
    ("returnee", _lazy("返乡能人")),
    ("disabled", _lazy("残疾人")),
)


# The badges of a resident's row: attribute, colour, label (`places/_resident_flags.html` on a
# household's page shows the same).
def _resident_columns() -> list[Column]:
    return [
        Column(_("姓名"), lambda r: r.name, 10),
        Column(_("性别"), lambda r: r.get_sex_display(), 6),
        Column(_("年龄"), lambda r: r.age(), 6),
        Column(_("身份证号"), lambda r: r.id_masked, 22, text=True),
        Column(_("手机号"), lambda r: mask_phone(r.phone or ""), 14, text=True),
        Column(_("村组"), lambda r: r.household.hamlet.parent.name if r.household.hamlet.parent_id else "", 12),
        Column(_("湾组"), lambda r: r.household.hamlet.name, 12),
        Column(_("住址"), lambda r: r.household.address, 28),
        Column(_("与户主关系"), lambda r: r.get_relation_display(), 10),
        Column(_("老年人"), lambda r: r.is_elderly, 8),
        Column(_("党员"), lambda r: r.is_member, 6),
        Column(_("退役军人"), lambda r: r.is_veteran, 8),
        Column(_("返乡能人"), lambda r: r.is_returnee, 8),
        Column(_("残疾人"), lambda r: r.is_disabled, 8),
    ]


def _without_id_number(request: AuthedHttpRequest, q: str) -> HttpResponse:
    """Search by ID number: carry its keyed digest instead, so the number stays out of links,
    browser history and the page."""
    params = request.GET.copy()
    params.pop("q", None)
    params.pop("page", None)
    params["idd"] = id_number_digest(q)
    return redirect(f"{request.path}?{params.urlencode()}")


def resident_list(request: AuthedHttpRequest) -> HttpResponseBase:
    user = request.user
    q = _text(request, "q")
    if selectors.is_id_number_query(q):
        return _without_id_number(request, q)
    id_digest = _text(request, "idd", 64)
    area = selectors.area_get_optional(user, request.GET.get("area"))
    sex = request.GET.get("sex", "")
    if sex not in Sex.values:
        sex = ""
    flags = {name: selectors.parse_flag(request.GET.get(name)) for name, _label in RESIDENT_FLAGS}
    qs = selectors.resident_rows(user, q=q, area=area, sex=sex, id_digest=id_digest, **flags)
    if wants_xlsx(request):
        return export_response(
            request,
            filename=_("居民"),
            title=_("居民"),
            columns=_resident_columns(),
            rows=qs,
            area_path=area.path if area else "",
        )
    unfiltered = not (q or id_digest or sex) and all(value is None for value in flags.values())
    total = selectors.counted_total(user, counter="residents_here", area=area) if unfiltered else None
    page = _page(request, qs, total=total)
    context = {
        "page": page,
        "rows": render_rows("places/_resident_rows.jinja", rows_of.resident_rows(page.object_list)),
        "q": q,
        "by_id_number": bool(id_digest),
        "area": area,
        "area_pick": pickers.area_filter(request.user, area),
        "sex": sex,
        "sexes": Sex.choices,
        "flag_filters": [(name, str(label), request.GET.get(name, "")) for name, label in RESIDENT_FLAGS],
    }
    return render(request, "places/resident_list.html", context)


def resident_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    resident = selectors.resident_get(user, pk)
    hamlet = resident.household.hamlet
    context = {
        **contributions.pages.context("resident", user, resident),
        "resident": resident,
        "crumbs": [*selectors.area_ancestors(user, hamlet), hamlet],
        "can_edit": policy.can_edit_people(user, resident),
        "can_reveal": policy.can_reveal(user, resident),
        "history_url": history_url(resident),
    }
    return render(request, "places/resident_detail.html", context)


def resident_create(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    household_pk = parsing.parse_id(request.GET.get("household"))
    if household_pk is None:
        messages.info(request, _("请先打开住户页面,再在该户下添加成员。"))
        return redirect("places:household_list")
    household = selectors.household_get(user, household_pk)
    policy.require(user, Capability.EDIT_PEOPLE, household)
    form = ResidentForm(request.POST or None, user=user)
    return form_page(
        request,
        form,
        "places/resident_form.html",
        {"household": household},
        save=lambda _d: services.create_resident(actor=user, household=household, **form.service_kwargs()),
        message=lambda resident: _("已登记居民“%(name)s”。") % {"name": resident.name},
        then=lambda _resident: redirect("places:household_detail", pk=household.pk),
    )


def resident_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    resident = selectors.resident_get(user, pk)
    policy.require(user, Capability.EDIT_PEOPLE, resident)
    form = ResidentForm(request.POST or None, user=user, resident=resident)
    return form_page(
        request,
        form,
        "places/resident_form.html",
        {"resident": resident, "household": resident.household},
        save=lambda _d: services.update_resident(actor=user, resident=resident, **form.service_kwargs()),
        message=_("已保存。"),
        then=lambda _resident: redirect("places:resident_detail", pk=resident.pk),
    )


def resident_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    resident = selectors.resident_get(user, pk)
    policy.require(user, Capability.EDIT_PEOPLE, resident)
    return confirm_page(
        request,
        "places/confirm_delete.html",
        obj=resident,
        what=_("居民"),
        cancel_url=reverse("places:resident_detail", args=[pk]),
        act=lambda: services.delete_resident(actor=user, resident=resident),
        message=_("已删除居民。"),
        then=reverse("places:household_detail", args=[resident.household_id]),
    )


@require_POST
def resident_reveal_id(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The whole ID number, for users allowed to see it (audited by the service)."""
    resident = selectors.resident_get(request.user, pk)
    number = services.reveal_id_number(actor=request.user, resident=resident)
    template = "places/_resident_id.html" if _is_htmx(request) else "places/resident_reveal.html"
    response = render(request, template, {"resident": resident, "number": number})
    response["Cache-Control"] = "no-store"
    return response


# ---- registrations the town reviews -------------------------------------------------------


def review_list(request: AuthedHttpRequest) -> HttpResponse:
    """登记审核: registrations of people registered elsewhere, for the town to move or refuse."""
    user = request.user
    if not policy.can_review_registrations(user):
        raise PermissionDenied(_("登记审核由镇管理员办理。"))
    status = request.GET.get("status", ReviewStatus.PENDING)
    if status not in ReviewStatus.values and status != "all":
        status = ReviewStatus.PENDING
    qs = selectors.registration_reviews(user, status=None if status == "all" else status)
    context = {"page": _page(request, qs), "status": status, "statuses": ReviewStatus.choices}
    return render(request, "places/review_list.html", context)


def review_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    review = selectors.registration_review_get(request.user, pk)
    return render(request, "places/review_detail.html", {"review": review, "pending": _is_pending(review)})


def _is_pending(review: RegistrationReview) -> bool:
    return review.status == ReviewStatus.PENDING


@require_POST
def review_approve(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    review = selectors.registration_review_get(request.user, pk)
    try:
        resident = services.approve_registration_review(actor=request.user, review=review)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("places:review_detail", pk=pk)
    messages.success(request, _("已同意,%(name)s已迁入该户。") % {"name": resident.name})
    return redirect("places:review_detail", pk=pk)


@require_POST
def review_reject(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    review = selectors.registration_review_get(request.user, pk)
    try:
        services.reject_registration_review(actor=request.user, review=review, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("places:review_detail", pk=pk)
    messages.success(request, _("已驳回该登记申请。"))
    return redirect("places:review_detail", pk=pk)
