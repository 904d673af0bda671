from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

# Roles whose day is the matters awaiting them: they start on their inbox.
INBOX_FIRST = {"centre_household", "grid_worker", "sent_down_cadre", "legal_adviser"}


def home(request: HttpRequest) -> HttpResponse:
    from hongniudai.accounts.scope import roles_of

    roles = roles_of(request.user)
    if roles & INBOX_FIRST:
        return redirect("governance:inbox")
    if _instructor_only(request.user, roles):
        return redirect("enterprises:my_guidance")
    return redirect("places:tree")


def _instructor_only(user: Any, roles: set[str]) -> bool:
    """An instructor with no other role lands on their own page (the branches and enterprises
    assigned); one assigned only to enterprises has no role assignment, only the profile."""
    from hongniudai.accounts.models import Role

    if roles:
        return roles == {Role.INSTRUCTOR}
    return hasattr(user, "instructor_profile")


def floor(request: HttpRequest) -> HttpResponse:
    """The benchmark's floor: the cheapest Django view, through the same middleware and settings
    (a signed-in user, like every page)."""
    return HttpResponse("ok", content_type="text/plain")


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
