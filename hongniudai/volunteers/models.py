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

    EDITABLE = ("name", "leader", "note")

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("志愿服务队")
        verbose_name_plural = _("志愿服务队")
        ordering = ["area_path", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="volunteer_team_unique_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("volunteers:team_detail", args=[self.pk])


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
    # The private calendar feed: only the digest of its token is kept (blank: no feed, or revoked).
    feed_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    feed_issued_at = models.DateTimeField(_("日历订阅地址生成时间"), null=True, blank=True, editable=False)

    # What may change on a volunteer (the area and the resident stay as registered).
    EDITABLE = ("name", "phone", "skills", "team", "joined_on", "note")

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


class TaskKind(models.TextChoices):
    SOUP_ROUND = "soup_round", _("爱心汤")
    PATROL_SHIFT = "patrol_shift", _("夜间巡逻")
    ACTIVITY = "activity", _("志愿活动")
    OTHER = "other", _("其他")


class VolunteerTask(models.Model):
    """A task volunteers serve on (志愿任务): a soup round, a patrol shift, an activity …, at a place
    from a time to a time, organised by a user, needing a number of volunteers. A soup round or a
    patrol shift may own its task (`source`, generic: the owning package keeps the link)."""

    area = models.ForeignKey(AreaNode, verbose_name=_("所属地区"), on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField(_("任务类型"), max_length=20, choices=TaskKind.choices)
    title = models.CharField(_("任务名称"), max_length=100)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("组织人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    needed = models.PositiveSmallIntegerField(_("需要人数"), default=1)
    source_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    note = LimitedTextField(_("说明"), blank=True, max_length=text.NOTE)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    EDITABLE = ("kind", "title", "starts_at", "ends_at", "place", "needed", "note")

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("志愿任务")
        verbose_name_plural = _("志愿任务")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["source_type", "source_id"], name="volunteer_task_source")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("volunteers:task_detail", args=[self.pk])


class ParticipationStatus(models.TextChoices):
    REQUESTED = "requested", _("报名")
    CONFIRMED = "confirmed", _("已确认")
    DONE = "done", _("已完成")
    DECLINED = "declined", _("已谢绝")


class Participation(models.Model):
    """A volunteer on a task: requested (报名) → confirmed (已确认) → done (已完成), or declined
    (已谢绝); who made each change and when is kept on the row."""

    task = models.ForeignKey(
        VolunteerTask, verbose_name=_("任务"), on_delete=models.PROTECT, related_name="participations"
    )
    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="participations"
    )
    area_path = models.CharField(max_length=255, db_index=True, editable=False)  # the task's
    status = models.CharField(
        _("状态"), max_length=20, choices=ParticipationStatus.choices, default=ParticipationStatus.REQUESTED
    )
    requested_at = models.DateTimeField(_("报名时间"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    declined_at = models.DateTimeField(_("谢绝时间"), null=True, blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decline_reason = models.CharField(_("谢绝原因"), max_length=200, blank=True)

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("任务参与")
        verbose_name_plural = _("任务参与")
        ordering = ["task", "id"]
        constraints = [models.UniqueConstraint(fields=["task", "volunteer"], name="volunteer_participation_once")]

    def __str__(self) -> str:
        return f"{self.task} · {self.volunteer}"

    def get_absolute_url(self) -> str:
        return reverse("volunteers:task_detail", args=[self.task_id]) + f"#participation-{self.pk}"


class HoursStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("未通过")


class ServiceHours(models.Model):
    """Hours of service (服务时长) logged for one participation on one day, by the volunteer or by
    staff for them, and confirmed or rejected (with a reason) by the organiser — never by the
    volunteer themselves. Only confirmed hours count."""

    participation = models.ForeignKey(
        Participation, verbose_name=_("任务参与"), on_delete=models.PROTECT, related_name="hours"
    )
    volunteer = models.ForeignKey(Volunteer, verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="hours")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)  # the task's
    day = models.DateField(_("服务日期"))
    hours = models.DecimalField(_("时长(小时)"), max_digits=4, decimal_places=1)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=HoursStatus.choices, default=HoursStatus.PENDING)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    logged_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reason = models.CharField(_("未通过原因"), max_length=200, blank=True)

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("服务时长")
        verbose_name_plural = _("服务时长")
        ordering = ["-day", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0) & models.Q(hours__lte=24), name="volunteer_hours_in_a_day"
            )
        ]
        indexes = [models.Index(fields=["volunteer", "status", "day"], name="volunteer_hours_by_year")]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.day:%Y-%m-%d} · {self.hours}"

    def get_absolute_url(self) -> str:
        return reverse("volunteers:task_detail", args=[self.participation.task_id]) + f"#hours-{self.pk}"


class VolunteerYear(models.Model):
    """Rollup: one volunteer's year — confirmed hours served on days of the year, and tasks
    starting in the year (local time) whose participation is done — as `selectors.ranking` and
    the volunteer list count them. Kept true by the services (`rollups.refresh`) and rebuilt by
    `rollups.rebuild`; `area_path` is the volunteer's, so that a subtree's top volunteers of a
    year are read without scanning the hours."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="years")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)
    year = models.PositiveSmallIntegerField()
    hours = models.DecimalField(max_digits=8, decimal_places=1, default=0)
    tasks = models.PositiveIntegerField(default=0)

    scope_area_path = "area_path"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["volunteer", "year"], name="volunteer_year_once")]
        indexes = [models.Index("year", models.F("hours").desc(), name="volunteer_year_by_hours")]

    def __str__(self) -> str:
        return f"{self.volunteer_id} {self.year}: {self.hours}"
