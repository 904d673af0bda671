"""Volunteers of 徐桥村: 黄文华 (a resident, who signs in as `huang`, a volunteer and nothing else),
李明 from outside the village (reached by phone), and 施华成 of 发水河村 (out of scope for xuqiao).
A soup round task in 徐桥村 running now, organised by the village secretary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from hongniudai.accounts.models import Role, User
from hongniudai.volunteers import services, services_tasks
from hongniudai.volunteers.models import Volunteer, VolunteerTask
from tests import factories as f

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@dataclass
class Crew:
    huang: Volunteer
    li: Volunteer
    shi: Volunteer
    huang_user: User
    soup: VolunteerTask
    shi_task: VolunteerTask


def task_now(actor: User, area: Any, title: str = "爱心汤送汤", **kw: Any) -> VolunteerTask:
    now = timezone.now()
    kw.setdefault("kind", "soup_round")
    return services_tasks.schedule_task(
        actor=actor,
        area=area,
        title=title,
        starts_at=now - dt.timedelta(hours=2),
        ends_at=now + dt.timedelta(hours=2),
        place="黄家湾",
        needed=kw.pop("needed", 3),
        **kw,
    )


@pytest.fixture
def crew(town: Any) -> Crew:
    xq, fsh = town.xuqiao, town.fashuihe
    secretary = town.users["xuqiao"]
    huang = services.register_volunteer(
        actor=secretary, area=xq.area, resident=xq.head, joined_on=dt.date(2025, 3, 1), skills="厨艺,驾驶"
    )
    li = services.register_volunteer(
        actor=secretary, area=xq.area, name="李明", phone="13800138000", joined_on=dt.date(2025, 5, 1), skills="医护"
    )
    huang_user = f.user("huang", Role.VOLUNTEER, area=xq.area)
    town.users["huang"] = huang_user
    huang.user = huang_user
    huang.save(update_fields=["user"])
    shi = services.register_volunteer(
        actor=town.users["fashuihe"], area=fsh.area, resident=fsh.head, joined_on=dt.date(2025, 1, 1)
    )
    soup = task_now(secretary, xq.area)
    shi_task = task_now(town.users["fashuihe"], fsh.area, "发水河村巡逻", kind="patrol_shift")
    return Crew(huang, li, shi, huang_user, soup, shi_task)
