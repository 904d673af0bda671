"""Who may do what in night patrols and campaigns, built on `accounts.scope`: reads need VIEW over
the record's area, writes WATCH (town admin, district and village secretaries, grid workers)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from hongniudai.accounts.scope import AnyUser, Capability, scope_for, user_can
from hongniudai.accounts.scope import require as require  # every service checks with policy.require


def can_view(user: AnyUser) -> bool:
    return not scope_for(user, Capability.VIEW).is_empty


def writes_watch(user: AnyUser) -> bool:
    """True when `user` records the watch somewhere."""
    return not scope_for(user, Capability.WATCH).is_empty


def can_edit(user: AnyUser, obj: models.Model) -> bool:
    return user_can(user, Capability.WATCH, obj)


def require_any_view(user: AnyUser) -> None:
    if not can_view(user):
        raise PermissionDenied(_("您没有查看平安守护的权限。"))


def require_any_write(user: AnyUser) -> None:
    if not writes_watch(user):
        raise PermissionDenied(_("您没有登记平安守护信息的权限。"))
