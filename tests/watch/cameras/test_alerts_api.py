"""The camera alert contract of issue 18, clause by clause, through POST /api/v1/cameras/alerts/."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from hongniudai.accounts.services_tokens import issue_token
from hongniudai.governance.models import Attachment, Channel, Matter, MatterEvent
from hongniudai.watch.cameras import alerts, services
from hongniudai.watch.cameras.models import CameraAlert, PendingAlert, PendingStatus

from .conftest import JPEG, KEY, alert, b64

URL = "/api/v1/cameras/alerts/"
NOW = dt.datetime(2026, 5, 1, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen() -> Any:
    with time_machine.travel(NOW, tick=True):
        yield


def counts() -> tuple[int, int, int, int]:
    return Matter.objects.count(), Attachment.objects.count(), CameraAlert.objects.count(), PendingAlert.objects.count()


def test_an_alert_raises_a_matter_in_the_cameras_grid_with_the_snapshot(net: Any, town: Any) -> None:
    r = net.api.post(URL, alert(), format="json")
    assert r.status_code == 201, r.content
    matter = Matter.objects.get(pk=r.json()["matter_id"])
    assert r.json() == {"matter_id": matter.pk, "pending_id": None, "merged": False}
    assert matter.channel == Channel.CAMERA
    assert matter.place == town.xuqiao.grid
    assert matter.category.code == "straw-burning"
    assert "徐桥村5组路口" in matter.description and "烟火识别" in matter.description
    attachment = Attachment.objects.get(matter=matter)
    assert attachment.content_type == "image/jpeg" and attachment.size == len(JPEG)
    assert CameraAlert.objects.get().matter == matter


def test_the_same_alert_id_again_answers_200_with_the_same_matter_and_creates_nothing(net: Any) -> None:
    first = net.api.post(URL, alert(), format="json")
    before = counts()
    again = net.api.post(URL, alert(), format="json")
    assert again.status_code == 200
    assert again.json()["matter_id"] == first.json()["matter_id"]
    assert counts() == before


def test_a_repeat_within_the_window_joins_the_open_matter(net: Any) -> None:
    first = net.api.post(URL, alert(), format="json")
    events = MatterEvent.objects.filter(matter_id=first.json()["matter_id"]).count()
    r = net.api.post(URL, alert(alert_id="A-2", occurred_at="2026-05-01T21:55:00+08:00"), format="json")
    assert r.status_code == 200
    assert r.json() == {"matter_id": first.json()["matter_id"], "pending_id": None, "merged": True}
    assert Matter.objects.count() == 1
    assert Attachment.objects.count() == 2  # the second snapshot joins the matter
    assert MatterEvent.objects.filter(matter_id=first.json()["matter_id"]).count() > events
    assert CameraAlert.objects.get(alert_id="A-2").merged


def test_a_repeat_outside_the_window_raises_a_new_matter(net: Any) -> None:
    first = net.api.post(URL, alert(), format="json")
    r = net.api.post(URL, alert(alert_id="A-2", occurred_at="2026-05-01T22:01:00+08:00"), format="json")
    assert r.status_code == 201
    assert r.json()["matter_id"] != first.json()["matter_id"]
    assert Matter.objects.count() == 2


def test_the_window_is_a_setting(net: Any, settings: Any) -> None:
    settings.WATCH_ALERT_MERGE_MINUTES = 5
    net.api.post(URL, alert(), format="json")
    r = net.api.post(URL, alert(alert_id="A-2", occurred_at="2026-05-01T21:40:00+08:00"), format="json")
    assert r.status_code == 201 and Matter.objects.count() == 2


def test_a_repeat_after_the_matter_was_resolved_raises_a_new_matter(net: Any) -> None:
    first = net.api.post(URL, alert(), format="json")
    Matter.objects.filter(pk=first.json()["matter_id"]).update(status="resolved")
    r = net.api.post(URL, alert(alert_id="A-2", occurred_at="2026-05-01T21:40:00+08:00"), format="json")
    assert r.status_code == 201 and Matter.objects.count() == 2


def test_another_kind_or_camera_within_the_window_is_not_merged(net: Any) -> None:
    net.api.post(URL, alert(), format="json")
    other = net.api.post(URL, alert(alert_id="A-2", camera_code="SH-FSH-001"), format="json")
    assert other.status_code == 201 and Matter.objects.count() == 2


def test_a_confirm_first_kind_waits_and_its_deadline_starts_on_confirmation(net: Any, town: Any) -> None:
    r = net.api.post(URL, alert(kind="crowd"), format="json")
    assert r.status_code == 201
    pending = PendingAlert.objects.get()
    assert r.json() == {"matter_id": None, "pending_id": pending.pk, "merged": False}
    assert Matter.objects.count() == 0
    repeat = net.api.post(
        URL, alert(alert_id="A-2", kind="crowd", occurred_at="2026-05-01T21:40:00+08:00"), format="json"
    )
    assert repeat.status_code == 200 and repeat.json()["pending_id"] == pending.pk and repeat.json()["merged"]
    assert PendingAlert.objects.count() == 1
    later = timezone.now() + dt.timedelta(hours=3)
    with time_machine.travel(later, tick=False):
        matter = alerts.confirm_pending(actor=town.users["gridworker"], pending=pending)
    assert matter.reported_at == later and matter.channel == Channel.CAMERA and matter.place == town.xuqiao.grid
    assert matter.accept_due_at is not None and matter.accept_due_at > later  # counted from the confirmation
    assert Attachment.objects.filter(matter=matter).count() == 1
    pending.refresh_from_db()
    assert pending.status == PendingStatus.CONFIRMED and pending.matter == matter
    again = net.api.post(URL, alert(kind="crowd"), format="json")
    assert again.status_code == 200 and again.json()["matter_id"] == matter.pk


def test_a_pending_alert_can_be_dismissed_with_a_reason(net: Any, town: Any) -> None:
    net.api.post(URL, alert(kind="crowd"), format="json")
    pending = PendingAlert.objects.get()
    with pytest.raises(Exception, match="理由"):
        alerts.dismiss_pending(actor=town.users["gridworker"], pending=pending, reason=" ")
    alerts.dismiss_pending(actor=town.users["gridworker"], pending=pending, reason="村民烧纸,已核实")
    pending.refresh_from_db()
    assert pending.status == PendingStatus.DISMISSED and Matter.objects.count() == 0


# ---- refusals: a 4xx with a Chinese message, and nothing created -------------------------------------


def _refused(client: APIClient, body: Any, status: int, *, raw: bool = False) -> dict[str, Any]:
    before = counts()
    if raw:
        r = client.generic("POST", URL, body, content_type="application/json")
    else:
        r = client.post(URL, body, format="json")
    assert r.status_code == status, r.content
    assert counts() == before
    return r.json()


def test_a_wrong_key_is_refused(net: Any) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Api-Key not-the-key-0000000000")
    assert "密钥" in str(_refused(client, alert(), 401))


def test_a_revoked_key_is_refused(net: Any, town: Any) -> None:
    services.revoke_platform_key(actor=town.users["admin"], key=net.key)
    assert "密钥" in str(_refused(net.api, alert(), 401))


def test_no_key_or_a_users_token_or_session_is_not_a_platform(net: Any, town: Any, admin_client: Any) -> None:
    _refused(APIClient(), alert(), 401)
    token, _record = issue_token(actor=town.users["admin"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    _refused(client, alert(), 401)
    before = counts()
    r = admin_client.post(URL, alert(), content_type="application/json")
    assert r.status_code == 401 and counts() == before


def test_an_unknown_camera_is_refused(net: Any) -> None:
    assert "SH-NONE" in _refused(net.api, alert(camera_code="SH-NONE"), 404)["detail"]


def test_a_removed_camera_is_refused(net: Any, town: Any) -> None:
    services.update_camera(actor=town.users["admin"], camera=net.xq, status="removed")
    _refused(net.api, alert(), 403)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "ufo"}, "kind"),
        ({"occurred_at": "2026-05-01T21:30:00"}, "occurred_at"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"occurred_at": "2026-05-02T09:00:00+08:00"}, "occurred_at"),  # in the future
        ({"alert_id": None}, "alert_id"),
        ({"camera_code": None}, "camera_code"),
        ({"note": "长" * 501}, "note"),
        ({"snapshot": b64(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)}, "snapshot"),
        ({"snapshot": b64(b"\xff\xd8\xff\xe0" + b"\x00" * 32)}, "snapshot"),  # no end marker
        ({"snapshot": "not base64 at all!"}, "snapshot"),
    ],
)
def test_a_bad_body_is_refused(net: Any, body: dict[str, Any], field: str) -> None:
    errors = _refused(net.api, alert(**body), 400)
    assert field in errors
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(errors[field]))


def test_an_oversized_snapshot_is_refused(net: Any, settings: Any) -> None:
    settings.WATCH_ALERT_SNAPSHOT_MAX_BYTES = 1024
    big = b"\xff\xd8\xff\xe0" + b"\x00" * 2048 + b"\xff\xd9"
    assert "snapshot" in _refused(net.api, alert(snapshot=b64(big)), 400)


def test_malformed_json_is_refused(net: Any) -> None:
    assert "JSON" in str(_refused(net.api, "{not json", 400, raw=True))
    _refused(net.api, "[1, 2]", 400, raw=True)


def test_a_camera_of_another_towns_key_is_unknown(net: Any, town: Any) -> None:
    from tests import factories as f

    other = f.area(town.county, "汀祖镇", "town")
    services.register_platform_key(None, other, "汀祖镇平台", "another-town-key-2026")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Api-Key another-town-key-2026")
    _refused(client, alert(), 404)


def test_alerts_are_rate_limited_per_key(net: Any, settings: Any) -> None:
    settings.WATCH_ALERT_RATE = "2/min"
    assert net.api.post(URL, alert(), format="json").status_code == 201
    assert net.api.post(URL, alert(alert_id="A-2", camera_code="SH-FSH-001"), format="json").status_code == 201
    assert net.api.post(URL, alert(alert_id="A-3"), format="json").status_code == 429


def test_without_a_snapshot_the_matter_has_no_attachment(net: Any) -> None:
    r = net.api.post(URL, alert(snapshot=None), format="json")
    assert r.status_code == 201 and Attachment.objects.count() == 0


def test_the_key_is_kept_only_as_a_digest(net: Any) -> None:
    assert KEY not in str(net.key.__dict__)
