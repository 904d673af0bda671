"""What an administrator does to the accounts they manage (`accounts.policy`): create one with a
role and a one-time password or invitation link, edit it, grant and end roles, reset its password,
deactivate it (which ends every session and withdraws every API token at once) or activate it again;
and what the invited user does with the link. The town decides whether its village secretaries
manage their village's grid workers, centre households and volunteers."""

from __future__ import annotations

import datetime as dt
import enum
import re
import secrets
import string
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.audit import services as audit
from hongniudai.common.identity import normalize_phone
from hongniudai.common.keys import key_digest
from hongniudai.common.updates import model_update

from . import events, policy
from .models import Invitation, Role, RoleAssignment, TownAccountSettings, User, new_security_stamp
from .scope import forget_scopes
from .services import create_user, home_paths, record_user_event
from .services_self import set_password
from .services_tokens import revoke_all_tokens

USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{1,29}$")
# Letters and digits that cannot be mistaken for one another when read aloud or copied from paper.
_OTP_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "Il1O0o")
EDITABLE = ("display_name", "phone")


class Credential(enum.StrEnum):
    """How a new user (or one whose password is reset) gets in the first time."""

    PASSWORD = "password"  # a one-time password, shown once to the administrator
    INVITATION = "invitation"  # a one-time link that expires, with which the user sets a password


@dataclass(frozen=True)
class Handover:
    """What the administrator hands the user, shown once: a password or an invitation key."""

    user: User
    password: str = ""
    invitation_key: str = ""
    expires_at: dt.datetime | None = None


def invitation_digest(key: str) -> str:
    return key_digest(key)


def one_time_password(user: User) -> str:
    """A random password that passes every password rule (so the user can sign in with it once)."""
    for _attempt in range(20):
        chars = [secrets.choice(_OTP_ALPHABET) for _i in range(12)]
        chars[3] = secrets.choice(string.ascii_uppercase.replace("I", "").replace("O", ""))
        chars[7] = secrets.choice("23456789")
        chars[10] = secrets.choice("abcdefghjkmnpqrstuvwxyz")
        candidate = "{}-{}-{}".format("".join(chars[:4]), "".join(chars[4:8]), "".join(chars[8:]))
        try:
            validate_password(candidate, user)
        except ValidationError:
            continue
        return candidate
    raise RuntimeError("no one-time password passes the password rules; check AUTH_PASSWORD_VALIDATORS")


def _hand_over(actor: User, user: User, credential: Credential) -> Handover:
    """Give `user` a first way in: a one-time password, or an invitation (and no usable password)."""
    Invitation.objects.filter(user=user, used_at__isnull=True).delete()
    if credential == Credential.PASSWORD:
        password = one_time_password(user)
        set_password(user=user, password=password, must_change=True)
        return Handover(user=user, password=password)
    user.set_unusable_password()
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    key = secrets.token_urlsafe(24)
    expires_at = timezone.now() + dt.timedelta(hours=settings.INVITATION_MAX_AGE_HOURS)
    Invitation.objects.create(user=user, digest=invitation_digest(key), created_by=actor, expires_at=expires_at)
    return Handover(user=user, invitation_key=key, expires_at=expires_at)


def clean_profile(data: dict[str, Any]) -> dict[str, Any]:
    """The name and phone of an account, checked; errors keyed by field, in Chinese."""
    out: dict[str, Any] = {}
    if "display_name" in data:
        name = " ".join(str(data["display_name"] or "").split())
        if not name or len(name) > 50:
            raise ValidationError({"display_name": _("请填写姓名(不超过50个字)。")})
        out["display_name"] = name
    if "phone" in data:
        try:
            out["phone"] = normalize_phone(str(data["phone"] or "")[:30])
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages}) from None
    return out


