"""Pages of vanguard posts and party activities. Thin: selectors read, services write, forms
carry the input; every record is fetched within the user's scope."""

from __future__ import annotations

from typing import Any

from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hongniudai.accounts.http import AuthedHttpRequest
from hongniudai.accounts.pages import confirm_page, export_or_none, filters_of, form_page
from hongniudai.accounts.pages import history_context as _history
from hongniudai.accounts.pages import require_party_edit as _require_edit
from hongniudai.common import parsing
from hongniudai.common.pagination import page_of as _page
from hongniudai.common.xlsx import Column

from . import policy, selectors, services
from .forms import ActivityFilterForm, ActivityForm, EndPostForm, PostFilterForm, PostForm, participant_checklist
from .models import Activity, VanguardPost

PAGE_SIZE = 50


def _is_active(post: VanguardPost) -> bool:
    return selectors.is_active(post)


# ---- vanguard posts -------------------------------------------------------------------------


def _post_columns() -> list[Column]:
    return [
        Column(_("岗位名称"), lambda p: p.title, width=22),
        Column(_("党员"), lambda p: p.member.resident.name, width=10),
        Column(_("党支部"), lambda p: p.org.name, width=24),
        Column(_("岗位所在"), lambda p: p.get_place_kind_display(), width=10),
        Column(_("车间或项目"), lambda p: p.place_name, width=20),
        Column(_("企业"), lambda p: p.enterprise.name if p.enterprise else "", width=24),
        Column(_("承诺与职责"), lambda p: p.commitment, width=40),
        Column(_("设岗日期"), lambda p: p.since, width=12),
        Column(_("撤岗日期"), lambda p: p.until, width=12),
        Column(_("状态"), lambda p: _("在岗") if _is_active(p) else _("已撤岗"), width=8),
    ]


@require_GET
def post_list(request: AuthedHttpRequest) -> HttpResponseBase:
    form = PostFilterForm(request.GET or None, user=request.user)
    filters = filters_of(form)
    qs = selectors.posts(
        request.user,
        q=filters.get("q", ""),
        place_kind=filters.get("place_kind", ""),
        enterprise=filters.get("enterprise"),
        org=filters.get("org"),
        state=filters.get("state", ""),
    )
    export = export_or_none(request, filename="党员先锋岗", title=_("党员先锋岗"), columns=_post_columns(), rows=qs)
    if export is not None:
        return export
    page = _page(request, qs)
    rows = [{"post": p, "active": _is_active(p)} for p in page.object_list]
    context = {"form": form, "page": page, "rows": rows, "can_create": policy.edits_party(request.user)}
    return render(request, "vanguard/post_list.html", context)


@require_GET
def post_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_get(request.user, pk)
    context = {
        "post": post,
        "active": _is_active(post),
        "can_edit": policy.can_edit(request.user, post),
        **_history(post),
    }
    return render(request, "vanguard/post_detail.html", context)


def _post_values(d: dict[str, Any]) -> dict[str, Any]:
    """The editable fields of a post (`VanguardPost.EDITABLE`) from the form."""
    return {name: d[name] for name in VanguardPost.EDITABLE}


