"""The compliance rollup (`ObligationUnit`): every obligation of every branch and party group —
an organisation, a kind, a unit of its rule's frequency — with the counting marks held in it,
for each year listed in `ObligationYear`.

The compliance pages cannot derive 3,500 organisations' obligations in Python per request (see
docs/bench/); they count these rows in SQL instead, reading the status against today (met: held
≥ times; missing: not met and the unit has ended; pending otherwise). The rows are computed by
`selectors.compute_obligations` (the definition, kept as the source of truth), never by adding
and subtracting, and kept true in three ways:

- `refresh_orgs(ids)`: the services call it in the same transaction after every change that
  moves an obligation: a meeting recorded, changed or deleted (its organisation), a local rule
  set, changed or deleted (the organisations in its area), an organisation created or changed
  (party's `contributions.org_changed`: its area, founding date or committee);
- `ensure_year(today)`: the daily task adds the current year's rows when a year begins;
- `rebuild()`: recomputes everything (after bulk writes: the demo, the county generator);
  registered with `common.rollups`.

A coarser tier (`ObligationSum`) counts the rows per root organisation, area at town level and
unit (a county's page reads ~340 of them a year instead of 50,000 rows). Each change above
recomputes the tier of the roots it touched from their rows (`_refresh_sums`, under the roots'
row locks, taken with the organisations' in one pass in id order); deleting an organisation (its
rows go with it) does the same (`orgs_changing`); `ensure_year` and `rebuild` compute it for what
they wrote.

A period reaching a year that is not built is derived in Python as before (`selectors`).
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Callable, Collection, Iterable

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from hongniudai.accounts.scope import Scope
from hongniudai.common.rollups import is_deferred, register
from hongniudai.common.tree import ancestor_ids, path_length_at_depth
from hongniudai.party.models import OrgKind, PartyOrg

from .compliance import Obligation, compute_obligations, rule_book
from .models import MeetingKindMark, ObligationSum, ObligationUnit, ObligationYear

# Years built back from the current one by `rebuild` (and earlier, down to the first meeting).
YEARS_BACK = 2
CHUNK = 500


def _row(ob: Obligation, area_paths: dict[int, str]) -> ObligationUnit:
    return ObligationUnit(
        org_id=ob.org_id,
        path=ob.org_path,
        area_path=area_paths[ob.org_id],
        kind=ob.kind,
        frequency=ob.unit.frequency,
        unit_start=ob.unit.start,
        unit_end=ob.unit.end,
        times=ob.times,
        held=ob.held,
        remind_days=ob.remind_days,
        remind_on=ob.unit.end - dt.timedelta(days=ob.remind_days),
    )


def _fill(org_ids: list[int] | None, years: Iterable[int]) -> int:
    """Write the rows of `org_ids` (None: every organisation) for `years`, in chunks of
    organisations. The caller has removed the rows it replaces."""
    years = sorted(years)
    if not years:
        return 0
    ids = org_ids
    if ids is None:
        ids = list(
            PartyOrg.objects.filter(kind__in=(OrgKind.BRANCH, OrgKind.PARTY_GROUP))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    book = rule_book()
    start, end = dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31)
    wanted = set(years)
    written = 0
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        obs = compute_obligations(
            Scope(everything=True), paths=None, start=start, end=end, today=end, book=book, org_ids=chunk
        )
        area_paths = dict(PartyOrg.objects.filter(pk__in=chunk).values_list("pk", "area__path"))
        rows = [_row(ob, area_paths) for ob in obs if ob.unit.start.year in wanted]
        ObligationUnit.objects.bulk_create(rows, batch_size=2000)
        written += len(rows)
    return written


def built_years() -> set[int]:
    return set(ObligationYear.objects.values_list("year", flat=True))


# ---- the coarse tier (`ObligationSum`) --------------------------------------------------------


def root_path(path: str) -> str:
    """The tier's key of an organisation's path: its root's path."""
    return path[: path_length_at_depth(ObligationSum.ORG_DEPTH)]


def _sums_of(units: QuerySet[ObligationUnit]) -> list[ObligationSum]:
    """The tier's rows of `units`, counted in SQL (one query)."""
    rows = (
        units.annotate(
            root=Substr("path", 1, path_length_at_depth(ObligationSum.ORG_DEPTH)),
            town=Substr("area_path", 1, path_length_at_depth(ObligationSum.AREA_DEPTH)),
        )
        .values("root", "town", "unit_start", "unit_end")
        .annotate(due=Count("pk"), met=Count("pk", filter=Q(held__gte=F("times"))))
        .order_by()
    )
    return [
        ObligationSum(
            path=r["root"],
            area_path=r["town"],
            unit_start=r["unit_start"],
            unit_end=r["unit_end"],
            due=r["due"],
            met=r["met"],
        )
        for r in rows
    ]


