"""The camera net's REST API: cameras without their stream address, the audited reveal, coverage,
alerts, the pending queue (confirm, dismiss) and the town's alert kinds, each within scope."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from hongniudai.accounts.services_tokens import issue_token
from hongniudai.audit.models import AuditEvent
from hongniudai.governance.interface import Category
from hongniudai.governance.models import Matter
from hongniudai.watch.cameras.models import Camera, PendingAlert, PendingStatus

from .conftest import alert

pytestmark = pytest.mark.django_db
STREAM = "rtsp://10.0.0.8/live/1"


def api(town: Any, username: str) -> APIClient:
    token, _record = issue_token(actor=town.users[username])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_the_camera_list_and_detail_never_carry_the_stream_address(net: Any, town: Any) -> None:
    client = api(town, "admin")
    r = client.get("/api/v1/cameras/")
    assert r.status_code == 200 and r.json()["count"] == 2
    assert "10.0.0.8" not in r.content.decode() and "stream_url" not in r.json()["results"][0]
    detail = client.get(f"/api/v1/cameras/{net.xq.pk}/")
    assert detail.status_code == 200 and "10.0.0.8" not in detail.content.decode()


def test_a_watch_holder_reveals_the_stream_address_and_it_is_audited(net: Any, town: Any) -> None:
    r = api(town, "gridworker").post(f"/api/v1/cameras/{net.xq.pk}/reveal-stream/")
    assert r.status_code == 200 and r.json() == {"stream_url": STREAM}
    event = AuditEvent.objects.get(action="watch_camera_stream_revealed")
    assert event.actor_name == "gridworker" and "10.0.0.8" not in str(event.changes)
    assert api(town, "gridworker").post(f"/api/v1/cameras/{net.fsh.pk}/reveal-stream/").status_code == 404


def test_the_audit_of_a_camera_never_holds_its_stream_address(net: Any) -> None:
    assert not [e for e in AuditEvent.objects.all() if "10.0.0." in str(e.changes)]


def test_a_village_sees_and_registers_only_its_own_cameras(net: Any, town: Any) -> None:
    client = api(town, "xuqiao")
    assert [c["code"] for c in client.get("/api/v1/cameras/").json()["results"]] == ["SH-XQ-001"]
    assert client.get(f"/api/v1/cameras/{net.fsh.pk}/").status_code == 404
    body = {"grid": town.xuqiao.hamlet.pk, "code": "SH-XQ-002", "name": "黄家湾", "lat": "30.1", "lng": "114.2"}
    r = client.post("/api/v1/cameras/", {**body, "stream_url": "rtsp://10.1.1.1/a"}, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["grid"] == town.xuqiao.grid.pk and "stream_url" not in r.json()
    assert Camera.objects.get(code="SH-XQ-002").stream_url == "rtsp://10.1.1.1/a"
    other = client.post("/api/v1/cameras/", {**body, "code": "X-3", "grid": town.fashuihe.grid.pk}, format="json")
    assert other.status_code == 400
    out = client.post("/api/v1/cameras/", {**body, "lat": "95"}, format="json")
    assert out.status_code == 400 and "lat" in out.json()
    dup = client.post("/api/v1/cameras/", body, format="json")
    assert dup.status_code == 400 and "code" in dup.json()


def test_coverage_counts_cameras_working_cameras_and_grids_with_none(net: Any, town: Any) -> None:
    client = api(town, "admin")
    client.patch(f"/api/v1/cameras/{net.fsh.pk}/", {"status": "faulty"}, format="json")
    rows = {r["grid_name"]: r for r in client.get("/api/v1/camera-coverage/").json()["results"]}
    assert rows["5组"]["camera_count"] == 1 and rows["5组"]["working_count"] == 1
    assert rows["1组"]["camera_count"] == 1 and rows["1组"]["working_count"] == 0
    assert rows["6组"]["camera_count"] == 0
    without = client.get("/api/v1/camera-coverage/?without=true").json()["results"]
    assert [r["grid_name"] for r in without] == ["6组"]
    totals = client.get("/api/v1/camera-coverage-summary/").json()
    assert totals == {"grids": 3, "cameras": 2, "working": 1, "grids_without": 1}


def test_alerts_and_the_pending_queue_through_the_api(net: Any, town: Any) -> None:
    net.api.post("/api/v1/cameras/alerts/", alert(), format="json")
    net.api.post("/api/v1/cameras/alerts/", alert(alert_id="A-2", kind="crowd"), format="json")
    net.api.post("/api/v1/cameras/alerts/", alert(alert_id="A-3", kind="crowd"), format="json")
    client = api(town, "gridworker")
    alerts = client.get("/api/v1/camera-alerts/").json()
    assert alerts["count"] == 3 and "10.0.0.8" not in str(alerts)
    assert api(town, "fashuihe").get("/api/v1/camera-alerts/").json()["count"] == 0
    pending = PendingAlert.objects.get()
    assert client.get("/api/v1/camera-pending-alerts/?status=waiting").json()["count"] == 1
    assert api(town, "fashuihe").post(f"/api/v1/camera-pending-alerts/{pending.pk}/confirm/").status_code == 404
    r = client.post(f"/api/v1/camera-pending-alerts/{pending.pk}/confirm/")
    assert r.status_code == 200 and r.json()["status"] == PendingStatus.CONFIRMED
    assert Matter.objects.filter(pk=r.json()["matter"]).exists()
    again = client.post(f"/api/v1/camera-pending-alerts/{pending.pk}/confirm/")
    assert again.status_code == 400


def test_dismissing_needs_a_reason(net: Any, town: Any) -> None:
    net.api.post("/api/v1/cameras/alerts/", alert(kind="crowd"), format="json")
    pending = PendingAlert.objects.get()
    client = api(town, "gridworker")
    assert client.post(f"/api/v1/camera-pending-alerts/{pending.pk}/dismiss/", {}, format="json").status_code == 400
    r = client.post(f"/api/v1/camera-pending-alerts/{pending.pk}/dismiss/", {"reason": "误报"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "dismissed" and r.json()["dismiss_reason"] == "误报"


def test_only_the_town_administrator_keeps_the_alert_kinds(net: Any, town: Any) -> None:
    body = {
        "town": town.town.pk,
        "code": "flood",
        "label": "积水",
        "category": Category.objects.get(code="flood-patrol").pk,
        "confirm_first": True,
    }
    assert api(town, "xuqiao").post("/api/v1/camera-alert-kinds/", body, format="json").status_code == 403
    r = api(town, "admin").post("/api/v1/camera-alert-kinds/", body, format="json")
    assert r.status_code == 201, r.content
    assert api(town, "admin").post("/api/v1/camera-alert-kinds/", body, format="json").status_code == 400
    missing = {**body, "code": "fire2", "category": Category.objects.get(code="straw-burning").pk}
    refused = api(town, "admin").post("/api/v1/camera-alert-kinds/", missing, format="json")
    assert refused.status_code == 400 and "attributes" in refused.json()
