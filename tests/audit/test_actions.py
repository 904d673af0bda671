"""Named audit actions: declared once per package, shown by label, stored by code."""

import pytest

from hongniudai.audit import actions
from hongniudai.audit.models import AuditEvent
from hongniudai.audit.services import record
from hongniudai.places import events as place_events


def test_every_package_events_module_is_discovered_at_start_up():
    assert ("resident_moved", "居民迁移") in actions.choices()


def test_a_code_declared_twice_with_another_label_is_refused():
    with pytest.raises(ValueError):
        actions.declare("resident_moved", "别的名字")


@pytest.mark.parametrize("code", ["", "Upper", "has space", "x" * 41, "dash-ed"])
def test_codes_are_short_lower_snake_case(code):
    with pytest.raises(ValueError):
        actions.declare(code, "标签")


@pytest.mark.django_db
def test_an_event_stores_the_code_and_shows_the_label():
    event = record(actor=None, action=place_events.RESIDENT_MOVED, target_type="places.resident")
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.action == "resident_moved"
    assert event.action_label == "居民迁移"


@pytest.mark.django_db
def test_rows_written_before_actions_were_named_still_show_a_label():
    event = AuditEvent.objects.create(action="update", target_type="places.resident")
    assert event.action_label == "修改"
