"""Every read of production and sales, given the acting user: the scope (ECONOMY_VIEW) applies
first, always. Lists carry their sums as subqueries, so a page costs the same for few rows as for
many."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import CharField, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, scope_for
from hongniudai.collective.interface import EconomicOrg
from hongniudai.enterprises.interface import Enterprise
from hongniudai.ledger.models import VoucherLine
from hongniudai.ledger.money import yuan
from hongniudai.places.models import AreaNode, Resident

from .models import (
    Delivery,
    Harvest,
    Planting,
    Processing,
    PurchaseContract,
    Receipt,
    Sale,
    ScheduleLine,
    WagePayment,
    WorkRecord,
)

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=14, decimal_places=3))


def _scoped(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
    return scope_for(user, Capability.ECONOMY_VIEW).filter(qs)


def _sum_of(qs: QuerySet[Any], column: str, key: str) -> Coalesce:
    """The sum of `column` over the rows of `qs` whose `key` is the outer row's id, as a subquery."""
    summed = qs.filter(**{key: OuterRef("pk")}).order_by().values(key).annotate(s=Sum(column)).values("s")
    return Coalesce(Subquery(summed, output_field=DecimalField(max_digits=16, decimal_places=3)), ZERO)


def _yuan(value: Any) -> Decimal:
    """A sum the database gave (SQLite drops trailing zeros) as yuan with two decimals."""
    return Decimal(value or 0).quantize(Decimal("0.01"))


def _get(qs: QuerySet[Any], pk: int) -> Any:
    found = qs.filter(pk=pk).first()
    if found is None:
        raise Http404(_("记录不存在或不在您的范围之内。"))
    return found


# ---- organisations and people to choose -------------------------------------------------------


def orgs_for_view(user: User) -> QuerySet[EconomicOrg]:
    return _scoped(user, EconomicOrg.objects.filter(is_active=True)).order_by("area_path", "id")


def orgs_for_record(user: User) -> QuerySet[EconomicOrg]:
    """The organisations `user` may record production for (with books, where the money goes)."""
    qs = EconomicOrg.objects.filter(is_active=True, books__isnull=False)
    return scope_for(user, Capability.ECONOMY_WRITE).filter(qs).order_by("area_path", "id")


def workers_for_record(user: User, q: str = "") -> QuerySet[Resident]:
    """Villagers the user may record work for (ECONOMY_WRITE over their village), by name or
    initials; the service checks the worker lives in the organisation's village."""
    qs = scope_for(user, Capability.ECONOMY_WRITE).filter(Resident.objects.select_related("household"))
    q = q.strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(name_initials__istartswith=q.lower()))
    return qs.order_by("name", "id")


def workers_owed(user: User) -> QuerySet[WorkRecord, Any]:
    """The worker ids of the work the user may record payments for."""
    return scope_for(user, Capability.ECONOMY_WRITE).filter(WorkRecord.objects.all()).values("worker")


# ---- plantings ----------------------------------------------------------------------------------


def plantings(
    user: User, *, org: EconomicOrg | None = None, year: int | None = None, q: str = ""
) -> QuerySet[Planting]:
    """Plantings with their work days, wages accrued and harvest (kg) summed."""
    qs = _scoped(user, Planting.objects.select_related("org", "adviser"))
    if org is not None:
        qs = qs.filter(org=org)
    if year:
        qs = qs.filter(year=year)
    if q.strip():
        qs = qs.filter(Q(crop__icontains=q.strip()) | Q(land__icontains=q.strip()))
    return qs.annotate(
        work_days=_sum_of(WorkRecord.objects.all(), "days", "planting"),
        wages=_sum_of(WorkRecord.objects.all(), "amount", "planting"),
        harvest_kg=_sum_of(Harvest.objects.all(), "quantity_kg", "planting"),
    )


def planting_get(user: User, pk: int) -> Planting:
    return _get(plantings(user), pk)


def planting_work(user: User, planting: Planting) -> QuerySet[WorkRecord]:
    return _scoped(user, planting.work.select_related("worker", "household", "voucher")).order_by("-worked_on", "-id")


def planting_harvests(user: User, planting: Planting) -> QuerySet[Harvest]:
    return _scoped(user, planting.harvests.all()).order_by("harvested_on", "id")


def harvests(user: User) -> QuerySet[Harvest]:
    return _scoped(user, Harvest.objects.select_related("planting"))


# ---- work and wages -----------------------------------------------------------------------------


def work_records(
    user: User, *, org: EconomicOrg | None = None, planting: Planting | None = None, year: int | None = None
) -> QuerySet[WorkRecord]:
    qs = _scoped(user, WorkRecord.objects.select_related("org", "planting", "worker", "household", "voucher"))
    if org is not None:
        qs = qs.filter(org=org)
    if planting is not None:
        qs = qs.filter(planting=planting)
    if year:
        qs = qs.filter(worked_on__year=year)
    return qs


def work_get(user: User, pk: int) -> WorkRecord:
    return _get(work_records(user), pk)