@transaction.atomic
def onboard_user(
    *,
    actor: User,
    username: str,
    display_name: str,
    role: str,
    node: Any,
    phone: str = "",
    credential: Credential = Credential.INVITATION,
) -> Handover:
    """A new account with its first role on `node`; refused unless `actor` may grant that role
    there. The user gets a one-time password or an invitation link and must choose their own
    password before anything else."""
    policy.require_grant(actor, role, node)
    username = (username or "").strip()
    if not USERNAME_RE.match(username):
        raise ValidationError({"username": _("用户名须为2至30位字母、数字或 _ . -,以字母或数字开头。")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("用户名已存在。")})
    profile = clean_profile({"display_name": display_name, "phone": phone})
    user = create_user(actor=actor, username=username, password=None, display_name=profile["display_name"])
    user.phone = profile["phone"]
    user.save(update_fields=["phone"])
    grant_role(actor=actor, user=user, role=role, node=node)
    return _hand_over(actor, user, Credential(credential))


@transaction.atomic
def update_user(*, actor: User, user: User, data: dict[str, Any]) -> list[str]:
    """Change the name or phone of an account `actor` manages."""
    policy.require_manage(actor, user)
    before = audit.snapshot(user, EDITABLE)
    changed = model_update(user, fields=EDITABLE, data=clean_profile(data))
    if changed:
        area_path, org_path = home_paths(user)
        audit.record_update(
            actor=actor,
            action=events.USER_UPDATED,
            target=user,
            before=before,
            after=audit.snapshot(user, EDITABLE),
            area_path=area_path,
            org_path=org_path,
        )
    return changed


def _node_paths(node: Any) -> tuple[Any, Any, str, str]:
    """(area, org, area path, org path) of an area node or a party organisation."""
    if getattr(node, "scope_org_path", None) == "path":
        return None, node, "", node.path
    return node, None, node.path, ""


@transaction.atomic
def grant_role(*, actor: User | None, user: User, role: str, node: Any) -> RoleAssignment:
    """Give `user` `role` on `node` (an area node or a party organisation), recording who granted it.
    `actor` must be allowed to grant it there and, for an existing account with roles, to manage
    it; a role the user already holds there is refused."""
    if role not in Role.values:
        raise ValidationError({"role": _("未知的角色。")})
    if actor is not None:
        policy.require_grant(actor, role, node)
        if RoleAssignment.objects.filter(user=user).exists():
            policy.require_manage(actor, user)
    area, org, area_path, org_path = _node_paths(node)
    if RoleAssignment.objects.filter(user=user, role=role, area=area, org=org).exists():
        raise ValidationError({"role": _("该用户已在此处担任这一角色。")})
    assignment = RoleAssignment.objects.create(user=user, role=role, area=area, org=org, granted_by=actor)
    audit.record_create(
        actor=actor,
        action=events.ROLE_ASSIGNED,
        target=assignment,
        after={"user": user.username, "role": str(assignment.get_role_display()), "node": str(node)},
        area_path=area_path,
        org_path=org_path,
    )
    forget_scopes(user)
    return assignment


@transaction.atomic
def end_role(*, actor: User, assignment: RoleAssignment, on: dt.date | None = None) -> RoleAssignment:
    """End `assignment` on `on` (today by default; it holds until that day begins): the row and
    who granted and ended it stay in the history."""
    if assignment.user_id == actor.pk:
        raise PermissionDenied(_("不能终止自己的角色,请联系上级管理员。"))
    policy.require_grant(actor, assignment.role, assignment.node)
    if not assignment.is_current:
        raise ValidationError(_("该角色已终止。"))
    today = timezone.localdate()
    on = on or today
    if on < timezone.localtime(assignment.created_at).date():
        raise ValidationError({"ended_on": _("终止日期不能早于授予日期。")})
    if on > today + dt.timedelta(days=366):
        raise ValidationError({"ended_on": _("终止日期不能晚于一年之后。")})
    assignment.ended_on, assignment.ended_by, assignment.ended_at = on, actor, timezone.now()
    assignment.save(update_fields=["ended_on", "ended_by", "ended_at"])
    _area, _org, area_path, org_path = _node_paths(assignment.node)
    audit.record(
        actor=actor,
        action=events.ROLE_ENDED,
        target=assignment,
        changes={"user": assignment.user.username, "role": str(assignment.get_role_display()), "ended_on": str(on)},
        area_path=area_path,
        org_path=org_path,
    )
    forget_scopes(assignment.user)
    return assignment


