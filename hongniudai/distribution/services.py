"""Every write to distribution plans (收益分配方案): draw up a plan and its items, approve it (the
dividends split exactly over the shares held on the record date, one voucher posted for the whole
distribution), and pay each household its dividend (one voucher each).

Money: approval posts Dr 3220101 提取公积公益金 / Cr 311 公积公益金 for the reserve and public
welfare, Dr 3220102 向成员分配 / Cr 113 内部往来-household for each household's dividend (the
collective share's stays with the collective: Cr 311), Dr 3220103 其他 / Cr 211 应付款 for returns by
transaction volume and the rest; a payout posts Dr 113-household / Cr 102 银行存款, clearing the
household's account. A plan is edited as a draft only (its note until the first payout); once a
payout is recorded nothing of it changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.audit import services as audit
from hongniudai.collective.interface import (
    INTERNAL,
    PAYABLE,
    Decision,
    DecisionSubject,
    EconomicOrg,
    household_account,
)
from hongniudai.common import rollups
from hongniudai.common.text import check_lengths
from hongniudai.common.updates import model_update
from hongniudai.ledger.interface import Account, Books, LineSpec, post_entry
from hongniudai.ledger.money import CENT
from hongniudai.places.models import Household

from . import events, selectors
from .models import DistributionPlan, Dividend, ItemKind, Payout, PlanItem, PlanStatus
from .policy import require_edit
from .split import split_amount

RESERVE_ACCOUNT = "311"  # 公积公益金
BANK = "102"  # 银行存款
# Each item's debit (a sub-account of 32201 各项分配) and credit; the members' dividends are
# credited to each household's 113 内部往来 sub-account instead (the collective share's to 311).
POSTING: dict[str, tuple[str, str]] = {
    ItemKind.RESERVE: ("3220101", RESERVE_ACCOUNT),
    ItemKind.WELFARE: ("3220101", RESERVE_ACCOUNT),
    ItemKind.DIVIDENDS: ("3220102", RESERVE_ACCOUNT),
    ItemKind.RETURNS: ("3220103", PAYABLE),
    ItemKind.OTHER: ("3220103", PAYABLE),
}
RESOLVE_STEP = "resolve"  # collective's StepKind.RESOLVE: 村民(代表)会议决议
PLAN_FIELDS = ("org", "status", *DistributionPlan.EDITABLE)
ITEM_FIELDS = PlanItem.EDITABLE
MIN_YEAR, MAX_YEAR = 2000, 2100


def _where(plan: DistributionPlan) -> audit.Where:
    return {"area_path": plan.area_path}


def _money(value: Any, field: str, errors: dict[str, str], *, label: str) -> Decimal | None:
    """`value` as yuan: positive, at most two decimals; the error under `field` otherwise."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[field] = _("%(label)s不是有效的数字。") % {"label": label}
        return None
    if not amount.is_finite() or amount <= 0:
        errors[field] = _("%(label)s必须大于零。") % {"label": label}
        return None
    if amount != amount.quantize(CENT):
        errors[field] = _("%(label)s最多保留两位小数(到分)。") % {"label": label}
        return None
    if amount >= Decimal("1e12"):
        errors[field] = _("%(label)s过大。") % {"label": label}
        return None
    return amount


# ---- plans ------------------------------------------------------------------------------------


