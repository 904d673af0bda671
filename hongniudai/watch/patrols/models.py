"""Night patrols and seasonal campaigns.

Night patrol (夜间治安联防巡逻队): a `PatrolTeam` hangs at a town or a village. The market town (集镇,
the town's built-up centre) is not a node of the area tree: a team whose area is the town itself is
the market town's team, and its routes run through grids anywhere in the town (in practice the
communities' grids). Its members are party members, militia (a named resident) or volunteers. A
`PatrolShift` is one night of the rota (one per team and date) with its route through grids; the
`PatrolLog` of a shift says who came, the weather, the route notes and the start and end check-in;
each incident found (`PatrolIncident`) is a matter on the ladder in its grid.

Seasonal campaign (专项巡查): a `Campaign` covers villages or grids (`CampaignGrid`: the grids it
covers, kept by the services), over a window of days, with a report deadline hour. Each grid reports
every day of the window (`CampaignReport`), the explicit zero-report (今日无情况) included; findings
raise matters (`CampaignFinding`). `CampaignReminder` records the one reminder a grid gets per day.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongniudai.common import text
from hongniudai.common.text import LimitedTextField
from hongniudai.governance.interface import Matter
from hongniudai.party.models import Member
from hongniudai.places.models import AreaNode, Resident
from hongniudai.volunteers.interface import Volunteer


def _coordinate(label: Any) -> models.DecimalField:
    return models.DecimalField(label, max_digits=9, decimal_places=6, null=True, blank=True)


# ---- night patrol ------------------------------------------------------------------------------


class PatrolTeam(models.Model):
    """A night patrol team (夜间治安联防巡逻队) of a town (the market town's) or of a village."""

    area = models.ForeignKey(AreaNode, verbose_name=_("巡逻区域"), on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)
    name = models.CharField(_("队名"), max_length=100)
    is_active = models.BooleanField(_("在用"), default=True)
    note = LimitedTextField(_("备注"), blank=True, max_length=text.NOTE)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    EDITABLE = ("name", "is_active", "note")

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("巡逻队")
        verbose_name_plural = _("巡逻队")
        ordering = ["area_path", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="watch_patrol_team_unique_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("patrols:team_detail", args=[self.pk])


class MemberKind(models.TextChoices):
    PARTY_MEMBER = "party_member", _("党员")
    MILITIA = "militia", _("民兵")
    VOLUNTEER = "volunteer", _("志愿者")


class PatrolMember(models.Model):
    """One member of a team: a party member, a militiaman (a named resident, or just a name) or a
    volunteer, one row per person and team with its kind."""

    team = models.ForeignKey(PatrolTeam, verbose_name=_("巡逻队"), on_delete=models.PROTECT, related_name="members")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)  # the team's
    kind = models.CharField(_("身份"), max_length=20, choices=MemberKind.choices)
    party_member = models.ForeignKey(
        Member, verbose_name=_("党员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("志愿者"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resident = models.ForeignKey(
        Resident, verbose_name=_("居民"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=50)
    is_active = models.BooleanField(_("在队"), default=True)
    joined_on = models.DateField(_("入队日期"), null=True, blank=True)

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("巡逻队员")
        verbose_name_plural = _("巡逻队员")
        ordering = ["team", "kind", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "party_member"], name="watch_patrol_member_once_party"),
            models.UniqueConstraint(fields=["team", "volunteer"], name="watch_patrol_member_once_volunteer"),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="party_member", party_member__isnull=False, volunteer__isnull=True)
                    | models.Q(kind="volunteer", volunteer__isnull=False, party_member__isnull=True)
                    | models.Q(kind="militia", party_member__isnull=True, volunteer__isnull=True)
                ),
                name="watch_patrol_member_kind_matches",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}({self.get_kind_display()})"


class ShiftStatus(models.TextChoices):
    PLANNED = "planned", _("待巡逻")
    ON_PATROL = "on_patrol", _("巡逻中")
    KEPT = "kept", _("已完成")
    MISSED = "missed", _("缺勤")


