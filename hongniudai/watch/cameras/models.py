"""The camera net: each camera hangs at its grid; a camera platform posts alerts with a key issued by
a town administrator (only its digest is kept); the town's table of alert kinds says which matter
category an alert raises and whether a person must confirm it first."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongniudai.common import text
from hongniudai.common.keys import key_digest
from hongniudai.common.text import LimitedTextField
from hongniudai.governance.interface import Category, Matter
from hongniudai.places.models import AreaNode


class CameraKind(models.TextChoices):
    BULLET = "bullet", _("枪机")
    DOME = "dome", _("球机")
    FACE = "face", _("人脸卡口")
    VEHICLE = "vehicle", _("车辆卡口")
    OTHER = "other", _("其他")


class CameraOwner(models.TextChoices):
    POLICE = "police", _("公安")
    TOWN = "town", _("镇综治")
    VILLAGE = "village", _("村委")
    ENTERPRISE = "enterprise", _("企业")
    PERSONAL = "personal", _("个人")
    OTHER = "other", _("其他")


class CameraStatus(models.TextChoices):
    WORKING = "working", _("正常")
    FAULTY = "faulty", _("故障")
    OFFLINE = "offline", _("离线")
    REMOVED = "removed", _("已撤除")


class Camera(models.Model):
    """A camera of the town's net (雪亮工程), registered at its grid. Its stream address is private:
    never in a list, an export, an API list or an audit row; shown, masked, on its own page only."""

    town = models.ForeignKey(AreaNode, verbose_name=_("镇"), on_delete=models.PROTECT, related_name="+")
    grid = models.ForeignKey(
        AreaNode, verbose_name=_("村组(网格)"), on_delete=models.PROTECT, related_name="watch_cameras"
    )
    area_path = models.CharField(max_length=255, db_index=True, editable=False)  # the grid's
    code = models.CharField(_("编号"), max_length=50, help_text=_("平台中的设备编号,全镇唯一"))
    name = models.CharField(_("名称"), max_length=100)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6)
    lng = models.DecimalField(_("经度"), max_digits=9, decimal_places=6)
    kind = models.CharField(_("类型"), max_length=20, choices=CameraKind.choices, default=CameraKind.BULLET)
    owner = models.CharField(_("权属"), max_length=20, choices=CameraOwner.choices, default=CameraOwner.TOWN)
    status = models.CharField(_("状态"), max_length=20, choices=CameraStatus.choices, default=CameraStatus.WORKING)
    stream_url = models.CharField(_("视频流地址"), max_length=500, blank=True)
    last_seen_at = models.DateTimeField(_("最近在线"), null=True, blank=True)
    note = LimitedTextField(_("备注"), blank=True, max_length=text.NOTE)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    # What may change on a camera; the audit snapshot leaves the stream address out (PRIVATE).
    EDITABLE = ("code", "name", "lat", "lng", "kind", "owner", "status", "stream_url", "note")
    AUDITED = ("grid", "code", "name", "lat", "lng", "kind", "owner", "status", "note")

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("摄像机")
        verbose_name_plural = _("摄像机")
        ordering = ["area_path", "code"]
        constraints = [models.UniqueConstraint(fields=["town", "code"], name="watch_camera_code_unique_in_town")]

    def __str__(self) -> str:
        return f"{self.name}({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("cameras:camera_detail", args=[self.pk])


def platform_key_digest(key: str) -> str:
    """The sha256 digest under which a camera platform's key is kept (the key itself never is)."""
    return key_digest(key)


