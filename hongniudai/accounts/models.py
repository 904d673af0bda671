"""Users and their role assignments. An assignment names one node of the area tree or of the
party-organisation tree; the user sees that node's subtree (see `scope.py`)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


def new_security_stamp() -> str:
    return secrets.token_hex(16)


class User(AbstractUser):
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=11, blank=True)
    # Part of every session's check (`get_session_auth_hash`): a new stamp ends every session of the
    # user at once (signing out elsewhere, deactivation, a password reset), without finding them.
    security_stamp = models.CharField(max_length=32, default=new_security_stamp, editable=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    must_change_password = models.BooleanField(_("须修改密码"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    def get_session_auth_hash(self) -> str:
        """Django checks this against the session on every request: it changes with the password
        (as Django's own does) and with the security stamp."""
        return salted_hmac(
            "hongniudai.accounts.User.get_session_auth_hash",
            f"{self.password}:{self.security_stamp}",
            algorithm="sha256",
        ).hexdigest()


class PasswordHistory(models.Model):
    """The hashes of a user's earlier passwords, so a new one may not repeat the last few."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class ApiToken(models.Model):
    """An API token: only a digest of the key is stored; each token expires. The device is what
    the client said it is (or its User-Agent); `last_used_at` is kept to the minute."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("令牌前缀"), max_length=8)
    device = models.CharField(_("设备"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"), db_index=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        db_table = "api_apitoken"  # the table the API package created; the model moved here
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.prefix}…"


class Role(models.TextChoices):
    TOWN_ADMIN = "town_admin", _("镇管理员")
    DISTRICT_SECRETARY = "district_secretary", _("片区书记")
    VILLAGE_SECRETARY = "village_secretary", _("村党支部书记")
    GRID_WORKER = "grid_worker", _("网格员")
    SENT_DOWN_CADRE = "sent_down_cadre", _("下沉干部")
    CENTRE_HOUSEHOLD = "centre_household", _("党员中心户")
    INSTRUCTOR = "instructor", _("党建指导员")
    LEGAL_ADVISER = "legal_adviser", _("法律顾问")
    VOLUNTEER = "volunteer", _("志愿者")
    VILLAGE_ACCOUNTANT = "village_accountant", _("村会计")
    RURAL_ECONOMY_OFFICER = "rural_economy_officer", _("镇农经员")
    PROJECT_CADRE = "project_cadre", _("包联干部")


class CurrentAssignments(models.Manager["RoleAssignment"]):
    """The assignments in force today (Asia/Shanghai): not ended, or ending on a later date. Every
    scope is computed from these; `RoleAssignment.history` keeps the ended ones too."""

    def get_queryset(self) -> models.QuerySet[RoleAssignment]:
        today = timezone.localdate()
        return super().get_queryset().filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))


class RoleAssignment(models.Model):
    """A role on one node. Ending it keeps the row (who granted it, who ended it, when): the history
    of who could do what where stays readable."""

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    area = models.ForeignKey(
        "places.AreaNode",
        verbose_name=_("地区"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    org = models.ForeignKey(
        "party.PartyOrg",
        verbose_name=_("党组织"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    granted_by = models.ForeignKey(
        User, verbose_name=_("授予人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_on = models.DateField(_("终止日期"), null=True, blank=True, db_index=True)
    ended_by = models.ForeignKey(
        User, verbose_name=_("终止人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_at = models.DateTimeField(_("终止操作时间"), null=True, blank=True)

    scope_area_path = ("area__path", "org__area__path")
    scope_org_path = "org__path"

    objects = CurrentAssignments()
    history: models.Manager[RoleAssignment] = models.Manager()

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        default_manager_name = "objects"
        base_manager_name = "history"
        constraints = [
            models.CheckConstraint(
                condition=(Q(area__isnull=False) & Q(org__isnull=True)) | (Q(area__isnull=True) & Q(org__isnull=False)),
                name="assignment_names_one_node",
            ),
            # One unended assignment of a role on a node per user (NULLs never collide, so one per tree).
            models.UniqueConstraint(
                fields=["user", "role", "area"],
                condition=Q(ended_on__isnull=True, org__isnull=True),
                name="assignment_open_area_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "org"],
                condition=Q(ended_on__isnull=True, area__isnull=True),
                name="assignment_open_org_unique",
            ),
        ]

    def __str__(self) -> str:
        node = self.area or self.org
        return f"{self.get_role_display()} · {node}"

    @property
    def node(self) -> models.Model:
        return self.area or self.org  # type: ignore[return-value]

    @property
    def is_current(self) -> bool:
        return self.ended_on is None or self.ended_on > timezone.localdate()


class TownAccountSettings(models.Model):
    """What a town decides about its accounts: whether its village secretaries may manage the accounts
    of their own village's grid workers, centre households and volunteers (`accounts.policy`)."""

    town = models.OneToOneField(
        "places.AreaNode", verbose_name=_("镇"), on_delete=models.CASCADE, related_name="account_settings"
    )
    village_secretaries_manage = models.BooleanField(
        _("村党支部书记可管理本村网格员、党员中心户和志愿者账号"), default=False
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    scope_area_path = "town__path"

    class Meta:
        verbose_name = _("镇账号设置")
        verbose_name_plural = _("镇账号设置")

    def __str__(self) -> str:
        return str(self.town)


class Invitation(models.Model):
    """A one-time link with which a new user (or one whose password was reset) sets their own
    password. Only a digest of the link's key is stored; it works once, before it expires."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("邀请链接")
        verbose_name_plural = _("邀请链接")

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"
