"""Member development (发展党员): applicant → activist → candidate → probationary → full member.

A `DevelopmentCase` is one person's way through the stages at one branch; each dated step is a
`DevelopmentStep` (the person's timeline). The rules the steps are checked against are data
(`DevelopmentRule`), each naming its source, so that a locality can tighten them: a row with an
area overrides the deployment's default row (area empty) for that area's subtree.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hongniudai.common import text
from hongniudai.common.text import LimitedTextField
from hongniudai.party.models import Member, PartyOrg
from hongniudai.places.models import AreaNode, Resident


class Stage(models.TextChoices):
    APPLICANT = "applicant", _("入党申请人")
    ACTIVIST = "activist", _("入党积极分子")
    CANDIDATE = "candidate", _("发展对象")
    PROBATIONARY = "probationary", _("预备党员")
    FULL = "full", _("正式党员")
    ENDED = "ended", _("已终止")


OPEN_STAGES = (Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY)


class RuleCode(models.TextChoices):
    MIN_AGE = "min_age", _("申请入党的最低年龄")
    TALK_WITHIN = "talk_within", _("收到入党申请后谈话的时限")
    ASSESSMENT_INTERVAL = "assessment_interval", _("入党积极分子考察的间隔")
    ACTIVIST_MIN_PERIOD = "activist_min_period", _("入党积极分子培养考察的最短时间")
    TRAINING_MIN_DAYS = "training_min_days", _("发展对象集中培训的最少天数")
    TRAINING_MIN_HOURS = "training_min_hours", _("发展对象集中培训的最少学时")
    APPROVAL_WITHIN = "approval_within", _("支部大会通过后上级党委审批的时限")
    PROBATION_LENGTH = "probation_length", _("预备期")
    EXTENSION_MAX = "extension_max", _("延长预备期的上限")


class RuleUnit(models.TextChoices):
    YEARS = "years", _("年")
    MONTHS = "months", _("个月")
    DAYS = "days", _("天")
    HOURS = "hours", _("学时")


class Severity(models.TextChoices):
    REFUSE = "refuse", _("不予登记")
    WARN = "warn", _("登记并提示")


class DevelopmentRule(models.Model):
    code = models.CharField(_("规则"), max_length=30, choices=RuleCode.choices)
    area = models.ForeignKey(
        AreaNode,
        verbose_name=_("适用地区"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="development_rules",
        help_text=_("留空为全部署的默认规则;填写地区则在该地区内覆盖默认规则"),
    )
    value = models.PositiveIntegerField(_("数值"))
    unit = models.CharField(_("单位"), max_length=10, choices=RuleUnit.choices)
    severity = models.CharField(_("违反时"), max_length=10, choices=Severity.choices, default=Severity.REFUSE)
    source = models.CharField(_("依据"), max_length=200)
    note = LimitedTextField(_("说明"), blank=True, max_length=text.NOTE)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    scope_area_path = "area__path"

    # What a locality sets when it tightens a rule (`services_rules.save_local_rule`, the rule form);
    # the audit records these with the rule and the area.
    EDITABLE = ("value", "unit", "severity", "source", "note")
    AUDITED = ("code", "area", *EDITABLE)

    class Meta:
        verbose_name = _("发展党员规则")
        verbose_name_plural = _("发展党员规则")
        ordering = ["code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["code", "area"], name="development_rule_unique_per_area"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(area__isnull=True), name="development_rule_one_default"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()}: {self.value}{self.get_unit_display()}"


class DevelopmentCase(models.Model):
    resident = models.ForeignKey(
        Resident, verbose_name=_("本人"), on_delete=models.PROTECT, related_name="development_cases"
    )
    org = models.ForeignKey(
        PartyOrg,
        verbose_name=_("培养党支部"),
        on_delete=models.PROTECT,
        related_name="development_cases",
        limit_choices_to={"kind": "branch"},
    )
    stage = models.CharField(_("阶段"), max_length=20, choices=Stage.choices, default=Stage.APPLICANT, db_index=True)
    applied_on = models.DateField(_("递交申请日期"))
    talked_on = models.DateField(_("谈话日期"), null=True, blank=True)
    activist_on = models.DateField(_("确定积极分子日期"), null=True, blank=True)
    last_assessed_on = models.DateField(_("最近考察日期"), null=True, blank=True)
    candidate_on = models.DateField(_("确定发展对象日期"), null=True, blank=True)
    training_days = models.PositiveSmallIntegerField(_("集中培训天数"), null=True, blank=True)
    training_hours = models.PositiveSmallIntegerField(_("集中培训学时"), null=True, blank=True)
    trained_on = models.DateField(_("培训结业日期"), null=True, blank=True)
    resolution_on = models.DateField(_("支部大会通过日期"), null=True, blank=True)
    approved_on = models.DateField(_("上级党委审批日期"), null=True, blank=True)
    probation_ends_on = models.DateField(_("预备期满日期"), null=True, blank=True)
    full_on = models.DateField(_("转正日期"), null=True, blank=True)
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    end_reason = models.CharField(_("终止原因"), max_length=200, blank=True)
    member = models.OneToOneField(
        Member,
        verbose_name=_("党员档案"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="development_case",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    # What the development steps fill in, in their order: written by the step services only
    # (read-only in the API), audited with the case.
    MILESTONES = (
        "talked_on",
        "activist_on",
        "last_assessed_on",
        "candidate_on",
        "training_days",
        "training_hours",
        "trained_on",
        "resolution_on",
        "approved_on",
        "probation_ends_on",
        "full_on",
        "ended_on",
        "end_reason",
    )

    scope_area_path = "org__area__path"
    scope_org_path = "org__path"

    class Meta:
        verbose_name = _("发展党员档案")
        verbose_name_plural = _("发展党员档案")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(stage__in=["applicant", "activist", "candidate", "probationary"]),
                name="development_one_open_case_per_person",
            )
        ]
        indexes = [models.Index(fields=["org", "stage"], name="development_org_stage")]

    def __str__(self) -> str:
        return f"{self.resident.name} · {self.get_stage_display()}"


class StepKind(models.TextChoices):
    APPLY = "apply", _("递交入党申请书")
    TALK = "talk", _("党组织派人谈话")
    ACTIVIST = "activist", _("确定为入党积极分子")
    ASSESSMENT = "assessment", _("入党积极分子考察")
    CANDIDATE = "candidate", _("确定为发展对象")
    TRAINING = "training", _("集中培训")
    RESOLUTION = "resolution", _("支部大会讨论接收为预备党员")
    APPROVAL = "approval", _("上级党委审批")
    EXTEND = "extend", _("延长预备期")
    CONVERT = "convert", _("转为正式党员")
    CANCEL = "cancel", _("取消预备党员资格")
    END = "end", _("终止培养")


class DevelopmentStep(models.Model):
    case = models.ForeignKey(DevelopmentCase, verbose_name=_("档案"), on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("环节"), max_length=20, choices=StepKind.choices)
    on = models.DateField(_("日期"))
    note = LimitedTextField(_("情况说明"), blank=True, max_length=text.NOTE)
    details = models.JSONField(_("明细"), default=dict, blank=True)
    # [{"rule": code, "message": "…"}] for rules that warned when the step was recorded.
    warnings = models.JSONField(_("提示"), default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    scope_area_path = "case__org__area__path"
    scope_org_path = "case__org__path"

    class Meta:
        verbose_name = _("发展环节")
        verbose_name_plural = _("发展环节")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"
