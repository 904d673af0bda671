import pytest
from django.urls import reverse

from hongniudai.audit.models import AuditEvent
from hongniudai.places import events as place_events
from hongniudai.places import services as place_services


def test_audit_rows_cannot_be_changed_or_deleted(town):
    event = AuditEvent.objects.first()
    event.note = "x"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.update(note="x")


def test_update_records_before_and_after(town):
    hh = town.xuqiao.household
    place_services.update_household(
        actor=town.users["xuqiao"],
        household=hh,
        hamlet=hh.hamlet,
        address="徐桥村新址8号",
        head=town.xuqiao.head,
        is_formerly_poor=True,
    )
    event = AuditEvent.objects.filter(action=place_events.HOUSEHOLD_UPDATED, target_type="places.household").latest(
        "id"
    )
    assert event.actor == town.users["xuqiao"]
    assert event.changes["address"] == ["徐桥村黄家湾1号", "徐桥村新址8号"]
    assert event.changes["is_formerly_poor"] == [False, True]


def test_audit_never_holds_a_full_id_number(town):
    from hongniudai.common.identity import decrypt_id_number

    number = decrypt_id_number(town.xuqiao.head.id_cipher)
    for event in AuditEvent.objects.all():
        assert number not in str(event.changes)
        assert "13912345678" not in str(event.changes)


def test_audit_view_is_scoped(town):
    place_services.update_household(
        actor=town.users["admin"],
        household=town.fashuihe.household,
        hamlet=town.fashuihe.hamlet,
        address="发水河村新址",
        head=town.fashuihe.head,
    )
    admin = town.client_for("admin")
    response = admin.get(reverse("audit:list"), {"q": "发水河村新址"})
    assert response.status_code == 200
    assert "发水河村新址" in response.content.decode()
    # A village secretary has no audit view at all; the history of a record out of scope is 404.
    xuqiao = town.client_for("xuqiao")
    assert xuqiao.get(reverse("audit:list")).status_code == 403
    url = reverse("audit:history", args=["places.household", town.fashuihe.household.pk])
    assert xuqiao.get(url).status_code == 404
    assert admin.get(url).status_code == 200
    own = reverse("audit:history", args=["places.household", town.xuqiao.household.pk])
    assert xuqiao.get(own).status_code == 200


def test_history_of_unknown_type_is_404(town):
    admin = town.client_for("admin")
    assert admin.get(reverse("audit:history", args=["nope.model", "1"])).status_code == 404
    assert admin.get(reverse("audit:history", args=["places.household", "abc"])).status_code == 404


def test_audit_export(town):
    response = town.client_for("admin").get(reverse("audit:list"), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_audit_page_speaks_chinese(town):
    """A meeting's row shows its kinds and attendance by Chinese names, lists joined with "、";
    a vanguard activity's kind shows its label; the type filter offers Chinese type names."""
    import datetime as dt

    from hongniudai.orglife import selectors as orglife_selectors
    from hongniudai.orglife import services as orglife_services
    from hongniudai.orglife.models import MeetingKind
    from hongniudai.vanguard import services as vanguard_services
    from hongniudai.vanguard.models import ActivityKind

    xq = town.xuqiao
    secretary = town.users["xuqiao"]
    day = dt.date(2025, 3, 10)
    orglife_services.record_meeting(
        actor=secretary,
        org=xq.group,
        held_on=day,
        topic="学习会议精神",
        kinds=[MeetingKind.GROUP_MEETING],
        attendance=[
            orglife_services.AttendanceEntry(member=m, present=True)
            for m in orglife_selectors.meeting_roster(xq.group, [MeetingKind.GROUP_MEETING], day)
        ],
    )
    vanguard_services.create_activity(
        actor=secretary,
        kind=ActivityKind.NIGHT_CLASS,
        title="党员夜校第一课",
        held_on=day,
        org=xq.branch,
        participants=[xq.member],
    )
    html = town.client_for("admin").get(reverse("audit:list")).content.decode()
    assert "<strong>会议类型</strong>" in html
    assert "<strong>出席人数</strong>" in html
    assert "<strong>活动类型</strong>" in html
    assert "→ 党小组会" in html
    assert "→ 党员夜校" in html
    for code in ("<strong>kinds</strong>", "<strong>present</strong>", "night_class", "['"):
        assert code not in html
    assert '<option value="vanguard.activity">党建活动</option>' in html
    assert '<option value="orglife.meeting">会议</option>' in html
    assert ">accounts.roleassignment<" not in html
