"""The registry's services: the demo's fixed key, cameras' codes and grids, coverage in one query."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hongniudai.audit.models import AuditEvent
from hongniudai.watch.cameras import selectors, services
from hongniudai.watch.cameras.models import platform_key_digest
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_demo_key_is_registered_as_a_digest_and_only_once(town: Any) -> None:
    record = services.register_platform_key(None, town.town, "宋河镇视频平台", "demo-camera-songhe-2026")
    assert record.digest == platform_key_digest("demo-camera-songhe-2026")
    assert services.active_key("demo-camera-songhe-2026") == record
    with pytest.raises(ValidationError):
        services.register_platform_key(None, town.town, "again", "demo-camera-songhe-2026")
    with pytest.raises(ValidationError):
        services.register_platform_key(None, town.town, "short", "too-short")
    with pytest.raises(PermissionDenied):
        services.register_platform_key(town.users["xuqiao"], town.town, "村里", "village-key-000000001")
    assert AuditEvent.objects.filter(action="watch_platform_key_issued").count() == 1


def test_a_camera_code_is_unique_in_its_town_and_a_hamlet_means_its_grid(town: Any) -> None:
    camera = f.camera(town.xuqiao.hamlet, "C-1")
    assert camera.grid == town.xuqiao.grid and camera.area_path == town.xuqiao.grid.path
    with pytest.raises(ValidationError):
        f.camera(town.fashuihe.grid, "C-1")
    with pytest.raises(ValidationError):
        f.camera(town.xuqiao.area, "C-2")  # a village is not a grid
    with pytest.raises(PermissionDenied):
        services.register_camera(
            actor=town.users["gridworker"], grid=town.fashuihe.grid, code="C-3", name="x", lat="30", lng="114"
        )


def test_coverage_is_one_grouped_query(town: Any) -> None:
    f.camera(town.xuqiao.grid, "C-1")
    f.camera(town.xuqiao.grid, "C-2", status="offline")
    f.camera(town.fashuihe.grid, "C-3", status="removed")
    admin = town.users["admin"]
    selectors.coverage(admin).exists()  # the user's scope read once
    with CaptureQueriesContext(connection) as ctx:
        rows = {g.name: (g.camera_count, g.working_count) for g in selectors.coverage(admin)}
    assert len(ctx.captured_queries) == 1
    assert rows == {"5组": (2, 1), "1组": (0, 0), "6组": (0, 0)}
    totals = selectors.coverage_totals(admin)
    assert (totals.grids, totals.cameras, totals.working, totals.grids_without) == (3, 2, 1, 2)


def test_the_menu_shows_the_watch_to_its_holders(town: Any) -> None:
    page = town.client_for("gridworker").get("/watch/cameras/").content.decode()
    assert "平安守护" in page and "视频监控" in page
