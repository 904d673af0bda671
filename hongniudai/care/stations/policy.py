"""Who may do what at the service stations, built on `accounts.scope`: reads need VIEW over the
record's area, writes SERVICES (town admin, district and village secretaries, grid workers, centre
households — each over their own area); the catalogue is the town's (SERVICES over the town)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from hongniudai.accounts.scope import AnyUser, Capability, scope_for, user_can
from hongniudai.accounts.scope import require as require  # every service checks with policy.require


def can_view(user: AnyUser) -> bool:
    return not scope_for(user, Capability.VIEW).is_empty


def records_services(user: AnyUser) -> bool:
    """True when `user` records resident services somewhere."""
    return not scope_for(user, Capability.SERVICES).is_empty


def can_edit(user: AnyUser, obj: models.Model) -> bool:
    return user_can(user, Capability.SERVICES, obj)


def require_any_view(user: AnyUser) -> None:
    if not can_view(user):
        raise PermissionDenied(_("您没有查看便民服务的权限。"))


def require_any_write(user: AnyUser) -> None:
    """Refuse (403) a user who records resident services nowhere."""
    if not records_services(user):
        raise PermissionDenied(_("您没有登记便民服务的权限。"))
