"""The bench's books pages (bench/probe.py): the voucher list, trial balance and balance sheet of
the user's first books, and nothing for a user who sees no books."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from hongniudai.accounts.models import Role
from hongniudai.ledger.models import Books
from tests import factories as f

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


def test_the_economy_s_lists_for_those_who_read_the_economy(town: Any) -> None:
    probe = _probe()
    assert probe.economy_targets(town.users["zhangshengfu"]) != []  # a centre household reads it
    adviser = f.user("adviser", Role.LEGAL_ADVISER, area=town.xuqiao.area)
    assert probe.economy_targets(adviser) == []  # who may not read the economy is not timed on it
    targets = probe.economy_targets(town.users["xuqiao"])
    assert len(targets) == len(probe.ECONOMY_PAGES)
    secretary = town.client_for("xuqiao")
    assert all(secretary.get(t.path).status_code == 200 for t in targets)
