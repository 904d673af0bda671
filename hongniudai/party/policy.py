"""Who may do what to party organisations, members and centre households: every permission question
of the party package, built on `accounts.scope`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, scope_for, user_can
from hongniudai.accounts.scope import require as require  # every service checks with policy.require


def can_view(user: User, obj: models.Model) -> bool:
    """May `user` see `obj` (is it within their scope)?"""
    return scope_for(user).covers(obj)


def can_edit(user: User, obj: models.Model) -> bool:
    """May `user` change party records at `obj` (an organisation, a member, a hamlet's centre household)?"""
    return user_can(user, Capability.EDIT_PARTY, obj)


def edits_party(user: User) -> bool:
    """Does `user` maintain party records anywhere?"""
    return not scope_for(user, Capability.EDIT_PARTY).is_empty


def require_any_edit(user: User) -> None:
    """Refuse (403) a user who maintains no party records anywhere."""
    if not edits_party(user):
        raise PermissionDenied(_("您没有维护党组织信息的权限。"))
