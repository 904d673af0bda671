from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hongniudai.accounts.models import Role
from hongniudai.governance.models import Category
from hongniudai.party import services as party_services
from tests import factories as f


@pytest.fixture
def gov(town: Any) -> Any:
    """The town plus: 张圣福 centre household of 张家冲, a legal adviser and a grid worker for 何梅畈村."""
    party_services.set_centre_household(
        actor=town.users["admin"],
        hamlet=town.hemeifan.hamlet,
        member=town.hemeifan.member,
        linked_households=[town.hemeifan.household],
        since=dt.date(2020, 1, 1),
    )
    town.users["hmf_lawyer"] = f.user("hmf_lawyer", Role.LEGAL_ADVISER, area=town.hemeifan.area)
    town.users["hmf_grid"] = f.user("hmf_grid", Role.GRID_WORKER, area=town.hemeifan.grid)
    town.forest = Category.objects.get(code="dispute-forest")
    town.hazard = Category.objects.get(code="safety-hazard")
    town.li = f.resident(town.hemeifan.household, "李某忠", birth=dt.date(1965, 5, 1))
    town.zhao = f.resident(town.hemeifan.household, "赵某发", birth=dt.date(1968, 8, 8))
    return town
