"""A new account, and a new way in for an existing one: the administrator creates the user with a
role on a node, or resets their password, and is shown once — never stored, never redirected to —
the one-time password or the invitation link to hand over."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from hongniudai.accounts import policy, selectors, services_users
from hongniudai.accounts.http import AuthedHttpRequest, invitation_url
from hongniudai.accounts.pages import save_form
from hongniudai.accounts.services_users import Handover

from .forms import NODE_QUERY, ResetForm, UserCreateForm, refusal_as_error

CREATE_FIELDS = ("username", "display_name", "phone", "role", "node", "credential")


def handover_page(request: AuthedHttpRequest, handover: Handover, *, created: bool) -> HttpResponse:
    """The page that shows the one-time password or the invitation link, once."""
    link = invitation_url(request, handover.invitation_key) if handover.invitation_key else ""
    context: dict[str, Any] = {
        "person": handover.user,
        "password": handover.password,
        "link": link,
        "expires_at": timezone.localtime(handover.expires_at) if handover.expires_at else None,
        "created": created,
    }
    return render(request, "users/handover.html", context)


@never_cache
def user_create(request: AuthedHttpRequest) -> HttpResponse:
    """The new-user form. Its search button (without JavaScript) sends the form back with the node
    query: the form is shown again, filled in as it was, with the matches to pick from."""
    policy.require_administer(request.user)
    finding = request.method == "POST" and "find" in request.POST
    if finding:
        initial = {name: request.POST.get(name, "") for name in CREATE_FIELDS}
        form = UserCreateForm(initial=initial, actor=request.user, node_q=request.POST.get(NODE_QUERY, ""))
    else:
        node_q = (request.POST or request.GET).get(NODE_QUERY, "")
        form = UserCreateForm(request.POST or None, actor=request.user, node_q=node_q)

    def create(data: dict[str, Any]) -> Handover:
        return refusal_as_error(
            lambda: services_users.onboard_user(
                actor=request.user,
                username=data["username"],
                display_name=data["display_name"],
                phone=data["phone"],
                role=data["role"],
                node=data["node"],
                credential=services_users.Credential(data["credential"]),
            )
        )

    if not finding:
        response = save_form(
            request,
            form,
            create,
            message=lambda h: _("已创建用户“%(name)s”。") % {"name": h.user},
            then=lambda h: handover_page(request, h, created=True),
        )
        if response is not None:
            return response
    return render(request, "users/user_form.html", {"form": form, "title": _("新建用户"), "person": None})


@never_cache
def user_reset(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A new one-time password or invitation: the user's sessions end and their API tokens stop."""
    person = selectors.managed_user(request.user, pk)
    form = ResetForm(request.POST or None)

    def reset(data: dict[str, Any]) -> Handover:
        return refusal_as_error(
            lambda: services_users.reset_credentials(
                actor=request.user, user=person, credential=services_users.Credential(data["credential"])
            )
        )

    response = save_form(
        request,
        form,
        reset,
        message=_("已重置:该用户在各处的登录和 API 令牌均已失效。"),
        then=lambda h: handover_page(request, h, created=False),
    )
    if response is not None:
        return response
    return render(request, "users/user_reset.html", {"form": form, "person": person})
