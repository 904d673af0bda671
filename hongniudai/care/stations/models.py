"""Service stations (便民服务站) and what they do: the town-kept catalogue of services with each time
limit's history, one station per village or community with its staff, the requests a station
handles (deadline on the working-day calendar, steps, outcome, the resident's satisfaction), and the
mass organisations (群团组织: 工会, 共青团, 妇联) with the activities they take down to villages."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongniudai.common import text
from hongniudai.common.text import LimitedTextField
from hongniudai.governance.interface import Matter
from hongniudai.places.models import AreaNode, Resident

# ---- the catalogue ----------------------------------------------------------------------------


class ServiceItem(models.Model):
    """A service of the town's catalogue (医保参保, 养老保险认证, 证明开具 …) with the time limit in
    working days now in force (`limits` keeps every limit with the days it applied)."""

    area = models.ForeignKey(AreaNode, verbose_name=_("所属镇"), on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)
    name = models.CharField(_("服务事项"), max_length=50)
    description = models.CharField(_("说明"), max_length=255, blank=True)
    time_limit = models.PositiveSmallIntegerField(_("办理时限(工作日)"))
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    # What may change on an item (the time limit changes through `item_set_limit`, with its history).
    EDITABLE = ("name", "description", "is_active", "sort_order")

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("服务事项")
        verbose_name_plural = _("服务事项")
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="care_service_item_name_once")]

    def __str__(self) -> str:
        return self.name


class ServiceItemLimit(models.Model):
    """One time limit of an item, in force from a day until the day before `valid_until` (open while
    in force). A request takes the limit in force on the day it was received."""

    item = models.ForeignKey(ServiceItem, verbose_name=_("服务事项"), on_delete=models.CASCADE, related_name="limits")
    days = models.PositiveSmallIntegerField(_("办理时限(工作日)"))
    valid_from = models.DateField(_("起始日期"))
    valid_until = models.DateField(_("截止日期(不含)"), null=True, blank=True)
    basis = models.CharField(_("依据"), max_length=200, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("办理时限")
        verbose_name_plural = _("办理时限")
        ordering = ["item", "valid_from", "id"]

    def __str__(self) -> str:
        return f"{self.item} · {self.days}"


# ---- stations ---------------------------------------------------------------------------------


class ServiceStation(models.Model):
    """The service station of a village or community (one each): where it is, when it opens, who
    staffs it and which services of the catalogue it offers."""

    village = models.OneToOneField(
        AreaNode, verbose_name=_("村(社区)"), on_delete=models.PROTECT, related_name="service_station"
    )
    area_path = models.CharField(max_length=255, db_index=True, editable=False)
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    opening_hours = models.CharField(_("开放时间"), max_length=100, blank=True, help_text=_("如“工作日 8:30-17:30”"))
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    items = models.ManyToManyField(ServiceItem, verbose_name=_("提供的服务"), blank=True, related_name="stations")
    note = LimitedTextField(_("备注"), blank=True, max_length=text.NOTE)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    EDITABLE = ("name", "address", "opening_hours", "phone", "note")

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("便民服务站")
        verbose_name_plural = _("便民服务站")
        ordering = ["area_path", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stations:station_detail", args=[self.pk])


class StationStaff(models.Model):
    """Someone who staffs a station: a user of the platform, or a named person (phone kept, shown masked)."""

    station = models.ForeignKey(
        ServiceStation, verbose_name=_("服务站"), on_delete=models.CASCADE, related_name="staff"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号"), max_length=11, blank=True)
    duty = models.CharField(_("岗位"), max_length=50, blank=True, help_text=_("如“站长”“代办员”"))

    scope_area_path = "station__area_path"

    class Meta:
        verbose_name = _("服务站工作人员")
        verbose_name_plural = _("服务站工作人员")
        ordering = ["station", "id"]

    def __str__(self) -> str:
        return self.name


# ---- requests ---------------------------------------------------------------------------------


class RequestChannel(models.TextChoices):
    WALK_IN = "walk_in", _("来访")
    PHONE = "phone", _("电话")
    HOME_VISIT = "home_visit", _("上门")
    ONLINE = "online", _("网上")


class RequestStatus(models.TextChoices):
    ACCEPTED = "accepted", _("已受理")
    IN_PROGRESS = "in_progress", _("办理中")
    CLOSED = "closed", _("已办结")


class RequestOutcome(models.TextChoices):
    DONE = "done", _("办结")
    REFUSED = "refused", _("不予办理")
    REFERRED = "referred", _("转办")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


OPEN_STATUSES = (RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS)
# What the audit records of a request hold (`services`).
REQUEST_FIELDS = (
    "station",
    "resident",
    "person_name",
    "item",
    "channel",
    "home_service",
    "handler",
    "received_at",
    "limit_days",
    "deadline",
    "status",
    "outcome",
    "completed_at",
    "satisfaction",
    "matter",
)


class ServiceRequest(models.Model):
    """A request a station received: who (a registered resident, or a name and phone), which service,
    how it came, its deadline (received + the item's limit then, in working days), who handles it,
    its steps, outcome and the resident's satisfaction; and the matter it became, if it did."""

    station = models.ForeignKey(
        ServiceStation, verbose_name=_("服务站"), on_delete=models.PROTECT, related_name="requests"
    )
    village = models.ForeignKey(AreaNode, verbose_name=_("村(社区)"), on_delete=models.PROTECT, related_name="+")
    # The resident's hamlet, or the station's village for someone not registered.
    area_path = models.CharField(max_length=255, db_index=True, editable=False)
    resident = models.ForeignKey(
        Resident, verbose_name=_("居民"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person_name = models.CharField(_("姓名"), max_length=50, blank=True, help_text=_("未登记在册的群众填写"))
    person_phone = models.CharField(_("联系电话"), max_length=11, blank=True)
    item = models.ForeignKey(ServiceItem, verbose_name=_("服务事项"), on_delete=models.PROTECT, related_name="requests")
    channel = models.CharField(_("受理渠道"), max_length=20, choices=RequestChannel.choices)
    home_service = models.BooleanField(_("上门服务"), default=False, help_text=_("为老年人、残疾人等上门办理"))
    description = LimitedTextField(_("诉求内容"), blank=True, max_length=text.NOTE)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    received_at = models.DateTimeField(_("受理时间"), db_index=True)
    limit_days = models.PositiveSmallIntegerField(_("办理时限(工作日)"))
    deadline = models.DateTimeField(_("办理期限"), db_index=True)
    status = models.CharField(_("状态"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.ACCEPTED)
    outcome = models.CharField(_("办理结果"), max_length=20, choices=RequestOutcome.choices, blank=True)
    outcome_note = LimitedTextField(_("结果说明"), blank=True, max_length=text.NOTE)
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=20, choices=Satisfaction.choices, blank=True)
    matter = models.ForeignKey(
        Matter, verbose_name=_("转为事项"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("服务申请")
        verbose_name_plural = _("服务申请")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["station", "received_at"], name="care_request_station_day"),
            # The requests list's order: a county's quarter is read newest first a page at a time.
            models.Index(fields=["-received_at", "-id"], name="care_request_list_order"),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.received_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("stations:request_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class StepKind(models.TextChoices):
    ACCEPTED = "accepted", _("受理")
    IN_PROGRESS = "in_progress", _("办理")
    NOTE = "note", _("备注")
    DONE = "done", _("办结")
    REFUSED = "refused", _("不予办理")
    REFERRED = "referred", _("转办")
    TO_MATTER = "to_matter", _("转为矛盾纠纷/隐患")
    RATED = "rated", _("满意度评价")


class RequestStep(models.Model):
    """One line of a request's timeline: accepted, in progress, a note, done …"""

    request = models.ForeignKey(
        ServiceRequest, verbose_name=_("服务申请"), on_delete=models.CASCADE, related_name="steps"
    )
    kind = models.CharField(_("环节"), max_length=20, choices=StepKind.choices)
    note = LimitedTextField(_("说明"), blank=True, max_length=text.NOTE)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("时间"))

    scope_area_path = "request__area_path"

    class Meta:
        verbose_name = _("办理环节")
        verbose_name_plural = _("办理环节")
        ordering = ["request", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.at:%Y-%m-%d %H:%M}"


class RequestReminder(models.Model):
    """That a request's handlers were told it is overdue on a day: at most once a day per request."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "day"], name="care_request_reminded_once_a_day")]

    def __str__(self) -> str:
        return f"{self.request_id} · {self.day}"


# ---- mass organisations -----------------------------------------------------------------------


class MassOrgKind(models.TextChoices):
    TRADE_UNION = "trade_union", _("工会")
    YOUTH_LEAGUE = "youth_league", _("共青团")
    WOMENS_FEDERATION = "womens_federation", _("妇联")


class MassOrg(models.Model):
    """A mass organisation at town or village level (镇总工会, 徐桥村妇联 …)."""

    kind = models.CharField(_("类别"), max_length=20, choices=MassOrgKind.choices)
    area = models.ForeignKey(AreaNode, verbose_name=_("所在镇(村)"), on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)
    name = models.CharField(_("名称"), max_length=100)
    leader = models.CharField(_("负责人"), max_length=50, blank=True)
    note = LimitedTextField(_("备注"), blank=True, max_length=text.NOTE)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    EDITABLE = ("name", "leader", "note")

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("群团组织")
        verbose_name_plural = _("群团组织")
        ordering = ["area_path", "kind", "id"]
        constraints = [models.UniqueConstraint(fields=["kind", "area"], name="care_mass_org_once_per_area")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stations:org_detail", args=[self.pk])


class MassActivity(models.Model):
    """An activity or service a mass organisation held (in a village, at a station or elsewhere):
    when, where, what, how many took part and, optionally, who."""

    org = models.ForeignKey(MassOrg, verbose_name=_("群团组织"), on_delete=models.PROTECT, related_name="activities")
    # Where it was held: the station's village, else the organisation's village (none for a town
    # organisation's activity held nowhere in particular).
    village = models.ForeignKey(
        AreaNode, verbose_name=_("村(社区)"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    area_path = models.CharField(max_length=255, db_index=True, editable=False)
    held_on = models.DateField(_("活动日期"), db_index=True)
    place = models.CharField(_("活动地点"), max_length=200, blank=True)
    station = models.ForeignKey(
        ServiceStation,
        verbose_name=_("服务站"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    title = models.CharField(_("活动名称"), max_length=100)
    description = LimitedTextField(_("活动内容"), blank=True, max_length=text.TEXT)
    participant_count = models.PositiveIntegerField(_("参加人数"), default=0)
    participants = models.ManyToManyField(Resident, verbose_name=_("参加居民"), blank=True, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    EDITABLE = ("held_on", "place", "station", "title", "description", "participant_count")

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("群团活动")
        verbose_name_plural = _("群团活动")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("stations:activity_detail", args=[self.pk])


class ActivityPhoto(models.Model):
    """A photo of an activity, checked by its contents and kept under a random name with its sha256."""

    activity = models.ForeignKey(MassActivity, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="activities/%Y/%m/", max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    scope_area_path = "activity__area_path"

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


__all__ = [
    "ActivityPhoto",
    "MassActivity",
    "MassOrg",
    "RequestReminder",
    "RequestStep",
    "ServiceItem",
    "ServiceItemLimit",
    "ServiceRequest",
    "ServiceStation",
    "StationStaff",
]
