"""Out-of-scope targets for the camera net's URLs, merged into tests/test_url_scoping.py: a camera of
发水河村 1组 with an alert waiting for confirmation (and its snapshot), the town's alert kind and
its platform key (xuqiao must get 404 for each, admin must reach them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32 + b"\xff\xd9"


def fashuihe_camera_records(town: Any) -> dict[str, Any]:
    records = getattr(town, "_camera_records", None)
    if records is None:
        from hongniudai.governance.interface import Category
        from hongniudai.watch.cameras import alerts, services
        from tests import factories as f

        camera = f.camera(town.fashuihe.grid, "FSH-SCOPE-1", "发水河村1组渡口", stream_url="rtsp://10.9.9.9/x")
        key = services.register_platform_key(None, town.town, "范围测试平台", "url-scope-camera-key-2026")
        rule = services.save_alert_kind(
            actor=None,
            town=town.town,
            code="scope-crowd",
            label="人员聚集",
            category=Category.objects.get(code="public-security"),
            confirm_first=True,
        )
        outcome = alerts.receive_alert(
            key=key,
            alert_id="SCOPE-1",
            camera_code=camera.code,
            kind=rule.code,
            occurred_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5),
            snapshot=JPEG,
        )
        records = {"camera": camera, "key": key, "rule": rule, "alert": outcome.alert, "pending": outcome.alert.pending}
        town._camera_records = records
    return records


def _pk(what: str) -> Callable[[Any], dict[str, Any]]:
    return lambda t: {"pk": fashuihe_camera_records(t)[what].pk}


OUT_OF_SCOPE: dict[str, Callable[[Any], dict[str, Any]]] = {
    "cameras:camera_detail": _pk("camera"),
    "cameras:camera_edit": _pk("camera"),
    "cameras:camera_reveal": _pk("camera"),
    "cameras:pending_detail": _pk("pending"),
    "cameras:pending_snapshot": _pk("pending"),
    "cameras:pending_confirm": _pk("pending"),
    "cameras:pending_dismiss": _pk("pending"),
    "cameras:kind_edit": _pk("rule"),
    "cameras:key_revoke": _pk("key"),
    "api:camera-detail": _pk("camera"),
    "api:camera-reveal-stream": _pk("camera"),
    "api:camera-alert-detail": _pk("alert"),
    "api:camera-pending-alert-detail": _pk("pending"),
    "api:camera-pending-alert-confirm": _pk("pending"),
    "api:camera-pending-alert-dismiss": _pk("pending"),
    "api:camera-alert-kind-detail": _pk("rule"),
}
NOT_RECORDS: dict[str, dict[str, Any]] = {}
