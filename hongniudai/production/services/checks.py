"""The checks every production event shares (positive numbers with so many decimals, the
organisation's books and accounts, the enterprise the actor may see) and the two-line posting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.audit import services as audit
from hongniudai.collective.interface import EconomicOrg
from hongniudai.enterprises.interface import Enterprise, may_name
from hongniudai.ledger.interface import Account, Books, LineSpec, Voucher, post_entry
from hongniudai.places.models import Resident

from ..models import (
    KG_PER_JIN,
)

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


def books_of(org: EconomicOrg) -> Books:
    if org.books_id is None or org.books is None:
        raise ValidationError(_("“%(org)s”尚未建账,无法记账。") % {"org": org.name})
    return org.books


def account_of(books: Books, code: str) -> Account:
    account = Account.objects.filter(books=books, code=code).first()
    if account is None:
        raise ValidationError(_("账套中没有科目 %(code)s。") % {"code": code})
    return account


def where(org: EconomicOrg) -> audit.Where:
    return {"area_path": org.area_path, "org_path": ""}


def check_enterprise(actor: User, enterprise: Enterprise | None, field: str) -> None:
    if enterprise is not None and not may_name(actor, enterprise):
        raise ValidationError({field: _("所选企业不在您的权限范围之内。")})


def text_of(value: str | None, *, field: str, label: str, required: bool = True) -> str:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise ValidationError({field: _("请填写%(label)s。") % {"label": label}})
    return cleaned


def snapshot(obj: Any, fields: Sequence[str]) -> audit.Snapshot:
    return audit.snapshot(obj, fields)


def post_pair(
    *,
    actor: User,
    books: Books,
    date: dt.date,
    summary: str,
    debit: Account,
    credit: Account,
    amount: Decimal,
    key: str,
    source: Any,
) -> Voucher:
    """Post one business event as a two-line voucher: `amount` from `credit` to `debit`."""
    text = summary[:200]
    return post_entry(
        actor=actor,
        books=books,
        date=date,
        summary=text,
        lines=[
            LineSpec(account=debit, debit=amount, summary=text),
            LineSpec(account=credit, credit=amount, summary=text),
        ],
        idempotency_key=key,
        source=source,
    )


def in_village(org: EconomicOrg, worker: Resident) -> bool:
    """True when `worker` lives in `org`'s village."""
    return worker.household.hamlet.path.startswith(org.area_path)
