"""Every list of the camera net reads a fixed number of queries whatever its rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from tests import factories as f

from .conftest import alert

pytestmark = pytest.mark.django_db


def _grow(town: Any, net: Any, n: int, start: int) -> None:
    for i in range(start, start + n):
        grid = f.area(town.hemeifan.area, f"{i}组", "grid")
        f.camera(grid, f"Q-{i}")
        f.camera(town.xuqiao.grid, f"QX-{i}", status="faulty")
        net.api.post("/api/v1/cameras/alerts/", alert(alert_id=f"Q-{i}", camera_code=f"Q-{i}"), format="json")
        net.api.post(
            "/api/v1/cameras/alerts/", alert(alert_id=f"P-{i}", camera_code=f"Q-{i}", kind="crowd"), format="json"
        )


@pytest.mark.parametrize(
    "name",
    [
        "cameras:camera_list",
        "cameras:coverage",
        "cameras:alert_list",
        "cameras:pending_list",
        "cameras:kind_list",
        "cameras:key_list",
        "api:camera-list",
        "api:camera-coverage-list",
        "api:camera-coverage-summary-list",
        "api:camera-alert-list",
        "api:camera-pending-alert-list",
        "api:camera-alert-kind-list",
    ],
)
def test_list_queries_do_not_grow_with_rows(net: Any, town: Any, name: str) -> None:
    if name.startswith("api:"):
        client: Any = APIClient()
        client.force_authenticate(town.users["admin"])
    else:
        client = town.client_for("admin")
    url = reverse(name)
    _grow(town, net, 1, start=100)
    client.get(url)  # warm the caches (sessions, menus)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    _grow(town, net, 4, start=200)
    assert count() == before
