"""Who may grant which role where, and so whose account they manage (issue 21).

One rule, no escalation: `actor` may grant `role` on a node when
- the node lies in the actor's MANAGE_USERS scope and the role gives nothing there that the actor
  lacks there (a role's power is its set of capabilities, `scope.CAPABILITIES`); or
- the town allows it (`TownAccountSettings.village_secretaries_manage`), the actor is the secretary
  of the village the node lies in, and the role is a grid worker, centre household or volunteer.
A superuser grants anything. An administrator manages a user when they could have granted each of
the user's roles (the current ones, or the last ones if all have ended); never their own account,
and only a superuser manages a superuser."""

from __future__ import annotations

import functools
import operator
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .caching import delegating_towns
from .models import Role, RoleAssignment, TownAccountSettings, User
from .scope import CAPABILITIES, AnyUser, Capability, assignment_rows, scope_for

# The roles a village secretary may grant in their own village, when the town allows it.
DELEGABLE_ROLES = frozenset({Role.GRID_WORKER, Role.CENTRE_HOUSEHOLD, Role.VOLUNTEER})


def capabilities_at(actor: AnyUser, node: Any) -> frozenset[Capability]:
    """The capabilities `actor` holds over `node` (an area node or a party organisation)."""
    return frozenset(c for c in Capability if scope_for(actor, c).covers(node))


def delegated_paths(actor: AnyUser) -> tuple[str, ...]:
    """The paths of the villages whose grid workers, centre households and volunteers `actor` manages
    as their secretary, in towns that allow it (cached on the user object, like scopes)."""
    if not isinstance(actor, User) or not actor.is_active:
        return ()
    cached: tuple[str, ...] | None = getattr(actor, "_hnd_delegated", None)
    if cached is not None:
        return cached
    villages = [area for role, area, _org in assignment_rows(actor) if role == Role.VILLAGE_SECRETARY and area]
    towns: list[str] = []
    if villages:
        towns = delegating_towns(
            lambda: list(
                TownAccountSettings.objects.filter(village_secretaries_manage=True).values_list("town__path", flat=True)
            )
        )
    paths = tuple(v for v in villages if any(v.startswith(t) for t in towns))
    setattr(actor, "_hnd_delegated", paths)  # noqa: B010 - a cache on the user object, not a field
    return paths


def _node_path(node: Any) -> tuple[str, str]:
    """(area path, org path) of a node: an area node's own path, or a party organisation's."""
    if getattr(node, "scope_org_path", None) == "path":
        return "", node.path
    return node.path, ""


def grant_refusal(actor: AnyUser, role: str, node: Any) -> str | None:
    """Why `actor` may not grant `role` on `node`, in words for the user; None when they may."""
    if not isinstance(actor, User) or not actor.is_active:
        return _("请先登录。")
    if role not in CAPABILITIES:
        return _("未知的角色。")
    if actor.is_superuser:
        return None
    if scope_for(actor, Capability.MANAGE_USERS).covers(node):
        if CAPABILITIES[role] <= capabilities_at(actor, node):
            return None
        return _("您不能授予“%(role)s”:该角色的权限超出了您自己在“%(node)s”的权限。") % {
            "role": Role(role).label,
            "node": node,
        }
    area_path, _org_path = _node_path(node)
    villages = delegated_paths(actor)
    if area_path and any(area_path.startswith(v) for v in villages):
        if role in DELEGABLE_ROLES:
            return None
        return _("村党支部书记只能为本村授予网格员、党员中心户和志愿者角色,不能授予“%(role)s”。") % {
            "role": Role(role).label
        }
    return _("“%(node)s”不在您的账号管理范围之内。") % {"node": node}


def may_grant(actor: AnyUser, role: str, node: Any) -> bool:
    return grant_refusal(actor, role, node) is None


def require_grant(actor: AnyUser, role: str, node: Any) -> None:
    refusal = grant_refusal(actor, role, node)
    if refusal is not None:
        raise PermissionDenied(refusal)


NOT_ADMINISTRATOR = _lazy("只有镇(县)管理员(或经本镇允许的村党支部书记)可以管理用户账号。")
NOT_TOWN_RULER = _lazy("只有镇(县)管理员可以查看和修改本镇的账号设置。")


def require_administer(actor: AnyUser) -> None:
    """Refuse (403, with the reason) anyone who manages no accounts: the users pages and API."""
    if not may_administer(actor):
        raise PermissionDenied(NOT_ADMINISTRATOR)


def may_administer(actor: AnyUser) -> bool:
    """Does `actor` manage any accounts at all (the users pages, the users API)?"""
    if not isinstance(actor, User) or not actor.is_active:
        return False
    return not scope_for(actor, Capability.MANAGE_USERS).is_empty or bool(delegated_paths(actor))


def managed_assignments_q(actor: AnyUser) -> Q:
    """The role assignments (current or ended) that put their user in `actor`'s list of accounts."""
    scope = scope_for(actor, Capability.MANAGE_USERS)
    parts = [] if scope.is_empty else [scope.q(RoleAssignment)]
    parts += [Q(role__in=DELEGABLE_ROLES, area__path__under=p) for p in delegated_paths(actor)]
    if not parts:
        return Q(pk__in=[])
    return functools.reduce(operator.or_, parts)


def governing_assignments(user: User) -> list[RoleAssignment]:
    """The assignments that say who manages `user`: the current ones, or the last ended ones."""
    current = list(RoleAssignment.objects.filter(user=user).select_related("area", "org"))
    if current:
        return current
    last = RoleAssignment.history.filter(user=user).order_by("-ended_on", "-id").values_list("ended_on", flat=True)
    ended_on = last.first()
    return list(RoleAssignment.history.filter(user=user, ended_on=ended_on).select_related("area", "org"))


def manage_refusal(actor: AnyUser, user: User) -> str | None:
    """Why `actor` may not manage `user`'s account, in words for the user; None when they may."""
    if not isinstance(actor, User) or not actor.is_active:
        return _("请先登录。")
    if actor.pk == user.pk:
        return _("不能在这里管理自己的账号,请到“我的账号”修改。")
    if user.is_superuser and not actor.is_superuser:
        return _("只有超级管理员可以管理超级管理员的账号。")
    if actor.is_superuser:
        return None
    assignments = governing_assignments(user)
    if not assignments:
        return _("该用户没有任何角色,只能由超级管理员管理。")
    for a in assignments:
        if grant_refusal(actor, a.role, a.node) is not None:
            return _("该用户的角色“%(role)s · %(node)s”超出了您的管理范围或权限,请联系上级管理员。") % {
                "role": a.get_role_display(),
                "node": a.node,
            }
    return None


def may_manage(actor: AnyUser, user: User) -> bool:
    return manage_refusal(actor, user) is None


def require_manage(actor: AnyUser, user: User) -> None:
    refusal = manage_refusal(actor, user)
    if refusal is not None:
        raise PermissionDenied(refusal)


def may_set_town_rules(actor: AnyUser, town: Any) -> bool:
    """Whether `actor` decides the account rules of `town`: they manage users over the whole town."""
    if not isinstance(actor, User) or not actor.is_active:
        return False
    return actor.is_superuser or scope_for(actor, Capability.MANAGE_USERS).covers(town)
