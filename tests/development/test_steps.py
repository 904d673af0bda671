"""The procedure of member development, step by step, against the rules and their sources."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hongniudai.audit.models import AuditEvent
from hongniudai.development import selectors, services
from hongniudai.development.models import DevelopmentRule, DevelopmentStep, Stage
from hongniudai.party.models import Member, MemberStatus
from tests import factories as f

from .conftest import D, open_case, step, walk_to


def messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


def test_default_rules_are_seeded_with_their_sources(db):
    rules = {r.code: r for r in DevelopmentRule.objects.filter(area__isnull=True)}
    assert len(rules) == 9
    assert (rules["min_age"].value, rules["min_age"].unit, rules["min_age"].severity) == (18, "years", "refuse")
    assert rules["min_age"].source == "《中国共产党章程》第一条"
    assert rules["activist_min_period"].source == "《中国共产党发展党员工作细则》第十三条"
    assert (rules["talk_within"].value, rules["talk_within"].severity) == (1, "warn")
    assert rules["training_min_hours"].value == 24 and rules["training_min_days"].value == 3
    assert rules["approval_within"].source == "《中国共产党发展党员工作细则》第二十六条"
    assert rules["probation_length"].source == rules["extension_max"].source == "《中国共产党章程》第七条"


def test_a_seventeen_year_old_applicant_is_refused_naming_the_rule(town):
    young = f.resident(town.xuqiao.household, "黄小丽", sex="F", birth=D(2008, 6, 1))
    with pytest.raises(ValidationError) as exc:
        open_case(town, young, applied_on=D(2026, 2, 1))
    text = messages(exc)
    assert "申请入党的最低年龄" in text and "《中国共产党章程》第一条" in text
    assert "年满18周岁" in text and "2026-02-01" in text and "17周岁" in text
    # Once eighteen, the same person may apply.
    case = open_case(town, young, applied_on=D(2026, 6, 1))
    assert case.stage == Stage.APPLICANT
    assert list(case.steps.values_list("kind", flat=True)) == ["apply"]


def test_opening_refuses_members_open_cases_and_the_future(town, applicant):
    with pytest.raises(ValidationError) as exc:
        open_case(town, town.xuqiao.head)
    assert "已是党员" in messages(exc)
    open_case(town, applicant)
    with pytest.raises(ValidationError) as exc:
        open_case(town, applicant)
    assert "进行中" in messages(exc)
    other = f.resident(town.xuqiao.household, "黄小军", birth=D(1999, 1, 1))
    with pytest.raises(ValidationError) as exc:
        open_case(town, other, applied_on=D(2099, 1, 1))
    assert "不能晚于今天" in messages(exc)


def test_opening_is_scoped(town, applicant):
    stranger = f.resident(town.fashuihe.household, "施小红", birth=D(1999, 1, 1))
    with pytest.raises(PermissionDenied):  # another village's branch
        services.open_case(
            actor=town.users["xuqiao"], resident=stranger, org=town.fashuihe.branch, applied_on=D(2026, 1, 1)
        )
    with pytest.raises(PermissionDenied):  # another village's resident
        services.open_case(
            actor=town.users["xuqiao"], resident=stranger, org=town.xuqiao.branch, applied_on=D(2026, 1, 1)
        )
    with pytest.raises(PermissionDenied):  # a grid worker may not edit party data
        services.open_case(
            actor=town.users["gridworker"], resident=applicant, org=town.xuqiao.branch, applied_on=D(2026, 1, 1)
        )


def test_activist_made_candidate_after_ten_months_is_refused(town, applicant):
    case = open_case(town, applicant, applied_on=D(2025, 12, 20))
    step(town, case, "talk", D(2025, 12, 28))
    step(town, case, "activist", D(2026, 1, 5))
    step(town, case, "assessment", D(2026, 6, 30))
    with pytest.raises(ValidationError) as exc:
        step(town, case, "candidate", D(2026, 11, 5))
    assert messages(exc) == (
        "不符合“入党积极分子培养考察的最短时间”(《中国共产党发展党员工作细则》第十三条):"
        "确定为发展对象须在确定为入党积极分子满1年后;该同志于2026-01-05确定为入党积极分子,至2026-11-05仅10个月。"
    )
    case.refresh_from_db()
    assert case.stage == Stage.ACTIVIST and case.candidate_on is None
    assert not case.steps.filter(kind="candidate").exists()


def test_the_whole_way_to_full_member(town, applicant):
    case = open_case(town, applicant)
    case = walk_to(town, case, "probationary")
    member = Member.objects.get(resident=applicant)
    assert case.member == member and member.status == MemberStatus.PROBATIONARY
    assert member.joined_on == D(2025, 4, 1) and member.org == town.xuqiao.branch
    assert case.probation_ends_on == D(2026, 4, 1)
    for kind, on in (("convert", D(2026, 4, 10)),):
        step(town, case, kind, on)
    case.refresh_from_db()
    member.refresh_from_db()
    assert case.stage == Stage.FULL and member.status == MemberStatus.FULL
    assert member.full_on == case.full_on == D(2026, 4, 1)
    kinds = list(case.steps.values_list("kind", flat=True))
    assert kinds == [
        "apply", "talk", "activist", "assessment", "assessment", "candidate", "training", "resolution", "approval", "convert"
    ]  # fmt: skip
    assert all(s.warnings == [] for s in case.steps.all())
    assert AuditEvent.objects.filter(target_type="development.developmentcase", target_id=str(case.pk)).count() == 10
    assert AuditEvent.objects.filter(target_type="party.member", target_id=str(member.pk)).count() == 2


def test_steps_must_follow_the_order_and_dates(town, applicant):
    case = open_case(town, applicant)
    with pytest.raises(ValidationError) as exc:
        step(town, case, "activist", D(2024, 1, 20))  # no talk yet
    assert "入党申请人" in messages(exc) and "党组织派人谈话" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        step(town, case, "talk", D(2024, 1, 5))  # before the application
    assert "不能早于上一环节" in messages(exc) and "2024-01-10" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        step(town, case, "talk", D(2099, 1, 5))
    assert "不能晚于今天" in messages(exc)
    with pytest.raises(ValidationError):
        step(town, case, "convert", D(2024, 2, 1))
    with pytest.raises(PermissionDenied):
        services.record_step(actor=town.users["gridworker"], case=case, kind="talk", on=D(2024, 1, 20))
    assert case.steps.count() == 1


def test_a_late_talk_is_recorded_with_a_warning(town, applicant):
    case = open_case(town, applicant)
    s = step(town, case, "talk", D(2024, 3, 1))
    assert len(s.warnings) == 1 and s.warnings[0]["rule"] == "talk_within"
    assert "《中国共产党发展党员工作细则》第七条" in s.warnings[0]["message"]
    assert "2024-02-10" in s.warnings[0]["message"]  # the date it was due
    case.refresh_from_db()
    assert case.talked_on == D(2024, 3, 1)


def test_assessment_gaps_warn(town, applicant):
    case = walk_to(town, open_case(town, applicant), "activist")
    s = step(town, case, "assessment", D(2024, 9, 1))  # activist 2024-02-01: 7 months
    assert [w["rule"] for w in s.warnings] == ["assessment_interval"]
    s = step(town, case, "candidate", D(2025, 6, 1))  # 9 months since the last assessment
    assert [w["rule"] for w in s.warnings] == ["assessment_interval"]
    assert "2024-09-01至2025-06-01" in s.warnings[0]["message"] and "9个月" in s.warnings[0]["message"]
    case.refresh_from_db()
    assert case.stage == Stage.CANDIDATE


def test_resolution_needs_either_training_minimum(town, applicant):
    case = walk_to(town, open_case(town, applicant), "candidate")
    step(town, case, "training", D(2025, 3, 1), training_days=2, training_hours=16)
    with pytest.raises(ValidationError) as exc:
        step(town, case, "resolution", D(2025, 4, 1))
    text = messages(exc)
    assert "发展对象集中培训的最少天数" in text and "最少学时" in text and "第十七条" in text
    assert "已培训2天、16学时" in text
    with pytest.raises(ValidationError):
        step(town, case, "training", D(2025, 3, 2))  # neither days nor hours
    step(town, case, "training", D(2025, 3, 5), training_hours=8)  # 24 hours in all: enough
    step(town, case, "resolution", D(2025, 4, 1))
    case.refresh_from_db()
    assert (case.training_days, case.training_hours, case.resolution_on) == (2, 24, D(2025, 4, 1))


def test_late_approval_warns_and_still_admits(town, applicant):
    case = walk_to(town, open_case(town, applicant), "resolved")
    s = step(town, case, "approval", D(2025, 8, 1))
    assert [w["rule"] for w in s.warnings] == ["approval_within"]
    assert "2025-07-01" in s.warnings[0]["message"]
    assert DevelopmentStep.objects.get(pk=s.pk).warnings == s.warnings
    case.refresh_from_db()
    assert case.stage == Stage.PROBATIONARY and case.member.joined_on == D(2025, 4, 1)


def test_conversion_not_before_probation_ends_and_extension_limited(town, applicant):
    case = walk_to(town, open_case(town, applicant), "probationary")
    with pytest.raises(ValidationError) as exc:
        step(town, case, "convert", D(2026, 3, 1))
    assert "预备期" in messages(exc) and "2026-04-01" in messages(exc) and "《中国共产党章程》第七条" in messages(exc)
    step(town, case, "extend", D(2026, 3, 20), extension_months=6)
    case.refresh_from_db()
    assert case.probation_ends_on == D(2026, 10, 1)
    with pytest.raises(ValidationError) as exc:
        step(town, case, "extend", D(2026, 9, 20), extension_months=7)
    assert "延长预备期的上限" in messages(exc) and "累计13个月" in messages(exc)
    with pytest.raises(ValidationError):
        step(town, case, "convert", D(2026, 9, 30))
    step(town, case, "convert", D(2026, 10, 8))
    case.refresh_from_db()
    assert case.stage == Stage.FULL and case.member.full_on == D(2026, 10, 1)


def test_cancel_probation_removes_the_member(town, applicant):
    case = walk_to(town, open_case(town, applicant), "probationary")
    step(town, case, "cancel", D(2026, 1, 5), end_reason="不履行党员义务")
    case.refresh_from_db()
    assert case.stage == Stage.ENDED and case.member is None and case.end_reason == "不履行党员义务"
    assert not Member.objects.filter(resident=applicant).exists()


def test_ending_a_case_needs_a_reason_and_frees_the_person(town, applicant):
    case = open_case(town, applicant)
    with pytest.raises(ValidationError) as exc:
        step(town, case, "end", D(2024, 2, 1))
    assert "原因" in messages(exc)
    step(town, case, "end", D(2024, 2, 1), end_reason="本人撤回申请")
    case.refresh_from_db()
    assert case.stage == Stage.ENDED and case.ended_on == D(2024, 2, 1)
    assert selectors.valid_steps(case) == []
    again = open_case(town, applicant, applied_on=D(2025, 1, 1))  # a new application later
    assert again.pk != case.pk
