"""Yuan in, fen stored: the one conversion between what people type (at most two decimals) and the
whole fen the books keep."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The largest amount of one line: 999,999,999,999.99 yuan (a Decimal(14, 2)).
MAX_FEN = 99_999_999_999_999
CENT = Decimal("0.01")


def to_fen(value: Decimal | int | str, *, field: str = "amount") -> int:
    """`value` yuan as whole fen; refuses what is not a number, has more than two decimals or is too large."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("金额“%(value)s”不是有效的数字。") % {"value": value}}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("金额“%(value)s”不是有效的数字。") % {"value": value}})
    if abs(amount) > Decimal(MAX_FEN) / 100:
        raise ValidationError({field: _("金额不能超过 999,999,999,999.99 元。")})
    if amount != amount.quantize(CENT):
        raise ValidationError({field: _("金额最多保留两位小数(到分)。")})
    return int(amount * 100)


def yuan(fen: int) -> Decimal:
    """Whole fen as yuan with two decimals."""
    return (Decimal(fen) / 100).quantize(CENT)