@transaction.atomic
def reset_credentials(*, actor: User, user: User, credential: Credential = Credential.INVITATION) -> Handover:
    """A new one-time password or invitation for `user`; their sessions end and their API tokens
    answer 401 at once."""
    policy.require_manage(actor, user)
    if not user.is_active:
        raise ValidationError(_("该用户已停用,请先重新启用。"))
    user.security_stamp = new_security_stamp()
    user.save(update_fields=["security_stamp"])
    revoke_all_tokens(actor=actor, user=user, note=_("重置密码"))
    handover = _hand_over(actor, user, Credential(credential))
    changes = {"credential": str(Credential(credential))}
    record_user_event(actor=actor, user=user, action=events.PASSWORD_RESET, changes=changes)
    return handover


def open_invitation(key: str) -> Invitation | None:
    """The unused, unexpired invitation with `key` of an active user, or None."""
    if not key or len(key) > 100:
        return None
    return (
        Invitation.objects.select_related("user")
        .filter(
            digest=invitation_digest(key), used_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True
        )
        .first()
    )


@transaction.atomic
def accept_invitation(*, key: str, password: str) -> User:
    """The invited user sets their password with the link; the link then works no more."""
    invitation = open_invitation(key)
    if invitation is None:
        raise ValidationError(_("邀请链接无效、已使用或已过期,请联系管理员重新发送。"))
    user = invitation.user
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.messages}) from None
    set_password(user=user, password=password)
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    record_user_event(actor=user, user=user, action=events.INVITATION_ACCEPTED)
    return user


@transaction.atomic
def set_town_rules(*, actor: User, town: Any, village_secretaries_manage: bool) -> TownAccountSettings:
    """Whether the village secretaries of `town` manage their village's grid workers, centre
    households and volunteers."""
    if not policy.may_set_town_rules(actor, town):
        raise PermissionDenied(policy.NOT_TOWN_RULER)
    rules, _created = TownAccountSettings.objects.get_or_create(town=town)
    before = rules.village_secretaries_manage
    if before != village_secretaries_manage:
        rules.village_secretaries_manage = village_secretaries_manage
        rules.save(update_fields=["village_secretaries_manage", "updated_at"])
        audit.record(
            actor=actor,
            action=events.TOWN_ACCOUNT_RULES,
            target=rules,
            changes={"village_secretaries_manage": [before, village_secretaries_manage]},
            area_path=town.path,
        )
    return rules


def _record_status(actor: User, user: User, *, active: bool) -> None:
    action = events.USER_REACTIVATED if active else events.USER_DEACTIVATED
    record_user_event(actor=actor, user=user, action=action, changes={"is_active": [not active, active]})


@transaction.atomic
def deactivate_user(*, actor: User, user: User) -> User:
    """The user can no longer sign in; their sessions end and their API tokens answer 401 at once."""
    policy.require_manage(actor, user)
    if not user.is_active:
        raise ValidationError(_("该用户已停用。"))
    user.is_active = False
    user.security_stamp = new_security_stamp()
    user.save(update_fields=["is_active", "security_stamp"])
    revoke_all_tokens(actor=actor, user=user, note=_("停用用户"))
    _record_status(actor, user, active=False)
    return user


@transaction.atomic
def reactivate_user(*, actor: User, user: User) -> User:
    """The user may sign in again (with the password they had; their old sessions stay ended)."""
    policy.require_manage(actor, user)
    if user.is_active:
        raise ValidationError(_("该用户未停用。"))
    user.is_active = True
    user.save(update_fields=["is_active"])
    _record_status(actor, user, active=True)
    return user
