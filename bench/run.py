"""The benchmark harness (issue 5): serve the platform with production settings under gunicorn,
load a bare Django view (`bench/wsgi.py`), the floor and each main page and API endpoint with wrk
at fixed concurrency as three users (county, village, grid), count queries per request, time
the raw SQL behind each aggregate page, and write `report-<db>.md` / `.json` and an index
`README.md` into the output folder.

Run on demand, never part of the test suite:

    python bench/run.py --db sqlite --duration 3                 # whatever the bench DB holds
    python bench/run.py --db both --scale 1.0 --generate         # the county, both databases
    python bench/run.py --db sqlite --demo                       # the demo town only

Databases: SQLite `var/bench/bench.sqlite3`; PostgreSQL database `hnd_bench` on
postgres://hnd:hnd@127.0.0.1:5432/ (created if missing; never the `hnd` database CI uses).
Needs wrk (installed with apt-get when missing).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VAR = ROOT / "var" / "bench"
PG_SERVER = "postgres://hnd:hnd@127.0.0.1:5432/"
PG_DATABASE = "hnd_bench"
# The dev settings' default SECRET_KEY: personal data written by the dev-settings commands (the
# generator, load_demo) is encrypted with it, so the production-settings server must use the same
# field key to read it back. A bench value only, never a production one.
DEV_FIELD_KEY = "dev-only-insecure-key-change-me-in-production-0123456789"
WORKERS = 4
P95_TARGET_MS = 200.0
INPROC_FLOOR_FACTOR = 12.0  # the demo town: a list page within 12× the floor, one request at a time
BARE_FLOOR_SHARE = 0.50  # the floor's req/s ≥ half the bare Django view's
PAGE_FLOOR_SHARE = 0.25  # pages (and aggregate pages) ≥ a quarter of the floor's
API_FLOOR_SHARE = 0.40
RAW_SQL_FACTOR = 2.0


def say(line: str = "") -> None:
    print(line, flush=True)


def python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


# ---- databases ------------------------------------------------------------------------------


@dataclass
class Database:
    name: str  # sqlite | postgres
    url: str
    sqlite_path: Path | None = None

    def size_bytes(self) -> int:
        if self.sqlite_path is not None:
            return sum(
                p.stat().st_size
                for p in (self.sqlite_path, Path(f"{self.sqlite_path}-wal"), Path(f"{self.sqlite_path}-shm"))
                if p.exists()
            )
        return int(pg_query(self.url, "SELECT pg_database_size(current_database())")[0][0])

    def version(self) -> str:
        if self.sqlite_path is not None:
            return f"SQLite {sqlite3.sqlite_version}"
        return f"PostgreSQL {pg_query(self.url, 'SHOW server_version')[0][0]}"

    def reset(self) -> None:
        """An empty database, so that generation starts from nothing and is timed as a whole."""
        if self.sqlite_path is not None:
            for p in (self.sqlite_path, Path(f"{self.sqlite_path}-wal"), Path(f"{self.sqlite_path}-shm")):
                p.unlink(missing_ok=True)
            return
        pg_query(PG_SERVER + "postgres", f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        prepare_postgres()


def pg_query(url: str, sql: str) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn, conn.cursor() as cur:
        cur.execute(sql)
        return list(cur.fetchall()) if cur.description else []


def prepare_postgres() -> Database:
    """Start the local cluster if it is down and create `hnd_bench` if missing."""
    import psycopg

    try:
        pg_query(PG_SERVER + "postgres", "SELECT 1")
    except psycopg.OperationalError:
        say("  starting PostgreSQL (pg_ctlcluster 15 main start) …")
        subprocess.run(["pg_ctlcluster", "15", "main", "start"], check=False)
        for _ in range(30):
            with contextlib.suppress(psycopg.OperationalError):
                pg_query(PG_SERVER + "postgres", "SELECT 1")
                break
            time.sleep(1)
    exists = pg_query(PG_SERVER + "postgres", f"SELECT 1 FROM pg_database WHERE datname = '{PG_DATABASE}'")
    if not exists:
        say(f"  creating database {PG_DATABASE} …")
        try:
            pg_query(PG_SERVER + "postgres", f"CREATE DATABASE {PG_DATABASE} OWNER hnd")
        except psycopg.Error:
            # The role may lack CREATEDB: ask the cluster's superuser (we are root on this machine).
            subprocess.run(["runuser", "-u", "postgres", "--", "createdb", "-O", "hnd", PG_DATABASE], check=True)
    return Database("postgres", PG_SERVER + PG_DATABASE)


def prepare_sqlite(path: Path) -> Database:
    VAR.mkdir(parents=True, exist_ok=True)
    return Database("sqlite", f"sqlite:///{path}", sqlite_path=path)


# ---- subprocesses ---------------------------------------------------------------------------


def base_env(db: Database) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = db.url
    env["HND_VAR_DIR"] = str(VAR / f"var-{db.name}")
    env.setdefault("FIELD_ENCRYPTION_KEY", DEV_FIELD_KEY)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def dev_env(db: Database) -> dict[str, str]:
    env = base_env(db)
    env["DJANGO_SETTINGS_MODULE"] = "hongniudai.settings.dev"
    env.pop("SECRET_KEY", None)
    return env


def prod_env(db: Database, secret: str) -> dict[str, str]:
    env = base_env(db)
    # Production refuses SQLite: for SQLite, the same settings with the database put back.
    settings = "bench.settings_sqlite" if db.sqlite_path is not None else "hongniudai.settings.prod"
    env.update(
        DJANGO_SETTINGS_MODULE=settings,
        SECRET_KEY=secret,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
    )
    return env


def manage(env: dict[str, str], *args: str, quiet: bool = False) -> float:
    """Run a management command, its output indented; returns the wall time in seconds."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [python(), "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if not quiet:
            say("    " + line.rstrip())
    if proc.wait() != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed (exit {proc.returncode})")
    return time.perf_counter() - started


