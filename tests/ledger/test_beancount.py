"""The Beancount export of a year of books passes beancount's own checks (what `bean-check` runs)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from beancount import loader

from hongniudai.ledger import services
from hongniudai.ledger.beancount import export_beancount
from tests.ledger.chart import pair


def test_the_export_passes_bean_check(books, ledger_users, tmp_path):
    accountant = ledger_users["accountant"]
    post = services.post_entry
    rent = post(
        actor=accountant,
        books=books,
        date=dt.date(2026, 2, 1),
        summary='收取"高粱酒坊"租金',
        lines=pair(books, "102", "501", "100000"),
        idempotency_key="",
    )
    post(
        actor=accountant,
        books=books,
        date=dt.date(2026, 3, 1),
        summary="办公费",
        lines=pair(books, "550", "101", "12.30"),
        idempotency_key="",
    )
    services.reverse_voucher(actor=accountant, voucher=rent, date=dt.date(2026, 3, 2))
    post(
        actor=accountant,
        books=books,
        date=dt.date(2026, 3, 3),
        summary="补记租金",
        lines=pair(books, "102", "501", "90000"),
        idempotency_key="",
    )
    services.year_end_close(actor=accountant, books=books, year=2026)
    text = export_beancount(books)
    entries, errors, _options = loader.load_string(text)
    assert errors == []
    assert "Assets:C102" in text and "Income:C501" in text and "Expenses:C550" in text and "Equity:C32202" in text
    assert '\\"高粱酒坊\\"' in text
    assert sum(1 for e in entries if type(e).__name__ == "Transaction") == 6
    path = tmp_path / "books.beancount"
    path.write_text(text, encoding="utf-8")
    check = subprocess.run([Path(sys.executable).parent / "bean-check", path], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
