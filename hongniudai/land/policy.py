"""Who may do what with land and its transfer, built on `accounts.scope`: reads need ECONOMY_VIEW
over the village, writes ECONOMY_WRITE (and posting into the books BOOKS_WRITE, checked by the ledger)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, scope_for, user_can
from hongniudai.accounts.scope import require as require  # every service checks with policy.require


def can_write(user: User, obj: models.Model) -> bool:
    return user_can(user, Capability.ECONOMY_WRITE, obj)


def writes_anywhere(user: User) -> bool:
    return not scope_for(user, Capability.ECONOMY_WRITE).is_empty


def require_any_write(user: User) -> None:
    """Refuse (403) a user who records the collective economy nowhere."""
    if not writes_anywhere(user):
        raise PermissionDenied(_("您没有登记集体经济信息的权限。"))
