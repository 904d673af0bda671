"""爱心汤 (soup rounds, 逢九送汤). Who receives soup is decided by rules kept as data (`SoupRule`: an
age threshold, living alone, disabled, formerly poor household) per town, a village's rule of a
kind overriding the town's; the village proposes, reviews and approves its list per hamlet
(`SoupRecipient`). On every date with a 9 a round (`SoupRound`) is created per village, once, with a
visit (`SoupVisit`) per approved recipient carried by a volunteer (by default the hamlet's,
`SoupHamletVolunteer`). In a February without a 29th the town's `SoupSettings` decide."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongniudai.common import text
from hongniudai.common.text import LimitedTextField
from hongniudai.governance.interface import Matter
from hongniudai.places.models import AreaNode, Resident
from hongniudai.volunteers.interface import Volunteer


class FebruaryRule(models.TextChoices):
    """What a town does in a February without a 29th."""

    NONE = "none", _("不送(当月无 29 日)")
    FEB_28 = "feb_28", _("改在 2 月 28 日送")
    MARCH_1 = "march_1", _("顺延至 3 月 1 日送")


class SoupSettings(models.Model):
    """A town's choices for the soup rounds. Without a row the defaults hold: the 28th, so that no
    elderly resident goes without the third soup of February."""

    town = models.OneToOneField(AreaNode, verbose_name=_("镇"), on_delete=models.CASCADE, related_name="soup_settings")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)
    february_rule = models.CharField(
        _("平年二月无 29 日时"), max_length=10, choices=FebruaryRule.choices, default=FebruaryRule.FEB_28
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("爱心汤设置")
        verbose_name_plural = _("爱心汤设置")

    def __str__(self) -> str:
        return str(self.town)


class RuleKind(models.TextChoices):
    AGE = "age", _("年满规定年龄")
    ALONE = "alone", _("独居")
    DISABLED = "disabled", _("残疾人")
    FORMERLY_POOR = "formerly_poor", _("脱贫户")


class SoupRule(models.Model):
    """One criterion for receiving soup, kept by a town or a village (a village's rule of a kind
    overrides the town's: a village may lower the age, or turn a criterion off)."""

    area = models.ForeignKey(AreaNode, verbose_name=_("制定单位"), on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField(_("条件"), max_length=20, choices=RuleKind.choices)
    min_age = models.PositiveSmallIntegerField(_("年龄(周岁)"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    source = models.CharField(_("依据"), max_length=200, blank=True, help_text=_("文件或会议决定,如“村民代表会议决定”"))
    note = LimitedTextField(_("备注"), blank=True, max_length=text.NOTE)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    EDITABLE = ("min_age", "is_active", "source", "note")

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("送汤对象条件")
        verbose_name_plural = _("送汤对象条件")
        ordering = ["area_path", "kind"]
        constraints = [models.UniqueConstraint(fields=["area", "kind"], name="soup_rule_one_per_kind")]

    def __str__(self) -> str:
        if self.kind == RuleKind.AGE and self.min_age:
            return _("年满 %(age)s 周岁") % {"age": self.min_age}
        return str(self.get_kind_display())


class RecipientStatus(models.TextChoices):
    PROPOSED = "proposed", _("待审核")
    APPROVED = "approved", _("已确认")
    REMOVED = "removed", _("已移除")


class SoupRecipient(models.Model):
    """A resident on a village's soup list, with why (the rules met, or the reason typed in by
    hand), proposed → approved by the village, or removed (kept, with why)."""

    village = models.ForeignKey(AreaNode, verbose_name=_("村"), on_delete=models.PROTECT, related_name="+")
    hamlet = models.ForeignKey(AreaNode, verbose_name=_("湾组"), on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)  # the hamlet's
    resident = models.OneToOneField(
        Resident, verbose_name=_("居民"), on_delete=models.PROTECT, related_name="soup_recipient"
    )
    reasons = models.CharField(_("送汤原因"), max_length=200)
    by_hand = models.BooleanField(_("人工选定"), default=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=RecipientStatus.choices, default=RecipientStatus.PROPOSED, db_index=True
    )
    proposed_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    removed_reason = models.CharField(_("移除原因"), max_length=200, blank=True)

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("送汤对象")
        verbose_name_plural = _("送汤对象")
        ordering = ["area_path", "id"]

    def __str__(self) -> str:
        return self.resident.name

    def get_absolute_url(self) -> str:
        return reverse("soup:review", args=[self.village_id]) + f"#recipient-{self.pk}"


class SoupHamletVolunteer(models.Model):
    """The volunteer who carries soup in a hamlet by default (each round's visit may be given to
    another)."""

    hamlet = models.OneToOneField(AreaNode, verbose_name=_("湾组"), on_delete=models.CASCADE, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)
    volunteer = models.ForeignKey(Volunteer, verbose_name=_("送汤志愿者"), on_delete=models.PROTECT, related_name="+")

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("湾组送汤志愿者")
        verbose_name_plural = _("湾组送汤志愿者")

    def __str__(self) -> str:
        return f"{self.hamlet} · {self.volunteer}"


class SoupRound(models.Model):
    """A village's soup round on one date: created once (the constraint), its visits one per
    approved recipient. `flagged_at` is when the village was told of those not reached."""

    village = models.ForeignKey(AreaNode, verbose_name=_("村"), on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)  # the village's
    date = models.DateField(_("送汤日期"), db_index=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    flagged_at = models.DateTimeField(_("未送达提醒时间"), null=True, blank=True)

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("送汤批次")
        verbose_name_plural = _("送汤批次")
        ordering = ["-date", "area_path", "id"]
        constraints = [models.UniqueConstraint(fields=["village", "date"], name="soup_round_once_a_day")]
        # The rounds list's order: every village's round of a date shares it (395 in the county),
        # and without this SQLite counted the visits of all of a date's rounds to sort them for 50.
        indexes = [models.Index(fields=["-date", "area_path", "id"], name="care_soup_round_list_order")]

    def __str__(self) -> str:
        return _("%(village)s %(date)s 爱心汤") % {"village": self.village.name, "date": self.date.isoformat()}

    def get_absolute_url(self) -> str:
        return reverse("soup:round_detail", args=[self.pk])


class Outcome(models.TextChoices):
    PENDING = "pending", _("待送")
    DELIVERED = "delivered", _("已送达")
    NOT_HOME = "not_home", _("不在家")
    DECLINED = "declined", _("谢绝")


class Observation(models.TextChoices):
    NONE = "", _("无")
    UNWELL = "unwell", _("身体不适")
    NO_HEATING = "no_heating", _("取暖困难")
    NEEDS_HELP = "needs_help", _("需要帮助")
    OTHER = "other", _("其他")


class SoupVisit(models.Model):
    """Soup carried to one recipient in one round: who carries it, what came of it and when, and
    what the volunteer saw (a welfare observation; one that needs action raised `matter`)."""

    round = models.ForeignKey(SoupRound, verbose_name=_("批次"), on_delete=models.CASCADE, related_name="visits")
    recipient = models.ForeignKey(SoupRecipient, verbose_name=_("送汤对象"), on_delete=models.PROTECT, related_name="+")
    hamlet = models.ForeignKey(AreaNode, verbose_name=_("湾组"), on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)  # the hamlet's
    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("送汤志愿者"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(
        _("结果"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING, db_index=True
    )
    checked_at = models.DateTimeField(_("登记时间"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    observation = models.CharField(_("关爱发现"), max_length=12, choices=Observation.choices, blank=True, default="")
    observation_note = models.CharField(_("情况说明"), max_length=200, blank=True)
    matter = models.ForeignKey(
        Matter, verbose_name=_("转办事项"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("送汤记录")
        verbose_name_plural = _("送汤记录")
        ordering = ["area_path", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "recipient"], name="soup_visit_once_per_round")]

    def __str__(self) -> str:
        return f"{self.round} · {self.recipient}"

    def get_absolute_url(self) -> str:
        return reverse("soup:visit_check", args=[self.pk])
