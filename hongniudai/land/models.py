"""Contracted land (承包地) and its transfer (土地经营权流转): the parcels a household contracts, the
contracts that transfer them to a cooperative or an enterprise, the rent each household is due
(`RentInstalment`) and the money that moved (`RentPayment`, each with its voucher in the books)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongniudai.collective.interface import Decision, EconomicOrg
from hongniudai.common import text
from hongniudai.common.text import LimitedTextField
from hongniudai.enterprises.interface import Enterprise
from hongniudai.ledger.interface import voucher_link
from hongniudai.places.models import AreaNode, Household


class LandKind(models.TextChoices):
    ARABLE = "arable", _("耕地")
    GARDEN = "garden", _("园地")
    FOREST = "forest", _("林地")
    GRASS = "grass", _("草地")
    POND = "pond", _("坑塘水面")
    OTHER = "other", _("其他")


class LandGrade(models.IntegerChoices):
    FIRST = 1, _("一等")
    SECOND = 2, _("二等")
    THIRD = 3, _("三等")
    FOURTH = 4, _("四等")
    FIFTH = 5, _("五等")


class Parcel(models.Model):
    """A parcel of land contracted by a household (承包地块), with its confirmed (确权) and measured
    (实测) areas in mu and, where known, where it lies (a point or a GeoJSON polygon)."""

    household = models.ForeignKey(
        Household, verbose_name=_("承包户"), on_delete=models.PROTECT, related_name="land_parcels"
    )
    village = models.ForeignKey(AreaNode, verbose_name=_("村"), on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)  # the village's
    name = models.CharField(_("地块名称"), max_length=100)
    location = models.CharField(_("坐落"), max_length=200, blank=True)
    registered_area = models.DecimalField(_("确权面积(亩)"), max_digits=12, decimal_places=2)
    measured_area = models.DecimalField(_("实测面积(亩)"), null=True, blank=True, max_digits=12, decimal_places=2)
    kind = models.CharField(_("土地类型"), max_length=20, choices=LandKind.choices, default=LandKind.ARABLE)
    grade = models.PositiveSmallIntegerField(_("地力等级"), choices=LandGrade.choices, null=True, blank=True)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    polygon = LimitedTextField(_("地块范围(GeoJSON)"), blank=True, max_length=text.TEXT)
    warrant_number = models.CharField(_("土地承包经营权证号"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    EDITABLE = (
        "household",
        "name",
        "location",
        "registered_area",
        "measured_area",
        "kind",
        "grade",
        "lat",
        "lng",
        "polygon",
        "warrant_number",
    )

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("承包地块")
        verbose_name_plural = _("承包地块")
        ordering = ["area_path", "household_id", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("land:parcel_detail", args=[self.pk])

    @property
    def area(self) -> Decimal:
        """The area a transfer is measured against: the measured one when known."""
        return self.measured_area if self.measured_area is not None else self.registered_area


class TransferKind(models.TextChoices):
    LEASE = "lease", _("出租")
    SUBCONTRACT = "subcontract", _("转包")
    EXCHANGE = "exchange", _("互换")
    ASSIGNMENT = "assignment", _("转让")
    EQUITY = "equity", _("入股")


class PaymentCycle(models.TextChoices):
    YEARLY = "yearly", _("按年支付")
    HALF_YEARLY = "half_yearly", _("按半年支付")


class ContractStatus(models.TextChoices):
    ACTIVE = "active", _("履行中")
    ENDED = "ended", _("已到期")
    TERMINATED = "terminated", _("已解除")


class TransferContract(models.Model):
    """A land transfer contract (土地流转合同) of a village. `org` is the organisation whose books
    carry the rent: the cooperative (or collective) that takes the land, or the village's collective
    acting for `enterprise`, which then pays the collective the rent of every household."""

    village = models.ForeignKey(AreaNode, verbose_name=_("村"), on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)
    number = models.CharField(_("合同编号"), max_length=50, blank=True)
    kind = models.CharField(_("流转方式"), max_length=20, choices=TransferKind.choices, default=TransferKind.LEASE)
    org = models.ForeignKey(
        EconomicOrg,
        verbose_name=_("流入方(集体经济组织或合作社)"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("租金记在其账上;流入方为企业时填本村集体经济组织(代企业支付)。"),
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("流入企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision = models.ForeignKey(
        Decision, verbose_name=_("四议两公开决策"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("流转起始日期"))
    ends_on = models.DateField(_("流转终止日期"))
    rent_per_mu = models.DecimalField(_("每亩年租金(元)"), max_digits=14, decimal_places=2)
    collective_area = models.DecimalField(
        _("集体机动地面积(亩)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        help_text=_("随合同一并流转给企业、由集体自己持有的土地;其租金留作集体的经营收入。"),
    )
    cycle = models.CharField(_("支付方式"), max_length=20, choices=PaymentCycle.choices, default=PaymentCycle.YEARLY)
    due_month = models.PositiveSmallIntegerField(_("支付月份"), default=1)
    due_day = models.PositiveSmallIntegerField(_("支付日"), default=1)
    signed_on = models.DateField(_("签订日期"))
    document = models.FileField(_("合同扫描件"), upload_to="land/%Y/%m/", max_length=200, blank=True)
    document_name = models.CharField(_("文件名"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=ContractStatus.choices, default=ContractStatus.ACTIVE)
    note = LimitedTextField(_("备注"), blank=True, max_length=text.NOTE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    EDITABLE = (
        "number",
        "kind",
        "org",
        "enterprise",
        "decision",
        "starts_on",
        "ends_on",
        "rent_per_mu",
        "collective_area",
        "cycle",
        "due_month",
        "due_day",
        "signed_on",
        "note",
    )

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("土地流转合同")
        verbose_name_plural = _("土地流转合同")
        ordering = ["area_path", "-starts_on", "-id"]

    def __str__(self) -> str:
        return self.number or _("流转合同%(id)s") % {"id": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("land:contract_detail", args=[self.pk])

    @property
    def transferee_name(self) -> str:
        return self.enterprise.name if self.enterprise_id and self.enterprise else self.org.name


class ContractParcel(models.Model):
    """The part of a parcel a contract transfers (mu)."""

    contract = models.ForeignKey(
        TransferContract, verbose_name=_("合同"), on_delete=models.CASCADE, related_name="parcels"
    )
    parcel = models.ForeignKey(Parcel, verbose_name=_("地块"), on_delete=models.PROTECT, related_name="transfers")
    area = models.DecimalField(_("流转面积(亩)"), max_digits=12, decimal_places=2)

    scope_area_path = "contract__area_path"

    class Meta:
        verbose_name = _("流转地块")
        verbose_name_plural = _("流转地块")
        ordering = ["contract", "id"]
        constraints = [models.UniqueConstraint(fields=["contract", "parcel"], name="land_contract_parcel_once")]

    def __str__(self) -> str:
        return f"{self.parcel} · {self.area}"


class InstalmentStatus(models.TextChoices):
    DUE = "due", _("待支付")
    PAID = "paid", _("已支付")


class RentInstalment(models.Model):
    """The rent a household is due under a contract for one period (a year or half a year):
    area × rent per mu × the period's share of the year, to the fen. In a cooperative's books it
    is accrued (`voucher`: Dr 经营支出 / Cr 内部往来-农户) before it is paid."""

    contract = models.ForeignKey(
        TransferContract, verbose_name=_("合同"), on_delete=models.CASCADE, related_name="instalments"
    )
    household = models.ForeignKey(Household, verbose_name=_("承包户"), on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("租期起"))
    period_end = models.DateField(_("租期止"))
    due_on = models.DateField(_("应付日期"), db_index=True)
    area = models.DecimalField(_("面积(亩)"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("应付金额(元)"), max_digits=14, decimal_places=2)
    status = models.CharField(_("状态"), max_length=10, choices=InstalmentStatus.choices, default=InstalmentStatus.DUE)
    voucher = voucher_link(_("计提凭证"))

    scope_area_path = "contract__area_path"

    class Meta:
        verbose_name = _("应付租金")
        verbose_name_plural = _("应付租金")
        ordering = ["contract", "due_on", "household_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "household", "period_start"], name="land_instalment_once")
        ]

    def __str__(self) -> str:
        return f"{self.household} · {self.due_on} · {self.amount}"

    def get_absolute_url(self) -> str:
        return reverse("land:contract_detail", args=[self.contract_id])


class PaymentKind(models.TextChoices):
    RECEIVED = "received", _("收到企业租金")  # Dr 银行存款 / Cr 内部往来-各户
    PAID = "paid", _("支付农户租金")  # Dr 内部往来-农户 / Cr 银行存款


class RentPayment(models.Model):
    """Rent that moved: an enterprise's payment to the collective for the households, split by area
    (`household` empty), or a payment to one household (of one instalment)."""

    contract = models.ForeignKey(
        TransferContract, verbose_name=_("合同"), on_delete=models.PROTECT, related_name="payments"
    )
    kind = models.CharField(_("类别"), max_length=10, choices=PaymentKind.choices)
    household = models.ForeignKey(
        Household, verbose_name=_("农户"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    instalment = models.ForeignKey(
        RentInstalment,
        verbose_name=_("应付租金"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )
    paid_on = models.DateField(_("日期"))
    amount = models.DecimalField(_("金额(元)"), max_digits=14, decimal_places=2)
    # Of an enterprise's payment: the part for the collective's own land, kept as its income.
    kept = models.DecimalField(_("集体留存(元)"), max_digits=14, decimal_places=2, default=Decimal("0"))
    voucher = voucher_link(_("记账凭证"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    scope_area_path = "contract__area_path"

    class Meta:
        verbose_name = _("租金收付")
        verbose_name_plural = _("租金收付")
        ordering = ["-paid_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.amount}"

    def get_absolute_url(self) -> str:
        return reverse("land:contract_detail", args=[self.contract_id])


class ReminderKind(models.TextChoices):
    OVERDUE = "overdue", _("租金到期未付")
    ENDING = "ending", _("合同即将到期")


class LandReminder(models.Model):
    """A day's reminder about a contract, kept so the daily job tells each thing once a day."""

    contract = models.ForeignKey(TransferContract, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    day = models.DateField()

    scope_area_path = "contract__area_path"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contract", "kind", "day"], name="land_reminder_once")]

    def __str__(self) -> str:
        return f"{self.contract_id} · {self.kind} · {self.day}"
