"""Fixtures of organisational life: the town with more members in 徐桥村党支部, an instructor
assigned to it, and helpers to record meetings. Dates are in 2025 so every unit has ended."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pytest
from openpyxl import load_workbook

from hongniudai.accounts.models import Role, User
from hongniudai.enterprises.models import InstructorAssignment
from hongniudai.orglife import selectors, services
from hongniudai.orglife.models import AbsenceReason, Meeting
from hongniudai.party.models import Member, MemberStatus, PartyOrg, Post
from tests import factories as f

YEAR = 2025


@dataclass
class OrgLifeTown:
    town: Any
    members: list[Member]  # 徐桥村党支部: 3 full members (one the secretary) and 1 probationary
    probationary: Member
    instructor: User

    @property
    def admin(self) -> User:
        return self.town.users["admin"]


@pytest.fixture
def ol(town: Any) -> OrgLifeTown:
    xq = town.xuqiao
    secretary = xq.member
    secretary.post = Post.SECRETARY
    secretary.save(update_fields=["post"])
    extra = []
    for name in ("黄国强", "黄秀英"):
        res = f.resident(xq.household, name, birth=dt.date(1970, 5, 6))
        extra.append(f.member(res, xq.branch, group=xq.group))
    res = f.resident(xq.household, "黄小军", birth=dt.date(1998, 1, 2))
    probationary = f.member(
        res, xq.branch, group=xq.group, status=MemberStatus.PROBATIONARY, joined_on=dt.date(2024, 7, 1)
    )
    instructor = f.user("zhidaoyuan", Role.INSTRUCTOR, org=xq.branch)
    InstructorAssignment.objects.create(
        instructor=instructor, org=xq.branch, area=xq.branch.area, since=dt.date(2024, 1, 1)
    )
    town.users["zhidaoyuan"] = instructor
    return OrgLifeTown(town, [secretary, *extra, probationary], probationary, instructor)


def attendance(
    org: PartyOrg, day: dt.date, *, absent: Iterable[Member] = (), kinds: Iterable[str] = ()
) -> list[services.AttendanceEntry]:
    """Everyone on the roster present except `absent` (absent for illness)."""
    away = {m.pk for m in absent}
    return [
        services.AttendanceEntry(
            member=m,
            present=m.pk not in away,
            absence_reason="" if m.pk not in away else AbsenceReason.ILLNESS,
        )
        for m in selectors.meeting_roster(org, list(kinds), day)
    ]


def hold(
    org: PartyOrg,
    day: dt.date,
    *kinds: str,
    actor: Any = None,
    absent: Iterable[Member] = (),
    topic: str = "学习会议精神",
    lecturer: str = "",
) -> Meeting:
    """Record a meeting of `org` on `day` counting as `kinds`, as the town's root user by default."""
    actor = actor or f._root()
    return services.record_meeting(
        actor=actor,
        org=org,
        held_on=day,
        topic=topic,
        kinds=list(kinds),
        attendance=attendance(org, day, absent=absent, kinds=kinds),
        lecturer=lecturer or ("黄文华" if "party_lecture" in kinds else ""),
    )


def xlsx_rows(response: Any) -> list[list[str]]:
    content = b"".join(response.streaming_content)
    wb = load_workbook(io.BytesIO(content), read_only=True)
    ws = wb.worksheets[0]
    return [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]


def period(year: int = YEAR) -> dict[str, dt.date]:
    return {"start": dt.date(year, 1, 1), "end": dt.date(year, 12, 31)}
