"""Recording meetings: kinds, attendance, the member-meeting quorum, validation, capability, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hongniudai.audit.models import AuditEvent
from hongniudai.orglife import events, selectors, services
from hongniudai.orglife.models import AbsenceReason, Attendance, MeetingKind, MeetingKindMark, MeetingRule
from hongniudai.party import services as party_services
from hongniudai.party.models import OrgKind
from tests import factories as f

from .conftest import attendance, hold

DAY = dt.date(2025, 3, 10)


def test_default_rules_are_seeded_from_the_branch_work_regulations(db):
    rules = {r.kind: r for r in MeetingRule.objects.filter(area__isnull=True)}
    assert set(rules) == set(MeetingKind.values)
    assert (rules["member_meeting"].frequency, rules["member_meeting"].times) == ("quarterly", 1)
    assert rules["committee_meeting"].frequency == "monthly" and rules["committee_meeting"].needs_committee
    assert rules["group_meeting"].owed_by == "party_group" and rules["group_meeting"].frequency == "monthly"
    assert rules["party_lecture"].frequency == "quarterly"
    assert rules["theme_day"].frequency == "monthly"
    assert rules["review_meeting"].frequency == "yearly" and rules["member_appraisal"].frequency == "yearly"
    assert all("中国共产党支部工作条例" in r.source for r in rules.values())


def test_member_meeting_below_quorum_does_not_count(ol):
    branch = ol.town.xuqiao.branch
    # 3 full members have a vote (the probationary member has none); 1 of 3 present is not a majority.
    m = hold(branch, DAY, "member_meeting", "party_lecture", absent=ol.members[1:3])
    assert (m.voting_total, m.voting_present) == (3, 1)
    marks = {k.kind: k.counts for k in m.marks.all()}
    assert marks == {"member_meeting": False, "party_lecture": True}
    assert "未超过半数" in selectors.quorum_message(m) and "应到 3 人、实到 1 人" in selectors.quorum_message(m)
    # 2 of 3: more than half, it counts.
    m2 = hold(branch, DAY, "member_meeting", absent=[ol.members[1]])
    assert (m2.voting_total, m2.voting_present) == (3, 2)
    assert m2.marks.get().counts is True
    assert selectors.quorum_message(m2) == ""


def test_exactly_half_is_not_more_than_half(ol):
    branch = ol.town.xuqiao.branch
    res = f.resident(ol.town.xuqiao.household, "黄四", birth=dt.date(1975, 1, 1))
    f.member(res, branch)  # now 4 voting members
    m = hold(branch, DAY, "member_meeting", absent=ol.members[1:3])
    assert (m.voting_total, m.voting_present) == (4, 2)
    assert m.marks.get().counts is False


def test_a_member_full_only_after_the_day_has_no_vote(ol):
    branch = ol.town.xuqiao.branch
    p = ol.probationary
    party_services.update_member(
        actor=f._root(), member=p, org=branch, joined_on=p.joined_on, status="full", full_on=dt.date(2025, 7, 1)
    )
    assert hold(branch, DAY, "member_meeting").voting_total == 3
    assert hold(branch, dt.date(2025, 8, 1), "member_meeting").voting_total == 4


def test_attendance_is_recorded_with_reasons(ol):
    branch = ol.town.xuqiao.branch
    m = hold(branch, DAY, "theme_day", absent=[ol.members[2]])
    rows = {a.member_id: a for a in Attendance.objects.filter(meeting=m)}
    assert len(rows) == 4
    assert rows[ol.members[2].pk].present is False
    assert rows[ol.members[2].pk].absence_reason == AbsenceReason.ILLNESS
    assert m.recorded_by is not None


def test_absence_needs_a_reason_and_everyone_must_be_entered(ol):
    branch = ol.town.xuqiao.branch
    entries = attendance(branch, DAY)
    entries[1] = services.AttendanceEntry(member=entries[1].member, present=False)
    with pytest.raises(ValidationError) as exc:
        services.record_meeting(
            actor=ol.admin, org=branch, held_on=DAY, topic="t", kinds=["theme_day"], attendance=entries
        )
    assert "缺席原因" in str(exc.value.message_dict["attendance"])
    with pytest.raises(ValidationError) as exc:
        services.record_meeting(
            actor=ol.admin, org=branch, held_on=DAY, topic="t", kinds=["theme_day"], attendance=entries[:2]
        )
    assert "尚未登记" in str(exc.value.message_dict["attendance"])
    # A member of another branch is not on the roster.
    stranger = services.AttendanceEntry(member=ol.town.fashuihe.member)
    with pytest.raises(ValidationError) as exc:
        services.record_meeting(
            actor=ol.admin,
            org=branch,
            held_on=DAY,
            topic="t",
            kinds=["theme_day"],
            attendance=[*attendance(branch, DAY), stranger],
        )
    assert "不是本次会议应到的党员" in str(exc.value.message_dict["attendance"])


def _refused(field: str, **kwargs):
    with pytest.raises(ValidationError) as exc:
        services.record_meeting(**kwargs)
    assert field in exc.value.message_dict, exc.value.message_dict
    return exc.value.message_dict[field]


def test_kinds_fit_the_organisation(ol):
    t = ol.town
    branch, group = t.xuqiao.branch, t.xuqiao.group
    base = {"actor": ol.admin, "held_on": DAY, "topic": "t"}
    # Group meetings belong to a party group, the others to a branch.
    _refused("kinds", org=branch, kinds=["group_meeting"], attendance=attendance(branch, DAY), **base)
    _refused("kinds", org=group, kinds=["theme_day"], attendance=attendance(group, DAY), **base)
    _refused("kinds", org=branch, kinds=[], attendance=attendance(branch, DAY), **base)
    _refused("org", org=t.general_branch, kinds=["theme_day"], **base)
    m = services.record_meeting(
        org=group, kinds=["group_meeting"], attendance=attendance(group, DAY, kinds=["group_meeting"]), **base
    )
    assert m.marks.get().kind == "group_meeting"
    # A branch without a committee holds no committee meeting.
    branch.has_committee = False
    branch.save(update_fields=["has_committee"])
    msg = _refused("kinds", org=branch, kinds=["committee_meeting"], attendance=attendance(branch, DAY), **base)
    assert "未设支部委员会" in msg[0]


def test_dates_lecturer_and_presider_are_checked(ol):
    branch = ol.town.xuqiao.branch
    base = {"actor": ol.admin, "org": branch, "topic": "t", "kinds": ["party_lecture"], "lecturer": "黄文华"}
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert "晚于今天" in _refused("held_on", held_on=tomorrow, **base)[0]
    branch.founded_on = dt.date(2025, 1, 1)
    branch.save(update_fields=["founded_on"])
    old = dt.date(2024, 12, 1)
    assert "成立日期" in _refused("held_on", held_on=old, attendance=attendance(branch, old), **base)[0]
    base["lecturer"] = ""
    assert "授课人" in _refused("lecturer", held_on=DAY, attendance=attendance(branch, DAY), **base)[0]
    base["lecturer"] = "黄文华"
    _refused(
        "presided_by",
        held_on=DAY,
        attendance=attendance(branch, DAY),
        presided_by=ol.town.fashuihe.member,
        **base,
    )


def test_committee_only_meeting_takes_the_committee(ol):
    branch = ol.town.xuqiao.branch
    roster = selectors.meeting_roster(branch, ["committee_meeting"], DAY)
    assert [m.pk for m in roster] == [ol.members[0].pk]  # the secretary
    m = hold(branch, DAY, "committee_meeting")
    assert m.attendance.count() == 1
    assert m.voting_total == 3  # still the branch's full members


def test_capability_and_scope(ol):
    t = ol.town
    branch = t.xuqiao.branch
    entries = attendance(branch, DAY)
    for user in (t.users["gridworker"], t.users["fashuihe"], ol.instructor):
        with pytest.raises(PermissionDenied):
            services.record_meeting(
                actor=user, org=branch, held_on=DAY, topic="t", kinds=["theme_day"], attendance=entries
            )
    m = services.record_meeting(
        actor=t.users["xuqiao"], org=branch, held_on=DAY, topic="t", kinds=["theme_day"], attendance=entries
    )
    with pytest.raises(PermissionDenied):
        services.delete_meeting(actor=t.users["gridworker"], meeting=m)


def test_update_replaces_kinds_and_attendance_and_audits(ol):
    branch = ol.town.xuqiao.branch
    xuqiao = ol.town.users["xuqiao"]
    m = hold(branch, DAY, "theme_day", actor=xuqiao)
    created = AuditEvent.objects.get(target_type="orglife.meeting", target_id=str(m.pk), action=events.MEETING_RECORDED)
    assert created.org_path == branch.path and created.area_path == branch.area.path
    services.update_meeting(
        actor=xuqiao,
        meeting=m,
        held_on=DAY,
        topic="新主题",
        kinds=["member_meeting", "theme_day"],
        attendance=attendance(branch, DAY, absent=ol.members[1:3]),
    )
    m.refresh_from_db()
    assert m.topic == "新主题"
    assert set(MeetingKindMark.objects.filter(meeting=m).values_list("kind", "counts")) == {
        ("member_meeting", False),
        ("theme_day", True),
    }
    assert m.attendance.filter(present=False).count() == 2
    update = AuditEvent.objects.get(target_type="orglife.meeting", target_id=str(m.pk), action=events.MEETING_UPDATED)
    assert "topic" in update.changes and "absent" in update.changes
    pk = m.pk
    services.delete_meeting(actor=xuqiao, meeting=m)
    assert AuditEvent.objects.filter(
        target_type="orglife.meeting", target_id=str(pk), action=events.MEETING_DELETED
    ).exists()
    assert not MeetingKindMark.objects.filter(meeting_id=pk).exists()


def test_group_meeting_roster_is_the_group(ol):
    t = ol.town
    xq = t.xuqiao
    other_group = f.org(xq.branch, "徐桥村6组党小组", OrgKind.PARTY_GROUP, f.area(xq.area, "6组", "grid"))
    res = f.resident(xq.household, "黄六", birth=dt.date(1980, 1, 1))
    f.member(res, xq.branch, group=other_group)
    assert len(selectors.meeting_roster(xq.group, ["group_meeting"], DAY)) == 4
    assert len(selectors.meeting_roster(other_group, ["group_meeting"], DAY)) == 1
