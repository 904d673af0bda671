"""Out-of-scope targets for the land URLs, merged into tests/test_url_scoping.py: 发水河村's parcel,
contract (an enterprise's, so every page has a target) and instalment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any


def _records(town: Any) -> Any:
    found = getattr(town, "_land", None)
    if found is None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from hongniudai.collective.interface import EconomicOrg, OrgKind
        from hongniudai.demo.loader import loader_actor
        from hongniudai.enterprises.interface import Enterprise
        from hongniudai.land import services
        from hongniudai.land.models import RentInstalment
        from hongniudai.ledger import services as ledger
        from hongniudai.ledger.charts import CK_2023, load_chart
        from hongniudai.ledger.models import OrgKind as BooksKind

        village = town.fashuihe.area
        books = ledger.open_books(
            actor=loader_actor(),
            village=village,
            name="发水河村股份经济合作社",
            kind=BooksKind.SHAREHOLDING,
            opened_on=dt.date(2025, 1, 1),
            chart=load_chart(CK_2023).accounts,
        )
        org = EconomicOrg.objects.create(
            village=village, area_path=village.path, name=books.name, kind=OrgKind.SHAREHOLDING_COLLECTIVE, books=books
        )
        enterprise = Enterprise.objects.create(
            name="发水河建材厂", uscc="91420704MA4FS0002B", industry="building_materials", area=village
        )
        actor = town.users["fashuihe"]
        parcel = services.create_parcel(
            actor=actor, household=town.fashuihe.household, name="施家湾1号田", registered_area=Decimal("2")
        )
        contract = services.create_contract(
            actor=actor,
            village=village,
            org=org,
            enterprise=enterprise,
            starts_on=dt.date(2025, 1, 1),
            ends_on=dt.date(2026, 12, 31),
            rent_per_mu=Decimal("600"),
            signed_on=dt.date(2024, 12, 1),
            parcels=[(parcel, Decimal("2"))],
            document=SimpleUploadedFile("合同.pdf", b"%PDF-1.4 contract", content_type="application/pdf"),
        )
        instalment = RentInstalment.objects.filter(contract=contract).first()
        found = (parcel, contract, instalment)
        town._land = found
    return found


def _parcel(t: Any) -> dict[str, Any]:
    return {"pk": _records(t)[0].pk}


def _contract(t: Any) -> dict[str, Any]:
    return {"pk": _records(t)[1].pk}


def _instalment(t: Any) -> dict[str, Any]:
    return {"pk": _records(t)[2].pk}


def _payment(t: Any) -> dict[str, Any]:
    from hongniudai.land import rent

    parcel, contract, instalment = _records(t)
    payment = getattr(t, "_land_payment", None)
    if payment is None:
        payment = rent.receive_rent(
            actor=t.users["fashuihe"], contract=contract, received_on=dt.date(2025, 3, 1), amount=Decimal("1200")
        )
        t._land_payment = payment
    return {"pk": payment.pk}


OUT_OF_SCOPE: dict[str, Callable[[Any], dict[str, Any]]] = {
    "land:parcel_detail": _parcel,
    "land:parcel_edit": _parcel,
    "land:contract_detail": _contract,
    "land:contract_edit": _contract,
    "land:contract_document": _contract,
    "land:contract_add_parcel": _contract,
    "land:contract_end": _contract,
    "land:contract_receive": _contract,
    "land:instalment_pay": _instalment,
    "api:land-parcel-detail": _parcel,
    "api:land-contract-detail": _contract,
    "api:land-contract-parcels": _contract,
    "api:land-contract-receive": _contract,
    "api:land-instalment-detail": _instalment,
    "api:land-instalment-pay": _instalment,
    "api:land-payment-detail": _payment,
}
NOT_RECORDS: dict[str, Callable[[Any], dict[str, Any]]] = {}
