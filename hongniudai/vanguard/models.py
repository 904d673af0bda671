"""Vanguard posts (党员先锋岗) and party activities (车间党日, 党员夜校, 技能比武 …), linked to
branches and, where relevant, to enterprises."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hongniudai.common import text
from hongniudai.common.text import LimitedTextField
from hongniudai.enterprises.interface import Enterprise
from hongniudai.party.models import Member, PartyOrg


class PostPlace(models.TextChoices):
    WORKSHOP = "workshop", _("车间")
    PROJECT = "project", _("项目")
    SERVICE_WINDOW = "service_window", _("服务窗口")
    OTHER = "other", _("其他")


class VanguardPost(models.Model):
    member = models.ForeignKey(Member, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="vanguard_posts")
    org = models.ForeignKey(
        PartyOrg,
        verbose_name=_("党支部"),
        on_delete=models.PROTECT,
        related_name="vanguard_posts",
        help_text=_("设岗时党员所在的党支部"),
    )
    title = models.CharField(_("岗位名称"), max_length=100)
    place_kind = models.CharField(_("岗位所在"), max_length=20, choices=PostPlace.choices, default=PostPlace.WORKSHOP)
    place_name = models.CharField(_("车间或项目"), max_length=100)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("企业"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="vanguard_posts",
    )
    commitment = LimitedTextField(_("承诺与职责"), blank=True, max_length=text.NOTE)
    since = models.DateField(_("设岗日期"))
    until = models.DateField(_("撤岗日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    # What may change on a post (its member and branch stay as set up).
    EDITABLE = ("title", "place_kind", "place_name", "enterprise", "commitment", "since", "until")

    scope_area_path = "org__area__path"
    scope_org_path = "org__path"

    class Meta:
        verbose_name = _("党员先锋岗")
        verbose_name_plural = _("党员先锋岗")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class ActivityKind(models.TextChoices):
    WORKSHOP_PARTY_DAY = "workshop_party_day", _("车间党日")
    NIGHT_CLASS = "night_class", _("党员夜校")
    SKILL_CONTEST = "skill_contest", _("技能比武")
    VOLUNTEER_SERVICE = "volunteer_service", _("志愿服务")
    OTHER = "other", _("其他")


class Activity(models.Model):
    kind = models.CharField(_("活动类型"), max_length=30, choices=ActivityKind.choices)
    title = models.CharField(_("活动名称"), max_length=200)
    held_on = models.DateField(_("日期"), db_index=True)
    org = models.ForeignKey(PartyOrg, verbose_name=_("组织党支部"), on_delete=models.PROTECT, related_name="activities")
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("企业"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    place = models.CharField(_("地点"), max_length=100, blank=True)
    description = LimitedTextField(_("活动内容"), blank=True, max_length=text.TEXT)
    participants = models.ManyToManyField(Member, verbose_name=_("参加党员"), blank=True, related_name="activities")
    other_participants = models.PositiveIntegerField(_("其他参加人数"), default=0, help_text=_("群众、职工等非党员"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    # What may change on an activity; the participants (a many-to-many) are set beside these.
    EDITABLE = ("kind", "title", "held_on", "org", "enterprise", "place", "description", "other_participants")

    scope_area_path = "org__area__path"
    scope_org_path = "org__path"

    class Meta:
        verbose_name = _("党建活动")
        verbose_name_plural = _("党建活动")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title
