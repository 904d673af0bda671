"""The collective's books (账套): a double-entry ledger per collective economic organisation.

Amounts are whole fen (分) in BigIntegerFields, not Decimal yuan: SQLite stores a DecimalField with
NUMERIC affinity, i.e. as a binary float, so sums and `F()` additions there would be approximate; an
integer is exact on both databases, in triggers and in `verify_ledger`. Services take and give yuan
as `Decimal` with at most two places (`hongniudai.ledger.money`).

A posted voucher is never changed. A mistake is corrected by a reversal (红字冲销): a new posted voucher
naming the one it reverses, with every line copied on the same side with a negative (red) amount, as
Chinese practice writes it; a negative amount is allowed on a reversal only, and a voucher is
reversed at most once (`Voucher.reverses` is one-to-one)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hongniudai.common import text
from hongniudai.common.text import LimitedTextField
from hongniudai.places.models import AreaNode


class OrgKind(models.TextChoices):
    SHAREHOLDING = "shareholding", _("股份经济合作社")
    COOPERATIVE = "cooperative", _("经济合作社")
    VILLAGE_COMMITTEE = "village_committee", _("村民委员会代行")


class Standard(models.TextChoices):
    CK_2023 = "财会〔2023〕14号", _("农村集体经济组织会计制度(财会〔2023〕14号)")
    CK_2004 = "财会〔2004〕12号", _("村集体经济组织会计制度(财会〔2004〕12号)")


class Books(models.Model):
    """The books of one collective economic organisation, hanging at its village."""

    village = models.ForeignKey(AreaNode, verbose_name=_("村"), on_delete=models.PROTECT, related_name="books")
    # The village's path, kept beside the key (set where the key is set) for the access rule.
    area_path = models.CharField(max_length=255, db_index=True, editable=False)
    name = models.CharField(_("集体经济组织名称"), max_length=100)
    kind = models.CharField(_("组织类型"), max_length=30, choices=OrgKind.choices)
    standard = models.CharField(_("会计制度"), max_length=30, choices=Standard.choices, default=Standard.CK_2023)
    opened_on = models.DateField(_("建账日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    EDITABLE = ("name", "kind")

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("账套")
        verbose_name_plural = _("账套")
        ordering = ["area_path", "id"]

    def __str__(self) -> str:
        return self.name


class Category(models.TextChoices):
    """The five categories of the regulation's chart (科目类别)."""

    ASSET = "asset", _("资产类")
    LIABILITY = "liability", _("负债类")
    EQUITY = "equity", _("所有者权益类")
    COST = "cost", _("成本类")
    INCOME = "income", _("损益类")


class Side(models.TextChoices):
    DEBIT = "debit", _("借")
    CREDIT = "credit", _("贷")


