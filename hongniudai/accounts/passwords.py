"""The password rules beyond Django's own (length, common, numeric, like the username): character
classes as MLPS level 2 (等保二级) asks, and not one of the last few passwords. Both are in
`AUTH_PASSWORD_VALIDATORS`; their thresholds come from settings (see docs/deploy.md)."""

from __future__ import annotations

import string
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import PasswordHistory

CLASSES = (
    (gettext_lazy("小写字母"), set(string.ascii_lowercase)),
    (gettext_lazy("大写字母"), set(string.ascii_uppercase)),
    (gettext_lazy("数字"), set(string.digits)),
)


def character_classes(password: str) -> int:
    """How many of: lower-case letters, upper-case letters, digits, other characters."""
    chars = set(password)
    found = sum(1 for _label, members in CLASSES if chars & members)
    others = chars - set(string.ascii_letters) - set(string.digits)
    return found + (1 if others else 0)


class CharacterClassesValidator:
    """At least `min_classes` of lower-case letters, upper-case letters, digits and symbols."""

    def __init__(self, min_classes: int | None = None) -> None:
        self.min_classes = min_classes if min_classes is not None else settings.PASSWORD_MIN_CHARACTER_CLASSES

    def validate(self, password: str, user: Any = None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                _("密码须包含小写字母、大写字母、数字、符号中的至少 %(n)s 类。") % {"n": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("包含小写字母、大写字母、数字、符号中的至少 %(n)s 类。") % {"n": self.min_classes}


class PasswordHistoryValidator:
    """Not the current password, nor one of the user's last `remember` passwords."""

    def __init__(self, remember: int | None = None) -> None:
        self.remember = remember if remember is not None else settings.PASSWORD_HISTORY

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or not getattr(user, "pk", None) or self.remember <= 0:
            return
        hashes = [user.password, *earlier_hashes(user, self.remember)]
        if any(h and check_password(password, h) for h in hashes):
            raise ValidationError(
                _("新密码不能与最近 %(n)s 次用过的密码相同。") % {"n": self.remember}, code="password_reused"
            )

    def get_help_text(self) -> str:
        return _("不能与最近 %(n)s 次用过的密码相同。") % {"n": self.remember}


def earlier_hashes(user: Any, count: int) -> list[str]:
    """The hashes of the user's `count` most recent earlier passwords."""
    return list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[:count])


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with the message in this project's words (Django's Chinese catalogue lacks the
    plural form of this one, so it would be shown in English)."""

    def __init__(self, min_length: int | None = None) -> None:
        super().__init__(min_length if min_length is not None else settings.PASSWORD_MIN_LENGTH)

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                _("密码太短,至少需要 %(n)s 个字符。") % {"n": self.min_length}, code="password_too_short"
            )

    def get_help_text(self) -> str:
        return _("至少 %(n)s 个字符。") % {"n": self.min_length}
