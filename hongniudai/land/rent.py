"""The rent of transferred land and the money that moves for it, posted into the books of the
contract's organisation (`TransferContract.org`):

- a cooperative (or the collective itself) taking the land owes each household its rent: accrued
  Dr 511 经营支出 / Cr 113 内部往来-农户, paid Dr 113 内部往来-农户 / Cr 102 银行存款;
- an enterprise pays the collective the rent of every household at once: Dr 102 / Cr 113-农户 for
  each household by its area (split to the fen, exactly); the collective then pays each household
  Dr 113-农户 / Cr 102. Every household's 内部往来 comes back to zero when all are paid."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.audit import services as audit
from hongniudai.collective.interface import INTERNAL, household_account
from hongniudai.common import rollups
from hongniudai.ledger.interface import Account, Books, LineSpec, post_entry
from hongniudai.places.models import Household

from . import events
from .models import (
    ContractParcel,
    ContractStatus,
    InstalmentStatus,
    PaymentKind,
    RentInstalment,
    RentPayment,
    TransferContract,
)
from .policy import require
from .schedule import due_date, has_more_than_two_decimals, instalment_amount, periods, split_exact

BANK = "102"  # 银行存款
EXPENSE = "511"  # 经营支出
INCOME = "501"  # 经营收入: the rent of the collective's own land
MAX_AMOUNT = Decimal("999999999999.99")  # what a money column holds (14 digits, 2 decimals)


def household_areas(contract: TransferContract) -> dict[int, Decimal]:
    """{household id: mu the contract transfers of the household's parcels}, in household order."""
    rows = (
        ContractParcel.objects.filter(contract=contract)
        .values("parcel__household_id")
        .annotate(area=Sum("area"))
        .order_by("parcel__household_id")
    )
    return {r["parcel__household_id"]: r["area"] for r in rows}


def _fixed(qs: QuerySet[RentInstalment]) -> QuerySet[RentInstalment]:
    """Instalments that money has touched (accrued or paid): never laid out again."""
    touched = Q(status=InstalmentStatus.PAID) | Q(voucher__isnull=False) | Q(payments__isnull=False)
    return qs.filter(touched).distinct()


def lay_out_schedule(*, contract: TransferContract) -> int:
    """(Re)build the instalments of an active contract that money has not touched yet: one per
    household and payment period, area × rent per mu × share of the year. Returns how many there are."""
    existing = RentInstalment.objects.filter(contract=contract)
    fixed = set(_fixed(existing).values_list("household_id", "period_start"))
    existing.exclude(pk__in=_fixed(existing).values("pk")).delete()
    if contract.status != ContractStatus.ACTIVE:
        return len(fixed)
    areas = household_areas(contract)
    new = [
        RentInstalment(
            contract=contract,
            household_id=household_id,
            period_start=p.start,
            period_end=p.end,
            due_on=due_date(p, cycle=contract.cycle, month=contract.due_month, day=contract.due_day),
            area=area,
            amount=instalment_amount(area, contract.rent_per_mu, p.share),
        )
        for p in periods(contract.starts_on, contract.ends_on, contract.cycle)
        for household_id, area in areas.items()
        if (household_id, p.start) not in fixed
    ]
    if any(i.amount > MAX_AMOUNT for i in new):
        raise ValidationError({"rent_per_mu": _("每期租金超过记账上限,请核对面积和租金。")})
    RentInstalment.objects.bulk_create([i for i in new if i.amount > 0])
    return len(fixed) + len(new)


def drop_open_instalments(*, contract: TransferContract) -> int:
    """Drop the instalments money has not touched (the contract ended)."""
    qs = RentInstalment.objects.filter(contract=contract)
    count, _rows = qs.exclude(pk__in=_fixed(qs).values("pk")).delete()
    return count


def _books(contract: TransferContract) -> Books:
    books = contract.org.books
    if books is None:
        raise ValidationError({"org": _("“%(org)s”尚未建账,无法记账。") % {"org": contract.org}})
    return books


def _account(books: Books, code: str) -> Account:
    account = Account.objects.filter(books=books, code=code).first()
    if account is None:
        raise ValidationError(_("账套中没有科目 %(code)s,无法记账。") % {"code": code})
    return account


def _summary(contract: TransferContract, what: str) -> str:
    return f"{what}·{contract}"[:200]


@transaction.atomic
def accrue_instalment(*, actor: User, instalment: RentInstalment, on: dt.date | None = None) -> RentInstalment:
    """Accrue a household's rent in the cooperative's books (Dr 511 经营支出 / Cr 113 内部往来-农户),
    on the due day unless `on` says. Once: a second call changes nothing."""
    instalment = (
        RentInstalment.objects.select_for_update(of=("self",))
        .select_related("contract__org__books")
        .get(pk=instalment.pk)
    )
    contract = instalment.contract
    require(actor, Capability.ECONOMY_WRITE, contract)
    if contract.enterprise_id is not None:
        raise ValidationError(_("企业流转的租金由企业支付给集体,不在集体账上计提。"))
    if instalment.voucher_id is not None:
        return instalment
    books = _books(contract)
    owed = household_account(actor=actor, books=books, household=instalment.household, parent_code=INTERNAL)
    amount = instalment.amount
    voucher = post_entry(
        actor=actor,
        books=books,
        date=on or instalment.due_on,
        summary=_summary(contract, _("计提土地租金")),
        lines=[
            LineSpec(account=_account(books, EXPENSE), debit=amount, summary=_("土地流转租金")),
            LineSpec(account=owed, credit=amount, summary=str(instalment.household)[:200]),
        ],
        idempotency_key=f"land-accrual:{instalment.pk}",
        source=instalment,
    )
    instalment.voucher = voucher
    instalment.save(update_fields=["voucher"])
    audit.record(
        actor=actor,
        action=events.RENT_ACCRUED,
        target=instalment,
        changes={"amount": [None, str(amount)], "voucher": [None, voucher.pk]},
        area_path=contract.area_path,
    )
    return instalment


@transaction.atomic
def pay_instalment(*, actor: User, instalment: RentInstalment, paid_on: dt.date, note: str = "") -> RentPayment:
    """Pay a household its instalment (Dr 113 内部往来-农户 / Cr 102 银行存款), accruing it first
    in a cooperative's books when not yet accrued."""
    instalment = (
        RentInstalment.objects.select_for_update(of=("self",))
        .select_related("contract__org__books")
        .get(pk=instalment.pk)
    )
    contract = instalment.contract
    require(actor, Capability.ECONOMY_WRITE, contract)
    if instalment.status == InstalmentStatus.PAID:
        raise ValidationError(_("该笔租金已经支付。"))
    if paid_on is None:
        raise ValidationError({"paid_on": _("请填写支付日期。")})
    note = (note or "").strip()[:200]
    if contract.enterprise_id is None and instalment.voucher_id is None:
        instalment = accrue_instalment(actor=actor, instalment=instalment, on=min(paid_on, instalment.due_on))
    books = _books(contract)
    owed = household_account(actor=actor, books=books, household=instalment.household, parent_code=INTERNAL)
    payment = RentPayment.objects.create(
        contract=contract,
        kind=PaymentKind.PAID,
        household=instalment.household,
        instalment=instalment,
        paid_on=paid_on,
        amount=instalment.amount,
        note=note,
        recorded_by=actor,
    )
    payment.voucher = post_entry(
        actor=actor,
        books=books,
        date=paid_on,
        summary=_summary(contract, _("支付农户土地租金")),
        lines=[
            LineSpec(account=owed, debit=instalment.amount, summary=str(instalment.household)[:200]),
            LineSpec(account=_account(books, BANK), credit=instalment.amount),
        ],
        idempotency_key=f"land-payment:{payment.pk}",
        source=payment,
    )
    payment.save(update_fields=["voucher"])
    instalment.status = InstalmentStatus.PAID
    instalment.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action=events.RENT_PAID,
        target=payment,
        changes={"household": [None, str(instalment.household)], "amount": [None, str(instalment.amount)]},
        area_path=contract.area_path,
    )
    rollups.changed(rollups.PAID_TO_HOUSEHOLDS, village_id=contract.village_id, year=paid_on.year)
    return payment