def _refresh_sums(roots: Collection[str]) -> None:
    """Recompute the tier of the roots (paths) from their rows. The caller holds the roots' row
    locks, so that two writers under one root count one after the other."""
    if not roots:
        return
    under = functools.reduce(operator.or_, [Q(path__under=r) for r in sorted(roots)])
    ObligationSum.objects.filter(path__in=roots).delete()
    ObligationSum.objects.bulk_create(_sums_of(ObligationUnit.objects.filter(under)), batch_size=2000)


def _lock(org_ids: Collection[int]) -> None:
    list(PartyOrg.objects.select_for_update().filter(pk__in=org_ids).order_by("pk").values_list("pk", flat=True))


def orgs_changing(org_ids: list[int]) -> Callable[[], None]:
    """Before organisations are deleted (their rows go with them, by cascade) or change type:
    what recomputes their roots' tier afterwards (party's `contributions.orgs_changing`)."""
    roots = {root_path(p) for p in PartyOrg.objects.filter(pk__in=org_ids).values_list("path", flat=True)}

    def after() -> None:
        if is_deferred() or not roots:
            return
        _lock({ancestor_ids(r)[0] for r in roots})
        _refresh_sums(roots)

    return after


@transaction.atomic
def refresh_orgs(org_ids: Collection[int]) -> None:
    """Recompute the rows of the given organisations for every built year, and their roots' tier.
    Their rows and their roots' are locked first (in one pass, in id order), so that the counting
    runs after a concurrent writer to the same organisation, or under the same root, has committed."""
    ids = sorted(set(org_ids))
    if not ids or is_deferred():
        return
    roots = {root_path(p) for p in PartyOrg.objects.filter(pk__in=ids).values_list("path", flat=True)}
    _lock({*ids, *(ancestor_ids(r)[0] for r in roots)})
    years = built_years()
    if not years:
        return
    ObligationUnit.objects.filter(org_id__in=ids).delete()
    _fill(ids, years)
    _refresh_sums(roots)


def refresh_area(area_path: str) -> None:
    """Recompute the organisations whose area lies under `area_path` (a local rule changed)."""
    refresh_orgs(
        list(
            PartyOrg.objects.filter(
                kind__in=(OrgKind.BRANCH, OrgKind.PARTY_GROUP), area__path__under=area_path
            ).values_list("pk", flat=True)
        )
    )


@transaction.atomic
def ensure_year(today: dt.date | None = None) -> bool:
    """Build the current year when it is not built yet (the daily task); True when it did."""
    year = (today or timezone.localdate()).year
    if ObligationYear.objects.filter(year=year).exists() or not ObligationYear.objects.exists():
        return False
    ObligationUnit.objects.filter(unit_start__year=year).delete()
    _fill(None, [year])
    ObligationSum.objects.filter(unit_start__year=year).delete()
    ObligationSum.objects.bulk_create(_sums_of(ObligationUnit.objects.filter(unit_start__year=year)), batch_size=2000)
    ObligationYear.objects.get_or_create(year=year)
    return True


def years_to_build(today: dt.date) -> list[int]:
    first = MeetingKindMark.objects.order_by("held_on").values_list("held_on", flat=True).first()
    since = today.year - YEARS_BACK
    if first is not None:
        since = min(since, first.year)
    return list(range(since, today.year + 1))


@register("orglife_obligations")
@transaction.atomic
def rebuild(say: Callable[[str], None] = lambda _m: None, *, today: dt.date | None = None) -> int:
    """Recompute every row, for the years from the first meeting (at most `YEARS_BACK` before
    this one) to this one, and the tier from them."""
    n = rebuild_units(say, today=today)
    rebuild_sums(say)
    return n


@transaction.atomic
def rebuild_units(say: Callable[[str], None] = lambda _m: None, *, today: dt.date | None = None) -> int:
    """The rows alone (the migration that first filled them, before the tier existed)."""
    years = years_to_build(today or timezone.localdate())
    ObligationUnit.objects.all().delete()
    ObligationYear.objects.all().delete()
    n = _fill(None, years)
    ObligationYear.objects.bulk_create([ObligationYear(year=y) for y in years])
    say(f"    {n} obligations, {years[0]}–{years[-1]}")
    return n


@transaction.atomic
def rebuild_sums(say: Callable[[str], None] = lambda _m: None) -> int:
    """The tier from the rows, all of it."""
    ObligationSum.objects.all().delete()
    rows = ObligationSum.objects.bulk_create(_sums_of(ObligationUnit.objects.all()), batch_size=2000)
    say(f"    {len(rows)} sums per root, area and unit")
    return len(rows)
