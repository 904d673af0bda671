"""The organisational-life pages: register, meeting, forms, compliance, missing list, rules."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from hongniudai.audit.models import AuditEvent
from hongniudai.orglife.models import Meeting, MeetingRule

from .conftest import YEAR, hold, xlsx_rows

DAY = dt.date(YEAR, 4, 8)
PERIOD = {"start": f"{YEAR}-01-01", "end": f"{YEAR}-12-31"}


def _attendance_post(members, *, absent=(), reason="illness", **fields):
    data = {"held_on": DAY.isoformat(), "topic": "学习党章", "kinds": ["member_meeting"], **fields}
    away = {m.pk for m in absent}
    for m in members:
        if m.pk not in away:
            data[f"present_{m.pk}"] = "on"
        else:
            data[f"reason_{m.pk}"] = reason
            data[f"note_{m.pk}"] = "住院"
    return data


def test_register_lists_filters_and_exports(ol):
    t = ol.town
    hold(t.xuqiao.branch, DAY, "member_meeting", "party_lecture", topic="学习党章", absent=[ol.members[2]])
    hold(t.xuqiao.branch, dt.date(YEAR, 5, 6), "theme_day", topic="植树")
    hold(t.fashuihe.branch, DAY, "theme_day", topic="发水河村主题党日")
    client = t.client_for("xuqiao")
    html = client.get(reverse("orglife:meeting_list")).content.decode()
    assert "学习党章" in html and "植树" in html and "发水河村" not in html
    html = client.get(reverse("orglife:meeting_list"), {"kind": "party_lecture"}).content.decode()
    assert "学习党章" in html and "植树" not in html
    html = client.get(reverse("orglife:meeting_list"), {"q": "植树"}).content.decode()
    assert "植树" in html and "学习党章" not in html
    html = client.get(reverse("orglife:meeting_list"), {"start": f"{YEAR}-05-01"}).content.decode()
    assert "植树" in html and "学习党章" not in html
    admin = t.client_for("admin")
    html = admin.get(reverse("orglife:meeting_list"), {"org": t.fashuihe.branch.pk}).content.decode()
    assert "发水河村主题党日" in html and "学习党章" not in html
    response = client.get(reverse("orglife:meeting_list"), {"export": "xlsx"})
    rows = xlsx_rows(response)
    assert rows[0][:4] == ["日期", "党组织", "会议类型", "主题"]
    assert {r[3] for r in rows[1:]} == {"学习党章", "植树"}
    lesson = next(r for r in rows if r[3] == "学习党章")
    assert "支部党员大会" in lesson[2] and "党课" in lesson[2]
    assert "黄秀英(因病)" in lesson[9]
    assert AuditEvent.objects.filter(action="export", target_repr__startswith="会议记录台账").exists()


def test_meeting_detail_shows_kinds_counting_and_absences(ol):
    t = ol.town
    m = hold(t.xuqiao.branch, DAY, "member_meeting", "theme_day", absent=ol.members[1:3])
    html = t.client_for("xuqiao").get(reverse("orglife:meeting_detail", args=[m.pk])).content.decode()
    assert "支部党员大会" in html and "不计入(未超过半数)" in html and "主题党日" in html
    assert "未超过半数,不计入党员大会" in html
    assert "黄国强" in html and "因病" in html
    assert "应到 3 人,实到 1 人" in html
    # Out of scope: 404, like a missing meeting.
    assert t.client_for("fashuihe").get(reverse("orglife:meeting_detail", args=[m.pk])).status_code == 404


def test_create_meeting_through_the_form(ol):
    t = ol.town
    client = t.client_for("xuqiao")
    # First the organisation, then the form with the attendance table of its members.
    html = client.get(reverse("orglife:meeting_create")).content.decode()
    assert "徐桥村党支部" in html and "发水河村" not in html
    url = reverse("orglife:meeting_create") + f"?org={t.xuqiao.branch.pk}"
    html = client.get(url).content.decode()
    for m in ol.members:
        assert m.resident.name in html and f"present_{m.pk}" in html
    assert "党小组会" not in html  # a branch's meeting cannot be a group meeting
    # An absence without a reason is refused, with the member named.
    data = _attendance_post(ol.members, absent=[ol.members[1]], reason="")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "请填写“黄国强”的缺席原因" in response.content.decode()
    assert not Meeting.objects.exists()
    # Below quorum: saved, and the user is told it does not count.
    data = _attendance_post(ol.members, absent=ol.members[1:3])
    response = client.post(url, data, follow=True)
    meeting = Meeting.objects.get()
    assert response.redirect_chain[-1][0] == reverse("orglife:meeting_detail", args=[meeting.pk])
    html = response.content.decode()
    assert "已登记会议" in html and "未超过半数" in html
    assert meeting.attendance.filter(present=False, absence_reason="illness", absence_note="住院").count() == 2
    assert meeting.marks.get().counts is False


def test_group_meeting_form_takes_the_group(ol):
    t = ol.town
    client = t.client_for("xuqiao")
    url = reverse("orglife:meeting_create") + f"?org={t.xuqiao.group.pk}"
    data = _attendance_post(ol.members, kinds=["group_meeting"])
    response = client.post(url, data)
    assert response.status_code == 302
    assert Meeting.objects.get().org == t.xuqiao.group


def test_edit_and_delete(ol):
    t = ol.town
    m = hold(t.xuqiao.branch, DAY, "member_meeting", absent=ol.members[1:3])
    client = t.client_for("xuqiao")
    url = reverse("orglife:meeting_edit", args=[m.pk])
    html = client.get(url).content.decode()
    assert "学习会议精神" in html and 'value="illness" selected' in html
    response = client.post(url, _attendance_post(ol.members, absent=[ol.members[1]]), follow=True)
    m.refresh_from_db()
    assert m.topic == "学习党章" and m.marks.get().counts is True
    assert "未超过半数" not in response.content.decode()
    response = client.post(reverse("orglife:meeting_delete", args=[m.pk]))
    assert response.status_code == 302 and not Meeting.objects.filter(pk=m.pk).exists()


def test_gridworker_may_look_but_not_write(ol):
    t = ol.town
    # The grid worker of 徐桥村 5组 sees its party group's meetings (not the branch's).
    m = hold(t.xuqiao.group, DAY, "group_meeting")
    client = t.client_for("gridworker")
    assert client.get(reverse("orglife:meeting_list")).status_code == 200
    assert client.get(reverse("orglife:meeting_detail", args=[m.pk])).status_code == 200
    assert client.get(reverse("orglife:meeting_create")).status_code == 403
    assert client.post(reverse("orglife:meeting_create") + f"?org={t.xuqiao.group.pk}", {}).status_code == 403
    assert client.post(reverse("orglife:meeting_edit", args=[m.pk]), {}).status_code == 403
    assert client.post(reverse("orglife:meeting_delete", args=[m.pk])).status_code == 403
    assert Meeting.objects.filter(pk=m.pk).exists()


def test_compliance_page_rolls_up_and_links_down(ol):
    t = ol.town
    for month in range(1, 13):
        if month != 6:
            hold(t.xuqiao.branch, dt.date(YEAR, month, 15), "committee_meeting")
    admin = t.client_for("admin")
    html = admin.get(reverse("orglife:compliance"), PERIOD).content.decode()
    assert "宋河镇党委" in html
    html = admin.get(reverse("orglife:compliance"), {"org": t.committee.pk, **PERIOD}).content.decode()
    assert "东片区大总支" in html and f"?org={t.general_branch.pk}&amp;start={YEAR}-01-01" in html
    html = admin.get(reverse("orglife:compliance"), {"org": t.general_branch.pk, **PERIOD}).content.decode()
    assert "徐桥村党支部" in html and "发水河村党支部" in html and "何梅畈村党支部" in html
    # The branch: a grid of kinds × units linking to the meetings of the unit.
    html = admin.get(reverse("orglife:compliance"), {"org": t.xuqiao.branch.pk, **PERIOD}).content.decode()
    assert "逐项落实情况" in html and "支部委员会" in html and "6月" in html
    june = f"org={t.xuqiao.branch.pk}&amp;kind=committee_meeting&amp;start={YEAR}-06-01&amp;end={YEAR}-06-30"
    assert june in html
    assert "徐桥村5组党小组" in html  # its group, as a child and in the grid
    # Presets work too.
    assert admin.get(reverse("orglife:compliance"), {"preset": "last_quarter"}).status_code == 200
    assert admin.get(reverse("orglife:compliance"), {"start": "2025-05-01", "end": "2025-01-01"}).status_code == 200


def test_compliance_exports(ol):
    t = ol.town
    hold(t.xuqiao.branch, dt.date(YEAR, 1, 15), "committee_meeting")
    admin = t.client_for("admin")
    rows = xlsx_rows(admin.get(reverse("orglife:compliance"), {"org": t.general_branch.pk, "export": "xlsx", **PERIOD}))
    assert rows[0] == ["党组织", "类型", "应开展", "已落实", "未落实", "进行中", "落实率"]
    assert {r[0] for r in rows[1:]} == {"东片区大总支", "徐桥村党支部", "发水河村党支部", "何梅畈村党支部"}
    rows = xlsx_rows(admin.get(reverse("orglife:compliance"), {"org": t.xuqiao.branch.pk, "export": "xlsx", **PERIOD}))
    assert rows[0][:3] == ["党组织", "会议类型", "期间"]
    january = next(r for r in rows if r[1] == "支部委员会" and r[2] == f"{YEAR}年1月")
    assert january[0] == "徐桥村党支部" and january[-1] == "已落实"
    assert next(r for r in rows if r[1] == "支部委员会" and r[2] == f"{YEAR}年2月")[-1] == "未落实"


def test_missing_list_and_export(ol):
    t = ol.town
    for month in range(1, 13):
        if month != 6:
            hold(t.xuqiao.branch, dt.date(YEAR, month, 15), "committee_meeting")
    client = t.client_for("xuqiao")
    html = client.get(reverse("orglife:missing_list"), PERIOD).content.decode()
    assert f"{YEAR}年6月" in html and "发水河村" not in html
    rows = xlsx_rows(client.get(reverse("orglife:missing_list"), {"export": "xlsx", **PERIOD}))
    committee = [r for r in rows[1:] if r[1] == "支部委员会"]
    assert [r[2] for r in committee] == [f"{YEAR}年6月"]
    assert all(r[0].startswith("徐桥村") for r in rows[1:])


def test_rules_page_and_local_rules(ol):
    t = ol.town
    xuqiao = t.client_for("xuqiao")
    html = xuqiao.get(reverse("orglife:rule_list")).content.decode()
    assert "中国共产党支部工作条例" in html and "新增地方规则" not in html
    assert xuqiao.get(reverse("orglife:rule_create")).status_code == 403
    admin = t.client_for("admin")
    assert admin.get(reverse("orglife:rule_create")).status_code == 200
    data = {
        "kind": "theme_day",
        "area": t.town.pk,
        "frequency": "quarterly",
        "times": 1,
        "remind_days": 7,
        "source": "x",
    }
    response = admin.post(reverse("orglife:rule_create"), data)
    assert response.status_code == 200 and "只能更频繁或次数更多" in response.content.decode()
    data["frequency"], data["times"] = "monthly", 2
    assert admin.post(reverse("orglife:rule_create"), data).status_code == 302
    rule = MeetingRule.objects.get(area=t.town)
    # The village sees the town's rule that governs it, but may not change it.
    assert "宋河镇" in xuqiao.get(reverse("orglife:rule_list")).content.decode()
    assert xuqiao.post(reverse("orglife:rule_edit", args=[rule.pk]), data).status_code == 403
    edit = {"frequency": "monthly", "times": 3, "remind_days": 5, "source": "镇党委文件"}
    assert admin.post(reverse("orglife:rule_edit", args=[rule.pk]), edit).status_code == 302
    rule.refresh_from_db()
    assert rule.times == 3
    default = MeetingRule.objects.get(kind="theme_day", area__isnull=True)
    assert admin.get(reverse("orglife:rule_edit", args=[default.pk])).status_code == 403
    assert admin.post(reverse("orglife:rule_delete", args=[rule.pk])).status_code == 302
    assert not MeetingRule.objects.filter(pk=rule.pk).exists()


def test_start_time_is_saved_through_the_edit_page(ol):
    t = ol.town
    m = hold(t.xuqiao.branch, DAY, "member_meeting")
    client = t.client_for("xuqiao")
    url = reverse("orglife:meeting_edit", args=[m.pk])
    response = client.post(url, _attendance_post(ol.members, start_time="19:30"))
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.start_time == dt.time(19, 30)
    assert "19:30" in client.get(url).content.decode()
    event = AuditEvent.objects.filter(target_type="orglife.meeting", target_id=str(m.pk)).latest("id")
    assert event.changes["start_time"] == [None, "19:30:00"]