def wage_payments(user: User, *, org: EconomicOrg | None = None, year: int | None = None) -> QuerySet[WagePayment]:
    qs = _scoped(user, WagePayment.objects.select_related("org", "worker", "household", "voucher"))
    if org is not None:
        qs = qs.filter(org=org)
    if year:
        qs = qs.filter(paid_on__year=year)
    return qs


def payment_get(user: User, pk: int) -> WagePayment:
    return _get(wage_payments(user), pk)


@dataclass
class WagesDue:
    org: EconomicOrg
    worker_id: int
    worker_name: str
    household_id: int
    days: Decimal
    accrued: Decimal
    paid: Decimal

    @property
    def due(self) -> Decimal:
        return self.accrued - self.paid


def wages_due(user: User, *, org: EconomicOrg | None = None, planting: Planting | None = None) -> list[WagesDue]:
    """Per organisation and worker: work days, wages accrued, paid and still due (two queries).
    With `planting`, the workers who worked on it (their dues over all the organisation's work)."""
    work = work_records(user, org=org)
    if planting is not None:
        worker_ids = planting.work.values("worker")
        work = work.filter(org=planting.org_id, worker__in=worker_ids)
    rows = (
        work.order_by()
        .values("org", "worker", "worker__name", "household")
        .annotate(days=Sum("days"), accrued=Sum("amount"))
        .order_by("worker__name", "worker")
    )
    paid_rows = wage_payments(user, org=org).order_by().values("org", "worker").annotate(s=Sum("amount"))
    paid = {(r["org"], r["worker"]): r["s"] for r in paid_rows}
    orgs = {o.pk: o for o in EconomicOrg.objects.filter(pk__in={r["org"] for r in rows})}
    return [
        WagesDue(
            org=orgs[r["org"]],
            worker_id=r["worker"],
            worker_name=r["worker__name"],
            household_id=r["household"],
            days=Decimal(r["days"]).quantize(Decimal("0.1")),
            accrued=_yuan(r["accrued"]),
            paid=_yuan(paid.get((r["org"], r["worker"]))),
        )
        for r in rows
    ]


# ---- contracts ----------------------------------------------------------------------------------


def contracts(
    user: User, *, org: EconomicOrg | None = None, buyer: Enterprise | None = None, year: int | None = None
) -> QuerySet[PurchaseContract]:
    """Contracts with the quantity delivered and the amount of the deliveries."""
    qs = _scoped(user, PurchaseContract.objects.select_related("org", "buyer"))
    if org is not None:
        qs = qs.filter(org=org)
    if buyer is not None:
        qs = qs.filter(buyer=buyer)
    if year:
        qs = qs.filter(signed_on__year=year)
    return qs.annotate(
        delivered_kg=_sum_of(Delivery.objects.all(), "quantity_kg", "contract"),
        delivered_amount=_sum_of(Delivery.objects.all(), "amount", "contract"),
    ).annotate(owed_kg=F("quantity_kg") - F("delivered_kg"))


def contract_get(user: User, pk: int) -> PurchaseContract:
    return _get(contracts(user), pk)


def contract_deliveries(user: User, contract: PurchaseContract) -> QuerySet[Delivery]:
    """A contract's deliveries with what the buyer paid for each (`received`)."""
    qs = _scoped(user, contract.deliveries.select_related("voucher")).order_by("delivered_on", "id")
    return qs.annotate(received=_sum_of(Receipt.objects.all(), "amount", "delivery"))


def receipts(user: User) -> QuerySet[Receipt]:
    return _scoped(user, Receipt.objects.select_related("delivery__contract", "voucher"))


def delivery_get(user: User, pk: int) -> Delivery:
    return _get(deliveries(user), pk)


@dataclass
class ScheduleRow:
    line: ScheduleLine
    due_by: Decimal  # kg due up to this line's date, all lines so far
    delivered: Decimal  # kg of this line covered by deliveries (earliest lines first)
    late: bool

    @property
    def owed(self) -> Decimal:
        return self.line.quantity_kg - self.delivered


def contract_schedule(user: User, contract: PurchaseContract, *, today: dt.date) -> list[ScheduleRow]:
    """The schedule's lines, each with what the deliveries covered of it (deliveries fill the
    earliest lines first) and whether it is overdue."""
    lines = list(_scoped(user, contract.schedule.all()).order_by("due_on", "id"))
    left = getattr(contract, "delivered_kg", None)
    if left is None:
        left = contract.deliveries.aggregate(s=Sum("quantity_kg"))["s"] or Decimal(0)
    rows: list[ScheduleRow] = []
    due_by = Decimal(0)
    for line in lines:
        covered = min(left, line.quantity_kg)
        left -= covered
        due_by += line.quantity_kg
        rows.append(ScheduleRow(line, due_by, covered, late=line.due_on < today and covered < line.quantity_kg))
    return rows


