"""Every read of distribution plans for an acting user (ECONOMY_VIEW over the plan's village), and
the figures the plan's page sets beside each other: the surplus in the books, the items resolved to
yuan, the 60% check of a specialised cooperative, the holdings on the record date."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, get_scoped_or_404, scope_for
from hongniudai.collective.interface import Decision, DecisionSubject, EconomicOrg, OrgKind, ShareEntry
from hongniudai.ledger.models import Balance
from hongniudai.ledger.money import CENT, yuan

from .models import DistributionPlan, Dividend, ItemKind, Payout, PlanItem

# 《中华人民共和国农民专业合作社法》第四十四条: the surplus returned to members by their transactions
# with the cooperative shall in total be no less than sixty per cent of the distributable surplus.
RETURNS_MINIMUM = Decimal("0.60")
RETURNS_RULE = _("《农民专业合作社法》第四十四条")

# The books' accounts whose closing credit balance at the year's end is what is left to distribute:
# 321 本年收益 (before the year-end close) and 32202 未分配收益 (brought forward, and after the close).
SURPLUS_CODES = ("321", "32202")


# ---- plans ------------------------------------------------------------------------------------


def plans(
    user: User, *, org: EconomicOrg | None = None, year: int | None = None, status: str = ""
) -> QuerySet[DistributionPlan]:
    """The visible plans, newest year first, each with its org and `item_count`."""
    qs = scope_for(user, Capability.ECONOMY_VIEW).filter(
        DistributionPlan.objects.select_related("org", "decision")
        .annotate(item_count=Count("items"))
        .order_by("-year", "area_path", "id")
    )
    if org is not None:
        qs = qs.filter(org=org)
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return qs


def plan_get(user: User, pk: int) -> DistributionPlan:
    """A visible plan (404 otherwise)."""
    return get_scoped_or_404(
        user,
        scope_for(user, Capability.ECONOMY_VIEW).filter(
            DistributionPlan.objects.select_related("org", "decision", "voucher")
        ),
        pk=pk,
    )


def items(user: User) -> QuerySet[PlanItem]:
    return scope_for(user, Capability.ECONOMY_VIEW).filter(PlanItem.objects.select_related("plan__org"))


def item_get(user: User, pk: int) -> PlanItem:
    return get_scoped_or_404(user, items(user), pk=pk)


def orgs_for_choice(user: User) -> QuerySet[EconomicOrg]:
    """The active organisations whose plans the user may draw up."""
    return scope_for(user, Capability.ECONOMY_WRITE).filter(EconomicOrg.objects.filter(is_active=True))


def orgs_for_filter(user: User) -> QuerySet[EconomicOrg]:
    return scope_for(user, Capability.ECONOMY_VIEW).filter(EconomicOrg.objects.all())


def decisions_for_choice(user: User) -> QuerySet[Decision]:
    """The distribution decisions (四议两公开, subject 收益分配) the user sees."""
    return scope_for(user, Capability.ECONOMY_VIEW).filter(
        Decision.objects.filter(subject=DecisionSubject.DISTRIBUTION)
    )


def has_payouts(plan: DistributionPlan) -> bool:
    return Payout.objects.filter(dividend__plan=plan).exists()


# ---- figures ----------------------------------------------------------------------------------


def book_surplus(plan: DistributionPlan) -> Decimal | None:
    """What the organisation's books hold to distribute at the end of the plan's year: the credit
    balances of 321 本年收益 and 32202 未分配收益 (brought forward) together; None without books."""
    books_id = plan.org.books_id
    if books_id is None:
        return None
    code_q = Q()
    for code in SURPLUS_CODES:
        code_q |= Q(account__code__startswith=code)
    rows = Balance.objects.filter(code_q, books_id=books_id, period__year__lte=plan.year).values_list(
        "debit_fen", "credit_fen"
    )
    return yuan(sum(credit - debit for debit, credit in rows))


def item_amount(item: PlanItem, surplus: Decimal) -> Decimal:
    """The item in yuan: its amount, or its percentage of `surplus` rounded to the fen."""
    if item.amount is not None:
        return item.amount
    percentage = item.percentage or Decimal(0)
    return (surplus * percentage / 100).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ItemRow:
    item: PlanItem
    amount: Decimal


@dataclass(frozen=True)
class PlanCheck:
    """The plan's figures: its items in yuan, their total against the surplus, and for a specialised
    cooperative the share returned by transaction volume against the legal minimum."""

    rows: list[ItemRow]
    surplus: Decimal
    total: Decimal
    returns: Decimal
    returns_required: bool
    returns_minimum: Decimal

    @property
    def within_surplus(self) -> bool:
        return self.total <= self.surplus

    @property
    def returns_share(self) -> Decimal | None:
        """The returns as a percentage of the surplus (one decimal)."""
        if self.surplus <= 0:
            return None
        return (self.returns * 100 / self.surplus).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def returns_ok(self) -> bool:
        return not self.returns_required or self.returns >= self.returns_minimum

    @property
    def rule(self) -> str:
        return str(RETURNS_RULE)


def check_items(org: EconomicOrg, surplus: Decimal, items: list[PlanItem]) -> PlanCheck:
    rows = [ItemRow(item, item_amount(item, surplus)) for item in items]
    returns = sum((r.amount for r in rows if r.item.kind == ItemKind.RETURNS), Decimal(0))
    return PlanCheck(
        rows=rows,
        surplus=surplus,
        total=sum((r.amount for r in rows), Decimal(0)),
        returns=returns,
        returns_required=org.kind == OrgKind.SPECIALISED_COOPERATIVE,
        returns_minimum=surplus * RETURNS_MINIMUM,
    )


def plan_check(plan: DistributionPlan) -> PlanCheck:
    """The plan's items (one query) with its figures."""
    return check_items(plan.org, plan.surplus, list(plan.items.all()))


