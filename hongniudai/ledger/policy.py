"""Who may do what to the collective's books, built on `accounts.scope`: a village's accountant and
secretary read and keep their village's books (BOOKS_VIEW, BOOKS_WRITE); the town's 农经 staff read
every village's books of the town and reopen closed periods (BOOKS_CLOSE); nobody else."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, user_can
from hongniudai.accounts.scope import require as require  # every service checks with policy.require

from .models import Books


def require_close(actor: User, books: Books) -> None:
    """Closing a month is the accountant's monthly act or the town's: BOOKS_WRITE or BOOKS_CLOSE."""
    if not (user_can(actor, Capability.BOOKS_WRITE, books) or user_can(actor, Capability.BOOKS_CLOSE, books)):
        raise PermissionDenied(_("您没有为该账套结账的权限。"))
