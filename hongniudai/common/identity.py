"""Citizen ID numbers (GB 11643-1999) and mobile phones: validation, masking, protection at rest.

Validation uses python-stdnum (`stdnum.cn.ric`); this module only adds the checks the
platform needs on top (sex agreeing with digit 17) and the Chinese messages.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exc
from stdnum.cn import ric

MALE = "M"
FEMALE = "F"

_PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


@dataclass(frozen=True)
class CitizenId:
    number: str
    birth_date: dt.date
    sex: str  # "M" or "F"

    @property
    def masked(self) -> str:
        return mask_id_number(self.number)


def parse_citizen_id(value: str, *, sex: str | None = None) -> CitizenId:
    """Validate an 18-character citizen ID number; raise ValidationError with a Chinese message."""
    number = (value or "").strip().upper()
    if not number:
        raise ValidationError(_("请填写身份证号。"), code="required")
    if len(number) != 18 or not re.fullmatch(r"\d{17}[\dX]", number):
        raise ValidationError(_("身份证号应为 18 位:前 17 位为数字,最后一位为数字或 X。"), code="format")
    try:
        birth = ric.get_birth_date(number)
    except stdnum_exc.ValidationError:
        raise ValidationError(
            _("身份证号第 7-14 位的出生日期 %(date)s 不是真实的日期。") % {"date": number[6:14]},
            code="birth_date",
        ) from None
    if birth > dt.date.today():
        raise ValidationError(_("身份证号中的出生日期晚于今天。"), code="birth_date")
    if number[-1] != ric.calc_check_digit(number):
        raise ValidationError(
            _("身份证号校验位错误:最后一位应为 %(check)s。") % {"check": ric.calc_check_digit(number)},
            code="checksum",
        )
    if not region_known(number[:6]):
        raise ValidationError(_("身份证号前 6 位的地区代码 %(code)s 不存在。") % {"code": number[:6]}, code="region")
    id_sex = MALE if int(number[16]) % 2 == 1 else FEMALE
    if sex and sex != id_sex:
        raise ValidationError(
            _("性别与身份证号不符:第 17 位为%(parity)s数,应为%(sex)s。")
            % {"parity": _("奇") if id_sex == MALE else _("偶"), "sex": _("男") if id_sex == MALE else _("女")},
            code="sex",
        )
    return CitizenId(number=number, birth_date=birth, sex=id_sex)


@lru_cache(maxsize=8192)
def region_known(prefix: str) -> bool:
    """Whether the 6-digit region code is in python-stdnum's GB/T 2260 table (cached: the table
    lookup costs about a millisecond)."""
    try:
        ric.get_birth_place(prefix + "19700101000" + "0")
    except stdnum_exc.ValidationError:
        return False
    return True


def validate_citizen_id(value: str) -> None:
    parse_citizen_id(value)


def mask_id_number(number: str) -> str:
    """First 3 and last 4 characters shown; the rest starred."""
    if not number:
        return ""
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def normalize_phone(value: str) -> str:
    phone = re.sub(r"[\s-]", "", value or "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if phone and not _PHONE_RE.fullmatch(phone):
        raise ValidationError(_("手机号应为以 1 开头的 11 位数字。"), code="phone")
    return phone


def validate_phone(value: str) -> None:
    normalize_phone(value)


def mask_phone(phone: str) -> str:
    if not phone:
        return ""
    if len(phone) != 11:
        return "*" * len(phone)
    return phone[:3] + "****" + phone[-4:]


# ---- protection at rest -------------------------------------------------------------------


@lru_cache(maxsize=4)
def field_keys(secret: str, field_key: str) -> tuple[bytes, Fernet]:
    """(digest key, Fernet) derived from the deployment's keys: `FIELD_ENCRYPTION_KEY`, or the secret
    key without one. Call it with `settings.SECRET_KEY, settings.FIELD_ENCRYPTION_KEY` (cached per pair);
    bulk writers use it to digest and encrypt exactly as the functions below do."""
    base = (field_key or secret).encode()
    digest_key = hashlib.sha256(b"hnd-digest:" + base).digest()
    fernet_key = base64.urlsafe_b64encode(hashlib.sha256(b"hnd-fernet:" + base).digest())
    return digest_key, Fernet(fernet_key)


def id_number_digest(number: str) -> str:
    """Keyed hash used to find a resident by exact ID number without storing it in clear."""
    digest_key, _f = field_keys(settings.SECRET_KEY, settings.FIELD_ENCRYPTION_KEY)
    return hmac.new(digest_key, number.strip().upper().encode(), hashlib.sha256).hexdigest()


def encrypt_id_number(number: str) -> str:
    _d, fernet = field_keys(settings.SECRET_KEY, settings.FIELD_ENCRYPTION_KEY)
    return fernet.encrypt(number.encode()).decode()


def decrypt_id_number(token: str) -> str:
    _d, fernet = field_keys(settings.SECRET_KEY, settings.FIELD_ENCRYPTION_KEY)
    return fernet.decrypt(token.encode()).decode()


ID_NUMBER_PATTERN = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
PHONE_PATTERN = re.compile(r"(?<![0-9A-Za-z])(1[3-9]\d)(\d{4})(\d{4})(?![0-9A-Za-z])")


def mask_personal_data_in_text(text: str) -> str:
    """Mask anything that looks like an ID number or a phone in free text (logs, errors)."""
    text = ID_NUMBER_PATTERN.sub(lambda m: mask_id_number(m.group(0)), text)
    return PHONE_PATTERN.sub(lambda m: mask_phone(m.group(0)), text)
