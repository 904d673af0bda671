"""Fixtures of the collective economy: 徐桥村's collective economic organisation (with books on the
2023 chart), a cooperative decision and the branch's party meetings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from hongniudai.collective import services
from hongniudai.collective.models import Decision, DecisionSubject, EconomicOrg, OrgKind, StepKind
from hongniudai.orglife import services as orglife
from tests import factories as f


@dataclass
class Economy:
    town: Any
    org: EconomicOrg
    decision: Decision

    @property
    def xq(self) -> Any:
        return self.town.users["xuqiao"]


def collective_of(town: Any, village: str = "xuqiao") -> EconomicOrg:
    v = getattr(town, village)
    return services.register_collective(
        actor=town.users[village],
        village=v.area,
        name=f"{v.area.name}股份经济合作社",
        kind=OrgKind.SHAREHOLDING_COLLECTIVE,
        founded_on=dt.date(2024, 1, 1),
    )


def meeting(town: Any, kind: str, day: dt.date, village: str = "xuqiao") -> Any:
    v = getattr(town, village)
    return orglife.record_meeting(
        actor=town.users[village],
        org=v.branch,
        held_on=day,
        topic=f"{v.area.name}{kind}",
        kinds=[kind],
        attendance=[orglife.AttendanceEntry(member=v.member)] if kind == "member_meeting" else [],
    )


def resolved_decision(town: Any, subject: str = DecisionSubject.COOPERATIVE) -> Decision:
    """A decision of 徐桥村 through PROPOSE … RESOLVE."""
    xq = town.users["xuqiao"]
    decision = services.create_decision(actor=xq, village=town.xuqiao.area, subject=subject, title="组建高粱种植合作社")
    for i, kind in enumerate((StepKind.PROPOSE, StepKind.DISCUSS, StepKind.REVIEW, StepKind.RESOLVE)):
        services.record_step(actor=xq, decision=decision, kind=kind, held_on=dt.date(2025, 3, 1 + i))
    return decision


@pytest.fixture
def economy(town: Any) -> Economy:
    org = collective_of(town)
    decision = services.create_decision(
        actor=town.users["xuqiao"], village=town.xuqiao.area, subject=DecisionSubject.COOPERATIVE, title="组建合作社"
    )
    return Economy(town, org, decision)


@pytest.fixture
def second_household(town: Any) -> Any:
    hh = f.household(town.xuqiao.hamlet, "徐桥村黄家湾2号", number="XQ002")
    f.resident(hh, "徐二", relation="head", birth=dt.date(1970, 1, 1))
    return hh
