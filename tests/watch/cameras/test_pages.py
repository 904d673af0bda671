"""The camera pages in Chinese: lists with filters and exports that never hold the stream address,
the camera's page with its masked address revealed only on request (audited), coverage, the pending
queue confirmed or dismissed on a phone, and the town administrator's kinds and keys."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.urls import reverse

from hongniudai.audit.models import AuditEvent
from hongniudai.governance.models import Matter
from hongniudai.watch.cameras.models import Camera, CameraPlatformKey, PendingAlert, PendingStatus

from .conftest import alert

pytestmark = pytest.mark.django_db
URL = "/api/v1/cameras/alerts/"


def _xlsx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))


@pytest.mark.parametrize(
    "name",
    [
        "cameras:camera_list",
        "cameras:coverage",
        "cameras:alert_list",
        "cameras:pending_list",
        "cameras:kind_list",
        "cameras:key_list",
        "cameras:camera_create",
        "cameras:kind_create",
    ],
)
def test_pages_load_in_chinese(net: Any, town: Any, name: str) -> None:
    r = town.client_for("admin").get(reverse(name))
    assert r.status_code == 200
    assert "视频监控" in r.content.decode() or "摄像机" in r.content.decode()


def test_the_list_and_its_export_never_hold_the_stream_address(net: Any, town: Any) -> None:
    client = town.client_for("admin")
    page = client.get(reverse("cameras:camera_list")).content.decode()
    assert "SH-XQ-001" in page and "10.0.0.8" not in page
    export = client.get(reverse("cameras:camera_list"), {"export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    text = _xlsx_text(b"".join(export.streaming_content))
    assert "SH-XQ-001" in text and "10.0.0" not in text and "rtsp" not in text


def test_the_list_filters_by_area_status_and_kind(net: Any, town: Any) -> None:
    client = town.client_for("admin")
    only_xq = client.get(reverse("cameras:camera_list"), {"area": town.xuqiao.area.pk}).content.decode()
    assert "SH-XQ-001" in only_xq and "SH-FSH-001" not in only_xq
    faulty = client.get(reverse("cameras:camera_list"), {"status": "faulty"}).content.decode()
    assert "SH-XQ-001" not in faulty
    domes = client.get(reverse("cameras:camera_list"), {"kind": "dome"}).content.decode()
    assert "SH-XQ-001" not in domes


def test_the_camera_page_masks_the_address_and_reveals_it_on_request(net: Any, town: Any) -> None:
    client = town.client_for("gridworker")
    page = client.get(reverse("cameras:camera_detail", args=[net.xq.pk])).content.decode()
    assert "rtsp://••••••••" in page and "10.0.0.8" not in page and "camera-map" in page
    revealed = client.post(reverse("cameras:camera_reveal", args=[net.xq.pk]))
    assert "rtsp://10.0.0.8/live/1" in revealed.content.decode() and revealed["Cache-Control"] == "no-store"
    assert AuditEvent.objects.filter(action="watch_camera_stream_revealed", actor_name="gridworker").count() == 1


def test_a_reader_without_watch_sees_no_address_at_all(net: Any, town: Any) -> None:
    page = town.client_for("zhangshengfu").get(reverse("cameras:camera_list"))
    assert page.status_code == 200
    xq = Camera.objects.get(code="SH-XQ-001")
    assert town.client_for("fashuihe").post(reverse("cameras:camera_reveal", args=[xq.pk])).status_code == 404


def test_registering_and_editing_a_camera_keeps_the_address_when_left_empty(net: Any, town: Any) -> None:
    client = town.client_for("xuqiao")
    data = {
        "grid": town.xuqiao.hamlet.pk,
        "code": "SH-XQ-009",
        "name": "黄家湾塘边",
        "lat": "30.4",
        "lng": "114.9",
        "kind": "dome",
        "owner": "village",
        "status": "working",
        "stream_url": "rtsp://10.2.2.2/s",
    }
    r = client.post(reverse("cameras:camera_create"), data)
    camera = Camera.objects.get(code="SH-XQ-009")
    assert r.status_code == 302 and camera.grid == town.xuqiao.grid
    client.post(reverse("cameras:camera_edit", args=[camera.pk]), {**data, "name": "塘边", "stream_url": ""})
    camera.refresh_from_db()
    assert camera.name == "塘边" and camera.stream_url == "rtsp://10.2.2.2/s"
    bad = client.post(reverse("cameras:camera_create"), {**data, "code": "SH-XQ-010", "lat": "123"})
    assert bad.status_code == 200 and "纬度" in bad.content.decode()
    assert town.client_for("fashuihe").get(reverse("cameras:camera_edit", args=[camera.pk])).status_code == 404


def test_coverage_page_counts_grids_without_cameras(net: Any, town: Any) -> None:
    page = town.client_for("admin").get(reverse("cameras:coverage")).content.decode()
    assert "无摄像机的村组" in page and "6组" in page
    only = town.client_for("admin").get(reverse("cameras:coverage"), {"without": "1"}).content.decode()
    assert "6组" in only and "5组" not in only


def test_the_pending_queue_is_confirmed_or_dismissed_on_the_page(net: Any, town: Any) -> None:
    net.api.post(URL, alert(kind="crowd"), format="json")
    net.api.post(URL, alert(alert_id="B-1", kind="crowd", camera_code="SH-FSH-001"), format="json")
    first, second = PendingAlert.objects.order_by("id")
    client = town.client_for("gridworker")
    queue = client.get(reverse("cameras:pending_list")).content.decode()
    assert "徐桥村5组路口" in queue and "发水河村1组桥头" not in queue
    detail = client.get(reverse("cameras:pending_detail", args=[first.pk])).content.decode()
    assert "确认属实" in detail and reverse("cameras:pending_snapshot", args=[first.pk]) in detail
    assert client.get(reverse("cameras:pending_snapshot", args=[first.pk])).status_code == 200
    assert client.post(reverse("cameras:pending_confirm", args=[first.pk])).status_code == 302
    first.refresh_from_db()
    assert first.status == PendingStatus.CONFIRMED and Matter.objects.count() == 1
    fsh = town.client_for("fashuihe")
    empty = fsh.post(reverse("cameras:pending_dismiss", args=[second.pk]), {"reason": ""})
    assert empty.status_code == 400
    fsh.post(reverse("cameras:pending_dismiss", args=[second.pk]), {"reason": "误报"})
    second.refresh_from_db()
    assert second.status == PendingStatus.DISMISSED and second.dismiss_reason == "误报"


def test_keys_are_issued_once_and_revoked_by_the_town_administrator(net: Any, town: Any) -> None:
    client = town.client_for("admin")
    r = client.post(reverse("cameras:key_list"), {"town": town.town.pk, "name": "第二平台"})
    record = CameraPlatformKey.objects.get(name="第二平台")
    assert r["Cache-Control"] == "no-store" and "新密钥已签发" in r.content.decode()
    assert record.digest not in r.content.decode()
    assert client.get(reverse("cameras:key_list")).content.decode().count("新密钥已签发") == 0
    client.post(reverse("cameras:key_revoke", args=[record.pk]))
    record.refresh_from_db()
    assert record.revoked_at is not None
    assert town.client_for("xuqiao").get(reverse("cameras:key_list")).status_code == 403
    assert town.client_for("xuqiao").post(reverse("cameras:key_revoke", args=[net.key.pk])).status_code == 404
