"""What every request needs of its user, kept across requests in the shared cache
(`CACHES["default"]`: Redis in production, files under `var/cache` on one machine, shared by all
its processes): the user's row (`backends.CachedModelBackend`) and their role assignments in
force (`scope.assignment_rows`, from which the scopes and the main menu follow), and which towns
let their village secretaries manage accounts (`policy.delegated_paths`).

Each entry is keyed by the user's version, a random token replaced whenever the user's row or one
of their role assignments is saved or deleted (`forget_account`, connected in `apps.py`: every
writer, services, imports and the admin alike), once at the write and again when its transaction
commits. A request reads the version before the database, so whatever it caches from a row read
before a change lands under a version the change has already replaced: the next request after
the change sees it — a deactivation, a password reset or a new role — as if nothing were cached.
A token, not a counter: a version evicted from the cache comes back as a new token, never as an
old number whose entries may still be there. What is stored under a version never changes, so
each process also keeps it in its own memory (`CACHES["local"]`): a request reads the versions
from the shared cache, the rest from memory. The generation (`forget_everything`, on every
`migrate` and `flush`) does the same for a database replaced under a cache that outlived it.
Assignments are keyed by the day too: one ending today is no longer in force tomorrow.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from typing import Any

from django.core.cache import cache, caches
from django.db import transaction
from django.utils import timezone

from .models import User

TIMEOUT = 24 * 3600
GENERATION_KEY = "hnd:generation"
TOWN_SETTINGS_KEY = "hnd:town-account-settings"
local = caches["local"]


def version_key(user_id: int) -> str:
    return f"hnd:account:{user_id}"


def versions(user_id: int) -> str:
    """The generation and the user's version, one token (created when missing)."""
    return tokens(GENERATION_KEY, version_key(user_id))


def tokens(*keys: str) -> str:
    """The current tokens of these versions, joined (each created when missing)."""
    found: dict[str, Any] = cache.get_many(keys)
    parts = []
    for key in keys:
        token = found.get(key)
        if token is None:
            token = secrets.token_hex(8)
            if not cache.add(key, token, TIMEOUT):
                token = cache.get(key) or token
        parts.append(str(token))
    return ":".join(parts)


def versioned(key: str, load: Callable[[], Any]) -> Any:
    """What `key` (which names its versions) holds: what is stored under a version never changes, so
    this process's own memory answers first, then the shared cache, then `load()` (None is not kept)."""
    value = local.get(key)
    if value is None:
        value = cache.get(key)
        if value is None:
            value = load()
            if value is None:
                return None
            cache.set(key, value, TIMEOUT)
        local.set(key, value, TIMEOUT)
    return value


def cached_user(user_id: int) -> User | None:
    """The user's row, as it stands since its last change (the versions read for it go with it, for
    the assignments the same request may ask for)."""
    current = versions(user_id)
    user: User | None = versioned(f"hnd:user:{current}:{user_id}", lambda: User.objects.filter(pk=user_id).first())
    if user is not None:
        setattr(user, "_hnd_versions", current)  # noqa: B010 - this request's copy, not a field
    return user


def cached_assignments(user: User, load: Callable[[], Any]) -> list[tuple[str, str | None, str | None]]:
    """`load()` (the user's assignments in force today), as they stand since their last change."""
    current = getattr(user, "_hnd_versions", None) or versions(user.pk)
    today: dt.date = timezone.localdate()
    rows: list[tuple[str, str | None, str | None]] = versioned(
        f"hnd:roles:{current}:{user.pk}:{today.isoformat()}", load
    )
    return rows


def delegating_towns(load: Callable[[], list[str]]) -> list[str]:
    """`load()` (the paths of the towns whose village secretaries manage accounts), as they stand
    since a town last changed its account settings."""
    towns: list[str] = versioned(f"hnd:delegating-towns:{tokens(GENERATION_KEY, TOWN_SETTINGS_KEY)}", load)
    return towns


def bump(key: str) -> None:
    cache.set(key, secrets.token_hex(8), TIMEOUT)


def forget_account(user_id: int | None) -> None:
    """The user's row or role assignments change: what is cached of them is not read again, from
    now and again once the change commits (a request between the two may have cached the old)."""
    if user_id is None:
        return
    key = version_key(user_id)
    bump(key)
    transaction.on_commit(lambda: bump(key))


def forget_town_settings(sender: Any, **_kwargs: Any) -> None:
    """A town's account settings change (who manages accounts in its villages)."""
    bump(TOWN_SETTINGS_KEY)
    transaction.on_commit(lambda: bump(TOWN_SETTINGS_KEY))


def forget_everything(**_kwargs: Any) -> None:
    """A new generation: nothing cached before is read again (the database was migrated or flushed)."""
    bump(GENERATION_KEY)


def forget_user_row(sender: Any, instance: User, **_kwargs: Any) -> None:
    forget_account(instance.pk)


def forget_assignment(sender: Any, instance: Any, **_kwargs: Any) -> None:
    forget_account(instance.user_id)
