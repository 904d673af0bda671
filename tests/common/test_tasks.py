"""The database's own upkeep: SQLite's planner statistics."""

from __future__ import annotations

import pytest
from django.db import connection

from hongniudai.common import tasks

pytestmark = pytest.mark.django_db


def _statistics() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return 0
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'places_areanode'")
        return int(cursor.fetchone()[0])


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's statistics")
def test_the_nightly_task_gives_sqlites_planner_its_statistics(town):
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is not None:
            cursor.execute("DELETE FROM sqlite_stat1")
    assert _statistics() == 0
    assert tasks.analyze_sqlite.call_local() is True
    assert _statistics() > 0  # an entry per index of the area tree


@pytest.mark.skipif(connection.vendor == "sqlite", reason="PostgreSQL analyzes by itself")
def test_the_nightly_task_leaves_postgresql_to_autovacuum():
    assert tasks.analyze_sqlite.call_local() is False
