"""Land fixtures on top of the shared `town`: 徐桥村's collective with its books and a cooperative
it founded (with its own books), three households of 黄家湾 with a parcel each, an enterprise, a
view-only user, and token API clients."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from hongniudai.accounts.models import Role, User
from hongniudai.accounts.services_tokens import issue_token
from hongniudai.collective.interface import EconomicOrg, OrgKind
from hongniudai.demo.loader import loader_actor
from hongniudai.enterprises.interface import Enterprise
from hongniudai.land import services
from hongniudai.land.models import Parcel
from hongniudai.ledger import services as ledger
from hongniudai.ledger.charts import CK_2023, load_chart
from hongniudai.ledger.models import Books
from hongniudai.ledger.models import OrgKind as BooksKind
from hongniudai.places.models import AreaNode, Household
from tests import factories as f
from tests.conftest import Town

YEAR = 2025


def open_org(village: AreaNode, name: str, kind: str, founded_by: EconomicOrg | None = None) -> EconomicOrg:
    books = ledger.open_books(
        actor=loader_actor(),
        village=village,
        name=name,
        kind=BooksKind.SHAREHOLDING,
        opened_on=dt.date(YEAR, 1, 1),
        chart=load_chart(CK_2023).accounts,
    )
    return EconomicOrg.objects.create(
        village=village, area_path=village.path, name=name, kind=kind, founded_by=founded_by, books=books
    )


@dataclass
class LandTown:
    town: Town
    collective: EconomicOrg
    coop: EconomicOrg
    fsh_collective: EconomicOrg
    households: list[Household]
    parcels: list[Parcel]
    enterprise: Enterprise
    viewer: User

    @property
    def xq(self) -> User:
        return self.town.users["xuqiao"]

    @property
    def books(self) -> Books:
        assert self.collective.books is not None
        return self.collective.books


def parcel(actor: User, household: Household, name: str, area: str, **kw: Any) -> Parcel:
    return services.create_parcel(actor=actor, household=household, name=name, registered_area=Decimal(area), **kw)


@pytest.fixture
def lt(town: Town) -> LandTown:
    xq = town.users["xuqiao"]
    collective = open_org(town.xuqiao.area, "徐桥村股份经济合作社", OrgKind.SHAREHOLDING_COLLECTIVE)
    coop = open_org(town.xuqiao.area, "徐桥村稻虾种养专业合作社", OrgKind.SPECIALISED_COOPERATIVE, collective)
    fsh = open_org(town.fashuihe.area, "发水河村股份经济合作社", OrgKind.SHAREHOLDING_COLLECTIVE)
    hh = [town.xuqiao.household]
    for name in ("黄建国", "黄春梅"):
        h = f.household(town.xuqiao.hamlet, f"黄家湾{len(hh) + 1}号")
        f.resident(h, name, relation="head", birth=dt.date(1965, 1, 1))
        hh.append(h)
    parcels = [parcel(xq, h, f"{i + 1}号田", "3") for i, h in enumerate(hh)]
    enterprise = Enterprise.objects.create(
        name="徐桥米业有限公司", uscc="91420704MA4XQ0001A", industry="agri_processing", area=town.xuqiao.area
    )
    viewer = f.user("xq_officer", Role.RURAL_ECONOMY_OFFICER, area=town.xuqiao.area)
    town.users["xq_officer"] = viewer
    return LandTown(town, collective, coop, fsh, hh, parcels, enterprise, viewer)


def contract(lt: LandTown, *, enterprise: bool = False, areas: tuple[str, ...] = ("1", "1", "1"), **kw: Any) -> Any:
    fields: dict[str, Any] = {
        "org": lt.collective if enterprise else lt.coop,
        "enterprise": lt.enterprise if enterprise else None,
        "starts_on": dt.date(YEAR, 1, 1),
        "ends_on": dt.date(YEAR + 2, 12, 31),
        "rent_per_mu": Decimal("800.00"),
        "signed_on": dt.date(YEAR - 1, 12, 20),
        "due_month": 3,
        "due_day": 1,
        "number": "XQ-2025-01",
    }
    fields.update(kw)
    return services.create_contract(
        actor=lt.xq,
        village=lt.town.xuqiao.area,
        parcels=[(p, Decimal(a)) for p, a in zip(lt.parcels, areas, strict=False)],
        **fields,
    )


@pytest.fixture
def api_for(town: Town) -> Callable[[str], APIClient]:
    def make(username: str) -> APIClient:
        key, _token = issue_token(actor=User.objects.get(username=username))
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make
