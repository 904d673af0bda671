from __future__ import annotations

from typing import Any

import pytest

from hongniudai.collective.interface import EconomicOrg
from tests.distribution.helpers import make_org


@pytest.fixture
def org(town: Any) -> EconomicOrg:
    """徐桥村's organisation, 100,000.00 yuan of 2025's income in its books."""
    return make_org(town.xuqiao.area, town.users["xuqiao"])
