from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from . import policy
from .models import Role
from .scope import Capability, roles_of, scope_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    flags: dict[str, Any] = {
        "can_audit": not scope_for(user, Capability.AUDIT).is_empty,
        "can_manage_users": policy.may_administer(user),
        "can_import": not scope_for(user, Capability.IMPORT).is_empty,
        "can_edit_people": not scope_for(user, Capability.EDIT_PEOPLE).is_empty,
        "can_edit_party": not scope_for(user, Capability.EDIT_PARTY).is_empty,
        "can_edit_places": not scope_for(user, Capability.EDIT_PLACES).is_empty,
        "can_view_books": not scope_for(user, Capability.BOOKS_VIEW).is_empty,
        "can_view_economy": not scope_for(user, Capability.ECONOMY_VIEW).is_empty,
        "can_services": not scope_for(user, Capability.SERVICES).is_empty,
        "can_watch": not scope_for(user, Capability.WATCH).is_empty,
        "can_projects": not scope_for(user, Capability.PROJECTS).is_empty,
        "is_volunteer": Role.VOLUNTEER in roles_of(user),
    }
    # The main menu depends on nothing else: its HTML is cached once per set of flags and language
    # (base.html), instead of reversing some forty URLs on every page.
    flags["nav_key"] = "".join("1" if flags[name] else "0" for name in sorted(flags))
    return flags
