"""Purchase contracts with their delivery schedule, deliveries (Dr 112 or 102 / Cr 501), never
beyond what the contract still owes, and the buyer's payments (Dr 102 / Cr 112)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.audit import services as audit
from hongniudai.collective.interface import EconomicOrg
from hongniudai.common.text import check_lengths
from hongniudai.enterprises.interface import Enterprise

from .. import events
from ..models import (
    KG_IN_UNIT,
    Delivery,
    PriceUnit,
    PurchaseContract,
    Receipt,
    ScheduleLine,
    SettledBy,
)
from ..policy import require
from .checks import (
    BANK,
    CENT,
    INCOME,
    RECEIVABLE,
    account_of,
    books_of,
    check_enterprise,
    figure,
    kg_text,
    money,
    number,
    post_pair,
    snapshot,
    text_of,
    to_fen_half_up,
    where,
)

# ---- purchase contracts and deliveries --------------------------------------------------------

CONTRACT_FIELDS = ("org", "buyer", "number", "crop", "quantity_kg", "price", "price_unit", "signed_on", "note")


def amount_for(contract: PurchaseContract, quantity_kg: Decimal) -> Decimal:
    """What `quantity_kg` is worth at the contract's price (to the fen, half up)."""
    return to_fen_half_up(quantity_kg / KG_IN_UNIT[PriceUnit(contract.price_unit)] * contract.price)


@transaction.atomic
def sign_contract(
    *,
    actor: User,
    org: EconomicOrg,
    buyer: Enterprise,
    crop: str,
    quantity_kg: Decimal,
    price: Decimal,
    price_unit: str,
    signed_on: dt.date,
    schedule: Sequence[tuple[dt.date, Decimal]] = (),
    number_: str = "",
    note: str = "",
) -> PurchaseContract:
    """Record a purchase contract by which `org` sells `quantity_kg` of `crop` to `buyer` at `price`
    yuan per `price_unit`, delivered on `schedule`'s (date, kg) lines (which, when given, add up to
    the quantity)."""
    require(actor, Capability.ECONOMY_WRITE, org)
    check_enterprise(actor, buyer, "buyer")
    values = {
        "crop": text_of(crop, field="crop", label=_("作物")),
        "number": (number_ or "").strip(),
        "note": (note or "").strip(),
    }
    check_lengths(PurchaseContract, values)
    quantity = number(quantity_kg, field="quantity_kg", label=_("合同数量"), places=3)
    unit_price = money(price, field="price", label=_("单价"))
    if price_unit not in PriceUnit.values:
        raise ValidationError({"price_unit": _("请选择计价单位。")})
    lines = [(due_on, number(kg, field="schedule", label=_("交货数量"), places=3)) for due_on, kg in schedule]
    if lines:
        total = sum((kg for _due, kg in lines), Decimal(0))
        if total != quantity:
            raise ValidationError(
                {
                    "schedule": _("交货计划合计 %(total)s 公斤,与合同数量 %(quantity)s 公斤不符。")
                    % {"total": figure(total), "quantity": figure(quantity)}
                }
            )
        if any(due_on < signed_on for due_on, _kg in lines):
            raise ValidationError({"schedule": _("交货日期不能早于签订日期。")})
    contract = PurchaseContract.objects.create(
        org=org,
        area_path=org.area_path,
        buyer=buyer,
        quantity_kg=quantity,
        price=unit_price,
        price_unit=price_unit,
        signed_on=signed_on,
        recorded_by=actor,
        **values,
    )
    ScheduleLine.objects.bulk_create(
        [ScheduleLine(contract=contract, due_on=due_on, quantity_kg=kg) for due_on, kg in sorted(lines)]
    )
    after = snapshot(contract, CONTRACT_FIELDS)
    after["schedule"] = [[due_on.isoformat(), str(kg)] for due_on, kg in sorted(lines)]
    audit.record_create(actor=actor, action=events.CONTRACT_SIGNED, target=contract, after=after, **where(org))
    return contract


def delivered_kg(contract: PurchaseContract) -> Decimal:
    return contract.deliveries.aggregate(s=Sum("quantity_kg"))["s"] or Decimal(0)


def _check_owed(contract: PurchaseContract, quantity: Decimal) -> None:
    """Refuse a delivery beyond what the (locked) contract still owes, with the figure."""
    owed = contract.quantity_kg - delivered_kg(contract)
    if quantity > owed:
        raise ValidationError(
            {
                "quantity_kg": _("本次交货 %(q)s 公斤超出合同尚未交付的 %(owed)s 公斤(%(owed_text)s),未登记。")
                % {"q": figure(quantity), "owed": figure(owed), "owed_text": kg_text(owed)}
            }
        )


