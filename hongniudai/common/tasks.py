"""Periodic upkeep of the database itself, run by huey."""

from __future__ import annotations

from django.db import connection
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task


@db_periodic_task(crontab(hour="3", minute="17"))
@lock_task("analyze-sqlite")
def analyze_sqlite() -> bool:
    """Nightly on SQLite: ANALYZE each table in turn (a table's write lock for a few seconds at
    most: the generated county's 4 GB take 15 s in all). SQLite's planner has no other
    statistics: without them it reads a grid's matters by date across the county (760 ms), and
    with sampled ones (`analysis_limit`) it read a village's week of matters by category (1.3 s).
    PostgreSQL's autovacuum does this by itself. Answers whether it ran."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA analysis_limit=0")
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'ANALYZE "{table}"')
    return True
