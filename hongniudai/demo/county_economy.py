"""The county generator's collective economy (issue 16): for each generated village its collective
economic organisation on the village's books, the member households and the share register, a few
dozen contracted parcels with transfer contracts and their rent, in some villages a cooperative (its
own books, plantings, work days and wages, a purchase contract), last year's distribution with the
members' dividends, and a few returnees with their businesses. Written in bulk (`county_write`).

Every value the economy's services would keep is computed here. The money they post becomes
vouchers planned into the organisation's books (`county_ledger.Extra`), numbered in date order with
the ledger plan's own vouchers, with the idempotency keys and sources (`Voucher.source`) the services
give them and the households' sub-accounts (`HouseholdAccount`, 113 内部往来 / 213 应付劳务费) that
`collective.interface.household_account` opens: rent accrued (Dr 511 / Cr 113-household) and paid
(Dr 113-household / Cr 102), work accrued (Dr 401 / Cr 213-household) and paid (Dr 213-household /
Cr 102), the distribution (Dr 322010x / Cr 311 and 113-household) and its payouts (Dr 113-household
/ Cr 102). All of it is dated this year, after the last year-end close, so the close stays true;
the kept balances are rebuilt with every other rollup at the end of the generation."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any, Protocol

from django.db import models

from hongniudai.collective.interface import INTERNAL, LABOUR_PAYABLE
from hongniudai.collective.models import (
    ContributionKind,
    Decision,
    DecisionStep,
    DecisionSubject,
    EconomicOrg,
    HouseholdAccount,
    Membership,
    OrgKind,
    ShareEntry,
    ShareKind,
    StepKind,
)
from hongniudai.distribution.models import DistributionPlan, Dividend, ItemKind, Payout, PlanItem, PlanStatus
from hongniudai.distribution.split import split_amount
from hongniudai.land.models import (
    ContractParcel,
    ContractStatus,
    InstalmentStatus,
    LandKind,
    Parcel,
    PaymentCycle,
    PaymentKind,
    RentInstalment,
    RentPayment,
    TransferContract,
    TransferKind,
)
from hongniudai.land.schedule import due_date, instalment_amount, periods, split_exact
from hongniudai.ledger.models import OrgKind as BooksKind
from hongniudai.ledger.models import Voucher
from hongniudai.production.models import (
    PaidFrom,
    Planting,
    PriceUnit,
    PurchaseContract,
    ScheduleLine,
    WagePayment,
    WorkRecord,
)
from hongniudai.production.services.checks import figure
from hongniudai.returnees.models import Business, BusinessKind, BusinessStatus, Returnee, WageRecord
from hongniudai.returnees.models import Employment as ReturneeJob

from .county_ledger import Extra, LedgerWriter, Posting
from .county_write import Ids, Table
from .ledger_plan import PlannedLine, PlannedVoucher

CENT = Decimal("0.01")
BANK, COST, EXPENSE, CAPITAL, RESERVE = "102", "401", "511", "301", "311"
TO_RESERVE, TO_MEMBERS = "3220101", "3220102"

# Sizes per village at scale 1 (the smallest county keeps a few of each).
PARCELS = 36
CONTRACTS = (1, 3)
MEMBER_SHARE = 0.92  # of households
COOPERATIVE_SHARE = 0.35  # of villages, and the first village of every town
WORKERS = (6, 14)
RETURNEES = (2, 6)
CROPS = (
    ("水稻", "中稻", 500, 650), ("油菜", "秋冬", 150, 200), ("小龙虾", "春夏", 100, 150),
    ("莲藕", "春夏", 1_500, 2_000), ("茶叶", "春季", 80, 120), ("蔬菜", "四季", 2_000, 3_000),
)  # fmt: skip  # (crop, season, kg a mu low, high)
PARCEL_NAMES = ("门前田", "大丘", "塘下", "冲田", "畈上", "岭上地", "河边田", "垴上", "屋后园", "长丘")
TASKS = ("育秧", "插秧", "田间管理", "施肥打药", "收割", "晾晒", "挖藕", "采茶", "分拣装车")
CAME_FROM = ("广东深圳", "广东东莞", "浙江义乌", "上海", "江苏苏州", "湖北武汉", "福建厦门", "北京")
PREVIOUS_WORK = ("电子厂技术员", "建筑工地施工员", "物流公司司机", "餐饮店厨师", "服装厂车间主任", "电商运营")
BUSINESSES = (
    (BusinessKind.PLANTING, "葡萄种植园", "葡萄 %d 亩"), (BusinessKind.BREEDING, "生猪养殖场", "存栏生猪 %d 头"),
    (BusinessKind.BREEDING, "稻虾共养基地", "虾稻田 %d 亩"), (BusinessKind.PROCESSING, "农产品加工坊", "年加工 %d 吨"),
    (BusinessKind.ECOMMERCE, "农特产品网店", "年销售 %d 单"), (BusinessKind.RURAL_TOURISM, "农家乐", "餐位 %d 个"),
)  # fmt: skip
STEP_DAYS = (0, 3, 7, 10, 12, 60)  # each step's day after the proposal


# What each table of the economy is written with (`county_write.Table`), in the rows' order.
# fmt: off
COLUMNS: dict[str, tuple[type[models.Model], tuple[str, ...]]] = {
    "decisions": (Decision, ("id", "village", "area_path", "subject", "title", "content", "created_at")),
    "steps": (DecisionStep, ("decision", "kind", "held_on", "attended", "agreed", "note", "recorded_at")),
    "orgs": (EconomicOrg, (
        "id", "village", "area_path", "name", "kind", "founded_by", "decision", "books", "credit_code", "founded_on",
        "business", "is_active", "created_at",
    )),
    "accounts": (HouseholdAccount, ("books", "household", "parent_code", "account")),
    "members": (Membership, ("org", "household", "confirmed_on", "decision", "note")),
    "shares": (ShareEntry, (
        "org", "household", "kind", "contribution", "shares", "amount", "effective_on", "reason", "decision",
        "recorded_at",
    )),
    "parcels": (Parcel, (
        "id", "household", "village", "area_path", "name", "location", "registered_area", "measured_area", "kind",
        "grade", "polygon", "warrant_number", "created_at",
    )),
    "contracts": (TransferContract, (
        "id", "village", "area_path", "number", "kind", "org", "decision", "starts_on", "ends_on", "rent_per_mu",
        "cycle", "due_month", "due_day", "signed_on", "document", "document_name", "status", "note", "created_at",
        "enterprise",
    )),
    "contract_parcels": (ContractParcel, ("contract", "parcel", "area")),
    "instalments": (RentInstalment, (
        "id", "contract", "household", "period_start", "period_end", "due_on", "area", "amount", "status", "voucher",
    )),
    "payments": (RentPayment, (
        "id", "contract", "kind", "household", "instalment", "paid_on", "amount", "voucher", "note", "recorded_at",
    )),
    "plantings": (Planting, (
        "id", "org", "area_path", "crop", "year", "season", "area_mu", "land", "adviser", "started_on", "note",
        "recorded_at",
    )),
    "work": (WorkRecord, (
        "id", "org", "area_path", "planting", "worker", "household", "worked_on", "worked_until", "days",
        "daily_rate", "amount", "task", "voucher", "recorded_at",
    )),
    "wages": (WagePayment, (
        "id", "org", "area_path", "worker", "household", "amount", "paid_on", "paid_from", "voucher", "recorded_at",
    )),
    "purchases": (PurchaseContract, (
        "id", "org", "area_path", "buyer", "number", "crop", "quantity_kg", "price", "price_unit", "signed_on",
        "note", "recorded_at",
    )),
    "schedule": (ScheduleLine, ("contract", "due_on", "quantity_kg")),
    "plans": (DistributionPlan, (
        "id", "org", "area_path", "year", "surplus", "record_date", "decision", "note", "status", "voucher",
        "approved_on", "created_at",
    )),
    "items": (PlanItem, ("plan", "kind", "amount", "percentage", "note")),
    "dividends": (Dividend, ("id", "plan", "household", "shares", "amount")),
    "payouts": (Payout, ("id", "dividend", "amount", "paid_on", "voucher", "recorded_at")),
    "returnees": (Returnee, (
        "id", "resident", "village", "area_path", "returned_on", "came_from", "previous_work", "skills", "note",
        "created_at",
    )),
    "businesses": (Business, (
        "id", "founder", "name", "kind", "village", "area_path", "started_on", "investment", "scale", "status",
        "note", "created_at",
    )),
    "jobs": (ReturneeJob, (
        "id", "business", "resident", "household", "area_path", "started_on", "job", "note", "created_at",
    )),
    "job_wages": (WageRecord, ("employment", "year", "amount", "note", "recorded_at")),
}
# fmt: on


class VillageInfo(Protocol):
    """What the economy reads of a generated village (`county.VillageInfo`)."""

    id: int
    path: str
    name: str
    code: str
    grids: list[Any]  # `county.GridInfo`, each with its hamlets and their homes
    enterprises: list[tuple[int, str]]  # (id, name)


@dataclass(frozen=True)
class Lease:
    """A transfer contract as its rent needs it."""

    pk: int
    number: str
    ends: dt.date
    rent: Decimal  # a mu a year
    due_month: int
    enterprise: tuple[int, str] | None  # (id, name) of the enterprise the collective acts for


@dataclass(frozen=True)
class Home:
    """A generated household, as the economy uses it."""

    id: int
    head: int  # the head's resident id
    head_name: str
    number: str
    people: int
    hamlet_path: str
    hamlet_name: str

    @property
    def account_name(self) -> str:
        """`collective.ledger_accounts.household_account_name`."""
        return f"{self.head_name}({self.number})" if self.number else self.head_name


def fen(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def yuan(rng: random.Random, low: int, high: int, step: int = 100) -> Decimal:
    """A whole amount between `low` and `high` yuan, in steps of `step` yuan."""
    return Decimal(rng.randrange(low // step, high // step + 1) * step)


@dataclass
class BooksPlan:
    """What the economy posts into one organisation's books: the households' sub-accounts, opened
    once each in order of first use, and the vouchers (`Extra`)."""

    ids: Ids
    extra: Extra = field(default_factory=Extra)
    codes: dict[tuple[str, int], str] = field(default_factory=dict)
    opened: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # sub-accounts per parent
    holders: list[tuple[int, str, str]] = field(default_factory=list)  # (household, parent code, code)

    def sub(self, parent_code: str, home: Home) -> str:
        code = self.codes.get((parent_code, home.id))
        if code is None:
            self.opened[parent_code] += 1
            code = f"{parent_code}{self.opened[parent_code]:04d}"
            self.codes[(parent_code, home.id)] = code
            self.extra.subs.append((code, parent_code, home.account_name))
            self.holders.append((home.id, parent_code, code))
        return code

    def post(self, date: dt.date, summary: str, lines: list[PlannedLine], key: str, source: str) -> int:
        """A voucher of `lines` on `date`; its id (taken now)."""
        voucher_id = self.ids.take(Voucher)
        voucher = PlannedVoucher(date, summary[:200], tuple(lines), key)
        self.extra.postings.append(Posting(voucher, voucher_id, source))
        return voucher_id

    def pair(self, date: dt.date, summary: str, debit: str, credit: str, amount: Decimal, **kw: str) -> int:
        """A two-line voucher of `amount` from `credit` to `debit` (line summaries `kw`, else `summary`)."""
        lines = [
            PlannedLine(debit, fen(amount), 0, kw.get("debit_summary", summary[:200])),
            PlannedLine(credit, 0, fen(amount), kw.get("credit_summary", summary[:200])),
        ]
        return self.post(date, summary, lines, kw["key"], kw["source"])


class EconomyWriter:
    """The collective economy of villages, one after another: `village` plans a village (and writes a
    cooperative's books through the ledger writer); `flush` after the village's books writes its rows."""

    def __init__(self, ids: Ids, *, today: dt.date, now: dt.datetime, scale: float) -> None:
        self.ids = ids
        self.today = today
        self.now = now
        self.start = dt.date(today.year, 1, 1)  # after the last year-end close
        self.parcels = max(6, round(PARCELS * scale))
        self.enterprises: list[tuple[int, str]] = []  # the town's: a buyer, a transferee where the village has none
        self.homes_by_id: dict[int, Home] = {}
        self.t = self._tables()

    @staticmethod
    def _tables() -> dict[str, Table]:
        return {key: Table(model, list(columns)) for key, (model, columns) in COLUMNS.items()}

    # -- dates

    def day(self, fraction: float) -> dt.date:
        """The day `fraction` of the way from the start of the year to today."""
        return self.start + dt.timedelta(days=int((self.today - self.start).days * fraction))

    def upto_today(self, day: dt.date) -> dt.date:
        return min(max(day, self.start), self.today)

    # -- a village

    def village(self, rng: random.Random, village: VillageInfo, ledgers: LedgerWriter) -> Extra:
        """Plan the economy of `village`; the cooperative's books are written
        through `ledgers` now, the collective's come back as the `Extra` of the village's books."""
        homes = [
            Home(hid, head, name, number, people, hamlet.path, hamlet.name)
            for grid in village.grids
            for hamlet in grid.hamlets
            for hid, head, name, number, people in hamlet.homes
        ]
        self.homes_by_id = {home.id: home for home in homes}
        books = BooksPlan(self.ids)
        org = self.ids.take(EconomicOrg)
        founded = dt.date(self.today.year - rng.randint(3, 6), rng.choice((6, 9, 12)), rng.randint(1, 28))
        holdings = self._members(rng, village, org, homes, founded)
        cooperative = None
        if village.code.endswith("001") or rng.random() < COOPERATIVE_SHARE:  # the first of each town: always
            cooperative = self._cooperative(rng, village, org, homes, ledgers)
        self._land(rng, village, org, books, homes)
        self._distribution(rng, village, org, books, holdings)
        self._returnees(rng, village, homes)
        name = f"{village.name}股份经济合作社"

        def opened(books_id: int, account_ids: dict[str, int]) -> None:
            self.t["orgs"].add(
                (org, village.id, village.path, name, OrgKind.SHAREHOLDING_COLLECTIVE, None, None, books_id, "",
                 founded, "资源发包、物业出租、土地流转服务", True, self.now)
            )  # fmt: skip
            self._household_accounts(books, books_id, account_ids)
            if cooperative is not None:  # its books after the collective's (the village's first books)
                cooperative()

        books.extra.opened = opened
        return books.extra

    def _household_accounts(self, books: BooksPlan, books_id: int, account_ids: dict[str, int]) -> None:
        for household, parent_code, code in books.holders:
            self.t["accounts"].add((books_id, household, parent_code, account_ids[code]))

    def _decision(self, rng: random.Random, village: VillageInfo, subject: str, title: str, resolved: dt.date) -> int:
        """A decision taken through the six steps of 四议两公开, resolved (村民代表会议) on `resolved`."""
        pk = self.ids.take(Decision)
        self.t["decisions"].add((pk, village.id, village.path, subject, title[:200], "", self.now))
        proposed = resolved - dt.timedelta(days=STEP_DAYS[3])
        attended = rng.randint(25, 45)
        for kind, days in zip(StepKind.values, STEP_DAYS, strict=True):
            held = min(proposed + dt.timedelta(days=days), self.today)
            counted = kind in (StepKind.REVIEW, StepKind.RESOLVE)
            agreed = attended - rng.randint(0, 3) if counted else None
            self.t["steps"].add((pk, kind, held, attended if counted else None, agreed, "", self.now))
        return pk

    # -- members and shares

    def _members(
        self, rng: random.Random, village: VillageInfo, org: int, homes: list[Home], founded: dt.date
    ) -> list[tuple[int | None, Decimal]]:
        """Most households confirmed as members when the organisation was founded, a share a person
        (人口股, 折股量化) and the collective share (30 %); returns the holdings, as
        `distribution.selectors.holdings` reads them (households by id, the collective share last)."""
        decision = self._decision(rng, village, DecisionSubject.OTHER, "集体经济组织成员身份确认", founded)
        held: list[tuple[int | None, Decimal]] = []
        for home in homes:
            if rng.random() >= MEMBER_SHARE:
                continue
            shares = Decimal(home.people)
            self.t["members"].add((org, home.id, founded, decision, ""))
            self.t["shares"].add(
                (org, home.id, ShareKind.MEMBER, ContributionKind.ALLOTTED, shares, Decimal(0), founded,
                 "成员股折股量化", decision, self.now)
            )  # fmt: skip
            held.append((home.id, shares))
        collective = (sum((s for _h, s in held), Decimal(0)) * 3 / 7).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        if collective > 0:
            self.t["shares"].add(
                (org, None, ShareKind.COLLECTIVE, ContributionKind.ALLOTTED, collective, Decimal(0), founded,
                 "集体股折股量化", decision, self.now)
            )  # fmt: skip
            held.append((None, collective))
        return sorted(held, key=lambda row: (row[0] is None, row[0] or 0))

    # -- land

    def _parcels(self, rng: random.Random, village: VillageInfo, homes: list[Home]) -> list[tuple[int, Home, Decimal]]:
        """A few dozen contracted parcels of the village's households: (id, household, area)."""
        out = []
        for i, home in enumerate(rng.sample(homes, min(len(homes), self.parcels)), start=1):
            pk = self.ids.take(Parcel)
            registered = Decimal(rng.randint(60, 450)) / 100
            measured = (registered * Decimal(rng.randint(95, 108)) / 100).quantize(CENT) if rng.random() < 0.6 else None
            kind = LandKind.POND if rng.random() < 0.08 else LandKind.ARABLE
            self.t["parcels"].add(
                (pk, home.id, village.id, village.path, rng.choice(PARCEL_NAMES), home.hamlet_name,
                 registered, measured, kind, rng.randint(1, 5), "", f"{village.code}J{i:05d}", self.now)
            )  # fmt: skip
            out.append((pk, home, measured if measured is not None else registered))
        return out

    def _land(self, rng: random.Random, village: VillageInfo, org: int, books: BooksPlan, homes: list[Home]) -> None:
        """Transfer contracts of the parcels to the collective (which farms them out, or acts for an
        enterprise that takes the land), their yearly rent laid out per household
        (`land.rent.lay_out_schedule`), this year's due rent mostly paid."""
        parcels = self._parcels(rng, village, homes)
        n = rng.randint(*CONTRACTS)
        enterprises = village.enterprises or self.enterprises
        for c in range(n):
            taken = parcels[c::n]
            if not taken:
                continue
            signed = self.start - dt.timedelta(days=rng.randint(10, 40))
            decision = self._decision(rng, village, DecisionSubject.LAND_TRANSFER, "土地经营权流转", signed)
            enterprise = enterprises[0] if c == 1 and enterprises else None
            years = rng.choice((3, 5, 10))
            lease = Lease(
                self.ids.take(TransferContract), f"{village.code}-LZ{self.start.year}-{c + 1:02d}",
                dt.date(self.start.year + years, 1, 1) - dt.timedelta(days=1), yuan(rng, 300, 800, 50),
                rng.randint(3, 10), enterprise,
            )  # fmt: skip
            self.t["contracts"].add(
                (lease.pk, village.id, village.path, lease.number, TransferKind.LEASE, org, decision, self.start,
                 lease.ends, lease.rent, PaymentCycle.YEARLY, lease.due_month, 1, signed, "", "",
                 ContractStatus.ACTIVE, "", self.now, enterprise[0] if enterprise else None)
            )  # fmt: skip
            areas: dict[Home, Decimal] = defaultdict(Decimal)
            for parcel, home, area in taken:
                self.t["contract_parcels"].add((lease.pk, parcel, area))
                areas[home] += area
            self._instalments(rng, lease, books, sorted(areas.items(), key=lambda kv: kv[0].id))

    def _instalments(
        self, rng: random.Random, lease: Lease, books: BooksPlan, areas: list[tuple[Home, Decimal]]
    ) -> None:
        """Each period's instalments; where the period is due, most paid: accrued and paid to the
        household, or (an enterprise's contract) received from the enterprise for every household at
        once (`receive_rent`) and then paid to most of them (`pay_instalment`, nothing to accrue)."""
        for period in periods(self.start, lease.ends, PaymentCycle.YEARLY):
            due = due_date(period, cycle=PaymentCycle.YEARLY, month=lease.due_month, day=1)
            rows = [(home, area, instalment_amount(area, lease.rent, period.share)) for home, area in areas]
            received = due <= self.today and rng.random() < 0.8
            if lease.enterprise is not None and received:
                self._rent_received(books, lease, due, areas, sum((amount for _h, _a, amount in rows), Decimal(0)))
            for home, area, amount in rows:
                if amount <= 0:
                    continue
                inst = self.ids.take(RentInstalment)
                voucher = None
                paid = received and rng.random() < 0.9 if lease.enterprise else due <= self.today and rng.random() < 0.8
                if paid and lease.enterprise is None:
                    voucher = self._rent_accrued(books, lease, inst, home, due, amount)
                if paid:
                    self._rent_to_household(rng, books, lease, inst, home, due, amount)
                self.t["instalments"].add(
                    (inst, lease.pk, home.id, period.start, period.end, due, area, amount,
                     InstalmentStatus.PAID if paid else InstalmentStatus.DUE, voucher)
                )  # fmt: skip

    def _rent_received(
        self, books: BooksPlan, lease: Lease, day: dt.date, areas: list[tuple[Home, Decimal]], amount: Decimal
    ) -> None:
        """The enterprise's year of rent, Dr 102 / Cr 113 of each household split by area to the fen."""
        assert lease.enterprise is not None
        pk = self.ids.take(RentPayment)
        parts = split_exact(amount, [area for _home, area in areas])
        lines = [PlannedLine(BANK, fen(amount), 0, "收到企业土地租金")]
        for (home, _area), part in zip(areas, parts, strict=True):
            if part > 0:
                lines.append(PlannedLine(books.sub(INTERNAL, home), 0, fen(part), home.head_name))
        summary = f"收到{lease.enterprise[1]}土地租金·{lease.number}"
        voucher = books.post(day, summary, lines, f"land-receipt:{pk}", f"land.rentpayment:{pk}")
        self.t["payments"].add((pk, lease.pk, PaymentKind.RECEIVED, None, None, day, amount, voucher, "", self.now))

    def _rent_accrued(
        self, books: BooksPlan, lease: Lease, inst: int, home: Home, due: dt.date, amount: Decimal
    ) -> int:
        """`land.rent.accrue_instalment` on the due day: Dr 511 / Cr 113-household."""
        return books.pair(
            due, f"计提土地租金·{lease.number}", EXPENSE, books.sub(INTERNAL, home), amount,
            debit_summary="土地流转租金", credit_summary=home.head_name, key=f"land-accrual:{inst}",
            source=f"land.rentinstalment:{inst}",
        )  # fmt: skip

    def _rent_to_household(
        self, rng: random.Random, books: BooksPlan, lease: Lease, inst: int, home: Home, due: dt.date,
        amount: Decimal,
    ) -> None:  # fmt: skip
        """`land.rent.pay_instalment`: Dr 113-household / Cr 102, within a few weeks of the due day."""
        pk = self.ids.take(RentPayment)
        paid_on = self.upto_today(due + dt.timedelta(days=rng.randint(0, 20)))
        owed = books.sub(INTERNAL, home)
        lines = [PlannedLine(owed, fen(amount), 0, home.head_name), PlannedLine(BANK, 0, fen(amount), "")]
        voucher = books.post(
            paid_on, f"支付农户土地租金·{lease.number}", lines, f"land-payment:{pk}", f"land.rentpayment:{pk}"
        )
        self.t["payments"].add((pk, lease.pk, PaymentKind.PAID, home.id, inst, paid_on, amount, voucher, "", self.now))

    # -- a cooperative

    def _cooperative(
        self, rng: random.Random, village: VillageInfo, founder: int, homes: list[Home], ledgers: LedgerWriter
    ) -> Callable[[], int]:
        """A specialised cooperative founded by the collective this year, with its own books (opening
        capital), a planting or two, villagers' work days and wages, and a purchase contract; returns
        what writes its books (once the collective's are written)."""
        crop, season, low, high = rng.choice(CROPS)
        org = self.ids.take(EconomicOrg)
        founded = self.start
        decision = self._decision(rng, village, DecisionSubject.COOPERATIVE, f"组建{crop}专业合作社", founded)
        name = f"{village.name[:-1]}{crop}种植专业合作社"
        books = BooksPlan(self.ids)
        capital = yuan(rng, 200_000, 800_000, 10_000)
        opening = PlannedVoucher(
            founded, "期初余额", (PlannedLine(BANK, fen(capital), 0), PlannedLine(CAPITAL, 0, fen(capital))), "opening"
        )
        plantings = self._plantings(rng, village, org, crop, season, low, high)
        self._work(rng, village, org, books, homes, plantings)

        def opened(books_id: int, account_ids: dict[str, int]) -> None:
            self.t["orgs"].add(
                (org, village.id, village.path, name, OrgKind.SPECIALISED_COOPERATIVE, founder, decision, books_id,
                 "", founded, f"{crop}种植、销售", True, self.now)
            )  # fmt: skip
            self._household_accounts(books, books_id, account_ids)

        books.extra.opened = opened
        return partial(
            ledgers.write_books, village.id, village.path, name, BooksKind.COOPERATIVE, founded, [opening], books.extra
        )

    def _plantings(
        self, rng: random.Random, village: VillageInfo, org: int, crop: str, season: str, low: int, high: int
    ) -> list[int]:
        out = []
        for i in range(rng.randint(1, 2)):
            pk = self.ids.take(Planting)
            area = Decimal(rng.randint(40, 300))
            land = f"{village.name}{rng.choice(PARCEL_NAMES)}片区{i + 1}"
            self.t["plantings"].add(
                (pk, org, village.path, crop, self.start.year, season, area, land, None, self.day(0.1 + 0.2 * i), "",
                 self.now)
            )  # fmt: skip
            out.append(pk)
        buyers = village.enterprises or self.enterprises
        adviser = buyers[0][0] if buyers else None
        if adviser is not None:
            pk = self.ids.take(PurchaseContract)
            kg = Decimal(rng.randint(low, high) * 100)
            self.t["purchases"].add(
                (pk, org, village.path, adviser, f"{village.code}-SG{self.start.year}-01", crop, kg,
                 Decimal(rng.randint(120, 300)) / 100, PriceUnit.JIN, self.day(0.2), "", self.now)
            )  # fmt: skip
            self.t["schedule"].add((pk, dt.date(self.start.year, 11, 30), kg))
        return out

    def _work(
        self,
        rng: random.Random,
        village: VillageInfo,
        org: int,
        books: BooksPlan,
        homes: list[Home],
        plantings: list[int],
    ) -> None:
        """Villagers' work days on the plantings, accrued (`production.services.work.record_work`) and
        mostly paid in full afterwards (`pay_wages`)."""
        for home in rng.sample(homes, min(len(homes), rng.randint(*WORKERS))):
            accrued, last = Decimal(0), self.start
            for _i in range(rng.randint(1, 4)):
                worked_on = self.day(rng.random() * 0.9)
                days = Decimal(rng.randint(1, 12)) / 2
                until = worked_on + dt.timedelta(days=int(days + Decimal("0.5")) - 1) if days > 1 else None
                if until is not None and until > self.today:
                    until, days = None, Decimal(1)
                rate = Decimal(rng.choice((120, 140, 150, 160, 180, 200))).quantize(CENT)
                amount = (days * rate).quantize(CENT, rounding=ROUND_HALF_UP)
                task = rng.choice(TASKS)
                pk = self.ids.take(WorkRecord)
                summary = f"计提务工工资:{home.head_name} {task} {figure(days)}天×{rate}元"
                voucher = books.pair(
                    until or worked_on, summary, COST, books.sub(LABOUR_PAYABLE, home), amount,
                    key=f"production-work:{pk}", source=f"production.workrecord:{pk}",
                )  # fmt: skip
                self.t["work"].add(
                    (pk, org, village.path, rng.choice(plantings), home.head, home.id, worked_on, until, days, rate,
                     amount, task, voucher, self.now)
                )  # fmt: skip
                accrued, last = accrued + amount, max(last, until or worked_on)
            if rng.random() < 0.75:
                self._wages(rng, village, org, books, home, accrued, last)

    def _wages(
        self,
        rng: random.Random,
        village: VillageInfo,
        org: int,
        books: BooksPlan,
        home: Home,
        amount: Decimal,
        after: dt.date,
    ) -> None:
        pk = self.ids.take(WagePayment)
        paid_on = self.upto_today(after + dt.timedelta(days=rng.randint(0, 30)))
        voucher = books.pair(
            paid_on, f"发放务工工资:{home.head_name}", books.sub(LABOUR_PAYABLE, home), BANK, amount,
            key=f"production-wages:{pk}", source=f"production.wagepayment:{pk}",
        )  # fmt: skip
        self.t["wages"].add(
            (pk, org, village.path, home.head, home.id, amount, paid_on, PaidFrom.BANK, voucher, self.now)
        )

    # -- last year's distribution

    def _distribution(
        self,
        rng: random.Random,
        village: VillageInfo,
        org: int,
        books: BooksPlan,
        holdings: list[tuple[int | None, Decimal]],
    ) -> None:
        """Last year's surplus distributed (`distribution.services.approve_plan`): 30 % to the reserve,
        70 % to the members by the shares held on the record date, most dividends paid out."""
        if not holdings:
            return
        year = self.start.year - 1
        surplus = yuan(rng, 30_000, 200_000, 1_000)
        record_date = self.day(0.15)
        approved = self.day(0.2)
        decision = self._decision(rng, village, DecisionSubject.DISTRIBUTION, f"{year}年度收益分配方案", record_date)
        pk = self.ids.take(DistributionPlan)
        reserve = (surplus * 30 / 100).quantize(CENT, rounding=ROUND_HALF_UP)
        members = (surplus * 70 / 100).quantize(CENT, rounding=ROUND_HALF_UP)
        self.t["items"].add((pk, ItemKind.RESERVE, None, Decimal(30), ""))
        self.t["items"].add((pk, ItemKind.DIVIDENDS, None, Decimal(70), ""))
        lines = [
            PlannedLine(TO_RESERVE, fen(reserve), 0, "提取公积公益金"),
            PlannedLine(RESERVE, 0, fen(reserve), "提取公积公益金"),
            PlannedLine(TO_MEMBERS, fen(members), 0, "向成员分配"),
        ]
        shares = dict(holdings)
        unpaid = False
        payouts = []
        for holder, part in split_amount(members, holdings):
            dividend = self.ids.take(Dividend)
            self.t["dividends"].add((dividend, pk, holder, shares[holder], part))
            if part <= 0:
                continue
            if holder is None:
                lines.append(PlannedLine(RESERVE, 0, fen(part), "集体股分红留存集体"))
                continue
            home = self.homes_by_id[holder]
            lines.append(PlannedLine(books.sub(INTERNAL, home), 0, fen(part), "应付成员分红"))
            if rng.random() < 0.85:
                payouts.append((dividend, home, part))
            else:
                unpaid = True
        voucher = books.post(
            approved, f"{year}年度收益分配", lines, f"distribution-plan:{pk}", f"distribution.distributionplan:{pk}"
        )
        for dividend, home, part in payouts:
            self._payout(rng, books, year, dividend, home, part, approved)
        status = PlanStatus.PAYING if unpaid else PlanStatus.DONE
        self.t["plans"].add(
            (pk, org, village.path, year, surplus, record_date, decision, "", status, voucher, approved, self.now)
        )

    def _payout(
        self, rng: random.Random, books: BooksPlan, year: int, dividend: int, home: Home, amount: Decimal,
        approved: dt.date,
    ) -> None:  # fmt: skip
        pk = self.ids.take(Payout)
        paid_on = self.upto_today(approved + dt.timedelta(days=rng.randint(3, 30)))
        summary = f"发放{year}年度分红"
        voucher = books.pair(
            paid_on, summary, books.sub(INTERNAL, home), BANK, amount,
            key=f"distribution-payout:{pk}", source=f"distribution.payout:{pk}",
        )  # fmt: skip
        self.t["payouts"].add((pk, dividend, amount, paid_on, voucher, self.now))

    # -- returnees

    def _returnees(self, rng: random.Random, village: VillageInfo, homes: list[Home]) -> None:
        """A few returnees (household heads back from the cities, one in the village's first grid), most
        with a business employing a neighbour or two, whose wages last year are recorded (private
        books: no voucher)."""
        first_grid = [home for home in homes if home.hamlet_path.startswith(village.grids[0].path)] or homes
        first = rng.choice(first_grid)  # one in the first grid (the benchmark's grid worker's)
        others = [home for home in homes if home.id != first.id]
        chosen = [first, *rng.sample(others, min(len(others), rng.randint(*RETURNEES) - 1))]
        for home in chosen:
            pk = self.ids.take(Returnee)
            returned = dt.date(self.today.year - rng.randint(1, 6), rng.randint(1, 12), rng.randint(1, 28))
            self.t["returnees"].add(
                (pk, home.head, village.id, home.hamlet_path, returned, rng.choice(CAME_FROM),
                 rng.choice(PREVIOUS_WORK), "", "", self.now)
            )  # fmt: skip
            if rng.random() < 0.65:
                self._business(rng, village, pk, returned, [h for h in homes if h.id != home.id])

    def _business(
        self, rng: random.Random, village: VillageInfo, founder: int, returned: dt.date, homes: list[Home]
    ) -> None:
        kind, label, scale = rng.choice(BUSINESSES)
        pk = self.ids.take(Business)
        started = min(returned + dt.timedelta(days=rng.randint(30, 300)), self.today)
        self.t["businesses"].add(
            (pk, founder, f"{village.name[:-1]}{label}", kind, village.id, village.path, started,
             yuan(rng, 50_000, 800_000, 10_000), scale % rng.randint(20, 500), BusinessStatus.OPERATING, "",
             self.now)
        )  # fmt: skip
        for home in rng.sample(homes, min(len(homes), rng.randint(0, 3))):
            job = self.ids.take(ReturneeJob)
            self.t["jobs"].add((job, pk, home.head, home.id, village.path, started, "工人", "", self.now))
            if started.year < self.today.year:
                self.t["job_wages"].add((job, self.today.year - 1, yuan(rng, 6_000, 36_000, 100), "", self.now))

    # -- writing

    def flush(self) -> int:
        """Write what is waiting, each row after the rows it names; the rows written."""
        return sum(table.flush() for table in self.t.values())

    @property
    def written(self) -> dict[str, int]:
        t = self.t
        keys = ("orgs", "members", "parcels", "contracts", "instalments", "payments", "work", "plans", "returnees")
        return {f"economy_{key}": t[key].written for key in keys} | {"economy_dividends": t["dividends"].written}
