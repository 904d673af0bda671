"""A minimal chart and 徐桥村's books over it, so that these tests do not depend on the chart data."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hongniudai.accounts.models import Role, User
from hongniudai.ledger import services
from hongniudai.ledger.charts import load_chart
from hongniudai.ledger.models import Books, OrgKind
from tests import factories as f
from tests.ledger.chart import CHART, OPENED, acc, post_pair


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


@pytest.fixture
def books23(town: Any, ledger_users: dict[str, Any]) -> Books:
    return services.open_books(
        actor=ledger_users["accountant"],
        village=town.xuqiao.area,
        name="徐桥村股份经济合作社",
        kind=OrgKind.SHAREHOLDING,
        opened_on=OPENED,
        chart=load_chart("财会〔2023〕14号").accounts,
    )


@pytest.fixture
def year23(books23: Books, ledger_users: dict[str, Any]) -> Books:
    """A small year: capital paid in, sorghum-liquor income, a subsidy, management costs, a household
    owing the collective and the collective owing another."""
    a = ledger_users["accountant"]
    owes, owed = (
        services.add_sub_account(actor=a, parent=acc(books23, "113"), code=code, name=name)
        for code, name in (("11301", "徐大林"), ("11302", "徐小林"))
    )
    post_pair(a, books23, "102", "301", "50000", dt.date(2026, 1, 2))
    post_pair(a, books23, "102", "501", "100000", dt.date(2026, 2, 3))
    post_pair(a, books23, "513", "101", "1200.50", dt.date(2026, 2, 4))
    post_pair(a, books23, "101", "102", "5000", dt.date(2026, 2, 5))
    post_pair(a, books23, "102", "503", "3000", dt.date(2026, 3, 5))
    post_pair(a, books23, owes.code, "102", "800", dt.date(2026, 3, 6))
    post_pair(a, books23, "102", owed.code, "300", dt.date(2026, 3, 7))
    return books23
