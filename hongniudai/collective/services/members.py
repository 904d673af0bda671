"""Members (households of the organisation's village, confirmed once, ending on a day) and the share
register (entries only added; no holder below zero; a cash contribution posted Dr 102 / Cr 301)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.audit import services as audit
from hongniudai.common.text import check_lengths
from hongniudai.ledger.interface import Account, Books, LineSpec, Voucher, post_entry
from hongniudai.places.models import Household

from .. import events, rollups
from ..models import (
    ContributionKind,
    Decision,
    EconomicOrg,
    Membership,
    ShareEntry,
    ShareKind,
)
from ..policy import require
from .common import (
    BANK,
    CAPITAL,
    CENT,
    MEMBER_FIELDS,
    SHARE_FIELDS,
    same_village,
    where,
)

# ---- members --------------------------------------------------------------------------------


@transaction.atomic
def confirm_member(
    *,
    actor: User,
    org: EconomicOrg,
    household: Household,
    confirmed_on: dt.date,
    decision: Decision | None = None,
    note: str = "",
) -> Membership:
    """Confirm `household` (of the organisation's village) as a member of `org`, once."""
    require(actor, Capability.ECONOMY_WRITE, org)
    EconomicOrg.objects.select_for_update(of=("self",)).filter(pk=org.pk).first()  # one confirmation at a time
    note = (note or "").strip()
    check_lengths(Membership, {"note": note})
    errors: dict[str, str] = {}
    if not household.hamlet.path.startswith(org.area_path):
        errors["household"] = _("只能确认本村的农户为成员。")
    elif Membership.objects.filter(org=org, household=household).exists():
        errors["household"] = _("该户已是本组织的成员(或曾经是)。")
    if confirmed_on is None:
        errors["confirmed_on"] = _("请填写确认日期。")
    same_village(decision, org, errors)
    if errors:
        raise ValidationError(errors)
    membership = Membership.objects.create(
        org=org, household=household, confirmed_on=confirmed_on, decision=decision, note=note
    )
    rollups.refresh(org.pk)
    audit.record_create(
        actor=actor,
        action=events.MEMBER_CONFIRMED,
        target=membership,
        after=audit.snapshot(membership, MEMBER_FIELDS),
        **where(org),
    )
    return membership


@transaction.atomic
def end_membership(*, actor: User, membership: Membership, ended_on: dt.date) -> Membership:
    """End a household's membership on `ended_on` (withdrawal, merger)."""
    require(actor, Capability.ECONOMY_WRITE, membership)
    membership = Membership.objects.select_for_update(of=("self",)).select_related("org").get(pk=membership.pk)
    before = audit.snapshot(membership, MEMBER_FIELDS)
    if membership.ended_on is not None:
        raise ValidationError({"ended_on": _("该成员已于 %(day)s 退出。") % {"day": membership.ended_on.isoformat()}})
    if ended_on is None:
        raise ValidationError({"ended_on": _("请填写退出日期。")})
    if ended_on < membership.confirmed_on:
        raise ValidationError({"ended_on": _("退出日期不能早于确认日期。")})
    membership.ended_on = ended_on
    membership.save(update_fields=["ended_on"])
    rollups.refresh(membership.org_id)
    audit.record_update(
        actor=actor,
        action=events.MEMBERSHIP_ENDED,
        target=membership,
        before=before,
        after=audit.snapshot(membership, MEMBER_FIELDS),
        **where(membership.org),
    )
    return membership


# ---- shares ---------------------------------------------------------------------------------


def _decimal(value: object, field: str, errors: dict[str, str], *, what: str) -> Decimal | None:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors[field] = _("%(what)s“%(value)s”不是有效的数字。") % {"what": what, "value": str(value)[:30]}
        return None
    if not number.is_finite():
        errors[field] = _("%(what)s“%(value)s”不是有效的数字。") % {"what": what, "value": str(value)[:30]}
        return None
    if number != number.quantize(CENT):
        errors[field] = _("%(what)s最多保留两位小数。") % {"what": what}
        return None
    if abs(number) >= Decimal("1e10"):
        errors[field] = _("%(what)s过大。") % {"what": what}
        return None
    return number


def holding(org: EconomicOrg, household: Household | None, on: dt.date | None = None) -> Decimal:
    """The shares `household` (None: the collective share) holds in `org`, on `on` (None: all entries)."""
    qs = ShareEntry.objects.filter(org=org, household=household)
    if on is not None:
        qs = qs.filter(effective_on__lte=on)
    return qs.aggregate(total=Sum("shares"))["total"] or Decimal(0)


def _book_account(books: Books, code: str) -> Account:
    account = Account.objects.filter(books=books, code=code).first()
    if account is None:
        raise ValidationError({"amount": _("账套中没有科目 %(code)s,无法记账。") % {"code": code}})
    return account


def _contribution_errors(
    org: EconomicOrg, contribution: str, number: Decimal | None, money: Decimal | None, errors: dict[str, str]
) -> None:
    if number is not None and number == 0:
        errors["shares"] = _("股数不能为零。")
    if money is not None and money < 0:
        errors["amount"] = _("金额不能为负数。")
    if contribution not in ContributionKind.values:
        errors["contribution"] = _("请选择出资方式。")
    elif contribution == ContributionKind.CASH:
        if money is not None and money <= 0:
            errors["amount"] = _("现金入股须填写出资金额。")
        if org.books_id is None:
            errors["contribution"] = _("该组织尚未建账,不能登记现金入股。")


def _holder_errors(
    org: EconomicOrg,
    household: Household | None,
    number: Decimal | None,
    effective_on: dt.date | None,
    errors: dict[str, str],
) -> None:
    """A household holds shares while it is a member; no holder goes below zero shares, neither on
    the day nor after it."""
    if household is not None:
        member = Membership.objects.filter(org=org, household=household).first()
        if member is None:
            errors["household"] = _("该户不是本组织的成员,请先确认成员身份。")
            return
        if effective_on is not None and (
            member.confirmed_on > effective_on or (member.ended_on is not None and member.ended_on <= effective_on)
        ):
            errors["effective_on"] = _("生效日期不在该户的成员期间内。")
    if number is not None and number < 0 and effective_on is not None:
        held = min(holding(org, household, effective_on), holding(org, household))
        if held + number < 0:
            errors["shares"] = _("持股不足:现有 %(held)s 股,不能减少 %(shares)s 股(股数不能为负)。") % {
                "held": _share_count(held),
                "shares": _share_count(-number),
            }


def _share_count(value: Decimal) -> str:
    """A number of shares as people write it: 10, 10.5 (the same on both databases, whose sums
    come back with or without the column's two places)."""
    return f"{value.quantize(Decimal('0.01')).normalize():f}"


@transaction.atomic
def record_shares(
    *,
    actor: User,
    org: EconomicOrg,
    household: Household | None,
    contribution: str,
    shares: Decimal,
    effective_on: dt.date,
    reason: str,
    amount: Decimal = Decimal(0),
    decision: Decision | None = None,
) -> ShareEntry:
    """Add `shares` (or take them away, negative) for a member household of `org`, or for its
    collective share (`household` None). A holder never goes below zero shares. A cash contribution
    (`amount` yuan) is posted to the organisation's books: Dr 102 银行存款 / Cr 301 资本 (a refund,
    negative shares, the other way)."""
    require(actor, Capability.ECONOMY_WRITE, org)
    org = EconomicOrg.objects.select_for_update(of=("self",)).get(pk=org.pk)  # one writer of the register at a time
    reason = (reason or "").strip()
    check_lengths(ShareEntry, {"reason": reason})
    errors: dict[str, str] = {}
    number = _decimal(shares, "shares", errors, what=_("股数"))
    money = _decimal(amount if amount is not None else 0, "amount", errors, what=_("金额"))
    _contribution_errors(org, contribution, number, money, errors)
    if not reason:
        errors["reason"] = _("请填写变动原因。")
    if effective_on is None:
        errors["effective_on"] = _("请填写生效日期。")
    _holder_errors(org, household, number, effective_on, errors)
    same_village(decision, org, errors)
    if errors:
        raise ValidationError(errors)
    assert number is not None and money is not None
    entry = ShareEntry.objects.create(
        org=org,
        household=household,
        kind=ShareKind.MEMBER if household is not None else ShareKind.COLLECTIVE,
        contribution=contribution,
        shares=number,
        amount=money,
        effective_on=effective_on,
        reason=reason,
        decision=decision,
        recorded_by=actor,
    )
    if contribution == ContributionKind.CASH:
        entry.voucher = _post_cash(actor, org, entry)
        entry.save(update_fields=["voucher"])
    rollups.refresh(org.pk)
    audit.record_create(
        actor=actor,
        action=events.SHARES_RECORDED,
        target=entry,
        after=audit.snapshot(entry, (*SHARE_FIELDS, "voucher")),
        **where(org),
    )
    return entry


def _post_cash(actor: User, org: EconomicOrg, entry: ShareEntry) -> Voucher:
    assert org.books is not None
    bank, capital = _book_account(org.books, BANK), _book_account(org.books, CAPITAL)
    holder = str(entry.household) if entry.household_id else _("集体股")
    if entry.shares > 0:
        summary = _("%(holder)s现金入股") % {"holder": holder}
        lines = [LineSpec(bank, debit=entry.amount, summary=summary), LineSpec(capital, credit=entry.amount)]
    else:
        summary = _("%(holder)s退股退款") % {"holder": holder}
        lines = [LineSpec(capital, debit=entry.amount, summary=summary), LineSpec(bank, credit=entry.amount)]
    return post_entry(
        actor=actor,
        books=org.books,
        date=entry.effective_on,
        summary=summary,
        lines=lines,
        idempotency_key=f"collective-shares:{entry.pk}",
        source=entry,
    )