@transaction.atomic
def record_delivery(
    *,
    actor: User,
    contract: PurchaseContract,
    delivered_on: dt.date,
    quantity_kg: Decimal,
    settled_by: str = SettledBy.RECEIVABLE,
) -> Delivery:
    """Record a delivery under `contract` and its income: Dr 112 应收款 (or 102 银行存款 when paid at
    once) / Cr 501 经营收入. Never more than the contract still owes."""
    require(actor, Capability.ECONOMY_WRITE, contract)
    quantity = number(quantity_kg, field="quantity_kg", label=_("交货数量"), places=3)
    if settled_by not in SettledBy.values:
        raise ValidationError({"settled_by": _("请选择结算方式。")})
    if delivered_on < contract.signed_on:
        raise ValidationError({"delivered_on": _("交货日期不能早于合同签订日期。")})
    contract = (
        PurchaseContract.objects.select_for_update(of=("self",))
        .select_related("org__books", "buyer")
        .get(pk=contract.pk)
    )
    _check_owed(contract, quantity)
    org = contract.org
    books = books_of(org)
    amount = amount_for(contract, quantity)
    delivery = Delivery.objects.create(
        contract=contract,
        area_path=contract.area_path,
        delivered_on=delivered_on,
        quantity_kg=quantity,
        amount=amount,
        settled_by=settled_by,
        recorded_by=actor,
    )
    summary = _("%(buyer)s %(crop)s交货 %(kg)s") % {
        "buyer": contract.buyer.name,
        "crop": contract.crop,
        "kg": kg_text(quantity),
    }
    delivery.voucher = post_pair(
        actor=actor,
        books=books,
        date=delivered_on,
        summary=summary,
        debit=account_of(books, settled_by),
        credit=account_of(books, INCOME),
        amount=amount,
        key=f"production-delivery:{delivery.pk}",
        source=delivery,
    )
    delivery.save(update_fields=["voucher"])
    audit.record_create(
        actor=actor,
        action=events.DELIVERY_RECORDED,
        target=delivery,
        after=snapshot(delivery, ("contract", "delivered_on", "quantity_kg", "amount", "settled_by", "voucher")),
        **where(org),
    )
    return delivery


def outstanding(delivery: Delivery) -> Decimal:
    """What the buyer still owes for `delivery`: nothing when it was paid at once."""
    if delivery.settled_by != SettledBy.RECEIVABLE:
        return Decimal("0.00")
    received = delivery.receipts.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    return (delivery.amount - received).quantize(CENT)


@transaction.atomic
def record_receipt(*, actor: User, delivery: Delivery, received_on: dt.date, amount: Decimal) -> Receipt:
    """Record the buyer's payment for a delivery: Dr 102 银行存款 / Cr 112 应收款. Never more than
    is outstanding."""
    require(actor, Capability.ECONOMY_WRITE, delivery)
    paid = money(amount, field="amount", label=_("金额"))
    delivery = (
        Delivery.objects.select_for_update(of=("self",))
        .select_related("contract__org__books", "contract__buyer")
        .get(pk=delivery.pk)
    )
    if received_on < delivery.delivered_on:
        raise ValidationError({"received_on": _("收款日期不能早于交货日期。")})
    owed = outstanding(delivery)
    if paid > owed:
        raise ValidationError(
            {"amount": _("收款 %(paid)s 元超过了该笔交货尚未收回的 %(owed)s 元。") % {"paid": paid, "owed": owed}}
        )
    contract = delivery.contract
    books = books_of(contract.org)
    receipt = Receipt.objects.create(
        delivery=delivery, area_path=delivery.area_path, received_on=received_on, amount=paid, recorded_by=actor
    )
    summary = _("收回%(buyer)s %(crop)s货款") % {"buyer": contract.buyer.name, "crop": contract.crop}
    receipt.voucher = post_pair(
        actor=actor,
        books=books,
        date=received_on,
        summary=summary,
        debit=account_of(books, BANK),
        credit=account_of(books, RECEIVABLE),
        amount=paid,
        key=f"production-receipt:{receipt.pk}",
        source=receipt,
    )
    receipt.save(update_fields=["voucher"])
    audit.record_create(
        actor=actor,
        action=events.RECEIPT_RECORDED,
        target=receipt,
        after=snapshot(receipt, ("delivery", "received_on", "amount", "voucher")),
        **where(contract.org),
    )
    return receipt
