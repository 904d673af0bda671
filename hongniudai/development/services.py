"""Every write of a development case: opening it, recording each later step against the rules in
force at the branch. The local tightening of those rules: `services_rules`.

A step is refused (`ValidationError`, naming the rule, its source and the dates) when a rule
whose severity is "refuse" is broken; a "warn" rule lets the step through and stores the message
in the step's `warnings`. Admission and conversion go through `hongniudai.party.services`, so the
member roster and its audit stay in one place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, scope_for
from hongniudai.audit import services as audit
from hongniudai.common.text import check_lengths, length_errors
from hongniudai.party import services as party_services
from hongniudai.party.models import Member, MemberStatus, OrgKind, PartyOrg
from hongniudai.places.models import Resident

from . import events, policy, selectors
from . import rules as R
from .models import (
    OPEN_STAGES,
    DevelopmentCase,
    DevelopmentRule,
    DevelopmentStep,
    RuleCode,
    RuleUnit,
    Severity,
    Stage,
    StepKind,
)

CASE_FIELDS = ("resident", "org", "stage", "applied_on", *DevelopmentCase.MILESTONES)
MAX_EXTENSION_MONTHS = 24


def _d(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


class _Checks:
    """Collects the warnings of a step; raises at the first broken "refuse" rule."""

    def __init__(self) -> None:
        self.warnings: list[dict[str, str]] = []

    def check(self, rule: DevelopmentRule, ok: bool, message: str, field: str = "on") -> None:
        if ok:
            return
        if rule.severity == Severity.REFUSE:
            raise ValidationError({field: message})
        self.warnings.append({"rule": rule.code, "message": message})


# ---- opening a case -------------------------------------------------------------------------


@transaction.atomic
def open_case(
    *, actor: User, resident: Resident, org: PartyOrg, applied_on: dt.date, note: str = ""
) -> DevelopmentCase:
    """The application (递交入党申请书): opens the person's case at a branch."""
    policy.require(actor, Capability.EDIT_PARTY, org)
    if not scope_for(actor, Capability.EDIT_PARTY).covers(resident):
        raise PermissionDenied(_("该居民不在您的管理范围内。"))
    errors: dict[str, str] = {}
    if org.kind != OrgKind.BRANCH:
        errors["org"] = _("发展党员应由党支部负责培养,请选择党支部。")
    if applied_on > timezone.localdate():
        errors["applied_on"] = _("递交申请日期不能晚于今天。")
    if Member.objects.filter(resident=resident).exists():
        errors["resident"] = _("%(name)s已是党员,不需要发展。") % {"name": resident.name}
    elif DevelopmentCase.objects.filter(resident=resident, stage__in=OPEN_STAGES).exists():
        errors["resident"] = _("%(name)s已有正在进行中的发展档案。") % {"name": resident.name}
    errors.update(length_errors(DevelopmentStep, {"note": (note or "").strip()}))
    if errors:
        raise ValidationError(errors)
    rules = R.rules_for_area(org.area)
    rule = rules[RuleCode.MIN_AGE]
    age = resident.age(applied_on)
    if age < rule.value:
        message = R.breach(
            rule,
            _("申请入党须年满%(n)s") % {"n": R.amount(rule)},
            _("该同志出生于%(birth)s,%(on)s递交申请时%(age)s周岁")
            % {
                "birth": _d(resident.birth_date),
                "on": _d(applied_on),
                "age": age,
            },
        )
        _Checks().check(rule, False, message, field="applied_on")
    case = DevelopmentCase.objects.create(resident=resident, org=org, stage=Stage.APPLICANT, applied_on=applied_on)
    DevelopmentStep.objects.create(
        case=case, kind=StepKind.APPLY, on=applied_on, note=(note or "").strip(), recorded_by=_user(actor)
    )
    audit.record_create(
        actor=actor,
        action=events.DEVELOPMENT_CASE_OPENED,
        target=case,
        after=audit.snapshot(case, CASE_FIELDS),
        **audit.at_org(org),
    )
    return case


def _user(actor: User) -> Any:
    return actor if getattr(actor, "pk", None) else None


# ---- the later steps ------------------------------------------------------------------------


def _locked(case: DevelopmentCase) -> DevelopmentCase:
    """`case` read again under a row lock, with what the steps read and write."""
    return (
        DevelopmentCase.objects.select_for_update(of=("self",))
        .select_related("org", "org__area", "resident", "member", "member__org", "member__party_group")
        .get(pk=case.pk)
    )


