"""factory-boy factories. Tree nodes are created through the services so paths, audit and
invariants hold exactly as in the running platform."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from stdnum.cn import ric

from hongniudai.accounts import services as account_services
from hongniudai.accounts.models import User
from hongniudai.enterprises.models import Enterprise
from hongniudai.party import services as party_services
from hongniudai.party.models import Member, MemberStatus, PartyOrg
from hongniudai.places import services as place_services
from hongniudai.places.models import AreaNode, Household, Resident
from hongniudai.volunteers.models import Volunteer

SYSTEM: Any = None  # the actor for fixtures: no user (system)

_rng = random.Random(20261129)
# Numbers handed out since the current test began (each test's database starts empty; the
# autouse fixture `fresh_id_numbers` in conftest.py clears this between tests).
_used: set[str] = set()


def reset_id_numbers() -> None:
    _used.clear()


def make_id_number(*, birth: dt.date | None = None, sex: str = "M", region: str = "420704") -> str:
    """A valid citizen ID number (GB 11643) not yet handed out in this test."""
    birth = birth or dt.date(1970, 1, 1) + dt.timedelta(days=_rng.randrange(0, 15000))
    parity = 1 if sex == "M" else 0
    for offset in range(500):
        seq = ((_rng.randrange(0, 500) + offset) % 500) * 2 + parity
        body = f"{region}{birth:%Y%m%d}{seq:03d}"
        number = body + ric.calc_check_digit(body + "0")
        if number not in _used:
            _used.add(number)
            return number
    raise RuntimeError(f"all 500 sequence numbers of {region} {birth} ({sex}) are used in this test")


def superuser(username: str = "root") -> User:
    return account_services.create_user(actor=SYSTEM, username=username, password=None, is_superuser=True)


def area(parent: AreaNode | None, name: str, kind: str, **kwargs: Any) -> AreaNode:
    return place_services.create_area(actor=_root(), parent=parent, name=name, kind=kind, **kwargs)


_root_user: User | None = None


def _root() -> User:
    global _root_user
    if _root_user is None or not User.objects.filter(pk=_root_user.pk).exists():
        _root_user = User.objects.filter(username="__factory_root").first() or superuser("__factory_root")
    return _root_user


def household(hamlet: AreaNode, address: str = "", **kwargs: Any) -> Household:
    return place_services.create_household(
        actor=_root(), hamlet=hamlet, address=address or f"{hamlet.name}{_rng.randrange(1, 99)}号", **kwargs
    )


def resident(
    hh: Household, name: str, *, sex: str = "M", birth: dt.date | None = None, relation: str = "other", **kwargs: Any
) -> Resident:
    return place_services.create_resident(
        actor=_root(),
        household=hh,
        name=name,
        id_number=make_id_number(birth=birth, sex=sex),
        sex=sex,
        relation=relation,
        **kwargs,
    )


def org(parent: PartyOrg | None, name: str, kind: str, area: AreaNode, **kwargs: Any) -> PartyOrg:
    return party_services.create_org(actor=_root(), parent=parent, name=name, kind=kind, area=area, **kwargs)


def member(res: Resident, branch: PartyOrg, *, group: PartyOrg | None = None, **kwargs: Any) -> Member:
    kwargs.setdefault("joined_on", dt.date(2000, 7, 1))
    kwargs.setdefault("status", MemberStatus.FULL)
    return party_services.create_member(actor=_root(), resident=res, org=branch, party_group=group, **kwargs)


def user(username: str, role: str, *, area: AreaNode | None = None, org: PartyOrg | None = None) -> User:
    u = account_services.create_user(actor=SYSTEM, username=username, password="Hnd-test-2026!", check_password=False)
    account_services.assign_role(actor=SYSTEM, user=u, role=role, area=area, org=org)
    return u


def enterprise(area: AreaNode, name: str, uscc: str, industry: str = "agri_processing", **kwargs: Any) -> Enterprise:
    """An enterprise of the registry at `area` (a buyer or an adviser of the collective economy),
    written as it stands: the registry's own rules are tested in tests/enterprises."""
    return Enterprise.objects.create(area=area, name=name, uscc=uscc, industry=industry, **kwargs)


def volunteer(area: AreaNode, name: str, *, resident: Resident | None = None, **kwargs: Any) -> Volunteer:
    """A registered volunteer of `area` (written directly: the factory of the volunteers' tests)."""
    kwargs.setdefault("joined_on", dt.date(2026, 1, 1))
    return Volunteer.objects.create(area=area, area_path=area.path, name=name, resident=resident, **kwargs)


def camera(grid: AreaNode, code: str, name: str = "", **kwargs: Any) -> Any:
    """A working camera of the net at `grid` (through the service, as the system)."""
    from hongniudai.watch.cameras import services as camera_services

    kwargs.setdefault("lat", "30.400000")
    kwargs.setdefault("lng", "114.900000")
    return camera_services.register_camera(actor=None, grid=grid, code=code, name=name or code, **kwargs)
