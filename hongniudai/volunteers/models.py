"""Volunteers (志愿者) and their teams. A volunteer serves under one area node (a village, or the
town for the town's own teams); a resident of the area is linked, someone from outside is named
and reached by phone. A volunteer who signs in has a user account linked here, and sees their own
tasks and nothing else. Shared by resident services (soup rounds, activities) and the watch
(night patrols), through `volunteers.interface`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongniudai.common import text
from hongniudai.common.text import LimitedTextField
from hongniudai.places.models import AreaNode, Resident


class VolunteerTeam(models.Model):
    """A team of volunteers (志愿服务队) of a village or of the town: a soup team, a patrol team …"""

    area = models.ForeignKey(AreaNode, verbose_name=_("所属地区"), on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)
    name = models.CharField(_("队名"), max_length=100)
    leader = models.ForeignKey(
        "Volunteer", verbose_name=_("队长"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = LimitedTextField(_("备注"), blank=True, max_length=text.NOTE)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("志愿服务队")
        verbose_name_plural = _("志愿服务队")
        ordering = ["area_path", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="volunteer_team_unique_name")]

    def __str__(self) -> str:
        return self.name


class Volunteer(models.Model):
    """A registered volunteer: a resident of the area, or someone from outside it (name and phone)."""

    area = models.ForeignKey(AreaNode, verbose_name=_("所属地区"), on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)
    resident = models.ForeignKey(
        Resident,
        verbose_name=_("居民"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="volunteer_records",
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号"), max_length=11, blank=True)
    skills = models.CharField(_("技能特长"), max_length=200, blank=True)
    team = models.ForeignKey(
        VolunteerTeam,
        verbose_name=_("服务队"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer",
    )
    joined_on = models.DateField(_("注册日期"))
    is_active = models.BooleanField(_("在册"), default=True)
    note = LimitedTextField(_("备注"), blank=True, max_length=text.NOTE)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")
        ordering = ["area_path", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "resident"],
                condition=models.Q(resident__isnull=False),
                name="volunteer_unique_resident_per_area",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("volunteers:volunteer_detail", args=[self.pk])
