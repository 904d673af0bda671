"""The area tree (county → town → district → village → grid → hamlet, and parks), households and residents."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongniudai.common import text
from hongniudai.common.text import LimitedTextField
from hongniudai.common.tree import TreeNode

ELDERLY_AGE = 60


class AreaKind(models.TextChoices):
    COUNTY = "county", _("县")
    TOWN = "town", _("镇")
    DISTRICT = "district", _("片区")
    VILLAGE = "village", _("村")
    GRID = "grid", _("村组(网格)")
    HAMLET = "hamlet", _("湾组")
    PARK = "park", _("园区")


# Which kind may sit under which (a park sits under its town).
ALLOWED_CHILDREN: dict[str, tuple[str, ...]] = {
    AreaKind.COUNTY: (AreaKind.TOWN,),
    AreaKind.TOWN: (AreaKind.DISTRICT, AreaKind.PARK),
    AreaKind.DISTRICT: (AreaKind.VILLAGE,),
    AreaKind.VILLAGE: (AreaKind.GRID,),
    AreaKind.GRID: (AreaKind.HAMLET,),
    AreaKind.HAMLET: (),
    AreaKind.PARK: (),
}
# Length of the statistical code (GB/T 2260 + statistical codes) by kind.
CODE_LENGTH: dict[str, int] = {AreaKind.COUNTY: 6, AreaKind.TOWN: 9, AreaKind.VILLAGE: 12}


class AreaNode(TreeNode):
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=AreaKind.choices, db_index=True)
    is_community = models.BooleanField(_("社区"), default=False, help_text=_("城镇社区(而非行政村)"))
    code = models.CharField(_("统计代码"), max_length=12, blank=True)
    geometry = models.JSONField(_("位置(GeoJSON)"), null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    # Counters of a hamlet's own households, residents and party members (zero elsewhere), kept
    # true by the services (`counters.refresh`) so that counts per subtree are sums over hamlets.
    households_here = models.PositiveIntegerField(default=0, editable=False)
    residents_here = models.PositiveIntegerField(default=0, editable=False)
    members_here = models.PositiveIntegerField(default=0, editable=False)

    # What may change after creation (the kind and the parent are fixed): services, forms and the API read it.
    EDITABLE = ("name", "code", "geometry", "is_community", "sort_order")

    scope_area_path = "path"

    class Meta:
        verbose_name = _("地区")
        verbose_name_plural = _("地区")
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="area_unique_name_in_parent")]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        if self.kind == AreaKind.VILLAGE and self.is_community:
            return str(_("社区"))
        return self.get_kind_display()


class Household(models.Model):
    hamlet = models.ForeignKey(
        AreaNode,
        verbose_name=_("湾组"),
        on_delete=models.PROTECT,
        related_name="households",
        limit_choices_to={"kind": AreaKind.HAMLET},
    )
    number = models.CharField(_("户编号"), max_length=30, blank=True)
    address = models.CharField(_("住址"), max_length=200)
    head = models.OneToOneField(
        "Resident", verbose_name=_("户主"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_formerly_poor = models.BooleanField(_("脱贫户"), default=False)
    is_monitored = models.BooleanField(_("监测户"), default=False, help_text=_("防返贫动态监测对象"))
    note = LimitedTextField(_("备注"), blank=True, max_length=text.NOTE)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    EDITABLE = ("hamlet", "number", "address", "head", "is_formerly_poor", "is_monitored", "note")

    scope_area_path = "hamlet__path"

    class Meta:
        verbose_name = _("户")
        verbose_name_plural = _("户")
        ordering = ["id"]  # lists order explicitly; a join here would burden every related query

    def __str__(self) -> str:
        head = self.head.name if self.head_id and self.head else ""
        return f"{head or self.address}"


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Relation(models.TextChoices):
    HEAD = "head", _("户主")
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")
    GRANDCHILD = "grandchild", _("孙辈")
    GRANDPARENT = "grandparent", _("祖辈")
    SIBLING = "sibling", _("兄弟姐妹")
    CHILD_IN_LAW = "child_in_law", _("儿媳/女婿")
    OTHER = "other", _("其他")


class ResidentQuerySet(models.QuerySet["Resident"]):
    def elderly(self, today: dt.date | None = None) -> ResidentQuerySet:
        return self.filter(birth_date__lte=elderly_cutoff(today))


def elderly_cutoff(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - ELDERLY_AGE)
    except ValueError:  # 29 February
        return today.replace(year=today.year - ELDERLY_AGE, day=28)


def age_on(birth_date: dt.date, today: dt.date) -> int:
    """Whole years from `birth_date` to `today`."""
    years = today.year - birth_date.year
    if (today.month, today.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


class Resident(models.Model):
    household = models.ForeignKey(Household, verbose_name=_("所在户"), on_delete=models.PROTECT, related_name="members")
    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    name_initials = models.CharField(_("拼音首字母"), max_length=50, db_index=True, editable=False)
    name_pinyin = models.CharField(_("拼音"), max_length=200, editable=False)
    # The ID number: a keyed digest for exact search, the number encrypted, and its masked form.
    id_digest = models.CharField(max_length=64, unique=True, editable=False)
    id_cipher = models.TextField(editable=False)
    id_masked = models.CharField(_("身份证号"), max_length=18, editable=False)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"), db_index=True)
    phone = models.CharField(_("手机号"), max_length=11, blank=True)
    relation = models.CharField(_("与户主关系"), max_length=20, choices=Relation.choices, default=Relation.OTHER)
    is_veteran = models.BooleanField(_("退役军人"), default=False)
    is_returnee = models.BooleanField(_("返乡能人"), default=False)
    is_disabled = models.BooleanField(_("残疾人"), default=False)
    note = LimitedTextField(_("备注"), blank=True, max_length=text.NOTE)
    # The platform account of the person, if they have one (linked by `services.link_account`).
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("平台账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resident",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ResidentQuerySet.as_manager()

    # The editable fields besides the ID number (from which the sex and birth date follow).
    EDITABLE = ("household", "name", "phone", "relation", "is_veteran", "is_returnee", "is_disabled", "note")

    scope_area_path = "household__hamlet__path"

    class Meta:
        verbose_name = _("居民")
        verbose_name_plural = _("居民")
        ordering = ["household_id", "id"]

    def __str__(self) -> str:
        return self.name

    def age(self, today: dt.date | None = None) -> int:
        return age_on(self.birth_date, today or timezone.localdate())

    @property
    def is_elderly(self) -> bool:
        return self.birth_date <= elderly_cutoff()


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已同意迁入")
    REJECTED = "rejected", _("已驳回")


class RegistrationReview(models.Model):
    """登记审核申请: a village registered a person whose ID number is on file outside its scope. The
    village is told only that the town reviews it; the town moves the resident here or rejects."""

    resident = models.ForeignKey(
        Resident, verbose_name=_("已登记的居民"), on_delete=models.CASCADE, related_name="registration_reviews"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("申请登记到的住户"), on_delete=models.CASCADE, related_name="registration_reviews"
    )
    name = models.CharField(_("申请登记的姓名"), max_length=50)
    relation = models.CharField(_("与户主关系"), max_length=20, choices=Relation.choices, default=Relation.OTHER)
    status = models.CharField(
        _("状态"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reason = LimitedTextField(_("驳回理由"), blank=True, max_length=text.NOTE)

    # Seen and decided where the person asks to be registered; the decision also needs the resident's place.
    scope_area_path = "household__hamlet__path"

    class Meta:
        verbose_name = _("登记审核申请")
        verbose_name_plural = _("登记审核申请")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} → {self.household}"
