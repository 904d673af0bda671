"""Out-of-scope targets for production's URLs, merged into tests/test_url_scoping.py: 发水河村's
organisation with its books and one record of each kind (xuqiao, 徐桥村's secretary, must get 404;
the town admin reaches them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

YEAR = dt.date.today().year - 1


def fashuihe_records(town: Any) -> dict[str, Any]:
    """发水河村's planting, work, wage payment, contract, delivery and sale, made once per test."""
    records = getattr(town, "_production", None)
    if records is not None:
        return records
    from hongniudai.enterprises.interface import Enterprise
    from hongniudai.production import services
    from hongniudai.production.models import OutputUnit, PriceUnit
    from tests.production.conftest import make_org

    actor = town.users["fashuihe"]
    org = make_org(town.fashuihe.area, "发水河村经济合作社")
    buyer = Enterprise.objects.create(
        name="发水河粮油公司", uscc="91420704MA4FS0009Z", industry="agri_processing", area=town.fashuihe.area
    )
    planting = services.record_planting(
        actor=actor, org=org, crop="水稻", year=YEAR, area_mu=Decimal(80), land="1组", started_on=dt.date(YEAR, 5, 1)
    )
    work = services.record_work(
        actor=actor,
        org=org,
        planting=planting,
        worker=town.fashuihe.head,
        worked_on=dt.date(YEAR, 5, 2),
        days=Decimal(1),
        daily_rate=Decimal(100),
        task="插秧",
    )
    payment = services.pay_wages(
        actor=actor, org=org, worker=town.fashuihe.head, amount=Decimal(100), paid_on=dt.date(YEAR, 5, 30)
    )
    contract = services.sign_contract(
        actor=actor,
        org=org,
        buyer=buyer,
        crop="水稻",
        quantity_kg=Decimal(10000),
        price=Decimal("1.40"),
        price_unit=PriceUnit.JIN,
        signed_on=dt.date(YEAR, 4, 1),
    )
    delivery = services.record_delivery(
        actor=actor, contract=contract, delivered_on=dt.date(YEAR, 9, 1), quantity_kg=Decimal(1000)
    )
    receipt = services.record_receipt(
        actor=actor, delivery=delivery, received_on=dt.date(YEAR, 9, 5), amount=Decimal(100)
    )
    harvest = services.record_harvest(
        actor=actor, planting=planting, harvested_on=dt.date(YEAR, 9, 1), quantity_kg=Decimal(30000)
    )
    processing = services.record_processing(
        actor=actor,
        org=org,
        input_crop="水稻",
        input_kg=Decimal(100),
        product="大米",
        output_quantity=Decimal(70),
        product_unit=OutputUnit.KG,
        processed_on=dt.date(YEAR, 10, 1),
    )
    sale = services.record_sale(
        actor=actor,
        org=org,
        product="大米",
        quantity=Decimal(70),
        product_unit=OutputUnit.KG,
        unit_price=Decimal(6),
        sold_on=dt.date(YEAR, 10, 2),
        buyer_name="镇超市",
    )
    records = {
        "org": org,
        "planting": planting,
        "work": work,
        "payment": payment,
        "contract": contract,
        "delivery": delivery,
        "receipt": receipt,
        "harvest": harvest,
        "processing": processing,
        "sale": sale,
    }
    town._production = records
    return records


def _pk(kind: str) -> Callable[[Any], dict[str, Any]]:
    return lambda town: {"pk": fashuihe_records(town)[kind].pk}


OUT_OF_SCOPE: dict[str, Callable[[Any], dict[str, Any]]] = {
    "production:planting_detail": _pk("planting"),
    "production:harvest_create": _pk("planting"),
    "production:work_detail": _pk("work"),
    "production:payment_detail": _pk("payment"),
    "production:contract_detail": _pk("contract"),
    "production:delivery_create": _pk("contract"),
    "production:sale_detail": _pk("sale"),
    "production:receipt_create": _pk("delivery"),
    "api:production-receipt-detail": _pk("receipt"),
    "api:production-planting-detail": _pk("planting"),
    "api:production-harvest-detail": _pk("harvest"),
    "api:production-work-detail": _pk("work"),
    "api:production-wage-payment-detail": _pk("payment"),
    "api:production-contract-detail": _pk("contract"),
    "api:production-delivery-detail": _pk("delivery"),
    "api:production-processing-detail": _pk("processing"),
    "api:production-sale-detail": _pk("sale"),
}
NOT_RECORDS: dict[str, dict[str, Any]] = {}
