"""Who may do what in organisational life: the capability checks the services enforce and the
pages ask before offering a button. Built on `accounts.scope`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from hongniudai.accounts.models import Role, RoleAssignment, User
from hongniudai.accounts.scope import Capability, user_can
from hongniudai.places.models import AreaNode


def require(actor: User, capability: Capability, obj: Any) -> None:
    """Refuse (`PermissionDenied`) unless `actor` holds `capability` over `obj`."""
    if not user_can(actor, capability, obj):
        raise PermissionDenied(_("您没有在该范围内进行此操作的权限。"))


def can_edit_rules(actor: User, area: AreaNode | None = None) -> bool:
    """Local rules are kept by town or county administrators (a town administrator assigned at
    the town or the county), for areas within their assignment."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if actor.is_superuser:
        return True
    paths = RoleAssignment.objects.filter(user=actor, role=Role.TOWN_ADMIN, area__isnull=False).values_list(
        "area__path", flat=True
    )
    if area is None:
        return paths.exists()
    return any(area.path.startswith(p) for p in paths) and user_can(actor, Capability.EDIT_PARTY, area)
