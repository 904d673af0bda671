"""The signed-in user's own account: `/accounts/me/` (name, masked phone, roles and nodes, API
tokens), changing the password, revoking tokens, signing out everywhere else."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services_self, services_tokens
from .forms import PasswordChangeForm
from .http import AuthedHttpRequest
from .pages import form_page


def me(request: AuthedHttpRequest) -> HttpResponse:
    return render(request, "accounts/me.html", {"account": selectors.my_account(request.user)})


def password_change(request: AuthedHttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    user = request.user
    # A first password given by an administrator is replaced before the user's day starts: on to the inbox.
    first = user.must_change_password

    def save(data: dict[str, str]) -> None:
        services_self.change_password(actor=user, old_password=data["old_password"], new_password=data["new_password"])
        update_session_auth_hash(request, user)  # this session stays; the others end

    def then(_result: None) -> HttpResponse:
        return redirect("governance:inbox" if first else "accounts:me")

    context = {"forced": selectors.must_choose_password(user), "expired": selectors.password_expired(user)}
    return form_page(
        request, form, "accounts/password_change.html", context, save=save, message=_("密码已修改。"), then=then
    )


@require_POST
def token_revoke(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    token = selectors.my_token(request.user, pk)
    if token is None:
        raise Http404
    services_tokens.revoke_token(actor=request.user, token=token)
    messages.success(request, _("令牌 %(p)s… 已作废。") % {"p": token.prefix})
    return redirect("accounts:me")


@require_POST
def tokens_revoke_all(request: AuthedHttpRequest) -> HttpResponse:
    count = services_tokens.revoke_all_tokens(actor=request.user, user=request.user)
    messages.success(request, _("已作废 %(n)s 个令牌。") % {"n": count})
    return redirect("accounts:me")


@require_POST
def sign_out_elsewhere(request: AuthedHttpRequest) -> HttpResponse:
    services_self.end_other_sessions(actor=request.user)
    update_session_auth_hash(request, request.user)
    messages.success(request, _("其他设备上的登录已全部退出。"))
    return redirect("accounts:me")
