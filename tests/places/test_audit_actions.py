"""Each change to places is audited under its own named action, and the history page shows its label."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hongniudai.audit import actions as audit_actions
from hongniudai.audit.models import AuditEvent
from hongniudai.places import events

pytestmark = pytest.mark.django_db


def _history(client, obj) -> str:
    url = reverse("audit:history", args=[obj._meta.label_lower, str(obj.pk)])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_household_edit_is_recorded_as_household_updated_and_shown_so(town, admin):
    hh = town.xuqiao.household
    response = admin.post(
        reverse("places:household_edit", args=[hh.pk]),
        {"hamlet": hh.hamlet_id, "address": "徐桥村新址8号", "head": town.xuqiao.head.pk},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=events.HOUSEHOLD_UPDATED, target_id=str(hh.pk))
    assert event.changes["address"] == ["徐桥村黄家湾1号", "徐桥村新址8号"]
    assert "修改住户" in _history(admin, hh)


def test_a_resident_change_is_recorded_as_resident_updated(town, admin):
    resident = town.xuqiao.head
    response = admin.post(
        reverse("places:resident_edit", args=[resident.pk]),
        {
            "household": resident.household_id,
            "name": "黄文华",
            "sex": resident.sex,
            "relation": "head",
            "is_veteran": "on",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=events.RESIDENT_UPDATED, target_id=str(resident.pk))
    assert event.changes == {"is_veteran": [False, True]}
    assert "修改居民" in _history(admin, resident)


def test_places_write_no_generic_actions_any_more(town):
    generic = {audit_actions.LEGACY_CREATE, audit_actions.LEGACY_UPDATE, audit_actions.LEGACY_DELETE}
    assert not AuditEvent.objects.filter(action__in=generic, target_type__startswith="places.").exists()
    assert AuditEvent.objects.filter(action=events.AREA_CREATED).exists()
    assert AuditEvent.objects.filter(action=events.RESIDENT_CREATED).exists()
