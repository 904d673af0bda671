"""What every request passes through:

- `LanguageMiddleware`: Simplified Chinese first: the interface language is the one the user chose
  (language cookie, set by the switch in the top bar), otherwise Chinese — never guessed from the
  browser's Accept-Language, so a township computer set up in English still shows Chinese.
- `RefuseNulMiddleware`: a NUL in a query string is a 400, before any view reads it.
- `RefusalMiddleware`: a refusal of the database a page did not catch is a Chinese 409 page."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy

from .refusals import REFUSALS, refusal_message


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


NUL_MESSAGE = gettext_lazy("请求参数中含有不允许的空字符(NUL),请检查后重试。")


def holds_nul(data: QueryDict) -> bool:
    """Whether any key or value of a query string or form body holds a NUL character."""
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())


class RefuseNulMiddleware:
    """A query string holding a NUL character (`?q=%00`) is refused with 400 before any view reads
    it: PostgreSQL cannot compare text with NUL in it, so every filter would otherwise fail there.
    Bodies need no such guard: form fields and the API's fields already refuse NUL. Open311 answers
    in its specification's error format, so its endpoint wrapper applies `holds_nul` itself."""

    OWN_ERROR_FORMAT = ("/open311/",)

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(self.OWN_ERROR_FORMAT):
            return self.get_response(request)
        if "\x00" in request.path or holds_nul(request.GET):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": str(NUL_MESSAGE)}, status=400)
            return HttpResponseBadRequest(str(NUL_MESSAGE), content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class RefusalMiddleware:
    """A refusal of the database that a page did not catch itself (`common.refusals`: a protected
    delete, a broken constraint) is a 409 page saying so in Chinese, never a 500. The shared page
    flows (`common.pages`) catch these on their forms; the API's exception handler answers 409."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, REFUSALS):
            return None
        return render(request, "409.html", {"message": refusal_message(exception)}, status=409)
