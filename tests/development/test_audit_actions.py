"""A development change is audited under its own name, and the audit page says it."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from hongniudai.audit.models import AuditEvent
from hongniudai.development import events

from .conftest import open_case, step


def test_opening_a_case_and_recording_a_step_are_audited_by_name(town, applicant, admin_client):
    case = open_case(town, applicant)
    step(town, case, "talk", dt.date(2024, 1, 20))
    actions = list(
        AuditEvent.objects.filter(target_type="development.developmentcase", target_id=str(case.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [events.DEVELOPMENT_CASE_OPENED, events.DEVELOPMENT_STEP_RECORDED]
    page = admin_client.get(reverse("audit:history", args=["development.developmentcase", case.pk])).content.decode()
    assert "建立发展党员档案" in page and "登记发展环节" in page
