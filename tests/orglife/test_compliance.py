"""Compliance knows the rules: units, quorum, founding, committees, groups, local rules, roll-up."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hongniudai.accounts.scope import Scope
from hongniudai.orglife import selectors, services
from hongniudai.orglife.models import MeetingRule
from hongniudai.party.models import BranchType, OrgKind
from tests import factories as f

from .conftest import YEAR, hold, period


def _obs(user, node, kind=None, **kw):
    obs = selectors.obligations(user, node=node, **(kw or period()))
    return [o for o in obs if kind is None or o.kind == kind]


def _status_by_month(obs):
    return {o.unit.start.month: o.status for o in obs}


def test_skipped_month_of_committee_meeting_is_missing_up_to_the_town(ol):
    """Done when: a branch that skipped a month's committee meeting shows it as missing for that
    month, up to the town's roll-up."""
    t = ol.town
    branch = t.xuqiao.branch
    for month in range(1, 13):
        if month != 6:
            hold(branch, dt.date(YEAR, month, 15), "committee_meeting")
    admin = ol.admin
    obs = _obs(admin, branch, "committee_meeting")
    assert len(obs) == 12
    assert {m for m, s in _status_by_month(obs).items() if s == "missing"} == {6}
    assert sum(1 for o in obs if o.status == "met") == 11
    june = next(o for o in obs if o.unit.start.month == 6)
    assert (june.unit.start, june.unit.end, june.held, june.times) == (dt.date(YEAR, 6, 1), dt.date(YEAR, 6, 30), 0, 1)
    # The whole year's committee meetings of 徐桥村 roll up through the general branch to the town.
    report = selectors.compliance_report(admin, node=t.committee, start=dt.date(YEAR, 1, 1), end=dt.date(YEAR, 12, 31))
    ((child, counts),) = report.children
    assert child == t.general_branch
    missing_committee = [
        o
        for o in selectors.missing_obligations(admin, node=t.committee, **period())
        if o.org_id == branch.pk and o.kind == "committee_meeting"
    ]
    assert [o.unit.start.month for o in missing_committee] == [6]
    gb = selectors.compliance_report(admin, node=t.general_branch, **period())
    rows = {org.name: c for org, c in gb.children}
    xq, fsh = rows["徐桥村党支部"], rows["发水河村党支部"]
    # 徐桥村 met 11 committee meetings; 发水河村 met nothing.
    assert xq.met == 11 and fsh.met == 0
    assert xq.missing == xq.due - 11 and fsh.missing == fsh.due
    assert counts.met == 11 and counts.due == xq.due + fsh.due + rows["何梅畈村党支部"].due
    assert 0 < xq.rate < 1 and fsh.rate == 0


def test_below_quorum_member_meeting_leaves_the_quarter_missing(ol):
    branch = ol.town.xuqiao.branch
    hold(branch, dt.date(YEAR, 2, 10), "member_meeting", absent=ol.members[1:3])  # 1 of 3: no
    hold(branch, dt.date(YEAR, 5, 10), "member_meeting", absent=ol.members[1:2])  # 2 of 3: yes
    obs = _obs(ol.admin, branch, "member_meeting")
    assert [o.status for o in obs] == ["missing", "met", "missing", "missing"]


def test_one_meeting_counts_as_several_kinds(ol):
    branch = ol.town.xuqiao.branch
    hold(branch, dt.date(YEAR, 1, 20), "member_meeting", "party_lecture", "theme_day")
    obs = [o for o in _obs(ol.admin, branch) if o.org_id == branch.pk and o.unit.start == dt.date(YEAR, 1, 1)]
    status = {o.kind: o.status for o in obs}
    assert status["member_meeting"] == status["party_lecture"] == status["theme_day"] == "met"
    assert status["committee_meeting"] == "missing"
    assert status["review_meeting"] == status["member_appraisal"] == "missing"


