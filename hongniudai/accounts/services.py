"""Writes for users, role assignments and logins."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.audit import actions as audit_actions
from hongniudai.audit import services as audit
from hongniudai.audit.models import AuditEvent

from . import events
from .models import Role, RoleAssignment, User

USER_FIELDS = ("username", "display_name", "is_active")


class LoginLocked(Exception):
    def __init__(self, until: dt.datetime) -> None:
        super().__init__(until)
        self.until = until


def recent_failures(username: str, *, now: dt.datetime | None = None) -> list[dt.datetime]:
    now = now or timezone.now()
    since = now - dt.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    last_success = (
        AuditEvent.objects.filter(action=audit_actions.LOGIN, target_type="accounts.user", target_repr=username)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    if last_success and last_success > since:
        since = last_success
    return list(
        AuditEvent.objects.filter(
            action=audit_actions.LOGIN_FAILED, target_type="accounts.user", target_repr=username, at__gt=since
        ).values_list("at", flat=True)
    )


def locked_until(username: str) -> dt.datetime | None:
    failures = recent_failures(username)
    if len(failures) >= settings.LOGIN_MAX_FAILURES:
        return max(failures) + dt.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    return None


def home_paths(user: User | None) -> tuple[str, str]:
    """Where a user hangs for the audit view: the node of their first role assignment."""
    if user is None:
        return "", ""
    row = RoleAssignment.objects.filter(user=user).values_list("area__path", "org__path").order_by("id").first()
    if row is None:
        return "", ""
    return row[0] or "", row[1] or ""


def record_user_event(*, actor: User | None, user: User, action: Any, changes: dict[str, Any] | None = None) -> None:
    """An audit record about `user`'s account, filed where the user hangs (`home_paths`), so that
    whoever audits that node sees it."""
    area_path, org_path = home_paths(user)
    audit.record(
        actor=actor,
        action=action,
        target=user,
        target_repr=user.username,
        changes=changes,
        area_path=area_path,
        org_path=org_path,
    )


def login_attempt(*, request: HttpRequest | None, username: str, password: str) -> User | None:
    """Check the credentials; record success or failure; refuse while the account is locked."""
    username = username.strip()
    until = locked_until(username)
    if until is not None:
        raise LoginLocked(until)
    authenticated = authenticate(request, username=username, password=password)
    user = authenticated if isinstance(authenticated, User) else None
    with transaction.atomic():
        if user is None:
            area_path, org_path = home_paths(User.objects.filter(username=username).first())
            audit.record(
                actor=None,
                action=audit_actions.LOGIN_FAILED,
                target_type="accounts.user",
                target_repr=username,
                area_path=area_path,
                org_path=org_path,
            )
            return None
        record_user_event(actor=user, user=user, action=audit_actions.LOGIN)
    return user


@transaction.atomic
def create_user(
    *,
    actor: User | None,
    username: str,
    password: str | None,
    display_name: str = "",
    is_superuser: bool = False,
    check_password: bool = True,
) -> User:
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("用户名已存在。")})
    user = User(username=username, display_name=display_name, is_superuser=is_superuser, is_staff=is_superuser)
    if password:
        if check_password:
            validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit.record_create(actor=actor, action=events.USER_CREATED, target=user, after=audit.snapshot(user, USER_FIELDS))
    return user


@transaction.atomic
def assign_role(
    *, actor: User | None, user: User, role: Role | str, area: Any = None, org: Any = None
) -> RoleAssignment:
    """The platform's own way to give `user` `role` over one area node or one party organisation
    (the demo, `create_admin`, a service that keeps a role in step with its record): unchecked and
    idempotent. A person grants a role through `services_users.grant_role`, which asks the policy."""
    if (area is None) == (org is None):
        raise ValidationError(_("角色分配必须且只能指定一个地区或一个党组织。"))
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, area=area, org=org, defaults={"granted_by": actor if actor and actor.pk else None}
    )
    if created:
        audit.record_create(
            actor=actor,
            action=events.ROLE_ASSIGNED,
            target=assignment,
            after={"user": user.username, "role": str(assignment.get_role_display()), "node": str(area or org)},
            area_path=area.path if area is not None else "",
            org_path=org.path if org is not None else "",
        )
    return assignment
