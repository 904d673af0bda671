"""The accounts an administrator manages (`accounts.policy`): the list in scope (filtered by role and
node), one account with its roles and their history, deactivating and activating it again, and the
node picker's matches. Creating, editing, granting and ending roles: `views_onboard`, `views_roles`."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from hongniudai.accounts import policy, selectors, services_users
from hongniudai.accounts.http import AuthedHttpRequest
from hongniudai.accounts.pages import confirm_page, filters_of
from hongniudai.common.identity import mask_phone
from hongniudai.common.pagination import page_of

from . import selectors as users_selectors
from .forms import NODE_QUERY, UserFilterForm


def user_list(request: AuthedHttpRequest) -> HttpResponse:
    policy.require_administer(request.user)
    form = UserFilterForm(request.GET, actor=request.user)
    filters = filters_of(form)
    active = {"active": True, "inactive": False}.get(filters.get("status", ""))
    rows = selectors.managed_users(request.user, q=filters.get("q", ""), active=active, with_roles=False)
    rows = users_selectors.with_role_at(rows, role=filters.get("role", ""), node=filters.get("node"))
    page = page_of(request, rows.only("username", "display_name", "is_active"))
    roles = users_selectors.current_roles([u.pk for u in page.object_list])
    context = {
        "page": page,
        "rows": [(u, roles[u.pk]) for u in page.object_list],
        "form": form,
        "may_set_rules": users_selectors.rule_towns(request.user).exists(),
    }
    return render(request, "users/user_list.html", context)


def node_options(request: AuthedHttpRequest) -> HttpResponse:
    """HTMX partial: the picker's radio buttons for the query (`q`, or the picker's own box)."""
    policy.require_administer(request.user)
    query = request.GET.get("q") or request.GET.get(NODE_QUERY, "")
    options = users_selectors.nodes_matching(request.user, query)
    return render(request, "users/_node_options.html", {"options": options, "name": "node", "query": query.strip()})


def user_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = selectors.managed_user(request.user, pk)
    context = {
        "person": user,
        "masked_phone": mask_phone(user.phone),
        "history": selectors.role_history(user),
        "may_manage": policy.may_manage(request.user, user),
        "linked": users_selectors.person_of(user),
    }
    return render(request, "users/user_detail.html", context)


def _confirm_status(request: AuthedHttpRequest, pk: int, *, active: bool) -> HttpResponse:
    """The confirmation page of deactivating (`active` False) or reactivating an account."""
    user = selectors.managed_user(request.user, pk)
    back = reverse("users:user_detail", args=[user.pk])
    change = services_users.reactivate_user if active else services_users.deactivate_user
    return confirm_page(
        request,
        "party/confirm_delete.html",
        obj=user,
        what=_("用户"),
        cancel_url=back,
        act=lambda: change(actor=request.user, user=user),
        message=_("用户已重新启用。") if active else _("用户已停用:其登录和 API 令牌已全部失效。"),
        then=back,
        action_label=_("启用") if active else _("停用"),
    )


def user_deactivate(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _confirm_status(request, pk, active=False)


def user_reactivate(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _confirm_status(request, pk, active=True)
