"""Who may do what in the collective economy, built on `accounts.scope`: ECONOMY_VIEW reads the
organisations, decisions, members and shares of the villages under one's node (village secretary and
accountant, district secretary, 农经员, grid worker, centre household, town admin); ECONOMY_WRITE
records them (village secretary, village accountant, town admin)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, scope_for, user_can
from hongniudai.accounts.scope import require as require  # every service checks with policy.require


def can_write(user: User, obj: Any) -> bool:
    return user_can(user, Capability.ECONOMY_WRITE, obj)


def writes_economy(user: User) -> bool:
    """Whether `user` records the collective economy anywhere (the pages' "add" buttons)."""
    return not scope_for(user, Capability.ECONOMY_WRITE).is_empty


def views_economy(user: User) -> bool:
    return not scope_for(user, Capability.ECONOMY_VIEW).is_empty


def require_view_any(user: User) -> None:
    """Refuse (403) a user who reads the collective economy nowhere."""
    if not views_economy(user):
        raise PermissionDenied(_("您没有查看集体经济信息的权限。"))


def require_write_any(user: User) -> None:
    """Refuse (403) a user who records the collective economy nowhere."""
    if not writes_economy(user):
        raise PermissionDenied(_("您没有登记集体经济信息的权限。"))
