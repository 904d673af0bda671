"""Projects in the park or the town and the service teams that serve them (issue 19).

A project (项目) hangs at the park or town node (`area_path`); its progress is derived from its
milestones' weights (never typed in). A service team (包联服务专班) has one leader and members; a
liaison (包企业 / 包项目) is a cadre's charge. A blocker (堵点难点问题) is a first-class record with a
category from the town's list, an owner, a due date on the working-day calendar, a timeline of
steps, an escalation level and a sign-off (销号) by the team leader. A site visit (进解促走访) records
who went (checked in on a phone), whom they met, what they found and the follow-ups due."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongniudai.common import text
from hongniudai.common.text import LimitedTextField
from hongniudai.enterprises.interface import Enterprise
from hongniudai.places.models import AreaNode

USER = settings.AUTH_USER_MODEL


class ProjectKind(models.TextChoices):
    INDUSTRIAL = "industrial", _("工业项目")
    INFRASTRUCTURE = "infrastructure", _("基础设施")
    AGRICULTURAL = "agricultural", _("农业项目")
    OTHER = "other", _("其他")


class ProjectStatus(models.TextChoices):
    SIGNED = "signed", _("已签约")
    BUILDING = "building", _("在建")
    PRODUCING = "producing", _("已投产")
    STALLED = "stalled", _("停滞")


class MemberKind(models.TextChoices):
    CADRE = "cadre", _("干部")
    INSTRUCTOR = "instructor", _("党建指导员")
    STAFF = "staff", _("工作人员")


class ServiceTeam(models.Model):
    """A service team (包联服务专班): one leader, members, the projects it serves."""

    name = models.CharField(_("专班名称"), max_length=100)
    area = models.ForeignKey(AreaNode, verbose_name=_("所在园区或镇"), on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)
    leader = models.ForeignKey(USER, verbose_name=_("专班组长"), on_delete=models.PROTECT, related_name="+")
    note = LimitedTextField(_("备注"), blank=True, max_length=text.NOTE)
    created_at = models.DateTimeField(_("建立时间"), auto_now_add=True)

    EDITABLE = ("name", "leader", "note")
    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("包联服务专班")
        verbose_name_plural = _("包联服务专班")
        ordering = ["area_path", "name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:team_detail", args=[self.pk])


class TeamMember(models.Model):
    team = models.ForeignKey(ServiceTeam, verbose_name=_("专班"), on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(USER, verbose_name=_("成员"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("身份"), max_length=20, choices=MemberKind.choices, default=MemberKind.CADRE)
    joined_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    scope_area_path = "team__area_path"

    class Meta:
        verbose_name = _("专班成员")
        verbose_name_plural = _("专班成员")
        ordering = ["team", "id"]
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="projects_member_once")]

    def __str__(self) -> str:
        return f"{self.team} · {self.user}"


class Project(models.Model):
    """A project served by the town: one leading cadre, one service team."""

    name = models.CharField(_("项目名称"), max_length=100)
    area = models.ForeignKey(AreaNode, verbose_name=_("所在园区或镇"), on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)
    owner = models.ForeignKey(
        Enterprise, verbose_name=_("业主企业"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contractors = models.CharField(_("施工及承建单位"), max_length=300, blank=True)
    location = models.JSONField(_("位置(GeoJSON)"), null=True, blank=True)
    planned_investment = models.DecimalField(_("计划投资(元)"), max_digits=14, decimal_places=2, default=0)
    invested = models.DecimalField(_("累计完成投资(元)"), max_digits=14, decimal_places=2, default=0)
    kind = models.CharField(_("项目类型"), max_length=20, choices=ProjectKind.choices, default=ProjectKind.INDUSTRIAL)
    status = models.CharField(_("项目状态"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.SIGNED)
    leader = models.ForeignKey(
        USER, verbose_name=_("牵头领导"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        ServiceTeam,
        verbose_name=_("服务专班"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    signed_on = models.DateField(_("签约日期"), null=True, blank=True)
    note = LimitedTextField(_("备注"), blank=True, max_length=text.NOTE)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    # No progress field: progress is the milestones' done weight over their whole weight.
    EDITABLE = (
        "name",
        "owner",
        "contractors",
        "location",
        "planned_investment",
        "invested",
        "kind",
        "status",
        "leader",
        "team",
        "signed_on",
        "note",
    )
    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["area_path", "name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:project_detail", args=[self.pk])


class Milestone(models.Model):
    """A stage's milestone: weighted; done when it has its actual date."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="milestones")
    stage = models.CharField(_("阶段"), max_length=50, blank=True, help_text=_("如“前期”“建设”“投产”"))
    name = models.CharField(_("节点名称"), max_length=100)
    weight = models.DecimalField(_("权重"), max_digits=8, decimal_places=2, default=Decimal(1))
    planned_on = models.DateField(_("计划完成日期"))
    done_on = models.DateField(_("实际完成日期"), null=True, blank=True)

    EDITABLE = ("stage", "name", "weight", "planned_on", "done_on")
    scope_area_path = "project__area_path"

    class Meta:
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        ordering = ["project", "planned_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(weight__gt=0), name="projects_milestone_weight_positive")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:project_detail", args=[self.project_id]) + f"#milestone-{self.pk}"


class LiaisonKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("包企业")
    PROJECT = "project", _("包项目")


class Liaison(models.Model):
    """A cadre's charge of an enterprise or a project, from a day (to a day)."""

    user = models.ForeignKey(USER, verbose_name=_("包联干部"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("包联类型"), max_length=20, choices=LiaisonKind.choices)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("项目"), null=True, blank=True, on_delete=models.PROTECT, related_name="liaisons"
    )
    area_path = models.CharField(max_length=255, db_index=True, editable=False)
    since = models.DateField(_("包联开始日期"))
    until = models.DateField(_("包联结束日期"), null=True, blank=True)

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("包联")
        verbose_name_plural = _("包联")
        ordering = ["user", "-since", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="enterprise") & Q(enterprise__isnull=False) & Q(project__isnull=True))
                | (Q(kind="project") & Q(project__isnull=False) & Q(enterprise__isnull=True)),
                name="projects_liaison_names_one",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.enterprise or self.project}"


class BlockerCategory(models.Model):
    """The town's list of blocker categories (用工, 场地平整 …), with the working days to solve."""

    town = models.ForeignKey(AreaNode, verbose_name=_("镇"), on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("代码"), max_length=30)
    name = models.CharField(_("名称"), max_length=50)
    due_days = models.PositiveSmallIntegerField(_("办理时限(工作日)"), default=10)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    scope_area_path = "town__path"

    class Meta:
        verbose_name = _("堵点类别")
        verbose_name_plural = _("堵点类别")
        ordering = ["town", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["town", "code"], name="projects_category_once")]

    def __str__(self) -> str:
        return self.name


class BlockerStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    IN_PROGRESS = "in_progress", _("处理中")
    ESCALATED_TOWN = "escalated_town", _("已上报镇")
    ESCALATED_COUNTY = "escalated_county", _("已上报县")
    RESOLVED = "resolved", _("已解决待销号")
    SOLVED = "solved", _("已销号")


OPEN_STATUSES = (
    BlockerStatus.OPEN,
    BlockerStatus.IN_PROGRESS,
    BlockerStatus.ESCALATED_TOWN,
    BlockerStatus.ESCALATED_COUNTY,
    BlockerStatus.RESOLVED,
)


class BlockerLevel(models.TextChoices):
    TEAM = "team", _("专班")
    TOWN = "town", _("镇")
    COUNTY = "county", _("县")


def evidence_path(instance: Blocker, filename: str) -> str:
    return f"projects/blockers/{instance.pk or 'new'}/{filename}"


