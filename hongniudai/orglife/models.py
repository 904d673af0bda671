"""Organisational life (三会一课, 主题党日, 组织生活会, 民主评议党员).

A `Meeting` is held by a branch (or, for group meetings, a party group) and may count as several
kinds at once: one `MeetingKindMark` per kind, with `counts` false when the kind's own condition
fails (a member meeting below quorum). How often each kind is owed is data (`MeetingRule`); an
area row overrides the deployment default for that area's subtree.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hongniudai.common import text
from hongniudai.common.text import LimitedTextField
from hongniudai.party.models import Member, PartyOrg
from hongniudai.places.models import AreaNode


class MeetingKind(models.TextChoices):
    MEMBER_MEETING = "member_meeting", _("支部党员大会")
    COMMITTEE_MEETING = "committee_meeting", _("支部委员会")
    GROUP_MEETING = "group_meeting", _("党小组会")
    PARTY_LECTURE = "party_lecture", _("党课")
    THEME_DAY = "theme_day", _("主题党日")
    REVIEW_MEETING = "review_meeting", _("组织生活会")
    MEMBER_APPRAISAL = "member_appraisal", _("民主评议党员")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    HALF_YEARLY = "half_yearly", _("每半年")
    YEARLY = "yearly", _("每年")


class OwedBy(models.TextChoices):
    BRANCH = "branch", _("党支部")
    PARTY_GROUP = "party_group", _("党小组")


class MeetingRule(models.Model):
    kind = models.CharField(_("会议类型"), max_length=20, choices=MeetingKind.choices)
    area = models.ForeignKey(
        AreaNode,
        verbose_name=_("适用地区"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="meeting_rules",
        help_text=_("留空为全部署的默认规则;填写地区则在该地区内覆盖默认规则"),
    )
    frequency = models.CharField(_("频次"), max_length=20, choices=Frequency.choices)
    times = models.PositiveSmallIntegerField(_("每期次数"), default=1)
    owed_by = models.CharField(_("应开展组织"), max_length=20, choices=OwedBy.choices, default=OwedBy.BRANCH)
    needs_committee = models.BooleanField(_("仅设支委会的支部"), default=False)
    remind_days = models.PositiveSmallIntegerField(_("期末前提醒天数"), default=7)
    source = models.CharField(_("依据"), max_length=200)
    note = LimitedTextField(_("说明"), blank=True, max_length=text.NOTE)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    scope_area_path = "area__path"

    # What a town or county administrator changes on a local rule (its kind and area stay).
    EDITABLE = ("frequency", "times", "remind_days", "source", "note")
    AUDITED = ("kind", "area", "frequency", "times", "owed_by", "needs_committee", "remind_days", "source", "note")

    class Meta:
        verbose_name = _("组织生活规则")
        verbose_name_plural = _("组织生活规则")
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "area"], name="meeting_rule_unique_per_area"),
            models.UniqueConstraint(fields=["kind"], condition=Q(area__isnull=True), name="meeting_rule_one_default"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_frequency_display()}"


class Meeting(models.Model):
    org = models.ForeignKey(
        PartyOrg,
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text=_("党支部;党小组会为党小组"),
    )
    held_on = models.DateField(_("日期"), db_index=True)
    start_time = models.TimeField(_("开始时间"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    topic = models.CharField(_("主题"), max_length=200)
    minutes = LimitedTextField(_("会议记录"), blank=True, max_length=text.MINUTES)
    presided_by = models.ForeignKey(
        Member, verbose_name=_("主持人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lecturer = models.CharField(_("授课人"), max_length=50, blank=True)
    # Full members of the branch on the day (those with a vote) and how many of them attended.
    voting_total = models.PositiveIntegerField(_("应到有表决权党员"), default=0)
    voting_present = models.PositiveIntegerField(_("实到有表决权党员"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    scope_area_path = "org__area__path"
    scope_org_path = "org__path"

    # What recording or changing a meeting sets (its organisation stays); kinds and attendance
    # are rows of their own.
    EDITABLE = ("held_on", "start_time", "place", "topic", "presided_by", "lecturer", "minutes")
    AUDITED = ("org", *EDITABLE)

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"


class MeetingKindMark(models.Model):
    """One kind a meeting counts as; `org` and `held_on` repeat the meeting's for the compliance
    queries. `counts` is false when the kind's own condition fails (member meeting quorum)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="marks")
    kind = models.CharField(_("会议类型"), max_length=20, choices=MeetingKind.choices)
    counts = models.BooleanField(_("计入"), default=True)
    org = models.ForeignKey(PartyOrg, on_delete=models.CASCADE, related_name="+")
    held_on = models.DateField()

    scope_area_path = "org__area__path"
    scope_org_path = "org__path"

    class Meta:
        verbose_name = _("会议类型")
        verbose_name_plural = _("会议类型")
        constraints = [models.UniqueConstraint(fields=["meeting", "kind"], name="meeting_kind_once")]
        indexes = [models.Index(fields=["org", "kind", "held_on"], name="orglife_mark_org_kind_day")]

    def __str__(self) -> str:
        return self.get_kind_display()


