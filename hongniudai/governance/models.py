"""Source governance: matters settled at the lowest level that can, with deadlines, escalation,
mediation records, agreements and follow-up visits."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hongniudai.common import text
from hongniudai.common.keys import key_digest
from hongniudai.common.text import LimitedTextField
from hongniudai.places.models import AreaKind, AreaNode, Resident


class Level(models.TextChoices):
    """The ladder: a matter climbs only when it must."""

    HAMLET = "hamlet", _("湾组")
    GRID = "grid", _("村组(网格)")
    VILLAGE = "village", _("村")
    TOWN = "town", _("镇")


LADDER: tuple[str, ...] = (Level.HAMLET, Level.GRID, Level.VILLAGE, Level.TOWN)
LEVEL_OF_KIND: dict[str, str] = {
    AreaKind.HAMLET: Level.HAMLET,
    AreaKind.GRID: Level.GRID,
    AreaKind.VILLAGE: Level.VILLAGE,
    AreaKind.TOWN: Level.TOWN,
}


class CategoryKind(models.TextChoices):
    DISPUTE = "dispute", _("矛盾纠纷")
    PUBLIC_SECURITY = "public_security", _("治安")
    SAFETY_HAZARD = "safety_hazard", _("安全隐患")
    ENVIRONMENT = "environment", _("环境卫生")
    STRAW_BURNING = "straw_burning", _("秸秆禁烧")
    FLOOD_PATROL = "flood_patrol", _("汛期巡查")
    EPIDEMIC_CONTROL = "epidemic_control", _("疫情防控")
    REQUEST = "request", _("群众诉求")
    OTHER = "other", _("其他")


class Category(models.Model):
    """A maintained list of matter categories; each is an Open311 service."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    kind = models.CharField(_("大类"), max_length=20, choices=CategoryKind.choices)
    description = models.CharField(_("说明"), max_length=255, blank=True)
    keywords = models.CharField(_("关键词"), max_length=255, blank=True)
    is_public = models.BooleanField(
        _("公开"), default=False, help_text=_("可通过 Open311 公开受理和查询;矛盾纠纷涉及个人隐私,默认不公开")
    )
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    # What an administrator edits (the code, the Open311 service_code, is fixed once created).
    EDITABLE = ("name", "kind", "description", "keywords", "is_public", "is_active", "sort_order")

    class Meta:
        verbose_name = _("事项类别")
        verbose_name_plural = _("事项类别")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_dispute(self) -> bool:
        return self.kind == CategoryKind.DISPUTE


class AttributeType(models.TextChoices):
    STRING = "string", _("短文本")
    NUMBER = "number", _("数字")
    DATETIME = "datetime", _("日期时间")
    TEXT = "text", _("长文本")
    SINGLE = "singlevaluelist", _("单选")
    MULTI = "multivaluelist", _("多选")


class CategoryAttribute(models.Model):
    """An extra question of a category (an Open311 service-definition attribute)."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="attributes")
    code = models.SlugField(_("代码"), max_length=40)
    description = models.CharField(_("问题"), max_length=200)
    datatype = models.CharField(_("类型"), max_length=20, choices=AttributeType.choices, default=AttributeType.STRING)
    required = models.BooleanField(_("必填"), default=False)
    values = models.JSONField(_("选项"), default=list, blank=True, help_text=_('[{"key": "...", "name": "..."}]'))
    order = models.PositiveIntegerField(_("顺序"), default=0)

    EDITABLE = ("code", "description", "datatype", "required", "values", "order")

    class Meta:
        verbose_name = _("类别附加问题")
        verbose_name_plural = _("类别附加问题")
        ordering = ["category", "order"]
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="attribute_unique_code")]

    def __str__(self) -> str:
        return self.description


class DeadlineRule(models.Model):
    """Working days allowed at one level to accept and to settle; a rule without a category is the default."""

    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="deadline_rules"
    )
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    accept_days = models.PositiveSmallIntegerField(_("受理时限(工作日)"), default=1)
    settle_days = models.PositiveSmallIntegerField(_("办结时限(工作日)"), default=5)
    escalate_when_unaccepted = models.BooleanField(_("超时未受理自动上交"), default=True)
    escalate_when_unsettled = models.BooleanField(_("超时未办结自动上交"), default=False)

    # What an administrator edits of the rule of one (category, level).
    EDITABLE = ("accept_days", "settle_days", "escalate_when_unaccepted", "escalate_when_unsettled")

    class Meta:
        verbose_name = _("时限规则")
        verbose_name_plural = _("时限规则")
        constraints = [models.UniqueConstraint(fields=["category", "level"], name="deadline_rule_unique")]

    def __str__(self) -> str:
        return f"{self.category or _('默认')} · {self.get_level_display()}"


class CalendarDay(models.Model):
    """The administrator's corrections to the working-day calendar (holidays, make-up working days)."""

    date = models.DateField(_("日期"), unique=True)
    is_working = models.BooleanField(_("工作日"))
    note = models.CharField(_("说明"), max_length=50, blank=True)

    EDITABLE = ("is_working", "note")

    class Meta:
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'工作日' if self.is_working else '休息日'}"


