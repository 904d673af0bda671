"""Who may do what in member development: the capability checks the services enforce and the
pages ask before offering a button. Built on `accounts.scope`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, scope_for
from hongniudai.accounts.scope import require as require  # every service checks with policy.require
from hongniudai.places import policy as places_policy
from hongniudai.places.models import AreaNode


def may_set_local_rules(user: User) -> bool:
    """A superuser, or a town or county administrator (`places.policy.administers_town`)."""
    return places_policy.administers_town(user)


def may_set_local_rule_at(user: User, area: AreaNode) -> bool:
    """Whether `user` may set, change or drop a local rule of `area`: a rule administrator whose
    place-editing scope covers the area."""
    return may_set_local_rules(user) and scope_for(user, Capability.EDIT_PLACES).covers(area)


def require_rule_admin(actor: User, area: AreaNode | None = None) -> None:
    """Refuse unless `actor` may set local rules (at `area` when given)."""
    allowed = may_set_local_rules(actor) if area is None else may_set_local_rule_at(actor, area)
    if not allowed:
        raise PermissionDenied(_("只有镇(县)管理员可以为本地区从严规定发展党员规则。"))
