"""Who may do what in the camera net, built on `accounts.scope`: reads need VIEW, writes on cameras
and pending alerts WATCH over the grid; the platform keys and the table of alert kinds are kept by
the town administrator (EDIT_PLACES over the town)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from hongniudai.accounts.scope import AnyUser, Capability, scope_for, user_can
from hongniudai.accounts.scope import require as require  # every service checks with policy.require
from hongniudai.places.models import AreaKind, AreaNode


def can_view(user: AnyUser) -> bool:
    return not scope_for(user, Capability.VIEW).is_empty


def watches(user: AnyUser) -> bool:
    """True when `user` records the watch somewhere (WATCH)."""
    return not scope_for(user, Capability.WATCH).is_empty


def can_watch(user: AnyUser, obj: models.Model) -> bool:
    return user_can(user, Capability.WATCH, obj)


def keeps_towns(user: AnyUser) -> bool:
    """A town administrator somewhere: keeps platform keys and alert kinds."""
    return not scope_for(user, Capability.EDIT_PLACES).is_empty


def keeps_town(user: AnyUser, town: AreaNode) -> bool:
    return town.kind == AreaKind.TOWN and user_can(user, Capability.EDIT_PLACES, town)


def require_view(user: AnyUser) -> None:
    if not can_view(user):
        raise PermissionDenied(_("您没有查看视频监控的权限。"))


def require_watch(user: AnyUser) -> None:
    if not watches(user):
        raise PermissionDenied(_("您没有维护视频监控的权限。"))


def require_town_keeper(user: AnyUser, town: AreaNode) -> None:
    if not keeps_town(user, town):
        raise PermissionDenied(_("只有该镇的镇管理员可以进行此操作。"))


def require_any_town_keeper(user: AnyUser) -> None:
    if not keeps_towns(user):
        raise PermissionDenied(_("只有镇管理员可以进行此操作。"))
