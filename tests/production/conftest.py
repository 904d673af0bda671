"""徐桥村's shareholding cooperative with its books, the seed company and the distillery, and
黄文华 (group 5, a formerly poor household) who works in its sorghum fields; 发水河村's own
organisation for the scope tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from hongniudai.collective.interface import EconomicOrg, OrgKind
from hongniudai.demo.loader import loader_actor
from hongniudai.enterprises.interface import Enterprise
from hongniudai.ledger import services as ledger
from hongniudai.ledger.charts import CK_2023, load_chart
from hongniudai.ledger.models import OrgKind as BooksKind
from hongniudai.places.models import AreaNode, Resident
from hongniudai.production import services
from hongniudai.production.models import Planting, PriceUnit, PurchaseContract

YEAR = dt.date.today().year - 1


def make_org(village: AreaNode, name: str) -> EconomicOrg:
    books = ledger.open_books(
        actor=loader_actor(),
        village=village,
        name=name,
        kind=BooksKind.SHAREHOLDING,
        opened_on=dt.date(YEAR, 1, 1),
        chart=load_chart(CK_2023).accounts,
    )
    return EconomicOrg.objects.create(
        village=village, area_path=village.path, name=name, kind=OrgKind.SHAREHOLDING_COLLECTIVE, books=books
    )


@dataclass
class Farm:
    town: Any
    org: EconomicOrg
    other_org: EconomicOrg
    seed: Enterprise
    distillery: Enterprise
    worker: Resident  # 黄文华
    outsider: Resident  # 施华成, of 发水河村

    @property
    def secretary(self) -> Any:
        return self.town.users["xuqiao"]

    def planting(self, **kw: Any) -> Planting:
        values: dict[str, Any] = {
            "crop": "红高粱",
            "year": YEAR,
            "area_mu": Decimal("300.00"),
            "land": "徐桥村5组、6组连片",
            "started_on": dt.date(YEAR, 4, 20),
            "adviser": self.seed,
        }
        return services.record_planting(actor=self.secretary, org=self.org, **{**values, **kw})

    def contract(self, **kw: Any) -> PurchaseContract:
        values: dict[str, Any] = {
            "buyer": self.distillery,
            "crop": "红高粱",
            "quantity_kg": Decimal("100000"),
            "price": Decimal("1.30"),
            "price_unit": PriceUnit.JIN,
            "signed_on": dt.date(YEAR, 3, 1),
            "schedule": [(dt.date(YEAR, 9, 30), Decimal("60000")), (dt.date(YEAR, 10, 31), Decimal("40000"))],
        }
        return services.sign_contract(actor=self.secretary, org=self.org, **{**values, **kw})


@pytest.fixture
def farm(town: Any) -> Farm:
    town.xuqiao.household.is_formerly_poor = True
    town.xuqiao.household.save(update_fields=["is_formerly_poor"])
    seed = Enterprise.objects.create(
        name="鄂州种业有限公司", uscc="91420704MA4ZY0001A", industry="agri_processing", area=town.xuqiao.area
    )
    distillery = Enterprise.objects.create(
        name="徐桥酒业有限公司", uscc="91420704MA4JY0002B", industry="liquor_food", area=town.xuqiao.area
    )
    return Farm(
        town=town,
        org=make_org(town.xuqiao.area, "徐桥村股份经济合作社"),
        other_org=make_org(town.fashuihe.area, "发水河村股份经济合作社"),
        seed=seed,
        distillery=distillery,
        worker=town.xuqiao.head,
        outsider=town.fashuihe.head,
    )
