"""What an administrator does to the accounts they manage (`accounts.policy`): deactivate one, which
ends every session and withdraws every API token at once, or activate it again."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hongniudai.audit import services as audit

from . import events, policy
from .models import User, new_security_stamp
from .services import home_paths
from .services_tokens import revoke_all_tokens


def _record_status(actor: User, user: User, *, active: bool) -> None:
    area_path, org_path = home_paths(user)
    audit.record(
        actor=actor,
        action=events.USER_REACTIVATED if active else events.USER_DEACTIVATED,
        target=user,
        changes={"is_active": [not active, active]},
        area_path=area_path,
        org_path=org_path,
    )


@transaction.atomic
def deactivate_user(*, actor: User, user: User) -> User:
    """The user can no longer sign in; their sessions end and their API tokens answer 401 at once."""
    policy.require_manage(actor, user)
    if not user.is_active:
        raise ValidationError(_("该用户已停用。"))
    user.is_active = False
    user.security_stamp = new_security_stamp()
    user.save(update_fields=["is_active", "security_stamp"])
    revoke_all_tokens(actor=actor, user=user, note=_("停用用户"))
    _record_status(actor, user, active=False)
    return user


@transaction.atomic
def reactivate_user(*, actor: User, user: User) -> User:
    """The user may sign in again (with the password they had; their old sessions stay ended)."""
    policy.require_manage(actor, user)
    if user.is_active:
        raise ValidationError(_("该用户未停用。"))
    user.is_active = True
    user.save(update_fields=["is_active"])
    _record_status(actor, user, active=True)
    return user
