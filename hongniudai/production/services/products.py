"""What the organisation processes (sorghum brewed into liquor) and the products it sells (Dr 102 / Cr 501)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.audit import services as audit
from hongniudai.collective.interface import EconomicOrg
from hongniudai.common.text import check_lengths
from hongniudai.enterprises.interface import Enterprise

from .. import events
from ..models import (
    OutputUnit,
    Processing,
    Sale,
)
from ..policy import require
from .checks import (
    BANK,
    INCOME,
    MAX_MONEY,
    account_of,
    books_of,
    check_enterprise,
    figure,
    money,
    number,
    post_pair,
    snapshot,
    text_of,
    to_fen_half_up,
    where,
)

# ---- processing and sales --------------------------------------------------------------------


@transaction.atomic
def record_processing(
    *,
    actor: User,
    org: EconomicOrg,
    input_crop: str,
    input_kg: Decimal,
    product: str,
    output_quantity: Decimal,
    product_unit: str,
    processed_on: dt.date,
    note: str = "",
) -> Processing:
    """Record `input_kg` of a crop processed into `output_quantity` `product_unit` of a product."""
    require(actor, Capability.ECONOMY_WRITE, org)
    values = {
        "input_crop": text_of(input_crop, field="input_crop", label=_("原料")),
        "product": text_of(product, field="product", label=_("产品")),
        "note": (note or "").strip(),
    }
    check_lengths(Processing, values)
    if product_unit not in OutputUnit.values:
        raise ValidationError({"product_unit": _("请选择单位。")})
    processing = Processing.objects.create(
        org=org,
        area_path=org.area_path,
        input_kg=number(input_kg, field="input_kg", label=_("原料用量"), places=3),
        output_quantity=number(output_quantity, field="output_quantity", label=_("产量"), places=3),
        product_unit=product_unit,
        processed_on=processed_on,
        recorded_by=actor,
        **values,
    )
    audit.record_create(
        actor=actor,
        action=events.PROCESSING_RECORDED,
        target=processing,
        after=snapshot(processing, ("org", *values, "input_kg", "output_quantity", "product_unit", "processed_on")),
        **where(org),
    )
    return processing


SALE_FIELDS = ("org", "product", "quantity", "product_unit", "unit_price", "amount", "buyer_name", "buyer", "sold_on")


def _sale_texts(product: str, buyer_name: str, buyer: Enterprise | None, product_unit: str) -> dict[str, str]:
    """The product and the buyer's name (the enterprise's when none is typed), checked."""
    values = {"product": text_of(product, field="product", label=_("产品")), "buyer_name": (buyer_name or "").strip()}
    check_lengths(Sale, values)
    if not values["buyer_name"] and buyer is not None:
        values["buyer_name"] = buyer.name
    if not values["buyer_name"]:
        raise ValidationError({"buyer_name": _("请填写买方,或选择买方企业。")})
    if product_unit not in OutputUnit.values:
        raise ValidationError({"product_unit": _("请选择单位。")})
    return values


@transaction.atomic
def record_sale(
    *,
    actor: User,
    org: EconomicOrg,
    product: str,
    quantity: Decimal,
    product_unit: str,
    unit_price: Decimal,
    sold_on: dt.date,
    buyer_name: str = "",
    buyer: Enterprise | None = None,
) -> Sale:
    """Record products sold for cash into the bank: Dr 102 银行存款 / Cr 501 经营收入, quantity × price."""
    require(actor, Capability.ECONOMY_WRITE, org)
    check_enterprise(actor, buyer, "buyer")
    values = _sale_texts(product, buyer_name, buyer, product_unit)
    count = number(quantity, field="quantity", label=_("数量"), places=3)
    price = money(unit_price, field="unit_price", label=_("单价"))
    amount = to_fen_half_up(count * price)
    if amount > MAX_MONEY:
        raise ValidationError({"quantity": _("金额过大。")})
    books = books_of(org)
    sale = Sale.objects.create(
        org=org,
        area_path=org.area_path,
        quantity=count,
        product_unit=product_unit,
        unit_price=price,
        amount=amount,
        buyer=buyer,
        sold_on=sold_on,
        recorded_by=actor,
        **values,
    )
    summary = _("销售%(product)s %(q)s%(unit)s 给 %(buyer)s") % {
        "product": sale.product,
        "q": figure(count),
        "unit": sale.get_product_unit_display(),
        "buyer": sale.buyer_name,
    }
    sale.voucher = post_pair(
        actor=actor,
        books=books,
        date=sold_on,
        summary=summary,
        debit=account_of(books, BANK),
        credit=account_of(books, INCOME),
        amount=amount,
        key=f"production-sale:{sale.pk}",
        source=sale,
    )
    sale.save(update_fields=["voucher"])
    audit.record_create(
        actor=actor, action=events.SALE_RECORDED, target=sale, after=snapshot(sale, SALE_FIELDS), **where(org)
    )
    return sale
