"""Who may do what to production records, built on `accounts.scope`: those who read the collective
economy (ECONOMY_VIEW) see a village's plantings, contracts and sales; those who record it
(ECONOMY_WRITE: the village secretary and accountant, the town) record them. Posting the money also
needs BOOKS_WRITE over the organisation's books, which the ledger checks."""

from __future__ import annotations

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, scope_for, user_can
from hongniudai.accounts.scope import require as require  # every service checks with policy.require


def records_economy(user: User) -> bool:
    """True when `user` may record production somewhere (shows the 新增 buttons)."""
    return not scope_for(user, Capability.ECONOMY_WRITE).is_empty


def can_record(user: User, obj: object) -> bool:
    return user_can(user, Capability.ECONOMY_WRITE, obj)  # type: ignore[arg-type]
