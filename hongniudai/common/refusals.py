"""What a user is told when the database refuses a change the services let through.

A delete blocked by a protecting foreign key (`ProtectedError`, `RestrictedError`) or a write that
breaks a constraint (`IntegrityError`) is a refusal, not a server fault: the API answers 409 and a
page flashes the message, in both cases from `refusal_message`, and nothing is changed (the
service's transaction is rolled back).
"""

from __future__ import annotations

from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

REFUSALS: tuple[type[Exception], ...] = (ProtectedError, RestrictedError, IntegrityError)


def refusal_message(exc: Exception) -> str:
    """The Chinese explanation of a refused change."""
    if isinstance(exc, ProtectedError | RestrictedError):
        objects = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        kinds = sorted({str(obj._meta.verbose_name) for obj in objects})
        if kinds:
            return _("该记录仍有关联的%(kinds)s,不能删除;请先处理这些记录。") % {"kinds": "、".join(kinds)}
        return _("该记录仍被其他记录引用,不能删除。")
    return _("该操作与已有记录冲突(例如重复或仍被引用),未作任何更改。")
