"""Every write of the local development rules: a town or county tightens a rule for its area and
subtree, or drops its tightening. Loosening is refused; the probation length is the Charter's."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.audit import services as audit
from hongniudai.common.text import length_errors
from hongniudai.places.models import AreaNode

from . import events, policy
from . import rules as R
from .models import DevelopmentRule, RuleCode, RuleUnit, Severity


def _describe(value: int, unit: str, code: str) -> str:
    return R.amount(DevelopmentRule(code=code, value=value, unit=unit))


def _stricter_or_equal(code: str, value: int, unit: str, than: DevelopmentRule) -> bool:
    cmp = R.compare(value, unit, than.value, than.unit)
    return cmp >= 0 if R.DIRECTION[code] == "up" else cmp <= 0


def _check_input(*, code: str, area: AreaNode, value: int, unit: str, severity: str, source: str, note: str) -> None:
    """The rule exists and may be set locally; the area, unit, value, severity and texts are valid."""
    if code not in RuleCode.values:
        raise ValidationError({"code": _("请选择规则。")})
    label = RuleCode(code).label
    if R.DIRECTION[code] == "fixed":
        raise ValidationError(
            {"code": _("“%(rule)s”为1年(《中国共产党章程》第七条),不能由地方调整。") % {"rule": label}}
        )
    errors: dict[str, str] = {}
    if area.kind not in R.RULE_AREA_KINDS:
        errors["area"] = _("地方规则应设在县、镇、片区、村或园区一级。")
    if unit not in R.UNITS[code]:
        allowed = "、".join(str(RuleUnit(u).label) for u in R.UNITS[code])
        errors["unit"] = _("“%(rule)s”的单位应为:%(units)s。") % {"rule": label, "units": allowed}
    if not isinstance(value, int) or not 1 <= value <= 1000:
        errors["value"] = _("请填写 1 至 1000 之间的整数。")
    if severity not in Severity.values:
        errors["severity"] = _("请选择违反时的处理方式。")
    errors.update(length_errors(DevelopmentRule, {"source": (source or "").strip(), "note": note or ""}))
    if errors:
        raise ValidationError(errors)


def _check_tightens(
    *, code: str, area: AreaNode, value: int, unit: str, severity: str, inherited: DevelopmentRule
) -> None:
    """The new rule is at least as strict as the one `area` has without it (`inherited`), and no
    rule already set below the area is looser than it."""
    if not _stricter_or_equal(code, value, unit, inherited):
        raise ValidationError(
            {
                "value": _("地方只能从严规定,不能放宽:%(rule)s在%(area)s现行为%(now)s,不能改为%(new)s。")
                % {
                    "rule": R.rule_name(inherited),
                    "area": area.name,
                    "now": R.amount(inherited),
                    "new": _describe(value, unit, code),
                }
            }
        )
    if inherited.severity == Severity.REFUSE and severity == Severity.WARN:
        raise ValidationError(
            {
                "severity": _("地方只能从严规定,不能放宽:%(rule)s现行为“%(now)s”,不能改为“%(new)s”。")
                % {
                    "rule": R.rule_name(inherited),
                    "now": Severity(inherited.severity).label,
                    "new": Severity(severity).label,
                }
            }
        )
    below = DevelopmentRule.objects.select_related("area").filter(code=code, area__path__under=area.path)
    for row in below.exclude(area=area):
        if not _stricter_or_equal(code, row.value, row.unit, DevelopmentRule(code=code, value=value, unit=unit)):
            raise ValidationError(
                {
                    "value": _("下级地区“%(area)s”已规定为%(now)s,比本次规定宽松,请先调整该地区的规定。")
                    % {"area": row.area.name if row.area else "", "now": R.amount(row)}
                }
            )


@transaction.atomic
def save_local_rule(
    *,
    actor: User,
    code: str,
    area: AreaNode,
    value: int,
    unit: str,
    severity: str = Severity.REFUSE,
    source: str = "",
    note: str = "",
) -> DevelopmentRule:
    """Set (or change) the rule `code` for `area` and its subtree. Only tightening is allowed:
    the value must be at least as strict as the rule the area has without it, and no stricter
    than the overrides already set below it allow."""
    policy.require_rule_admin(actor, area)
    _check_input(code=code, area=area, value=value, unit=unit, severity=severity, source=source, note=note)
    existing = DevelopmentRule.objects.select_for_update().filter(code=code, area=area).first()
    inherited = R.rules_for_area(area, exclude_pk=existing.pk if existing else None)[code]
    _check_tightens(code=code, area=area, value=value, unit=unit, severity=severity, inherited=inherited)
    before = audit.snapshot(existing, DevelopmentRule.AUDITED) if existing else {}
    rule = existing or DevelopmentRule(code=code, area=area)
    rule.value, rule.unit, rule.severity = value, unit, severity
    rule.source = (source or "").strip()[:200] or inherited.source
    rule.note = (note or "").strip()
    rule.save()
    audit.record(
        actor=actor,
        action=events.DEVELOPMENT_RULE_UPDATED if existing else events.DEVELOPMENT_RULE_CREATED,
        target=rule,
        changes=audit.diff(before, audit.snapshot(rule, DevelopmentRule.AUDITED)),
        area_path=area.path,
    )
    return rule


@transaction.atomic
def delete_local_rule(*, actor: User, rule: DevelopmentRule) -> None:
    """Drop a local rule: the rule of the area above (or the default) applies again."""
    if rule.area is None:
        raise ValidationError(_("默认规则不能删除。"))
    policy.require_rule_admin(actor, rule.area)
    audit.record_delete(
        actor=actor,
        action=events.DEVELOPMENT_RULE_DELETED,
        target=rule,
        before=audit.snapshot(rule, DevelopmentRule.AUDITED),
        area_path=rule.area.path,
    )
    rule.delete()