@transaction.atomic
def record_step(
    *,
    actor: User,
    case: DevelopmentCase,
    kind: str,
    on: dt.date,
    note: str = "",
    training_days: int | None = None,
    training_hours: int | None = None,
    extension_months: int | None = None,
    end_reason: str = "",
) -> DevelopmentStep:
    """Record one step of `case` dated `on`: checked against the stage, the previous step and the
    rules in force at the case's branch. Returns the step (its `warnings` list the rules that
    warned)."""
    case = _locked(case)
    policy.require(actor, Capability.EDIT_PARTY, case)
    check_lengths(DevelopmentStep, {"note": note or ""})
    _check_stage(case, kind)
    _check_date(case, on)
    rules = R.rules_for_area(case.org.area)
    checks = _Checks()
    before = audit.snapshot(case, CASE_FIELDS)
    note = (note or "").strip()
    details = STEP_HANDLERS[StepKind(kind)](
        _Step(
            actor=actor,
            case=case,
            on=on,
            rules=rules,
            checks=checks,
            training_days=training_days,
            training_hours=training_hours,
            extension_months=extension_months,
            end_reason=end_reason,
        )
    )
    case.save()
    step = DevelopmentStep.objects.create(
        case=case,
        kind=kind,
        on=on,
        note=note,
        details=details,
        warnings=checks.warnings,
        recorded_by=_user(actor),
    )
    audit.record(
        actor=actor,
        action=events.DEVELOPMENT_STEP_RECORDED,
        target=case,
        changes=audit.diff(before, audit.snapshot(case, CASE_FIELDS)),
        note=str(StepKind(kind).label),
        **audit.at_org(case.org),
    )
    return step


@dataclass
class _Step:
    """What a step's handler works on: the locked case, the step's date and input, the rules in
    force and the warnings collected so far. The stage, the date and the note are checked before."""

    actor: User
    case: DevelopmentCase
    on: dt.date
    rules: R.RuleSet
    checks: _Checks
    training_days: int | None
    training_hours: int | None
    extension_months: int | None
    end_reason: str


Details = dict[str, Any]  # what the step row keeps besides its date and note


def _talk(step: _Step) -> Details:
    case, on = step.case, step.on
    rule = step.rules[RuleCode.TALK_WITHIN]
    due = R.add_period(case.applied_on, rule.value, rule.unit)
    step.checks.check(
        rule,
        on <= due,
        R.breach(
            rule,
            _("党组织应在收到入党申请书后%(n)s内派人谈话") % {"n": R.amount(rule)},
            _("该同志于%(applied)s递交入党申请,应在%(due)s前谈话,实际谈话日期为%(on)s")
            % {"applied": _d(case.applied_on), "due": _d(due), "on": _d(on)},
        ),
    )
    case.talked_on = on
    return {}


def _activist(step: _Step) -> Details:
    step.case.activist_on = step.on
    step.case.stage = Stage.ACTIVIST
    return {}


def _assessment(step: _Step) -> Details:
    case, on = step.case, step.on
    rule = step.rules[RuleCode.ASSESSMENT_INTERVAL]
    previous = case.last_assessed_on or case.activist_on
    assert previous is not None
    due = R.add_period(previous, rule.value, rule.unit)
    step.checks.check(rule, on <= due, _assessment_gap_message(rule, previous, on))
    case.last_assessed_on = on
    return {}


def _candidate(step: _Step) -> Details:
    _check_candidate(step.case, step.on, step.rules, step.checks)
    step.case.candidate_on = step.on
    step.case.stage = Stage.CANDIDATE
    return {}


def _training(step: _Step) -> Details:
    case = step.case
    days, hours = step.training_days or 0, step.training_hours or 0
    if days < 0 or hours < 0 or days > 365 or hours > 2000:
        raise ValidationError({"training_days": _("请填写合理的培训天数和学时。")})
    if not days and not hours:
        raise ValidationError({"training_days": _("请填写本次集中培训的天数或学时。")})
    case.training_days = (case.training_days or 0) + days
    case.training_hours = (case.training_hours or 0) + hours
    case.trained_on = step.on
    return {"days": days, "hours": hours}


def _resolution(step: _Step) -> Details:
    _check_training(step.case, step.rules)
    step.case.resolution_on = step.on
    return {}


def _approval(step: _Step) -> Details:
    _approve(step.actor, step.case, step.on, step.rules, step.checks)
    return {}


def _extension(step: _Step) -> Details:
    return {"months": _extend(step.case, step.extension_months, step.rules, step.checks)}


