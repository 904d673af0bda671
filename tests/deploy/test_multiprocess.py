"""The production path with several processes: two web processes (gunicorn with the project's
deploy/gunicorn.conf.py, two sync workers each, on two loopback ports) and one huey worker
(`manage.py run_huey`, two threads, the periodic scheduler on), all under
`hongniudai.settings.prod`, against PostgreSQL and Redis on loopback.

Matters are reported through the REST API to both web processes; half of them are accepted, the
other half are not. Then their time passes: every timestamp of those matters (reported, arrived at
its level, due to accept, due to settle) is moved ten days back, as if they had been left alone
that long. The deadline job `enforce_deadlines` then runs many times at once: enqueued several
times through huey's Redis queue (as the periodic scheduler enqueues it every five minutes),
plus three direct calls of the service from separate processes that bypass huey's lock and meet
only the row locks. Each deadline must have been enforced exactly once: one automatic escalation
for each unaccepted matter, one overdue warning for each accepted one, nothing twice.

The processes use a database of their own (`hnd_multiprocess_<pid>`, created here and migrated by
`manage.py migrate`), not pytest-django's test database: that one lives inside the test process's
transactions and the other processes would not see it. Data are set up with `manage.py
create_admin` and the services, in a subprocess.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = pytest.mark.skipif(
    not (DATABASE_URL.startswith(("postgres://", "postgresql://")) and REDIS_URL),
    reason="several processes share one database and one queue only on PostgreSQL and Redis: "
    "set DATABASE_URL=postgres://… and REDIS_URL=redis://… (CI's PostgreSQL run does)",
)

PASSWORD = "Hnd-multiprocess-2026!"
PER_PROCESS = 6  # matters reported to each web process

SETUP = """
import json
from hongniudai.accounts import services as accounts
from hongniudai.accounts.models import Role, User
from hongniudai.places import services as places
from hongniudai.places.models import AreaKind, AreaNode

admin = User.objects.get(username="mp_admin")
town = AreaNode.objects.get(name="多进程镇")
district = places.create_area(actor=admin, parent=town, name="东片区", kind=AreaKind.DISTRICT)
village = places.create_area(actor=admin, parent=district, name="多进程村", kind=AreaKind.VILLAGE)
grid = places.create_area(actor=admin, parent=village, name="1组", kind=AreaKind.GRID)
hamlet = places.create_area(actor=admin, parent=grid, name="李家湾", kind=AreaKind.HAMLET)
for username, role, area in (("mp_secretary", Role.VILLAGE_SECRETARY, village), ("mp_grid", Role.GRID_WORKER, grid)):
    user = accounts.create_user(actor=admin, username=username, password=PASSWORD)
    accounts.assign_role(actor=admin, user=user, role=role, area=area)
print(json.dumps({"hamlet": hamlet.pk, "grid": grid.pk, "village": village.pk}))
"""

ENFORCE_DIRECTLY = """
import json
from hongniudai.governance import services
print(json.dumps(services.enforce_deadlines()))
"""

ENQUEUE = """
import json
from hongniudai.governance.tasks import enforce_deadlines
print(json.dumps([enforce_deadlines().id for _ in range(4)]))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _psql(url: str) -> Any:
    import psycopg

    return psycopg.connect(url, autocommit=True)


