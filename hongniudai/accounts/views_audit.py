"""The audit log pages: who changed what, scoped by `Capability.AUDIT`."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.audit import actions as audit_actions
from hongniudai.audit.display import ChangeReader
from hongniudai.common import parsing
from hongniudai.common.pagination import CappedPaginator
from hongniudai.common.rows import render_rows
from hongniudai.common.xlsx import Column, wants_xlsx

from . import selectors_audit as selectors
from .http import AuthedHttpRequest
from .pages import export_response
from .scope import Capability, scope_for


def _event_rows(events: Any, reader: ChangeReader) -> list[dict[str, Any]]:
    """Each event's cells, ready to place (`audit/_event_rows.jinja`)."""
    system = _("系统")
    # The history link reversed once, each row's type and id put in place of the stand-ins.
    head, _sep, tail = reverse("audit:history", args=["TYPE", "ID"]).partition("TYPE/ID")
    rows = []
    for e in events:
        linked = bool(e.target_id and e.target_type)
        rows.append(
            {
                "at": timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
                "actor": e.actor_name or system,
                "action": e.action_label,
                "target": e.target_repr,
                "url": f"{head}{quote(e.target_type)}/{quote(str(e.target_id))}{tail}" if linked else "",
                "changes": [
                    (label, "—" if before is None else before, "—" if after is None else after)
                    for label, before, after in reader.changes(e)
                ],
                "note": e.note,
                "ip": e.ip or "",
            }
        )
    return rows


def event_list(request: AuthedHttpRequest) -> HttpResponseBase:
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
    reader = ChangeReader()
    if wants_xlsx(request):
        columns = [
            Column("时间", lambda e: e.at, 20),
            Column("操作人", lambda e: e.actor_name),
            Column("IP", lambda e: e.ip),
            Column("操作", lambda e: e.action_label),
            Column("对象类型", lambda e: reader.type_label(e.target_type), 18),
            Column("对象", lambda e: e.target_repr, 24),
            Column("变更", lambda e: "; ".join(f"{f}: {b} → {a}" for f, b, a in reader.changes(e)), 60),
        ]
        return export_response(request, filename="audit", title="审计记录", columns=columns, rows=qs)
    page = CappedPaginator(qs, 50).get_page(params.get("page"))
    return render(
        request,
        "audit/list.html",
        {
            "page": page,
            "rows": render_rows("audit/_event_rows.jinja", _event_rows(page.object_list, reader), show_target=True),
            "actions": audit_actions.choices(),
            "target_types": sorted(
                ((t, reader.type_label(t)) for t in selectors.target_types(request.user)), key=lambda pair: pair[1]
            ),
        },
    )


def history(request: AuthedHttpRequest, target_type: str, target_id: str) -> HttpResponse:
    obj, qs = selectors.history(request.user, target_type=target_type, target_id=target_id)
    page = CappedPaginator(qs, 50).get_page(request.GET.get("page"))
    reader = ChangeReader()
    return render(
        request,
        "audit/history.html",
        {
            "obj": obj,
            "target_type": target_type,
            "page": page,
            "rows": render_rows("audit/_event_rows.jinja", _event_rows(page.object_list, reader), show_target=False),
        },
    )
