"""Every change in source governance writes its named audit action, shown by its label."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from hongniudai.audit.models import AuditEvent
from hongniudai.governance import events, services
from hongniudai.governance.models import Channel, Level, Outcome


def _actions(target_type: str) -> list[str]:
    return list(AuditEvent.objects.filter(target_type=target_type).order_by("id").values_list("action", flat=True))


def test_a_matters_way_up_the_ladder_is_audited_by_name_and_shown_by_label(gov: Any) -> None:
    zsf, admin = gov.users["zhangshengfu"], gov.users["admin"]
    matter = services.report_matter(
        actor=zsf,
        category=gov.forest,
        title="张家冲山林界址纠纷",
        description="李某忠与赵某发因山林界址多次扯皮",
        channel=Channel.CENTRE_HOUSEHOLD,
        place=gov.hemeifan.hamlet,
    )
    services.accept(actor=zsf, matter=matter)
    services.invite(actor=zsf, matter=matter, user=gov.users["hmf_lawyer"])
    services.escalate(actor=zsf, matter=matter, reason="双方各执一词")
    matter.refresh_from_db()
    services.resolve(actor=admin, matter=matter, outcome=Outcome.RECONCILED, resolution="双方和好")
    services.reopen(actor=admin, matter=matter, reason="回访发现又起争执")
    assert _actions("governance.matter") == [
        events.MATTER_REPORTED,
        events.MATTER_ACCEPTED,
        events.MATTER_INVITED,
        events.MATTER_ESCALATED,
        events.MATTER_RESOLVED,
        events.MATTER_REOPENED,
    ]
    page = gov.client_for("admin").get(reverse("audit:history", args=["governance.matter", matter.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    for label in ("上报事项", "受理事项", "邀请参与调处", "上交事项", "办结事项", "重新办理事项"):
        assert label in body


def test_settings_changes_are_audited_by_name(gov: Any) -> None:
    admin = gov.users["admin"]
    services.set_calendar_day(actor=admin, date=dt.date(2026, 10, 10), is_working=True, note="调休上班")
    services.clear_calendar_day(actor=admin, date=dt.date(2026, 10, 10))
    services.set_deadline_rule(actor=admin, category=gov.forest, level=Level.HAMLET, accept_days=2, settle_days=7)
    category = services.save_category(actor=admin, code="road", name="道路破损", kind=gov.hazard.kind)
    services.save_category(actor=admin, category=category, code="road", name="道路损坏", kind=gov.hazard.kind)
    question = services.save_category_attribute(
        actor=admin, category=category, code="size", description="破损面积", datatype="number"
    )
    services.delete_category_attribute(actor=admin, attribute=question)
    key, record = services.issue_open311_key(actor=admin, name="随手拍", area=gov.town)
    services.revoke_open311_key(actor=admin, key=record)
    assert _actions("governance.calendarday") == [events.CALENDAR_DAY_SET, events.CALENDAR_DAY_CLEARED]
    assert _actions("governance.deadlinerule") == [events.DEADLINE_RULE_SAVED]
    assert _actions("governance.category") == [events.CATEGORY_CREATED, events.CATEGORY_UPDATED]
    assert _actions("governance.categoryattribute") == [
        events.CATEGORY_ATTRIBUTE_SAVED,
        events.CATEGORY_ATTRIBUTE_DELETED,
    ]
    assert _actions("governance.open311key") == [events.OPEN311_KEY_ISSUED, events.OPEN311_KEY_REVOKED]
    generic = AuditEvent.objects.filter(
        target_type__startswith="governance.", action__in=["create", "update", "delete"]
    )
    assert not generic.exists()
