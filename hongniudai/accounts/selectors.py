"""Reads of accounts: a user's own account page, whether they must choose a new password, and the
users an administrator manages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from hongniudai.common import parsing
from hongniudai.common.identity import mask_phone

from . import policy
from .models import ApiToken, RoleAssignment, User


@dataclass(frozen=True)
class MyAccount:
    user: User
    masked_phone: str
    roles: list[RoleAssignment]
    tokens: list[ApiToken]


def my_tokens(user: User) -> QuerySet[ApiToken]:
    """The user's tokens that still work, newest first."""
    return ApiToken.objects.filter(user=user, expires_at__gt=timezone.now()).order_by("-created_at", "-id")


def my_token(user: User, pk: int) -> ApiToken | None:
    """One of the user's own tokens (None for anyone else's, or a number that is no id)."""
    if not 1 <= pk <= parsing.MAX_ID:
        return None
    return ApiToken.objects.filter(user=user, pk=pk).first()


def my_roles(user: User) -> list[RoleAssignment]:
    return list(RoleAssignment.objects.filter(user=user).select_related("area", "org").order_by("id"))


def my_account(user: User) -> MyAccount:
    return MyAccount(
        user=user,
        masked_phone=mask_phone(user.phone) if user.phone else "",
        roles=my_roles(user),
        tokens=list(my_tokens(user)),
    )


def password_expired(user: User, *, now: dt.datetime | None = None) -> bool:
    """Whether the user's password is older than PASSWORD_MAX_AGE_DAYS (never, when that is 0)."""
    days = settings.PASSWORD_MAX_AGE_DAYS
    if days <= 0:
        return False
    since = user.password_changed_at or user.date_joined
    return (now or timezone.now()) - since > dt.timedelta(days=days)


def must_choose_password(user: User) -> bool:
    """A first password given by an administrator, or an expired one: the next page is the change."""
    return bool(user.must_change_password) or password_expired(user)


def managed_users(user: User, *, q: str = "", active: bool | None = None, with_roles: bool = True) -> QuerySet[User]:
    """The users with a role assignment (current or ended) in `user`'s account-management reach
    (`policy.managed_assignments_q`; one is enough), by username; `q` searches the username, the
    name and the phone, `active` keeps active or deactivated ones. Each carries its current roles
    (`assignments`, with their nodes) unless `with_roles` is False (a page that names them reads
    `users.selectors.current_roles`)."""
    if not policy.may_administer(user):
        return User.objects.none()
    qs = User.objects.all()
    if not user.is_superuser:
        reach = RoleAssignment.history.filter(policy.managed_assignments_q(user))
        qs = qs.filter(pk__in=reach.values("user_id"))
    q = " ".join((q or "").split())[:50]
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(display_name__icontains=q) | Q(phone=q))
    if active is not None:
        qs = qs.filter(is_active=active)
    qs = qs.order_by("username", "id")
    if not with_roles:
        return qs
    roles = RoleAssignment.objects.select_related("area", "org").order_by("id")
    return qs.prefetch_related(Prefetch("assignments", queryset=roles))


def role_history(user: User) -> list[RoleAssignment]:
    """Every role `user` held or holds, newest first, with who granted and who ended it."""
    return list(
        RoleAssignment.history.filter(user=user)
        .select_related("area", "org", "granted_by", "ended_by")
        .order_by("-created_at", "-id")
    )


def managed_assignment(user: User, pk: int) -> RoleAssignment:
    """One role assignment of a user `user` manages, else 404."""
    if not 1 <= pk <= parsing.MAX_ID:
        raise Http404
    found = RoleAssignment.history.select_related("user", "area", "org").filter(pk=pk).first()
    if found is None or not (user.is_superuser or managed_users(user).filter(pk=found.user_id).exists()):
        raise Http404
    return found


def managed_user(user: User, pk: int) -> User:
    """One user of `managed_users`, else 404 (the same for missing and out of scope)."""
    if not 1 <= pk <= parsing.MAX_ID:
        raise Http404
    found = managed_users(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