def split_by_area(contract: TransferContract, amount: Decimal) -> tuple[list[tuple[int, Decimal]], Decimal]:
    """(household id, part) of `amount` for each household of the contract, by its area, and the
    part of the collective's own land (`collective_area`), kept by the collective: exact."""
    areas = household_areas(contract)
    weights = [*areas.values(), contract.collective_area]
    if not any(w > 0 for w in weights):
        raise ValidationError(_("合同还没有流转地块,无法按面积分配。"))
    *parts, kept = split_exact(amount, weights)
    return list(zip(areas.keys(), parts, strict=True)), kept


def year_rent(contract: TransferContract, year: int) -> Decimal:
    """What an enterprise pays for a year: the contract's instalments due in `year`, and the rent of
    the collective's own land for the periods due that year."""
    total = RentInstalment.objects.filter(contract=contract, due_on__year=year).aggregate(s=Sum("amount"))["s"]
    kept = Decimal(0)
    if contract.collective_area > 0:
        for p in periods(contract.starts_on, contract.ends_on, contract.cycle):
            if due_date(p, cycle=contract.cycle, month=contract.due_month, day=contract.due_day).year == year:
                kept += instalment_amount(contract.collective_area, contract.rent_per_mu, p.share)
    return (total or Decimal(0)) + kept


