"""Months closed in order and locked with a digest of their lines; reopened only by the town's 农经
staff with a reason; and the year-end close that carries the year's income and expense into
本年收益 and on to 收益分配 (未分配收益), as 财会〔2023〕14号 describes."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.audit import services as audit

from .. import events
from ..integrity import period_digest
from ..models import (
    Account,
    Balance,
    Books,
    Category,
    Period,
    PeriodStatus,
    Voucher,
    VoucherStatus,
    year_end_keys,
)
from ..money import yuan
from ..policy import require, require_close
from ..specs import LineSpec
from . import posting
from .vouchers import post_entry

PROFIT = "本年收益"
DISTRIBUTION = "收益分配"
UNDISTRIBUTED = "未分配收益"
REASON_LENGTH = 255


def _month(year: int, month: int) -> str:
    return _("%(year)d年%(month)d月") % {"year": year, "month": month}


def _previous(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _locked(books: Books, year: int, month: int) -> Period:
    if not (1 <= month <= 12) or not (1900 <= year <= 2100):
        raise ValidationError({"month": _("会计期间无效。")})
    if (year, month) < (books.opened_on.year, books.opened_on.month):
        raise ValidationError({"month": _("%(month)s早于建账月份。") % {"month": _month(year, month)}})
    Period.objects.bulk_create([Period(books=books, year=year, month=month)], ignore_conflicts=True)
    return Period.objects.select_for_update().get(books=books, year=year, month=month)


@transaction.atomic
def close_period(*, actor: User, books: Books, year: int, month: int) -> Period:
    """Close one month (期末结账): the month before must be closed, no draft may be left in it; the
    digest of its posted lines is kept."""
    require_close(actor, books)
    today = timezone.localdate()
    if (year, month) > (today.year, today.month):
        raise ValidationError({"month": _("%(month)s尚未到来,不能结账。") % {"month": _month(year, month)}})
    period = _locked(books, year, month)
    if period.status == PeriodStatus.CLOSED:
        raise ValidationError({"month": _("%(month)s已结账。") % {"month": _month(year, month)}})
    before = _previous(year, month)
    if (
        before >= (books.opened_on.year, books.opened_on.month)
        and not Period.objects.filter(books=books, year=before[0], month=before[1], status=PeriodStatus.CLOSED).exists()
    ):
        raise ValidationError({"month": _("请先结账%(month)s。") % {"month": _month(*before)}})
    drafts = Voucher.objects.filter(books=books, status=VoucherStatus.DRAFT, date__year=year, date__month=month)
    if drafts.exists():
        raise ValidationError(
            {
                "month": _("%(month)s还有 %(n)d 张未记账的凭证草稿,请记账或删除后再结账。")
                % {"month": _month(year, month), "n": drafts.count()}
            }
        )
    period.status = PeriodStatus.CLOSED
    period.closed_by = posting.stored(actor)
    period.closed_at = timezone.now()
    period.digest = period_digest(books.pk, year, month)
    period.save(update_fields=["status", "closed_by", "closed_at", "digest"])
    audit.record(
        actor=actor,
        action=events.PERIOD_CLOSED,
        target=period,
        changes={"status": [PeriodStatus.OPEN, PeriodStatus.CLOSED], "digest": ["", period.digest]},
        target_repr=f"{books} {period}",
        area_path=books.area_path,
    )
    return period


@transaction.atomic
def reopen_period(*, actor: User, books: Books, year: int, month: int, reason: str) -> Period:
    """Reopen a closed month (反结账), the latest closed one first: an act of the town's 农经 staff,
    with its reason recorded."""
    require(actor, Capability.BOOKS_CLOSE, books)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写反结账的原因。")})
    if len(reason) > REASON_LENGTH:
        raise ValidationError({"reason": _("原因不能超过 %(n)d 字。") % {"n": REASON_LENGTH}})
    period = _locked(books, year, month)
    if period.status != PeriodStatus.CLOSED:
        raise ValidationError({"month": _("%(month)s未结账,无需反结账。") % {"month": _month(year, month)}})
    later = (
        Period.objects.filter(books=books, status=PeriodStatus.CLOSED)
        .filter(Q(year__gt=year) | Q(year=year, month__gt=month))
        .order_by("-year", "-month")
        .first()
    )
    if later is not None:
        raise ValidationError({"month": _("请先反结账%(month)s。") % {"month": _month(later.year, later.month)}})
    digest = period.digest
    period.status, period.closed_by, period.closed_at, period.digest = PeriodStatus.OPEN, None, None, ""
    period.save(update_fields=["status", "closed_by", "closed_at", "digest"])
    audit.record(
        actor=actor,
        action=events.PERIOD_REOPENED,
        target=period,
        changes={"status": [PeriodStatus.CLOSED, PeriodStatus.OPEN], "digest": [digest, ""], "reason": reason},
        note=reason,
        target_repr=f"{books} {period}",
        area_path=books.area_path,
    )
    return period


def _postable_named(books: Books, name: str, parent: Account | None = None) -> Account | None:
    accounts = Account.objects.filter(books=books, name=name, is_active=True)
    if parent is not None:
        accounts = accounts.filter(parent=parent)
    return accounts.order_by("code").first()


def _closing_accounts(books: Books) -> tuple[Account, Account]:
    """本年收益, and 收益分配's 未分配收益 (or 收益分配 itself when it has no sub-accounts)."""
    profit = _postable_named(books, PROFIT)
    distribution = _postable_named(books, DISTRIBUTION)
    target = None
    if distribution is not None:
        target = _postable_named(books, UNDISTRIBUTED, distribution) or distribution
    if profit is None or not profit.is_postable or target is None or not target.is_postable:
        raise ValidationError({"chart": _("科目表中须有可记账的“本年收益”和“收益分配——未分配收益”科目,才能年终结转。")})
    return profit, target