def test_founded_mid_period_owes_only_whole_units_after_founding(ol):
    t = ol.town
    new = f.org(
        t.general_branch,
        "新建党支部",
        OrgKind.BRANCH,
        t.xuqiao.area,
        branch_type=BranchType.VILLAGE,
        founded_on=dt.date(YEAR, 3, 15),
    )
    obs = _obs(ol.admin, new)
    by_kind: dict[str, list] = {}
    for o in obs:
        by_kind.setdefault(o.kind, []).append(o.unit.start)
    # Monthly from April (9 months), quarterly from the 2nd quarter (3), no yearly kinds that year.
    assert by_kind["committee_meeting"][0] == dt.date(YEAR, 4, 1) and len(by_kind["committee_meeting"]) == 9
    assert len(by_kind["theme_day"]) == 9
    assert by_kind["member_meeting"] == [dt.date(YEAR, 4, 1), dt.date(YEAR, 7, 1), dt.date(YEAR, 10, 1)]
    assert "review_meeting" not in by_kind and "member_appraisal" not in by_kind
    # The next year it owes everything.
    nxt = _obs(ol.admin, new, **period(YEAR + 1))
    assert {o.kind for o in nxt if o.unit.frequency == "yearly"} == {"review_meeting", "member_appraisal"}


def test_branch_without_committee_owes_no_committee_meeting(ol):
    branch = ol.town.fashuihe.branch
    branch.has_committee = False
    branch.save(update_fields=["has_committee"])
    kinds = {o.kind for o in _obs(ol.admin, branch) if o.org_id == branch.pk}
    assert "committee_meeting" not in kinds
    assert {"member_meeting", "party_lecture", "theme_day", "review_meeting", "member_appraisal"} <= kinds


def test_group_meetings_are_owed_by_each_group(ol):
    t = ol.town
    xq = t.xuqiao
    other = f.org(xq.branch, "徐桥村6组党小组", OrgKind.PARTY_GROUP, f.area(xq.area, "6组", "grid"))
    hold(xq.group, dt.date(YEAR, 1, 8), "group_meeting")
    obs = _obs(ol.admin, xq.branch, "group_meeting")
    assert {o.org_id for o in obs} == {xq.group.pk, other.pk}  # the branch itself owes none
    assert len([o for o in obs if o.org_id == other.pk]) == 12
    mine = _status_by_month([o for o in obs if o.org_id == xq.group.pk])
    theirs = _status_by_month([o for o in obs if o.org_id == other.pk])
    assert mine[1] == "met" and theirs[1] == "missing"
    # The branch's compliance page lists its groups as children.
    report = selectors.compliance_report(ol.admin, node=xq.branch, **period())
    names = {org.name: c for org, c in report.children}
    assert names["徐桥村5组党小组"].met == 1 and names["徐桥村6组党小组"].met == 0
    assert {row.kind for row in report.grid} >= {"group_meeting", "committee_meeting"}


def test_local_rule_overrides_in_its_subtree_most_specific_wins(ol):
    t = ol.town
    admin = ol.admin
    services.create_rule(actor=admin, kind="theme_day", area=t.town, frequency="monthly", times=2, source="镇党委文件")
    services.create_rule(actor=admin, kind="theme_day", area=t.xuqiao.area, frequency="monthly", times=3, source="村规")
    hold(t.fashuihe.branch, dt.date(YEAR, 1, 5), "theme_day", actor=admin)
    jan = dt.date(YEAR, 1, 1)
    fsh = next(o for o in _obs(admin, t.fashuihe.branch, "theme_day") if o.unit.start == jan)
    xq = next(o for o in _obs(admin, t.xuqiao.branch, "theme_day") if o.unit.start == jan)
    assert (fsh.times, fsh.held, fsh.status) == (2, 1, "missing")
    assert xq.times == 3
    hold(t.fashuihe.branch, dt.date(YEAR, 1, 25), "theme_day", actor=admin)
    fsh = next(o for o in _obs(admin, t.fashuihe.branch, "theme_day") if o.unit.start == jan)
    assert (fsh.held, fsh.status) == (2, "met")
    # Outside the town (no rule there) the default applies: the book answers for any area path.
    assert selectors.rule_book().for_area("theme_day", "/99999999/").times == 1


def test_local_rules_may_only_be_stricter_and_only_towns_set_them(ol):
    t = ol.town
    admin = ol.admin
    with pytest.raises(ValidationError) as exc:
        services.create_rule(actor=admin, kind="theme_day", area=t.town, frequency="quarterly", times=3, source="x")
    assert "frequency" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.create_rule(actor=admin, kind="member_meeting", area=t.town, frequency="yearly", times=4, source="x")
    rule = services.create_rule(
        actor=admin, kind="member_meeting", area=t.town, frequency="monthly", times=1, source="x"
    )
    # Under the town's rule, a village's rule is measured against the town's.
    with pytest.raises(ValidationError):
        services.create_rule(actor=admin, kind="member_meeting", area=t.xuqiao.area, frequency="quarterly", source="x")
    with pytest.raises(ValidationError):
        services.update_rule(actor=admin, rule=rule, frequency="half_yearly", times=1, remind_days=7, source="x")
    with pytest.raises(PermissionDenied):
        services.create_rule(
            actor=t.users["xuqiao"], kind="theme_day", area=t.xuqiao.area, frequency="monthly", times=2, source="x"
        )
    default = MeetingRule.objects.get(kind="theme_day", area__isnull=True)
    with pytest.raises(PermissionDenied):
        services.update_rule(actor=admin, rule=default, frequency="monthly", times=2, remind_days=7, source="x")
    services.delete_rule(actor=admin, rule=rule)
    assert not MeetingRule.objects.filter(pk=rule.pk).exists()


