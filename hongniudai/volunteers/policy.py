"""Who may do what with volunteers, built on `accounts.scope`. Staff read within their VIEW scope
and write with SERVICES over the area a record hangs at. A volunteer who signs in (an account
whose only role is 志愿者) sees their own record, tasks and hours and nothing else: for them the
staff scope is empty, and every other page answers 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _

from hongniudai.accounts.models import Role, User
from hongniudai.accounts.scope import AnyUser, Capability, Scope, roles_of, scope_for, user_can
from hongniudai.accounts.scope import require as require  # every service checks with policy.require

from .models import Volunteer


def is_volunteer_only(user: AnyUser) -> bool:
    """True for a signed-in volunteer: an account holding no role but 志愿者."""
    if not isinstance(user, User) or getattr(user, "is_superuser", False):
        return False
    roles = roles_of(user)
    return bool(roles) and roles <= {Role.VOLUNTEER}


def staff_scope(user: AnyUser) -> Scope:
    """Where `user` reads the volunteers as staff: their VIEW scope, nothing for a volunteer."""
    if is_volunteer_only(user):
        return Scope()
    return scope_for(user, Capability.VIEW)


def serves(user: AnyUser) -> bool:
    """True when `user` records volunteers somewhere (SERVICES)."""
    return not scope_for(user, Capability.SERVICES).is_empty


def logs_hours(user: AnyUser) -> bool:
    """True when `user` records volunteers somewhere, or is a volunteer (who logs their own hours)."""
    if serves(user):
        return True
    return isinstance(user, User) and Volunteer.objects.filter(user_id=user.pk).exists()


def can_edit(user: AnyUser, obj: models.Model) -> bool:
    return user_can(user, Capability.SERVICES, obj)


def require_staff(user: AnyUser) -> None:
    """404 for anyone who reads no volunteers as staff (a signed-in volunteer among them): their
    pages are their own tasks, and nothing else exists for them."""
    if staff_scope(user).is_empty:
        raise Http404


def require_any_write(user: AnyUser) -> None:
    if not serves(user):
        raise PermissionDenied(_("您没有登记志愿服务信息的权限。"))


def require_edit(user: AnyUser, obj: models.Model) -> None:
    if not can_edit(user, obj):
        raise PermissionDenied(_("您没有在该范围内进行此操作的权限。"))
