"""Out-of-scope targets for the projects' URLs, merged into tests/test_url_scoping.py: the park's
project, team, blocker, visit … (xuqiao, a village secretary, must get 404 for each; admin reaches
them). The calendar feed is reached by a token, not by a user: an unknown token is a 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .records import park_records


def _pk(what: str) -> Callable[[Any], dict[str, Any]]:
    return lambda t: {"pk": park_records(t)[what].pk}


OUT_OF_SCOPE: dict[str, Callable[[Any], dict[str, Any]]] = {
    "projects:project_detail": _pk("project"),
    "projects:project_edit": _pk("project"),
    "projects:milestone_create": _pk("project"),
    "projects:blocker_create": _pk("project"),
    "projects:milestone_edit": _pk("milestone"),
    "projects:team_detail": _pk("team"),
    "projects:team_edit": _pk("team"),
    "projects:member_add": _pk("team"),
    "projects:calendar_token": _pk("team"),
    "projects:liaison_end": _pk("liaison"),
    "projects:blocker_detail": _pk("blocker"),
    "projects:blocker_step": _pk("blocker"),
    "projects:blocker_resolve": _pk("blocker"),
    "projects:blocker_sign_off": _pk("blocker"),
    "projects:blocker_escalate": _pk("blocker"),
    "projects:visit_detail": _pk("visit"),
    "projects:visit_check_in": _pk("visit"),
    "projects:follow_up_done": _pk("follow_up"),
    "api:project-detail": _pk("project"),
    "api:project-milestone-detail": _pk("milestone"),
    "api:project-team-detail": _pk("team"),
    "api:project-liaison-detail": _pk("liaison"),
    "api:project-liaison-end": _pk("liaison"),
    "api:project-blocker-detail": _pk("blocker"),
    "api:project-blocker-step": _pk("blocker"),
    "api:project-blocker-resolve": _pk("blocker"),
    "api:project-blocker-sign-off": _pk("blocker"),
    "api:project-blocker-escalate": _pk("blocker"),
    "api:project-visit-detail": _pk("visit"),
    "api:project-visit-check-in": _pk("visit"),
    "api:project-visit-raise-blocker": _pk("visit"),
}
NOT_RECORDS: dict[str, dict[str, Any]] = {
    "projects:calendar_feed": {"token": "no-such-token"},
    "api:project-blocker-category-detail": {"pk": 1},  # the town's category list, the same for the whole town
}
