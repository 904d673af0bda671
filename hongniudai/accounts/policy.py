"""Who may manage whose account (issue 21). An administrator manages a user when every role of the
user lies in the administrator's MANAGE_USERS scope and gives nothing the administrator lacks there:
no one manages their own account here, and only a superuser manages a superuser."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .models import RoleAssignment, User
from .scope import CAPABILITIES, Capability, scope_for


def capabilities_over(actor: User, assignment: RoleAssignment) -> frozenset[Capability]:
    """The capabilities `actor` holds over the node of `assignment`."""
    return frozenset(c for c in Capability if scope_for(actor, c).covers(assignment))


def may_manage(actor: User, user: User) -> bool:
    if actor.pk == user.pk or (user.is_superuser and not actor.is_superuser):
        return False
    if actor.is_superuser:
        return True
    assignments = list(user.assignments.all())
    if not assignments:
        return False
    for a in assignments:
        held = capabilities_over(actor, a)
        if Capability.MANAGE_USERS not in held or not CAPABILITIES.get(a.role, frozenset()) <= held:
            return False
    return True


def require_manage(actor: User, user: User) -> None:
    if actor.pk == user.pk:
        raise PermissionDenied(_("不能停用或启用自己的账号。"))
    if not may_manage(actor, user):
        raise PermissionDenied(_("该用户的角色超出了您的管理范围或权限,请联系上级管理员。"))
