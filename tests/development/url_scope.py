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


def fashuihe_case(town: Any) -> Any:
    """An applicant of 发水河村 (施小军, applied 2026-03-02), cached on the fixture."""
    case = getattr(town, "_development_case", None)
    if case is None:
        from hongniudai.development import services
        from tests import factories as f

        person = f.resident(town.fashuihe.household, "施小军", birth=dt.date(2000, 6, 1))
        case = services.open_case(
            actor=town.users["admin"], resident=person, org=town.fashuihe.branch, applied_on=dt.date(2026, 3, 2)
        )
        town._development_case = case
    return case


def fashuihe_rule(town: Any) -> Any:
    """A local rule of 发水河村 (talk within 15 days), cached on the fixture."""
    rule = getattr(town, "_development_rule", None)
    if rule is None:
        from hongniudai.development import services_rules

        rule = services_rules.save_local_rule(
            actor=town.users["admin"], code="talk_within", area=town.fashuihe.area, value=15, unit="days"
        )
        town._development_rule = rule
    return rule


OUT_OF_SCOPE.update(
    {
        "development:case_detail": lambda t: {"pk": fashuihe_case(t).pk},
        "development:case_step": lambda t: {"pk": fashuihe_case(t).pk},
        "development:rule_edit": lambda t: {"pk": fashuihe_rule(t).pk},
        "api:development-case-detail": lambda t: {"pk": fashuihe_case(t).pk},
        "api:development-case-steps": lambda t: {"pk": fashuihe_case(t).pk},
    }
)
