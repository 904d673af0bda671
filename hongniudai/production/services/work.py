"""Work days villagers put in for the organisation, the wages accrued for them (Dr 401 / Cr 213 by
household) and paid (Dr 213 / Cr 101 or 102), never beyond what is due."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.audit import services as audit
from hongniudai.collective.interface import LABOUR_PAYABLE, EconomicOrg, household_account
from hongniudai.common import rollups
from hongniudai.common.text import check_lengths
from hongniudai.places.models import Resident

from .. import events
from ..models import (
    PaidFrom,
    Planting,
    WagePayment,
    WorkRecord,
)
from ..policy import require
from .checks import (
    CENT,
    COST,
    HALF_DAY,
    MAX_DAYS,
    account_of,
    books_of,
    figure,
    in_village,
    money,
    number,
    post_pair,
    snapshot,
    text_of,
    to_fen_half_up,
    where,
)

# ---- work days and wages ---------------------------------------------------------------------

WORK_FIELDS: tuple[str, ...] = ("org", "planting", "worker", "household", "worked_on", "worked_until", "days")
WORK_FIELDS += ("daily_rate", "amount", "task", "voucher")


def _checked_days(days: Decimal, worked_on: dt.date, worked_until: dt.date | None) -> Decimal:
    """`days` in half days, no more than the period holds (a single day without an end date)."""
    day_count = number(days, field="days", label=_("天数"), places=1, maximum=MAX_DAYS)
    if day_count % HALF_DAY:
        raise ValidationError({"days": _("天数以半天为单位(如 0.5、1、2.5)。")})
    if worked_until is None:
        if day_count > 1:
            raise ValidationError({"worked_until": _("多于一天的务工,请填写截止日期。")})
        return day_count
    if worked_until < worked_on:
        raise ValidationError({"worked_until": _("截止日期不能早于务工日期。")})
    span = (worked_until - worked_on).days + 1
    if day_count > span:
        raise ValidationError({"days": _("天数超过了所填期间的 %(n)d 天。") % {"n": span}})
    return day_count


def _check_worker(org: EconomicOrg, worker: Resident, planting: Planting | None) -> None:
    if planting is not None and planting.org_id != org.pk:
        raise ValidationError({"planting": _("所选种植不属于该经营主体。")})
    if not in_village(org, worker):
        raise ValidationError(
            {"worker": _("%(name)s 不是本村村民,不能登记为本组织的务工人员。") % {"name": worker.name}}
        )


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
    _check_worker(org, worker, planting)
    task = text_of(task, field="task", label=_("工作内容"))
    check_lengths(WorkRecord, {"task": task})
    day_count = _checked_days(days, worked_on, worked_until)
    rate = money(daily_rate, field="daily_rate", label=_("日工资"))
    books = books_of(org)
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
    record.voucher = post_pair(
        actor=actor,
        books=books,
        date=worked_until or worked_on,
        summary=_("计提务工工资:%(name)s %(task)s %(days)s天×%(rate)s元")
        % {"name": worker.name, "task": task, "days": figure(day_count), "rate": rate},
        debit=account_of(books, COST),
        credit=household_account(actor=actor, books=books, household=worker.household, parent_code=LABOUR_PAYABLE),
        amount=amount,
        key=f"production-work:{record.pk}",
        source=record,
    )
    record.save(update_fields=["voucher"])
    audit.record_create(
        actor=actor, action=events.WORK_RECORDED, target=record, after=snapshot(record, WORK_FIELDS), **where(org)
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
    EconomicOrg.objects.select_for_update(of=("self",)).filter(pk=org.pk).first()  # one payment of an org at a time
    due = wages_due(org=org, worker=worker)
    if paid > due:
        raise ValidationError(
            {
                "amount": _("发放金额 %(paid)s 元超过了应付 %(name)s 的工资 %(due)s 元。")
                % {"paid": paid, "name": worker.name, "due": due}
            }
        )
    books = books_of(org)
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
    payment.voucher = post_pair(
        actor=actor,
        books=books,
        date=paid_on,
        summary=_("发放务工工资:%(name)s") % {"name": worker.name},
        debit=household_account(actor=actor, books=books, household=worker.household, parent_code=LABOUR_PAYABLE),
        credit=account_of(books, paid_from),
        amount=paid,
        key=f"production-wages:{payment.pk}",
        source=payment,
    )
    payment.save(update_fields=["voucher"])
    audit.record_create(
        actor=actor,
        action=events.WAGES_PAID,
        target=payment,
        after=snapshot(payment, PAYMENT_FIELDS),
        **where(org),
    )
    rollups.changed(rollups.PAID_TO_HOUSEHOLDS, village_id=org.village_id, year=paid_on.year)
    return payment
