"""Issuing and revoking Open311 api_keys: only a town administrator, only a digest kept, audited."""

import hashlib
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from hongniudai.audit.models import AuditEvent
from hongniudai.governance import events, services
from hongniudai.governance.models import Open311Key
from hongniudai.governance.open311 import selectors as open311


def test_town_admin_issues_a_key_of_which_only_a_digest_is_kept(gov):
    key, record = services.issue_open311_key(actor=gov.users["admin"], name="随手拍", area=gov.xuqiao.area)
    assert len(key) >= 32
    record.refresh_from_db()
    assert record.digest == hashlib.sha256(key.encode()).hexdigest()
    assert record.prefix == key[:8] and len(record.prefix) == 8
    stored = [str(v) for v in Open311Key.objects.values_list("name", "digest", "prefix").get(pk=record.pk)]
    assert key not in stored
    assert record.issued_by == gov.users["admin"] and record.area == gov.xuqiao.area and record.is_active
    event = AuditEvent.objects.filter(target_type="governance.open311key", target_id=str(record.pk)).get()
    assert event.actor == gov.users["admin"]
    assert key not in str(event.changes) and event.area_path == gov.xuqiao.area.path
    assert open311.key_for(key) == record
    assert open311.key_for(key[:-1] + ("0" if key[-1] != "0" else "1")) is None


@pytest.mark.parametrize("username", ["xuqiao", "gridworker", "zhangshengfu", "hmf_lawyer"])
def test_only_a_town_administrator_may_issue(gov, username):
    with pytest.raises(PermissionDenied):
        services.issue_open311_key(actor=gov.users[username], name="随手拍", area=gov.xuqiao.area)
    assert not Open311Key.objects.exists()


def test_a_key_needs_a_name_and_a_town_or_village(gov):
    with pytest.raises(ValidationError) as exc:
        services.issue_open311_key(actor=gov.users["admin"], name="  ", area=gov.xuqiao.hamlet)
    assert set(exc.value.message_dict) == {"name", "area"}
    assert not Open311Key.objects.exists()


def test_a_revoked_key_no_longer_works(gov):
    key, record = services.issue_open311_key(actor=gov.users["admin"], name="随手拍", area=gov.town)
    with pytest.raises(PermissionDenied):
        services.revoke_open311_key(actor=gov.users["xuqiao"], key=record)
    assert open311.key_for(key) == record
    services.revoke_open311_key(actor=gov.users["admin"], key=record)
    assert open311.key_for(key) is None
    assert (
        AuditEvent.objects.filter(target_type="governance.open311key", action=events.OPEN311_KEY_REVOKED).count() == 1
    )
    with pytest.raises(ValidationError):
        services.revoke_open311_key(actor=gov.users["admin"], key=record)


def test_management_command_issues_a_working_key(gov):
    out = StringIO()
    call_command("issue_open311_key", "--name", "网格通", "--area-id", str(gov.town.pk), stdout=out)
    key = out.getvalue().strip().splitlines()[1]
    record = open311.key_for(key)
    assert record is not None and record.name == "网格通" and record.area == gov.town


def test_management_command_refuses_a_user_who_is_not_a_town_administrator(gov):
    with pytest.raises(CommandError):
        call_command("issue_open311_key", "--name", "x", "--area-id", str(gov.town.pk), "--by", "xuqiao")
    with pytest.raises(CommandError):
        call_command("issue_open311_key", "--name", "x", "--area-id", "999999")
    assert not Open311Key.objects.exists()
