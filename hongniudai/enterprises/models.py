"""Enterprise party work: the enterprise registry (with its USCC), the party members working
there, coverage (应建尽建), instructors (红色指导员) and their guidance visits.

Coverage follows from the full members employed, the branch the enterprise belongs to and its
instructors; it is kept on the enterprise (`full_members`, `coverage`) by the services, as defined
in `rollups`. An instructor sees the enterprises named in
`Enterprise.instructors` (a grant, kept by the services from `InstructorAssignment`) and the
branches assigned to them (a role assignment on the branch, kept by the same services).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hongniudai.common import text
from hongniudai.common.text import LimitedTextField
from hongniudai.party.models import BranchType, Member, PartyOrg
from hongniudai.places.models import AreaKind, AreaNode


class Industry(models.TextChoices):
    FINE_CHEMICALS = "fine_chemicals", _("精细化工")
    LIQUOR_FOOD = "liquor_food", _("酒业与食品")
    NEW_MATERIALS = "new_materials", _("新材料")
    BUILDING_MATERIALS = "building_materials", _("建材")
    AGRI_PROCESSING = "agri_processing", _("农产品加工")
    MACHINERY = "machinery", _("机械制造")
    TRADE_LOGISTICS = "trade_logistics", _("商贸物流")
    SERVICES = "services", _("服务业")
    OTHER = "other", _("其他")


class Coverage(models.TextChoices):
    """应建尽建: where an enterprise stands (kept on the enterprise as defined in `rollups`)."""

    OWN_BRANCH = "own_branch", _("已单独建立党支部")
    JOINT_BRANCH = "joint_branch", _("已纳入联合党支部")
    WATCHED = "watched", _("无党员·已派指导员")
    SHOULD_FOUND = "should_found", _("正式党员3人以上未单独建支部")
    SHOULD_JOIN = "should_join", _("有党员未纳入党组织")
    NO_INSTRUCTOR = "no_instructor", _("无党员且未派指导员")


class Size(models.TextChoices):
    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


# Where an enterprise may be registered, and the branches that may take it in (a chamber of
# commerce branch takes in its member firms as a joint branch does).
ENTERPRISE_AREA_KINDS = (AreaKind.PARK, AreaKind.VILLAGE)
ENTERPRISE_BRANCH_TYPES = (BranchType.ENTERPRISE, BranchType.JOINT, BranchType.CHAMBER)


class Enterprise(models.Model):
    name = models.CharField(_("企业名称"), max_length=100)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    industry = models.CharField(_("行业"), max_length=30, choices=Industry.choices, db_index=True)
    area = models.ForeignKey(
        AreaNode,
        verbose_name=_("所在园区或村"),
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    size = models.CharField(_("规模"), max_length=10, choices=Size.choices, default=Size.SMALL)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    employees = models.PositiveIntegerField(_("职工人数"), default=0)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=11, blank=True)
    branch = models.ForeignKey(
        PartyOrg,
        verbose_name=_("所属党支部"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enterprises",
        limit_choices_to={"kind": "branch"},
        help_text=_("本企业单独建立的党支部,或所纳入的联合党支部"),
    )
    instructors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("党建指导员"), blank=True, related_name="guided_enterprises"
    )
    is_active = models.BooleanField(_("在营"), default=True)
    note = LimitedTextField(_("备注"), blank=True, max_length=text.NOTE)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # The coverage rollup (`rollups`): never set by a form, kept by the services.
    full_members = models.PositiveIntegerField(_("正式党员数"), default=0, editable=False)
    coverage = models.CharField(
        _("覆盖情况"),
        max_length=20,
        choices=Coverage.choices,
        default=Coverage.NO_INSTRUCTOR,
        editable=False,
    )

    scope_area_path = "area__path"
    scope_org_path = "branch__path"
    scope_user_grants = "instructors"

    # What registering or changing an enterprise sets: the services, the audit (phone masked),
    # the form's initial values and the API's update read this.
    EDITABLE = (
        "name",
        "uscc",
        "industry",
        "area",
        "size",
        "address",
        "employees",
        "founded_on",
        "contact_name",
        "contact_phone",
        "branch",
        "is_active",
        "note",
    )

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Employment(models.Model):
    """A party member working at an enterprise (whichever branch their membership is in)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="employments"
    )
    member = models.OneToOneField(Member, verbose_name=_("党员"), on_delete=models.CASCADE, related_name="employment")
    position = models.CharField(_("岗位"), max_length=50, blank=True)
    since = models.DateField(_("入职日期"), null=True, blank=True)

    scope_area_path = "enterprise__area__path"
    scope_org_path = "enterprise__branch__path"
    scope_user_grants = "enterprise__instructors"

    class Meta:
        verbose_name = _("企业党员")
        verbose_name_plural = _("企业党员")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.member}"


