"""The demo (`make run`, dev settings) shows the project's Chinese error pages, not Django's debug
pages, unless a developer asks for them with DJANGO_DEBUG=1; static files are served either way."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
missing = client.get("/static/no-such-file.css")  # public: no sign-in (and no database) needed
static = client.get("/static/vendor/htmx/htmx.min.js")
local = Client(HTTP_HOST="localhost").get("/static/vendor/htmx/htmx.min.js")
print(json.dumps({
    "debug": settings.DEBUG,
    "status": missing.status_code,
    "body": missing.content.decode(),
    "static": static.status_code,
    "localhost": local.status_code,
}))
"""


def _probe(tmp_path, code=PROBE, **env):
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hongniudai.settings.dev", "HND_VAR_DIR": str(tmp_path)}
    for name in ("DATABASE_URL", "DJANGO_DEBUG", "DB_PREPARED_STATEMENTS", "DB_PREPARE_THRESHOLD"):
        full_env.pop(name, None)
    full_env.update(env)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_demo_shows_the_chinese_404_and_serves_static_files(tmp_path):
    seen = _probe(tmp_path)
    assert seen["debug"] is False
    assert seen["status"] == 404
    assert "您要找的页面或记录不存在" in seen["body"]
    assert "Page not found" not in seen["body"] and "Raised by" not in seen["body"]
    assert seen["static"] == 200 and seen["localhost"] == 200


def test_a_developer_asks_for_the_debug_pages(tmp_path):
    seen = _probe(tmp_path, DJANGO_DEBUG="1")
    assert seen["debug"] is True
    assert seen["status"] == 404 and "Page not found" in seen["body"]


OPTIONS = (
    "import json; from django.conf import settings; print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
)
POSTGRES = "postgres://someone:secret@127.0.0.1:5432/somewhere"


def test_postgresql_prepares_queries_unless_turned_off(tmp_path):
    """A connection prepares the queries it sends often (no connection is made here); DB_PREPARED_STATEMENTS=0
    turns it off, for a PgBouncer that cannot keep them."""
    on = _probe(tmp_path, OPTIONS, DATABASE_URL=POSTGRES)
    assert on["server_side_binding"] is True and on["prepare_threshold"] == 5
    assert _probe(tmp_path, OPTIONS, DATABASE_URL=POSTGRES, DB_PREPARE_THRESHOLD="2")["prepare_threshold"] == 2
    off = _probe(tmp_path, OPTIONS, DATABASE_URL=POSTGRES, DB_PREPARED_STATEMENTS="0")
    assert "server_side_binding" not in off and "prepare_threshold" not in off
    assert "server_side_binding" not in _probe(tmp_path, OPTIONS)  # SQLite: no such thing
