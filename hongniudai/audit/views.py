from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from hongniudai.accounts.scope import Capability, scope_for
from hongniudai.common import parsing
from hongniudai.common.pagination import CappedPaginator
from hongniudai.transfer.export import Column, wants_xlsx, xlsx_response

from . import selectors
from .models import AuditAction, AuditEvent


def _changes(event: AuditEvent) -> list[tuple[str, object, object]]:
    out = []
    for field, pair in (event.changes or {}).items():
        before, after = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        out.append((selectors.field_label(event.target_type, field), before, after))
    return out


def event_list(request: HttpRequest) -> HttpResponseBase:
    if scope_for(request.user, Capability.AUDIT).is_empty:
        raise PermissionDenied
    params = request.GET
    qs = selectors.events(
        request.user,
        q=params.get("q", ""),
        action=params.get("action", ""),
        target_type=params.get("target_type", ""),
        actor=params.get("actor", ""),
        date_from=parsing.parse_date(params.get("date_from")),
        date_to=parsing.parse_date(params.get("date_to")),
    )
    if wants_xlsx(request):
        columns = [
            Column("时间", lambda e: e.at, 20),
            Column("操作人", lambda e: e.actor_name),
            Column("IP", lambda e: e.ip),
            Column("操作", lambda e: e.get_action_display()),
            Column("对象类型", lambda e: e.target_type, 18),
            Column("对象", lambda e: e.target_repr, 24),
            Column("变更", lambda e: "; ".join(f"{f}: {b} → {a}" for f, b, a in _changes(e)), 60),
        ]
        return xlsx_response(request, filename="audit", title="审计记录", columns=columns, rows=qs.iterator())
    page = CappedPaginator(qs, 50).get_page(params.get("page"))
    return render(
        request,
        "audit/list.html",
        {
            "page": page,
            "rows": [(e, _changes(e)) for e in page.object_list],
            "actions": AuditAction.choices,
            "target_types": selectors.target_types(request.user),
        },
    )


def history(request: HttpRequest, target_type: str, target_id: str) -> HttpResponse:
    obj, qs = selectors.history(request.user, target_type=target_type, target_id=target_id)
    page = CappedPaginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/history.html",
        {"obj": obj, "target_type": target_type, "page": page, "rows": [(e, _changes(e)) for e in page.object_list]},
    )
