"""Out-of-scope targets for this package's URLs, merged into tests/test_url_scoping.py.

Each OUT_OF_SCOPE entry maps a URL name to a function of the `town` fixture returning the kwargs
of one of 发水河村's records (xuqiao must get 404 for it, admin must reach it). NOT_RECORDS maps
URL names whose arguments name no record to the kwargs to use.

The records: an enterprise in 发水河村 employing 发水河村's member, an instructor of the town
assigned to it, and a visit to it with one open follow-up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from stdnum.cn import uscc as stdnum_uscc


def _records(town: Any) -> dict[str, Any]:
    records = getattr(town, "_enterprise_records", None)
    if records is None:
        from hongniudai.enterprises import services, services_instructors, services_visits

        admin = town.users["admin"]
        body = "91420704000098765"
        enterprise = services.create_enterprise(
            actor=admin,
            name="发水河村酒厂",
            uscc=body + stdnum_uscc.calc_check_digit(body),
            industry="liquor_food",
            area=town.fashuihe.area,
        )
        employment = services.add_employment(actor=admin, enterprise=enterprise, member=town.fashuihe.member)
        instructor = services_instructors.create_instructor(
            actor=admin, username="scope-instructor", display_name="范围指导员", area=town.town
        )
        assignment = services_instructors.assign_instructor(actor=admin, instructor=instructor, enterprise=enterprise)
        today = timezone.localdate()
        visit = services_visits.record_visit(
            actor=admin,
            visited_on=today,
            enterprise=enterprise,
            instructor=instructor.user,
            findings="阵地待建",
            follow_ups=[("设立党员活动室", today + dt.timedelta(days=30))],
        )
        records = {
            "enterprise": enterprise,
            "employment": employment,
            "instructor": instructor,
            "assignment": assignment,
            "visit": visit,
            "follow_up": visit.follow_ups.get(),
        }
        town._enterprise_records = records
    return records


def _pk(kind: str) -> Callable[[Any], dict[str, Any]]:
    return lambda town: {"pk": _records(town)[kind].pk}


OUT_OF_SCOPE: dict[str, Callable[[Any], dict[str, Any]]] = {
    "enterprises:enterprise_detail": _pk("enterprise"),
    "enterprises:enterprise_edit": _pk("enterprise"),
    "enterprises:enterprise_delete": _pk("enterprise"),
    "enterprises:employment_add": _pk("enterprise"),
    "enterprises:employment_remove": _pk("employment"),
    "enterprises:instructor_detail": _pk("instructor"),
    "enterprises:instructor_edit": _pk("instructor"),
    "enterprises:assignment_create": _pk("instructor"),
    "enterprises:assignment_end": _pk("assignment"),
    "enterprises:visit_detail": _pk("visit"),
    "enterprises:follow_up_add": _pk("visit"),
    "enterprises:follow_up_close": _pk("follow_up"),
    "api:enterprise-detail": _pk("enterprise"),
    "api:employment-detail": _pk("employment"),
    "api:instructor-detail": _pk("instructor"),
    "api:instructor-assignment-detail": _pk("assignment"),
    "api:instructor-assignment-end": _pk("assignment"),
    "api:guidance-visit-detail": _pk("visit"),
    "api:guidance-follow-up-detail": _pk("follow_up"),
    "api:guidance-follow-up-close": _pk("follow_up"),
}
NOT_RECORDS: dict[str, dict[str, Any]] = {}
