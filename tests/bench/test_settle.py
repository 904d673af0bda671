"""The benchmark waits for gunicorn's workers to finish loading the application before it times
pages in process (`bench.run.settle`): a worker still loading would share the cores."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from bench import run


def test_settle_waits_while_a_child_burns_cpu_and_not_after():
    burn = subprocess.Popen([sys.executable, "-c", "import time\nt = time.time()\nwhile time.time() - t < 1.5: pass"])
    try:
        started = time.monotonic()
        run.settle(os.getpid(), limit=10)
        waited = time.monotonic() - started
    finally:
        burn.wait()
    assert waited >= 1.0, waited
    started = time.monotonic()
    run.settle(os.getpid(), limit=10)
    assert time.monotonic() - started < 1.5