def _clean_plan(
    *,
    actor: User,
    org: EconomicOrg,
    year: Any,
    surplus: Any,
    record_date: dt.date | None,
    decision: Decision | None,
    note: str,
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    check_lengths(DistributionPlan, {"note": note or ""})
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        errors["year"] = _("请填写 %(lo)s 至 %(hi)s 之间的分配年度。") % {"lo": MIN_YEAR, "hi": MAX_YEAR}
    amount = _money(surplus, "surplus", errors, label=_("可分配收益"))
    if record_date is None:
        errors["record_date"] = _("请填写股权登记日。")
    if decision is not None:
        if decision.subject != DecisionSubject.DISTRIBUTION:
            errors["decision"] = _("决策依据须为“收益分配”类的四议两公开事项。")
        elif decision.village_id != org.village_id:
            errors["decision"] = _("决策依据须为本村的四议两公开事项。")
        elif not selectors.decisions_for_choice(actor).filter(pk=decision.pk).exists():
            errors["decision"] = _("所选事项不在您的权限范围之内。")
    if errors:
        raise ValidationError(errors)
    return {"year": year, "surplus": amount, "record_date": record_date, "decision": decision, "note": note or ""}


@transaction.atomic
def create_plan(
    *,
    actor: User,
    org: EconomicOrg,
    year: int,
    surplus: Decimal,
    record_date: dt.date,
    decision: Decision | None = None,
    note: str = "",
) -> DistributionPlan:
    """Draw up a draft plan for `org`'s `year`: one plan a year."""
    require_edit(actor, org)
    values = _clean_plan(
        actor=actor, org=org, year=year, surplus=surplus, record_date=record_date, decision=decision, note=note
    )
    if DistributionPlan.objects.filter(org=org, year=values["year"]).exists():
        raise ValidationError({"year": _("%(org)s %(year)s 年度已有分配方案。") % {"org": org, "year": year}})
    plan = DistributionPlan.objects.create(org=org, area_path=org.area_path, created_by=actor, **values)
    audit.record_create(
        actor=actor, target=plan, after=audit.snapshot(plan, PLAN_FIELDS), action=events.PLAN_CREATED, **_where(plan)
    )
    return plan


def _locked(plan: DistributionPlan) -> DistributionPlan:
    """The plan re-read under a row lock; refused once a payout is recorded."""
    fresh = DistributionPlan.objects.select_for_update(of=("self",)).select_related("org").get(pk=plan.pk)
    if selectors.has_payouts(fresh):
        raise ValidationError(_("该分配方案已有发放记录,已锁定,不能修改。"))
    return fresh


@transaction.atomic
def update_plan(
    *,
    actor: User,
    plan: DistributionPlan,
    year: int,
    surplus: Decimal,
    record_date: dt.date,
    decision: Decision | None = None,
    note: str = "",
) -> DistributionPlan:
    """Change a plan: a draft's every field; an approved plan's note only, until its first payout."""
    require_edit(actor, plan)
    fresh = _locked(plan)
    values = _clean_plan(
        actor=actor, org=fresh.org, year=year, surplus=surplus, record_date=record_date, decision=decision, note=note
    )
    if fresh.status != PlanStatus.DRAFT:
        changed = [
            name for name in DistributionPlan.EDITABLE if name != "note" and getattr(fresh, name) != values[name]
        ]
        if changed:
            raise ValidationError(_("分配方案已批准,只能修改说明。"))
    if DistributionPlan.objects.filter(org=fresh.org, year=values["year"]).exclude(pk=fresh.pk).exists():
        raise ValidationError({"year": _("%(org)s %(year)s 年度已有分配方案。") % {"org": fresh.org, "year": year}})
    if fresh.status == PlanStatus.DRAFT:
        _check_total(fresh.org, values["surplus"], list(fresh.items.all()))
    before = audit.snapshot(fresh, PLAN_FIELDS)
    model_update(fresh, fields=DistributionPlan.EDITABLE, data=values)
    audit.record_update(
        actor=actor,
        target=fresh,
        before=before,
        after=audit.snapshot(fresh, PLAN_FIELDS),
        action=events.PLAN_UPDATED,
        **_where(fresh),
    )
    return fresh


@transaction.atomic
def delete_plan(*, actor: User, plan: DistributionPlan) -> None:
    """Delete a draft plan with its items."""
    require_edit(actor, plan)
    fresh = _locked(plan)
    if fresh.status != PlanStatus.DRAFT:
        raise ValidationError(_("已批准的分配方案不能删除。"))
    before = audit.snapshot(fresh, PLAN_FIELDS)
    where = _where(fresh)
    audit.record_delete(actor=actor, target=fresh, before=before, action=events.PLAN_DELETED, **where)
    fresh.delete()


# ---- items ------------------------------------------------------------------------------------


def _check_total(org: EconomicOrg, surplus: Decimal, items: list[PlanItem]) -> None:
    check = selectors.check_items(org, surplus, items)
    if not check.within_surplus:
        raise ValidationError(
            _("分配项目合计 %(total)s 元超过可分配收益 %(surplus)s 元。") % {"total": check.total, "surplus": surplus}
        )


def _clean_item(kind: str, amount: Any, percentage: Any, note: str) -> dict[str, Any]:
    errors: dict[str, str] = {}
    check_lengths(PlanItem, {"note": note or ""})
    if kind not in ItemKind.values:
        errors["kind"] = _("请选择分配项目。")
    if (amount is None) == (percentage is None):
        errors["amount"] = _("金额和比例须填写其中一项,且只填一项。")
    value = _money(amount, "amount", errors, label=_("金额")) if amount is not None else None
    share = None
    if percentage is not None:
        share = _money(percentage, "percentage", errors, label=_("比例"))
        if share is not None and share > 100:
            errors["percentage"] = _("比例不能超过 100%。")
    if errors:
        raise ValidationError(errors)
    return {"kind": kind, "amount": value, "percentage": share, "note": (note or "").strip()}


def _draft(plan: DistributionPlan) -> DistributionPlan:
    fresh = _locked(plan)
    if fresh.status != PlanStatus.DRAFT:
        raise ValidationError(_("分配方案已批准,分配项目不能再修改。"))
    return fresh


@transaction.atomic
def add_item(
    *,
    actor: User,
    plan: DistributionPlan,
    kind: str,
    amount: Decimal | None = None,
    percentage: Decimal | None = None,
    note: str = "",
) -> PlanItem:
    """Add an item to a draft plan; the items together may not exceed the surplus."""
    require_edit(actor, plan)
    fresh = _draft(plan)
    values = _clean_item(kind, amount, percentage, note)
    items = list(fresh.items.all())
    if any(i.kind == values["kind"] for i in items):
        raise ValidationError({"kind": _("方案中已有该分配项目。")})
    item = PlanItem(plan=fresh, **values)
    _check_total(fresh.org, fresh.surplus, [*items, item])
    item.save()
    audit.record_create(
        actor=actor, target=item, after=audit.snapshot(item, ITEM_FIELDS), action=events.ITEM_ADDED, **_where(fresh)
    )
    return item


@transaction.atomic
def update_item(
    *,
    actor: User,
    item: PlanItem,
    kind: str,
    amount: Decimal | None = None,
    percentage: Decimal | None = None,
    note: str = "",
) -> PlanItem:
    require_edit(actor, item)
    fresh = _draft(item.plan)
    values = _clean_item(kind, amount, percentage, note)
    items = [i for i in fresh.items.all() if i.pk != item.pk]
    if any(i.kind == values["kind"] for i in items):
        raise ValidationError({"kind": _("方案中已有该分配项目。")})
    before = audit.snapshot(item, ITEM_FIELDS)
    for name, value in values.items():
        setattr(item, name, value)
    _check_total(fresh.org, fresh.surplus, [*items, item])
    item.save()
    audit.record_update(
        actor=actor,
        target=item,
        before=before,
        after=audit.snapshot(item, ITEM_FIELDS),
        action=events.ITEM_UPDATED,
        **_where(fresh),
    )
    return item


@transaction.atomic
def delete_item(*, actor: User, item: PlanItem) -> None:
    require_edit(actor, item)
    fresh = _draft(item.plan)
    before = audit.snapshot(item, ITEM_FIELDS)
    audit.record_delete(actor=actor, target=item, before=before, action=events.ITEM_DELETED, **_where(fresh))
    item.delete()


# ---- approval ---------------------------------------------------------------------------------


def _account(books: Books, code: str) -> Account:
    account = Account.objects.filter(books=books, code=code).first()
    if account is None:
        raise ValidationError(_("账套中没有科目 %(code)s,无法记账。") % {"code": code})
    return account


def _check_approval(plan: DistributionPlan, check: selectors.PlanCheck) -> None:
    errors: list[str] = []
    if plan.org.books_id is None:
        errors.append(_("%(org)s 尚未建账,不能批准分配方案。") % {"org": plan.org})
    if plan.decision is None:
        errors.append(_("请先选择经四议两公开通过的收益分配事项作为决策依据。"))
    elif not plan.decision.steps.filter(kind=RESOLVE_STEP).exists():
        errors.append(_("决策依据尚未经村民(代表)会议决议,不能批准。"))
    if not check.rows:
        errors.append(_("方案中还没有分配项目。"))
    if not check.within_surplus:
        errors.append(
            _("分配项目合计 %(total)s 元超过可分配收益 %(surplus)s 元。")
            % {"total": check.total, "surplus": check.surplus}
        )
    if not check.returns_ok:
        errors.append(
            _(
                "按%(rule)s,农民专业合作社按交易量返还的总额不得低于可分配盈余的百分之六十"
                "(应不少于 %(minimum)s 元,方案为 %(returns)s 元)。"
            )
            % {"rule": check.rule, "minimum": check.returns_minimum.quantize(CENT), "returns": check.returns}
        )
    if errors:
        raise ValidationError(errors)


def _dividend_rows(plan: DistributionPlan, amount: Decimal) -> list[tuple[int | None, Decimal, Decimal]]:
    """(holder, shares, yuan) of the members' dividends, split exactly over the record date's holdings."""
    held = selectors.holdings(plan.org, plan.record_date)
    if not held:
        raise ValidationError(_("股权登记日(%(day)s)没有持股人,无法向成员分配。") % {"day": plan.record_date})
    shares = dict(held)
    return [(holder, shares[holder], part) for holder, part in split_amount(amount, held)]


def _dividend_lines(
    actor: User, books: Books, plan: DistributionPlan, amount: Decimal, credit_code: str
) -> tuple[list[LineSpec], list[Dividend]]:
    """The members' dividends of `amount` yuan, and the voucher's credit lines for them: a line per
    household on its 113 sub-account, the collective share's to `credit_code` (it stays)."""
    split = _dividend_rows(plan, amount)
    households = Household.objects.select_related("head").in_bulk([h for h, _s, _a in split if h])
    lines: list[LineSpec] = []
    dividends: list[Dividend] = []
    for holder, shares, part in split:
        dividends.append(Dividend(plan=plan, household_id=holder, shares=shares, amount=part))
        if part <= 0:
            continue
        if holder is None:
            account = _account(books, credit_code)
            summary = _("集体股分红留存集体")
        else:
            account = household_account(actor=actor, books=books, household=households[holder], parent_code=INTERNAL)
            summary = _("应付成员分红")
        lines.append(LineSpec(account=account, credit=part, summary=str(summary)))
    return lines, dividends


def _distribution_lines(
    actor: User, books: Books, plan: DistributionPlan, check: selectors.PlanCheck
) -> tuple[list[LineSpec], list[Dividend]]:
    """The distribution voucher's lines, item by item (`POSTING`), and the members' dividends."""
    lines: list[LineSpec] = []
    dividends: list[Dividend] = []
    for row in check.rows:
        if row.amount <= 0:
            continue
        debit_code, credit_code = POSTING[row.item.kind]
        label = str(row.item.get_kind_display())
        lines.append(LineSpec(account=_account(books, debit_code), debit=row.amount, summary=label))
        if row.item.kind != ItemKind.DIVIDENDS:
            lines.append(LineSpec(account=_account(books, credit_code), credit=row.amount, summary=label))
            continue
        credits, dividends = _dividend_lines(actor, books, plan, row.amount, credit_code)
        lines.extend(credits)
    return lines, dividends


@transaction.atomic
def approve_plan(*, actor: User, plan: DistributionPlan, approved_on: dt.date | None = None) -> DistributionPlan:
    """Approve a draft plan adopted by its decision: check the items (within the surplus; the 60% of
    a specialised cooperative), split the members' dividends over the shares held on the record
    date, and post the distribution in one voucher dated `approved_on` (today)."""
    require_edit(actor, plan)
    fresh = _draft(plan)
    day = approved_on or timezone.localdate()
    check = selectors.plan_check(fresh)
    _check_approval(fresh, check)
    books = fresh.org.books
    assert books is not None  # checked above
    lines, dividends = _distribution_lines(actor, books, fresh, check)
    Dividend.objects.bulk_create(dividends)
    voucher = post_entry(
        actor=actor,
        books=books,
        date=day,
        summary=_("%(year)s年度收益分配") % {"year": fresh.year},
        lines=lines,
        idempotency_key=f"distribution-plan:{fresh.pk}",
        source=fresh,
    )
    before = audit.snapshot(fresh, PLAN_FIELDS)
    fresh.voucher = voucher
    fresh.approved_on = day
    fresh.approved_by = actor
    payable = any(d.household_id and d.amount > 0 for d in dividends)
    fresh.status = PlanStatus.APPROVED if payable else PlanStatus.DONE
    fresh.save(update_fields=["voucher", "approved_on", "approved_by", "status"])
    audit.record(
        actor=actor,
        action=events.PLAN_APPROVED,
        target=fresh,
        changes=audit.diff(before, audit.snapshot(fresh, PLAN_FIELDS)),
        note=f"voucher {voucher.pk}",
        **_where(fresh),
    )
    return fresh


# ---- payouts ----------------------------------------------------------------------------------


def _check_payout(dividend: Dividend, plan: DistributionPlan, day: dt.date, amount: Decimal | None) -> None:
    """Refuse a payout of the collective share, of a plan not approved, of a dividend paid already
    or of nothing, and one of an amount other than the dividend's or dated before the approval."""
    if dividend.household_id is None:
        raise ValidationError(_("集体股的红利留存集体,无需发放。"))
    if plan.status not in (PlanStatus.APPROVED, PlanStatus.PAYING):
        raise ValidationError(_("分配方案尚未批准,不能发放。"))
    if Payout.objects.filter(dividend=dividend).exists():
        raise ValidationError(_("该户红利已发放,不能重复发放。"))
    if dividend.amount <= 0:
        raise ValidationError(_("该户应分金额为零,无需发放。"))
    errors: dict[str, str] = {}
    value = dividend.amount if amount is None else _money(amount, "amount", errors, label=_("发放金额"))
    if value is not None and value > dividend.amount:
        errors["amount"] = _("发放金额 %(paid)s 元超过该户应分金额 %(due)s 元。") % {
            "paid": value,
            "due": dividend.amount,
        }
    elif value is not None and value != dividend.amount:
        errors["amount"] = _("红利须一次足额发放:应分金额 %(due)s 元。") % {"due": dividend.amount}
    if plan.approved_on is not None and day < plan.approved_on:
        errors["paid_on"] = _("发放日期不能早于方案批准日期。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_payout(
    *, actor: User, dividend: Dividend, paid_on: dt.date | None = None, amount: Decimal | None = None
) -> Payout:
    """Pay a household its dividend, once and in full: Dr 113 内部往来-household / Cr 102 银行存款."""
    require_edit(actor, dividend)
    locked = (
        Dividend.objects.select_for_update(of=("self",)).select_related("plan__org", "household").get(pk=dividend.pk)
    )
    plan = DistributionPlan.objects.select_for_update(of=("self",)).select_related("org").get(pk=locked.plan_id)
    day = paid_on or timezone.localdate()
    _check_payout(locked, plan, day, amount)
    assert locked.household is not None and plan.org.books_id is not None
    books = Books.objects.get(pk=plan.org.books_id)
    payout = Payout.objects.create(dividend=locked, amount=locked.amount, paid_on=day, recorded_by=actor)
    summary = _("发放%(year)s年度分红") % {"year": plan.year}
    payout.voucher = post_entry(
        actor=actor,
        books=books,
        date=day,
        summary=summary,
        lines=[
            LineSpec(
                account=household_account(actor=actor, books=books, household=locked.household, parent_code=INTERNAL),
                debit=locked.amount,
                summary=summary,
            ),
            LineSpec(account=_account(books, BANK), credit=locked.amount, summary=summary),
        ],
        idempotency_key=f"distribution-payout:{payout.pk}",
        source=payout,
    )
    payout.save(update_fields=["voucher"])
    unpaid = Dividend.objects.filter(plan=plan, household__isnull=False, amount__gt=0, payout__isnull=True).exists()
    plan.status = PlanStatus.PAYING if unpaid else PlanStatus.DONE
    plan.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action=events.PAYOUT_RECORDED,
        target=payout,
        changes={"amount": [None, str(payout.amount)], "paid_on": [None, str(day)]},
        note=f"voucher {payout.voucher.pk}",
        **_where(plan),
    )
    rollups.changed(rollups.PAID_TO_HOUSEHOLDS, village_id=plan.org.village_id, year=day.year)
    return payout
