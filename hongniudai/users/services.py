"""Writes about people and their accounts that need places or party beside accounts: onboarding a
person whose resident record is known (the account is linked to it), and handing over the first
credentials of accounts created by an import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from hongniudai.accounts import policy
from hongniudai.accounts.models import User
from hongniudai.accounts.services_users import Credential, Handover, onboard_user, reset_credentials
from hongniudai.places import services as place_services
from hongniudai.places.models import Resident


@transaction.atomic
def onboard_person(*, actor: User, resident: Resident | None = None, **account: Any) -> Handover:
    """`accounts.services_users.onboard_user` (with its keyword arguments: username, display_name,
    role, node, phone, credential), then the new account linked to `resident` (when given): one
    transaction, so a refused link leaves no account behind."""
    handover = onboard_user(actor=actor, **account)
    if resident is not None:
        place_services.link_account(actor=actor, resident=resident, user=handover.user)
    return handover


@dataclass(frozen=True)
class HandoverRow:
    """One line of a hand-over sheet: the secret is empty when none was issued, and `note` says why."""

    username: str
    name: str
    credential: str
    password: str = ""
    invitation_key: str = ""
    expires_at: dt.datetime | None = None
    note: str = ""


def _not_issued(actor: User, user: User | None) -> str:
    """Why no fresh credential is issued for `user`, or ""."""
    if user is None:
        return _("账号已不存在")
    if not user.is_active:
        return _("账号已停用")
    own_password = user.has_usable_password() and not user.must_change_password
    if user.last_login is not None or own_password:
        return _("本人已登录或已设置密码,未重新发放")
    if not policy.may_manage(actor, user):
        return _("该账号已不在您的管理范围")
    return ""


@transaction.atomic
def hand_over_accounts(*, actor: User, accounts: Iterable[tuple[str, str]]) -> list[HandoverRow]:
    """Fresh first credentials for the accounts named by (username, credential) that nobody has used
    yet: a new one-time password or invitation each (`reset_credentials`, audited), replacing
    whatever was issued before. The secrets are returned, never stored: each call issues new ones."""
    wanted = list(accounts)
    users = {u.username: u for u in User.objects.filter(username__in=[name for name, _c in wanted])}
    rows: list[HandoverRow] = []
    for username, credential in wanted:
        user = users.get(username)
        label = Credential(credential)
        note = _not_issued(actor, user)
        if note or user is None:
            rows.append(HandoverRow(username=username, name=str(user or ""), credential=label, note=note))
            continue
        handover = reset_credentials(actor=actor, user=user, credential=label)
        rows.append(
            HandoverRow(
                username=username,
                name=str(user),
                credential=label,
                password=handover.password,
                invitation_key=handover.invitation_key,
                expires_at=handover.expires_at,
            )
        )
    return rows
