"""Every write of production and sales: a planting, the work days villagers put in and the wages
accrued and paid for them, the harvest, a purchase contract and its deliveries, processing, and the
sale of products. Each checks ECONOMY_WRITE over the organisation, every rule of the change, posts
the money through the ledger (whose refusals, a closed month or a missing account, pass through
in Chinese so nothing is saved) and writes one named audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, user_can
from hongniudai.audit import services as audit
from hongniudai.collective.interface import LABOUR_PAYABLE, EconomicOrg, household_account
from hongniudai.common.text import check_lengths
from hongniudai.enterprises.interface import Enterprise
from hongniudai.ledger.interface import Account, Books, LineSpec, post_entry
from hongniudai.places.models import Resident

from . import events
from .models import (
    KG_IN_UNIT,
    KG_PER_JIN,
    Delivery,
    Harvest,
    OutputUnit,
    PaidFrom,
    Planting,
    PriceUnit,
    Processing,
    PurchaseContract,
    Receipt,
    Sale,
    ScheduleLine,
    SettledBy,
    WagePayment,
    WorkRecord,
)
from .policy import require

CENT = Decimal("0.01")
HALF_DAY = Decimal("0.5")
COST = "401"  # 生产(劳务)成本
RECEIVABLE = "112"  # 应收款
BANK = "102"  # 银行存款
INCOME = "501"  # 经营收入
MAX_DAYS = Decimal(366)
MAX_QUANTITY = Decimal("99999999999.999")
MAX_MONEY = Decimal("999999999999.99")


# ---- checks shared by every event -----------------------------------------------------------


def number(value: Any, *, field: str, label: str, places: int, maximum: Decimal = MAX_QUANTITY) -> Decimal:
    """`value` as a positive Decimal of at most `places` decimals, else a Chinese refusal on `field`."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("%(label)s不是有效的数字。") % {"label": label}}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("%(label)s不是有效的数字。") % {"label": label}})
    if amount <= 0:
        raise ValidationError({field: _("%(label)s必须大于零。") % {"label": label}})
    if amount != amount.quantize(Decimal(1).scaleb(-places)):
        raise ValidationError({field: _("%(label)s最多保留 %(n)d 位小数。") % {"label": label, "n": places}})
    if amount > maximum:
        raise ValidationError({field: _("%(label)s过大。") % {"label": label}})
    return amount


def money(value: Any, *, field: str, label: str) -> Decimal:
    return number(value, field=field, label=label, places=2, maximum=MAX_MONEY)


