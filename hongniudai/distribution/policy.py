"""Who may do what to distribution plans, built on `accounts.scope`: the collective economy's readers
(ECONOMY_VIEW) see a village's plans; its keepers (ECONOMY_WRITE: the village secretary and
accountant, the town) draw them up, approve them and record the payouts. Posting the vouchers
also asks the ledger for BOOKS_WRITE over the organisation's books."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, scope_for, user_can
from hongniudai.accounts.scope import require as require  # every service checks with policy.require


def can_view(user: User, obj: models.Model) -> bool:
    return user_can(user, Capability.ECONOMY_VIEW, obj)


def can_edit(user: User, obj: models.Model) -> bool:
    return user_can(user, Capability.ECONOMY_WRITE, obj)


def writes_economy(user: User) -> bool:
    """Whether the user records the collective economy anywhere."""
    return not scope_for(user, Capability.ECONOMY_WRITE).is_empty


def require_any_edit(user: User) -> None:
    """Refuse (403) a user who records the collective economy nowhere."""
    if not writes_economy(user):
        raise PermissionDenied(_("您没有维护集体经济信息的权限。"))


def require_edit(user: User, obj: models.Model) -> None:
    require(user, Capability.ECONOMY_WRITE, obj)
