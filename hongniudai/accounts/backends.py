"""The authentication backend: Django's, reading the signed-in user of each request from the
shared cache (`caching.cached_user`) instead of the database. Django still checks the session's
hash against the user's password and security stamp on every request, and `is_active` here: the
cached row is the row as it stands since its last change (`caching`), so a deactivated user or a
reset password loses access at the very next request."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from .caching import cached_user
from .models import User


class CachedModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        user = cached_user(pk)
        return user if user is not None and self.user_can_authenticate(user) else None
