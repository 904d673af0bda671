"""What a village's collective produces and sells (生产经营): a planting season on the collective's
land, the villagers' work days and their wages, the harvest, the purchase contract with a buyer and
its deliveries, what the collective processes (sorghum brewed into liquor) and sells.

Every money event keeps the voucher it was posted as (`voucher`, the ledger's), and every record
hangs at its organisation's village (`area_path`, copied from the organisation)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongniudai.collective.interface import EconomicOrg
from hongniudai.common import text
from hongniudai.common.text import LimitedTextField
from hongniudai.enterprises.interface import Enterprise
from hongniudai.ledger.interface import voucher_link
from hongniudai.places.models import Household, Resident

KG_PER_JIN = Decimal("0.5")
KG_PER_TONNE = Decimal(1000)


def _money(label: Any) -> models.DecimalField:
    return models.DecimalField(label, max_digits=14, decimal_places=2)


def _kg(label: Any) -> models.DecimalField:
    return models.DecimalField(label, max_digits=14, decimal_places=3)


class _Recorded(models.Model):
    """Who recorded an event and when; where it hangs (its organisation's village)."""

    area_path = models.CharField(max_length=255, db_index=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    scope_area_path = "area_path"

    class Meta:
        abstract = True


class Planting(_Recorded):
    """A crop planted by an organisation in one season: where (the land as text and its area in mu;
    phase 2 links the parcels), since when, with which enterprise's technical guidance."""

    org = models.ForeignKey(EconomicOrg, verbose_name=_("经营主体"), on_delete=models.PROTECT, related_name="+")
    crop = models.CharField(_("作物"), max_length=50)
    year = models.PositiveSmallIntegerField(_("年度"))
    season = models.CharField(_("季节"), max_length=20, blank=True)
    area_mu = models.DecimalField(_("面积(亩)"), max_digits=12, decimal_places=2)
    land = models.CharField(_("地块"), max_length=200)
    adviser = models.ForeignKey(
        Enterprise, verbose_name=_("技术指导企业"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField(_("播种日期"))
    note = LimitedTextField(_("备注"), blank=True, max_length=text.NOTE)

    class Meta:
        verbose_name = _("种植")
        verbose_name_plural = _("种植")
        ordering = ["-year", "-started_on", "-id"]

    def __str__(self) -> str:
        return f"{self.year}年{self.crop}({self.land})"

    def get_absolute_url(self) -> str:
        return reverse("production:planting_detail", args=[self.pk])


class WorkRecord(_Recorded):
    """Days a villager worked for the organisation (on a planting, or otherwise) at a daily rate:
    the wage owed is days × rate, accrued at once (Dr 401 生产(劳务)成本 / Cr 213 应付劳务费, the
    household's sub-account)."""

    org = models.ForeignKey(EconomicOrg, verbose_name=_("经营主体"), on_delete=models.PROTECT, related_name="+")
    planting = models.ForeignKey(
        Planting, verbose_name=_("种植"), null=True, blank=True, on_delete=models.PROTECT, related_name="work"
    )
    worker = models.ForeignKey(Resident, verbose_name=_("务工人员"), on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, verbose_name=_("所在户"), on_delete=models.PROTECT, related_name="+")
    worked_on = models.DateField(_("务工日期"))
    worked_until = models.DateField(_("务工截止日期"), null=True, blank=True)
    days = models.DecimalField(_("天数"), max_digits=6, decimal_places=1)
    daily_rate = _money(_("日工资(元)"))
    amount = _money(_("应付工资(元)"))
    task = models.CharField(_("工作内容"), max_length=100)
    voucher = voucher_link(_("记账凭证"), editable=False)  # set by the service as it posts

    class Meta:
        verbose_name = _("务工记录")
        verbose_name_plural = _("务工记录")
        ordering = ["-worked_on", "-id"]

    def __str__(self) -> str:
        return f"{self.worker.name} {self.worked_on} {self.days}天"

    def get_absolute_url(self) -> str:
        return reverse("production:work_detail", args=[self.pk])


class PaidFrom(models.TextChoices):
    CASH = "101", _("库存现金")
    BANK = "102", _("银行存款")


class WagePayment(_Recorded):
    """Wages paid to a worker (and so to their household): Dr 213 (the household's) / Cr 101 or 102."""

    org = models.ForeignKey(EconomicOrg, verbose_name=_("经营主体"), on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(Resident, verbose_name=_("务工人员"), on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, verbose_name=_("所在户"), on_delete=models.PROTECT, related_name="+")
    amount = _money(_("金额(元)"))
    paid_on = models.DateField(_("支付日期"))
    paid_from = models.CharField(_("支付方式"), max_length=3, choices=PaidFrom.choices, default=PaidFrom.BANK)
    voucher = voucher_link(_("记账凭证"), editable=False)  # set by the service as it posts

    class Meta:
        verbose_name = _("工资发放")
        verbose_name_plural = _("工资发放")
        ordering = ["-paid_on", "-id"]

    def __str__(self) -> str:
        return f"{self.worker.name} {self.paid_on} {self.amount}元"

    def get_absolute_url(self) -> str:
        return reverse("production:payment_detail", args=[self.pk])


class Harvest(_Recorded):
    planting = models.ForeignKey(Planting, verbose_name=_("种植"), on_delete=models.PROTECT, related_name="harvests")
    harvested_on = models.DateField(_("收获日期"))
    quantity_kg = _kg(_("产量(公斤)"))
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("收获")
        verbose_name_plural = _("收获")
        ordering = ["-harvested_on", "-id"]

    def __str__(self) -> str:
        return f"{self.planting} {self.harvested_on}"

    def get_absolute_url(self) -> str:
        return reverse("production:planting_detail", args=[self.planting_id])


class PriceUnit(models.TextChoices):
    """What a contract's price is per; `KG_IN_UNIT` says how many kg that is."""

    JIN = "jin", _("元/斤")
    KG = "kg", _("元/公斤")
    TONNE = "tonne", _("元/吨")


KG_IN_UNIT = {PriceUnit.JIN: KG_PER_JIN, PriceUnit.KG: Decimal(1), PriceUnit.TONNE: KG_PER_TONNE}


class PurchaseContract(_Recorded):
    """A purchase contract (订单收购合同): the organisation sells `quantity_kg` of a crop to a buyer
    at a price per jin, kg or tonne, delivered on the schedule's dates."""

    org = models.ForeignKey(EconomicOrg, verbose_name=_("卖方"), on_delete=models.PROTECT, related_name="+")
    buyer = models.ForeignKey(Enterprise, verbose_name=_("收购企业"), on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("合同编号"), max_length=50, blank=True)
    crop = models.CharField(_("作物"), max_length=50)
    quantity_kg = _kg(_("合同数量(公斤)"))
    price = _money(_("单价(元)"))
    price_unit = models.CharField(_("计价单位"), max_length=10, choices=PriceUnit.choices)
    signed_on = models.DateField(_("签订日期"))
    note = LimitedTextField(_("备注"), blank=True, max_length=text.NOTE)

    class Meta:
        verbose_name = _("收购合同")
        verbose_name_plural = _("收购合同")
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.crop}收购合同({self.buyer.name})"

    def get_absolute_url(self) -> str:
        return reverse("production:contract_detail", args=[self.pk])


class ScheduleLine(models.Model):
    """One delivery date of a contract and the quantity due by it."""

    contract = models.ForeignKey(
        PurchaseContract, verbose_name=_("合同"), on_delete=models.CASCADE, related_name="schedule"
    )
    due_on = models.DateField(_("交货日期"))
    quantity_kg = _kg(_("交货数量(公斤)"))

    scope_area_path = "contract__area_path"

    class Meta:
        verbose_name = _("交货计划")
        verbose_name_plural = _("交货计划")
        ordering = ["contract", "due_on", "id"]

    def __str__(self) -> str:
        return f"{self.due_on} {self.quantity_kg}"


class SettledBy(models.TextChoices):
    RECEIVABLE = "112", _("应收款(待收)")
    BANK = "102", _("银行存款(已收)")


class Delivery(_Recorded):
    """Crop delivered under a contract: its amount (quantity × price) is income, Dr 112 应收款 (or
    102 when paid at once) / Cr 501 经营收入."""

    contract = models.ForeignKey(
        PurchaseContract, verbose_name=_("合同"), on_delete=models.PROTECT, related_name="deliveries"
    )
    delivered_on = models.DateField(_("交货日期"))
    quantity_kg = _kg(_("交货数量(公斤)"))
    amount = _money(_("金额(元)"))
    settled_by = models.CharField(_("结算"), max_length=3, choices=SettledBy.choices, default=SettledBy.RECEIVABLE)
    voucher = voucher_link(_("记账凭证"), editable=False)  # set by the service as it posts

    class Meta:
        verbose_name = _("交货")
        verbose_name_plural = _("交货")
        ordering = ["-delivered_on", "-id"]

    def __str__(self) -> str:
        return f"{self.contract} {self.delivered_on}"

    def get_absolute_url(self) -> str:
        return reverse("production:contract_detail", args=[self.contract_id])


class Receipt(_Recorded):
    """A buyer's payment received for a delivery recorded as receivable: Dr 102 银行存款 / Cr 112
    应收款; never more than the delivery's amount still outstanding."""

    delivery = models.ForeignKey(Delivery, verbose_name=_("交货"), on_delete=models.PROTECT, related_name="receipts")
    received_on = models.DateField(_("收款日期"))
    amount = _money(_("金额(元)"))
    voucher = voucher_link(_("记账凭证"), editable=False)  # set by the service as it posts

    class Meta:
        verbose_name = _("货款收回")
        verbose_name_plural = _("货款收回")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.delivery} 收款 {self.amount}"

    def get_absolute_url(self) -> str:
        return reverse("production:contract_detail", args=[self.delivery.contract_id])


class OutputUnit(models.TextChoices):
    JIN = "jin", _("斤")
    BOTTLE = "bottle", _("瓶")
    KG = "kg", _("公斤")


class Processing(_Recorded):
    """Crop processed into a product (sorghum brewed into 高粱酒): what went in, what came out."""

    org = models.ForeignKey(EconomicOrg, verbose_name=_("经营主体"), on_delete=models.PROTECT, related_name="+")
    input_crop = models.CharField(_("原料"), max_length=50)
    input_kg = _kg(_("原料用量(公斤)"))
    product = models.CharField(_("产品"), max_length=50)
    output_quantity = models.DecimalField(_("产量"), max_digits=14, decimal_places=3)
    product_unit = models.CharField(_("单位"), max_length=10, choices=OutputUnit.choices)
    processed_on = models.DateField(_("加工日期"))
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("加工")
        verbose_name_plural = _("加工")
        ordering = ["-processed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.product} {self.processed_on}"

    def get_absolute_url(self) -> str:
        return reverse("production:processing_list") + f"?org={self.org_id}"


class Sale(_Recorded):
    """Products sold: Dr 102 银行存款 / Cr 501 经营收入."""

    org = models.ForeignKey(EconomicOrg, verbose_name=_("经营主体"), on_delete=models.PROTECT, related_name="+")
    product = models.CharField(_("产品"), max_length=50)
    quantity = models.DecimalField(_("数量"), max_digits=14, decimal_places=3)
    product_unit = models.CharField(_("单位"), max_length=10, choices=OutputUnit.choices)
    unit_price = _money(_("单价(元)"))
    amount = _money(_("金额(元)"))
    buyer_name = models.CharField(_("买方"), max_length=100, blank=True)
    buyer = models.ForeignKey(
        Enterprise, verbose_name=_("买方企业"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sold_on = models.DateField(_("销售日期"))
    voucher = voucher_link(_("记账凭证"), editable=False)  # set by the service as it posts

    class Meta:
        verbose_name = _("产品销售")
        verbose_name_plural = _("产品销售")
        ordering = ["-sold_on", "-id"]

    def __str__(self) -> str:
        return f"{self.product} {self.sold_on}"

    def get_absolute_url(self) -> str:
        return reverse("production:sale_detail", args=[self.pk])
