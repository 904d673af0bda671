"""Users and their role assignments. An assignment names one node of the area tree or of the
party-organisation tree; the user sees that node's subtree (see `scope.py`)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=11, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username


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


class RoleAssignment(models.Model):
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

    scope_area_path = "area__path"
    scope_org_path = "org__path"

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        constraints = [
            models.CheckConstraint(
                condition=(Q(area__isnull=False) & Q(org__isnull=True)) | (Q(area__isnull=True) & Q(org__isnull=False)),
                name="assignment_names_one_node",
            ),
            models.UniqueConstraint(fields=["user", "role", "area", "org"], name="assignment_unique"),
        ]

    def __str__(self) -> str:
        node = self.area or self.org
        return f"{self.get_role_display()} · {node}"
