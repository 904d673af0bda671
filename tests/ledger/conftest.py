"""A minimal chart and 徐桥村's books over it, so that these tests do not depend on the chart data."""

from __future__ import annotations

from typing import Any

import pytest

from hongniudai.accounts.models import Role, User
from hongniudai.ledger import services
from hongniudai.ledger.models import Books, OrgKind
from tests import factories as f
from tests.ledger.chart import CHART, OPENED


@pytest.fixture
def ledger_users(town: Any) -> dict[str, User]:
    users = {
        "accountant": f.user("xq_accountant", Role.VILLAGE_ACCOUNTANT, area=town.xuqiao.area),
        "fsh_accountant": f.user("fsh_accountant", Role.VILLAGE_ACCOUNTANT, area=town.fashuihe.area),
        "nongjing": f.user("nongjing", Role.RURAL_ECONOMY_OFFICER, area=town.town),
    }
    town.users.update(users)
    return users


@pytest.fixture
def books(town: Any, ledger_users: dict[str, User]) -> Books:
    return services.open_books(
        actor=ledger_users["accountant"],
        village=town.xuqiao.area,
        name="徐桥村股份经济合作社",
        kind=OrgKind.SHAREHOLDING,
        opened_on=OPENED,
        chart=CHART,
    )


@pytest.fixture
def other_books(town: Any, ledger_users: dict[str, User]) -> Books:
    return services.open_books(
        actor=ledger_users["fsh_accountant"],
        village=town.fashuihe.area,
        name="发水河村经济合作社",
        kind=OrgKind.COOPERATIVE,
        opened_on=OPENED,
        chart=CHART,
    )
