"""Out-of-scope targets for this package's URLs, merged into tests/test_url_scoping.py.

Each OUT_OF_SCOPE entry maps a URL name to a function of the `town` fixture returning the kwargs
of one of 发水河村's records (xuqiao must get 404 for it, admin must reach it). NOT_RECORDS maps
URL names whose arguments name no record to the kwargs to use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

OUT_OF_SCOPE: dict[str, Callable[[Any], dict[str, Any]]] = {}
NOT_RECORDS: dict[str, dict[str, Any]] = {}


def _meeting(town: Any) -> Any:
    """A theme party day of 发水河村党支部, with its member present."""
    meeting = getattr(town, "_orglife_meeting", None)
    if meeting is None:
        from hongniudai.orglife import services

        branch = town.fashuihe.branch
        meeting = services.record_meeting(
            actor=town.users["fashuihe"],
            org=branch,
            held_on=dt.date(2025, 5, 1),
            topic="发水河村主题党日",
            kinds=["theme_day"],
            attendance=[services.AttendanceEntry(member=town.fashuihe.member)],
        )
        town._orglife_meeting = meeting
    return meeting


def _rule(town: Any) -> Any:
    """A local rule of 发水河村 (theme party day twice a month)."""
    rule = getattr(town, "_orglife_rule", None)
    if rule is None:
        from hongniudai.orglife import services

        rule = services.create_rule(
            actor=town.users["admin"],
            kind="theme_day",
            area=town.fashuihe.area,
            frequency="monthly",
            times=2,
            source="发水河村党支部决定",
        )
        town._orglife_rule = rule
    return rule


for _name in ("orglife:meeting_detail", "orglife:meeting_edit", "orglife:meeting_delete", "api:meeting-detail"):
    OUT_OF_SCOPE[_name] = lambda t: {"pk": _meeting(t).pk}
for _name in ("orglife:rule_edit", "orglife:rule_delete"):
    OUT_OF_SCOPE[_name] = lambda t: {"pk": _rule(t).pk}
