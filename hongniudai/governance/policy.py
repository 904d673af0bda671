"""Who may do what in source governance: the permission questions of its pages, API and services,
built on `accounts.scope`. A `require_*` raises PermissionDenied with the message shown."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, scope_for, user_can
from hongniudai.places import policy as places_policy
from hongniudai.places.models import AreaNode

from .models import Matter


def can_handle(user: User, matter: Matter) -> bool:
    """The handlers of the matter's current level and of every level above it on its branch."""
    return user_can(user, Capability.HANDLE, matter)


def is_invited(user: User, matter: Matter) -> bool:
    """Whether `user` was invited to take part in the matter."""
    return bool(user.pk) and matter.invited.filter(pk=user.pk).exists()


def is_reporter(user: User, matter: Matter) -> bool:
    """Whether `user` reported the matter."""
    return bool(matter.reporter_id) and matter.reporter_id == user.pk


def may_take_part(user: User, matter: Matter) -> bool:
    """Record visits and sessions, and the mediation agreement: a handler or an invited person."""
    return can_handle(user, matter) or is_invited(user, matter)


def may_attach(user: User, matter: Matter) -> bool:
    """Add photos or documents: a handler, an invited person or the reporter."""
    return may_take_part(user, matter) or is_reporter(user, matter)


def require_handler(user: User, matter: Matter) -> None:
    if not can_handle(user, matter):
        raise PermissionDenied(_("该事项不在您的办理范围内。"))


def require_participant(user: User, matter: Matter) -> None:
    if not may_take_part(user, matter):
        raise PermissionDenied(_("该事项不在您的办理范围内。"))


def require_attacher(user: User, matter: Matter) -> None:
    if not may_attach(user, matter):
        raise PermissionDenied(_("该事项不在您的办理范围内。"))


def may_maintain_settings(user: User | None) -> bool:
    """The deployment-wide settings (working calendar, deadline rules, categories) are kept by a
    superuser or by whoever may edit places (the town administrator) at a town or county
    (`places.policy.administers_town`)."""
    return places_policy.administers_town(user)


def require_settings_admin(user: User) -> None:
    if not may_maintain_settings(user):
        raise PermissionDenied(_("只有镇(县)管理员可以维护此项设置。"))


def may_issue_open311_keys(user: User) -> bool:
    """Whether the user keeps Open311 keys anywhere (may edit places somewhere)."""
    return not scope_for(user, Capability.EDIT_PLACES).is_empty


def may_keep_open311_keys(user: User, area: AreaNode) -> bool:
    """Issue or revoke the Open311 keys of `area`: whoever may edit places there."""
    return user_can(user, Capability.EDIT_PLACES, area)