def to_fen_half_up(value: Decimal) -> Decimal:
    """A computed amount to the fen, rounding half up (四舍五入)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def figure(value: Decimal) -> str:
    """A quantity without trailing zeros or exponent: 1000, 2.5, 12345.6."""
    return f"{value.normalize():f}"


def kg_text(kg: Decimal) -> str:
    """A weight as people say it: 斤, and 吨 when it is one or more."""
    jin_text = figure(kg / KG_PER_JIN)
    if kg >= 1000:
        return _("%(t)s 吨(%(jin)s 斤)") % {"t": figure(kg / 1000), "jin": jin_text}
    return _("%(jin)s 斤") % {"jin": jin_text}


def _books(org: EconomicOrg) -> Books:
    if org.books_id is None or org.books is None:
        raise ValidationError(_("“%(org)s”尚未建账,无法记账。") % {"org": org.name})
    return org.books


def _account(books: Books, code: str) -> Account:
    account = Account.objects.filter(books=books, code=code).first()
    if account is None:
        raise ValidationError(_("账套中没有科目 %(code)s。") % {"code": code})
    return account


def _where(org: EconomicOrg) -> audit.Where:
    return {"area_path": org.area_path, "org_path": ""}


def _visible_enterprise(actor: User, enterprise: Enterprise | None, field: str) -> None:
    if enterprise is not None and not user_can(actor, Capability.VIEW, enterprise):
        raise ValidationError({field: _("所选企业不在您的权限范围之内。")})


def _text(value: str | None, *, field: str, label: str, required: bool = True) -> str:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise ValidationError({field: _("请填写%(label)s。") % {"label": label}})
    return cleaned


def _snapshot(obj: Any, fields: Sequence[str]) -> audit.Snapshot:
    return audit.snapshot(obj, fields)


# ---- plantings --------------------------------------------------------------------------------

PLANTING_FIELDS = ("org", "crop", "year", "season", "area_mu", "land", "adviser", "started_on", "note")


@transaction.atomic
def record_planting(
    *,
    actor: User,
    org: EconomicOrg,
    crop: str,
    year: int,
    area_mu: Decimal,
    land: str,
    started_on: dt.date,
    season: str = "",
    adviser: Enterprise | None = None,
    note: str = "",
) -> Planting:
    """Record a crop planted by `org` in `year` on `area_mu` mu of `land`."""
    require(actor, Capability.ECONOMY_WRITE, org)
    values = {
        "crop": _text(crop, field="crop", label=_("作物")),
        "season": _text(season, field="season", label=_("季节"), required=False),
        "land": _text(land, field="land", label=_("地块")),
        "note": (note or "").strip(),
    }
    check_lengths(Planting, values)
    area = number(area_mu, field="area_mu", label=_("面积"), places=2, maximum=Decimal("9999999999.99"))
    if not 1900 <= int(year) <= 2200:
        raise ValidationError({"year": _("年度有误。")})
    if started_on.year not in (int(year) - 1, int(year)):
        raise ValidationError({"started_on": _("播种日期应在该年度(或上一年)之内。")})
    _visible_enterprise(actor, adviser, "adviser")
    planting = Planting.objects.create(
        org=org,
        area_path=org.area_path,
        year=int(year),
        area_mu=area,
        adviser=adviser,
        started_on=started_on,
        recorded_by=actor,
        **values,
    )
    audit.record_create(
        actor=actor,
        action=events.PLANTING_RECORDED,
        target=planting,
        after=_snapshot(planting, PLANTING_FIELDS),
        **_where(org),
    )
    return planting


# ---- work days and wages ---------------------------------------------------------------------

WORK_FIELDS: tuple[str, ...] = ("org", "planting", "worker", "household", "worked_on", "worked_until", "days")
WORK_FIELDS += ("daily_rate", "amount", "task", "voucher")


def _in_village(org: EconomicOrg, worker: Resident) -> bool:
    return worker.household.hamlet.path.startswith(org.area_path)


@transaction.atomic
def record_work(
    *,
    actor: User,
    org: EconomicOrg,
    worker: Resident,
    worked_on: dt.date,
    days: Decimal,
    daily_rate: Decimal,
    task: str,
    planting: Planting | None = None,
    worked_until: dt.date | None = None,
) -> WorkRecord:
    """Record `days` (in half days) a villager of `org`'s village worked at `daily_rate` yuan a day,
    and accrue the wage, days × rate: Dr 401 生产(劳务)成本 / Cr 213 应付劳务费 (the household's)."""
    require(actor, Capability.ECONOMY_WRITE, org)
    if planting is not None and planting.org_id != org.pk:
        raise ValidationError({"planting": _("所选种植不属于该经营主体。")})
    if not _in_village(org, worker):
        raise ValidationError(
            {"worker": _("%(name)s 不是本村村民,不能登记为本组织的务工人员。") % {"name": worker.name}}
        )
    task = _text(task, field="task", label=_("工作内容"))
    check_lengths(WorkRecord, {"task": task})
    day_count = number(days, field="days", label=_("天数"), places=1, maximum=MAX_DAYS)
    if day_count % HALF_DAY:
        raise ValidationError({"days": _("天数以半天为单位(如 0.5、1、2.5)。")})
    rate = money(daily_rate, field="daily_rate", label=_("日工资"))
    if worked_until is not None:
        if worked_until < worked_on:
            raise ValidationError({"worked_until": _("截止日期不能早于务工日期。")})
        span = (worked_until - worked_on).days + 1
        if day_count > span:
            raise ValidationError({"days": _("天数超过了所填期间的 %(n)d 天。") % {"n": span}})
    elif day_count > 1:
        raise ValidationError({"worked_until": _("多于一天的务工,请填写截止日期。")})
    books = _books(org)
    amount = to_fen_half_up(day_count * rate)
    record = WorkRecord.objects.create(
        org=org,
        area_path=org.area_path,
        planting=planting,
        worker=worker,
        household=worker.household,
        worked_on=worked_on,
        worked_until=worked_until,
        days=day_count,
        daily_rate=rate,
        amount=amount,
        task=task,
        recorded_by=actor,
    )
    payable = household_account(actor=actor, books=books, household=worker.household, parent_code=LABOUR_PAYABLE)
    summary = _("%(name)s %(task)s %(days)s天×%(rate)s元") % {
        "name": worker.name,
        "task": task,
        "days": figure(day_count),
        "rate": rate,
    }
    record.voucher = post_entry(
        actor=actor,
        books=books,
        date=worked_until or worked_on,
        summary=_("计提务工工资:%(s)s") % {"s": summary},
        lines=[
            LineSpec(account=_account(books, COST), debit=amount, summary=summary),
            LineSpec(account=payable, credit=amount, summary=summary),
        ],
        idempotency_key=f"production-work:{record.pk}",
        source=record,
    )
    record.save(update_fields=["voucher"])
    audit.record_create(
        actor=actor, action=events.WORK_RECORDED, target=record, after=_snapshot(record, WORK_FIELDS), **_where(org)
    )
    return record


def wages_due(*, org: EconomicOrg, worker: Resident) -> Decimal:
    """What `org` still owes `worker` for work: wages accrued less wages paid."""
    accrued = WorkRecord.objects.filter(org=org, worker=worker).aggregate(s=Sum("amount"))["s"] or Decimal(0)
    paid = WagePayment.objects.filter(org=org, worker=worker).aggregate(s=Sum("amount"))["s"] or Decimal(0)
    return (accrued - paid).quantize(CENT)


PAYMENT_FIELDS = ("org", "worker", "household", "amount", "paid_on", "paid_from", "voucher")


@transaction.atomic
def pay_wages(
    *,
    actor: User,
    org: EconomicOrg,
    worker: Resident,
    amount: Decimal,
    paid_on: dt.date,
    paid_from: str = PaidFrom.BANK,
) -> WagePayment:
    """Pay `worker` (their household) `amount` of the wages due: Dr 213 (the household's) / Cr 101
    库存现金 or 102 银行存款. Never more than is due."""
    require(actor, Capability.ECONOMY_WRITE, org)
    paid = money(amount, field="amount", label=_("金额"))
    if paid_from not in PaidFrom.values:
        raise ValidationError({"paid_from": _("请选择支付方式。")})
    EconomicOrg.objects.select_for_update().filter(pk=org.pk).first()  # one payment of an org at a time
    due = wages_due(org=org, worker=worker)
    if paid > due:
        raise ValidationError(
            {
                "amount": _("发放金额 %(paid)s 元超过了应付 %(name)s 的工资 %(due)s 元。")
                % {"paid": paid, "name": worker.name, "due": due}
            }
        )
    books = _books(org)
    payment = WagePayment.objects.create(
        org=org,
        area_path=org.area_path,
        worker=worker,
        household=worker.household,
        amount=paid,
        paid_on=paid_on,
        paid_from=paid_from,
        recorded_by=actor,
    )
    payable = household_account(actor=actor, books=books, household=worker.household, parent_code=LABOUR_PAYABLE)
    summary = _("发放务工工资:%(name)s") % {"name": worker.name}
    payment.voucher = post_entry(
        actor=actor,
        books=books,
        date=paid_on,
        summary=summary,
        lines=[
            LineSpec(account=payable, debit=paid, summary=summary),
            LineSpec(account=_account(books, paid_from), credit=paid, summary=summary),
        ],
        idempotency_key=f"production-wages:{payment.pk}",
        source=payment,
    )
    payment.save(update_fields=["voucher"])
    audit.record_create(
        actor=actor,
        action=events.WAGES_PAID,
        target=payment,
        after=_snapshot(payment, PAYMENT_FIELDS),
        **_where(org),
    )
    return payment


# ---- harvests --------------------------------------------------------------------------------


@transaction.atomic
def record_harvest(
    *, actor: User, planting: Planting, harvested_on: dt.date, quantity_kg: Decimal, note: str = ""
) -> Harvest:
    """Record what a planting yielded on a day, in kg."""
    require(actor, Capability.ECONOMY_WRITE, planting)
    quantity = number(quantity_kg, field="quantity_kg", label=_("产量"), places=3)
    if harvested_on < planting.started_on:
        raise ValidationError({"harvested_on": _("收获日期不能早于播种日期。")})
    note = (note or "").strip()
    check_lengths(Harvest, {"note": note})
    harvest = Harvest.objects.create(
        planting=planting,
        area_path=planting.area_path,
        harvested_on=harvested_on,
        quantity_kg=quantity,
        note=note,
        recorded_by=actor,
    )
    audit.record_create(
        actor=actor,
        action=events.HARVEST_RECORDED,
        target=harvest,
        after=_snapshot(harvest, ("planting", "harvested_on", "quantity_kg", "note")),
        area_path=planting.area_path,
    )
    return harvest


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
    _visible_enterprise(actor, buyer, "buyer")
    values = {
        "crop": _text(crop, field="crop", label=_("作物")),
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
    after = _snapshot(contract, CONTRACT_FIELDS)
    after["schedule"] = [[due_on.isoformat(), str(kg)] for due_on, kg in sorted(lines)]
    audit.record_create(actor=actor, action=events.CONTRACT_SIGNED, target=contract, after=after, **_where(org))
    return contract


def delivered_kg(contract: PurchaseContract) -> Decimal:
    return contract.deliveries.aggregate(s=Sum("quantity_kg"))["s"] or Decimal(0)


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
    contract = PurchaseContract.objects.select_for_update().select_related("org__books", "buyer").get(pk=contract.pk)
    owed = contract.quantity_kg - delivered_kg(contract)
    if quantity > owed:
        raise ValidationError(
            {
                "quantity_kg": _("本次交货 %(q)s 公斤超出合同尚未交付的 %(owed)s 公斤(%(owed_text)s),未登记。")
                % {"q": figure(quantity), "owed": figure(owed), "owed_text": kg_text(owed)}
            }
        )
    org = contract.org
    books = _books(org)
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
    delivery.voucher = post_entry(
        actor=actor,
        books=books,
        date=delivered_on,
        summary=summary,
        lines=[
            LineSpec(account=_account(books, settled_by), debit=amount, summary=summary),
            LineSpec(account=_account(books, INCOME), credit=amount, summary=summary),
        ],
        idempotency_key=f"production-delivery:{delivery.pk}",
        source=delivery,
    )
    delivery.save(update_fields=["voucher"])
    audit.record_create(
        actor=actor,
        action=events.DELIVERY_RECORDED,
        target=delivery,
        after=_snapshot(delivery, ("contract", "delivered_on", "quantity_kg", "amount", "settled_by", "voucher")),
        **_where(org),
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
        Delivery.objects.select_for_update()
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
    books = _books(contract.org)
    receipt = Receipt.objects.create(
        delivery=delivery, area_path=delivery.area_path, received_on=received_on, amount=paid, recorded_by=actor
    )
    summary = _("收回%(buyer)s %(crop)s货款") % {"buyer": contract.buyer.name, "crop": contract.crop}
    receipt.voucher = post_entry(
        actor=actor,
        books=books,
        date=received_on,
        summary=summary,
        lines=[
            LineSpec(account=_account(books, BANK), debit=paid, summary=summary),
            LineSpec(account=_account(books, RECEIVABLE), credit=paid, summary=summary),
        ],
        idempotency_key=f"production-receipt:{receipt.pk}",
        source=receipt,
    )
    receipt.save(update_fields=["voucher"])
    audit.record_create(
        actor=actor,
        action=events.RECEIPT_RECORDED,
        target=receipt,
        after=_snapshot(receipt, ("delivery", "received_on", "amount", "voucher")),
        **_where(contract.org),
    )
    return receipt


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
        "input_crop": _text(input_crop, field="input_crop", label=_("原料")),
        "product": _text(product, field="product", label=_("产品")),
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
        after=_snapshot(processing, ("org", *values, "input_kg", "output_quantity", "product_unit", "processed_on")),
        **_where(org),
    )
    return processing


SALE_FIELDS = ("org", "product", "quantity", "product_unit", "unit_price", "amount", "buyer_name", "buyer", "sold_on")


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
    _visible_enterprise(actor, buyer, "buyer")
    values = {"product": _text(product, field="product", label=_("产品")), "buyer_name": (buyer_name or "").strip()}
    check_lengths(Sale, values)
    if not values["buyer_name"] and buyer is not None:
        values["buyer_name"] = buyer.name
    if not values["buyer_name"]:
        raise ValidationError({"buyer_name": _("请填写买方,或选择买方企业。")})
    if product_unit not in OutputUnit.values:
        raise ValidationError({"product_unit": _("请选择单位。")})
    count = number(quantity, field="quantity", label=_("数量"), places=3)
    price = money(unit_price, field="unit_price", label=_("单价"))
    amount = to_fen_half_up(count * price)
    if amount > MAX_MONEY:
        raise ValidationError({"quantity": _("金额过大。")})
    books = _books(org)
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
    sale.voucher = post_entry(
        actor=actor,
        books=books,
        date=sold_on,
        summary=summary[:200],
        lines=[
            LineSpec(account=_account(books, BANK), debit=amount, summary=summary[:200]),
            LineSpec(account=_account(books, INCOME), credit=amount, summary=summary[:200]),
        ],
        idempotency_key=f"production-sale:{sale.pk}",
        source=sale,
    )
    sale.save(update_fields=["voucher"])
    audit.record_create(
        actor=actor, action=events.SALE_RECORDED, target=sale, after=_snapshot(sale, SALE_FIELDS), **_where(org)
    )
    return sale