def probe(env: dict[str, str], *args: str) -> str:
    """Run bench/probe.py; its progress (stderr) goes to our output, its result is returned."""
    proc = subprocess.run(
        [python(), str(BENCH / "probe.py"), *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    if proc.returncode != 0:
        raise SystemExit(f"bench/probe.py {' '.join(args)} failed (exit {proc.returncode})")
    return proc.stdout


def has_command(env: dict[str, str], name: str) -> bool:
    out = subprocess.run(
        [python(), "manage.py", "help", "--commands"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    return name in out.stdout.split()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def gunicorn(env: dict[str, str], port: int, log: Path) -> Iterator[str]:
    """gunicorn, sync workers, on the loopback, serving `bench/wsgi.py` (the project and the bare
    view); stopped (its own process group) on exit."""
    gunicorn_bin = Path(python()).parent / "gunicorn"
    cmd = [
        str(gunicorn_bin),
        "bench.wsgi:application",  # the project, plus the bare Django view /bench/bare/
        "--workers",
        str(WORKERS),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            if proc.poll() is not None:
                raise SystemExit(f"gunicorn exited (see {log})")
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            time.sleep(0.5)
        else:
            raise SystemExit(f"gunicorn did not answer on {base}/healthz (see {log})")
        settle(proc.pid)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _children_cpu(master: int) -> int:
    """CPU ticks spent so far by the worker processes of gunicorn's `master` (Linux /proc)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == master:  # ppid
                total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def settle(master: int, *, limit: float = 60.0) -> None:
    """Wait until every worker has loaded the application: each loads it whole when it starts
    (`hongniudai/wsgi.py`), and the first to answer /healthz may be alone; the probe's timings in
    process must not share the cores with the others' loading. Done when the workers spend under
    5 ticks of CPU in half a second."""
    deadline = time.monotonic() + limit
    before = _children_cpu(master)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = _children_cpu(master)
        if now - before < 5:
            return
        before = now


# ---- wrk ------------------------------------------------------------------------------------


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    say("wrk is missing: apt-get install -y wrk …")
    if subprocess.run(["apt-get", "install", "-y", "wrk"], check=False).returncode != 0:
        subprocess.run(["apt-get", "update"], check=False)
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=True)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk could not be installed")
    return found


def drain(base: str, cookie: str, *, quick_s: float = 0.5, limit_s: float = 600.0) -> float:
    """Wait until the floor answers quickly: the sync workers may still be busy with requests
    queued by the previous URL's run (wrk stops sending at its duration, not the server working),
    and those would otherwise be charged to the next URL. Returns the seconds waited."""
    start = time.monotonic()
    request = urllib.request.Request(base + "/bench/floor/", headers={"Cookie": cookie})
    while time.monotonic() - start < limit_s:
        t0 = time.monotonic()
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(request, timeout=limit_s) as response:
                response.read()
        if time.monotonic() - t0 < quick_s:
            break
    return time.monotonic() - start


def run_wrk(wrk: str, url: str, *, connections: int, duration: int, cookie: str, auth: str) -> dict[str, Any] | None:
    env = dict(os.environ, BENCH_COOKIE=cookie, BENCH_AUTH=auth)
    cmd = [
        wrk,
        "--threads",
        "2",
        "--connections",
        str(connections),
        "--duration",
        f"{duration}s",
        "--timeout",
        "30s",
        "--script",
        str(BENCH / "report.lua"),
        url,
    ]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=duration + 120)
    for line in proc.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            result: dict[str, Any] = json.loads(line.removeprefix("BENCH_JSON "))
            seconds = result["duration_us"] / 1e6
            result["rps"] = result["requests"] / seconds if seconds else 0.0
            return result
    say(f"    wrk gave no result for {url}: {(proc.stderr or proc.stdout).strip()[-300:]}")
    return None


# ---- machine --------------------------------------------------------------------------------


def machine(dbs: list[Database]) -> dict[str, Any]:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = ""
    with contextlib.suppress(OSError, IndexError, ValueError):
        kib = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        ram = f"{kib / 1024 / 1024:.1f} GiB"
    os_name = platform.platform()
    with contextlib.suppress(OSError):
        m = re.search(r'^PRETTY_NAME="?([^"\n]+)', Path("/etc/os-release").read_text(), re.M)
        os_name = m.group(1) if m else os_name
    versions = subprocess.run(
        [
            python(),
            "-c",
            "import django, gunicorn, platform; print(platform.python_version(), django.get_version(), gunicorn.__version__)",
        ],
        capture_output=True,
        text=True,
    ).stdout.split()
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0].strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram": ram,
        "os": os_name,
        "python": versions[0] if versions else platform.python_version(),
        "django": versions[1] if len(versions) > 1 else "",
        "gunicorn": versions[2] if len(versions) > 2 else "",
        "wrk": wrk_version,
        "databases": {db.name: db.version() for db in dbs},
        "load_before": os.getloadavg()[0],
    }


# ---- one database ---------------------------------------------------------------------------


def earlier_generation(name: str) -> dict[str, Any] | None:
    """The timing of a generation run before this benchmark, from `var/bench/generate-<db>.log`
    (`/usr/bin/time -v manage.py generate_county … > var/bench/generate-<db>.log`)."""
    log = VAR / f"generate-{name}.log"
    if not log.exists():
        return None
    text = log.read_text(errors="replace")
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", text)
    if not wall:
        return None
    seconds = 0.0
    for part in wall.group(1).split(":"):
        seconds = seconds * 60 + float(part)
    summary = next((line.strip() for line in text.splitlines() if line.startswith("生成完成")), "")
    cpu = re.search(r"Percent of CPU this job got: (\d+)%", text)
    return {
        "command": "generate_county",
        "seconds": seconds,
        "summary": summary,
        "cpu_percent": int(cpu.group(1)) if cpu else None,
        "log": str(log.relative_to(ROOT)) if log.is_relative_to(ROOT) else str(log),
    }


def bench_database(db: Database, args: argparse.Namespace, wrk: str) -> dict[str, Any]:
    say(f"\n=== {db.name}: {db.url}")
    dev = dev_env(db)
    result: dict[str, Any] = {"db": db.name, "scale": args.scale, "seed": args.seed, "generation": None}
    if args.generate or args.demo:
        say("  starting from an empty database …")
        db.reset()
    say("  migrate …")
    manage(dev, "migrate", "--noinput", quiet=True)
    if args.generate:
        if has_command(dev, "generate_county"):
            say(f"  generate_county --scale {args.scale} --seed {args.seed} …")
            seconds = manage(dev, "generate_county", "--scale", str(args.scale), "--seed", str(args.seed))
            result["generation"] = {"command": "generate_county", "seconds": seconds}
        else:
            say("  generate_county is not available: loading the demo town instead")
            args.demo = True
    if args.demo:
        say("  load_demo …")
        seconds = manage(dev, "load_demo")
        result["generation"] = result["generation"] or {"command": "load_demo", "seconds": seconds}
    if result["generation"] is None:
        result["generation"] = earlier_generation(db.name)
    result["db_bytes"] = db.size_bytes()
    result["db_version"] = db.version()
    say(f"  database size {result['db_bytes'] / 1e6:.1f} MB")

    secret = secrets.token_urlsafe(48)
    prod = prod_env(db, secret)
    result["settings"] = prod["DJANGO_SETTINGS_MODULE"]
    say("  collectstatic (production storage) …")
    collect = dict(prod, DJANGO_SETTINGS_MODULE="bench.settings_collect", BENCH_BASE_SETTINGS=result["settings"])
    manage(collect, "collectstatic", "--noinput", "--verbosity", "0", quiet=True)
    say("  bench accounts …")
    result["accounts"] = json.loads(probe(prod, "accounts"))

    port = free_port()
    log = VAR / f"gunicorn-{db.name}.log"
    say(f"  gunicorn ({WORKERS} sync workers) on 127.0.0.1:{port} …")
    with gunicorn(prod, port, log) as base:
        plan_file = VAR / f"plan-{db.name}.json"
        say("  sessions, tokens, queries per request, raw SQL …")
        probe(
            prod,
            "prepare",
            "--out",
            str(plan_file),
            "--raw-runs",
            str(args.raw_runs),
            "--timed-runs",
            str(args.timed_runs),
        )
        plans = json.loads(plan_file.read_text(encoding="utf-8"))
        total = sum(
            1
            for p in plans
            for t in p["targets"]
            if t["status"] == 200 and (not args.only or t["key"] in args.only or t["kind"] in ("bare", "floor"))
        )
        done = 0
        say(f"  wrk: {total} URLs × {args.duration} s at {args.connections} connections …")
        for plan in plans:
            cookie = f"sessionid={plan['session']}"
            for target in plan["targets"]:
                if args.only and target["key"] not in args.only and target["kind"] not in ("bare", "floor"):
                    target["note"] = "not run (--only)"
                    continue
                if target["status"] != 200:
                    target["note"] = f"skipped: HTTP {target['status']} in the probe"
                    say(f"    {plan['username']:14} {target['key']:16} skipped (HTTP {target['status']})")
                    continue
                done += 1
                drained = drain(base, cookie)
                if drained > 1:
                    say(f"    (waited {drained:.0f} s for the server to finish the previous URL's requests)")
                run = run_wrk(
                    wrk,
                    base + target["path"],
                    connections=args.connections,
                    duration=args.duration,
                    cookie=cookie if target["auth"] == "session" else "",
                    auth=f"Token {plan['token']}" if target["auth"] == "token" else "",
                )
                if run is None:
                    target["note"] = "wrk failed"
                    continue
                target["wrk"] = run
                lat = run["latency_us"]
                bad = run["status"]["3xx"] + run["status"]["4xx"] + run["status"]["5xx"] + run["errors"]["timeout"]
                say(
                    f"    [{done:3d}/{total}] {plan['username']:14} {target['key']:16} {run['rps']:8.1f} req/s  "
                    f"p50 {lat['p50'] / 1000:7.1f}  p95 {lat['p95'] / 1000:7.1f}  p99 {lat['p99'] / 1000:7.1f} ms"
                    + (f"  ({bad} not 2xx/timeouts)" if bad else "")
                )
    result["users"] = plans
    evaluate(result)
    return result


# ---- evaluation and reports -----------------------------------------------------------------


def evaluate(result: dict[str, Any]) -> None:
    """Ratios to the bare view, to the floor and to raw SQL, and the missed targets."""
    missed: list[str] = []
    for plan in result["users"]:
        bare = next((t for t in plan["targets"] if t["kind"] == "bare" and "wrk" in t), None)
        floor = next((t for t in plan["targets"] if t["kind"] == "floor" and "wrk" in t), None)
        bare_rps = bare["wrk"]["rps"] if bare else 0.0
        floor_rps = floor["wrk"]["rps"] if floor else 0.0
        floor_inproc = next((t.get("inproc_ms") for t in plan["targets"] if t["kind"] == "floor"), None)
        plan["floor_inproc_ms"] = floor_inproc
        plan["bare_rps"] = bare_rps
        plan["floor_rps"] = floor_rps
        plan["floor_bare_share"] = floor_rps / bare_rps if bare_rps and floor_rps else None
        for t in plan["targets"]:
            inproc = t.get("inproc_ms")
            t["inproc_ratio"] = inproc / floor_inproc if inproc is not None and floor_inproc else None
            run = t.get("wrk")
            if not run:
                missed.append(f"{plan['username']} {t['key']}: {t['note'] or 'not loaded'}")
                continue
            p50, p95 = run["latency_us"]["p50"] / 1000, run["latency_us"]["p95"] / 1000
            t["floor_share"] = run["rps"] / floor_rps if floor_rps else None
            t["bare_share"] = run["rps"] / bare_rps if bare_rps else None
            raw = plan["raw"].get(t["aggregate"]) if t["aggregate"] else None
            t["raw_ms"] = raw["median_ms"] if raw else None
            t["raw_ratio"] = p50 / raw["median_ms"] if raw and raw["median_ms"] > 0 else None
            t["missed"] = target_misses(
                t, run, p95, demo=(result.get("generation") or {}).get("command") == "load_demo"
            )
            missed += [f"{plan['username']} {t['key']}: {m}" for m in t["missed"]]
    result["missed"] = missed


def target_misses(t: dict[str, Any], run: dict[str, Any], p95: float, *, demo: bool = False) -> list[str]:
    """The targets one URL's run misses (issue 14); on the demo town also a page's time in process
    against the floor's."""
    out: list[str] = []
    ratio = t.get("inproc_ratio")
    if demo and t["kind"] == "page" and ratio is not None and ratio > INPROC_FLOOR_FACTOR:
        out.append(f"{ratio:.0f}× the floor in process > {INPROC_FLOOR_FACTOR:.0f}×")
    if run["requests"] == 0:
        out.append("no request completed in the run")
    elif run["status"]["2xx"] < run["requests"] or run["errors"]["timeout"]:
        out.append("errors")
    if t["kind"] not in ("bare", "floor") and p95 >= P95_TARGET_MS:
        out.append(f"p95 {p95:.0f} ms ≥ {P95_TARGET_MS:.0f} ms")
    share, kind = t.get("floor_share"), t["kind"]
    if kind == "floor" and t.get("bare_share") is not None and t["bare_share"] < BARE_FLOOR_SHARE:
        out.append(f"floor {t['bare_share']:.0%} of bare < {BARE_FLOOR_SHARE:.0%}")
    if kind in ("page", "aggregate") and share is not None and share < PAGE_FLOOR_SHARE:
        out.append(f"{share:.0%} of floor < {PAGE_FLOOR_SHARE:.0%}")
    if kind == "api" and share is not None and share < API_FLOOR_SHARE:
        out.append(f"{share:.0%} of floor < {API_FLOOR_SHARE:.0%}")
    if t.get("raw_ratio") is not None and t["raw_ratio"] > RAW_SQL_FACTOR:
        out.append(f"{t['raw_ratio']:.1f}× raw SQL > {RAW_SQL_FACTOR:.0f}×")
    return out


def _fmt(value: float | None, spec: str, suffix: str = "") -> str:
    return "—" if value is None else f"{value:{spec}}{suffix}"


def _mb(n: int) -> str:
    return f"{n / 1e6:,.1f} MB"


def floor_line(plan: dict[str, Any]) -> str:
    line = f"Floor `/bench/floor/`: {plan['floor_rps']:.0f} req/s"
    if plan.get("bare_rps"):
        line += f"; bare Django view `/bench/bare/`: {plan['bare_rps']:.0f} req/s"
    if plan.get("floor_bare_share") is not None:
        line += f"; floor ÷ bare {plan['floor_bare_share']:.0%} (target ≥ {BARE_FLOOR_SHARE:.0%})"
    if plan.get("floor_inproc_ms"):
        line += f"; the floor in process {plan['floor_inproc_ms']:.2f} ms/request"
    return line + "."


def earlier_p95(path: Path | None, db: str) -> dict[tuple[str, str], float]:
    """p95 ms by (user, target key) from an earlier round's `report-<db>.json` in the folder given
    with --before (empty when there is none)."""
    if path is None or not (path / f"report-{db}.json").exists():
        return {}
    data = json.loads((path / f"report-{db}.json").read_text(encoding="utf-8"))
    return {
        (plan["username"], t["key"]): t["wrk"]["latency_us"]["p95"] / 1000
        for plan in data["users"]
        for t in plan["targets"]
        if t.get("wrk")
    }


def report_markdown(result: dict[str, Any], info: dict[str, Any], args: argparse.Namespace) -> str:
    gen = result.get("generation")
    before = earlier_p95(args.before, result["db"])
    before_head = " p95 before ms |" if before else ""
    lines = [
        f"# Benchmark: {result['db']}",
        "",
        f"Made by `python bench/run.py` on {time.strftime('%Y-%m-%d %H:%M %Z')}: gunicorn {WORKERS} sync workers "
        f"with `{result['settings']}`, wrk {args.connections} connections × {args.duration} s per URL "
        "(wrk runs on the same machine). Ratios compare figures of this one run.",
        "",
        "## Machine",
        "",
        f"- CPU: {info['cpu']} ({info['cores']} cores), RAM {info['ram']}",
        f"- OS: {info['os']}; Python {info['python']}, Django {info['django']}, gunicorn {info['gunicorn']}",
        f"- Database: {result['db_version']}; {info['wrk']}",
        f"- Load average (1 min) before / after: {info['load_before']:.1f} / {result['machine']['load_after']:.1f} "
        f"on {info['cores']} cores (other work on the machine skews every figure)",
        "",
        "## Data",
        "",
        f"- Generation: {gen['command']} in {gen['seconds']:.1f} s (wall clock, including loading the demo town)"
        + (f", {gen['cpu_percent']}% of one core" if gen and gen.get("cpu_percent") else "")
        if gen
        else "- Generation: none (existing data)",
        *([f"- {gen['summary']}"] if gen and gen.get("summary") else []),
        *([f"- Scale {result['scale']}, seed {result['seed']}"] if gen and gen["command"] == "generate_county" else []),
        f"- Database size: {_mb(result['db_bytes'])}",
        "",
        "## Targets",
        "",
        f"- p95 < {P95_TARGET_MS:.0f} ms at {args.connections} concurrent connections (every URL but the bare "
        "view and the floor)",
        f"- the floor ≥ {BARE_FLOOR_SHARE:.0%} of the bare Django view's throughput (`/bench/bare/`: no middleware)",
        f"- pages ≥ {PAGE_FLOOR_SHARE:.0%} and API list/detail ≥ {API_FLOOR_SHARE:.0%} of the floor's throughput",
        f"- aggregate pages: p50 within {RAW_SQL_FACTOR:.0f}× the raw SQL computing the same numbers",
        "",
    ]
    for plan in result["users"]:
        lines += [
            f"## {plan['username']} ({plan['roles']})",
            "",
            floor_line(plan),
            "",
            f"| URL | kind |{before_head} req/s | p50 ms | p95 ms | p99 ms | queries | "
            "in process ms: wall / CPU (× floor) | × floor | × bare | raw SQL ms | ÷ raw | missed |",
            "| --- | --- |"
            + (" ---: |" if before else "")
            + " ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for t in plan["targets"]:
            run = t.get("wrk")
            path = t["path"].split("api_key=")[0] + ("api_key=…" if "api_key=" in t["path"] else "")
            was = before.get((plan["username"], t["key"])) if before else None
            was_cell = (f" {was:,.0f} |" if was is not None else " — |") if before else ""
            inproc = t.get("inproc_ms")
            inproc_cell = (
                "—"
                if inproc is None
                else f"{inproc:.1f} / {_fmt(t.get('inproc_cpu_ms'), '.1f')} ({_fmt(t.get('inproc_ratio'), '.0f', '×')})"
            )
            if not run:
                lines.append(
                    f"| `{path}` | {t['kind']} |{was_cell} — | — | — | — | {t['queries']} | {inproc_cell} | — | — | — | — | "
                    f"{t['note'] or 'not run'} |"
                )
                continue
            lat = run["latency_us"]
            lines.append(
                f"| `{path}` | {t['kind']} |{was_cell} {run['rps']:.1f} | {lat['p50'] / 1000:.1f} | {lat['p95'] / 1000:.1f} | "
                f"{lat['p99'] / 1000:.1f} | {t['queries']} | {inproc_cell} | {_fmt(t['floor_share'], '.2f')} | "
                f"{_fmt(t.get('bare_share'), '.2f')} | "
                f"{_fmt(t['raw_ms'], '.1f')} | {_fmt(t['raw_ratio'], '.1f', '×')} | {'; '.join(t['missed']) or 'ok'} |"
            )
        lines.append("")
    lines += ["## Missed targets", ""]
    lines += [f"- {m}" for m in result["missed"]] or ["None."]
    lines += [
        "",
        "## How the figures are made",
        "",
        "- Each user signs in by a session created with Django's session store (`Cookie: sessionid=…`); the API "
        "uses a token from `/api/v1/auth/token/`. The idle timeout saves the session at most once a minute.",
        "- Bare: `/bench/bare/`, a view returning `ok` through Django's WSGI handler with no middleware "
        "(`bench/wsgi.py`, served by the same workers); the floor `/bench/floor/` is the same view behind the "
        "whole middleware stack and a signed-in user.",
        "- Queries per request: Django's test client with `CaptureQueriesContext`, same database, same user, "
        "second of two requests.",
        "- Raw SQL (`bench/aggregates.py`): hand-written SQL over the source tables with the driver itself "
        "(sqlite3 / psycopg), median of several runs after a warm-up; scoped to the user's role node.",
        "- In process: the median wall and CPU time of several requests, one at a time, through Django's test client "
        "in the probe (production settings, DEBUG off, same database and user; CPU includes SQLite's work, not "
        "PostgreSQL's), and the wall time's ratio to the floor's (on the demo town "
        f"a page must stay within {INPROC_FLOOR_FACTOR:.0f}×).",
        "- × floor: the URL's req/s ÷ the floor's req/s; × bare: ÷ the bare view's; ÷ raw: page p50 ÷ raw SQL median.",
        *(
            [f"- p95 before: the same user and URL in `{args.before}/report-{result['db']}.json` (an earlier round)."]
            if before
            else []
        ),
        "",
    ]
    return "\n".join(lines)


def write_index(out: Path) -> None:
    lines = ["# Benchmark reports", "", "Made by `python bench/run.py` (see `bench/README.md`).", ""]
    for path in sorted(out.glob("report-*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        gen = data.get("generation") or {}
        floors = [p["floor_rps"] for p in data["users"] if p.get("floor_rps")]
        bares = [p["bare_rps"] for p in data["users"] if p.get("bare_rps")]
        bare = f" (bare view {statistics.median(bares):.0f})" if bares else ""
        lines.append(
            f"- [{data['db']}]({path.with_suffix('.md').name}): {data['db_version']}, "
            f"{_mb(data['db_bytes'])}, {gen.get('command', 'existing data')}"
            f"{' (scale ' + str(data['scale']) + ')' if gen.get('command') == 'generate_county' else ''}; "
            f"floor {statistics.median(floors) if floors else 0:.0f} req/s{bare}; "
            f"{len(data['missed'])} missed targets"
        )
    lines.append("")
    (out / "README.md").write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="bench/run.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="sqlite")
    parser.add_argument("--scale", type=float, default=1.0, help="generate_county --scale (with --generate)")
    parser.add_argument("--seed", type=int, default=2026, help="generate_county --seed (with --generate)")
    parser.add_argument(
        "--generate", action="store_true", help="empty the bench database and run generate_county (timed)"
    )
    parser.add_argument("--demo", action="store_true", help="empty the bench database and load the demo town")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per URL (default 10)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections (default 16)")
    parser.add_argument("--raw-runs", type=int, default=5, help="timed runs of each raw SQL (median)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "bench", help="report folder")
    parser.add_argument(
        "--only",
        type=lambda text: {key.strip() for key in text.split(",") if key.strip()},
        default=set(),
        help="run wrk on these target keys only (comma-separated, e.g. ledger_vouchers,ledger_trial); "
        "the bare view and the floor always run. Write elsewhere with --out.",
    )
    parser.add_argument(
        "--timed-runs", type=int, default=5, help="requests timed in process per URL before wrk (median; 0: none)"
    )
    parser.add_argument(
        "--sqlite-file",
        type=Path,
        default=VAR / "bench.sqlite3",
        help="the SQLite bench database (default var/bench/bench.sqlite3; e.g. a second file for the demo town)",
    )
    parser.add_argument(
        "--before",
        type=Path,
        default=None,
        help="a folder holding an earlier round's report-<db>.json: each table gains its p95 column",
    )
    args = parser.parse_args()

    wrk = ensure_wrk()
    dbs: list[Database] = []
    if args.db in ("sqlite", "both"):
        dbs.append(prepare_sqlite(args.sqlite_file))
    if args.db in ("postgres", "both"):
        dbs.append(prepare_postgres())
    info = machine(dbs)
    say(f"{info['cpu']} · {info['cores']} cores · {info['ram']} · Python {info['python']} · Django {info['django']}")
    args.out.mkdir(parents=True, exist_ok=True)
    demo = args.demo
    for db in dbs:
        args.demo = demo
        result = bench_database(db, args, wrk)
        result["machine"] = dict(info, load_after=os.getloadavg()[0])
        stem = args.out / f"report-{db.name}"
        stem.with_suffix(".json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
        stem.with_suffix(".md").write_text(report_markdown(result, info, args), encoding="utf-8")
        say(f"  wrote {stem}.md and .json: {len(result['missed'])} missed targets")
    write_index(args.out)
    say(f"index: {args.out / 'README.md'}")


if __name__ == "__main__":
    main()
