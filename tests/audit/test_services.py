"""The audit snapshot: every value a model field can hold is stored as plain JSON, so no write fails on it."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import ipaddress
import json
import uuid
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import models
from django.utils.translation import gettext_lazy

from hongniudai.audit import actions as AuditAction
from hongniudai.audit import services as audit
from hongniudai.audit.models import AuditEvent
from hongniudai.governance.models import Attachment

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Colour(models.TextChoices):
    RED = "red", "红"


class Level(models.IntegerChoices):
    HIGH = 3, "高"


class Plain(enum.Enum):
    ONE = "one"


def _roundtrips(value):
    """What `plain` gives is exactly what the JSON column gives back."""
    out = audit.plain(value)
    assert json.loads(json.dumps(out, allow_nan=False)) == out
    return out


def test_times_dates_and_instants_are_iso_8601_and_instants_in_utc():
    assert _roundtrips(dt.time(19, 30)) == "19:30:00"
    assert _roundtrips(dt.date(2025, 4, 8)) == "2025-04-08"
    local = dt.datetime(2025, 4, 8, 19, 30, tzinfo=SHANGHAI)
    assert _roundtrips(local) == "2025-04-08T11:30:00+00:00"
    assert _roundtrips(local.astimezone(dt.UTC)) == "2025-04-08T11:30:00+00:00"
    assert _roundtrips(dt.timedelta(days=1, hours=2)) == "P1DT02H00M00S"


def test_numbers_ids_and_choices_are_their_stored_value():
    assert _roundtrips(decimal.Decimal("12.50")) == "12.50"
    assert _roundtrips(uuid.UUID("12345678-1234-5678-1234-567812345678")) == "12345678-1234-5678-1234-567812345678"
    assert _roundtrips(ipaddress.ip_address("10.0.0.1")) == "10.0.0.1"
    assert _roundtrips(Colour.RED) == "red" and type(audit.plain(Colour.RED)) is str
    assert _roundtrips(Level.HIGH) == 3 and type(audit.plain(Level.HIGH)) is int
    assert _roundtrips(Plain.ONE) == "one"
    assert _roundtrips(gettext_lazy("新增")) == "新增"
    assert _roundtrips(float("nan")) == "nan"
    assert (_roundtrips(None), _roundtrips(True), _roundtrips(7), _roundtrips(1.5)) == (None, True, 7, 1.5)


def test_containers_are_made_plain_all_the_way_down():
    value = {"at": dt.date(2025, 1, 2), "points": [(1, decimal.Decimal("2.5"))], 3: {"t": dt.time(8, 0)}}
    assert _roundtrips(value) == {"at": "2025-01-02", "points": [[1, "2.5"]], "3": {"t": "08:00:00"}}
    assert _roundtrips({dt.date(2025, 1, 3), dt.date(2025, 1, 1)}) == ["2025-01-01", "2025-01-03"]
    assert _roundtrips(frozenset({"b", "a"})) == ["a", "b"]


def test_raw_bytes_are_never_stored_only_their_length():
    assert _roundtrips(b"\x00\xff secret") == "<9 bytes>"
    assert _roundtrips(memoryview(b"abc")) == "<3 bytes>"


def test_files_are_their_stored_name_or_empty(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    attachment = Attachment()
    assert _roundtrips(attachment.file) == ""
    attachment.file.save("photo.jpg", ContentFile(b"jpeg"), save=False)
    name = _roundtrips(attachment.file)
    assert name.endswith(".jpg") and name == attachment.file.name


def test_a_record_takes_any_changes_and_stores_them_plain(town):
    event = audit.record(
        actor=town.users["admin"],
        action=AuditAction.LEGACY_UPDATE,
        changes={"start_time": [None, dt.time(19, 30)], "amount": [decimal.Decimal("1.00"), None]},
    )
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.changes == {"start_time": [None, "19:30:00"], "amount": ["1.00", None]}