class Channel(models.TextChoices):
    WALK_IN = "walk_in", _("来访")
    PHONE = "phone", _("电话")
    GRID_PATROL = "grid_patrol", _("网格巡查")
    CENTRE_HOUSEHOLD = "centre_household", _("党员中心户")
    WEB = "web", _("网页")
    API = "api", _("接口")
    OPEN311 = "open311", _("Open311")
    CAMERA = "camera", _("视频监控")
    NIGHT_PATROL = "night_patrol", _("夜间巡逻")
    CAMPAIGN = "campaign", _("专项巡查")
    SERVICE_STATION = "service_station", _("便民服务站")
    SOUP_ROUND = "soup_round", _("爱心汤走访")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")
    CRITICAL = "critical", _("特急")


class MatterStatus(models.TextChoices):
    NEW = "new", _("待受理")
    ACCEPTED = "accepted", _("办理中")
    RESOLVED = "resolved", _("已办结")
    CLOSED = "closed", _("已回访")


OPEN_STATUSES = (MatterStatus.NEW, MatterStatus.ACCEPTED)


class Outcome(models.TextChoices):
    RECONCILED = "reconciled", _("调解和好")
    AGREEMENT = "agreement", _("签订调解协议")
    HANDLED = "handled", _("已处置")
    REFERRED_COURT = "referred_court", _("引导诉讼")
    REFERRED_OTHER = "referred_other", _("移交其他部门")
    NOT_UPHELD = "not_upheld", _("诉求不成立")
    WITHDRAWN = "withdrawn", _("当事人撤回")


