from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect


def home(request: HttpRequest) -> HttpResponse:
    return redirect("places:tree")


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def placeholder(request: HttpRequest, **kwargs: object) -> HttpResponse:
    """Temporary target for URL names whose pages are being written."""
    return HttpResponse("建设中")
