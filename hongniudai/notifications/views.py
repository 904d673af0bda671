"""The inbox's pieces any page may embed: the unread list with its "mark read" forms, and the unread
count in the navigation. Each acts on the signed-in user's own notifications only."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hongniudai.accounts.http import AuthedHttpRequest
from hongniudai.common import parsing

from . import selectors, services


def back_url(request: AuthedHttpRequest) -> str:
    """The page the list was embedded in (the form's `next`), if it is one of ours; else ""."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@require_POST
def read(request: AuthedHttpRequest) -> HttpResponse:
    """Mark all (`all`) or some (`ids`) of one's own notifications read; then the list again (HTMX)
    or back to the page it was on."""
    if request.POST.get("all"):
        count = services.mark_read(actor=request.user)
    else:
        ids = [pk for pk in map(parsing.parse_id, request.POST.getlist("ids")) if pk]
        count = services.mark_read(actor=request.user, ids=ids)
    back = back_url(request)
    if request.headers.get("HX-Request") == "true":
        notes = list(selectors.unread(request.user)[: selectors.LIST_SIZE])
        return render(request, "notifications/_notifications.html", {"notes": notes, "back": back})
    if count:
        messages.info(request, _("已将 %(n)s 条通知标为已读。") % {"n": count})
    return redirect(back or "home")


@require_GET
def badge(request: AuthedHttpRequest) -> HttpResponse:
    """The unread count next to "事项" and "我的待办" in the navigation (loaded by HTMX)."""
    return render(request, "notifications/_badge.html", {"count": selectors.unread_count(request.user)})