class Blocker(models.Model):
    """A blocker (堵点难点问题) in a project's way: owned, due, stepped, escalated, signed off."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="blockers")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)
    category = models.ForeignKey(BlockerCategory, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="+")
    description = LimitedTextField(_("问题描述"), max_length=text.NOTE)
    raised_by = models.ForeignKey(
        USER, verbose_name=_("提出人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_name = models.CharField(_("企业联系人"), max_length=50, blank=True)
    visit = models.ForeignKey(
        "SiteVisit",
        verbose_name=_("来源走访"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="blockers",
    )
    owner_department = models.CharField(_("责任部门"), max_length=50, blank=True)
    owner = models.ForeignKey(
        USER, verbose_name=_("责任人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_at = models.DateTimeField(_("提出时间"))
    due_at = models.DateTimeField(_("办结时限"))
    status = models.CharField(_("状态"), max_length=20, choices=BlockerStatus.choices, default=BlockerStatus.OPEN)
    level = models.CharField(_("层级"), max_length=10, choices=BlockerLevel.choices, default=BlockerLevel.TEAM)
    overdue_since = models.DateField(_("逾期日期"), null=True, blank=True)
    evidence = LimitedTextField(_("解决情况"), blank=True, max_length=text.NOTE)
    evidence_file = models.FileField(_("佐证材料"), upload_to=evidence_path, blank=True)
    resolved_at = models.DateTimeField(_("解决时间"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        USER, verbose_name=_("销号人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_off_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    working_days_blocked = models.PositiveIntegerField(_("解决用时(工作日)"), null=True, blank=True)

    EDITABLE = ("category", "description", "owner_department", "owner", "due_at")
    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("堵点难点问题")
        verbose_name_plural = _("堵点难点问题")
        ordering = ["-raised_at", "-id"]

    def __str__(self) -> str:
        return f"{self.category.name} · {self.description[:20]}"

    def get_absolute_url(self) -> str:
        return reverse("projects:blocker_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class StepKind(models.TextChoices):
    RAISED = "raised", _("提出")
    STEP = "step", _("办理")
    ESCALATED = "escalated", _("上报")
    RESOLVED = "resolved", _("解决")
    SIGNED_OFF = "signed_off", _("销号")
    OVERDUE = "overdue", _("逾期")
    CHANGED = "changed", _("修改")


class BlockerStep(models.Model):
    """One entry of a blocker's timeline."""

    blocker = models.ForeignKey(Blocker, verbose_name=_("堵点"), on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("类型"), max_length=20, choices=StepKind.choices)
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(USER, verbose_name=_("办理人"), null=True, blank=True, on_delete=models.SET_NULL)
    text = LimitedTextField(_("内容"), blank=True, max_length=text.NOTE)

    scope_area_path = "blocker__area_path"

    class Meta:
        verbose_name = _("堵点办理记录")
        verbose_name_plural = _("堵点办理记录")
        ordering = ["blocker", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.at:%Y-%m-%d}"


class BlockerReminder(models.Model):
    """An overdue blocker told to its owners on a day (once a day)."""

    blocker = models.ForeignKey(Blocker, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["blocker", "day"], name="projects_reminder_once_a_day")]

    def __str__(self) -> str:
        return f"{self.blocker_id} · {self.day}"


class SiteVisit(models.Model):
    """A 进解促 site visit: a team at a project or an enterprise on a day."""

    team = models.ForeignKey(ServiceTeam, verbose_name=_("专班"), on_delete=models.PROTECT, related_name="visits")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)
    visited_on = models.DateField(_("走访日期"))
    project = models.ForeignKey(
        Project, verbose_name=_("走访项目"), null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("走访企业"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    people_met = models.CharField(_("座谈对象"), max_length=200, blank=True)
    findings = LimitedTextField(_("走访情况"), blank=True, max_length=text.NOTE)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("进解促走访")
        verbose_name_plural = _("进解促走访")
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.team} · {self.visited_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("projects:visit_detail", args=[self.pk])


class CheckIn(models.Model):
    """Who went on a visit: checked in on a phone, with the time and where it was."""

    visit = models.ForeignKey(SiteVisit, verbose_name=_("走访"), on_delete=models.CASCADE, related_name="checkins")
    user = models.ForeignKey(USER, verbose_name=_("参加人"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("签到时间"))
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)

    scope_area_path = "visit__area_path"

    class Meta:
        verbose_name = _("走访签到")
        verbose_name_plural = _("走访签到")
        ordering = ["visit", "at", "id"]
        constraints = [models.UniqueConstraint(fields=["visit", "user"], name="projects_checkin_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.at:%Y-%m-%d %H:%M}"


class FollowUp(models.Model):
    visit = models.ForeignKey(SiteVisit, verbose_name=_("走访"), on_delete=models.CASCADE, related_name="follow_ups")
    due_on = models.DateField(_("完成时限"))
    text = models.CharField(_("跟进事项"), max_length=200)
    done = models.BooleanField(_("已完成"), default=False)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    scope_area_path = "visit__area_path"

    class Meta:
        verbose_name = _("跟进事项")
        verbose_name_plural = _("跟进事项")
        ordering = ["visit", "due_on", "id"]

    def __str__(self) -> str:
        return self.text


class CalendarToken(models.Model):
    """A private, revocable address of a team's visit calendar: only the token's digest is kept."""

    team = models.ForeignKey(ServiceTeam, on_delete=models.CASCADE, related_name="calendar_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    scope_area_path = "team__area_path"

    def __str__(self) -> str:
        return f"{self.team_id} · {self.created_at:%Y-%m-%d}"
