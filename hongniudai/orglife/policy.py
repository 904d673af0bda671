"""Who may do what in organisational life: the capability checks the services enforce and the
pages ask before offering a button. Built on `accounts.scope`."""

from __future__ import annotations

from hongniudai.accounts.models import Role, RoleAssignment, User
from hongniudai.accounts.scope import Capability, user_can
from hongniudai.accounts.scope import require as require  # every service checks with policy.require
from hongniudai.places.models import AreaNode


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