class CameraPlatformKey(models.Model):
    """A key issued by a town administrator to a camera platform; only its digest is kept."""

    town = models.ForeignKey(AreaNode, verbose_name=_("镇"), on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)  # the town's
    name = models.CharField(_("平台名称"), max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("视频平台密钥")
        verbose_name_plural = _("视频平台密钥")
        ordering = ["area_path", "-issued_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class AlertKindRule(models.Model):
    """One row of the town's table of alert kinds: the kind code a platform sends, its label, the
    matter category it raises, and whether a grid worker must confirm it first (先确认后立案)."""

    town = models.ForeignKey(AreaNode, verbose_name=_("镇"), on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)  # the town's
    code = models.SlugField(_("报警类型代码"), max_length=40)
    label = models.CharField(_("名称"), max_length=50)
    category = models.ForeignKey(Category, verbose_name=_("事项类别"), on_delete=models.PROTECT, related_name="+")
    confirm_first = models.BooleanField(
        _("先确认"), default=False, help_text=_("勾选后,该类报警先进入待确认队列,由网格员确认后才立为事项")
    )
    attributes = models.JSONField(
        _("附加信息"),
        default=dict,
        blank=True,
        help_text=_('立案时填入事项类别附加问题的答案,如 {"burning_now": "yes"}'),
    )
    is_active = models.BooleanField(_("启用"), default=True)

    EDITABLE = ("label", "category", "confirm_first", "attributes", "is_active")

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("报警类型")
        verbose_name_plural = _("报警类型")
        ordering = ["area_path", "code"]
        constraints = [models.UniqueConstraint(fields=["town", "code"], name="watch_alert_kind_unique_in_town")]

    def __str__(self) -> str:
        return f"{self.label}({self.code})"


class PendingStatus(models.TextChoices):
    WAITING = "waiting", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    DISMISSED = "dismissed", _("已排除")


class PendingAlert(models.Model):
    """An alert of a "confirm first" kind, waiting for a grid worker: confirmed, it becomes a matter
    (its deadline counted from the confirmation); dismissed, it stays here with the reason."""

    camera = models.ForeignKey(Camera, verbose_name=_("摄像机"), on_delete=models.PROTECT, related_name="pending")
    rule = models.ForeignKey(AlertKindRule, verbose_name=_("报警类型"), on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)  # the camera's grid
    occurred_at = models.DateTimeField(_("报警时间"))
    note = models.CharField(_("平台备注"), max_length=500, blank=True)
    snapshot = models.FileField(_("抓拍"), upload_to="watch/pending/%Y/%m/", blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=PendingStatus.choices, default=PendingStatus.WAITING)
    matter = models.ForeignKey(
        Matter, verbose_name=_("事项"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    dismiss_reason = models.CharField(_("排除理由"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("收到时间"), auto_now_add=True)

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("待确认报警")
        verbose_name_plural = _("待确认报警")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["status", "area_path"], name="watch_pending_status_area")]

    def __str__(self) -> str:
        return f"{self.rule.label} · {self.camera.name}"

    def get_absolute_url(self) -> str:
        return reverse("cameras:pending_detail", args=[self.pk])


class CameraAlert(models.Model):
    """Every alert a platform posted, as received: what it became (a new matter, a note on an open
    matter — `merged` —, or a pending alert). `alert_id` is the platform's, unique in the town."""

    key = models.ForeignKey(
        CameraPlatformKey, verbose_name=_("平台密钥"), on_delete=models.PROTECT, related_name="alerts"
    )
    town = models.ForeignKey(AreaNode, verbose_name=_("镇"), on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)  # the camera's grid
    alert_id = models.CharField(_("报警编号"), max_length=100)
    camera = models.ForeignKey(Camera, verbose_name=_("摄像机"), on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(_("报警类型代码"), max_length=40)
    rule = models.ForeignKey(AlertKindRule, verbose_name=_("报警类型"), on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField(_("报警时间"))
    received_at = models.DateTimeField(_("收到时间"))
    matter = models.ForeignKey(
        Matter, verbose_name=_("事项"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pending = models.ForeignKey(
        PendingAlert,
        verbose_name=_("待确认报警"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="alerts",
    )
    merged = models.BooleanField(_("并入已有"), default=False)
    has_snapshot = models.BooleanField(_("有抓拍"), default=False)
    note = models.CharField(_("平台备注"), max_length=500, blank=True)

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("报警记录")
        verbose_name_plural = _("报警记录")
        ordering = ["-received_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["town", "alert_id"], name="watch_alert_id_unique_in_town")]
        indexes = [models.Index(fields=["camera", "kind", "occurred_at"], name="watch_alert_camera_kind_time")]

    def __str__(self) -> str:
        return self.alert_id
