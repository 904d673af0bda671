"""On PostgreSQL a connection prepares the queries it sends often, so PostgreSQL does not plan them
anew (issue 14: planning cost a page as much as running its queries); DB_PREPARED_STATEMENTS=0
turns it off, for a PgBouncer that cannot keep them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from hongniudai.places.models import AreaNode

ROOT = Path(__file__).resolve().parent.parent

PROBE = (
    "import json; from django.conf import settings; print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
)


def _options(tmp_path, **env):
    """The database options the dev settings derive from the environment (no connection made)."""
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hongniudai.settings.dev", "HND_VAR_DIR": str(tmp_path)}
    for name in ("DATABASE_URL", "DB_PREPARED_STATEMENTS", "DB_PREPARE_THRESHOLD"):
        full_env.pop(name, None)
    full_env.update(env)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PROBE],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


POSTGRES = "postgres://someone:secret@127.0.0.1:5432/somewhere"


def test_postgresql_prepares_queries_unless_turned_off(tmp_path):
    on = _options(tmp_path, DATABASE_URL=POSTGRES)
    assert on["server_side_binding"] is True and on["prepare_threshold"] == 5
    assert _options(tmp_path, DATABASE_URL=POSTGRES, DB_PREPARE_THRESHOLD="2")["prepare_threshold"] == 2
    off = _options(tmp_path, DATABASE_URL=POSTGRES, DB_PREPARED_STATEMENTS="0")
    assert "server_side_binding" not in off and "prepare_threshold" not in off
    assert "server_side_binding" not in _options(tmp_path)  # SQLite: no such thing


@pytest.mark.django_db
def test_a_query_sent_often_is_prepared_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    for node_id in range(1, 8):
        list(AreaNode.objects.filter(pk=node_id).values_list("name", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s AND statement LIKE %s",
            ["%places_areanode%", "%$1%"],
        )
        (prepared,) = cursor.fetchone()
    assert prepared >= 1
