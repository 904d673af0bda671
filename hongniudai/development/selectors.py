"""Every read of member development, for an acting user: the roster, a case with its timeline,
the rules in force at an organisation, and what is due next for each open case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, get_scoped_or_404, scope_for
from hongniudai.common import parsing
from hongniudai.party.models import OrgKind, PartyOrg
from hongniudai.places.models import AreaNode, Resident
from hongniudai.places.selectors import resident_search_q

from . import rules as R
from .models import OPEN_STAGES, DevelopmentCase, DevelopmentRule, DevelopmentStep, RuleCode, Stage, StepKind
from .policy import may_set_local_rules


def cases(user: User, *, stage: str = "", org: PartyOrg | None = None, q: str = "") -> QuerySet[DevelopmentCase]:
    """The development roster within the user's scope; `org` includes its whole subtree; `q` is a
    name (part), pinyin initials or a whole ID number, as on the member list."""
    qs = scope_for(user).filter(
        DevelopmentCase.objects.select_related("resident", "resident__household__hamlet", "org", "org__area")
    )
    if org is not None:
        qs = qs.filter(org__path__under=org.path)
    if q:
        qs = qs.filter(resident__in=Resident.objects.filter(resident_search_q(q)).values("pk"))
    if stage:
        qs = qs.filter(stage=stage)
    return qs.order_by("org__path", "-applied_on", "id")


def stage_counts(user: User, *, org: PartyOrg | None = None, q: str = "") -> dict[str, int]:
    """Cases per stage (every stage present, zero when none) for the same filters but the stage."""
    rows = dict(cases(user, org=org, q=q).order_by().values("stage").annotate(n=Count("id")).values_list("stage", "n"))
    return {s: rows.get(s, 0) for s in Stage.values}


def case_get(user: User, pk: int) -> DevelopmentCase:
    """One case with its timeline (`case.timeline`: steps oldest first, recorder loaded)."""
    case = get_scoped_or_404(
        user,
        DevelopmentCase.objects.select_related(
            "resident", "resident__household__hamlet", "org", "org__area", "member"
        ).prefetch_related(
            Prefetch("steps", queryset=DevelopmentStep.objects.select_related("recorded_by").order_by("on", "id"))
        ),
        pk=pk,
    )
    case.timeline = list(case.steps.all())  # type: ignore[attr-defined]
    return case


def branches_for_case(user: User) -> QuerySet[PartyOrg]:
    """Branches where the user may open a case."""
    return (
        scope_for(user, Capability.EDIT_PARTY)
        .filter(PartyOrg.objects.filter(kind=OrgKind.BRANCH).select_related("area"))
        .order_by("path")
    )


def residents_for_case_choice(user: User, *, q: str = "", id_digest: str = "") -> QuerySet[Resident]:
    """Residents the user may open a case for: in their party-editing scope, not party members and
    without an open case."""
    open_cases = DevelopmentCase.objects.filter(stage__in=OPEN_STAGES).values("resident_id")
    qs = scope_for(user, Capability.EDIT_PARTY).filter(
        Resident.objects.filter(party_member__isnull=True)
        .exclude(pk__in=open_cases)
        .select_related("household__hamlet")
    )
    if q:
        qs = qs.filter(resident_search_q(q))
    if id_digest:
        qs = qs.filter(id_digest=id_digest)
    return qs.order_by("household__hamlet__path", "name", "id")


def orgs_for_filter(user: User) -> QuerySet[PartyOrg]:
    """Visible organisations above and at branch level (no party groups) for the filters."""
    return (
        scope_for(user)
        .filter(
            PartyOrg.objects.exclude(kind=OrgKind.PARTY_GROUP).only(
                "id", "name", "kind", "branch_type", "depth", "path"
            )
        )
        .order_by("path")
    )


def org_get_optional(user: User, value: Any) -> PartyOrg | None:
    pk = parsing.parse_id(value)
    if pk is None:
        return None
    return scope_for(user).filter(PartyOrg.objects.select_related("area").filter(pk=pk)).first()


def valid_steps(case: DevelopmentCase) -> list[str]:
    """The steps that may be recorded now, in the order of the procedure."""
    if case.stage == Stage.APPLICANT:
        return [StepKind.ACTIVIST if case.talked_on else StepKind.TALK, StepKind.END]
    if case.stage == Stage.ACTIVIST:
        return [StepKind.ASSESSMENT, StepKind.CANDIDATE, StepKind.END]
    if case.stage == Stage.CANDIDATE:
        if case.resolution_on:
            return [StepKind.APPROVAL, StepKind.END]
        return [StepKind.TRAINING, StepKind.RESOLUTION, StepKind.END]
    if case.stage == Stage.PROBATIONARY:
        return [StepKind.EXTEND, StepKind.CONVERT, StepKind.CANCEL]
    return []


# ---- rules --------------------------------------------------------------------------------


@dataclass
class RuleInForce:
    rule: DevelopmentRule
    default: DevelopmentRule

    @property
    def is_local(self) -> bool:
        return self.rule.area_id is not None

    @property
    def amount(self) -> str:
        return R.amount(self.rule)

    @property
    def default_amount(self) -> str:
        return R.amount(self.default)


def rules_in_force(user: User, org: PartyOrg | None) -> list[RuleInForce]:
    """The rules that apply to cases of `org` (a visible organisation; None: the defaults), each
    with the default it overrides."""
    defaults = R.rules_for_area(None)
    if org is None:
        return [RuleInForce(r, r) for r in defaults.ordered()]
    org = get_scoped_or_404(user, PartyOrg.objects.select_related("area"), pk=org.pk)
    in_force = R.rules_for_area(org.area)
    return [RuleInForce(r, defaults[r.code]) for r in in_force.ordered()]


def visible_rules(user: User) -> QuerySet[DevelopmentRule]:
    """The defaults, the local rules set within the user's scope and those set above it (which
    apply to it)."""
    scope = scope_for(user)
    qs = DevelopmentRule.objects.select_related("area")
    if scope.everything:
        return qs.order_by("code", "area__path")
    paths = list(scope.area_paths)
    if scope.org_paths:
        paths += list(PartyOrg.objects.filter(path__in=scope.org_paths).values_list("area__path", flat=True).distinct())
    above: set[int] = set()
    for p in paths:
        above.update(R.ancestor_ids(p))
    cond = Q(area__isnull=True) | Q(area_id__in=above)
    for p in paths:
        cond |= Q(area__path__under=p)
    return qs.filter(cond).order_by("code", "area__path")


def local_rules(user: User) -> QuerySet[DevelopmentRule]:
    """Local rules the user may change (within their scope)."""
    if not may_set_local_rules(user):
        return DevelopmentRule.objects.none()
    return (
        scope_for(user, Capability.EDIT_PLACES)
        .filter(DevelopmentRule.objects.filter(area__isnull=False).select_related("area"))
        .order_by("area__path", "code")
    )


def local_rule_get(user: User, pk: int) -> DevelopmentRule:
    return get_scoped_or_404(user, DevelopmentRule.objects.filter(area__isnull=False).select_related("area"), pk=pk)


def areas_for_rule_choice(user: User) -> QuerySet[AreaNode]:
    if not may_set_local_rules(user):
        return AreaNode.objects.none()
    return (
        scope_for(user, Capability.EDIT_PLACES)
        .filter(AreaNode.objects.filter(kind__in=R.RULE_AREA_KINDS))
        .only("id", "name", "kind", "depth", "path", "is_community")
        .order_by("path")
    )


# ---- what is due next ------------------------------------------------------------------------


@dataclass
class DueItem:
    case: DevelopmentCase
    what: str
    due_on: dt.date | None = None
    overdue: bool = False
    note: str = ""
    rule: str = ""  # the rule code the date comes from
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def days_left(self) -> int | None:
        return (self.due_on - timezone.localdate()).days if self.due_on else None


def _next_for(case: DevelopmentCase, rules: R.RuleSet, today: dt.date) -> DueItem:
    if case.stage == Stage.APPLICANT:
        if not case.talked_on:
            rule = rules[RuleCode.TALK_WITHIN]
            due = R.add_period(case.applied_on, rule.value, rule.unit)
            return DueItem(case, _("派人谈话"), due, today > due, rule=rule.code)
        return DueItem(case, _("确定为入党积极分子"), note=_("已谈话,待支部研究确定"))
    if case.stage == Stage.ACTIVIST:
        assert case.activist_on is not None
        interval = rules[RuleCode.ASSESSMENT_INTERVAL]
        period = rules[RuleCode.ACTIVIST_MIN_PERIOD]
        assess_due = R.add_period(case.last_assessed_on or case.activist_on, interval.value, interval.unit)
        eligible = R.add_period(case.activist_on, period.value, period.unit)
        if today > assess_due or assess_due < eligible:
            return DueItem(case, _("入党积极分子考察"), assess_due, today > assess_due, rule=interval.code)
        return DueItem(
            case,
            _("可确定为发展对象"),
            eligible,
            False,
            note=_("自该日起可确定为发展对象"),
            rule=period.code,
        )
    if case.stage == Stage.CANDIDATE:
        if case.resolution_on:
            rule = rules[RuleCode.APPROVAL_WITHIN]
            due = R.add_period(case.resolution_on, rule.value, rule.unit)
            return DueItem(case, _("上级党委审批"), due, today > due, rule=rule.code)
        if not R.training_met(case, rules):
            days, hours = rules[RuleCode.TRAINING_MIN_DAYS], rules[RuleCode.TRAINING_MIN_HOURS]
            return DueItem(
                case,
                _("集中培训"),
                note=_("需满%(d)s或%(h)s,已培训%(gd)s天、%(gh)s学时")
                % {
                    "d": R.amount(days),
                    "h": R.amount(hours),
                    "gd": case.training_days or 0,
                    "gh": case.training_hours or 0,
                },
                rule=days.code,
            )
        return DueItem(case, _("支部大会讨论接收为预备党员"), note=_("培训已达标"))
    assert case.probation_ends_on is not None
    return DueItem(
        case, _("转为正式党员"), case.probation_ends_on, today > case.probation_ends_on, rule=RuleCode.PROBATION_LENGTH
    )


def due_next(user: User, org: PartyOrg | None = None) -> list[DueItem]:
    """For each open case in scope (within `org`), the next thing due and its date, flagged when
    overdue: overdue first, then by date (undated last), by branch."""
    qs = scope_for(user).filter(
        DevelopmentCase.objects.filter(stage__in=OPEN_STAGES).select_related("resident", "org", "org__area")
    )
    if org is not None:
        qs = qs.filter(org__path__under=org.path)
    rows = R.all_rows()
    by_area: dict[int, R.RuleSet] = {}
    today = timezone.localdate()
    items = []
    for case in qs.order_by("org__path", "id"):
        ruleset = by_area.get(case.org.area_id)
        if ruleset is None:
            ruleset = by_area[case.org.area_id] = R.resolve(rows, case.org.area)
        items.append(_next_for(case, ruleset, today))
    far = dt.date.max
    items.sort(key=lambda i: (not i.overdue, i.due_on or far, i.case.org.path, i.case.pk))
    return items
