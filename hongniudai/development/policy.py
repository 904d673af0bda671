"""Who may do what in member development: the capability checks the services enforce and the
pages ask before offering a button. Built on `accounts.scope`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from hongniudai.accounts.models import RoleAssignment, User
from hongniudai.accounts.scope import CAPABILITIES, Capability, scope_for
from hongniudai.accounts.scope import require as require  # every service checks with policy.require
from hongniudai.places.models import AreaKind, AreaNode


def may_set_local_rules(user: User) -> bool:
    """A superuser, or a town or county administrator (whoever may edit places at a town or county)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    roles = [role for role, caps in CAPABILITIES.items() if Capability.EDIT_PLACES in caps]
    return RoleAssignment.objects.filter(
        user=user, role__in=roles, area__kind__in=(AreaKind.TOWN, AreaKind.COUNTY)
    ).exists()


def may_set_local_rule_at(user: User, area: AreaNode) -> bool:
    """Whether `user` may set, change or drop a local rule of `area`: a rule administrator whose
    place-editing scope covers the area."""
    return may_set_local_rules(user) and scope_for(user, Capability.EDIT_PLACES).covers(area)


def require_rule_admin(actor: User, area: AreaNode | None = None) -> None:
    """Refuse unless `actor` may set local rules (at `area` when given)."""
    allowed = may_set_local_rules(actor) if area is None else may_set_local_rule_at(actor, area)
    if not allowed:
        raise PermissionDenied(_("只有镇(县)管理员可以为本地区从严规定发展党员规则。"))
