"""Small helpers every package's pages share (paging is in `common.pagination`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from hongniudai.accounts.scope import Capability, scope_for, user_can


def require_party_edit(request: HttpRequest, obj: Any) -> None:
    """403 unless the user may maintain party data over `obj`'s node."""
    if not user_can(request.user, Capability.EDIT_PARTY, obj):
        raise PermissionDenied(_("您没有在该范围内进行此操作的权限。"))


def history_context(obj: Any) -> dict[str, Any]:
    """The template context of the "修改记录" link to `obj`'s audit history."""
    return {"history_type": obj._meta.label_lower, "history_id": obj.pk}


def export_area_path(request: HttpRequest) -> str:
    """The area an export is recorded against: the user's one root area, if they have one."""
    scope = scope_for(request.user)
    return scope.area_paths[0] if len(scope.area_paths) == 1 else ""
