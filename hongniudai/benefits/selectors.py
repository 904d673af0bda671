"""What reached each household in a year (利益联结), read through the economy packages' interfaces
given the acting user (ECONOMY_VIEW scope; out of scope is a 404).

Four sources: land rent (land), wages for collective work (production), dividends (distribution),
wages from returnee businesses (returnees). A household's year reads its own payments of each source
(a query each); a village's year reads the rollup of what each household received (`rollups`): its
totals in one aggregate, a page of its households with their amounts in one query; nothing is read
per row, nor any payment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, FilteredRelation, Func, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, scope_for
from hongniudai.collective.interface import EconomicOrg
from hongniudai.distribution.interface import dividends_paid_to_household
from hongniudai.land.interface import rent_kept_by_collective, rent_paid_to_household
from hongniudai.ledger.models import Voucher
from hongniudai.places.models import AreaKind, AreaNode, Household
from hongniudai.production.interface import (
    IncomeSource,
    incomes_by_source,
    wages_paid_to_household,
)
from hongniudai.returnees.interface import (
    WageRecord,
    returnee_wages_of_household,
    returnee_wages_of_households,
)

from .rollups import DIVIDENDS, RENT, RETURNEE_WAGES, WAGES, ZERO

SOURCES: tuple[tuple[str, Any], ...] = (
    (RENT, _("土地租金")),
    (WAGES, _("务工工资")),
    (DIVIDENDS, _("股份分红")),
    (RETURNEE_WAGES, _("返乡企业工资")),
)
SOURCE_LABELS = dict(SOURCES)
FIRST_YEAR = 2015


def recent_years(today: dt.date | None = None) -> list[int]:
    """The years a page offers, newest first."""
    this = (today or dt.date.today()).year
    return list(range(this, this - 8, -1))


def valid_year(value: Any) -> int | None:
    """`value` as a year between FIRST_YEAR and next year, or None."""
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return year if FIRST_YEAR <= year <= dt.date.today().year + 1 else None


@dataclass(frozen=True)
class BenefitRow:
    """One amount a household received: its source, day (None: a year's total), amount, the event
    behind it (its page) and its voucher (none for returnee businesses: private books)."""

    source: str
    date: dt.date | None
    amount: Decimal
    event: Any
    voucher_id: int | None
    voucher_number: str = ""

    @property
    def source_label(self) -> str:
        return str(SOURCE_LABELS[self.source])

    @property
    def event_url(self) -> str:
        return str(self.event.get_absolute_url()) if self.event is not None else ""

    @property
    def event_label(self) -> str:
        return str(self.event) if self.event is not None else ""


@dataclass
class Totals:
    rent: Decimal = ZERO
    wages: Decimal = ZERO
    dividends: Decimal = ZERO
    returnee_wages: Decimal = ZERO

    def add(self, source: str, amount: Decimal) -> None:
        setattr(self, source, getattr(self, source) + amount)

    @property
    def total(self) -> Decimal:
        return self.rent + self.wages + self.dividends + self.returnee_wages

    def as_dict(self) -> dict[str, Decimal]:
        return {key: getattr(self, key) for key, _label in SOURCES} | {"total": self.total}


@dataclass
class HouseholdYear:
    household: Household
    village: AreaNode
    year: int
    rows: list[BenefitRow]
    totals: Totals
    can_read_books: bool = False


@dataclass
class HouseholdTotals:
    household: Household
    totals: Totals


@dataclass
class VillageYear:
    """A village's year: `households` (in scope, with something received; not evaluated, for a page
    of them), each with what it received (`received_rent`, …, from the rollup), the totals over all
    of them."""

    village: AreaNode
    year: int
    households: QuerySet[Household]
    totals: Totals
    formerly_poor: Decimal
    monitored: Decimal
    income: list[tuple[EconomicOrg, list[IncomeSource]]] = field(default_factory=list)
    count: int = 0  # how many `households` (counted on the way: the page need not count them again)

    @property
    def income_total(self) -> Decimal:
        return sum((s.amount for _org, sources in self.income for s in sources), ZERO)

    def rows(self, households: Iterable[Household] | None = None) -> list[HouseholdTotals]:
        """The households given (a page of `households`; all of them by default) with their totals."""
        chosen = self.households if households is None else households
        return [HouseholdTotals(h, _received(h)) for h in chosen]


def _received(household: Any) -> Totals:
    return Totals(
        household.received_rent, household.received_wages, household.received_dividends, household.received_returnee
    )


def village_of(household: Household) -> AreaNode:
    """The village the household's hamlet lies in (one query)."""
    village = AreaNode.objects.filter(kind=AreaKind.VILLAGE, path__in=_prefixes(household.hamlet.path)).first()
    if village is None:
        raise Http404(_("该户不在任何村。"))
    return village


