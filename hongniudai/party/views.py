"""Pages of the party-organisation tree, members and centre households. Thin: selectors read,
services write, forms carry the input; every record is fetched within the user's scope."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hongniudai.accounts.http import AuthedHttpRequest
from hongniudai.accounts.models import User
from hongniudai.accounts.pages import confirm_page, export_or_none, filters_of, form_page
from hongniudai.accounts.pages import history_context as _history
from hongniudai.accounts.pages import require_party_edit as _require_edit
from hongniudai.common import parsing, pick
from hongniudai.common.choices import choice_label
from hongniudai.common.identity import id_number_digest, mask_id_number
from hongniudai.common.pagination import COUNT_CAP, count_upto
from hongniudai.common.pagination import page_of as _page
from hongniudai.common.rows import render_rows
from hongniudai.common.templatetags.hnd import row_url
from hongniudai.common.tree import ancestor_ids
from hongniudai.common.xlsx import Column
from hongniudai.places.models import AreaNode, Resident, age_on

from . import contributions, policy, selectors, services
from .forms import CentreFilterForm, CentreForm, MemberFilterForm, MemberForm, OrgFilterForm, OrgForm, resident_label
from .models import ORG_ALLOWED_CHILDREN, CentreHousehold, Member, OrgKind, PartyOrg

PAGE_SIZE = 50
_ID_LIKE = re.compile(r"^\d{17}[\dXx]$")
MEMBERS_ON_ORG_PAGE = 50


# ---- the organisation tree ------------------------------------------------------------------


def org_pick(request: AuthedHttpRequest) -> HttpResponse:
    """The organisation picker's result list (`common.pick`): matches, or one level of the tree."""
    rows, more, parent = selectors.pick_orgs(request.user, q=pick.query_of(request), parent=request.GET.get("parent"))
    return pick.results_response(request, rows, more=more, parent=parent, empty_label=_("全部党组织"))


def _build_tree(user: User, parent: PartyOrg | None, open_ids: set[int]) -> list[selectors.OrgNode]:
    nodes = selectors.org_tree_nodes(user, parent)
    for node in nodes:
        if node.org.pk in open_ids and node.expandable:
            if node.org.kind == OrgKind.PARTY_GROUP:
                node.centres = selectors.group_centres(user, node.org)
            else:
                node.children = _build_tree(user, node.org, open_ids)
    return nodes


@require_GET
def org_tree(request: AuthedHttpRequest) -> HttpResponse:
    """The tree from the user's visible roots. Roots start open; `?node=<id>` opens the way down
    to that node (the page works without JavaScript; with it, nodes open in place via HTMX)."""
    roots = selectors.org_roots(request.user)
    open_ids = {r.pk for r in roots}
    focus = selectors.org_get_optional(request.user, request.GET.get("node"))
    if focus is not None:
        open_ids |= set(ancestor_ids(focus.path))
    nodes = _build_tree(request.user, None, open_ids)
    return render(request, "party/org_tree.html", {"nodes": nodes, "focus": focus})


