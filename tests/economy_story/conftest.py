"""The sorghum story's cast in the `town` fixture: 徐桥村's books open (the village's own, as the
ledger keeps them before any economy is recorded), its accountant `xq_kuaiji`, 黄文华 of group 5 (a
formerly poor household) and a second household that transfers its land, the seed company 鄂州种业
and the distillery 徐桥酒业 (in the town's park) in the enterprise registry. Everything else is recorded by the tests, through
the API or through the pages, as a newcomer would."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from hongniudai.accounts.models import Role, User
from hongniudai.demo.loader import loader_actor
from hongniudai.enterprises.models import Enterprise
from hongniudai.ledger import services as ledger
from hongniudai.ledger.charts import CK_2023, load_chart
from hongniudai.ledger.models import Books
from hongniudai.ledger.models import OrgKind as BooksKind
from hongniudai.places.models import Household, Resident
from tests import factories as f

YEAR = dt.date.today().year - 1  # the story's year: every day of it lies in the past


def day(month: int, dom: int) -> str:
    """A day of the story's year, as the API and the forms take it."""
    return dt.date(YEAR, month, dom).isoformat()


@dataclass
class Story:
    town: Any
    books: Books  # 徐桥村's books, kept by its collective economic organisation once registered
    accountant: User
    huang: Resident  # 黄文华, who works in the sorghum fields
    neighbour: Household  # a second household transferring its land
    seed: Enterprise
    distillery: Enterprise

    @property
    def secretary(self) -> User:
        return self.town.users["xuqiao"]

    @property
    def village(self) -> Any:
        return self.town.xuqiao.area


@pytest.fixture
def story(town: Any) -> Story:
    xq = town.xuqiao
    books = ledger.open_books(
        actor=loader_actor(),
        village=xq.area,
        name="徐桥村股份经济合作社",
        kind=BooksKind.SHAREHOLDING,
        opened_on=dt.date(YEAR, 1, 1),
        chart=load_chart(CK_2023).accounts,
    )
    accountant = f.user("xq_kuaiji", Role.VILLAGE_ACCOUNTANT, area=xq.area)
    town.users["xq_kuaiji"] = accountant
    xq.household.is_formerly_poor = True
    xq.household.save(update_fields=["is_formerly_poor"])
    neighbour = f.household(xq.hamlet, "徐桥村黄家湾2号")
    f.resident(neighbour, "黄春梅", sex="F", relation="head", birth=dt.date(1966, 8, 2))
    return Story(
        town=town,
        books=books,
        accountant=accountant,
        huang=xq.head,
        neighbour=neighbour,
        seed=f.enterprise(xq.area, "鄂州种业有限公司", "91420704MA4ZY0001A"),
        # in the town's park, outside the village: named as the other party all the same
        distillery=f.enterprise(town.park, "湖北徐桥酒业有限公司", "91420704MA4JY0002B", industry="liquor_food"),
    )