class Account(models.Model):
    """An account (会计科目) of one organisation's chart; a sub-account takes its parent's category and
    normal balance."""

    books = models.ForeignKey(Books, verbose_name=_("账套"), on_delete=models.CASCADE, related_name="accounts")
    code = models.CharField(_("科目编码"), max_length=20)
    name = models.CharField(_("科目名称"), max_length=100)
    category = models.CharField(_("科目类别"), max_length=10, choices=Category.choices)
    normal_balance = models.CharField(_("余额方向"), max_length=6, choices=Side.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级科目"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_postable = models.BooleanField(_("可记账"), default=True)
    # The regulation the account comes from ("财会〔2023〕14号", "财会〔2004〕12号"); "" for a village's own.
    standard = models.CharField(_("来源"), max_length=30, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    EDITABLE = ("name", "is_active")

    scope_area_path = "books__area_path"

    class Meta:
        verbose_name = _("会计科目")
        verbose_name_plural = _("会计科目")
        ordering = ["books", "code"]
        constraints = [
            models.UniqueConstraint(fields=["books", "code"], name="ledger_account_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("未结账")
    CLOSED = "closed", _("已结账")


class Period(models.Model):
    """A month of the books (会计期间). Closed, it is locked; its digest of lines is kept to prove it
    unchanged. Closing and reopening (with its reason) are audit events."""

    books = models.ForeignKey(Books, verbose_name=_("账套"), on_delete=models.CASCADE, related_name="periods")
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    status = models.CharField(_("状态"), max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.OPEN)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("结账人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("结账时间"), null=True, blank=True)
    digest = models.CharField(_("结账摘要值"), max_length=64, blank=True)

    scope_area_path = "books__area_path"

    class Meta:
        verbose_name = _("会计期间")
        verbose_name_plural = _("会计期间")
        ordering = ["books", "year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["books", "year", "month"], name="ledger_period_unique"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="ledger_period_month"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.month}月"


class VoucherCounter(models.Model):
    """The last voucher number used in one books and year, locked while a voucher is numbered."""

    books = models.ForeignKey(Books, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["books", "year"], name="ledger_counter_unique")]

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class VoucherStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    POSTED = "posted", _("已记账")


# The idempotency keys of the year-end close (`services.periods.year_end_close`): one voucher carrying
# the year's income and expense into 本年收益, one carrying 本年收益 and the distributions on.
YEAR_END_KEY_PREFIX = "year-end:"


def year_end_keys(year: int) -> tuple[str, str]:
    """The keys of `year`'s two closing vouchers: (income into 本年收益, 本年收益 on to 未分配收益)."""
    return (f"{YEAR_END_KEY_PREFIX}{year}:income", f"{YEAR_END_KEY_PREFIX}{year}:profit")


class Voucher(models.Model):
    """A voucher (记账凭证). Numbered per books and year, without gaps, when it is posted."""

    books = models.ForeignKey(Books, verbose_name=_("账套"), on_delete=models.PROTECT, related_name="vouchers")
    date = models.DateField(_("凭证日期"))
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("凭证号"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=VoucherStatus.choices, default=VoucherStatus.DRAFT)
    summary = models.CharField(_("摘要"), max_length=200)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("制单人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记账人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    posted_at = models.DateTimeField(_("记账时间"), null=True, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("冲销凭证"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    idempotency_key = models.CharField(_("幂等键"), max_length=100, blank=True)
    # The business event the voucher records ("app_label.model:pk", e.g. a land rent payment), set by
    # the domain that posted it through `interface.post_entry`; "" for a voucher entered by hand.
    source = models.CharField(_("业务来源"), max_length=80, blank=True, default="", db_default="")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    EDITABLE = ("date", "summary", "reviewed_by")

    scope_area_path = "books__area_path"

    class Meta:
        verbose_name = _("记账凭证")
        verbose_name_plural = _("记账凭证")
        ordering = ["books", "year", "number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["books", "year", "number"], condition=Q(number__isnull=False), name="ledger_voucher_number"
            ),
            models.UniqueConstraint(
                fields=["books", "idempotency_key"], condition=~Q(idempotency_key=""), name="ledger_voucher_idem"
            ),
            models.CheckConstraint(
                condition=Q(status=VoucherStatus.DRAFT) | Q(number__isnull=False, posted_at__isnull=False),
                name="ledger_voucher_posted_numbered",
            ),
        ]
        indexes = [
            models.Index(fields=["books", "date"], name="ledger_voucher_books_date"),
            # The voucher list across many books (a town's, a county's), newest first: read backwards
            # instead of sorting every voucher in scope for a page of fifty.
            models.Index(fields=["date", "number", "id"], name="ledger_voucher_newest"),
        ]

    def __str__(self) -> str:
        if self.number is None:
            return f"草稿 {self.date} {self.summary}"
        return voucher_number_label(self.year, self.number)


def voucher_number_label(year: int, number: int) -> str:
    """A posted voucher's number as the books write it: 记-2026-0042."""
    return f"记-{year}-{number:04d}"


class VoucherLine(models.Model):
    """A line (分录) of a voucher: one side only, in fen; negative only on a reversal (红字)."""

    voucher = models.ForeignKey(Voucher, verbose_name=_("凭证"), on_delete=models.CASCADE, related_name="lines")
    account = models.ForeignKey(Account, verbose_name=_("会计科目"), on_delete=models.PROTECT, related_name="lines")
    summary = models.CharField(_("摘要"), max_length=200, blank=True)
    debit_fen = models.BigIntegerField(_("借方金额(分)"), default=0)
    credit_fen = models.BigIntegerField(_("贷方金额(分)"), default=0)

    scope_area_path = "voucher__books__area_path"

    class Meta:
        verbose_name = _("分录")
        verbose_name_plural = _("分录")
        ordering = ["voucher", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit_fen=0) & ~Q(credit_fen=0)) | (~Q(debit_fen=0) & Q(credit_fen=0)),
                name="ledger_line_one_side",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.debit_fen}/{self.credit_fen}"


class Balance(models.Model):
    """The posted debit and credit totals of one account in one period, kept by the posting service:
    reports read these, never sum every line."""

    books = models.ForeignKey(Books, on_delete=models.CASCADE, related_name="balances")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="balances")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="balances")
    debit_fen = models.BigIntegerField(_("借方发生额(分)"), default=0)
    credit_fen = models.BigIntegerField(_("贷方发生额(分)"), default=0)

    scope_area_path = "books__area_path"

    class Meta:
        verbose_name = _("科目余额")
        verbose_name_plural = _("科目余额")
        constraints = [
            models.UniqueConstraint(fields=["account", "period"], name="ledger_balance_unique"),
        ]
        indexes = [models.Index(fields=["books", "period"], name="ledger_balance_books_period")]

    def __str__(self) -> str:
        return f"{self.account_id}@{self.period_id}: {self.debit_fen}/{self.credit_fen}"


class ParentBalance(models.Model):
    """The posted debit and credit totals of everything under an account with sub-accounts (its
    sub-accounts', theirs, …) in one period, kept beside `Balance` by the posting service and the same
    rebuild: a parent's figure is its own `Balance` plus this, so the trial balance of a village's
    books reads the few lines it shows, not the hundreds of household sub-accounts folded under 113."""

    books = models.ForeignKey(Books, on_delete=models.CASCADE, related_name="parent_balances")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="parent_balances")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="parent_balances")
    debit_fen = models.BigIntegerField(_("借方发生额(分)"), default=0)
    credit_fen = models.BigIntegerField(_("贷方发生额(分)"), default=0)

    scope_area_path = "books__area_path"

    class Meta:
        verbose_name = _("上级科目余额")
        verbose_name_plural = _("上级科目余额")
        constraints = [
            models.UniqueConstraint(fields=["account", "period"], name="ledger_parent_balance_unique"),
        ]
        indexes = [models.Index(fields=["books", "period"], name="ledger_parent_balance_books")]

    def __str__(self) -> str:
        return f"{self.account_id}@{self.period_id}: {self.debit_fen}/{self.credit_fen}"


class VoucherAttachment(models.Model):
    """A scanned receipt or document behind a voucher (原始凭证)."""

    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="ledger/%Y/%m/", max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    note = LimitedTextField(_("说明"), blank=True, max_length=text.NOTE)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    scope_area_path = "voucher__books__area_path"

    class Meta:
        verbose_name = _("凭证附件")
        verbose_name_plural = _("凭证附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
