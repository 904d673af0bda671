"""The production settings over SQLite, for the SQLite benchmark only.

`hongniudai.settings.prod` refuses any DATABASE_URL that is not PostgreSQL (a deployment must not
fall back to a file). The benchmark still measures the SQLite path with everything else exactly
as in production: import prod with a placeholder PostgreSQL URL, then put the SQLite database
back, with the same connection options as `hongniudai.settings.base`.
"""

import os

import dj_database_url

_DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not _DATABASE_URL.startswith("sqlite:"):
    raise RuntimeError("bench.settings_sqlite needs DATABASE_URL=sqlite:///…")
os.environ["DATABASE_URL"] = "postgres://bench@127.0.0.1:1/placeholder"
try:
    from hongniudai.settings.prod import *  # noqa: F403
finally:
    os.environ["DATABASE_URL"] = _DATABASE_URL

DATABASES = {"default": dj_database_url.parse(_DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
DATABASES["default"]["OPTIONS"] = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
