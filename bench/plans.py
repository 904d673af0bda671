"""Each query of a page on its custom plan and on its generic plan (PostgreSQL).

The platform prepares the queries a connection sends often (settings: DB_PREPARED_STATEMENTS), and
PostgreSQL may then run a prepared query on one *generic* plan for every parameter, which can be
slower than the plan it makes for the values at hand (a `LIKE $1` on a tree path cannot use the
path's index). This loads a page once as a bench user, then runs each of its SELECTs prepared on a
fresh connection under `plan_cache_mode = force_custom_plan` and `force_generic_plan` (best of
four, wall ms including planning) and marks the queries slower on the generic plan:

    DATABASE_URL=postgres://hnd:hnd@127.0.0.1:5432/hnd_bench \\
        python bench/plans.py --user bench_county /returnees/ /matters/1/

Run on demand against the bench database, like `bench/run.py`; never part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MODES = ("force_custom_plan", "force_generic_plan")


def page_queries(url: str, username: str) -> list[tuple[str, Sequence[Any]]]:
    """The SQL and parameters of each SELECT the page sends (after a first, warming request)."""
    from django.db import connection
    from django.test import Client

    from hongniudai.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    client.get(url)
    seen: list[tuple[str, Sequence[Any]]] = []

    def capture(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.lstrip().upper().startswith("SELECT"):
            seen.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        client.get(url)
    return seen


def timed(dsn: str, mode: str, sql: str, params: Sequence[Any], runs: int = 4) -> float:
    """Best wall ms of `runs` executions of the prepared query under `mode`, on a fresh connection."""
    import psycopg

    best = float("inf")
    with psycopg.connect(dsn) as conn:
        conn.execute(f"SET plan_cache_mode = {mode}")
        for _ in range(runs):
            started = time.perf_counter()
            conn.execute(sql, params, prepare=True).fetchall()  # type: ignore[arg-type]
            best = min(best, (time.perf_counter() - started) * 1000)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("urls", nargs="+", help="paths of pages or API endpoints, e.g. /matters/")
    parser.add_argument("--user", default="bench_county", help="the bench user (default bench_county)")
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        parser.error("DATABASE_URL must name a PostgreSQL database (the bench's: hnd_bench)")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hongniudai.settings.dev")
    os.environ["DB_PREPARED_STATEMENTS"] = "0"  # the page's own queries, sent as they are
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    dsn = "postgresql://" + url.split("://", 1)[1]
    slower = 0
    for path in args.urls:
        print(path)
        for i, (sql, params) in enumerate(page_queries(path, args.user)):
            custom, generic = (timed(dsn, mode, sql, params) for mode in MODES)
            flag = generic > 1.5 * custom + 0.3
            slower += flag
            print(
                f"  {i:2d} custom {custom:7.2f} ms  generic {generic:7.2f} ms{'  SLOWER' if flag else ''}  {sql[:100]}"
            )
    print(f"{slower} queries slower on their generic plan")
    return 1 if slower else 0


if __name__ == "__main__":
    sys.exit(main())
