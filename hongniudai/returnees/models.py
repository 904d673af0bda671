"""The returnee programme (归雁工程): people who came home (returnees), the businesses they founded,
the villagers those businesses employ with their yearly wages, and the support the village or the
town gave them. Whether a returnee is a party member or a veteran, and whether an employee's
household is formerly poor (脱贫户) or monitored (监测户), is read from the resident, the party
member record and the household: counted, never copied."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongniudai.common import text
from hongniudai.common.text import LimitedTextField
from hongniudai.enterprises.interface import Enterprise
from hongniudai.places.models import AreaNode, Household, Resident


class Returnee(models.Model):
    """A resident who came back (返乡能人): from where, when, with what work behind them and what skills."""

    resident = models.OneToOneField(
        Resident, verbose_name=_("居民"), on_delete=models.PROTECT, related_name="returnee_record"
    )
    village = models.ForeignKey(AreaNode, verbose_name=_("村"), on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)  # the resident's hamlet
    returned_on = models.DateField(_("返乡日期"))
    came_from = models.CharField(_("返乡前所在地"), max_length=100, help_text=_("城市或省份,如“广东深圳”"))
    previous_work = models.CharField(_("外出期间从事工作"), max_length=200, blank=True)
    skills = LimitedTextField(_("技能特长"), blank=True, max_length=text.NOTE)
    note = LimitedTextField(_("备注"), blank=True, max_length=text.NOTE)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    # What may change on a returnee (the resident stays as registered).
    EDITABLE = ("returned_on", "came_from", "previous_work", "skills", "note")

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("返乡能人")
        verbose_name_plural = _("返乡能人")
        ordering = ["area_path", "id"]

    def __str__(self) -> str:
        return self.resident.name

    def get_absolute_url(self) -> str:
        return reverse("returnees:returnee_detail", args=[self.pk])


class BusinessKind(models.TextChoices):
    PLANTING = "planting", _("种植")
    BREEDING = "breeding", _("养殖")
    PROCESSING = "processing", _("加工")
    ECOMMERCE = "ecommerce", _("电商")
    RURAL_TOURISM = "rural_tourism", _("乡村旅游")
    OTHER = "other", _("其他")


class BusinessStatus(models.TextChoices):
    OPERATING = "operating", _("经营中")
    SUSPENDED = "suspended", _("停业")
    CLOSED = "closed", _("已关闭")


class Business(models.Model):
    """A business a returnee founded (返乡创业项目): a grape farm, a pig farm, a fish-breeding farm …,
    with the registered enterprise where there is one."""

    founder = models.ForeignKey(Returnee, verbose_name=_("创办人"), on_delete=models.PROTECT, related_name="businesses")
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("产业类型"), max_length=20, choices=BusinessKind.choices)
    village = models.ForeignKey(AreaNode, verbose_name=_("所在村"), on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)  # the village's
    started_on = models.DateField(_("创办日期"))
    investment = models.DecimalField(_("投资额(元)"), max_digits=14, decimal_places=2, default=0)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("登记企业"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    scale = models.CharField(_("规模"), max_length=100, blank=True, help_text=_("如“存栏生猪 1 万头”“葡萄 80 亩”"))
    status = models.CharField(
        _("经营状态"), max_length=20, choices=BusinessStatus.choices, default=BusinessStatus.OPERATING
    )
    note = LimitedTextField(_("备注"), blank=True, max_length=text.NOTE)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    # What may change on a business (its founder and village stay as registered).
    EDITABLE = ("name", "kind", "started_on", "investment", "enterprise", "scale", "status", "note")

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("返乡创业项目")
        verbose_name_plural = _("返乡创业项目")
        ordering = ["area_path", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("returnees:business_detail", args=[self.pk])


class Employment(models.Model):
    """A villager employed by a returnee's business (带动就业), from a day to a day (open while
    employed). The household is the resident's when they were taken on: the household whose yearly
    income the wages add to."""

    business = models.ForeignKey(Business, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="employments")
    resident = models.ForeignKey(Resident, verbose_name=_("务工人员"), on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, verbose_name=_("所在户"), on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)  # the business's village
    started_on = models.DateField(_("用工开始日期"))
    ended_on = models.DateField(_("用工结束日期"), null=True, blank=True)
    job = models.CharField(_("岗位"), max_length=100, blank=True)
    note = LimitedTextField(_("备注"), blank=True, max_length=text.NOTE)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("带动就业")
        verbose_name_plural = _("带动就业")
        ordering = ["business", "started_on", "id"]

    def __str__(self) -> str:
        return f"{self.business} · {self.resident}"

    def get_absolute_url(self) -> str:
        return reverse("returnees:business_detail", args=[self.business_id]) + f"#employment-{self.pk}"


class WageRecord(models.Model):
    """The wages an employment paid in one year (yuan): one row per employment and year, so that a
    household's yearly wages from returnee businesses are exact and dated."""

    employment = models.ForeignKey(Employment, verbose_name=_("用工"), on_delete=models.PROTECT, related_name="wages")
    year = models.PositiveSmallIntegerField(_("年度"))
    amount = models.DecimalField(_("工资(元)"), max_digits=14, decimal_places=2)
    note = LimitedTextField(_("备注"), blank=True, max_length=text.NOTE)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now=True)

    scope_area_path = "employment__area_path"

    class Meta:
        verbose_name = _("务工工资")
        verbose_name_plural = _("务工工资")
        ordering = ["employment", "year"]
        constraints = [models.UniqueConstraint(fields=["employment", "year"], name="returnees_wage_once_a_year")]

    def __str__(self) -> str:
        return f"{self.employment} · {self.year}"

    def get_absolute_url(self) -> str:
        return self.employment.get_absolute_url()


class SupportKind(models.TextChoices):
    LOAN_INTEREST = "loan_interest", _("贷款贴息")
    SITE = "site", _("场地")
    TRAINING = "training", _("技术培训")
    SUBSIDY = "subsidy", _("政策补贴")
    OTHER = "other", _("其他")


class Support(models.Model):
    """Support given to a returnee or to their business (扶持): a subsidised loan, a site, training,
    a subsidy …, on a day, by whom, with its amount where it is money."""

    returnee = models.ForeignKey(
        Returnee, verbose_name=_("返乡能人"), on_delete=models.PROTECT, related_name="supports"
    )
    business = models.ForeignKey(
        Business, verbose_name=_("项目"), null=True, blank=True, on_delete=models.PROTECT, related_name="supports"
    )
    area_path = models.CharField(max_length=255, db_index=True, editable=False)  # the returnee's or business's
    village = models.ForeignKey(AreaNode, verbose_name=_("村"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("扶持方式"), max_length=20, choices=SupportKind.choices)
    given_on = models.DateField(_("扶持日期"))
    amount = models.DecimalField(_("金额(元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    given_by = models.CharField(_("扶持单位"), max_length=100, help_text=_("如“宋河镇政府”“区农业农村局”"))
    note = LimitedTextField(_("说明"), blank=True, max_length=text.NOTE)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("扶持措施")
        verbose_name_plural = _("扶持措施")
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.given_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        if self.business_id:
            return reverse("returnees:business_detail", args=[self.business_id]) + f"#support-{self.pk}"
        return reverse("returnees:returnee_detail", args=[self.returnee_id]) + f"#support-{self.pk}"
