"""The rules of member development as data: defaults, resolution by area, periods, messages.

Each rule names its source. A locality may tighten a rule for its area (a `DevelopmentRule` row
with an area); the row for the most specific area on a branch's area path applies, else the
deployment's default (area empty). Loosening, and changing the probation length, are refused.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from hongniudai.common.tree import ancestor_ids
from hongniudai.places.models import AreaKind, AreaNode

from .models import DevelopmentCase, DevelopmentRule, RuleCode, RuleUnit, Severity

SOURCE_CHARTER_1 = "《中国共产党章程》第一条"
SOURCE_CHARTER_7 = "《中国共产党章程》第七条"
SOURCE_RULES = "《中国共产党发展党员工作细则》第%s条"

# (code, value, unit, severity, source): the seeded defaults (migration 0002).
DEFAULTS: tuple[tuple[str, int, str, str, str], ...] = (
    (RuleCode.MIN_AGE, 18, RuleUnit.YEARS, Severity.REFUSE, SOURCE_CHARTER_1),
    (RuleCode.TALK_WITHIN, 1, RuleUnit.MONTHS, Severity.WARN, SOURCE_RULES % "七"),
    (RuleCode.ASSESSMENT_INTERVAL, 6, RuleUnit.MONTHS, Severity.WARN, SOURCE_RULES % "十一"),
    (RuleCode.ACTIVIST_MIN_PERIOD, 1, RuleUnit.YEARS, Severity.REFUSE, SOURCE_RULES % "十三"),
    (RuleCode.TRAINING_MIN_DAYS, 3, RuleUnit.DAYS, Severity.REFUSE, SOURCE_RULES % "十七"),
    (RuleCode.TRAINING_MIN_HOURS, 24, RuleUnit.HOURS, Severity.REFUSE, SOURCE_RULES % "十七"),
    (RuleCode.APPROVAL_WITHIN, 3, RuleUnit.MONTHS, Severity.WARN, SOURCE_RULES % "二十六"),
    (RuleCode.PROBATION_LENGTH, 1, RuleUnit.YEARS, Severity.REFUSE, SOURCE_CHARTER_7),
    (RuleCode.EXTENSION_MAX, 1, RuleUnit.YEARS, Severity.REFUSE, SOURCE_CHARTER_7),
)

# Areas a local rule may be set for.
RULE_AREA_KINDS = (AreaKind.COUNTY, AreaKind.TOWN, AreaKind.DISTRICT, AreaKind.VILLAGE, AreaKind.PARK)

# Which way is stricter: "up" (a larger value), "down" (a smaller value) or "fixed" (no local change).
DIRECTION: dict[str, str] = {
    RuleCode.MIN_AGE: "up",
    RuleCode.TALK_WITHIN: "down",
    RuleCode.ASSESSMENT_INTERVAL: "down",
    RuleCode.ACTIVIST_MIN_PERIOD: "up",
    RuleCode.TRAINING_MIN_DAYS: "up",
    RuleCode.TRAINING_MIN_HOURS: "up",
    RuleCode.APPROVAL_WITHIN: "down",
    RuleCode.PROBATION_LENGTH: "fixed",
    RuleCode.EXTENSION_MAX: "down",
}

# Units a rule may be stated in.
UNITS: dict[str, tuple[str, ...]] = {
    RuleCode.MIN_AGE: (RuleUnit.YEARS,),
    RuleCode.TALK_WITHIN: (RuleUnit.MONTHS, RuleUnit.DAYS),
    RuleCode.ASSESSMENT_INTERVAL: (RuleUnit.MONTHS, RuleUnit.DAYS),
    RuleCode.ACTIVIST_MIN_PERIOD: (RuleUnit.YEARS, RuleUnit.MONTHS),
    RuleCode.TRAINING_MIN_DAYS: (RuleUnit.DAYS,),
    RuleCode.TRAINING_MIN_HOURS: (RuleUnit.HOURS,),
    RuleCode.APPROVAL_WITHIN: (RuleUnit.MONTHS, RuleUnit.DAYS),
    RuleCode.PROBATION_LENGTH: (RuleUnit.YEARS,),
    RuleCode.EXTENSION_MAX: (RuleUnit.YEARS, RuleUnit.MONTHS),
}


# ---- dates --------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months; the 31st becomes the last day of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_period(day: dt.date, value: int, unit: str) -> dt.date:
    if unit == RuleUnit.YEARS:
        return add_months(day, 12 * value)
    if unit == RuleUnit.MONTHS:
        return add_months(day, value)
    return day + dt.timedelta(days=value)


def whole_months(start: dt.date, end: dt.date) -> int:
    """Whole months from `start` to `end` (0 when `end` is before a month has passed)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return max(months, 0)


