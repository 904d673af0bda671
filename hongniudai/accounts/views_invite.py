"""The invitation link (`/accounts/invite/<key>/`, public): the invited user sees whose account it
is, chooses a password, is signed in and starts on their inbox. A link that is unknown, used or
expired says so, the same for all three."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from hongniudai.common.forms import apply_service_errors

from . import services_users
from .forms import InvitationPasswordForm


@never_cache
def invitation(request: HttpRequest, key: str) -> HttpResponse:
    found = services_users.open_invitation(key)
    if found is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = InvitationPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services_users.accept_invitation(key=key, password=form.cleaned_data["new_password"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            login(request, user)
            messages.success(request, _("密码已设置,欢迎使用红纽带。"))
            return redirect("governance:inbox")
    return render(request, "accounts/invitation.html", {"form": form, "person": found.user})
