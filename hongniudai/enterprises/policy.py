"""Who may do what in enterprise party work: the capability checks the services enforce and the
pages ask before offering a button. Built on `accounts.scope`."""

from __future__ import annotations

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, scope_for, user_can
from hongniudai.accounts.scope import require as require  # every service checks with policy.require
from hongniudai.party.models import PartyOrg

from . import selectors
from .models import Enterprise, GuidanceFollowUp, GuidanceVisit


def can_guide(actor: User, *, org: PartyOrg | None = None, enterprise: Enterprise | None = None) -> bool:
    """Whether `actor` may record a visit to this branch or enterprise: GUIDE over it (an
    instructor on their branch, town staff), or a current instructor of the enterprise."""
    if org is not None and user_can(actor, Capability.GUIDE, org):
        return True
    if enterprise is not None:
        if user_can(actor, Capability.GUIDE, enterprise):
            return True
        if actor.pk and enterprise.instructors.filter(pk=actor.pk).exists():
            return True
    return False


def can_record_visits(actor: User) -> bool:
    """Whether `actor` may record guidance visits anywhere: GUIDE over some node, or an
    enterprise they may guide."""
    return not scope_for(actor, Capability.GUIDE).is_empty or selectors.guidable_enterprises(actor).exists()


def can_edit_visit(actor: User, visit: GuidanceVisit) -> bool:
    """The visit's instructor, or anyone who may guide where it took place."""
    return actor.pk == visit.instructor_id or user_can(actor, Capability.GUIDE, visit)


def can_close_follow_up(actor: User, follow_up: GuidanceFollowUp) -> bool:
    """The visit's instructor, anyone who may guide there, or the editors of the branch (or of
    the enterprise's area when the visit named no branch)."""
    return can_edit_visit(actor, follow_up.visit) or user_can(actor, Capability.EDIT_PARTY, follow_up)
