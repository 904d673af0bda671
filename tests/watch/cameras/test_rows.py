"""The camera net's list pages show each row's cells (rendered from values by the rows' Jinja
templates): the code linking to the camera, its grid, the labels of its kind, owner and status, the
last time seen; a grid's counts on the coverage; a pending alert's time, camera and alert count."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from hongniudai.watch.cameras.models import Camera, PendingAlert

from .conftest import alert

pytestmark = pytest.mark.django_db
URL = "/api/v1/cameras/alerts/"


def test_the_cameras_list_shows_each_ones_cells(net: Any, town: Any) -> None:
    seen = timezone.make_aware(dt.datetime(2026, 5, 1, 21, 30))
    Camera.objects.filter(pk=net.xq.pk).update(last_seen_at=seen)
    body = town.client_for("admin").get(reverse("cameras:camera_list")).content.decode()
    url = reverse("cameras:camera_detail", args=[net.xq.pk])
    assert f'<a href="{url}">SH-XQ-001</a>' in body and "<td>徐桥村5组路口</td>" in body
    assert f"<td>{net.xq.grid.name}</td>" in body
    assert f"<td>{net.xq.get_kind_display()}</td>" in body and f"<td>{net.xq.get_owner_display()}</td>" in body
    assert f'<span class="badge text-bg-success">{net.xq.get_status_display()}</span>' in body
    assert '<td class="text-nowrap">05-01 21:30</td>' in body and '<td class="text-nowrap">—</td>' in body


def test_the_coverage_shows_each_grids_counts_and_links_to_its_cameras(net: Any, town: Any) -> None:
    body = town.client_for("admin").get(reverse("cameras:coverage")).content.decode()
    grid = net.xq.grid
    assert f'<a href="{reverse("cameras:camera_list")}?area={grid.pk}">{grid.name}</a>' in body
    assert '<td class="text-end">1</td><td class="text-end">1</td>' in body
    assert '<tr class="table-warning">' in body  # a grid without a camera


def test_the_pending_list_shows_each_ones_time_camera_and_count(net: Any, town: Any) -> None:
    net.api.post(URL, alert(kind="crowd"), format="json")
    net.api.post(URL, alert(alert_id="A-2", kind="crowd", occurred_at="2026-05-01T21:35:00+08:00"), format="json")
    pending = PendingAlert.objects.get()
    body = town.client_for("admin").get(reverse("cameras:pending_list")).content.decode()
    url = reverse("cameras:pending_detail", args=[pending.pk])
    when = timezone.localtime(pending.occurred_at).strftime("%m-%d %H:%M")
    assert f'<a href="{url}">{when}</a>' in body
    assert f'徐桥村5组路口<div class="small text-muted">{net.xq.grid.name} · 2 次</div>' in body
    assert "<td>人员聚集</td>" in body and f"<td>{pending.get_status_display()}</td>" in body
