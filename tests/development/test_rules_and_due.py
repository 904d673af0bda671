"""Local tightening of the rules, refusal to loosen, and the "due next" list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hongniudai.development import selectors, services_rules
from hongniudai.development.models import RuleCode
from tests import factories as f

from .conftest import D, open_case, step, walk_to


def save(town, area, code, value, unit, **kwargs):
    return services_rules.save_local_rule(
        actor=town.users["admin"], code=code, area=area, value=value, unit=unit, **kwargs
    )


def test_a_town_may_tighten_and_the_branch_follows(town, applicant):
    save(town, town.town, RuleCode.ACTIVIST_MIN_PERIOD, 18, "months", source="宋河镇党委〔2026〕1号")
    case = walk_to(town, open_case(town, applicant), "activist")  # activist 2024-02-01
    step(town, case, "assessment", D(2024, 7, 15))
    step(town, case, "assessment", D(2025, 1, 10))
    with pytest.raises(ValidationError) as exc:
        step(town, case, "candidate", D(2025, 2, 10))  # 12 months: enough by default, not here
    text = " ".join(exc.value.messages)
    assert "满18个月后" in text and "宋河镇党委〔2026〕1号" in text and "仅1年" in text
    rules = {r.rule.code: r for r in selectors.rules_in_force(town.users["xuqiao"], town.xuqiao.branch)}
    assert rules["activist_min_period"].is_local and rules["activist_min_period"].amount == "18个月"
    assert rules["activist_min_period"].default_amount == "1年"
    assert not rules["min_age"].is_local


def test_the_most_specific_area_wins(town):
    save(town, town.town, RuleCode.TALK_WITHIN, 20, "days")
    save(town, town.xuqiao.area, RuleCode.TALK_WITHIN, 10, "days")
    xq = {r.rule.code: r.rule for r in selectors.rules_in_force(town.users["admin"], town.xuqiao.branch)}
    fsh = {r.rule.code: r.rule for r in selectors.rules_in_force(town.users["admin"], town.fashuihe.branch)}
    assert (xq["talk_within"].value, fsh["talk_within"].value) == (10, 20)


@pytest.mark.parametrize(
    ("code", "value", "unit"),
    [
        (RuleCode.MIN_AGE, 17, "years"),
        (RuleCode.TALK_WITHIN, 2, "months"),
        (RuleCode.TALK_WITHIN, 45, "days"),
        (RuleCode.ACTIVIST_MIN_PERIOD, 10, "months"),
        (RuleCode.TRAINING_MIN_HOURS, 20, "hours"),
        (RuleCode.APPROVAL_WITHIN, 4, "months"),
        (RuleCode.EXTENSION_MAX, 18, "months"),
        (RuleCode.ASSESSMENT_INTERVAL, 1, "years"),  # a unit the rule does not take
    ],
)
def test_loosening_is_refused(town, code, value, unit):
    with pytest.raises(ValidationError) as exc:
        save(town, town.town, code, value, unit)
    assert "从严" in " ".join(exc.value.messages) or "单位" in " ".join(exc.value.messages)


def test_loosening_message_names_the_rule_in_force(town):
    save(town, town.town, RuleCode.ACTIVIST_MIN_PERIOD, 18, "months")
    with pytest.raises(ValidationError) as exc:
        save(town, town.xuqiao.area, RuleCode.ACTIVIST_MIN_PERIOD, 1, "years")  # looser than the town's
    assert exc.value.message_dict["value"] == [
        "地方只能从严规定,不能放宽:“入党积极分子培养考察的最短时间”(《中国共产党发展党员工作细则》第十三条)"
        "在徐桥村现行为18个月,不能改为1年。"
    ]
    with pytest.raises(ValidationError) as exc:  # the town may not undercut a village's stricter rule below it
        save(town, town.xuqiao.area, RuleCode.ACTIVIST_MIN_PERIOD, 2, "years")
        save(town, town.town, RuleCode.ACTIVIST_MIN_PERIOD, 30, "months")
    assert "徐桥村" in " ".join(exc.value.messages)


def test_warn_may_become_refuse_but_not_the_other_way(town, applicant):
    save(town, town.town, RuleCode.TALK_WITHIN, 1, "months", severity="refuse")
    case = open_case(town, applicant)
    with pytest.raises(ValidationError):
        step(town, case, "talk", D(2024, 3, 1))
    with pytest.raises(ValidationError) as exc:
        save(town, town.town, RuleCode.MIN_AGE, 19, "years", severity="warn")
    assert "severity" in exc.value.message_dict


def test_probation_length_is_fixed_and_only_town_admins_set_rules(town):
    with pytest.raises(ValidationError) as exc:
        save(town, town.town, RuleCode.PROBATION_LENGTH, 2, "years")
    assert "不能由地方调整" in " ".join(exc.value.messages)
    for user in ("xuqiao", "gridworker"):
        with pytest.raises(PermissionDenied):
            services_rules.save_local_rule(
                actor=town.users[user], code=RuleCode.TALK_WITHIN, area=town.xuqiao.area, value=10, unit="days"
            )
    with pytest.raises(PermissionDenied):  # the town admin's scope ends at the town
        save(town, town.county, RuleCode.TALK_WITHIN, 10, "days")


def test_deleting_a_local_rule_restores_the_default(town):
    rule = save(town, town.town, RuleCode.APPROVAL_WITHIN, 2, "months")
    services_rules.delete_local_rule(actor=town.users["admin"], rule=rule)
    rules = {r.rule.code: r for r in selectors.rules_in_force(town.users["admin"], town.xuqiao.branch)}
    assert rules["approval_within"].amount == "3个月" and not rules["approval_within"].is_local


def test_due_next_per_case(town, applicant):
    today = timezone.localdate()
    new = f.resident(town.xuqiao.household, "黄新", birth=D(1998, 1, 1))
    fresh = open_case(town, new, applied_on=today - dt.timedelta(days=3))
    late = open_case(town, applicant)  # applied 2024-01-10, no talk: overdue since 2024-02-10
    activist = walk_to(
        town, open_case(town, f.resident(town.xuqiao.household, "黄积", birth=D(1990, 1, 1))), "activist"
    )
    resolved = walk_to(
        town, open_case(town, f.resident(town.xuqiao.household, "黄决", birth=D(1990, 1, 1))), "resolved"
    )
    probationary = walk_to(
        town, open_case(town, f.resident(town.xuqiao.household, "黄预", birth=D(1990, 1, 1))), "probationary"
    )
    other = open_case(town, f.resident(town.xuqiao.household, "黄终", birth=D(1990, 1, 1)))
    step(town, other, "end", D(2024, 2, 1), end_reason="撤回")
    items = {i.case.pk: i for i in selectors.due_next(town.users["xuqiao"])}
    assert other.pk not in items
    assert items[fresh.pk].what == "派人谈话" and not items[fresh.pk].overdue
    assert items[late.pk].due_on == D(2024, 2, 10) and items[late.pk].overdue
    assert items[activist.pk].what == "入党积极分子考察" and items[activist.pk].due_on == D(2024, 8, 1)
    assert items[activist.pk].overdue
    assert items[resolved.pk].what == "上级党委审批" and items[resolved.pk].due_on == D(2025, 7, 1)
    assert items[probationary.pk].what == "转为正式党员" and items[probationary.pk].due_on == D(2026, 4, 1)
    ordered = [i.case.pk for i in selectors.due_next(town.users["xuqiao"])]
    assert ordered[-1] == fresh.pk  # overdue first, then by date
    # Scoped: 发水河村's secretary sees none of them; a branch filter narrows.
    assert selectors.due_next(town.users["fashuihe"]) == []
    assert selectors.due_next(town.users["admin"], town.fashuihe.branch) == []


def test_due_next_for_activists_and_candidates(town):
    today = timezone.localdate()
    person = f.resident(town.xuqiao.household, "黄近", birth=D(1990, 1, 1))
    case = open_case(town, person, applied_on=today - dt.timedelta(days=400))
    step(town, case, "talk", today - dt.timedelta(days=390))
    step(town, case, "activist", today - dt.timedelta(days=380))
    step(town, case, "assessment", today - dt.timedelta(days=10))
    (item,) = selectors.due_next(town.users["xuqiao"])
    assert item.what == "可确定为发展对象" and item.due_on <= today and not item.overdue
    step(town, case, "candidate", today - dt.timedelta(days=5))
    (item,) = selectors.due_next(town.users["xuqiao"])
    assert item.what == "集中培训" and "已培训0天" in item.note
    step(town, case, "training", today, training_days=3)
    (item,) = selectors.due_next(town.users["xuqiao"])
    assert item.what == "支部大会讨论接收为预备党员"