def household_get(user: User, pk: int) -> Household:
    """A household in the user's ECONOMY_VIEW scope, or 404."""
    qs = Household.objects.select_related("hamlet", "head").filter(pk=pk)
    household = scope_for(user, Capability.ECONOMY_VIEW).filter(qs).first()
    if household is None:
        raise Http404(_("住户不存在或不在您的范围之内。"))
    return household


def village_get(user: User, pk: int) -> AreaNode:
    """A village in the user's ECONOMY_VIEW scope, or 404."""
    qs = AreaNode.objects.filter(pk=pk, kind=AreaKind.VILLAGE)
    village = scope_for(user, Capability.ECONOMY_VIEW).filter(qs).first()
    if village is None:
        raise Http404(_("村不存在或不在您的范围之内。"))
    return village


def _ledger_rows(household: Household, year: int) -> list[BenefitRow]:
    """The household's rows of the three sources kept in the collective's books (from the contracts,
    organisations and plans of its village): 3 queries, not scoped (the caller checks the scope)."""
    villages = _prefixes(household.hamlet.path)  # the village is one of them; no read to find it
    rent = rent_paid_to_household(household.pk, year, villages).select_related("contract")
    wages = wages_paid_to_household(household.pk, year, villages).select_related("worker")
    dividends = dividends_paid_to_household(household.pk, year, villages).select_related(
        "dividend__plan", "dividend__household"
    )
    rows = [BenefitRow(RENT, r.paid_on, r.amount, r, r.voucher_id) for r in rent.order_by("paid_on", "id")]
    rows += [BenefitRow(WAGES, w.paid_on, w.amount, w, w.voucher_id) for w in wages.order_by("paid_on", "id")]
    rows += [BenefitRow(DIVIDENDS, d.paid_on, d.amount, d, d.voucher_id) for d in dividends.order_by("paid_on", "id")]
    return rows


def _with_numbers(rows: list[BenefitRow]) -> list[BenefitRow]:
    ids = {r.voucher_id for r in rows if r.voucher_id}
    if not ids:
        return rows
    numbers = {
        pk: (year, number)
        for pk, year, number in Voucher.objects.filter(pk__in=ids).values_list("pk", "year", "number")
    }
    out = []
    for r in rows:
        year, number = numbers.get(r.voucher_id or 0, (None, None))
        label = f"{year}年第{number}号" if number else (str(_("未编号")) if r.voucher_id else "")
        out.append(BenefitRow(r.source, r.date, r.amount, r.event, r.voucher_id, label))
    return out


def household_year(user: User, household: Household, year: int) -> HouseholdYear:
    """Every amount `household` received in `year`, by source, with totals per source and overall.
    The household must be in the user's ECONOMY_VIEW scope (404 otherwise)."""
    if not scope_for(user, Capability.ECONOMY_VIEW).covers(household):
        raise Http404(_("住户不存在或不在您的范围之内。"))
    village = village_of(household)
    rows = _ledger_rows(household, year)
    for wages in returnee_wages_of_households([household.pk], year):
        records = WageRecord.objects.filter(pk__in=wages.wage_record_ids).select_related("employment__business")
        for record in records.order_by("id"):
            rows.append(BenefitRow(RETURNEE_WAGES, None, record.amount, record, None))
    rows = _with_numbers(rows)
    order = {key: i for i, (key, _label) in enumerate(SOURCES)}
    rows.sort(key=lambda r: (order[r.source], r.date or dt.date(year, 12, 31)))
    totals = Totals()
    for r in rows:
        totals.add(r.source, r.amount)
    books = scope_for(user, Capability.BOOKS_VIEW).covers_path(area_path=village.path)
    return HouseholdYear(household, village, year, rows, totals, can_read_books=books)


def _sees_in(user: User, village: AreaNode) -> bool:
    """The user reads the economy of the village or of a part of it (a grid worker's grid)."""
    scope = scope_for(user, Capability.ECONOMY_VIEW)
    return scope.covers_path(area_path=village.path) or any(p.startswith(village.path) for p in scope.area_paths)


