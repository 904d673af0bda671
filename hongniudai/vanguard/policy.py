"""Who may do what to vanguard posts and party activities, built on `accounts.scope`: writes need
EDIT_PARTY over the branch the record hangs at, the same question the party package answers for its
records (so its answers are this package's: `can_view`, `can_edit`, `edits_party`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import require as require  # every service checks with policy.require
from hongniudai.party.policy import can_edit as can_edit
from hongniudai.party.policy import can_view as can_view
from hongniudai.party.policy import edits_party as edits_party


def require_any_edit(user: User) -> None:
    """Refuse (403) a user who maintains no party records (posts, activities) anywhere."""
    if not edits_party(user):
        raise PermissionDenied(_("您没有维护党建信息的权限。"))
