"""The in-app inbox: one row per person and message, pointing at a page and naming what it is about."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An inbox message. `url` is the page it points to (blank: nowhere, as a meeting reminder);
    `target_type` + `target_id` name the record it is about ("governance.matter", 17), so the
    package that sent it finds its notifications again. External senders (SMS, WeChat) are
    plugged in by settings (`senders`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(_("内容"), max_length=255)
    url = models.CharField(_("链接"), max_length=200, blank=True)
    target_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    target_id = models.PositiveBigIntegerField(_("对象编号"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="notification_target")]

    def __str__(self) -> str:
        return self.message
