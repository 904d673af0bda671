"""The collective economic organisation (集体经济组织) of a village and the cooperatives (合作社) it
founds, each keeping its books in the ledger; and the village's major economic decisions, taken
through 四议两公开 and pointed to by what they authorise (a cooperative's founding, a land transfer
programme, a distribution plan)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongniudai.common import text
from hongniudai.common.text import LimitedTextField
from hongniudai.ledger.interface import Books, voucher_link
from hongniudai.orglife.interface import Meeting
from hongniudai.places.models import AreaNode


class DecisionSubject(models.TextChoices):
    COOPERATIVE = "cooperative", _("组建合作社")
    LAND_TRANSFER = "land_transfer", _("土地流转")
    DISTRIBUTION = "distribution", _("收益分配")
    PROJECT = "project", _("集体经济项目")
    OTHER = "other", _("其他重大事项")


class Decision(models.Model):
    """A village's major economic decision (村级重大事项), taken through 四议两公开: its steps are
    `DecisionStep` rows, in `StepKind` order."""

    village = models.ForeignKey(AreaNode, verbose_name=_("村"), on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)  # the village's, for the access rule
    subject = models.CharField(_("事项类别"), max_length=20, choices=DecisionSubject.choices)
    title = models.CharField(_("事项名称"), max_length=200)
    content = LimitedTextField(_("事项内容"), blank=True, max_length=text.NOTE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("四议两公开事项")
        verbose_name_plural = _("四议两公开事项")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("collective:decision_detail", args=[self.pk])


class StepKind(models.TextChoices):
    """The six steps of 四议两公开, in order."""

    PROPOSE = "propose", _("村党组织提议")
    DISCUSS = "discuss", _("村两委会议商议")
    REVIEW = "review", _("党员大会审议")
    RESOLVE = "resolve", _("村民(代表)会议决议")
    PUBLISH_RESOLUTION = "publish_resolution", _("决议公开")
    PUBLISH_RESULT = "publish_result", _("实施结果公开")


STEP_ORDER: tuple[str, ...] = tuple(StepKind.values)


class DecisionStep(models.Model):
    """One step of a decision: when it was taken, the party meeting that took it where organisational
    life records it (the committee's proposal, the members' meeting's review), and what was decided."""

    decision = models.ForeignKey(Decision, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("环节"), max_length=20, choices=StepKind.choices)
    held_on = models.DateField(_("日期"))
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议记录"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attended = models.PositiveIntegerField(_("参会人数"), null=True, blank=True)
    agreed = models.PositiveIntegerField(_("同意人数"), null=True, blank=True)
    note = LimitedTextField(_("情况说明"), blank=True, max_length=text.NOTE)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    scope_area_path = "decision__area_path"

    class Meta:
        verbose_name = _("四议两公开环节")
        verbose_name_plural = _("四议两公开环节")
        ordering = ["decision", "held_on", "id"]
        constraints = [models.UniqueConstraint(fields=["decision", "kind"], name="collective_step_once")]

    def __str__(self) -> str:
        return f"{self.decision} · {self.get_kind_display()}"


class OrgKind(models.TextChoices):
    """The collective economic organisation itself, or a cooperative it founded."""

    SHAREHOLDING_COLLECTIVE = "shareholding_collective", _("股份经济合作社")
    ECONOMIC_COOPERATIVE = "economic_cooperative", _("经济合作社")
    VILLAGE_COMMITTEE = "village_committee", _("村民委员会代行")
    SHAREHOLDING_COOPERATIVE = "shareholding_cooperative", _("股份制合作社")
    SPECIALISED_COOPERATIVE = "specialised_cooperative", _("农民专业合作社")


COLLECTIVE_KINDS = (OrgKind.SHAREHOLDING_COLLECTIVE, OrgKind.ECONOMIC_COOPERATIVE, OrgKind.VILLAGE_COMMITTEE)


class EconomicOrg(models.Model):
    """A collective economic organisation (a village's own: `founded_by` empty) or a cooperative founded
    by one (`founded_by` set), with the books it keeps in the ledger and the decision that authorised
    its founding."""

    village = models.ForeignKey(AreaNode, verbose_name=_("村"), on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("组织类型"), max_length=30, choices=OrgKind.choices)
    founded_by = models.ForeignKey(
        "self",
        verbose_name=_("发起的集体经济组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cooperatives",
    )
    decision = models.ForeignKey(
        Decision, verbose_name=_("决策依据"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    books = models.OneToOneField(
        Books, verbose_name=_("账套"), null=True, blank=True, on_delete=models.PROTECT, related_name="economic_org"
    )
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    business = models.CharField(_("经营范围"), max_length=200, blank=True)
    is_active = models.BooleanField(_("存续"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # Kept by the services (`collective.rollups`): current members, total shares, cooperatives founded.
    members_now = models.PositiveIntegerField(default=0, editable=False)
    shares_total = models.DecimalField(max_digits=16, decimal_places=2, default=0, editable=False)
    cooperatives_founded = models.PositiveIntegerField(default=0, editable=False)

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("集体经济组织")
        verbose_name_plural = _("集体经济组织")
        ordering = ["area_path", "id"]
        constraints = [
            # One collective economic organisation per village; its cooperatives name it as founder.
            models.UniqueConstraint(
                fields=["village"], condition=models.Q(founded_by__isnull=True), name="collective_one_per_village"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("collective:org_detail", args=[self.pk])


class HouseholdAccount(models.Model):
    """A household's sub-account (明细科目) under one account of an organisation's books: what the
    collective owes a household or is owed by it (内部往来, 应付劳务费, 应付款 …), so that every yuan
    reaching a household is a line on its own account."""

    books = models.ForeignKey(Books, on_delete=models.CASCADE, related_name="+")
    household = models.ForeignKey("places.Household", on_delete=models.PROTECT, related_name="+")
    parent_code = models.CharField(_("上级科目编码"), max_length=20)
    account = models.OneToOneField("ledger.Account", on_delete=models.PROTECT, related_name="household_account")

    scope_area_path = "books__area_path"

    class Meta:
        verbose_name = _("农户明细科目")
        verbose_name_plural = _("农户明细科目")
        constraints = [
            models.UniqueConstraint(fields=["books", "household", "parent_code"], name="collective_household_account")
        ]

    def __str__(self) -> str:
        return str(self.account)


class Membership(models.Model):
    """A household's membership of an organisation (成员身份确认): confirmed on a date, by a decision;
    ended (withdrawn, merged) on another."""

    org = models.ForeignKey(EconomicOrg, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="memberships")
    household = models.ForeignKey(
        "places.Household", verbose_name=_("成员户"), on_delete=models.PROTECT, related_name="+"
    )
    confirmed_on = models.DateField(_("确认日期"))
    decision = models.ForeignKey(
        Decision, verbose_name=_("确认依据"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_on = models.DateField(_("退出日期"), null=True, blank=True)
    note = LimitedTextField(_("备注"), blank=True, max_length=text.NOTE)

    scope_area_path = "org__area_path"

    class Meta:
        verbose_name = _("成员")
        verbose_name_plural = _("成员")
        ordering = ["org", "id"]
        constraints = [models.UniqueConstraint(fields=["org", "household"], name="collective_member_once")]

    def __str__(self) -> str:
        return f"{self.org} · {self.household}"

    def get_absolute_url(self) -> str:
        return reverse("collective:member_list", args=[self.org_id])


class ShareKind(models.TextChoices):
    COLLECTIVE = "collective", _("集体股")
    MEMBER = "member", _("成员股")


class ContributionKind(models.TextChoices):
    """What a share was paid for with (出资方式)."""

    ALLOTTED = "allotted", _("折股量化")  # the collective's assets quantified to members
    CASH = "cash", _("现金入股")
    LAND = "land", _("土地经营权入股")
    LABOUR = "labour", _("劳务入股")


class ShareEntry(models.Model):
    """One line of the share register (股权登记簿): shares added (positive) or taken away (negative) for
    a holder (a member household, or the organisation's collective share when `household` is empty) on
    a date, with what they were paid for and why. A holder's shares on a day are the sum of their
    entries up to it; never below zero. Posted entries are never edited: a correction is a new entry."""

    org = models.ForeignKey(EconomicOrg, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="share_entries")
    household = models.ForeignKey(
        "places.Household", verbose_name=_("持股户"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("股份类别"), max_length=20, choices=ShareKind.choices)
    contribution = models.CharField(_("出资方式"), max_length=20, choices=ContributionKind.choices)
    shares = models.DecimalField(_("股数"), max_digits=12, decimal_places=2)  # + added, − taken away
    amount = models.DecimalField(_("出资金额(元)"), max_digits=14, decimal_places=2, default=0)
    effective_on = models.DateField(_("生效日期"))
    reason = models.CharField(_("变动原因"), max_length=200)
    decision = models.ForeignKey(
        Decision, verbose_name=_("决策依据"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    voucher = voucher_link(_("记账凭证"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    scope_area_path = "org__area_path"

    class Meta:
        verbose_name = _("股权登记")
        verbose_name_plural = _("股权登记")
        ordering = ["org", "effective_on", "id"]

    def __str__(self) -> str:
        return f"{self.org} · {self.shares}"

    def get_absolute_url(self) -> str:
        return reverse("collective:share_register", args=[self.org_id]) + f"#entry-{self.pk}"