class PatrolShift(models.Model):
    """One night of a team's rota: the date, the planned start and end (the end may be the next
    morning), the route through grids of the team's area."""

    team = models.ForeignKey(PatrolTeam, verbose_name=_("巡逻队"), on_delete=models.PROTECT, related_name="shifts")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)  # the team's
    date = models.DateField(_("日期"))
    starts_at = models.DateTimeField(_("计划开始"))
    ends_at = models.DateTimeField(_("计划结束"))
    route = models.ManyToManyField(AreaNode, verbose_name=_("巡逻路线(网格)"), related_name="+", blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=ShiftStatus.choices, default=ShiftStatus.PLANNED)
    missed_at = models.DateTimeField(_("记为缺勤时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("排班时间"), auto_now_add=True)

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("巡逻排班")
        verbose_name_plural = _("巡逻排班")
        ordering = ["date", "team", "id"]
        constraints = [models.UniqueConstraint(fields=["team", "date"], name="watch_patrol_shift_one_a_night")]
        indexes = [models.Index(fields=["status", "ends_at"], name="watch_shift_status_end")]

    def __str__(self) -> str:
        return f"{self.team} · {self.date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("patrols:shift_detail", args=[self.pk])


class Weather(models.TextChoices):
    CLEAR = "clear", _("晴")
    CLOUDY = "cloudy", _("多云")
    OVERCAST = "overcast", _("阴")
    RAIN = "rain", _("雨")
    SNOW = "snow", _("雪")
    FOG = "fog", _("雾")
    WIND = "wind", _("大风")


class PatrolLog(models.Model):
    """What happened on a shift: who came, the weather, the route notes, and the start and end
    check-in on a phone (time and, where the phone gave it, the place)."""

    shift = models.OneToOneField(PatrolShift, verbose_name=_("排班"), on_delete=models.PROTECT, related_name="log")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)
    present = models.ManyToManyField(PatrolMember, verbose_name=_("到岗队员"), related_name="+", blank=True)
    weather = models.CharField(_("天气"), max_length=20, choices=Weather.choices, blank=True)
    route_notes = LimitedTextField(_("巡逻记录"), blank=True, max_length=text.NOTE)
    started_at = models.DateTimeField(_("开始巡逻"), null=True, blank=True)
    start_lat = _coordinate(_("开始纬度"))
    start_lng = _coordinate(_("开始经度"))
    ended_at = models.DateTimeField(_("结束巡逻"), null=True, blank=True)
    end_lat = _coordinate(_("结束纬度"))
    end_lng = _coordinate(_("结束经度"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    EDITABLE = ("weather", "route_notes")

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("巡逻日志")
        verbose_name_plural = _("巡逻日志")
        ordering = ["-shift__date", "-id"]

    def __str__(self) -> str:
        return str(self.shift)

    def get_absolute_url(self) -> str:
        return reverse("patrols:shift_detail", args=[self.shift_id])


class PatrolIncident(models.Model):
    """An incident found on patrol, raised as a matter in its grid (channel 夜间巡逻)."""

    log = models.ForeignKey(PatrolLog, verbose_name=_("巡逻日志"), on_delete=models.PROTECT, related_name="incidents")
    matter = models.OneToOneField(Matter, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="+")
    grid = models.ForeignKey(AreaNode, verbose_name=_("发生地"), on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)  # the place's
    created_at = models.DateTimeField(_("上报时间"), auto_now_add=True)

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("巡逻发现")
        verbose_name_plural = _("巡逻发现")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(self.matter_id)


# ---- seasonal campaigns ------------------------------------------------------------------------


class CampaignKind(models.TextChoices):
    STRAW_BURNING = "straw_burning", _("秸秆禁烧")
    FLOOD = "flood", _("汛期巡查")
    EPIDEMIC = "epidemic", _("疫情防控")
    OTHER = "other", _("其他")


class Campaign(models.Model):
    """A seasonal campaign (专项巡查) set up by a town or a village: its kind, its window, the areas
    it covers and the hour by which each grid reports each day (Asia/Shanghai)."""

    area = models.ForeignKey(AreaNode, verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField(_("类型"), max_length=20, choices=CampaignKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    deadline_hour = models.PositiveSmallIntegerField(_("每日上报截止(时)"), default=18)
    areas = models.ManyToManyField(AreaNode, verbose_name=_("覆盖范围"), related_name="+")
    note = LimitedTextField(_("工作要求"), blank=True, max_length=text.NOTE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    EDITABLE = ("kind", "name", "starts_on", "ends_on", "deadline_hour", "note")

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("专项巡查")
        verbose_name_plural = _("专项巡查")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="watch_campaign_window"
            ),
            models.CheckConstraint(condition=models.Q(deadline_hour__lte=23), name="watch_campaign_deadline_hour"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("patrols:campaign_detail", args=[self.pk])


class CampaignGrid(models.Model):
    """A grid a campaign covers (the grids of the villages chosen, or the grids chosen), kept by the
    services: what the board expects a report from every day."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="grids")
    grid = models.ForeignKey(AreaNode, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(AreaNode, on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)  # the grid's

    scope_area_path = "area_path"

    class Meta:
        ordering = ["area_path", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "grid"], name="watch_campaign_grid_once")]

    def __str__(self) -> str:
        return f"{self.campaign_id} · {self.grid_id}"


class CampaignDuty(models.Model):
    """Who is on duty for a grid on a day of the campaign: a user of the platform, or a named person."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("专项巡查"), on_delete=models.PROTECT, related_name="duties")
    date = models.DateField(_("日期"))
    grid = models.ForeignKey(AreaNode, verbose_name=_("网格"), on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)  # the grid's
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("值班人员(用户)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person_name = models.CharField(_("值班人员"), max_length=50)

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("值班安排")
        verbose_name_plural = _("值班安排")
        ordering = ["date", "area_path", "id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} · {self.person_name}"


class PointKind(models.TextChoices):
    DANGER_SPOT = "danger_spot", _("险情点")
    STRAW_FIELD = "straw_field", _("秸秆田块")
    CHECKPOINT = "checkpoint", _("卡口")
    OTHER = "other", _("其他")


class WatchPoint(models.Model):
    """A point to watch during a campaign: a flood danger spot, a straw field, a checkpoint …"""

    campaign = models.ForeignKey(Campaign, verbose_name=_("专项巡查"), on_delete=models.PROTECT, related_name="points")
    grid = models.ForeignKey(AreaNode, verbose_name=_("网格"), on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)  # the grid's
    kind = models.CharField(_("类型"), max_length=20, choices=PointKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6)
    lng = models.DecimalField(_("经度"), max_digits=9, decimal_places=6)
    note = LimitedTextField(_("说明"), blank=True, max_length=text.NOTE)

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("重点点位")
        verbose_name_plural = _("重点点位")
        ordering = ["area_path", "name", "id"]

    def __str__(self) -> str:
        return self.name


class CampaignReport(models.Model):
    """A grid's daily report during a campaign: what was checked and what was found, or the explicit
    zero-report (今日无情况, `nothing_found`), a record with its time. One per campaign, grid and
    day; on time when made before the deadline hour of that day (Asia/Shanghai)."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("专项巡查"), on_delete=models.PROTECT, related_name="reports")
    grid = models.ForeignKey(AreaNode, verbose_name=_("网格"), on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)  # the grid's
    date = models.DateField(_("日期"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("上报时间"))
    on_time = models.BooleanField(_("按时上报"), default=True)
    nothing_found = models.BooleanField(_("今日无情况"), default=False)
    points_checked = models.ManyToManyField(WatchPoint, verbose_name=_("已查点位"), related_name="+", blank=True)
    checked = LimitedTextField(_("巡查情况"), blank=True, max_length=text.NOTE)
    findings = LimitedTextField(_("发现问题"), blank=True, max_length=text.NOTE)

    scope_area_path = "area_path"

    class Meta:
        verbose_name = _("每日上报")
        verbose_name_plural = _("每日上报")
        ordering = ["-date", "area_path", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "grid", "date"], name="watch_campaign_report_once_a_day")
        ]
        indexes = [
            # The board's counts (per grid, per day) read a campaign's window from the index alone:
            # the grid, the flags and the path (the scope) ride in it, the table is not read.
            models.Index(
                fields=["campaign", "date", "grid", "on_time", "nothing_found", "area_path"],
                name="watch_report_campaign_date",
            ),
            # The reports list's order: a county's season is read newest first a page at a time.
            models.Index(fields=["-date", "area_path", "id"], name="watch_report_list_order"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("patrols:campaign_board", args=[self.campaign_id])


class CampaignFinding(models.Model):
    """A finding of a daily report, raised as a matter in the grid (channel 专项巡查)."""

    report = models.ForeignKey(CampaignReport, on_delete=models.PROTECT, related_name="matters")
    matter = models.OneToOneField(Matter, on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)

    scope_area_path = "area_path"

    def __str__(self) -> str:
        return f"{self.report_id} · {self.matter_id}"


class CampaignReminder(models.Model):
    """The reminder a grid got for not having reported by the deadline hour: once per grid and day."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    grid = models.ForeignKey(AreaNode, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "grid", "date"], name="watch_campaign_reminder_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} · {self.grid_id} · {self.date:%Y-%m-%d}"
