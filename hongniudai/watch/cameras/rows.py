"""The cameras', the coverage's and the pending alerts' list rows, read as values and labelled once
per page (`hongniudai.common.rows`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from hongniudai.common.choices import choice_label
from hongniudai.common.templatetags.hnd import row_url

from .models import Camera, CameraStatus, PendingAlert

CAMERA_ROW_FIELDS = ("id", "code", "name", "grid__name", "kind", "owner", "status", "last_seen_at")
COVERAGE_ROW_FIELDS = ("id", "name", "camera_count", "working_count")
PENDING_ROW_FIELDS = ("id", "occurred_at", "camera__name", "camera__grid__name", "rule__label", "status", "alert_count")


def minute(value: Any) -> str:
    """`{{ value|date:"m-d H:i" }}` of a moment, in the local time ("" for nothing)."""
    return timezone.localtime(value).strftime("%m-%d %H:%M") if value is not None else ""


def camera_rows(cameras: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each camera's cells (`watch/cameras/_camera_rows.jinja`)."""
    kind, owner = choice_label(Camera, "kind"), choice_label(Camera, "owner")
    status = choice_label(Camera, "status")
    return [
        {
            "url": row_url("cameras:camera_detail", c["id"]),
            "code": c["code"],
            "name": c["name"],
            "grid": c["grid__name"],
            "kind": kind(c["kind"]),
            "owner": owner(c["owner"]),
            "working": c["status"] == CameraStatus.WORKING,
            "status": status(c["status"]),
            "seen": minute(c["last_seen_at"]) or "—",
        }
        for c in cameras
    ]


def coverage_rows(grids: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each grid's cameras and working cameras (`watch/cameras/_coverage_rows.jinja`), linking to
    the grid's cameras."""
    cameras = reverse("cameras:camera_list")
    return [
        {
            "url": f"{cameras}?area={g['id']}",
            "name": g["name"],
            "cameras": g["camera_count"],
            "working": g["working_count"],
        }
        for g in grids
    ]


def pending_rows(pending: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each pending alert's cells (`watch/cameras/_pending_rows.jinja`): how many alerts it gathers
    when more than one."""
    status = choice_label(PendingAlert, "status")
    return [
        {
            "url": row_url("cameras:pending_detail", p["id"]),
            "occurred": minute(p["occurred_at"]),
            "camera": p["camera__name"],
            "grid": p["camera__grid__name"],
            "times": ngettext("%(n)s 次", "%(n)s 次", p["alert_count"]) % {"n": p["alert_count"]}
            if p["alert_count"] > 1
            else "",
            "rule": p["rule__label"],
            "status": status(p["status"]),
        }
        for p in pending
    ]
