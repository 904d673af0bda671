"""Who may do what in projects, built on `accounts.scope`: reads need VIEW, writes PROJECTS over
the park or town node the record hangs at (the town administrator, the team cadres' role
`包联干部`). Signing a blocker off (销号) is the project team's leader's (see `services_blockers`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from hongniudai.accounts.scope import AnyUser, Capability, scope_for, user_can
from hongniudai.accounts.scope import require as require  # every service checks with policy.require


def can_view(user: AnyUser) -> bool:
    return not scope_for(user, Capability.VIEW).is_empty


def writes_projects(user: AnyUser) -> bool:
    """True when `user` records projects somewhere."""
    return not scope_for(user, Capability.PROJECTS).is_empty


def can_edit(user: AnyUser, obj: models.Model) -> bool:
    return user_can(user, Capability.PROJECTS, obj)


def require_any_view(user: AnyUser) -> None:
    if not can_view(user):
        raise PermissionDenied(_("您没有查看项目服务的权限。"))


def require_any_write(user: AnyUser) -> None:
    if not writes_projects(user):
        raise PermissionDenied(_("您没有登记项目服务信息的权限。"))
