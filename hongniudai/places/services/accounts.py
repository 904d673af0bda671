"""Which resident a platform account is: one account is one person, one person one account. The
actor manages the account (`accounts.policy`) and registers people where the resident lives; the
party member record, if any, comes with the resident (`Member.resident`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hongniudai.accounts import policy as account_policy
from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.audit import services as audit

from .. import events
from ..models import Resident
from ..policy import require


@transaction.atomic
def link_account(*, actor: User, resident: Resident, user: User) -> Resident:
    """Record that `user`'s account belongs to `resident`; refused when either is linked elsewhere."""
    account_policy.require_manage(actor, user)
    require(actor, Capability.EDIT_PEOPLE, resident)
    resident = Resident.objects.select_for_update(of=("self",)).select_related("household__hamlet").get(pk=resident.pk)
    if resident.account_id == user.pk:
        return resident
    if resident.account_id is not None:
        raise ValidationError({"id_number": _("该居民已关联了另一个账号,请先解除原关联。")})
    if Resident.objects.filter(account=user).exists():
        raise ValidationError({"id_number": _("该账号已关联了另一位居民,请先解除原关联。")})
    _set_account(actor, resident, user, username=user.username)
    return resident


@transaction.atomic
def unlink_account(*, actor: User, resident: Resident) -> Resident:
    """The resident's account is no longer theirs (the account itself stays)."""
    resident = (
        Resident.objects.select_for_update(of=("self",))
        .select_related("household__hamlet", "account")
        .get(pk=resident.pk)
    )
    if resident.account is None:
        raise ValidationError(_("该居民没有关联账号。"))
    account_policy.require_manage(actor, resident.account)
    require(actor, Capability.EDIT_PEOPLE, resident)
    _set_account(actor, resident, None, username=resident.account.username)
    return resident


def _set_account(actor: User, resident: Resident, user: User | None, *, username: str) -> None:
    """Link `resident` to `user` (or unlink, for None), recorded where the resident lives."""
    resident.account = user
    resident.save(update_fields=["account", "updated_at"])
    audit.record(
        actor=actor,
        action=events.ACCOUNT_LINKED if user is not None else events.ACCOUNT_UNLINKED,
        target=resident,
        changes={"account": username, "id_masked": resident.id_masked},
        area_path=resident.household.hamlet.path,
    )
