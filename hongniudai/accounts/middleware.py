from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .models import User
from .selectors import must_choose_password

# "/volunteers/feed/", "/projects/feed/": a volunteer's tasks and a team's visit calendar, reached by
# their private tokens (calendar apps sign in to nothing).
PUBLIC_PREFIXES = (
    "/accounts/login/",
    "/accounts/invite/",
    "/static/",
    "/api/",
    "/open311/",
    "/i18n/",
    "/healthz",
    "/volunteers/feed/",
    "/projects/feed/",
)


class LoginRequiredMiddleware:
    """Every page needs a signed-in user, except the login page, static files and the APIs
    (which authenticate themselves)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)


TOUCH_SECONDS = 60


class IdleTimeoutMiddleware:
    """The idle timeout: a session lives SESSION_COOKIE_AGE seconds from the user's last request.
    Instead of saving the session on every request (a database write per page view), the session
    is marked changed, and so saved with its expiry pushed back, at most once a minute."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            now = int(time.time())
            if now - int(session.get("_seen", 0)) >= TOUCH_SECONDS:
                session["_seen"] = now
        return self.get_response(request)


# Pages a user who must choose a new password may still reach.
PASSWORD_CHANGE_EXEMPT = ("/accounts/me/password/", "/accounts/logout/", *PUBLIC_PREFIXES)


class PasswordChangeRequiredMiddleware:
    """A user with a first password given by an administrator, or an expired one, sees the
    password page before anything else (`accounts.selectors.must_choose_password`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            isinstance(user, User)
            and not request.path.startswith(PASSWORD_CHANGE_EXEMPT)
            and must_choose_password(user)
        ):
            return redirect("accounts:password_change")
        return self.get_response(request)
