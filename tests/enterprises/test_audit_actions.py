"""An enterprise change is audited under its own name, and the audit page says it."""

from __future__ import annotations

from django.urls import reverse

from hongniudai.audit.models import AuditEvent
from hongniudai.enterprises import events, services_instructors

from .conftest import make_enterprise


def test_registering_an_enterprise_is_audited_by_name(town, admin_client):
    enterprise = make_enterprise("徐桥米业有限公司", town.park)
    event = AuditEvent.objects.get(target_type="enterprises.enterprise", target_id=str(enterprise.pk))
    assert event.action == events.ENTERPRISE_CREATED
    page = admin_client.get(reverse("audit:history", args=["enterprises.enterprise", enterprise.pk]))
    assert "新增企业" in page.content.decode()


def test_assigning_an_instructor_is_audited_by_name(town, instructor, admin_client):
    enterprise = make_enterprise("宋河化工有限公司", town.park)
    assignment = services_instructors.assign_instructor(
        actor=town.users["admin"], instructor=instructor, enterprise=enterprise
    )
    event = AuditEvent.objects.get(target_type="enterprises.instructorassignment", target_id=str(assignment.pk))
    assert event.action == events.INSTRUCTOR_ASSIGNED
    assert "派驻党建指导员" in admin_client.get(reverse("audit:list")).content.decode()
