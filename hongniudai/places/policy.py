"""Who may do what to the area tree, households and residents: every permission question of places,
built on `accounts.scope` (the same subtrees for viewing and for each capability)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from hongniudai.accounts.models import RoleAssignment, User
from hongniudai.accounts.scope import CAPABILITIES, Capability, scope_for, user_can
from hongniudai.accounts.scope import require as require  # every service checks with policy.require

from .models import AreaKind, RegistrationReview, Resident


def can_view(user: User, obj: models.Model) -> bool:
    """May `user` see `obj` (is it within their scope)?"""
    return scope_for(user).covers(obj)


def can_edit_places(user: User, obj: models.Model) -> bool:
    """May `user` change the area tree at `obj` (add, edit and delete areas)?"""
    return user_can(user, Capability.EDIT_PLACES, obj)


def can_edit_people(user: User, obj: models.Model) -> bool:
    """May `user` register and change households and residents at `obj`?"""
    return user_can(user, Capability.EDIT_PEOPLE, obj)


def may_register_households(user: User) -> bool:
    """Does `user` register households anywhere?"""
    return not scope_for(user, Capability.EDIT_PEOPLE).is_empty


def can_reveal(user: User, resident: Resident) -> bool:
    """May `user` see `resident`'s whole ID number?"""
    return scope_for(user, Capability.REVEAL_ID).covers(resident)


def can_review_registrations(user: User) -> bool:
    """Does `user` review registrations (the town: who may edit places somewhere)?"""
    return not scope_for(user, Capability.EDIT_PLACES).is_empty


def require_reviewer(user: User, review: RegistrationReview) -> None:
    """Refuse (403) unless `user` may decide `review`: edit places both where the person asks to be
    registered and where the resident is registered now."""
    if not (user_can(user, Capability.EDIT_PLACES, review) and user_can(user, Capability.EDIT_PLACES, review.resident)):
        raise PermissionDenied(_("登记审核由镇管理员办理;该居民现登记地不在您的范围之内。"))


def administers_town(user: User | None) -> bool:
    """A superuser, or a town or county administrator (whoever may edit places at a town or the
    county): who keeps the deployment's settings and the local rules."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    roles = [role for role, caps in CAPABILITIES.items() if Capability.EDIT_PLACES in caps]
    return RoleAssignment.objects.filter(
        user=user, role__in=roles, area__kind__in=(AreaKind.TOWN, AreaKind.COUNTY)
    ).exists()
