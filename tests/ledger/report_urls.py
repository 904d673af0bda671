"""The platform's URL conf with stand-ins for the voucher pages (helper A's) added to the ledger's,
so that the reports' drill-down links are tested whether or not those pages are on the branch."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLResolver, include, path

from hongniudai.urls import urlpatterns as platform


def stand_in(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return HttpResponse()


STAND_INS = [
    path("stand-in/vouchers/", stand_in, name="voucher_list"),
    path("stand-in/vouchers/<int:pk>/", stand_in, name="voucher_detail"),
]


def _with_stand_ins(pattern: object) -> object:
    if isinstance(pattern, URLResolver) and pattern.namespace == "ledger":
        return path("ledger/", include(([*pattern.url_patterns, *STAND_INS], "ledger")))
    return pattern


urlpatterns = [_with_stand_ins(p) for p in platform]