def test_pending_and_due_soon_follow_today(ol):
    branch = ol.town.xuqiao.branch
    scope = Scope(everything=True)
    late_march = dt.date(YEAR, 3, 25)
    obs = selectors.compute_obligations(
        scope, paths=[branch.path], start=dt.date(YEAR, 1, 1), end=late_march, today=late_march
    )
    committee = {o.unit.start.month: o for o in obs if o.kind == "committee_meeting"}
    assert set(committee) == {1, 2, 3}  # April has not begun
    assert committee[1].status == "missing" and committee[3].status == "pending" and committee[3].due_soon
    q1 = next(o for o in obs if o.kind == "member_meeting")
    assert q1.status == "pending" and q1.due_soon  # 6 days left, reminded 15 days before
    early = dt.date(YEAR, 3, 10)
    obs = selectors.compute_obligations(scope, paths=[branch.path], start=early, end=early, today=early)
    march = next(o for o in obs if o.kind == "committee_meeting")
    assert march.status == "pending" and not march.due_soon  # 21 days left, reminded 7 before
    yearly = next(o for o in obs if o.kind == "review_meeting")
    assert yearly.status == "pending" and not yearly.due_soon


def test_org_compliance_counts_each_whole_subtree(ol):
    t = ol.town
    hold(t.xuqiao.branch, dt.date(YEAR, 1, 15), "committee_meeting")
    result = selectors.org_compliance(
        ol.admin,
        orgs=[t.committee, t.xuqiao.branch, t.fashuihe.group],
        start=dt.date(YEAR, 1, 1),
        end=dt.date(YEAR, 1, 31),
    )
    assert set(result) == {t.committee.pk, t.xuqiao.branch.pk, t.fashuihe.group.pk}
    xq = result[t.xuqiao.branch.pk]
    # January: committee (met), theme day, group meeting of its group; Q1 member meeting and lecture;
    # the yearly review and appraisal.
    assert (xq.due, xq.met) == (7, 1)
    assert xq.missing == 6 and xq.pending == 0 and xq.rate == pytest.approx(1 / 7)
    assert result[t.fashuihe.group.pk].due == 1  # its group meeting
    assert result[t.committee.pk].due == 21 and result[t.committee.pk].met == 1


def test_compliance_is_scoped(ol):
    t = ol.town
    hold(t.fashuihe.branch, dt.date(YEAR, 1, 15), "committee_meeting")
    report = selectors.compliance_report(t.users["xuqiao"], node=None, **period())
    assert [org.name for org, _c in report.children] == ["徐桥村党支部"]
    assert all(o.org_path.startswith(t.xuqiao.branch.path) for o in _obs(t.users["xuqiao"], None))
    result = selectors.org_compliance(t.users["xuqiao"], orgs=[t.committee], **period())
    assert result[t.committee.pk].met == 0  # 发水河村's meeting is out of sight


def test_compliance_takes_a_fixed_number_of_queries(ol, django_assert_max_num_queries):
    t = ol.town
    for i in range(12):
        area = f.area(t.district, f"新村{i}", "village")
        branch = f.org(t.general_branch, f"新村{i}党支部", OrgKind.BRANCH, area, branch_type=BranchType.VILLAGE)
        f.org(branch, f"新村{i}1组党小组", OrgKind.PARTY_GROUP, f.area(area, "1组", "grid"))
        hold(branch, dt.date(YEAR, 2, 1), "committee_meeting")
    admin = ol.admin
    admin._hnd_scopes = None
    with django_assert_max_num_queries(6):
        report = selectors.compliance_report(admin, node=t.general_branch, **period())
    assert len(report.children) == 15
    with django_assert_max_num_queries(4):
        selectors.org_compliance(admin, orgs=[c for c, _ in report.children], **period())
