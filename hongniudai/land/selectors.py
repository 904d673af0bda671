"""Every read of parcels, transfer contracts and rent, for an acting user (ECONOMY_VIEW scope), and
what the collective owes each household on its 内部往来 sub-account."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, scope_for
from hongniudai.collective.interface import INTERNAL, Decision, EconomicOrg
from hongniudai.ledger.models import Balance
from hongniudai.places.models import AreaKind, AreaNode, Household

from .models import (
    ContractParcel,
    ContractStatus,
    InstalmentStatus,
    Parcel,
    PaymentKind,
    RentInstalment,
    RentPayment,
    TransferContract,
)


def villages(user: User) -> QuerySet[AreaNode]:
    """The villages the user may see the land of."""
    return (
        scope_for(user, Capability.ECONOMY_VIEW).filter(AreaNode.objects.filter(kind=AreaKind.VILLAGE)).order_by("path")
    )


def writable_villages(user: User) -> QuerySet[AreaNode]:
    return (
        scope_for(user, Capability.ECONOMY_WRITE)
        .filter(AreaNode.objects.filter(kind=AreaKind.VILLAGE))
        .order_by("path")
    )


# ---- parcels ------------------------------------------------------------------------------


# The lists' figures per row are correlated subqueries, computed for the page's rows only: a join
# and GROUP BY over every parcel or contract of a county would be aggregated before the page is cut.


def _active_transfers() -> Subquery:
    """The mu of a parcel under active contracts."""
    rows = ContractParcel.objects.filter(parcel=OuterRef("pk"), contract__status=ContractStatus.ACTIVE)
    return Subquery(rows.order_by().values("parcel").annotate(total=Sum("area")).values("total")[:1])


def _contract_parcels(name: str, aggregate: Sum | Count) -> Subquery:
    """One figure over a contract's parcels (their area, their households)."""
    rows = ContractParcel.objects.filter(contract=OuterRef("pk")).order_by().values("contract")
    return Subquery(rows.annotate(**{name: aggregate}).values(name)[:1])


def parcels(
    user: User, *, village: AreaNode | None = None, household: Household | None = None, kind: str = "", q: str = ""
) -> QuerySet[Parcel]:
    """Visible parcels with the mu their active transfers take (`transferred`)."""
    qs = scope_for(user, Capability.ECONOMY_VIEW).filter(
        Parcel.objects.select_related("household__head", "village").annotate(transferred=_active_transfers())
    )
    if village is not None:  # a village, or any area above it (the filter's area picker)
        qs = qs.filter(village__path__under=village.path)
    if household is not None:
        qs = qs.filter(household=household)
    if kind:
        qs = qs.filter(kind=kind)
    q = q.strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(warrant_number__icontains=q) | Q(household__head__name__icontains=q))
    return qs.order_by("area_path", "household_id", "id")


def parcel_get(user: User, pk: int) -> Parcel:
    parcel = parcels(user).filter(pk=pk).first()
    if parcel is None:
        raise Http404
    return parcel


def parcel_transfers(parcel: Parcel) -> QuerySet[ContractParcel]:
    return ContractParcel.objects.filter(parcel=parcel).select_related("contract__org", "contract__enterprise")


def parcels_for_choice(user: User, village: AreaNode | None = None) -> QuerySet[Parcel]:
    qs = scope_for(user, Capability.ECONOMY_WRITE).filter(Parcel.objects.select_related("household__head"))
    if village is not None:  # a village, or any area above it (the filter's area picker)
        qs = qs.filter(village__path__under=village.path)
    return qs.order_by("area_path", "household_id", "id")


def households_for_choice(user: User) -> QuerySet[Household]:
    return scope_for(user, Capability.ECONOMY_WRITE).filter(Household.objects.select_related("head")).order_by("id")


# ---- contracts ----------------------------------------------------------------------------


def contracts(
    user: User, *, village: AreaNode | None = None, status: str = "", kind: str = "", q: str = ""
) -> QuerySet[TransferContract]:
    """Visible contracts with their transferred area (`total_area`) and households (`household_count`)."""
    qs = scope_for(user, Capability.ECONOMY_VIEW).filter(
        TransferContract.objects.select_related("village", "org", "enterprise").annotate(
            total_area=_contract_parcels("total", Sum("area")),
            household_count=_contract_parcels("households", Count("parcel__household", distinct=True)),
        )
    )
    if village is not None:  # a village, or any area above it (the filter's area picker)
        qs = qs.filter(village__path__under=village.path)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    q = q.strip()
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(org__name__icontains=q) | Q(enterprise__name__icontains=q))
    return qs.order_by("area_path", "-starts_on", "-id")


def contract_get(user: User, pk: int) -> TransferContract:
    contract = contracts(user).select_related("decision", "org__books").filter(pk=pk).first()
    if contract is None:
        raise Http404
    return contract


def contract_parcels(contract: TransferContract) -> QuerySet[ContractParcel]:
    return ContractParcel.objects.filter(contract=contract).select_related("parcel__household__head")


def orgs_for_choice(user: User) -> QuerySet[EconomicOrg]:
    return (
        scope_for(user, Capability.ECONOMY_WRITE)
        .filter(EconomicOrg.objects.filter(is_active=True, books__isnull=False))
        .order_by("area_path", "id")
    )


def decisions_for_choice(user: User) -> QuerySet[Decision]:
    return scope_for(user, Capability.ECONOMY_WRITE).filter(Decision.objects.all()).order_by("-id")


# ---- instalments and payments -------------------------------------------------------------


