"""Fixtures of the enterprise tests: valid USCCs, enterprises with full members, the park's
joint organisation and branches, an instructor."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from stdnum.cn import uscc as stdnum_uscc

from hongniudai.enterprises import services, services_instructors
from hongniudai.enterprises.models import Enterprise, Industry, Instructor
from hongniudai.party.models import BranchType, Member, MemberStatus, OrgKind, PartyOrg
from hongniudai.places.models import AreaNode
from tests import factories as f

_serial = itertools.count(1)


def make_uscc(seq: int | None = None, *, region: str = "420704") -> str:
    """A valid 统一社会信用代码 (GB 32100): 9 1 + region + a 9-digit organisation code + check."""
    body = f"91{region}{(seq if seq is not None else next(_serial)):09d}"
    return body + stdnum_uscc.calc_check_digit(body)


def wrong_check(code: str) -> str:
    """The same code with a wrong check character."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    other = alphabet[(alphabet.index(code[-1]) + 1) % len(alphabet)]
    return code[:-1] + other


def make_enterprise(
    name: str,
    area: AreaNode,
    *,
    branch: PartyOrg | None = None,
    industry: str = Industry.FINE_CHEMICALS,
    actor: Any = None,
    **kwargs: Any,
) -> Enterprise:
    return services.create_enterprise(
        actor=actor or f._root(),
        name=name,
        uscc=make_uscc(),
        industry=industry,
        area=area,
        branch=branch,
        **kwargs,
    )


def employ(
    enterprise: Enterprise,
    branch: PartyOrg,
    count: int,
    *,
    status: str = MemberStatus.FULL,
    prefix: str = "职工",
) -> list[Member]:
    """`count` new members of `branch` (living in the branch's village) working at `enterprise`."""
    village = branch.area
    hamlet = AreaNode.objects.filter(path__startswith=village.path, kind="hamlet").order_by("path").first()
    assert hamlet is not None, f"{village} has no hamlet"
    hh = f.household(hamlet)
    out = []
    for i in range(count):
        res = f.resident(hh, f"{prefix}{enterprise.pk}{i}{status[:1]}", birth=dt.date(1985, 1, 1 + i))
        full_on = dt.date(2011, 7, 1) if status == MemberStatus.FULL else None
        kwargs: dict[str, Any] = {"status": status, "joined_on": dt.date(2010, 7, 1)}
        if full_on:
            kwargs["full_on"] = full_on
        member = f.member(res, branch, **kwargs)
        services.add_employment(actor=f._root(), enterprise=enterprise, member=member)
        out.append(member)
    return out


@dataclass
class Park:
    joint_org: PartyOrg  # 园区联合党组织
    joint_branch: PartyOrg  # 企业联合党支部
    own_branch: PartyOrg  # an enterprise's own branch


@pytest.fixture
def park(town: Any) -> Park:
    joint_org = f.org(town.committee, "宋河精细化工产业园联合党委", OrgKind.PARK_JOINT_ORG, town.park)
    joint_branch = f.org(joint_org, "园区企业联合党支部", OrgKind.BRANCH, town.park, branch_type=BranchType.JOINT)
    own_branch = f.org(
        joint_org, "宋河化工有限公司党支部", OrgKind.BRANCH, town.park, branch_type=BranchType.ENTERPRISE
    )
    return Park(joint_org, joint_branch, own_branch)


@pytest.fixture
def instructor(town: Any) -> Instructor:
    """An instructor of the town with no assignment yet; log in as `town.client_for("instructor")`."""
    profile = services_instructors.create_instructor(
        actor=town.users["admin"],
        username="instructor",
        display_name="李指导",
        area=town.town,
        password="Hnd-test-2026!x",
        work_unit="宋河镇党政办",
        phone="13800001111",
    )
    town.users["instructor"] = profile.user
    return profile


@pytest.fixture
def fashuihe_enterprise(town: Any) -> Enterprise:
    return make_enterprise("发水河村酒厂", town.fashuihe.area, industry=Industry.LIQUOR_FOOD)


def fresh(user: Any) -> Any:
    """The same user read again (scopes are cached on a user object)."""
    return type(user).objects.get(pk=user.pk)
