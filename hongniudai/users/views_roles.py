"""Changing an account an administrator manages: its name and phone, granting it a role on a node,
ending a role on a date (the row stays in its history); and the towns' account rules."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hongniudai.accounts import policy, selectors, services_users
from hongniudai.accounts.http import AuthedHttpRequest
from hongniudai.accounts.pages import form_page
from hongniudai.common import parsing

from . import selectors as users_selectors
from .forms import NODE_QUERY, RoleEndForm, RoleNodeForm, UserEditForm, refusal_as_error


def user_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    person = selectors.managed_user(request.user, pk)
    form = UserEditForm(request.POST or None, person=person)
    return form_page(
        request,
        form,
        "users/user_form.html",
        {"title": _("编辑用户"), "person": person},
        save=lambda _d: refusal_as_error(
            lambda: services_users.update_user(actor=request.user, user=person, data=form.values())
        ),
        message=_("用户信息已保存。"),
        then=lambda _r: redirect("users:user_detail", person.pk),
    )


def role_grant(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Another role for the account. The search button (without JavaScript) sends the form back
    with the node query, and the form is shown again with the matches."""
    person = selectors.managed_user(request.user, pk)
    finding = request.method == "POST" and "find" in request.POST
    node_q = (request.POST or request.GET).get(NODE_QUERY, "")
    if finding:
        initial = {"role": request.POST.get("role", ""), "node": request.POST.get("node", "")}
        form = RoleNodeForm(initial=initial, actor=request.user, node_q=node_q)
    else:
        form = RoleNodeForm(request.POST or None, actor=request.user, node_q=node_q)
    if finding:
        return render(request, "users/user_form.html", {"form": form, "title": _("授予角色"), "person": person})
    return form_page(
        request,
        form,
        "users/user_form.html",
        {"title": _("授予角色"), "person": person},
        save=lambda d: refusal_as_error(
            lambda: services_users.grant_role(actor=request.user, user=person, role=d["role"], node=d["node"])
        ),
        message=lambda a: _("已授予“%(role)s”。") % {"role": a},
        then=lambda _a: redirect("users:user_detail", person.pk),
    )


def role_end(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """End a role on a date (today by default): who granted and who ended it stay in the history."""
    assignment = selectors.managed_assignment(request.user, pk)
    form = RoleEndForm(request.POST or None)
    return form_page(
        request,
        form,
        "users/role_end.html",
        {"assignment": assignment, "person": assignment.user},
        save=lambda d: refusal_as_error(
            lambda: services_users.end_role(actor=request.user, assignment=assignment, on=d["ended_on"])
        ),
        message=_("角色已终止,历史记录保留。"),
        then=lambda _a: redirect("users:user_detail", assignment.user_id),
    )


@require_http_methods(["GET", "POST"])
def town_rules(request: AuthedHttpRequest) -> HttpResponse:
    """Each town the administrator decides for: whether its village secretaries manage their
    village's grid workers, centre households and volunteers."""
    rules = list(users_selectors.rule_towns(request.user))
    if not rules:
        raise PermissionDenied(policy.NOT_TOWN_RULER)
    if request.method == "POST":
        return _save_rule(request, {town.pk: town for town in rules})
    return render(request, "users/town_rules.html", {"rules": rules})


def _save_rule(request: AuthedHttpRequest, towns: dict[int, Any]) -> HttpResponse:
    town = towns.get(parsing.parse_id(request.POST.get("town")) or 0)
    if town is None:
        raise Http404
    allowed = request.POST.get("allowed") == "on"
    try:
        services_users.set_town_rules(actor=request.user, town=town, village_secretaries_manage=allowed)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if allowed:
            message = _("%(town)s:村党支部书记现在可以管理本村网格员、党员中心户和志愿者账号。")
        else:
            message = _("%(town)s:村党支部书记不再管理本村的账号。")
        messages.success(request, message % {"town": town})
    return redirect("users:town_rules")
