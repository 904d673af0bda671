"""The deadline rules: working days allowed at each level to accept and to settle a matter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q

from hongniudai.accounts.models import User

from ..models import LADDER, Category, DeadlineRule, Level

# The working days (to accept, to settle) at a level where no rule is recorded.
DEFAULT_DAYS: dict[str, tuple[int, int]] = {
    Level.HAMLET: (1, 5),
    Level.GRID: (1, 5),
    Level.VILLAGE: (2, 10),
    Level.TOWN: (3, 15),
}


def rule_for(category: Category, level: str) -> tuple[int, int, bool, bool]:
    """(accept days, settle days, escalate when unaccepted, escalate when unsettled) of a matter
    of `category` at `level`: the category's own rule, else the default rule, else `DEFAULT_DAYS`."""
    rules = {
        (r.category_id, r.level): r
        for r in DeadlineRule.objects.filter(Q(category=category) | Q(category__isnull=True), level=level)
    }
    rule = rules.get((category.pk, level)) or rules.get((None, level))
    if rule is None:
        accept, settle = DEFAULT_DAYS[level]
        return accept, settle, True, False
    return rule.accept_days, rule.settle_days, rule.escalate_when_unaccepted, rule.escalate_when_unsettled


def deadline_rules(user: User) -> list[DeadlineRule]:
    """Every deadline rule: the defaults (no category) first, then by category, up the ladder."""
    rules = list(DeadlineRule.objects.select_related("category"))
    rules.sort(
        key=lambda r: (
            r.category is not None,
            r.category.sort_order if r.category else 0,
            r.category.code if r.category else "",
            LADDER.index(r.level) if r.level in LADDER else 99,
        )
    )
    return rules


def _values(rule: DeadlineRule | None, level: str) -> dict[str, Any]:
    """The editable values of `rule`, or those that hold at `level` without one."""
    accept, settle = DEFAULT_DAYS[level]
    return {
        "accept_days": rule.accept_days if rule else accept,
        "settle_days": rule.settle_days if rule else settle,
        "escalate_when_unaccepted": rule.escalate_when_unaccepted if rule else True,
        "escalate_when_unsettled": rule.escalate_when_unsettled if rule else False,
    }


def default_rules(rules: Sequence[DeadlineRule]) -> list[dict[str, Any]]:
    """The rule holding at each level of the ladder for a category without its own (`rules` as
    `deadline_rules` gives them): the recorded default rule (`rule`), or the built-in days."""
    explicit = {r.level: r for r in rules if r.category_id is None}
    return [
        {
            "level": level,
            "label": Level(level).label,
            "rule": explicit.get(level),
            **_values(explicit.get(level), level),
        }
        for level in LADDER
    ]


def rule_values(rules: Sequence[DeadlineRule], *, category_id: int | None, level: str) -> dict[str, Any]:
    """The values the rule of (`category_id`, `level`) has now: its own, or the built-in days."""
    existing = next((r for r in rules if r.category_id == category_id and r.level == level), None)
    return _values(existing, level)
