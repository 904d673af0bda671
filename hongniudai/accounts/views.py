from __future__ import annotations

from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hongniudai.audit import actions as audit_actions
from hongniudai.audit import services as audit

from . import services
from .forms import LoginForm
from .http import AuthedHttpRequest
from .models import Role, User
from .scope import roles_of


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_attempt(
                request=request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
            )
        except services.LoginLocked as locked:
            local = timezone.localtime(locked.until)
            form.add_error(
                None, _("登录失败次数过多,账号已暂时锁定,请在 %(time)s 之后再试。") % {"time": f"{local:%H:%M}"}
            )
        else:
            if user is None:
                form.add_error(None, _("用户名或密码不正确。"))
            else:
                login(request, user)
                target = request.GET.get("next", "")
                if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                    target = "/"
                return redirect(target or "/")
    return render(request, "accounts/login.html", {"form": form})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit.record(actor=request.user, action=audit_actions.LOGOUT, target=request.user)
    logout(request)
    return redirect("accounts:login")


# Roles whose day is the matters awaiting them: they start on their inbox.
BOOKS_ONLY = frozenset({Role.VILLAGE_ACCOUNTANT, Role.RURAL_ECONOMY_OFFICER})
INBOX_FIRST = {"centre_household", "grid_worker", "sent_down_cadre", "legal_adviser"}


def home(request: AuthedHttpRequest) -> HttpResponse:
    roles = roles_of(request.user)
    if roles & INBOX_FIRST:
        return redirect("governance:inbox")
    if _instructor_only(request.user, roles):
        return redirect("enterprises:my_guidance")
    if roles and roles <= BOOKS_ONLY:
        return redirect("ledger:books_list")  # an accountant or 农经员 keeps the books, nothing else
    if roles == {Role.VOLUNTEER}:
        return redirect("volunteers:my_tasks")  # a volunteer sees their own tasks
    if roles == {Role.PROJECT_CADRE}:
        return redirect("projects:home")  # a service team's cadre starts on their teams (我的专班)
    return redirect("places:tree")


def _instructor_only(user: User, roles: set[str]) -> bool:
    """An instructor with no other role lands on their own page (the branches and enterprises
    assigned); one assigned only to enterprises has no role assignment, only the profile."""
    if roles:
        return roles == {Role.INSTRUCTOR}
    return hasattr(user, "instructor_profile")
