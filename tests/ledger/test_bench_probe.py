"""The bench's books pages (bench/probe.py): the voucher list, trial balance and balance sheet of
the user's first books, and nothing for a user who sees no books."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from hongniudai.ledger.models import Books

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _probe() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_probe", BENCH / "probe.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_probe"] = module
    spec.loader.exec_module(module)
    return module


def test_books_pages_for_those_who_see_books(town: Any, books: Books) -> None:
    probe = _probe()
    assert probe.ledger_targets(town.users["gridworker"]) == []
    for username in ("admin", "xuqiao"):
        targets = probe.ledger_targets(town.users[username])
        assert {t.key for t in targets} <= {"ledger_vouchers", "ledger_trial", "ledger_sheet"}
        assert all(str(books.pk) in t.path and t.kind == "page" for t in targets)
