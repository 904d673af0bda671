"""A year's distribution of an economic organisation's surplus (收益分配): the plan as data (its items:
the reserve, the members' dividends, the returns by transaction volume …), the dividend of every
share holder on the record date, exact to the fen, and each payout with its voucher."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongniudai.collective.interface import Decision, EconomicOrg
from hongniudai.common import text
from hongniudai.common.text import LimitedTextField
from hongniudai.ledger.interface import voucher_link


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草拟")
    APPROVED = "approved", _("已批准")
    PAYING = "paying", _("发放中")
    DONE = "done", _("已完成")


class DistributionPlan(models.Model):
    """One organisation's plan for distributing one year's surplus (可分配收益): the figure entered
    (the books' 本年收益 plus 未分配收益 brought forward is shown beside it), the decision taken
    through 四议两公开 that adopts it, and the record date (股权登记日) on which shares count."""

    org = models.ForeignKey(
        EconomicOrg, verbose_name=_("集体经济组织"), on_delete=models.PROTECT, related_name="distribution_plans"
    )
    area_path = models.CharField(max_length=255, db_index=True, editable=False)  # the org's
    year = models.PositiveSmallIntegerField(_("分配年度"))
    surplus = models.DecimalField(_("可分配收益(元)"), max_digits=14, decimal_places=2)
    record_date = models.DateField(_("股权登记日"))
    decision = models.ForeignKey(
        Decision, verbose_name=_("决策依据"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = LimitedTextField(_("说明"), blank=True, max_length=text.NOTE)
    status = models.CharField(_("状态"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    voucher = voucher_link(_("分配凭证"))
    approved_on = models.DateField(_("批准日期"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    # The fields a draft's editor changes (the org is fixed at creation); while draft only, except
    # `note`, which may change until the first payout.
    EDITABLE = ("year", "surplus", "record_date", "decision", "note")

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("收益分配方案")
        verbose_name_plural = _("收益分配方案")
        ordering = ["-year", "area_path", "id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "year"], name="distribution_plan_once_a_year"),
            models.CheckConstraint(condition=models.Q(surplus__gt=0), name="distribution_plan_surplus_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.year}年度收益分配方案"

    def get_absolute_url(self) -> str:
        return reverse("distribution:plan_detail", args=[self.pk])


class ItemKind(models.TextChoices):
    RESERVE = "reserve", _("提取公积公益金")
    DIVIDENDS = "dividends", _("向成员分配")
    RETURNS = "returns", _("按交易量返还")
    WELFARE = "welfare", _("公益事业")
    OTHER = "other", _("其他")


class PlanItem(models.Model):
    """One item of a plan: a fixed amount or a percentage of the distributable surplus."""

    plan = models.ForeignKey(
        DistributionPlan, verbose_name=_("分配方案"), on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField(_("分配项目"), max_length=20, choices=ItemKind.choices)
    amount = models.DecimalField(_("金额(元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    percentage = models.DecimalField(_("比例(%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    EDITABLE = ("kind", "amount", "percentage", "note")

    scope_area_path = "plan__area_path"

    class Meta:
        verbose_name = _("分配项目")
        verbose_name_plural = _("分配项目")
        ordering = ["plan", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind"], name="distribution_item_kind_once"),
            # An amount or a percentage, never both: positive, a percentage at most 100.
            models.CheckConstraint(
                condition=(
                    models.Q(amount__gt=0, percentage__isnull=True)
                    | models.Q(amount__isnull=True, percentage__gt=0, percentage__lte=100)
                ),
                name="distribution_item_amount_or_percentage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("distribution:plan_detail", args=[self.plan_id])


class Dividend(models.Model):
    """What one holder gets of the members' dividends: a member household, or the organisation's
    collective share (`household` empty), for the shares it held on the record date."""

    plan = models.ForeignKey(
        DistributionPlan, verbose_name=_("分配方案"), on_delete=models.CASCADE, related_name="dividends"
    )
    household = models.ForeignKey(
        "places.Household", verbose_name=_("持股户"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    shares = models.DecimalField(_("登记日持股数"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("应分金额(元)"), max_digits=14, decimal_places=2)

    scope_area_path = "plan__area_path"

    class Meta:
        verbose_name = _("成员分红")
        verbose_name_plural = _("成员分红")
        ordering = ["plan", "household_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "household"], name="distribution_dividend_once"),
            models.CheckConstraint(
                condition=models.Q(shares__gt=0, amount__gte=0), name="distribution_dividend_not_negative"
            ),
        ]

    def __str__(self) -> str:
        holder = self.household if self.household_id else _("集体股")
        return f"{self.plan} · {holder}"

    def get_absolute_url(self) -> str:
        return reverse("distribution:plan_detail", args=[self.plan_id])


class Payout(models.Model):
    """A dividend paid to its household (Dr 113 内部往来-household / Cr 102 银行存款): once, in full."""

    dividend = models.OneToOneField(
        Dividend, verbose_name=_("成员分红"), on_delete=models.PROTECT, related_name="payout"
    )
    amount = models.DecimalField(_("发放金额(元)"), max_digits=14, decimal_places=2)
    paid_on = models.DateField(_("发放日期"))
    voucher = voucher_link(_("记账凭证"))  # set by the service in the same transaction as the payout
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    scope_area_path = "dividend__plan__area_path"

    class Meta:
        verbose_name = _("分红发放")
        verbose_name_plural = _("分红发放")
        ordering = ["-paid_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="distribution_payout_positive")]

    def __str__(self) -> str:
        return f"{self.dividend} · {self.paid_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("distribution:plan_detail", args=[self.dividend.plan_id])