class InstructorAssignment(models.Model):
    """The history of who guided what. The current ones are mirrored by the services into
    `Enterprise.instructors` and into instructor role assignments on branches."""

    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("指导员"),
        on_delete=models.PROTECT,
        related_name="instructor_assignments",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("企业"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="instructor_assignments",
    )
    org = models.ForeignKey(
        PartyOrg,
        verbose_name=_("党支部"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="instructor_assignments",
    )
    area = models.ForeignKey(AreaNode, on_delete=models.CASCADE, related_name="+", help_text="企业或党支部所在地区")
    since = models.DateField(_("派驻日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    scope_area_path = "area__path"
    scope_org_path = "org__path"
    scope_user_grants = "instructor"

    class Meta:
        verbose_name = _("指导员派驻")
        verbose_name_plural = _("指导员派驻")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(enterprise__isnull=False) & Q(org__isnull=True))
                | (Q(enterprise__isnull=True) & Q(org__isnull=False)),
                name="instructor_assignment_names_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.instructor} → {self.enterprise or self.org}"


class CheckItem(models.TextChoices):
    MEETING_RECORDS = "meeting_records", _("三会一课记录")
    THEME_DAYS = "theme_days", _("主题党日")
    MEMBER_FILES = "member_files", _("党员档案")
    DEVELOPMENT_FILES = "development_files", _("发展党员材料")
    DUES = "dues", _("党费收缴")
    POSITION = "position", _("阵地建设")


class GuidanceVisit(models.Model):
    """One visit of an instructor to a branch, or to an enterprise that has no branch yet (then
    `org` is empty). `area` is where the visited branch or enterprise is, for the scope."""

    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("指导员"), on_delete=models.PROTECT, related_name="guidance_visits"
    )
    org = models.ForeignKey(
        PartyOrg,
        verbose_name=_("党支部"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="guidance_visits",
    )
    area = models.ForeignKey(
        AreaNode,
        verbose_name=_("所在地区"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("所指导党支部或企业所在的园区或村"),
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("企业"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guidance_visits",
    )
    visited_on = models.DateField(_("指导日期"), db_index=True)
    checked = models.JSONField(_("检查内容"), default=list, blank=True)  # CheckItem values
    findings = LimitedTextField(_("发现的问题"), blank=True, max_length=text.TEXT)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    scope_area_path = "area__path"
    scope_org_path = "org__path"
    scope_user_grants = "instructor"

    class Meta:
        verbose_name = _("指导记录")
        verbose_name_plural = _("指导记录")
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(org__isnull=False) | Q(enterprise__isnull=False),
                name="guidance_visit_names_a_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.org or self.enterprise}"


class GuidanceFollowUp(models.Model):
    """整改事项: something a visit found, to be put right by a date and then closed."""

    visit = models.ForeignKey(
        GuidanceVisit, verbose_name=_("指导记录"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    description = models.CharField(_("整改事项"), max_length=200)
    due_on = models.DateField(_("整改期限"))
    closed_on = models.DateField(_("完成日期"), null=True, blank=True)
    closing_note = models.CharField(_("完成情况"), max_length=200, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_area_path = "visit__area__path"
    scope_org_path = "visit__org__path"
    scope_user_grants = "visit__instructor"

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description


class Instructor(models.Model):
    """红色指导员: the profile of a user who guides enterprises and branches for a town."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.PROTECT, related_name="instructor_profile"
    )
    area = models.ForeignKey(
        AreaNode,
        verbose_name=_("管理镇"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("选派并管理该指导员的镇"),
    )
    work_unit = models.CharField(_("工作单位"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=11, blank=True)
    note = LimitedTextField(_("备注"), blank=True, max_length=text.NOTE)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    scope_area_path = "area__path"
    scope_user_grants = "user"

    # What changing an instructor's profile sets (the name is the user account's).
    EDITABLE = ("work_unit", "phone", "note")

    class Meta:
        verbose_name = _("党建指导员")
        verbose_name_plural = _("党建指导员")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.user)