def _with_db(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


class Platform:
    def __init__(self, env: dict[str, str], tmp: Path) -> None:
        self.env = env
        self.tmp = tmp
        self.procs: list[tuple[str, subprocess.Popen[bytes], int]] = []
        self.ports: list[int] = []

    def manage(self, *args: str, code: str | None = None, timeout: int = 300, **extra: str) -> str:
        cmd = [sys.executable, "manage.py", *args] + (["-c", code] if code is not None else [])
        result = subprocess.run(
            cmd, cwd=ROOT, env={**self.env, **extra}, capture_output=True, text=True, timeout=timeout
        )
        assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def start(self, name: str, cmd: list[str], stop_signal: int = signal.SIGTERM) -> None:
        with open(self.tmp / f"{name}.log", "wb") as log:  # the child keeps its own handle
            proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append((name, proc, stop_signal))

    def start_web(self) -> None:
        port = _free_port()
        self.ports.append(port)
        gunicorn = [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py"]
        self.start(f"web-{port}", [*gunicorn, "--bind", f"127.0.0.1:{port}", "--workers", "2"])

    def log(self, name: str) -> str:
        return (self.tmp / f"{name}.log").read_text(errors="replace")[-4000:]

    def wait_until_serving(self) -> None:
        deadline = time.monotonic() + 90
        for port in self.ports:
            while True:
                for name, proc, _sig in self.procs:
                    assert proc.poll() is None, f"{name} exited:\n{self.log(name)}"
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                        if response.status == 200:
                            break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    pass
                assert time.monotonic() < deadline, f"web process on {port} did not start:\n{self.log(f'web-{port}')}"
                time.sleep(0.3)

    def stop(self) -> None:
        for _name, proc, sig in self.procs:
            if proc.poll() is None:
                proc.send_signal(sig)
        for _name, proc, _sig in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _call(port: int, method: str, path: str, data: dict[str, Any] | None = None, token: str = "") -> Any:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        method=method,
        data=json.dumps(data or {}).encode(),
        headers={"Content-Type": "application/json", **({"Authorization": f"Token {token}"} if token else {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        raise AssertionError(f"{method} {path} on {port}: {exc.code} {exc.read()[:2000]!r}") from None


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[Platform]:
    db_name = f"hnd_multiprocess_{os.getpid()}"
    huey_name = f"hnd-multiprocess-{uuid.uuid4().hex[:8]}"
    with _psql(DATABASE_URL) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db_name}"')
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hongniudai.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "FIELD_ENCRYPTION_KEY": secrets.token_urlsafe(40),
        "DATABASE_URL": _with_db(DATABASE_URL, db_name),
        "REDIS_URL": REDIS_URL,
        "HUEY_NAME": huey_name,
        "HUEY_WORKERS": "2",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback, no nginx in front
        "HND_VAR_DIR": str(tmp_path / "var"),
        "WEB_CONCURRENCY": "2",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    platform = Platform(env, tmp_path)
    try:
        yield platform
    finally:
        platform.stop()
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(match=f"*{huey_name}*"):
            client.delete(key)
        with _psql(DATABASE_URL) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


def test_two_web_processes_and_a_worker_enforce_each_deadline_once(platform: Platform) -> None:
    # The production path, step by step: migrate, first administrator, then the rest through the services.
    platform.manage("migrate", "--noinput", timeout=600)
    platform.manage(
        "create_admin",
        "--username",
        "mp_admin",
        "--town",
        "多进程镇",
        "--create-area",
        "--password-env",
        "MP_PASSWORD",
        MP_PASSWORD=PASSWORD,
    )
    ids = json.loads(platform.manage("shell", code=f"PASSWORD = {PASSWORD!r}\n{SETUP}").strip().splitlines()[-1])

    platform.start_web()
    platform.start_web()
    platform.start("worker", [sys.executable, "manage.py", "run_huey"], stop_signal=signal.SIGINT)
    platform.wait_until_serving()
    web_a, web_b = platform.ports

    # Report matters to both web processes at once, each with its own token.
    tokens = {
        port: _call(port, "POST", "/api/v1/auth/token/", {"username": "mp_secretary", "password": PASSWORD})["token"]
        for port in (web_a, web_b)
    }

    def report(n: int) -> tuple[int, int]:
        port = (web_a, web_b)[n % 2]
        body = {"category": "environment", "place": ids["hamlet"], "title": f"多进程事项{n}", "description": "垃圾堆积"}
        return port, _call(port, "POST", "/api/v1/matters/", body, tokens[port])["id"]

    with concurrent.futures.ThreadPoolExecutor(max_workers=int(os.environ.get("MP_REPORTERS", "6"))) as pool:
        reported = list(pool.map(report, range(2 * PER_PROCESS)))
    assert {port for port, _id in reported} == {web_a, web_b}
    matter_ids = [pk for _port, pk in reported]
    assert len(set(matter_ids)) == 2 * PER_PROCESS
    # Half are accepted (through the other web process than the one that took the report).
    accepted = matter_ids[::2]
    unaccepted = matter_ids[1::2]
    for port, pk in reported[::2]:
        other = web_b if port == web_a else web_a
        assert _call(other, "POST", f"/api/v1/matters/{pk}/accept/", {"note": "已受理"}, tokens[other])["status"] == (
            "accepted"
        )

    # Ten days pass for these matters: every deadline now lies in the past.
    with _psql(platform.env["DATABASE_URL"]) as conn:
        conn.execute(
            "UPDATE governance_matter SET reported_at = reported_at - interval '10 days', "
            "level_since = level_since - interval '10 days', "
            "accept_due_at = accept_due_at - interval '10 days', "
            "settle_due_at = settle_due_at - interval '10 days' WHERE id = ANY(%s)",
            [matter_ids],
        )
        conn.execute(
            "UPDATE governance_matterevent SET at = at - interval '10 days' WHERE matter_id = ANY(%s)", [matter_ids]
        )

    # The deadline job, many times at once: enqueued through Redis (two enqueuers, four runs
    # each: what the periodic scheduler does every five minutes) and three direct calls of the
    # service from separate processes, which bypass huey's lock and meet only the row locks.
    enqueue = [sys.executable, "manage.py", "shell", "-c", ENQUEUE]
    direct = [sys.executable, "manage.py", "shell", "-c", ENFORCE_DIRECTLY]
    runs = [
        subprocess.Popen(cmd, cwd=ROOT, env=platform.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for cmd in (enqueue, direct, enqueue, direct, direct)
    ]
    task_ids: list[str] = []
    counted: list[dict[str, int]] = []
    for proc in runs:
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, f"{out}\n{err}\nworker:\n{platform.log('worker')}"
        answer = json.loads(out.strip().splitlines()[-1])
        if isinstance(answer, list):
            task_ids.extend(answer)
        else:
            counted.append(answer)
    assert len(task_ids) == 8 and len(counted) == 3
    # huey keeps no results of periodic tasks: the worker's log tells how each queued run ended,
    # either run to the end or refused because another run held the job's Redis lock.
    deadline = time.monotonic() + 120
    while True:
        log = (platform.tmp / "worker.log").read_text(errors="replace")
        ran = [t for t in task_ids if f"{t} executed in" in log]
        refused = [t for t in task_ids if f"Task {t} not run, unable to acquire lock" in log]
        if len(ran) + len(refused) == len(task_ids):
            break
        assert time.monotonic() < deadline, f"the worker did not run every queued job:\n{log[-4000:]}"
        time.sleep(0.5)
    assert ran, log[-4000:]
    # The direct runs together acted at most once per matter.
    assert sum(c["escalated"] for c in counted) <= len(unaccepted), counted
    assert sum(c["warned"] for c in counted) <= len(accepted), counted

    # …and by the matters' timelines.
    with _psql(platform.env["DATABASE_URL"]) as conn:
        rows = conn.execute(
            "SELECT matter_id, kind, count(*) FROM governance_matterevent "
            "WHERE matter_id = ANY(%s) AND kind IN ('auto_escalate', 'overdue') GROUP BY matter_id, kind",
            [matter_ids],
        ).fetchall()
        events = {(pk, kind): count for pk, kind, count in rows}
        levels = dict(
            conn.execute("SELECT id, level FROM governance_matter WHERE id = ANY(%s)", [matter_ids]).fetchall()
        )
        escalations = dict(
            conn.execute("SELECT id, escalations FROM governance_matter WHERE id = ANY(%s)", [matter_ids]).fetchall()
        )
    for pk in unaccepted:
        assert events.get((pk, "auto_escalate")) == 1, (pk, events)
        assert (pk, "overdue") not in events, (pk, events)
        assert levels[pk] == "village" and escalations[pk] == 1
    for pk in accepted:
        assert events.get((pk, "overdue")) == 1, (pk, events)
        assert (pk, "auto_escalate") not in events, (pk, events)
        assert levels[pk] == "grid" and escalations[pk] == 0

    # A run later (the next period) finds nothing left to do.
    again = json.loads(platform.manage("shell", code=ENFORCE_DIRECTLY).strip().splitlines()[-1])
    assert again == {"escalated": 0, "warned": 0}
    # Every process is still up.
    for name, proc, _sig in platform.procs:
        assert proc.poll() is None, f"{name} exited:\n{platform.log(name)}"
