"""Who may do what in the returnee programme, built on `accounts.scope`: reads need ECONOMY_VIEW,
writes ECONOMY_WRITE over the village the record hangs at."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from hongniudai.accounts.scope import AnyUser, Capability, scope_for, user_can
from hongniudai.accounts.scope import require as require  # every service checks with policy.require


def can_view_economy(user: AnyUser) -> bool:
    return not scope_for(user, Capability.ECONOMY_VIEW).is_empty


def writes_economy(user: AnyUser) -> bool:
    """True when `user` records the collective economy somewhere."""
    return not scope_for(user, Capability.ECONOMY_WRITE).is_empty


def can_edit(user: AnyUser, obj: models.Model) -> bool:
    return user_can(user, Capability.ECONOMY_WRITE, obj)


def require_any_view(user: AnyUser) -> None:
    if not can_view_economy(user):
        raise PermissionDenied(_("您没有查看归雁工程的权限。"))


def require_any_write(user: AnyUser) -> None:
    """Refuse (403) a user who records the collective economy nowhere."""
    if not writes_economy(user):
        raise PermissionDenied(_("您没有登记归雁工程信息的权限。"))