class AbsenceReason(models.TextChoices):
    BUSINESS = "business", _("因公")
    ILLNESS = "illness", _("因病")
    PERSONAL = "personal", _("因事")
    MIGRANT_WORK = "migrant_work", _("外出务工")
    OTHER = "other", _("其他")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, verbose_name=_("党员"), on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("出席"), default=True)
    absence_reason = models.CharField(_("缺席原因"), max_length=20, choices=AbsenceReason.choices, blank=True)
    absence_note = models.CharField(_("缺席说明"), max_length=200, blank=True)

    scope_area_path = "meeting__org__area__path"
    scope_org_path = "meeting__org__path"

    class Meta:
        verbose_name = _("出席情况")
        verbose_name_plural = _("出席情况")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once_per_member")]

    def __str__(self) -> str:
        return f"{self.member} · {'出席' if self.present else '缺席'}"


class ReminderSent(models.Model):
    """One reminder sent for one obligation (an org, a kind, a period unit): never sent twice."""

    org = models.ForeignKey(PartyOrg, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("会议类型"), max_length=20, choices=MeetingKind.choices)
    unit_start = models.DateField(_("期间开始"))
    unit_end = models.DateField(_("期间结束"))
    recipients = models.PositiveIntegerField(_("提醒人数"), default=0)
    sent_at = models.DateTimeField(_("提醒时间"), auto_now_add=True)

    scope_area_path = "org__area__path"
    scope_org_path = "org__path"

    class Meta:
        verbose_name = _("组织生活提醒")
        verbose_name_plural = _("组织生活提醒")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "kind", "unit_start"], name="orglife_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.org} · {self.get_kind_display()} · {self.unit_start}"


class ObligationUnit(models.Model):
    """The rollup of compliance: one obligation (an organisation, a kind, a unit of the rule's
    frequency) with the counting marks held in it, for every year listed in `ObligationYear`.
    Kept true by `orglife.rollups` (never edited by hand); the status is read against today."""

    org = models.ForeignKey(PartyOrg, on_delete=models.CASCADE, related_name="+")
    # The organisation's path and its area's (written with the row; an organisation never moves,
    # and a change of its area rewrites its rows), so that scope and subtree read no join.
    path = models.CharField(max_length=255)
    area_path = models.CharField(max_length=255)
    kind = models.CharField(max_length=20, choices=MeetingKind.choices)
    frequency = models.CharField(max_length=20, choices=Frequency.choices)
    unit_start = models.DateField()
    unit_end = models.DateField()
    times = models.PositiveSmallIntegerField()
    held = models.PositiveIntegerField(default=0)
    remind_days = models.PositiveSmallIntegerField(default=0)
    # unit_end - remind_days: a pending obligation is due soon from this day.
    remind_on = models.DateField()

    scope_area_path = "area_path"
    scope_org_path = "path"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "kind", "unit_start"], name="orglife_obligation_once")]
        indexes = [
            # A subtree (a branch's page) by path, a village's or a grid's scope by the area's path
            # (PostgreSQL answers `LIKE 'p%'` from a pattern-ops index only; SQLite ignores the
            # operator classes); a whole scope by the units' end (the pages' periods are recent:
            # few units end after their start), from the index alone.
            models.Index(
                fields=["path", "unit_start"],
                name="orglife_obligation_path",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
            models.Index(
                fields=["area_path", "unit_end"],
                name="orglife_obligation_area",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
            models.Index(
                fields=["unit_end", "unit_start", "area_path", "path", "held", "times", "remind_on", "kind"],
                name="orglife_obligation_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.org_id} · {self.kind} · {self.unit_start}"


class ObligationYear(models.Model):
    """A year whose obligations are all in `ObligationUnit` (the compliance pages read the rollup
    for periods within such years, and derive the rest)."""

    year = models.PositiveSmallIntegerField(unique=True)

    def __str__(self) -> str:
        return str(self.year)


class ObligationSum(models.Model):
    """The coarse tier of the compliance rollup: the obligations of `ObligationUnit` counted per
    root organisation (`path`, the first segment of theirs), the area above theirs at town level
    (`area_path`, their area's path cut at `rollups.AREA_DEPTH`) and calendar unit. A county's page
    sums these (~20 roots × 17 units a year) instead of 50,000 obligations. Kept true by
    `orglife.rollups` from the units themselves (never by adding and subtracting)."""

    path = models.CharField(max_length=255)
    area_path = models.CharField(max_length=255)
    unit_start = models.DateField()
    unit_end = models.DateField()
    due = models.PositiveIntegerField(default=0)
    met = models.PositiveIntegerField(default=0)

    # The depths the tier's keys are cut at: a scope or subtree no deeper than these takes each
    # of its rows whole or not at all (see `tier.answers`).
    ORG_DEPTH = 1
    AREA_DEPTH = 2

    scope_area_path = "area_path"
    scope_org_path = "path"

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["path", "area_path", "unit_start", "unit_end"], name="orglife_obligation_sum_once"
            )
        ]
        indexes = [models.Index(fields=["unit_end", "unit_start"], name="orglife_obligation_sum_unit")]

    def __str__(self) -> str:
        return f"{self.path} · {self.area_path} · {self.unit_start}"
