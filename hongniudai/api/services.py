from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hongniudai.audit import actions as audit_actions
from hongniudai.audit import services as audit

from .models import ApiToken


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def issue_token(*, actor: Any) -> tuple[str, ApiToken]:
    """A new token for `actor`; returns the key (shown once) and its record."""
    key = secrets.token_hex(24)
    token = ApiToken.objects.create(
        user=actor,
        digest=token_digest(key),
        prefix=key[:8],
        expires_at=timezone.now() + dt.timedelta(seconds=settings.API_TOKEN_TTL_SECONDS),
    )
    audit.record(actor=actor, action=audit_actions.TOKEN, target=token, target_repr=f"{token.prefix}…")
    # Expired tokens of this user are of no use to anyone.
    ApiToken.objects.filter(user=actor, expires_at__lt=timezone.now()).delete()
    return key, token


@transaction.atomic
def revoke_token(*, actor: Any, token: ApiToken) -> None:
    """Withdraw a token at once (logout of an API client); audited."""
    audit.record_delete(
        actor=actor, target=token, before={"prefix": f"{token.prefix}…", "expires_at": token.expires_at.isoformat()}
    )
    token.delete()