def _conversion(step: _Step) -> Details:
    _convert(step.actor, step.case, step.on, step.rules, step.checks)
    return {}


def _cancel(step: _Step) -> Details:
    case = step.case
    if case.member is not None:
        member = case.member
        case.member = None
        case.save(update_fields=["member"])
        party_services.delete_member(actor=step.actor, member=member)
    case.stage = Stage.ENDED
    case.ended_on = step.on
    case.end_reason = (step.end_reason or "").strip()[:200] or str(StepKind.CANCEL.label)
    return {}


def _end(step: _Step) -> Details:
    case = step.case
    reason = (step.end_reason or "").strip()
    if not reason:
        raise ValidationError({"end_reason": _("请填写终止培养的原因。")})
    case.stage = Stage.ENDED
    case.ended_on = step.on
    case.end_reason = reason[:200]
    return {"reason": case.end_reason}


# One handler per step that may be recorded (the application opens the case: `open_case`).
STEP_HANDLERS: dict[StepKind, Callable[[_Step], Details]] = {
    StepKind.TALK: _talk,
    StepKind.ACTIVIST: _activist,
    StepKind.ASSESSMENT: _assessment,
    StepKind.CANDIDATE: _candidate,
    StepKind.TRAINING: _training,
    StepKind.RESOLUTION: _resolution,
    StepKind.APPROVAL: _approval,
    StepKind.EXTEND: _extension,
    StepKind.CONVERT: _conversion,
    StepKind.CANCEL: _cancel,
    StepKind.END: _end,
}


def _check_stage(case: DevelopmentCase, kind: str) -> None:
    allowed = selectors.valid_steps(case)
    if kind not in allowed:
        names = "、".join(str(StepKind(k).label) for k in allowed) or _("无")
        label = StepKind(kind).label if kind in StepKind.values else kind
        raise ValidationError(
            {
                "kind": _("该档案当前为“%(stage)s”阶段,不能登记“%(step)s”;现在可登记:%(allowed)s。")
                % {"stage": case.get_stage_display(), "step": label, "allowed": names}
            }
        )


def _check_date(case: DevelopmentCase, on: dt.date) -> None:
    if not isinstance(on, dt.date):
        raise ValidationError({"on": _("请填写日期。")})
    today = timezone.localdate()
    if on > today:
        raise ValidationError({"on": _("日期不能晚于今天(%(today)s)。") % {"today": _d(today)}})
    last = case.steps.order_by("-on", "-id").first()
    latest = case.steps.aggregate(latest=Max("on"))["latest"] or case.applied_on
    if on < latest:
        label = last.get_kind_display() if last else StepKind.APPLY.label
        raise ValidationError(
            {"on": _("日期不能早于上一环节“%(step)s”的日期(%(last)s)。") % {"step": label, "last": _d(latest)}}
        )


def _assessment_gap_message(rule: DevelopmentRule, start: dt.date, end: dt.date) -> str:
    return R.breach(
        rule,
        _("对入党积极分子应每%(n)s至少考察一次") % {"n": R.amount(rule)},
        _("%(start)s至%(end)s之间相隔%(gap)s,没有考察记录")
        % {"start": _d(start), "end": _d(end), "gap": R.elapsed_text(start, end)},
    )


def _check_candidate(case: DevelopmentCase, on: dt.date, rules: R.RuleSet, checks: _Checks) -> None:
    rule = rules[RuleCode.ACTIVIST_MIN_PERIOD]
    assert case.activist_on is not None
    eligible = R.add_period(case.activist_on, rule.value, rule.unit)
    checks.check(
        rule,
        on >= eligible,
        R.breach(
            rule,
            _("确定为发展对象须在确定为入党积极分子满%(n)s后") % {"n": R.amount(rule)},
            _("该同志于%(since)s确定为入党积极分子,至%(on)s仅%(elapsed)s")
            % {"since": _d(case.activist_on), "on": _d(on), "elapsed": R.elapsed_text(case.activist_on, on)},
        ),
    )
    # Half-yearly assessment: every gap from activist to candidate within the interval.
    interval = rules[RuleCode.ASSESSMENT_INTERVAL]
    dates = sorted(case.steps.filter(kind=StepKind.ASSESSMENT).values_list("on", flat=True))
    points = [case.activist_on, *dates, on]
    gaps = [
        (a, b) for a, b in zip(points, points[1:], strict=False) if b > R.add_period(a, interval.value, interval.unit)
    ]
    if gaps:
        start, end = max(gaps, key=lambda g: g[1] - g[0])
        checks.check(interval, False, _assessment_gap_message(interval, start, end))


