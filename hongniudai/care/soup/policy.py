"""Who may do what with the soup rounds, built on `accounts.scope`. The lists name elderly,
disabled and formerly poor residents, so reading them and managing them both need
Capability.SERVICES over the village (village staff, the town, the centre households of their
hamlet). A volunteer who signs in sees and checks off the visits given to them, and nothing else."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from hongniudai.accounts.scope import AnyUser, Capability, scope_for, user_can
from hongniudai.accounts.scope import require as require  # every service checks with policy.require

from .models import SoupVisit


def serves(user: AnyUser) -> bool:
    """True when `user` manages soup rounds somewhere."""
    return not scope_for(user, Capability.SERVICES).is_empty


def can_manage(user: AnyUser, obj: models.Model) -> bool:
    return user_can(user, Capability.SERVICES, obj)


def can_check_off(user: AnyUser, visit: SoupVisit) -> bool:
    """The village's staff, or the volunteer the visit is given to."""
    if can_manage(user, visit):
        return True
    volunteer = visit.volunteer
    return volunteer is not None and volunteer.user_id is not None and volunteer.user_id == getattr(user, "pk", None)


def require_serves(user: AnyUser) -> None:
    if not serves(user):
        raise PermissionDenied(_("您没有管理爱心汤的权限。"))


def require_check_off(user: AnyUser, visit: SoupVisit) -> None:
    if not can_check_off(user, visit):
        raise PermissionDenied(_("这户不是派给您的送汤任务。"))
