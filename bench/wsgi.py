"""The benchmark's WSGI entry (served by gunicorn in `bench/run.py`): `/bench/bare/` is answered by
a bare Django view, everything else by the project's application (`hongniudai.wsgi`).

The bare view is what Django itself costs on this stack: Django set up with the same settings, the
same request and response objects and signals (`request_started`, `request_finished`), but no
middleware, no session, no user and no URL resolving. The floor `/bench/floor/` is the same
trivial view behind the project's whole middleware stack, so floor ÷ bare, measured in the same
run by the same workers, is what the request path costs (issue 14: the floor ≥ 50% of bare).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponse
from django.urls import ResolverMatch

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hongniudai.settings.prod")

from hongniudai.wsgi import application as project

BARE_PATH = "/bench/bare/"


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


class BareHandler(WSGIHandler):
    """Django's WSGI handler with no middleware, whose one URL is the bare view."""

    def load_middleware(self, is_async: bool = False) -> None:
        self._view_middleware: list[Any] = []
        self._template_response_middleware: list[Any] = []
        self._exception_middleware: list[Any] = []
        self._middleware_chain = convert_exception_to_response(self._get_response)  # type: ignore[attr-defined]

    def resolve_request(self, request: HttpRequest) -> ResolverMatch:
        match = ResolverMatch(bare, (), {}, url_name="bench_bare", route=BARE_PATH.lstrip("/"))
        request.resolver_match = match
        return match


bare_handler = BareHandler()


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    if environ.get("PATH_INFO") == BARE_PATH:
        return bare_handler(environ, start_response)
    return project(environ, start_response)