def _check_training(case: DevelopmentCase, rules: R.RuleSet) -> None:
    if R.training_met(case, rules):
        return
    days_rule, hours_rule = rules[RuleCode.TRAINING_MIN_DAYS], rules[RuleCode.TRAINING_MIN_HOURS]
    message = _(
        "不符合%(days)s、%(hours)s:发展对象须经集中培训不少于%(d)s或不少于%(h)s;该同志已培训%(got_d)s天、%(got_h)s学时。"
    ) % {
        "days": R.rule_name(days_rule),
        "hours": R.rule_name(hours_rule),
        "d": R.amount(days_rule),
        "h": R.amount(hours_rule),
        "got_d": case.training_days or 0,
        "got_h": case.training_hours or 0,
    }
    if Severity.REFUSE in (days_rule.severity, hours_rule.severity):
        raise ValidationError({"on": message})


def _approve(actor: User, case: DevelopmentCase, on: dt.date, rules: R.RuleSet, checks: _Checks) -> None:
    assert case.resolution_on is not None
    rule = rules[RuleCode.APPROVAL_WITHIN]
    due = R.add_period(case.resolution_on, rule.value, rule.unit)
    checks.check(
        rule,
        on <= due,
        R.breach(
            rule,
            _("上级党委应在支部大会通过后%(n)s内审批") % {"n": R.amount(rule)},
            _("支部大会于%(resolved)s通过,应在%(due)s前审批,实际审批日期为%(on)s")
            % {"resolved": _d(case.resolution_on), "due": _d(due), "on": _d(on)},
        ),
    )
    member = party_services.create_member(
        actor=actor,
        resident=case.resident,
        org=case.org,
        joined_on=case.resolution_on,
        status=MemberStatus.PROBATIONARY,
        note=_("发展党员:%(d)s经上级党委审批接收为预备党员。") % {"d": _d(on)},
    )
    probation = rules[RuleCode.PROBATION_LENGTH]
    case.member = member
    case.approved_on = on
    case.probation_ends_on = R.add_period(case.resolution_on, probation.value, probation.unit)
    case.stage = Stage.PROBATIONARY


def _extend(case: DevelopmentCase, months: int | None, rules: R.RuleSet, checks: _Checks) -> int:
    if not months or months < 1 or months > MAX_EXTENSION_MONTHS:
        raise ValidationError({"extension_months": _("请填写延长的月数(1 至 12 个月)。")})
    rule = rules[RuleCode.EXTENSION_MAX]
    before = sum(int(s.details.get("months", 0)) for s in case.steps.filter(kind=StepKind.EXTEND))
    total = before + months
    checks.check(
        rule,
        R.compare(total, RuleUnit.MONTHS, rule.value, rule.unit) <= 0,
        R.breach(
            rule,
            _("延长预备期累计不能超过%(n)s") % {"n": R.amount(rule)},
            _("该同志已延长%(before)s个月,本次再延长%(months)s个月,累计%(total)s个月")
            % {"before": before, "months": months, "total": total},
        ),
        field="extension_months",
    )
    probation = rules[RuleCode.PROBATION_LENGTH]
    assert case.resolution_on is not None
    case.probation_ends_on = R.add_months(R.add_period(case.resolution_on, probation.value, probation.unit), total)
    return months


def _convert(actor: User, case: DevelopmentCase, on: dt.date, rules: R.RuleSet, checks: _Checks) -> None:
    rule = rules[RuleCode.PROBATION_LENGTH]
    assert case.probation_ends_on is not None
    checks.check(
        rule,
        on >= case.probation_ends_on,
        R.breach(
            rule,
            _("预备党员预备期满方能转为正式党员"),
            _("该同志于%(joined)s被接收为预备党员,预备期至%(ends)s期满,%(on)s尚未期满")
            % {"joined": _d(case.resolution_on), "ends": _d(case.probation_ends_on), "on": _d(on)},
        ),
    )
    member = case.member
    if member is None:
        raise ValidationError({"kind": _("该档案没有对应的党员档案,不能办理转正。")})
    # 转正时间自预备期满之日算起(《中国共产党发展党员工作细则》第三十条).
    party_services.update_member(
        actor=actor,
        member=member,
        org=member.org,
        joined_on=member.joined_on,
        status=MemberStatus.FULL,
        party_group=member.party_group,
        full_on=case.probation_ends_on,
        post=member.post,
        note=member.note,
    )
    case.full_on = case.probation_ends_on
    case.stage = Stage.FULL