def village_year(user: User, village: AreaNode, year: int) -> VillageYear:
    """Per household of `village` that received anything in `year`: its totals per source; the
    totals reaching formerly poor (脱贫户) and monitored (监测户) households; the collective's
    income by source (production's, per organisation of the village)."""
    if not _sees_in(user, village):
        raise Http404(_("村不存在或不在您的范围之内。"))
    received = FilteredRelation("benefit_years", condition=Q(benefit_years__village=village, benefit_years__year=year))
    households = scope_for(user, Capability.ECONOMY_VIEW).filter(
        Household.objects.annotate(received=received).filter(received__isnull=False)
    )
    sums = households.aggregate(
        count=Count("pk"),
        rent=Sum("received__rent"),
        wages=Sum("received__wages"),
        dividends=Sum("received__dividends"),
        returnee_wages=Sum("received__returnee_wages"),
        poor=Sum("received__total", filter=Q(is_formerly_poor=True)),
        monitored=Sum("received__total", filter=Q(is_monitored=True)),
    )
    totals = Totals(*(sums[key] or ZERO for key, _label in SOURCES))
    listed = (
        households.annotate(
            received_rent=F("received__rent"),
            received_wages=F("received__wages"),
            received_dividends=F("received__dividends"),
            received_returnee=F("received__returnee_wages"),
        )
        .select_related("hamlet", "head")
        .order_by("hamlet__name", "number", "id")
    )
    income = _income(user, village, year)
    poor, monitored = sums["poor"] or ZERO, sums["monitored"] or ZERO
    return VillageYear(village, year, listed, totals, poor, monitored, income, sums["count"])


def _income(user: User, village: AreaNode, year: int) -> list[tuple[EconomicOrg, list[IncomeSource]]]:
    """Per organisation of `village` the user reads: its income from production by source, and the
    rent it kept for the collective's own land (land's)."""
    kept: dict[int, IncomeSource] = {}
    for row in rent_kept_by_collective(village, year):
        source = kept.setdefault(row.org_id, IncomeSource("rent", str(_("集体土地租金")), ZERO))
        source.amount += row.amount
        source.voucher_ids.extend([row.voucher_id] if row.voucher_id else [])
    orgs = list(
        scope_for(user, Capability.ECONOMY_VIEW).filter(EconomicOrg.objects.filter(village=village).order_by("id"))
    )
    income = incomes_by_source([org.pk for org in orgs], year)
    return [(org, income[org.pk] + ([kept[org.pk]] if org.pk in kept else [])) for org in orgs]


def _sum_of(payments: QuerySet[Any]) -> Subquery:
    """The sum of `payments`' amounts as a scalar subquery (no GROUP BY: one row, NULL when none)."""
    total = Func(F("amount"), function="SUM", output_field=DecimalField(max_digits=14, decimal_places=2))
    return Subquery(payments.order_by().annotate(total=total).values("total")[:1])


def household_year_total(user: User, household: Household, year: int) -> Decimal:
    """What `household` received in `year`, all sources (the household page's one line): one query,
    the four sources summed in it, the ledger-backed ones from the household's village (as on its
    year's page)."""
    if not scope_for(user, Capability.ECONOMY_VIEW).covers(household):
        return ZERO
    villages = _prefixes(household.hamlet.path)  # the village is one of them; no read to find it
    sums = [
        _sum_of(rent_paid_to_household(household.pk, year, villages)),
        _sum_of(wages_paid_to_household(household.pk, year, villages)),
        _sum_of(dividends_paid_to_household(household.pk, year, villages)),
        _sum_of(returnee_wages_of_household(household.pk, year)),
    ]
    row = Household.objects.filter(pk=household.pk).values_list(*[Coalesce(s, ZERO) for s in sums]).first()
    return sum(row or (), ZERO)


def village_at(user: User, area: AreaNode | None) -> AreaNode | None:
    """The village a page shows for `area` (an area picked, or none): the village the area lies in,
    or the first village below it; with no area, the first village of the user's scope (or the one
    their area lies in, for a grid worker). None when the user reads no part of it."""
    scope = scope_for(user, Capability.ECONOMY_VIEW)
    if area is not None:
        paths = [area.path]
    elif scope.everything:
        paths = [""]
    else:
        paths = list(scope.area_paths)
    for path in paths:
        # One query: the village the path lies in sorts before every node under the path (its path
        # is a prefix of theirs), so the first in path order is that village, or else the first below.
        around = Q(path__in=_prefixes(path)) | Q(path__under=path)
        village = AreaNode.objects.filter(around, kind=AreaKind.VILLAGE).order_by("path").first()
        if village is not None and _sees_in(user, village):
            return village
    return None


def _prefixes(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1)]
