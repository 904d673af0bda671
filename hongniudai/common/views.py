from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse


def floor(request: HttpRequest) -> HttpResponse:
    """The benchmark's floor: the cheapest Django view, through the same middleware and settings
    (a signed-in user, like every page)."""
    return HttpResponse("ok", content_type="text/plain")


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
