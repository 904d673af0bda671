"""Secrets handed out once — API keys, camera platforms' keys, invitation links, private calendar
addresses — are kept only as this digest, so the table that holds them reveals no key."""

from __future__ import annotations

import hashlib


def key_digest(key: str) -> str:
    """The sha256 hex digest under which a handed-out secret is kept."""
    return hashlib.sha256(key.encode()).hexdigest()
