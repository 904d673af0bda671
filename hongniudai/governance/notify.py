"""Notify people about a matter: an inbox row (`notifications.services.notify`) pointing at the
matter's page and naming the matter, so its notifications are found again."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from hongniudai.accounts.models import User
from hongniudai.notifications import services as notifications

from .models import Matter


def users(people: Iterable[User | None], matter: Matter, message: str) -> None:
    """Send `message` about `matter` to each distinct person of `people` (None skipped)."""
    notifications.notify(
        people=people,
        message=message,
        url=reverse("governance:matter_detail", kwargs={"pk": matter.pk}),
        target=matter,
    )
