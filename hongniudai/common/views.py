from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

# Roles whose day is the matters awaiting them: they start on their inbox.
INBOX_FIRST = {"centre_household", "grid_worker", "sent_down_cadre", "legal_adviser"}


def home(request: HttpRequest) -> HttpResponse:
    from hongniudai.accounts.scope import roles_of

    if roles_of(request.user) & INBOX_FIRST:
        return redirect("governance:inbox")
    return redirect("places:tree")


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
