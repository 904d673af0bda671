"""The camera net of the test town: a platform key of 宋河镇, two alert kinds (a straw fire raises a
matter at once; a gathering waits for confirmation), and a camera in 徐桥村 5组 and one in 发水河村."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import pytest
from rest_framework.test import APIClient

from hongniudai.governance.interface import Category
from hongniudai.watch.cameras import services
from hongniudai.watch.cameras.models import AlertKindRule, Camera, CameraPlatformKey
from tests import factories as f

KEY = "demo-camera-songhe-2026"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 64 + b"\xff\xd9"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@dataclass
class Net:
    key: CameraPlatformKey
    fire: AlertKindRule
    crowd: AlertKindRule
    xq: Camera
    fsh: Camera
    api: APIClient


@pytest.fixture
def net(town: Any) -> Net:
    key = services.register_platform_key(None, town.town, "宋河镇视频平台", KEY)
    fire = services.save_alert_kind(
        actor=None,
        town=town.town,
        code="straw-fire",
        label="秸秆焚烧",
        category=Category.objects.get(code="straw-burning"),
        attributes={"burning_now": "yes"},
    )
    crowd = services.save_alert_kind(
        actor=None,
        town=town.town,
        code="crowd",
        label="人员聚集",
        category=Category.objects.get(code="public-security"),
        confirm_first=True,
    )
    xq = f.camera(town.xuqiao.grid, "SH-XQ-001", "徐桥村5组路口", stream_url="rtsp://10.0.0.8/live/1")
    fsh = f.camera(town.fashuihe.grid, "SH-FSH-001", "发水河村1组桥头", stream_url="rtsp://10.0.0.9/live/1")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {KEY}")
    return Net(key, fire, crowd, xq, fsh, api)


def alert(**overrides: Any) -> dict[str, Any]:
    body = {
        "alert_id": "A-1",
        "camera_code": "SH-XQ-001",
        "kind": "straw-fire",
        "occurred_at": "2026-05-01T21:30:00+08:00",
        "snapshot": b64(JPEG),
        "note": "烟火识别",
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}