def _income_lines(books: Books, year: int, profit: Account) -> list[LineSpec]:
    """Each income or expense account's net for the year, reversed, and the difference to 本年收益."""
    nets = (
        Balance.objects.filter(books=books, period__year=year, account__category=Category.INCOME)
        .values_list("account")
        .annotate(debit=Sum("debit_fen"), credit=Sum("credit_fen"))
        .order_by("account__code")
    )
    accounts = Account.objects.in_bulk([row[0] for row in nets])
    lines: list[LineSpec] = []
    for account_id, debit, credit in nets:
        net = debit - credit
        if net > 0:
            lines.append(LineSpec(accounts[account_id], credit=yuan(net), summary=_("结转本年收益")))
        elif net < 0:
            lines.append(LineSpec(accounts[account_id], debit=yuan(-net), summary=_("结转本年收益")))
    rest = sum((line.debit - line.credit for line in lines), start=yuan(0))
    if rest > 0:
        lines.append(LineSpec(profit, credit=rest, summary=_("本年收益")))
    elif rest < 0:
        lines.append(LineSpec(profit, debit=-rest, summary=_("本年收益")))
    return lines


def _carried(account: Account, net: int, target: Account, summary: str) -> list[LineSpec]:
    """Lines moving `account`'s credit-positive `net` into `target`."""
    if net > 0:
        return [
            LineSpec(account, debit=yuan(net), summary=summary),
            LineSpec(target, credit=yuan(net), summary=summary),
        ]
    if net < 0:
        return [
            LineSpec(account, credit=yuan(-net), summary=summary),
            LineSpec(target, debit=yuan(-net), summary=summary),
        ]
    return []


def _distribution_lines(books: Books, year: int, profit: Account, target: Account) -> list[LineSpec]:
    """本年收益's balance, and that of every other account under 收益分配 (各项分配: reserves, members'
    shares…), into 未分配收益."""
    carried = [profit]
    if target.parent_id is not None:
        prefix = Account.objects.get(pk=target.parent_id).code
        carried += list(
            Account.objects.filter(books=books, code__startswith=prefix, is_postable=True)
            .exclude(pk=target.pk)
            .order_by("code")
        )
    nets = dict(
        Balance.objects.filter(books=books, account__in=carried, period__year__lte=year)
        .values_list("account")
        .annotate(net=Sum("credit_fen") - Sum("debit_fen"))
        .order_by()
    )
    lines: list[LineSpec] = []
    for account in carried:
        summary = _("本年收益转入未分配收益") if account.pk == profit.pk else _("各项分配转入未分配收益")
        lines += _carried(account, nets.get(account.pk, 0), target, summary)
    return lines


@transaction.atomic
def year_end_close(*, actor: User, books: Books, year: int) -> list[Voucher]:
    """The year-end close, dated 31 December: every income and expense account (损益类) to 本年收益;
    then 本年收益 and the other accounts under 收益分配 (各项分配) to 收益分配——未分配收益. Refused
    when done already or December is closed."""
    require(actor, Capability.BOOKS_WRITE, books)
    keys = year_end_keys(year)
    if any(posting.posted_with_key(books, key) for key in keys):
        raise ValidationError({"year": _("%(year)d年已做过年终收益结转。") % {"year": year}})
    profit, target = _closing_accounts(books)
    date = dt.date(year, 12, 31)
    posting.locked_period(books, date)
    vouchers = []
    income = _income_lines(books, year, profit)
    if income:
        vouchers.append(
            post_entry(
                actor=actor,
                books=books,
                date=date,
                summary=_("结转本年收益"),
                lines=income,
                idempotency_key=keys[0],
                check=False,
            )
        )
    distribution = _distribution_lines(books, year, profit, target)
    if distribution:
        vouchers.append(
            post_entry(
                actor=actor,
                books=books,
                date=date,
                summary=_("结转本年收益及各项分配至未分配收益"),
                lines=distribution,
                idempotency_key=keys[1],
                check=False,
            )
        )
    audit.record(
        actor=actor,
        action=events.YEAR_CLOSED,
        target=books,
        changes={"year": year, "vouchers": [str(v) for v in vouchers]},
        area_path=books.area_path,
    )
    return vouchers
