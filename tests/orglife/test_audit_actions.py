"""A change of organisational life is audited under its own name, and the audit page says it."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from hongniudai.audit.models import AuditEvent
from hongniudai.orglife import events

from .conftest import hold


def test_a_recorded_meeting_is_audited_as_such_and_the_audit_page_names_it(ol, admin_client):
    branch = ol.town.xuqiao.branch
    meeting = hold(branch, dt.date(2025, 3, 5), "theme_day", actor=ol.town.users["xuqiao"])
    event = AuditEvent.objects.get(target_type="orglife.meeting", target_id=str(meeting.pk))
    assert event.action == events.MEETING_RECORDED
    page = admin_client.get(reverse("audit:history", args=["orglife.meeting", meeting.pk]))
    assert "登记会议" in page.content.decode()
