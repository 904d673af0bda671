"""The reads of the projects' pickers (`common.pick`): cadres, service teams and projects named by
typing, never listed whole (a county has hundreds of each). Each answers at most PICK_LIMIT + 1
rows of what the user may name (the forms' querysets still validate the id sent)."""

from __future__ import annotations

from django.db.models import Q

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import AnyUser, Capability
from hongniudai.common import pick

from . import selectors
from .models import Project, ServiceTeam


def _typed(q: str) -> str:
    q = q.strip()[: pick.QUERY_MAX]
    return "" if "›" in q else q


def pick_cadres(user: AnyUser, *, q: str = "") -> list[User]:
    """The park's and towns' cadres by username or name; the first few for a blank `q`."""
    qs = selectors.users_for_choice(user)
    q = _typed(q)
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(display_name__contains=q))
    return list(qs.only("id", "username", "display_name")[: pick.PICK_LIMIT + 1])


def pick_teams(user: AnyUser, *, q: str = "") -> list[ServiceTeam]:
    """The service teams the user sees by name; the first few for a blank `q`."""
    qs = selectors.teams_for_choice(user, Capability.VIEW)
    q = _typed(q)
    if q:
        qs = qs.filter(name__contains=q)
    return list(qs[: pick.PICK_LIMIT + 1])


def pick_projects(user: AnyUser, *, q: str = "") -> list[Project]:
    """The projects the user records by name; the first few for a blank `q`."""
    qs = selectors.projects_for_choice(user).order_by("name", "id")
    q = _typed(q)
    if q:
        qs = qs.filter(name__contains=q)
    return list(qs[: pick.PICK_LIMIT + 1])
