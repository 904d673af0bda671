"""The county generator's books: a ledger per generated village (the 2023 chart, opening balances,
a year of vouchers from `ledger_plan`, a few thousand at scale 1), written in bulk.

Every value the ledger's services would compute is computed here: voucher numbers gapless per
books and year in date order (and the counters that hold the last one), the months up to last
month closed with the digest `ledger.integrity.period_digest` would take of their lines, the
year-end close of a December passed. Lines are written before their vouchers, which are written
posted: on PostgreSQL the triggers refuse a line added to a posted voucher, and the deferred
foreign keys and balance checks are met at commit. The kept balances are rebuilt afterwards by
`common.rollups.rebuild_all` (`ledger.rollups.rebuild_balances`), as for every rollup."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hongniudai.ledger.charts import CK_2023, load_chart
from hongniudai.ledger.models import (
    Account,
    Books,
    OrgKind,
    Period,
    PeriodStatus,
    Voucher,
    VoucherCounter,
    VoucherLine,
    VoucherStatus,
)
from hongniudai.ledger.rollups import rebuild_balances
from hongniudai.places.models import AreaKind, AreaNode

from . import ledger_plan as plan
from .county_write import Ids, Table

# Occasional vouchers a month per village at scale 1: with the recurring ones, about 2,100 a year.
EXTRA_PER_MONTH = 170
EMPTY = hashlib.sha256().hexdigest()  # the digest of a month without lines


@dataclass(frozen=True)
class Posting:
    """A voucher another stage plans into a books (the collective economy's rents, wages, dividends):
    its id taken in advance, so the business event that records it can name it, and its source
    ("app_label.model:pk", as `post_entry` names it)."""

    voucher: plan.PlannedVoucher
    id: int
    source: str = ""


@dataclass
class Extra:
    """What another stage adds to a books as it is written: sub-accounts (code, parent code, name),
    vouchers, and `opened(books id, {code: account id})`, told the ids once they are known."""

    subs: list[tuple[str, str, str]] = field(default_factory=list)
    postings: list[Posting] = field(default_factory=list)
    opened: Callable[[int, dict[str, int]], None] | None = None


class LedgerWriter:
    """Books for villages, one after another; `flush` after each village writes its rows."""

    def __init__(self, ids: Ids, *, today: dt.date, now: dt.datetime, scale: float) -> None:
        self.ids = ids
        self.today = today
        self.now = now
        self.extra = max(1, round(EXTRA_PER_MONTH * scale))
        self.chart = load_chart(CK_2023).accounts
        self.books = Table(Books, ["id", "village", "area_path", "name", "kind", "standard", "opened_on", "created_at"])
        self.accounts = Table(
            Account,
            ["id", "books", "code", "name", "category", "normal_balance", "parent", "is_postable", "standard",
             "is_active"],
        )  # fmt: skip
        self.periods = Table(Period, ["books", "year", "month", "status", "closed_at", "digest"])
        self.counters = Table(VoucherCounter, ["books", "year", "last_number"])
        self.vouchers = Table(
            Voucher,
            ["id", "books", "date", "year", "number", "status", "summary", "posted_at", "idempotency_key",
             "source", "created_at"],
        )  # fmt: skip
        self.lines = Table(VoucherLine, ["id", "voucher", "account", "summary", "debit_fen", "credit_fen"])

    def village(self, rng: random.Random, village_id: int, path: str, name: str, extra: Extra | None = None) -> int:
        """The village collective's books with a year of `ledger_plan` vouchers (and `extra`); its id."""
        start, vouchers = plan.village_year(rng, self.today, extra=self.extra)
        return self.write_books(
            village_id, path, f"{name}股份经济合作社", OrgKind.SHAREHOLDING, start, vouchers, extra or Extra()
        )

    def write_books(
        self,
        village_id: int,
        path: str,
        name: str,
        kind: str,
        start: dt.date,
        vouchers: list[plan.PlannedVoucher],
        extra: Extra,
    ) -> int:
        """One books opened on `start`: the chart and `extra`'s sub-accounts, the vouchers numbered in
        date order, the months before this one closed with their digests. Returns the books' id."""
        books_id = self.ids.take(Books)
        self.books.add((books_id, village_id, path, name, kind, CK_2023, start, self.now))
        account_ids = self._accounts(books_id, extra.subs)
        if extra.opened is not None:
            extra.opened(books_id, account_ids)
        postings = [Posting(v, self.ids.take(Voucher)) for v in vouchers] + extra.postings
        digests = self._vouchers(books_id, account_ids, sorted(postings, key=lambda p: p.voucher.date))
        for year, month in plan.months(start, self.today):
            if (year, month) < (self.today.year, self.today.month):
                digest = digests.get((year, month), EMPTY)
                self.periods.add((books_id, year, month, PeriodStatus.CLOSED, self.now, digest))
            else:
                self.periods.add((books_id, year, month, PeriodStatus.OPEN, None, ""))
        return books_id

    def _accounts(self, books_id: int, subs: list[tuple[str, str, str]]) -> dict[str, int]:
        """The chart's accounts and the sub-accounts (明细科目) `add_sub_account` would open: each takes
        its parent's category and balance side, and the parent stops taking postings."""
        first = self.ids.take(Account, len(self.chart) + len(subs))
        account_ids = {spec.code: first + i for i, spec in enumerate(self.chart)}
        specs = {spec.code: spec for spec in self.chart}
        parents = {parent for _code, parent, _name in subs}
        for spec in self.chart:
            parent = account_ids[spec.parent_code] if spec.parent_code else None
            self.accounts.add(
                (account_ids[spec.code], books_id, spec.code, spec.name, spec.category, spec.normal_balance, parent,
                 spec.is_postable and spec.code not in parents, CK_2023, True)
            )  # fmt: skip
        for i, (code, parent_code, name) in enumerate(subs, start=first + len(self.chart)):
            spec = specs[parent_code]
            account_ids[code] = i
            self.accounts.add(
                (i, books_id, code, name, spec.category, spec.normal_balance, account_ids[parent_code], True, "", True)
            )
        return account_ids

    def _vouchers(
        self, books_id: int, account_ids: dict[str, int], postings: list[Posting]
    ) -> dict[tuple[int, int], str]:
        """Number and write the vouchers (in date order) and their lines; returns each month's digest
        as `period_digest` computes it (lines in number and id order)."""
        numbers: dict[int, int] = defaultdict(int)
        digests: dict[tuple[int, int], Any] = defaultdict(hashlib.sha256)
        line_id = self.ids.take(VoucherLine, sum(len(p.voucher.lines) for p in postings))
        for posting in postings:
            voucher = posting.voucher
            date = voucher.date
            numbers[date.year] += 1
            number = numbers[date.year]
            self.vouchers.add(
                (posting.id, books_id, date, date.year, number, VoucherStatus.POSTED, voucher.summary, self.now,
                 voucher.key, posting.source, self.now)
            )  # fmt: skip
            digest = digests[(date.year, date.month)]
            for line in voucher.lines:
                self.lines.add(
                    (line_id, posting.id, account_ids[line.code], line.summary, line.debit_fen, line.credit_fen)
                )
                row = (number, date, line.code, line.debit_fen, line.credit_fen, line.summary)
                digest.update(("|".join(str(v) for v in row) + "\n").encode())
                line_id += 1
        for year, last in numbers.items():
            self.counters.add((books_id, year, last))
        return {month: digest.hexdigest() for month, digest in digests.items()}

    def flush(self) -> int:
        """Write what is waiting, lines before their vouchers; the rows written."""
        tables = (self.books, self.accounts, self.periods, self.counters, self.lines, self.vouchers)
        return sum(table.flush() for table in tables)

    @property
    def written(self) -> dict[str, int]:
        return {"books": self.books.written, "vouchers": self.vouchers.written, "voucher_lines": self.lines.written}


def add_missing_books(towns: list[AreaNode], *, scale: float, seed: int, now: dt.datetime) -> int:
    """Books for the villages of `towns` that have none (a county generated before the ledger
    existed), then the balances rebuilt; returns how many books were written."""
    ids = Ids()
    writer = LedgerWriter(ids, today=now.date(), now=now, scale=scale)
    for town in towns:
        villages = AreaNode.objects.filter(kind=AreaKind.VILLAGE, path__startswith=town.path).exclude(
            books__kind=OrgKind.SHAREHOLDING  # a cooperative's books are not the village collective's
        )
        for pk, code, path, name in villages.order_by("path").values_list("pk", "code", "path", "name"):
            writer.village(random.Random(f"{seed}:books:{code}"), pk, path, name)  # ids differ run to run
            writer.flush()
    ids.reset_sequences()
    if writer.books.written:
        rebuild_balances()
    return writer.books.written