@require_GET
def org_tree_children(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """HTMX partial: the children of one node (or a party group's centre households)."""
    org = selectors.org_get(request.user, pk)
    node = selectors.OrgNode(org)
    if org.kind == OrgKind.PARTY_GROUP:
        node.centres = selectors.group_centres(request.user, org)
    else:
        node.children = selectors.org_tree_nodes(request.user, org)
    return render(request, "party/_org_children.html", {"node": node, "oob": True})


# ---- organisations --------------------------------------------------------------------------


def _org_columns() -> list[Column]:
    return [
        Column(_("名称"), lambda o: o.name, width=30),
        Column(_("类型"), lambda o: o.kind_label, width=18),
        Column(_("上级党组织"), lambda o: o.parent.name if o.parent else "", width=24),
        Column(_("所在地区"), lambda o: o.area.name, width=18),
        Column(_("成立日期"), lambda o: o.founded_on, width=12),
        Column(_("设支部委员会"), lambda o: o.has_committee, width=12),
        Column(_("党员数"), lambda o: o.member_count, width=8),
    ]


@require_GET
def org_list(request: AuthedHttpRequest) -> HttpResponseBase:
    form = OrgFilterForm(request.GET or None)
    filters = filters_of(form)
    qs = selectors.orgs(
        request.user, kind=filters.get("kind", ""), branch_type=filters.get("branch_type", ""), q=filters.get("q", "")
    )
    export = export_or_none(request, filename="党组织", title=_("党组织"), columns=_org_columns(), rows=qs)
    if export is not None:
        return export
    page = _page(request, qs.values(*ORG_ROW_FIELDS))
    rows = render_rows("party/_org_rows.jinja", _org_rows(page.object_list))
    context = {"form": form, "page": page, "rows": rows, "can_create_root": _can_create_root(request)}
    return render(request, "party/org_list.html", context)


ORG_ROW_FIELDS = (
    "id",
    "name",
    "kind",
    "branch_type",
    "parent__name",
    "area_id",
    "area__name",
    "member_count",
    "founded_on",
)


def _org_rows(orgs: Any) -> list[dict[str, Any]]:
    """Each organisation's cells, ready to place (`party/_org_rows.jinja`): `PartyOrg.kind_label`
    with the labels resolved once per page."""
    kind, branch_type = choice_label(PartyOrg, "kind"), choice_label(PartyOrg, "branch_type")
    return [
        {
            "url": row_url("party:org_detail", o["id"]),
            "name": o["name"],
            "kind": branch_type(o["branch_type"])
            if o["kind"] == OrgKind.BRANCH and o["branch_type"]
            else kind(o["kind"]),
            "parent": o["parent__name"] or "—",
            "area_url": row_url("places:area_detail", o["area_id"]),
            "area": o["area__name"],
            "member_count": o["member_count"],
            "founded_on": o["founded_on"].isoformat() if o["founded_on"] else "—",
        }
        for o in orgs
    ]


def _can_create_root(request: AuthedHttpRequest) -> bool:
    return selectors.areas_for_org_choice(request.user, kinds=("county", "town")).exists()


@require_GET
def org_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    org = selectors.org_get(request.user, pk)
    members_qs = selectors.org_members(request.user, org)
    members = list(members_qs[: MEMBERS_ON_ORG_PAGE + 1])
    ancestors = selectors.org_ancestors(request.user, org)
    context = {
        "org": org,
        "ancestors": ancestors,
        "parent_visible": bool(ancestors) and ancestors[-1].pk == org.parent_id,
        "children": list(selectors.org_children(request.user, org)),
        "members": members[:MEMBERS_ON_ORG_PAGE],
        "more_members": len(members) > MEMBERS_ON_ORG_PAGE,
        "can_edit": policy.can_edit(request.user, org),
        "can_add_child": bool(ORG_ALLOWED_CHILDREN.get(org.kind)),
        "centres": selectors.group_centres(request.user, org) if org.kind == OrgKind.PARTY_GROUP else [],
        **contributions.pages.context("org", request.user, org),
        **_history(org),
    }
    return render(request, "party/org_detail.html", context)


@require_http_methods(["GET", "POST"])
def org_create(request: AuthedHttpRequest, parent_pk: int | None = None) -> HttpResponse:
    parent = selectors.org_get(request.user, parent_pk) if parent_pk is not None else None
    if parent is not None:
        _require_edit(request, parent)
        if not ORG_ALLOWED_CHILDREN.get(parent.kind):
            messages.warning(request, _("%(kind)s之下不再设立下级党组织。") % {"kind": parent.get_kind_display()})
            return redirect("party:org_detail", parent.pk)
    else:
        policy.require_any_edit(request.user)
    form = OrgForm(request.POST or None, user=request.user, parent=parent)
    title = _("新增下级党组织") if parent else _("新增党组织")
    return form_page(
        request,
        form,
        "party/org_form.html",
        {"parent": parent, "org": None, "title": title},
        save=lambda d: services.create_org(actor=request.user, parent=parent, kind=d["kind"], **_org_values(d)),
        message=lambda org: _("已新增党组织“%(name)s”。") % {"name": org.name},
        then=lambda org: redirect("party:org_detail", org.pk),
    )


def _org_values(d: dict[str, Any]) -> dict[str, Any]:
    """The editable fields (`PartyOrg.EDITABLE`) from the form; only a branch's form asks for its type."""
    return {name: d.get(name, "") for name in PartyOrg.EDITABLE}


@require_http_methods(["GET", "POST"])
def org_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    org = selectors.org_get(request.user, pk)
    _require_edit(request, org)
    initial = model_to_dict(org, fields=PartyOrg.EDITABLE)
    form = OrgForm(request.POST or None, initial=initial, user=request.user, parent=org.parent, org=org)
    return form_page(
        request,
        form,
        "party/org_form.html",
        {"parent": org.parent, "org": org, "title": _("修改党组织")},
        save=lambda d: services.update_org(actor=request.user, org=org, **_org_values(d)),
        message=_("已保存。"),
        then=lambda _org: redirect("party:org_detail", org.pk),
        on_error=org.refresh_from_db,
    )


@require_http_methods(["GET", "POST"])
def org_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    org = selectors.org_get(request.user, pk)
    _require_edit(request, org)

    def after() -> str:
        if org.parent_id and selectors.org_get_optional(request.user, org.parent_id):
            return reverse("party:org_detail", args=[org.parent_id])
        return reverse("party:org_list")

    return confirm_page(
        request,
        "party/confirm_delete.html",
        obj=org,
        what=_("党组织"),
        cancel_url=reverse("party:org_detail", args=[org.pk]),
        act=lambda: services.delete_org(actor=request.user, org=org),
        protected=_("该党组织仍被其他记录引用,不能删除。"),
        message=_("已删除党组织“%(name)s”。") % {"name": org.name},
        then=after,
    )


# ---- members --------------------------------------------------------------------------------


def _member_columns() -> list[Column]:
    return [
        Column(_("姓名"), lambda m: m.resident.name, width=10),
        Column(_("性别"), lambda m: m.resident.get_sex_display(), width=6),
        Column(_("年龄"), lambda m: m.resident.age(), width=6),
        Column(_("身份证号"), lambda m: m.resident.id_masked, width=22, text=True),
        Column(_("所在党支部"), lambda m: m.org.name, width=24),
        Column(_("党小组"), lambda m: m.party_group.name if m.party_group else "", width=20),
        Column(_("党员类别"), lambda m: m.get_status_display(), width=10),
        Column(_("入党日期"), lambda m: m.joined_on, width=12),
        Column(_("转正日期"), lambda m: m.full_on, width=12),
        Column(_("党内职务"), lambda m: m.get_post_display() if m.post else "", width=10),
    ]


# The members list's columns, read as values (no model instances: a fifth of the page's cost).
MEMBER_ROW_FIELDS = (
    "id",
    "resident__name",
    "resident__sex",
    "resident__birth_date",
    "resident__id_masked",
    "org__name",
    "party_group__name",
    "status",
    "joined_on",
    "post",
)


def _member_rows(members: Any) -> list[dict[str, Any]]:
    """Each member's cells, ready to place (`party/_member_rows.jinja`), the labels resolved once."""
    sex, status, post = choice_label(Resident, "sex"), choice_label(Member, "status"), choice_label(Member, "post")
    today = timezone.localdate()
    return [
        {
            "url": row_url("party:member_detail", m["id"]),
            "name": m["resident__name"],
            "sex": sex(m["resident__sex"]),
            "age": age_on(m["resident__birth_date"], today),
            "id_masked": m["resident__id_masked"],
            "org": m["org__name"],
            "group": m["party_group__name"] or "—",
            "status": status(m["status"]),
            "joined_on": m["joined_on"].isoformat() if m["joined_on"] else "",
            "post": post(m["post"]) if m["post"] else "—",
        }
        for m in members.values(*MEMBER_ROW_FIELDS)
    ]


@require_GET
def member_list(request: AuthedHttpRequest) -> HttpResponseBase:
    q = request.GET.get("q", "").strip()
    if _ID_LIKE.match(q):
        # An exact-ID search: carry on with its digest and masked form, never the number itself.
        params = request.GET.copy()
        params.pop("q")
        params["idd"], params["idm"] = id_number_digest(q), mask_id_number(q.upper())
        return redirect(f"{request.path}?{params.urlencode()}")
    form = MemberFilterForm(request.GET or None, user=request.user)
    filters = filters_of(form)
    qs = selectors.members(
        request.user,
        q=filters.get("q", ""),
        org=filters.get("org"),
        status=filters.get("status", ""),
        post=filters.get("post", ""),
    )
    id_digest = request.GET.get("idd", "")
    if id_digest:
        qs = selectors.members_by_id_digest(request.user, qs, id_digest)
    export = export_or_none(request, filename="党员", title=_("党员"), columns=_member_columns(), rows=qs)
    if export is not None:
        return export
    page = _page(request, qs)
    context = {
        "form": form,
        "page": page,
        "rows": render_rows("party/_member_rows.jinja", _member_rows(page.object_list)),
        "can_create": policy.edits_party(request.user),
        "id_masked": request.GET.get("idm", "") if id_digest else "",
    }
    return render(request, "party/member_list.html", context)


@require_GET
def member_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get(request.user, pk)
    context = {
        "member": member,
        "duties": selectors.member_centre_duties(request.user, member),
        "can_edit": policy.can_edit(request.user, member),
        **_history(member),
    }
    return render(request, "party/member_detail.html", context)


@require_http_methods(["GET", "POST"])
def member_create(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_any_edit(request.user)
    resident_q = request.GET.get("resident_q", "").strip()
    if _ID_LIKE.match(resident_q):
        # An exact-ID search: carry on with its digest, never the number itself.
        params = request.GET.copy()
        params["resident_q"], params["resident_idd"] = "", id_number_digest(resident_q)
        return redirect(f"{request.path}?{params.urlencode()}")
    initial: dict[str, Any] = {}
    branch = selectors.org_get_optional(request.user, request.GET.get("org"))
    if branch is not None:
        if branch.kind == OrgKind.PARTY_GROUP:
            initial.update(org=branch.parent_id, party_group=branch.pk)
        elif branch.kind == OrgKind.BRANCH:
            initial["org"] = branch.pk
    if parsing.parse_id(request.GET.get("resident")):
        initial["resident"] = request.GET["resident"]
    form = MemberForm(
        request.POST or None,
        initial=initial,
        user=request.user,
        resident_q=resident_q,
        resident_idd=request.GET.get("resident_idd", ""),
    )
    return form_page(
        request,
        form,
        "party/member_form.html",
        {"member": None, "resident_q": resident_q, "title": _("新增党员")},
        save=lambda d: services.create_member(actor=request.user, resident=d["resident"], **_member_values(d)),
        message=lambda member: _("已新增党员“%(name)s”。") % {"name": member.resident.name},
        then=lambda member: redirect("party:member_detail", member.pk),
    )


def _member_values(d: dict[str, Any]) -> dict[str, Any]:
    """The editable fields of a member record (`Member.EDITABLE`) from the form."""
    return {name: d[name] for name in Member.EDITABLE}


@require_http_methods(["GET", "POST"])
def member_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get(request.user, pk)
    _require_edit(request, member)
    initial = model_to_dict(member, fields=Member.EDITABLE)
    form = MemberForm(request.POST or None, initial=initial, user=request.user, member=member)
    return form_page(
        request,
        form,
        "party/member_form.html",
        {"member": member, "title": _("修改党员信息")},
        save=lambda d: services.update_member(actor=request.user, member=member, **_member_values(d)),
        message=_("已保存。"),
        then=lambda _member: redirect("party:member_detail", member.pk),
        on_error=member.refresh_from_db,
    )


@require_http_methods(["GET", "POST"])
def member_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get(request.user, pk)
    _require_edit(request, member)
    return confirm_page(
        request,
        "party/confirm_delete.html",
        obj=member,
        what=_("党员档案"),
        cancel_url=reverse("party:member_detail", args=[member.pk]),
        act=lambda: services.delete_member(actor=request.user, member=member),
        protected=_("该党员档案仍被其他记录引用,不能删除。"),
        message=_("已删除党员“%(name)s”的档案。") % {"name": member.resident.name},
        then=reverse("party:member_list"),
    )


@require_GET
def resident_options(request: AuthedHttpRequest) -> HttpResponse:
    """HTMX partial: <option>s for the resident select of the new-member form."""
    q = request.GET.get("resident_q", "").strip()
    rows = list(selectors.residents_for_member_choice(request.user, q=q)[: MemberForm.RESIDENT_OPTIONS]) if q else []
    options = [(r.pk, resident_label(r)) for r in rows]
    return render(request, "party/_options.html", {"options": options, "empty": _("请先搜索并选择居民"), "q": q})


@require_GET
def group_options(request: AuthedHttpRequest) -> HttpResponse:
    """HTMX partial: <option>s for the party-group select, limited to the chosen branch."""
    branch = selectors.org_get_optional(request.user, request.GET.get("org"))
    groups = selectors.groups_for_choice(request.user)
    groups = groups.filter(parent=branch) if branch is not None else groups.none()
    options = [(g.pk, g.name) for g in groups]
    return render(request, "party/_options.html", {"options": options, "empty": "---------"})


# ---- centre households ----------------------------------------------------------------------


def _centre(hamlet: AreaNode) -> CentreHousehold | None:
    try:
        return hamlet.centre_household
    except CentreHousehold.DoesNotExist:
        return None


def _village_of(hamlet: AreaNode) -> str:
    grid = hamlet.parent
    return grid.parent.name if grid is not None and grid.parent is not None else ""


def _centre_columns() -> list[Column]:
    return [
        Column(_("村(社区)"), _village_of, width=14),
        Column(_("村组(网格)"), lambda h: h.parent.name if h.parent else "", width=12),
        Column(_("湾组"), lambda h: h.name, width=14),
        Column(_("党员中心户"), lambda h: c.member.resident.name if (c := _centre(h)) else "", width=12),
        Column(_("所在党支部"), lambda h: c.member.org.name if (c := _centre(h)) else "", width=24),
        Column(_("联系户数"), lambda h: h.linked_count if _centre(h) else "", width=10),
        Column(_("担任日期"), lambda h: c.since if (c := _centre(h)) else None, width=12),
    ]


@require_GET
def centre_list(request: AuthedHttpRequest) -> HttpResponseBase:
    form = CentreFilterForm(request.GET or None, user=request.user)
    filters = filters_of(form)
    qs = selectors.hamlets_with_centres(request.user, area=filters.get("area"), state=filters.get("state", ""))
    export = export_or_none(request, filename="党员中心户", title=_("党员中心户"), columns=_centre_columns(), rows=qs)
    if export is not None:
        return export
    # Counted without the rows' joins (centre household, member, names): the county's 20 ms → 2 on SQLite.
    page = _page(request, qs.values(*CENTRE_ROW_FIELDS), total=count_upto(qs, COUNT_CAP))
    can_edit = policy.edits_party(request.user)
    rows = render_rows("party/_centre_rows.jinja", _centre_rows(page.object_list, can_edit=can_edit), not_set=_("未设"))
    return render(request, "party/centre_list.html", {"form": form, "page": page, "rows": rows, "can_edit": can_edit})


CENTRE_ROW_FIELDS = (
    "id",
    "name",
    "parent__name",
    "parent__parent__name",
    "centre_household__member_id",
    "centre_household__member__resident__name",
    "centre_household__member__org__name",
    "linked_count",
)


def _centre_rows(hamlets: Any, *, can_edit: bool) -> list[dict[str, Any]]:
    """Each hamlet's cells with its centre household, ready to place (`party/_centre_rows.jinja`)."""
    adjust, found = _("调整"), _("设立")
    return [
        {
            "village": h["parent__parent__name"],
            "grid": h["parent__name"],
            "url": row_url("places:area_detail", h["id"]),
            "name": h["name"],
            "member_url": row_url("party:member_detail", h["centre_household__member_id"])
            if h["centre_household__member_id"]
            else "",
            "member": h["centre_household__member__resident__name"],
            "org": h["centre_household__member__org__name"],
            "linked": h["linked_count"],
            "edit_url": row_url("party:centre_edit", h["id"]) if can_edit else "",
            "edit": adjust if h["centre_household__member_id"] else found,
        }
        for h in hamlets
    ]


@require_http_methods(["GET", "POST"])
def centre_edit(request: AuthedHttpRequest, hamlet_id: int) -> HttpResponse:
    hamlet = selectors.hamlet_get(request.user, hamlet_id)
    _require_edit(request, hamlet)
    centre = selectors.centre_for_hamlet(request.user, hamlet)
    initial = model_to_dict(centre, fields=CentreHousehold.EDITABLE) if centre is not None else {}
    form = CentreForm(request.POST or None, initial=initial, user=request.user, hamlet=hamlet)
    return form_page(
        request,
        form,
        "party/centre_form.html",
        {"hamlet": hamlet, "centre": centre, **(_history(centre) if centre else {})},
        save=lambda d: services.set_centre_household(
            actor=request.user, hamlet=hamlet, **{name: d[name] for name in CentreHousehold.EDITABLE}
        ),
        message=_("已保存“%(hamlet)s”的党员中心户。") % {"hamlet": hamlet.name},
        then=lambda _centre: redirect(f"{reverse('party:centre_list')}?area={hamlet.parent_id or ''}"),
    )


@require_http_methods(["GET", "POST"])
def centre_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    centre = selectors.centre_get(request.user, pk)
    _require_edit(request, centre)
    return confirm_page(
        request,
        "party/confirm_delete.html",
        obj=centre,
        what=_("党员中心户"),
        action_label=_("撤销"),
        cancel_url=reverse("party:centre_edit", args=[centre.hamlet_id]),
        act=lambda: services.remove_centre_household(actor=request.user, centre=centre),
        message=_("已撤销“%(hamlet)s”的党员中心户。") % {"hamlet": centre.hamlet.name},
        then=reverse("party:centre_list"),
    )
