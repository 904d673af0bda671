"""A URL conf with stand-ins for the voucher pages (helper A's), so that the reports' drill-down
links are tested whether or not those pages are on the branch."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from hongniudai.ledger.urls import urlpatterns as ledger_patterns


def stand_in(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return HttpResponse()


urlpatterns = [
    path(
        "ledger/",
        include(
            (
                [
                    *ledger_patterns,
                    path("stand-in/vouchers/", stand_in, name="voucher_list"),
                    path("stand-in/vouchers/<int:pk>/", stand_in, name="voucher_detail"),
                ],
                "ledger",
            )
        ),
    )
]