@require_http_methods(["GET", "POST"])
def post_create(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_any_edit(request.user)
    member_q = request.GET.get("member_q", "").strip()
    initial: dict[str, Any] = {"since": timezone.localdate()}
    if parsing.parse_id(request.GET.get("member")):
        initial["member"] = request.GET["member"]
    form = PostForm(request.POST or None, initial=initial, user=request.user, member_q=member_q)
    return form_page(
        request,
        form,
        "vanguard/post_form.html",
        {"post": None, "member_q": member_q, "title": _("设立党员先锋岗")},
        save=lambda d: services.create_post(actor=request.user, member=d["member"], **_post_values(d)),
        message=lambda post: _("已设立先锋岗“%(title)s”。") % {"title": post.title},
        then=lambda post: redirect("vanguard:post_detail", post.pk),
    )


@require_http_methods(["GET", "POST"])
def post_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_get(request.user, pk)
    _require_edit(request, post)
    initial = model_to_dict(post, fields=VanguardPost.EDITABLE)
    form = PostForm(request.POST or None, initial=initial, user=request.user, post=post)
    return form_page(
        request,
        form,
        "vanguard/post_form.html",
        {"post": post, "title": _("修改党员先锋岗")},
        save=lambda d: services.update_post(actor=request.user, post=post, **_post_values(d)),
        message=_("已保存。"),
        then=lambda _post: redirect("vanguard:post_detail", post.pk),
        on_error=post.refresh_from_db,
    )


@require_http_methods(["GET", "POST"])
def post_end(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_get(request.user, pk)
    _require_edit(request, post)
    form = EndPostForm(request.POST or None, initial={"until": timezone.localdate()})
    return form_page(
        request,
        form,
        "vanguard/post_end.html",
        {"post": post},
        save=lambda d: services.end_post(actor=request.user, post=post, until=d["until"]),
        message=_("已撤销先锋岗“%(title)s”。") % {"title": post.title},
        then=lambda _post: redirect("vanguard:post_detail", post.pk),
        on_error=post.refresh_from_db,
    )


@require_http_methods(["GET", "POST"])
def post_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_get(request.user, pk)
    _require_edit(request, post)
    return confirm_page(
        request,
        "vanguard/confirm_delete.html",
        obj=post,
        what=_("党员先锋岗"),
        cancel_url=reverse("vanguard:post_detail", args=[post.pk]),
        act=lambda: services.delete_post(actor=request.user, post=post),
        message=_("已删除先锋岗“%(title)s”。") % {"title": post.title},
        then=reverse("vanguard:post_list"),
    )


@require_GET
def member_options(request: AuthedHttpRequest) -> HttpResponse:
    """HTMX partial: <option>s for the member select of the new-post form (EDIT_PARTY scope)."""
    q = request.GET.get("member_q", "").strip()
    rows = list(selectors.members_for_post_choice(request.user, q=q)[: PostForm.MEMBER_OPTIONS]) if q else []
    options = [(m.pk, f"{m.resident.name} · {m.org.name}") for m in rows]
    return render(request, "vanguard/_options.html", {"options": options, "empty": _("请先搜索并选择党员")})


# ---- activities -----------------------------------------------------------------------------


def _activity_columns() -> list[Column]:
    return [
        Column(_("日期"), lambda a: a.held_on, width=12),
        Column(_("活动类型"), lambda a: a.get_kind_display(), width=10),
        Column(_("活动名称"), lambda a: a.title, width=30),
        Column(_("组织党支部"), lambda a: a.org.name, width=24),
        Column(_("企业"), lambda a: a.enterprise.name if a.enterprise else "", width=24),
        Column(_("地点"), lambda a: a.place, width=18),
        Column(_("参加党员数"), lambda a: a.member_count, width=10),
        Column(_("其他参加人数"), lambda a: a.other_participants, width=12),
        Column(_("活动内容"), lambda a: a.description, width=40),
    ]


@require_GET
def activity_list(request: AuthedHttpRequest) -> HttpResponseBase:
    form = ActivityFilterForm(request.GET or None, user=request.user)
    filters = filters_of(form)
    qs = selectors.activities(
        request.user,
        q=filters.get("q", ""),
        kind=filters.get("kind", ""),
        org=filters.get("org"),
        enterprise=filters.get("enterprise"),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    export = export_or_none(
        request, filename="党建活动台账", title=_("党建活动台账"), columns=_activity_columns(), rows=qs
    )
    if export is not None:
        return export
    context = {"form": form, "page": _page(request, qs), "can_create": policy.edits_party(request.user)}
    return render(request, "vanguard/activity_list.html", context)


@require_GET
def activity_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(request.user, pk)
    participants = selectors.activity_participants(request.user, activity)
    context = {
        "activity": activity,
        "participants": participants,
        "hidden_participants": selectors.hidden_participant_count(request.user, activity, len(participants)),
        "can_edit": policy.can_edit(request.user, activity),
        **_history(activity),
    }
    return render(request, "vanguard/activity_detail.html", context)


def _activity_values(d: dict[str, Any]) -> dict[str, Any]:
    """The editable fields of an activity (`Activity.EDITABLE`) and its participants, from the form."""
    return {**{name: d[name] for name in Activity.EDITABLE}, "participants": list(d["participants"])}


@require_http_methods(["GET", "POST"])
def activity_create(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_any_edit(request.user)
    initial: dict[str, Any] = {"held_on": timezone.localdate()}
    org = selectors.visible_org(request.user, request.GET.get("org"))
    if org is not None:
        initial["org"] = org.pk
    if request.GET.get("kind"):
        initial["kind"] = request.GET["kind"]
    form = ActivityForm(request.POST or None, initial=initial, user=request.user)
    return form_page(
        request,
        form,
        "vanguard/activity_form.html",
        {"activity": None, "title": _("登记党建活动")},
        save=lambda d: services.create_activity(actor=request.user, **_activity_values(d)),
        message=lambda activity: _("已登记活动“%(title)s”。") % {"title": activity.title},
        then=lambda activity: redirect("vanguard:activity_detail", activity.pk),
    )


@require_http_methods(["GET", "POST"])
def activity_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(request.user, pk)
    _require_edit(request, activity)
    initial = model_to_dict(activity, fields=Activity.EDITABLE)
    form = ActivityForm(request.POST or None, initial=initial, user=request.user, activity=activity)

    def save(d: dict[str, Any]) -> Any:
        values = _activity_values(d)
        # Participants the user cannot see are not in the checklist: they stay as they are.
        values["participants"] += selectors.hidden_participants(request.user, activity)
        return services.update_activity(actor=request.user, activity=activity, **values)

    return form_page(
        request,
        form,
        "vanguard/activity_form.html",
        {"activity": activity, "title": _("修改党建活动")},
        save=save,
        message=_("已保存。"),
        then=lambda _activity: redirect("vanguard:activity_detail", activity.pk),
        on_error=activity.refresh_from_db,
    )


@require_http_methods(["GET", "POST"])
def activity_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(request.user, pk)
    _require_edit(request, activity)
    return confirm_page(
        request,
        "vanguard/confirm_delete.html",
        obj=activity,
        what=_("党建活动"),
        cancel_url=reverse("vanguard:activity_detail", args=[activity.pk]),
        act=lambda: services.delete_activity(actor=request.user, activity=activity),
        message=_("已删除活动“%(title)s”。") % {"title": activity.title},
        then=reverse("vanguard:activity_list"),
    )


@require_GET
def participant_options(request: AuthedHttpRequest) -> HttpResponse:
    """HTMX partial: the participant checklist for the branch chosen in the activity form (boxes
    already ticked stay ticked)."""
    org_id = parsing.parse_id(request.GET.get("org"))
    org = selectors.branches_for_choice(request.user).filter(pk=org_id).first() if org_id else None
    chosen = {pk for pk in map(parsing.parse_id, request.GET.getlist("participants")) if pk}
    rows = participant_checklist(request.user, org=org, chosen=chosen)
    return render(request, "vanguard/_participants.html", {"checklist": rows, "checklist_org": org})
