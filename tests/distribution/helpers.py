"""A village's collective economic organisation with books on the 2023 chart, a year's surplus in
them, a distribution decision resolved by the villagers' meeting, and households holding shares."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hongniudai.collective.interface import (
    Decision,
    DecisionSubject,
    EconomicOrg,
    OrgKind,
    ShareEntry,
    ShareKind,
)
from hongniudai.distribution import services
from hongniudai.distribution.models import DistributionPlan
from hongniudai.ledger import services as ledger
from hongniudai.ledger.charts import CK_2023, load_chart
from hongniudai.ledger.interface import Account, LineSpec
from hongniudai.ledger.models import OrgKind as BooksKind
from hongniudai.places.models import AreaNode, Household
from tests import factories as f

YEAR = 2025
RECORD_DATE = dt.date(2025, 12, 31)
APPROVED_ON = dt.date(2026, 3, 1)
PAID_ON = dt.date(2026, 3, 10)


def make_org(
    village: AreaNode, actor: Any, *, kind: str = OrgKind.SHAREHOLDING_COLLECTIVE, surplus: str = "100000.00"
) -> EconomicOrg:
    """The village's organisation with its books, `surplus` yuan of the year's income in them."""
    books = ledger.open_books(
        actor=actor,
        village=village,
        name=f"{village.name}股份经济合作社",
        kind=BooksKind.SHAREHOLDING,
        opened_on=dt.date(YEAR, 1, 1),
        chart=load_chart(CK_2023).accounts,
    )
    org = EconomicOrg.objects.create(village=village, area_path=village.path, name=books.name, kind=kind, books=books)
    if Decimal(surplus) > 0:
        ledger.post_entry(
            actor=actor,
            books=books,
            date=dt.date(YEAR, 12, 31),
            summary="结转本年收益",
            lines=[
                LineSpec(account=Account.objects.get(books=books, code="102"), debit=Decimal(surplus)),
                LineSpec(account=Account.objects.get(books=books, code="321"), credit=Decimal(surplus)),
            ],
            idempotency_key=f"test-surplus:{org.pk}",
        )
    return org


def resolved_decision(village: AreaNode, *, resolved: bool = True) -> Decision:
    decision = Decision.objects.create(
        village=village, area_path=village.path, subject=DecisionSubject.DISTRIBUTION, title=f"{YEAR}年度收益分配"
    )
    if resolved:
        decision.steps.create(kind="propose", held_on=dt.date(2026, 1, 10))
        decision.steps.create(kind="resolve", held_on=dt.date(2026, 2, 20), attended=40, agreed=38)
    return decision


def holders(org: EconomicOrg, hamlet: AreaNode, shares: list[str], *, collective: str = "0") -> list[Household]:
    """Households holding `shares` each (and the collective share), registered before the record date."""
    households = []
    for number, held in enumerate(shares, start=1):
        household = f.household(hamlet, f"{hamlet.name}{number}号户")
        households.append(household)
        ShareEntry.objects.create(
            org=org,
            household=household,
            kind=ShareKind.MEMBER,
            contribution="allotted",
            shares=Decimal(held),
            effective_on=dt.date(2020, 1, 1),
            reason="折股量化",
        )
    if Decimal(collective) > 0:
        ShareEntry.objects.create(
            org=org,
            household=None,
            kind=ShareKind.COLLECTIVE,
            contribution="allotted",
            shares=Decimal(collective),
            effective_on=dt.date(2020, 1, 1),
            reason="集体股",
        )
    return households


def draft_plan(
    org: EconomicOrg, actor: Any, *, surplus: str = "100000.00", decision: Decision | None = None
) -> DistributionPlan:
    return services.create_plan(
        actor=actor,
        org=org,
        year=YEAR,
        surplus=Decimal(surplus),
        record_date=RECORD_DATE,
        decision=decision if decision is not None else resolved_decision(org.village),
    )


def approved_plan(town: Any, username: str, village: Any) -> DistributionPlan:
    """A village's approved plan: 20% reserve, 50,000 to 3 households of 1 share each."""
    actor = town.users[username]
    org = make_org(village.area, actor)
    holders(org, village.hamlet, ["1", "1", "1"])
    plan = draft_plan(org, actor)
    services.add_item(actor=actor, plan=plan, kind="reserve", percentage=Decimal("20"))
    services.add_item(actor=actor, plan=plan, kind="dividends", amount=Decimal("50000.00"))
    return services.approve_plan(actor=actor, plan=plan, approved_on=APPROVED_ON)
