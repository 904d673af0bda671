"""Who may do what to vanguard posts and party activities, built on `accounts.scope`: writes need
EDIT_PARTY over the branch the record hangs at."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, scope_for, user_can


def require(user: User, capability: Capability, obj: models.Model) -> None:
    """Refuse (403) unless `user` holds `capability` over the node `obj` hangs at."""
    if not user_can(user, capability, obj):
        raise PermissionDenied(_("您没有在该范围内进行此操作的权限。"))


def can_view(user: User, obj: models.Model) -> bool:
    """May `user` see `obj` (a member, an enterprise: is it within their scope)?"""
    return scope_for(user).covers(obj)


def can_edit(user: User, obj: models.Model) -> bool:
    """May `user` change the post or activity `obj`?"""
    return user_can(user, Capability.EDIT_PARTY, obj)


def edits_party(user: User) -> bool:
    """Does `user` maintain party records (posts, activities) anywhere?"""
    return not scope_for(user, Capability.EDIT_PARTY).is_empty


def require_any_edit(user: User) -> None:
    """Refuse (403) a user who maintains no party records anywhere."""
    if not edits_party(user):
        raise PermissionDenied(_("您没有维护党建信息的权限。"))
