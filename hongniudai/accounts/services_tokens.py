"""API tokens: issue, use, revoke. Only a digest of the key is stored; each token expires."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.audit import actions as audit_actions
from hongniudai.audit import services as audit
from hongniudai.common.keys import key_digest

from . import events
from .models import ApiToken, User

# `last_used_at` is written at most once a minute per token: a write per API call would cost more
# than the call.
TOUCH_SECONDS = 60
DEVICE_MAX = 100


def token_digest(key: str) -> str:
    return key_digest(key)


@transaction.atomic
def issue_token(*, actor: User, device: str = "") -> tuple[str, ApiToken]:
    """A new token for `actor` on `device` (what the client calls itself, or its User-Agent);
    returns the key (shown once) and its record. A user who must change their password first gets none."""
    if actor.must_change_password:
        raise PermissionDenied(_("请先在网页上修改初始密码,再获取 API 令牌。"))
    key = secrets.token_hex(24)
    token = ApiToken.objects.create(
        user=actor,
        digest=token_digest(key),
        prefix=key[:8],
        device=" ".join((device or "").split())[:DEVICE_MAX],
        expires_at=timezone.now() + dt.timedelta(seconds=settings.API_TOKEN_TTL_SECONDS),
    )
    audit.record(actor=actor, action=audit_actions.TOKEN, target=token, target_repr=f"{token.prefix}…")
    # Expired tokens of this user are of no use to anyone.
    ApiToken.objects.filter(user=actor, expires_at__lt=timezone.now()).delete()
    return key, token


def touch_token(token: ApiToken, *, now: dt.datetime | None = None) -> None:
    """Note that `token` was used now (at most once a minute; one UPDATE, no audit row)."""
    now = now or timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= TOUCH_SECONDS:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


@transaction.atomic
def revoke_token(*, actor: User, token: ApiToken) -> None:
    """Withdraw one of the actor's own tokens at once (a lost phone, an API client's logout); audited."""
    if token.user_id != actor.pk:
        raise PermissionDenied(_("只能作废自己的令牌。"))
    audit.record_delete(
        actor=actor,
        action=events.TOKEN_REVOKED,
        target=token,
        before={"prefix": f"{token.prefix}…", "device": token.device, "expires_at": token.expires_at},
    )
    token.delete()


@transaction.atomic
def revoke_all_tokens(*, actor: User, user: User, note: str = "") -> int:
    """Withdraw every token of `user` (the actor's own, or one the services above have allowed:
    a deactivation, a password reset); audited as one event. The number withdrawn."""
    tokens = list(ApiToken.objects.filter(user=user))
    if tokens:
        audit.record(
            actor=actor,
            action=events.TOKENS_REVOKED,
            target=user,
            changes={"tokens": [[f"{t.prefix}…" for t in tokens], []]},
            note=note,
        )
        ApiToken.objects.filter(pk__in=[t.pk for t in tokens]).delete()
    return len(tokens)