# ---- share holdings ---------------------------------------------------------------------------


def holdings(org: EconomicOrg, on: dt.date) -> list[tuple[int | None, Decimal]]:
    """The share holders of `org` on `on` with their shares (the sum of their register entries up to
    it), those holding none left out: households by id, then the collective share (None)."""
    totals: dict[int | None, Decimal] = defaultdict(Decimal)
    for household_id, shares in ShareEntry.objects.filter(org=org, effective_on__lte=on).values_list(
        "household_id", "shares"
    ):
        totals[household_id] += Decimal(shares).quantize(CENT)
    held = [(holder, shares) for holder, shares in totals.items() if shares > 0]
    return sorted(held, key=lambda row: (row[0] is None, row[0] or 0))


# ---- dividends and payouts --------------------------------------------------------------------


def dividends(user: User, *, plan: DistributionPlan | None = None) -> QuerySet[Dividend]:
    """The visible dividends (of one plan), households in id order with their payout."""
    qs = scope_for(user, Capability.ECONOMY_VIEW).filter(
        Dividend.objects.select_related("plan__org", "household__head", "payout", "payout__voucher")
    )
    if plan is not None:
        qs = qs.filter(plan=plan)
    return qs.order_by("plan", "household_id", "id")


def dividend_get(user: User, pk: int) -> Dividend:
    return get_scoped_or_404(user, dividends(user), pk=pk)


def payouts(user: User, *, plan: DistributionPlan | None = None) -> QuerySet[Payout]:
    qs = scope_for(user, Capability.ECONOMY_VIEW).filter(
        Payout.objects.select_related("dividend__plan__org", "dividend__household", "voucher")
    )
    if plan is not None:
        qs = qs.filter(dividend__plan=plan)
    return qs


def payout_get(user: User, pk: int) -> Payout:
    return get_scoped_or_404(user, payouts(user), pk=pk)


@dataclass(frozen=True)
class PaidRow:
    """An amount paid to a household, with its voucher and the event (the payout) that paid it."""

    household_id: int
    amount: Decimal
    voucher_id: int
    paid_on: dt.date
    plan_year: int
    event: Payout


def paid_to_households(*, village_id: int | None = None, org_id: int | None = None, year: int) -> list[PaidRow]:
    """The dividends paid to households in `year` (by the day paid) by the organisations of a
    village (or one organisation), one row per payout, in household order. Not scoped: the caller
    (the household's benefit page) applies its own access rule."""
    qs = Payout.objects.filter(paid_on__year=year, dividend__household__isnull=False).select_related("dividend__plan")
    if village_id is not None:
        qs = qs.filter(dividend__plan__org__village_id=village_id)
    if org_id is not None:
        qs = qs.filter(dividend__plan__org_id=org_id)
    return [
        PaidRow(
            household_id=p.dividend.household_id or 0,
            amount=p.amount,
            voucher_id=p.voucher_id or 0,  # always set with the payout
            paid_on=p.paid_on,
            plan_year=p.dividend.plan.year,
            event=p,
        )
        for p in qs.order_by("dividend__household_id", "paid_on", "id")
    ]