def elapsed_text(start: dt.date, end: dt.date) -> str:
    """ "10个月", "1年2个月" or "20天" between two dates."""
    months = whole_months(start, end)
    if months == 0:
        return _("%(n)s天") % {"n": (end - start).days}
    years, months = divmod(months, 12)
    if years and months:
        return _("%(y)s年%(m)s个月") % {"y": years, "m": months}
    if years:
        return pgettext("a length of time", "%(y)s年") % {"y": years}
    return _("%(m)s个月") % {"m": months}


def _magnitude(value: int, unit: str) -> tuple[str, float]:
    """A comparable size: months for years/months, days otherwise (a month counted as 30 days
    when compared with days)."""
    if unit == RuleUnit.YEARS:
        return "months", value * 12
    if unit == RuleUnit.MONTHS:
        return "months", value
    return unit, value


def compare(a_value: int, a_unit: str, b_value: int, b_unit: str) -> int:
    """-1, 0 or 1 as rule value a is smaller than, equal to or larger than b."""
    ka, va = _magnitude(a_value, a_unit)
    kb, vb = _magnitude(b_value, b_unit)
    if ka != kb:
        va = va * 30 if ka == "months" else va
        vb = vb * 30 if kb == "months" else vb
    return (va > vb) - (va < vb)


# ---- rules --------------------------------------------------------------------------------


UNIT_AMOUNTS: dict[str, Any] = {
    RuleUnit.YEARS: pgettext_lazy("a length of time", "%(n)s年"),
    RuleUnit.MONTHS: gettext_lazy("%(n)s个月"),
    RuleUnit.DAYS: gettext_lazy("%(n)s天"),
    RuleUnit.HOURS: gettext_lazy("%(n)s学时"),
}


def amount(rule: DevelopmentRule) -> str:
    """ "1年", "6个月", "3天", "24学时"; the minimum age as "18周岁"."""
    if rule.code == RuleCode.MIN_AGE:
        return _("%(n)s周岁") % {"n": rule.value}
    return UNIT_AMOUNTS[rule.unit] % {"n": rule.value}


def rule_name(rule: DevelopmentRule) -> str:
    return f"“{RuleCode(rule.code).label}”({rule.source})"


def breach(rule: DevelopmentRule, requirement: str, facts: str) -> str:
    """The message for a rule not met: names the rule and its source, the requirement, the dates."""
    return _("不符合%(rule)s:%(requirement)s;%(facts)s。") % {
        "rule": rule_name(rule),
        "requirement": requirement,
        "facts": facts,
    }


@dataclass(frozen=True)
class RuleSet:
    """The rules in force at one area: one row per code."""

    rules: dict[str, DevelopmentRule]

    def __getitem__(self, code: str) -> DevelopmentRule:
        return self.rules[code]

    def ordered(self) -> list[DevelopmentRule]:
        return [self.rules[c] for c in RuleCode.values if c in self.rules]


def resolve(rows: Iterable[DevelopmentRule], area: AreaNode | None, *, exclude_pk: int | None = None) -> RuleSet:
    """From `rows` (defaults and overrides, with `area` loaded), the rule per code for `area`: the
    row of the deepest area on its path, else the default."""
    # Each area on the path with its depth (top first).
    on_path = {pk: i for i, pk in enumerate(ancestor_ids(area.path))} if area is not None else {}
    best: dict[str, tuple[int, DevelopmentRule]] = {}
    for row in rows:
        if exclude_pk is not None and row.pk == exclude_pk:
            continue
        if row.area_id is None:
            depth = -1
        elif row.area_id in on_path:
            depth = on_path[row.area_id]
        else:
            continue
        if row.code not in best or depth > best[row.code][0]:
            best[row.code] = (depth, row)
    found = {code: row for code, (_d, row) in best.items()}
    for code, value, unit, severity, source in DEFAULTS:
        # A default row deleted by hand: the built-in default still applies.
        found.setdefault(code, DevelopmentRule(code=code, value=value, unit=unit, severity=severity, source=source))
    return RuleSet(found)


def all_rows() -> list[DevelopmentRule]:
    return list(DevelopmentRule.objects.select_related("area"))


def rules_for_area(area: AreaNode | None, *, exclude_pk: int | None = None) -> RuleSet:
    on_path = ancestor_ids(area.path) if area is not None else []
    rows = DevelopmentRule.objects.select_related("area").filter(area__isnull=True) | DevelopmentRule.objects.filter(
        area_id__in=on_path
    ).select_related("area")
    return resolve(rows, area, exclude_pk=exclude_pk)


def training_met(case: DevelopmentCase, rules: RuleSet) -> bool:
    """Either minimum of the centralised training suffices (《细则》第十七条)."""
    days_rule, hours_rule = rules[RuleCode.TRAINING_MIN_DAYS], rules[RuleCode.TRAINING_MIN_HOURS]
    return (case.training_days or 0) >= days_rule.value or (case.training_hours or 0) >= hours_rule.value
