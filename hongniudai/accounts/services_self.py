"""What a signed-in user changes of their own account: the password, their other sessions.

A password change keeps the hash being replaced in `PasswordHistory` (the last
`PASSWORD_HISTORY`), clears "must change password" and starts the password's age. Every other
session of the user ends with it (Django checks the password's hash on each request); the page
keeps the current one (`update_session_auth_hash`)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.audit import services as audit

from . import events
from .models import PasswordHistory, User, new_security_stamp


def set_password(*, user: User, password: str, must_change: bool = False) -> None:
    """Give `user` the (already validated) `password`, remembering the one it replaces."""
    if user.has_usable_password():
        PasswordHistory.objects.create(user=user, password=user.password)
        keep = max(settings.PASSWORD_HISTORY, 0)
        stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[keep:]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.must_change_password = must_change
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])


@transaction.atomic
def change_password(*, actor: User, old_password: str, new_password: str) -> None:
    """The actor changes their own password: the old one must be right, the new one pass every rule."""
    if not actor.check_password(old_password):
        raise ValidationError({"old_password": _("原密码不正确。")})
    if old_password == new_password:
        raise ValidationError({"new_password": _("新密码不能与原密码相同。")})
    try:
        validate_password(new_password, actor)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.messages}) from None
    set_password(user=actor, password=new_password)
    audit.record(actor=actor, action=events.PASSWORD_CHANGED, target=actor, target_repr=actor.username)


@transaction.atomic
def end_other_sessions(*, actor: User) -> None:
    """Sign the actor out everywhere (the page then keeps the session it was asked from)."""
    actor.security_stamp = new_security_stamp()
    actor.save(update_fields=["security_stamp"])
    audit.record(actor=actor, action=events.SESSIONS_ENDED, target=actor, target_repr=actor.username)
