"""The 统一社会信用代码 (USCC, GB 32100-2015): its stored form and its check."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exc
from stdnum.cn import uscc as stdnum_uscc

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def normalize_uscc(value: str) -> str:
    """Spaces removed, letters upper-cased (the form the code is stored and searched in)."""
    return "".join((value or "").split()).upper()


def clean_uscc(value: str) -> str:
    """Check a 统一社会信用代码 per GB 32100-2015 (python-stdnum's `cn.uscc`) and return it
    normalised; a ValidationError with a message saying what is wrong otherwise."""
    number = normalize_uscc(value)
    if not number:
        raise ValidationError(_("请填写统一社会信用代码。"), code="required")
    if len(number) != 18:
        raise ValidationError(_("统一社会信用代码应为 18 位,您填写了 %(n)d 位。") % {"n": len(number)}, code="length")
    bad = [c for c in number[:8] if not c.isdigit()] + [c for c in number[8:] if c not in USCC_ALPHABET]
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符“%(chars)s”:前 8 位应为数字,其余为数字或大写字母(不用 I、O、Z、S、V)。")
            % {"chars": "".join(dict.fromkeys(bad))},
            code="format",
        )
    try:
        return str(stdnum_uscc.validate(number))
    except stdnum_exc.InvalidChecksum:
        raise ValidationError(_("统一社会信用代码校验位不正确,请核对"), code="checksum") from None
    except stdnum_exc.ValidationError:  # pragma: no cover - length and characters are checked above
        raise ValidationError(_("统一社会信用代码格式不正确。"), code="format") from None