def instalments(
    user: User | None,
    *,
    contract: TransferContract | None = None,
    status: str = "",
    due_before: dt.date | None = None,
) -> QuerySet[RentInstalment]:
    qs = scope_for(user, Capability.ECONOMY_VIEW).filter(
        RentInstalment.objects.select_related("household__head", "contract")
    )
    if contract is not None:
        qs = qs.filter(contract=contract)
    if status:
        qs = qs.filter(status=status)
    if due_before is not None:
        qs = qs.filter(due_on__lte=due_before)
    return qs.order_by("due_on", "household_id", "id")


def instalment_get(user: User, pk: int) -> RentInstalment:
    found = instalments(user).select_related("contract__org__books").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def payments(user: User | None, *, contract: TransferContract | None = None) -> QuerySet[RentPayment]:
    qs = scope_for(user, Capability.ECONOMY_VIEW).filter(
        RentPayment.objects.select_related("household__head", "contract", "voucher")
    )
    if contract is not None:
        qs = qs.filter(contract=contract)
    return qs.order_by("-paid_on", "-id")


# ---- what the collective owes each household ----------------------------------------------


@dataclass
class InternalBalance:
    """What the books of a village's land contracts owe a household on its 内部往来 sub-account
    (credit balance, yuan; negative when the household owes the collective)."""

    household: Household
    books_name: str
    owed: Decimal
    received: Decimal = Decimal(0)  # credited to it (rent accrued or received for it)
    paid: Decimal = Decimal(0)  # debited (paid out to it)
    contracts: list[int] = field(default_factory=list)


def internal_balances(village: AreaNode, user: User | None) -> list[InternalBalance]:
    """Per household of the village's transfer contracts, the balance of its 113 内部往来 sub-account
    in the books of each contract's organisation, read from the ledger's balances (three queries)."""
    contract_rows = list(
        scope_for(user, Capability.ECONOMY_VIEW)
        .filter(TransferContract.objects.filter(village=village))
        .values_list("pk", "org__books_id", "org__books__name")
    )
    books_ids = {b for _pk, b, _n in contract_rows if b}
    names = {b: n for _pk, b, n in contract_rows}
    pairs: dict[tuple[int, int], list[int]] = defaultdict(list)
    for pk, books_id, hid in ContractParcel.objects.filter(contract__in=[r[0] for r in contract_rows]).values_list(
        "contract_id", "contract__org__books_id", "parcel__household_id"
    ):
        if books_id and pk not in pairs[(books_id, hid)]:
            pairs[(books_id, hid)].append(pk)
    sums = (
        Balance.objects.filter(
            books_id__in=books_ids,
            account__household_account__parent_code=INTERNAL,
            account__household_account__household_id__in={hid for _b, hid in pairs},
        )
        .values("books_id", "account__household_account__household_id")
        .annotate(debit=Sum("debit_fen"), credit=Sum("credit_fen"))
    )
    moved = {(r["books_id"], r["account__household_account__household_id"]): (r["debit"], r["credit"]) for r in sums}
    households = Household.objects.select_related("head").in_bulk({hid for _b, hid in pairs})
    out = []
    for (books_id, hid), contract_ids in sorted(pairs.items()):
        debit, credit = moved.get((books_id, hid), (0, 0))
        out.append(
            InternalBalance(
                household=households[hid],
                books_name=names.get(books_id) or "",
                owed=Decimal(credit - debit) / 100,
                received=Decimal(credit) / 100,
                paid=Decimal(debit) / 100,
                contracts=contract_ids,
            )
        )
    return out


# ---- for the household's benefit (phase 2) ------------------------------------------------


@dataclass(frozen=True)
class PaidRow:
    household_id: int
    amount: Decimal
    voucher_id: int | None
    event: RentPayment


def rent_paid_to_households(user: User | None, village: AreaNode, year: int) -> list[PaidRow]:
    """The land rent paid to each household of `village` in `year`: one row per payment, with its
    voucher. `user` None reads without a scope (the platform's own reports)."""
    qs = RentPayment.objects.filter(
        contract__village=village, kind=PaymentKind.PAID, paid_on__year=year
    ).select_related("contract")
    if user is not None:
        qs = scope_for(user, Capability.ECONOMY_VIEW).filter(qs)
    return [
        PaidRow(household_id=p.household_id, amount=p.amount, voucher_id=p.voucher_id, event=p)
        for p in qs.order_by("household_id", "paid_on", "id")
        if p.household_id is not None
    ]


@dataclass(frozen=True)
class KeptRow:
    """The rent of the collective's own land in one enterprise payment, kept as the income of the
    organisation whose books carry the contract."""

    org_id: int
    amount: Decimal
    voucher_id: int | None
    payment_id: int


def rent_kept_by_collective(village: AreaNode, year: int) -> list[KeptRow]:
    """The rent the collective of `village` kept in `year` for its own land, one row per enterprise
    payment (by the day received). One query of values. Not scoped: the caller checks it."""
    qs = RentPayment.objects.filter(
        contract__village=village, kind=PaymentKind.RECEIVED, paid_on__year=year, kept__gt=0
    )
    rows = qs.order_by("paid_on", "id").values_list("contract__org_id", "kept", "voucher_id", "pk")
    return [KeptRow(*row) for row in rows]


def due_and_unpaid(today: dt.date) -> QuerySet[RentInstalment]:
    """Every instalment due by `today` and not paid, of active contracts (the daily job's read)."""
    return RentInstalment.objects.filter(
        status=InstalmentStatus.DUE, due_on__lte=today, contract__status=ContractStatus.ACTIVE
    )


def ending_within(today: dt.date, days: int) -> QuerySet[TransferContract]:
    return TransferContract.objects.filter(
        status=ContractStatus.ACTIVE, ends_on__gte=today, ends_on__lte=today + dt.timedelta(days=days)
    )
