"""Import jobs: one uploaded workbook, its validation and its import."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    HOUSEHOLDS = "households", _("住户")
    RESIDENTS = "residents", _("居民")
    MEMBERS = "members", _("党员")
    USERS = "users", _("用户及角色")
    LEDGER_OPENING = "ledger_opening", _("账套期初余额")
    LEDGER_VOUCHERS = "ledger_vouchers", _("记账凭证")
    ECONOMY_MEMBERS = "economy_members", _("集体经济组织成员")
    LAND_PARCELS = "land_parcels", _("承包地块")
    LAND_CONTRACTS = "land_contracts", _("土地流转合同")
    PROJECTS = "projects", _("项目")
    PROJECT_MILESTONES = "project_milestones", _("项目节点")
    PROJECT_BLOCKERS = "project_blockers", _("堵点问题")
    WATCH_CAMERAS = "watch_cameras", _("摄像机")
    PATROL_MEMBERS = "patrol_members", _("巡逻队员")
    SOUP_RECIPIENTS = "soup_recipients", _("爱心汤对象")
    VOLUNTEERS = "volunteers", _("志愿者")


# Kinds imported whole or not at all: no "good rows only".
ALL_OR_NOTHING_KINDS = (
    ImportKind.USERS,
    ImportKind.LEDGER_OPENING,
    ImportKind.LEDGER_VOUCHERS,
    ImportKind.ECONOMY_MEMBERS,
    ImportKind.LAND_PARCELS,
    ImportKind.LAND_CONTRACTS,
    ImportKind.PROJECTS,
    ImportKind.PROJECT_MILESTONES,
    ImportKind.PROJECT_BLOCKERS,
    ImportKind.WATCH_CAMERAS,
    ImportKind.PATROL_MEMBERS,
    ImportKind.SOUP_RECIPIENTS,
    ImportKind.VOLUNTEERS,
)


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("等待校验")
    VALIDATING = "validating", _("正在校验")
    VALIDATED = "validated", _("校验完成")
    IMPORTING = "importing", _("正在导入")
    DONE = "done", _("导入完成")
    FAILED = "failed", _("失败")


class ImportMode(models.TextChoices):
    ALL = "all", _("全部导入")
    GOOD_ONLY = "good_only", _("只导入无误的行")


RUNNING_STATUSES = (ImportStatus.PENDING, ImportStatus.VALIDATING, ImportStatus.IMPORTING)


def import_upload_to(instance: Any, filename: str) -> str:
    # The stored name says nothing about the contents; the user's file name is kept in `original_name`.
    return f"imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.xlsx"


class ImportJob(models.Model):
    kind = models.CharField(_("导入内容"), max_length=20, choices=ImportKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="import_jobs"
    )
    file = models.FileField(_("文件"), upload_to=import_upload_to, max_length=200, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING, db_index=True
    )
    mode = models.CharField(_("导入方式"), max_length=20, choices=ImportMode.choices, blank=True)
    total_rows = models.PositiveIntegerField(_("数据行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    good_rows = models.PositiveIntegerField(_("无误行数"), default=0)
    error_rows = models.PositiveIntegerField(_("有误行数"), default=0)
    imported_rows = models.PositiveIntegerField(_("已导入行数"), default=0)
    skipped_example_rows = models.PositiveIntegerField(_("跳过的示例行"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True, help_text=_("[{row, column, message}]"))
    # What the import created that the uploader acts on next (a users import: [{username, credential}],
    # for the hand-over sheet); never a secret.
    outcome = models.JSONField(_("导入结果"), default=list, db_default=[], blank=True)
    failure = models.CharField(_("失败原因"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    validated_at = models.DateTimeField(_("校验完成时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # The area path covering the uploader's import scope, copied at upload time for scoped reads.
    area_path = models.CharField(max_length=255, blank=True, db_index=True)

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.original_name or self.pk}"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_STATUSES

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(100, int(self.processed_rows * 100 / self.total_rows))

    @property
    def can_import_all(self) -> bool:
        return self.status == ImportStatus.VALIDATED and self.error_rows == 0 and self.good_rows > 0

    @property
    def can_import_good_only(self) -> bool:
        return (
            self.status == ImportStatus.VALIDATED
            and self.error_rows > 0
            and self.good_rows > 0
            and self.kind not in ALL_OR_NOTHING_KINDS
        )