@transaction.atomic
def receive_rent(
    *, actor: User, contract: TransferContract, received_on: dt.date, amount: Decimal, note: str = ""
) -> RentPayment:
    """The enterprise pays the collective the rent for the households (Dr 102 银行存款 / Cr 113
    内部往来-各户, split by area so that the lines add up to `amount` exactly); the part of the
    collective's own land is its income (Cr 501 经营收入, `kept`)."""
    contract = TransferContract.objects.select_for_update(of=("self",)).select_related("org__books").get(pk=contract.pk)
    require(actor, Capability.ECONOMY_WRITE, contract)
    if contract.enterprise_id is None:
        raise ValidationError(_("只有企业流转的合同才由集体代收租金。"))
    errors: dict[str, str] = {}
    if received_on is None:
        errors["received_on"] = _("请填写收款日期。")
    if amount is None or not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0:
        errors["amount"] = _("金额必须大于零。")
    elif has_more_than_two_decimals(amount):
        errors["amount"] = _("金额最多保留两位小数(到分)。")
    elif amount > MAX_AMOUNT:
        errors["amount"] = _("金额过大。")
    if errors:
        raise ValidationError(errors)
    books = _books(contract)
    split, kept = split_by_area(contract, amount)
    parts = [(hid, part) for hid, part in split if part > 0]
    households = Household.objects.in_bulk([hid for hid, _part in parts])
    lines = [LineSpec(account=_account(books, BANK), debit=amount, summary=_("收到企业土地租金"))]
    for hid, part in parts:
        household = households[hid]
        owed = household_account(actor=actor, books=books, household=household, parent_code=INTERNAL)
        lines.append(LineSpec(account=owed, credit=part, summary=str(household)[:200]))
    if kept > 0:
        lines.append(LineSpec(account=_account(books, INCOME), credit=kept, summary=_("集体机动地租金")))
    payment = RentPayment.objects.create(
        contract=contract,
        kind=PaymentKind.RECEIVED,
        paid_on=received_on,
        amount=amount,
        kept=kept,
        note=(note or "").strip()[:200],
        recorded_by=actor,
    )
    payment.voucher = post_entry(
        actor=actor,
        books=books,
        date=received_on,
        summary=_summary(contract, _("收到%(enterprise)s土地租金") % {"enterprise": contract.transferee_name}),
        lines=lines,
        idempotency_key=f"land-receipt:{payment.pk}",
        source=payment,
    )
    payment.save(update_fields=["voucher"])
    audit.record(
        actor=actor,
        action=events.RENT_RECEIVED,
        target=payment,
        changes={"amount": [None, str(amount)], "households": [None, len(parts)], "kept": [None, str(kept)]},
        area_path=contract.area_path,
    )
    return payment


def instalment_totals(contract: TransferContract) -> dict[str, Decimal]:
    """{"due": unpaid, "paid": paid} rent of a contract's instalments."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for row in RentInstalment.objects.filter(contract=contract).values("status").annotate(s=Sum("amount")):
        totals[row["status"]] = row["s"] or Decimal(0)
    return {"due": totals[InstalmentStatus.DUE], "paid": totals[InstalmentStatus.PAID]}
