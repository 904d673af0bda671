"""归雁工程 in the demo town: 罗华清's grape farm, 陈磊's pig farm and 马星's fish-breeding farm
(`economy_plan.RETURNEES`), each employing villagers of formerly poor households (脱贫户) with a
wage record for last year and this year so far, and the support each was given. Written through
`returnees.services` by the town's administrator (the three villages have no demo account)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.places.models import AreaKind, AreaNode, Household, Resident
from hongniudai.returnees import services as returnees
from hongniudai.returnees.models import Business

from . import economy_plan as plan

CENT = Decimal("0.01")


def employees(village: AreaNode, founder: Resident, count: int, today: dt.date) -> list[Resident]:
    """One villager of working age from each of `count` households of the village, formerly poor
    households first (the founder's own household left out)."""
    young, old = dt.date(today.year - 18, 1, 1), dt.date(today.year - 60, 1, 1)
    households = (
        Household.objects.filter(hamlet__path__startswith=village.path)
        .exclude(pk=founder.household_id)
        .order_by("-is_formerly_poor", "id")
        .values_list("pk", flat=True)
    )
    people: list[Resident] = []
    for pk in households[: count * 4]:
        resident = (
            Resident.objects.filter(household_id=pk, birth_date__lte=young, birth_date__gte=old)
            .order_by("birth_date")
            .first()
        )
        if resident is not None:
            people.append(resident)
        if len(people) == count:
            break
    return people


def wage_years(started: dt.date, wage: Decimal, today: dt.date) -> list[tuple[int, Decimal]]:
    """(year, wages): a whole year's wage for every month worked, last year's and this year's so far."""
    out = []
    for year in (today.year - 1, today.year):
        first = max(started, dt.date(year, 1, 1))
        last = min(today, dt.date(year, 12, 31))
        months = (last.year - first.year) * 12 + last.month - first.month + (1 if last.day >= 15 else 0)
        if months > 0:
            out.append((year, (wage * min(months, 12) / 12).quantize(CENT)))
    return out


def load_business(actor: User, town: AreaNode, spec: plan.ReturneePlan, today: dt.date) -> Business:
    village = AreaNode.objects.get(path__startswith=town.path, kind=AreaKind.VILLAGE, name=spec.village)
    founder = Resident.objects.get(name=spec.name, household__hamlet__path__startswith=village.path)
    returnee = returnees.register_returnee(
        actor=actor,
        resident=founder,
        returned_on=spec.returned,
        came_from=spec.came_from,
        previous_work=spec.previous_work,
        skills=spec.skills,
        note=_("归雁工程"),
    )
    business = returnees.register_business(
        actor=actor,
        founder=returnee,
        village=village,
        name=spec.business,
        kind=spec.kind,
        started_on=spec.started,
        investment=spec.investment,
        scale=spec.scale,
        note=_("带动周边脱贫户务工增收"),
    )
    started = dt.date(today.year - 1, 3, 1)
    for resident in employees(village, founder, spec.employs, today):
        employment = returnees.employ_resident(
            actor=actor, business=business, resident=resident, started_on=started, job=_("长期务工")
        )
        for year, amount in wage_years(started, spec.wage, today):
            returnees.record_wages(actor=actor, employment=employment, year=year, amount=amount)
    for n, (kind, given_by, given, note) in enumerate(spec.support, start=1):
        returnees.record_support(
            actor=actor,
            kind=kind,
            given_on=spec.started + dt.timedelta(days=30 * n),
            given_by=given_by,
            business=business,
            amount=given,
            note=note,
        )
    return business


def load_returnees(actor: User, town: AreaNode, today: dt.date) -> int:
    """The three returnees and their businesses; returns how many."""
    for spec in plan.RETURNEES:
        load_business(actor, town, spec, today)
    return len(plan.RETURNEES)