def deliveries(user: User, *, contract: PurchaseContract | None = None) -> QuerySet[Delivery]:
    qs = _scoped(user, Delivery.objects.select_related("contract__org", "contract__buyer", "voucher"))
    return qs.filter(contract=contract) if contract is not None else qs


# ---- processing and sales -----------------------------------------------------------------------


def processings(user: User, *, org: EconomicOrg | None = None, year: int | None = None) -> QuerySet[Processing]:
    qs = _scoped(user, Processing.objects.select_related("org"))
    if org is not None:
        qs = qs.filter(org=org)
    if year:
        qs = qs.filter(processed_on__year=year)
    return qs


def sales(user: User, *, org: EconomicOrg | None = None, year: int | None = None, q: str = "") -> QuerySet[Sale]:
    qs = _scoped(user, Sale.objects.select_related("org", "buyer", "voucher"))
    if org is not None:
        qs = qs.filter(org=org)
    if year:
        qs = qs.filter(sold_on__year=year)
    if q.strip():
        qs = qs.filter(Q(product__icontains=q.strip()) | Q(buyer_name__icontains=q.strip()))
    return qs


def sale_get(user: User, pk: int) -> Sale:
    return _get(sales(user), pk)


# ---- income ---------------------------------------------------------------------------------


@dataclass
class IncomeSource:
    kind: str  # "contract" or "sale"
    label: str  # the crop and buyer, or the product
    amount: Decimal
    voucher_ids: list[int] = field(default_factory=list)


def org_income_by_source(org: EconomicOrg, year: int) -> list[IncomeSource]:
    """What `org` earned in `year` from production, by source (each contract's deliveries, each
    product's sales), summed from the amounts posted to 501 经营收入 on the events' vouchers (those
    reversed in red left out). No
    scope: callers check it (`income_by_source` for a user, the interface for phase 2)."""
    return orgs_income_by_source([org.pk], year)[org.pk]


def orgs_income_by_source(org_ids: Iterable[int], year: int) -> dict[int, list[IncomeSource]]:
    """`org_income_by_source` of each organisation of `org_ids`, in one query whatever their number
    (none when there is none): the year's posted deliveries and sales, each beside what its voucher
    credited to 501, read together (UNION ALL)."""
    ids = list(org_ids)
    by_label: dict[int, dict[tuple[str, str], IncomeSource]] = {pk: {} for pk in ids}
    if not ids:
        return {}
    posted = Q(voucher__isnull=False, voucher__reversed_by__isnull=True)  # a red reversal cancels it
    credited = (
        VoucherLine.objects.filter(voucher_id=OuterRef("voucher_id"), account__code__startswith="501")
        .order_by()
        .values("voucher_id")
        .annotate(s=Sum("credit_fen"))
        .values("s")
    )
    text: CharField[str, str] = CharField()
    deliveries = (
        Delivery.objects.filter(posted, contract__org_id__in=ids, delivered_on__year=year)
        .annotate(
            org_of=F("contract__org_id"),
            kind=Value("contract", output_field=text),
            a=F("contract__crop"),
            b=F("contract__buyer__name"),
            s=Subquery(credited),
        )
        .order_by()
        .values_list("voucher_id", "org_of", "kind", "a", "b", "s")
    )
    sales = (
        Sale.objects.filter(posted, org_id__in=ids, sold_on__year=year)
        .annotate(
            org_of=F("org_id"),
            kind=Value("sale", output_field=text),
            a=F("product"),
            b=Value("", output_field=text),
            s=Subquery(credited),
        )
        .order_by()
        .values_list("voucher_id", "org_of", "kind", "a", "b", "s")
    )
    events: dict[int, tuple[int, str, str, int | None]] = {}
    # Per voucher one event (a sale's before a delivery's, as ever); only those that credited 501.
    for voucher, org, kind, a, b, s in sorted(deliveries.union(sales, all=True), key=lambda r: r[2]):
        if kind == "contract":
            label = _("%(crop)s订单(%(buyer)s)") % {"crop": a, "buyer": b}
        else:
            label = _("%(product)s销售") % {"product": a}
        events[voucher] = (org, kind, label, s)
    for voucher, (org, kind, label, s) in events.items():
        if s is None:
            continue
        source = by_label[org].setdefault((kind, label), IncomeSource(kind, label, Decimal(0)))
        source.amount += yuan(s)
        source.voucher_ids.append(voucher)
    return {
        pk: sorted(sources.values(), key=lambda s: (s.kind, -s.amount, s.label)) for pk, sources in by_label.items()
    }


def income_by_source(user: User, *, village: AreaNode, year: int) -> list[tuple[EconomicOrg, list[IncomeSource]]]:
    """A village's production income in `year`, per organisation of the village and source."""
    orgs = orgs_for_view(user).filter(area_path=village.path)
    return [(org, org_income_by_source(org, year)) for org in orgs]


def villages_for_view(user: User) -> QuerySet[AreaNode]:
    """The villages that have an organisation the user sees."""
    paths = orgs_for_view(user).values("area_path")
    return AreaNode.objects.filter(path__in=paths).order_by("path")
