"""`.ci/run`: a red SQLite run does not hide the PostgreSQL run; the summary names both."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# `make test` stand-in: records each run and fails when told to for that database.
FAKE_MAKE = """#!/usr/bin/env bash
db=${DATABASE_URL:+postgres}; db=${db:-sqlite}
echo "$db" >> "$RUNS"
[[ " $FAIL " != *" $db "* ]]
"""


def _stub(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text(body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


@pytest.fixture
def ci(tmp_path: Path):
    (tmp_path / ".ci").mkdir()
    shutil.copy(ROOT / ".ci" / "run", tmp_path / ".ci" / "run")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _stub(bin_dir, "make", FAKE_MAKE)
    for tool in ("pg_ctlcluster", "pg_createcluster", "pg_isready", "su", "redis-cli"):
        _stub(bin_dir, tool, "#!/usr/bin/env bash\nexit 0\n")
    _stub(bin_dir, "pg_lsclusters", "#!/usr/bin/env bash\necho '16 main'\n")
    runs = tmp_path / "runs"

    def run(fail: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
        env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "RUNS": str(runs), "FAIL": fail}
        env.pop("DATABASE_URL", None)
        done = subprocess.run(
            ["bash", str(tmp_path / ".ci" / "run")], env=env, capture_output=True, text=True, timeout=60
        )
        return done, runs.read_text().split() if runs.exists() else []

    return run


def test_a_red_sqlite_run_still_runs_postgresql(ci):
    done, runs = ci(fail="sqlite")
    assert runs == ["sqlite", "postgres"]
    assert done.returncode != 0
    assert "SQLite:     failed" in done.stdout
    assert "PostgreSQL: passed" in done.stdout


def test_a_red_postgresql_run_fails_the_whole(ci):
    done, runs = ci(fail="postgres")
    assert runs == ["sqlite", "postgres"]
    assert done.returncode != 0
    assert "SQLite:     passed" in done.stdout
    assert "PostgreSQL: failed" in done.stdout


def test_both_green_exits_zero(ci):
    done, runs = ci(fail="")
    assert runs == ["sqlite", "postgres"]
    assert done.returncode == 0, done.stdout + done.stderr
