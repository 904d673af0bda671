"""The rollup of 利益联结 (`ReceivedYear`): per village, household and year, what the household
received from the village's sources. `received` is the definition (one grouped query per source,
through the packages' `*_paid_in_village` interfaces), never added to or subtracted from; the rows
are kept true in two ways:

- `refresh(village_id=, year=)`: recomputes one village's year. The sources' services (land, production,
  distribution, returnees) sit below `benefits` and do not import it: each says what it wrote
  through `common.rollups.changed(PAID_TO_HOUSEHOLDS, village_id=, year=)`, and the books' red
  reversal says `changed(VOUCHER_REVERSED, voucher_id=)` (a reversed wage payment no longer counts);
  `BenefitsConfig.ready` listens to both. In the writer's transaction, skipped inside
  `common.rollups.deferred()`.
- `rebuild()`: recomputes every row (after bulk writes: the demo, the county generator);
  registered with `common.rollups`.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet, Sum

from hongniudai.common.rollups import Say, is_deferred, register
from hongniudai.distribution.interface import dividends_paid_in_village
from hongniudai.land.interface import rent_paid_in_village
from hongniudai.places.models import AreaKind, AreaNode
from hongniudai.production.interface import wages_paid_in_village, wages_paid_with_voucher
from hongniudai.returnees.interface import returnee_wages_in_village

from .models import ReceivedYear

ZERO = Decimal("0.00")
RENT, WAGES, DIVIDENDS, RETURNEE_WAGES = "rent", "wages", "dividends", "returnee_wages"

# Each source's payments in a village (of a year, or of every year for None), the field naming the
# household each reached and the year each counts in.
VILLAGE_SOURCES: tuple[tuple[str, Callable[[AreaNode, int | None], QuerySet[Any]], str, str], ...] = (
    (RENT, rent_paid_in_village, "household_id", "paid_on__year"),
    (WAGES, wages_paid_in_village, "household_id", "paid_on__year"),
    (DIVIDENDS, dividends_paid_in_village, "dividend__household_id", "paid_on__year"),
    (RETURNEE_WAGES, returnee_wages_in_village, "employment__household_id", "year"),
)


def received(village: AreaNode, year: int | None) -> dict[tuple[int, int], dict[str, Decimal]]:
    """What each household received from `village`'s sources in `year` (None: in every year), per
    (household id, year) and source: one grouped query per source (summed by the database)."""
    sums: dict[tuple[int, int], dict[str, Decimal]] = {}
    for source, payments, household, year_field in VILLAGE_SOURCES:
        grouped = payments(village, year).order_by().values_list(household, year_field).annotate(total=Sum("amount"))
        for household_id, in_year, total in grouped:
            if household_id is not None:
                amounts = sums.setdefault((household_id, in_year), dict.fromkeys((s[0] for s in VILLAGE_SOURCES), ZERO))
                amounts[source] += total
    return sums


def _rows(village: AreaNode, year: int | None) -> list[ReceivedYear]:
    return [
        ReceivedYear(
            village=village, household_id=household_id, year=in_year, total=sum(amounts.values(), ZERO), **amounts
        )
        for (household_id, in_year), amounts in sorted(received(village, year).items())
    ]


@transaction.atomic
def refresh(*, village_id: int, year: int) -> None:
    """Recompute `village_id`'s rows of `year`. The village's row is locked first, so that the
    summing runs after a concurrent writer to the same village has committed."""
    if is_deferred():
        return
    village = AreaNode.objects.select_for_update(of=("self",)).filter(pk=village_id, kind=AreaKind.VILLAGE).first()
    if village is None:
        return
    ReceivedYear.objects.filter(village_id=village_id, year=year).delete()
    ReceivedYear.objects.bulk_create(_rows(village, year), batch_size=1000)


def voucher_reversed(*, voucher_id: int) -> None:
    """A voucher was reversed in red: recompute the village's year of each wage payment it recorded."""
    paid = set(wages_paid_with_voucher(voucher_id))
    if not paid:
        return
    villages = dict(
        AreaNode.objects.filter(kind=AreaKind.VILLAGE, path__in={path for path, _y in paid}).values_list("path", "pk")
    )
    for path, year in sorted(paid):
        if path in villages:
            refresh(village_id=villages[path], year=year)


@register("benefits_received")
@transaction.atomic
def rebuild(say: Say = lambda _msg: None) -> int:
    """Recompute every row: each village's every year (four grouped queries a village)."""
    ReceivedYear.objects.all().delete()
    n = 0
    for village in AreaNode.objects.filter(kind=AreaKind.VILLAGE).order_by("pk").iterator():
        rows = _rows(village, None)
        ReceivedYear.objects.bulk_create(rows, batch_size=1000)
        n += len(rows)
    say(f"    {n} household years")
    return n
