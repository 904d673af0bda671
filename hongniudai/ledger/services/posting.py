"""The rules every voucher meets and the one act of posting: the line checks, the period lock, the
gapless number from the locked counter, and the balances moved. Used by the voucher and period
services (and so by every later domain, through `ledger.interface`); not a service itself."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User

from ..models import (
    Account,
    Balance,
    Books,
    ParentBalance,
    Period,
    PeriodStatus,
    Voucher,
    VoucherCounter,
    VoucherLine,
    VoucherStatus,
)
from ..money import to_fen, yuan
from ..rollups import subtree_totals
from ..specs import LineSpec

Kept = TypeVar("Kept", Balance, ParentBalance)


@dataclass(frozen=True)
class Line:
    """A checked line: the account and its amounts in fen."""

    account: Account
    debit_fen: int
    credit_fen: int
    summary: str = ""


def stored(actor: User | None) -> User | None:
    """The actor as a row to point at: None for an unsaved one (the demo loader's)."""
    return actor if actor is not None and actor.pk else None


def _line_error(n: int, books: Books, account: Account, debit: int, credit: int, *, red: bool) -> str | None:
    label = {"n": n, "account": account}
    if account.books_id != books.pk:
        return _("第 %(n)d 行:科目“%(account)s”不属于本账套。") % label
    if not account.is_postable:
        return _("第 %(n)d 行:科目“%(account)s”设有明细科目,请记入明细科目。") % label
    if not account.is_active:
        return _("第 %(n)d 行:科目“%(account)s”已停用。") % label
    if (debit == 0) == (credit == 0):
        return _("第 %(n)d 行:借方和贷方须填写且只填写一方,金额不能为零。") % label
    if not red and (debit < 0 or credit < 0):
        return _("第 %(n)d 行:金额不能为负数(只有红字冲销凭证用负数)。") % label
    if red and (debit > 0 or credit > 0):
        return _("第 %(n)d 行:红字冲销凭证的金额须为负数。") % label
    return None


def checked_lines(books: Books, specs: Sequence[LineSpec], *, red: bool = False) -> list[Line]:
    """The lines of a voucher of `books`, each on a postable, active account of these books, on one
    side only, non-zero, at most two decimals, positive (negative on a reversal, 红字)."""
    if not specs:
        raise ValidationError({"lines": _("凭证至少要有一行分录。")})
    errors: list[str] = []
    lines: list[Line] = []
    for n, spec in enumerate(specs, start=1):
        debit = to_fen(spec.debit, field="lines")
        credit = to_fen(spec.credit, field="lines")
        error = _line_error(n, books, spec.account, debit, credit, red=red)
        if error:
            errors.append(error)
        if len(spec.summary or "") > 200:
            errors.append(_("第 %(n)d 行:摘要不能超过 200 字。") % {"n": n})
        lines.append(Line(spec.account, debit, credit, (spec.summary or "").strip()))
    if errors:
        raise ValidationError({"lines": errors})
    return lines


def check_balanced(lines: Sequence[Line]) -> None:
    debit = sum(line.debit_fen for line in lines)
    credit = sum(line.credit_fen for line in lines)
    if debit != credit:
        raise ValidationError(
            {
                "lines": _("借贷不平衡:借方合计 %(debit)s 元,贷方合计 %(credit)s 元。")
                % {"debit": yuan(debit), "credit": yuan(credit)}
            }
        )


def check_date(books: Books, date: dt.date) -> None:
    if date < books.opened_on:
        raise ValidationError({"date": _("凭证日期不能早于建账日期 %(date)s。") % {"date": books.opened_on}})


def locked_period(books: Books, date: dt.date) -> Period:
    """The month of `date`, created open when first used, locked; refused when it is closed."""
    Period.objects.bulk_create([Period(books=books, year=date.year, month=date.month)], ignore_conflicts=True)
    period = Period.objects.select_for_update().get(books=books, year=date.year, month=date.month)
    if period.status == PeriodStatus.CLOSED:
        raise ValidationError(
            {"date": _("%(year)d年%(month)d月已结账,不能记入该期间。") % {"year": date.year, "month": date.month}}
        )
    return period


def locked_counter(books: Books, year: int) -> VoucherCounter:
    """The voucher counter of `books` in `year`, created when first used, locked until commit: every
    other posting of these books and year waits here."""
    VoucherCounter.objects.bulk_create([VoucherCounter(books=books, year=year)], ignore_conflicts=True)
    return VoucherCounter.objects.select_for_update().get(books=books, year=year)


def take_number(counter: VoucherCounter) -> int:
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def move_balances(books: Books, period: Period, lines: Sequence[Line]) -> None:
    """Add the lines to their accounts' balances of `period`, and to those of every account above
    them (`ParentBalance`): rows created when first used, locked in account order, moved with F()."""
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for line in lines:
        totals[line.account.pk][0] += line.debit_fen
        totals[line.account.pk][1] += line.credit_fen
    _move(Balance, books, period, totals)
    parents: dict[int, int | None] = {line.account.pk: line.account.parent_id for line in lines}
    asked = {p for p in parents.values() if p is not None} - set(parents)
    while asked:
        found = dict(Account.objects.filter(pk__in=asked).values_list("pk", "parent_id"))
        parents.update(found)
        asked = {p for p in found.values() if p is not None} - set(parents)
    above = subtree_totals(((account_id, d, c) for account_id, (d, c) in totals.items()), parents)
    if above:
        _move(ParentBalance, books, period, above)


def _move(model: type[Kept], books: Books, period: Period, totals: dict[int, list[int]]) -> None:
    model.objects.bulk_create(
        [model(books=books, account_id=account_id, period=period) for account_id in totals], ignore_conflicts=True
    )
    list(
        model.objects.select_for_update()
        .filter(period=period, account_id__in=list(totals))
        .order_by("account_id")
        .values_list("pk", flat=True)
    )
    for account_id, (debit, credit) in totals.items():
        model.objects.filter(period=period, account_id=account_id).update(
            debit_fen=F("debit_fen") + debit, credit_fen=F("credit_fen") + credit
        )


def write_lines(voucher: Voucher, lines: Sequence[Line]) -> None:
    VoucherLine.objects.bulk_create(
        [
            VoucherLine(
                voucher=voucher,
                account=line.account,
                summary=line.summary,
                debit_fen=line.debit_fen,
                credit_fen=line.credit_fen,
            )
            for line in lines
        ]
    )


def as_lines(voucher: Voucher) -> list[Line]:
    return [
        Line(line.account, line.debit_fen, line.credit_fen, line.summary)
        for line in voucher.lines.select_related("account").order_by("id")
    ]


def posted_with_key(books: Books, key: str) -> Voucher | None:
    if not key:
        return None
    return Voucher.objects.filter(books=books, idempotency_key=key, status=VoucherStatus.POSTED).first()


def recheck(books: Books, lines: Sequence[Line], *, red: bool) -> None:
    """The line rules again at posting: an account may have been split or closed since the draft."""
    errors = [
        error
        for n, line in enumerate(lines, start=1)
        if (error := _line_error(n, books, line.account, line.debit_fen, line.credit_fen, red=red))
    ]
    if not lines:
        errors.append(_("凭证至少要有一行分录。"))
    if errors:
        raise ValidationError({"lines": errors})


def post_locked(*, actor: User | None, voucher: Voucher, idempotency_key: str) -> Voucher:
    """Post a locked draft: check its lines and period, number it, move the balances. Returns the
    voucher already posted under `idempotency_key` instead, when there is one (the draft is left
    as it was; the caller decides what becomes of it)."""
    books = voucher.books
    lines = as_lines(voucher)
    recheck(books, lines, red=voucher.reverses_id is not None)
    check_balanced(lines)
    check_date(books, voucher.date)
    period = locked_period(books, voucher.date)
    counter = locked_counter(books, voucher.date.year)
    # Under the counter's lock a key posted by a concurrent request is seen.
    already = posted_with_key(books, idempotency_key)
    if already is not None:
        return already
    voucher.number = take_number(counter)
    voucher.year = voucher.date.year
    voucher.status = VoucherStatus.POSTED
    voucher.posted_at = timezone.now()
    voucher.posted_by = stored(actor)
    voucher.idempotency_key = idempotency_key
    voucher.save(update_fields=["number", "year", "status", "posted_at", "posted_by", "idempotency_key"])
    move_balances(books, period, lines)
    return voucher