class Matter(models.Model):
    number = models.CharField(_("编号"), max_length=20, unique=True, editable=False)
    category = models.ForeignKey(Category, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="matters")
    title = models.CharField(_("标题"), max_length=100)
    description = LimitedTextField(_("情况描述"), max_length=text.TEXT)
    # Where it happened (never changes) and who holds it now (moves up and down the ladder).
    place = models.ForeignKey(
        AreaNode,
        verbose_name=_("发生地"),
        on_delete=models.PROTECT,
        related_name="matters_here",
        help_text=_("湾组;只知道村组时为村组"),
    )
    origin_path = models.CharField(max_length=255, db_index=True, editable=False)
    lon = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    address = models.CharField(_("地点"), max_length=200, blank=True)
    level = models.CharField(_("当前层级"), max_length=10, choices=Level.choices, db_index=True)
    area = models.ForeignKey(
        AreaNode, verbose_name=_("当前办理单位"), on_delete=models.PROTECT, related_name="matters_held"
    )
    # The path of `area`, kept beside it (set with it, in services.ladder.arrive) so that the access
    # rule and the inbox select matters from one indexed column instead of a join to the tree.
    area_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="matters_handled",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=MatterStatus.choices, default=MatterStatus.NEW, db_index=True
    )
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    channel = models.CharField(_("来源渠道"), max_length=20, choices=Channel.choices)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="matters_reported",
    )
    reporter_name = models.CharField(_("反映人"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("反映人电话"), max_length=11, blank=True)
    parties = models.ManyToManyField(Resident, verbose_name=_("当事人"), blank=True, related_name="matters")
    other_parties = models.CharField(_("其他当事人"), max_length=200, blank=True)
    attributes = models.JSONField(_("附加信息"), default=dict, blank=True)
    invited = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("受邀参与人"), blank=True, related_name="matters_invited"
    )
    reported_at = models.DateTimeField(_("上报时间"), db_index=True)
    level_since = models.DateTimeField(_("到达本级时间"))
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    accept_due_at = models.DateTimeField(_("受理期限"), null=True, blank=True, db_index=True)
    settle_due_at = models.DateTimeField(_("办结期限"), null=True, blank=True, db_index=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True, db_index=True)
    resolved_level = models.CharField(_("化解层级"), max_length=10, choices=Level.choices, blank=True, db_index=True)
    outcome = models.CharField(_("办理结果"), max_length=20, choices=Outcome.choices, blank=True)
    resolution = LimitedTextField(_("办理情况"), blank=True, max_length=text.TEXT)
    escalations = models.PositiveSmallIntegerField(_("上交次数"), default=0)
    reopened = models.PositiveSmallIntegerField(_("重新办理次数"), default=0)
    satisfaction = models.PositiveSmallIntegerField(_("满意度"), null=True, blank=True)
    public_notes = models.CharField(_("公开办理说明"), max_length=255, blank=True)
    open311_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    scope_area_path = "area_path"
    scope_user_grants = ("invited", "reporter")

    class Meta:
        verbose_name = _("事项")
        verbose_name_plural = _("事项")
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(fields=["origin_path", "reported_at"]),
            # A node's matters newest first (the list, its count, the API): read from this index alone,
            # not from the table row of each (a village's 2,648 matters: 12 ms → 3 on PostgreSQL).
            models.Index(
                fields=["area_path", "reported_at", "id"],
                name="matter_area_reported_idx",
                opclasses=["varchar_pattern_ops", "timestamptz_ops", "int8_ops"],
            ),
            models.Index(fields=["status", "accept_due_at"]),
            models.Index(fields=["status", "settle_due_at"]),
            # The open matters only (about 1 % of them), with every column the measures' open and
            # overdue counts and the scope read: those counts scan it alone, never the table.
            models.Index(
                fields=[
                    "origin_path",
                    "status",
                    "reported_at",
                    "accept_due_at",
                    "settle_due_at",
                    "area_path",
                    "reporter",
                ],
                name="matter_open_idx",
                condition=models.Q(status__in=OPEN_STATUSES),
                # PostgreSQL reads a node's open matters (`origin_path LIKE 'path%'`) by the path
                # only from a pattern index unless the database's collation is exactly C.
                opclasses=[
                    "varchar_pattern_ops",
                    "varchar_ops",
                    "timestamptz_ops",
                    "timestamptz_ops",
                    "timestamptz_ops",
                    "varchar_ops",
                    "int8_ops",
                ],
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class EventKind(models.TextChoices):
    REPORT = "report", _("上报")
    ACCEPT = "accept", _("受理")
    ASSIGN = "assign", _("分派")
    MEDIATE = "mediate", _("调处")
    ESCALATE = "escalate", _("上交")
    AUTO_ESCALATE = "auto_escalate", _("超时自动上交")
    HAND_DOWN = "hand_down", _("交办下级")
    RESOLVE = "resolve", _("办结")
    FOLLOW_UP = "follow_up", _("回访")
    REOPEN = "reopen", _("重新办理")
    INVITE = "invite", _("邀请参与")
    AGREEMENT = "agreement", _("调解协议")
    ATTACH = "attach", _("上传附件")
    OVERDUE = "overdue", _("超时提醒")
    NOTE = "note", _("备注")


class MatterEvent(models.Model):
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("环节"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_level = models.CharField(max_length=10, choices=Level.choices, blank=True)
    to_level = models.CharField(max_length=10, choices=Level.choices, blank=True)
    note = LimitedTextField(_("说明"), blank=True, max_length=text.NOTE)

    scope_area_path = "matter__area_path"
    scope_user_grants = ("matter__invited", "matter__reporter")

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.matter.number} {self.get_kind_display()}"


class MediationSession(models.Model):
    """A visit or a mediation session: date, place, who took part, what was said and agreed."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=100)
    participants = models.CharField(_("参加人员"), max_length=255)
    legal_adviser_present = models.BooleanField(_("法律顾问参加"), default=False)
    summary = LimitedTextField(_("调处经过"), max_length=text.TEXT)
    agreed = LimitedTextField(_("达成意见"), blank=True, max_length=text.TEXT)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_area_path = "matter__area_path"
    scope_user_grants = ("matter__invited", "matter__reporter")

    class Meta:
        verbose_name = _("走访调处记录")
        verbose_name_plural = _("走访调处记录")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.place}"


class Agreement(models.Model):
    """调解协议: parties, terms, signatures noted; printable."""

    matter = models.OneToOneField(Matter, on_delete=models.CASCADE, related_name="agreement")
    parties = LimitedTextField(_("当事人"), max_length=text.NOTE)
    facts = LimitedTextField(_("纠纷事实"), max_length=text.TEXT)
    terms = LimitedTextField(_("协议内容"), max_length=text.TEXT)
    mediators = models.CharField(_("调解人"), max_length=200)
    signed_on = models.DateField(_("签订日期"))
    signatures_noted = models.BooleanField(_("各方已签字"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    # What is recorded (and corrected) of an agreement: the form, the API and the service read it.
    EDITABLE = ("parties", "facts", "terms", "mediators", "signed_on", "signatures_noted")

    scope_area_path = "matter__area_path"
    scope_user_grants = ("matter__invited", "matter__reporter")

    class Meta:
        verbose_name = _("调解协议")
        verbose_name_plural = _("调解协议")

    def __str__(self) -> str:
        return f"{self.matter.number} 调解协议"


class FollowUp(models.Model):
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="follow_ups")
    visited_on = models.DateField(_("回访日期"))
    held = models.BooleanField(_("结果稳定"), help_text=_("办理结果是否保持"))
    satisfaction = models.PositiveSmallIntegerField(_("满意度(1-5)"))
    note = LimitedTextField(_("回访情况"), blank=True, max_length=text.NOTE)
    visited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    scope_area_path = "matter__area_path"
    scope_user_grants = ("matter__invited", "matter__reporter")

    class Meta:
        verbose_name = _("回访")
        verbose_name_plural = _("回访")
        ordering = ["visited_on", "id"]

    def __str__(self) -> str:
        return f"{self.matter.number} 回访 {self.visited_on}"


class Attachment(models.Model):
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="matters/%Y/%m/", max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    scope_area_path = "matter__area_path"
    scope_user_grants = ("matter__invited", "matter__reporter")

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


def open311_key_digest(key: str) -> str:
    """The sha256 digest under which an Open311 api_key is kept (the key itself never is)."""
    return key_digest(key)


class Open311Key(models.Model):
    """An api_key issued by a town administrator to an Open311 client; only its digest is kept."""

    name = models.CharField(_("客户端名称"), max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    area = models.ForeignKey(AreaNode, verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="open311_keys")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)
    is_active = models.BooleanField(_("有效"), default=True)

    scope_area_path = "area__path"

    class Meta:
        verbose_name = _("Open311 密钥")
        verbose_name_plural = _("Open311 密钥")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class RollupTier(models.TextChoices):
    VILLAGE = "village", _("村")
    TOWN = "town", _("镇")
    GRID = "grid", _("网格")
    HAMLET = "hamlet", _("湾组")


class MatterMonth(models.Model):
    """Rollup: the measures of the matters that arose under one village (or park) in one month
    (local time), kept true by the services (`rollups.touch`) and rebuilt by `rollups.rebuild`.

    `reported` and `repeats` count by the month of reporting; the settled counts, durations and
    satisfaction by the month of settling, as `selectors.measures` counts them. `durations` is a
    histogram of settling times in tenths of a day: {"63": 2} = two matters settled in 6.3 days.

    The village tier holds those cells; the town tier holds each town's sum of its villages'
    cells for the month, so that a county's measures read one cell per town and month instead of
    one per village (380 villages × 12 months at county scale); the grid tier holds the cells of
    each grid of a village (its matters, a part of the village's), so that a village's measures
    side by side per grid, and a grid's own, read cells instead of counting a year of matters;
    the hamlet tier likewise holds the cells of each hamlet of a village's grids, so that a grid's
    measures side by side per hamlet, and a hamlet's own, read cells too.
    """

    tier = models.CharField(max_length=10, choices=RollupTier.choices, default=RollupTier.VILLAGE)
    node = models.ForeignKey(AreaNode, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=255, db_index=True)
    month = models.DateField()
    reported = models.PositiveIntegerField(default=0)
    repeats = models.PositiveIntegerField(default=0)
    settled_hamlet = models.PositiveIntegerField(default=0)
    settled_grid = models.PositiveIntegerField(default=0)
    settled_village = models.PositiveIntegerField(default=0)
    settled_town = models.PositiveIntegerField(default=0)
    settled_seconds = models.BigIntegerField(default=0)
    durations = models.JSONField(default=dict)
    rated = models.PositiveIntegerField(default=0)
    satisfaction_sum = models.PositiveIntegerField(default=0)

    scope_area_path = "path"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tier", "node", "month"], name="matter_month_once_per_tier")]
        indexes = [models.Index(fields=["tier", "month", "path"], name="matter_month_tier_month_path")]

    def __str__(self) -> str:
        return f"{self.path} {self.month:%Y-%m}"
