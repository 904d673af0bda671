"""Out-of-scope targets for this package's URLs, merged into tests/test_url_scoping.py.

Each OUT_OF_SCOPE entry maps a URL name to a function of the `town` fixture returning the kwargs
of one of 发水河村's records (xuqiao must get 404 for it, admin must reach it). NOT_RECORDS maps
URL names whose arguments name no record to the kwargs to use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any


def fashuihe_post(town: Any) -> Any:
    """A vanguard post of 施华成 (发水河村), made once per test."""
    post = getattr(town, "_vanguard_post", None)
    if post is None:
        from hongniudai.vanguard import services

        post = services.create_post(
            actor=town.users["fashuihe"],
            member=town.fashuihe.member,
            title="防汛值守先锋岗",
            place_kind="project",
            place_name="发水河堤段",
            since=dt.date(2025, 6, 1),
        )
        town._vanguard_post = post
    return post


def fashuihe_activity(town: Any) -> Any:
    """A volunteer-service activity of 发水河村's branch with 施华成 taking part."""
    activity = getattr(town, "_vanguard_activity", None)
    if activity is None:
        from hongniudai.vanguard import services

        activity = services.create_activity(
            actor=town.users["fashuihe"],
            kind="volunteer_service",
            title="发水河村清淤志愿服务",
            held_on=dt.date(2025, 7, 1),
            org=town.fashuihe.branch,
            participants=[town.fashuihe.member],
            other_participants=5,
        )
        town._vanguard_activity = activity
    return activity


OUT_OF_SCOPE: dict[str, Callable[[Any], dict[str, Any]]] = {
    "vanguard:post_detail": lambda t: {"pk": fashuihe_post(t).pk},
    "vanguard:post_edit": lambda t: {"pk": fashuihe_post(t).pk},
    "vanguard:post_end": lambda t: {"pk": fashuihe_post(t).pk},
    "vanguard:post_delete": lambda t: {"pk": fashuihe_post(t).pk},
    "vanguard:activity_detail": lambda t: {"pk": fashuihe_activity(t).pk},
    "vanguard:activity_edit": lambda t: {"pk": fashuihe_activity(t).pk},
    "vanguard:activity_delete": lambda t: {"pk": fashuihe_activity(t).pk},
    "api:vanguard-post-detail": lambda t: {"pk": fashuihe_post(t).pk},
    "api:vanguard-post-end": lambda t: {"pk": fashuihe_post(t).pk},
    "api:party-activity-detail": lambda t: {"pk": fashuihe_activity(t).pk},
}
NOT_RECORDS: dict[str, dict[str, Any]] = {}
