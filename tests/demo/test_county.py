"""The county generator at small scale: generated once for the module (rolled back at the end)
around a minimal county 鄂州县 › 宋河镇 standing in for the demo town."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from stdnum.cn import uscc

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import scope_for
from hongniudai.audit import actions as AuditAction
from hongniudai.audit.models import AuditEvent
from hongniudai.benefits import selectors as benefits
from hongniudai.collective import selectors as collective
from hongniudai.collective.models import EconomicOrg, HouseholdAccount, Membership, ShareEntry, ShareKind
from hongniudai.common.identity import decrypt_id_number, id_number_digest, mask_id_number, parse_citizen_id
from hongniudai.common.tree import child_path
from hongniudai.demo.county import (
    ACTOR_NAME,
    BENCH_OPEN311_KEY,
    ENTERPRISES_PER_VILLAGE,
    TOWN_NAMES,
    CountyGenerator,
    plan_shape,
)
from hongniudai.distribution import selectors as distribution
from hongniudai.distribution.models import DistributionPlan, Dividend, Payout
from hongniudai.enterprises import rollups as enterprise_rollups
from hongniudai.enterprises.models import Employment, Enterprise
from hongniudai.governance.calendar import add_working_days
from hongniudai.governance.models import (
    LEVEL_OF_KIND,
    Agreement,
    EventKind,
    Matter,
    MatterEvent,
    MatterStatus,
    Open311Key,
    Outcome,
    open311_key_digest,
)
from hongniudai.governance.selectors import rule_for
from hongniudai.land import selectors as land
from hongniudai.land.models import Parcel, PaymentKind, RentInstalment, RentPayment
from hongniudai.ledger import selectors as ledger
from hongniudai.ledger.integrity import faults
from hongniudai.ledger.models import Account, Books, Period, PeriodStatus, Voucher, VoucherCounter, VoucherLine
from hongniudai.ledger.models import OrgKind as BooksKind
from hongniudai.orglife.models import Attendance, Meeting, MeetingKind, MeetingKindMark
from hongniudai.party.models import CentreHousehold, Member, OrgKind, PartyOrg
from hongniudai.places.models import AreaKind, AreaNode, Household, Resident
from hongniudai.production import selectors as production
from hongniudai.production.models import Planting, WagePayment, WorkRecord
from hongniudai.returnees import selectors as returnees
from hongniudai.returnees.models import Business, Returnee
from tests import factories as f
from tests.demo.county_economy import strip_economy
from tests.ledger.sheet import balance_sheet_totals

SCALE = "0.01"


def _county() -> AreaNode:
    """The demo town's stand-in: the generator works around whatever 宋河镇 it finds."""
    county = f.area(None, "鄂州县", AreaKind.COUNTY, code="420704")
    f.area(county, "宋河镇", AreaKind.TOWN)
    return county


@pytest.fixture(scope="module")
def county(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    with django_db_blocker.unblock(), transaction.atomic():
        _county()
        out = io.StringIO()
        call_command("generate_county", "--scale", SCALE, "--seed", "7", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def generated() -> list[AreaNode]:
    return list(AreaNode.objects.filter(kind=AreaKind.TOWN, name__in=TOWN_NAMES).order_by("sort_order"))


def test_progress_and_summary_printed(county: str, db: Any) -> None:
    assert "[1/2]" in county and "[2/2]" in county
    assert "行/秒" in county and "居民" in county and "事项" in county
    assert "生成完成" in county and "bench_county" in county


def test_counts_in_proportion(county: str, db: Any) -> None:
    scale = float(SCALE)
    towns = generated()
    assert len(towns) == len(plan_shape(scale)) == 2
    prefixes = [t.path for t in towns]

    def under(qs: Any, field: str) -> int:
        return sum(qs.filter(**{f"{field}__startswith": p}).count() for p in prefixes)

    households = under(Household.objects, "hamlet__path")
    residents = under(Resident.objects, "household__hamlet__path")
    members = under(Member.objects, "org__area__path")
    matters = under(Matter.objects, "origin_path")
    assert 0.6 * 300_000 * scale <= households <= 1.5 * 300_000 * scale
    assert 2.5 <= residents / households <= 4.2
    assert 0.02 <= members / residents <= 0.045
    assert 2.8 <= matters / households <= 3.8
    villages = AreaNode.objects.filter(kind=AreaKind.VILLAGE, path__startswith=towns[0].path)
    for village in villages:
        grids = village.children.count()
        assert 6 <= grids <= 10
        branch = PartyOrg.objects.get(area=village, kind=OrgKind.BRANCH)
        assert branch.children.filter(kind=OrgKind.PARTY_GROUP).count() == grids
    hamlets = AreaNode.objects.filter(kind=AreaKind.HAMLET, path__startswith=towns[0].path)
    with_centre = CentreHousehold.objects.filter(hamlet__in=hamlets).count()
    assert with_centre >= 0.9 * hamlets.count()
    # Meetings and enterprises in proportion too.
    assert Meeting.objects.filter(org__area__path__startswith=towns[0].path).count() >= villages.count() * 12
    # Enterprises: ENTERPRISES_PER_VILLAGE (uniform) in each village of the generated towns, some
    # with members of that village working there.
    all_villages = [v for p in prefixes for v in AreaNode.objects.filter(kind=AreaKind.VILLAGE, path__startswith=p)]
    low, high = ENTERPRISES_PER_VILLAGE
    enterprises = Enterprise.objects.filter(area__in=all_villages)
    assert low * len(all_villages) < enterprises.count() <= high * len(all_villages)
    assert under(Enterprise.objects, "area__path") == enterprises.count()
    employments = Employment.objects.filter(enterprise__in=enterprises).select_related(
        "enterprise__area", "member__org__area"
    )
    assert employments.exists()
    assert all(e.member.org.area_id == e.enterprise.area_id for e in employments)


def test_every_id_number_valid_and_unique(county: str, db: Any) -> None:
    rows = Resident.objects.filter(household__hamlet__path__startswith=generated()[0].path).values_list(
        "id_digest", "id_cipher", "id_masked", "sex", "birth_date"
    )
    seen = set()
    for digest, cipher, masked, sex, birth in rows:
        number = decrypt_id_number(cipher)
        cid = parse_citizen_id(number, sex=sex)  # region, birth date, sex digit, check character
        assert number.startswith("420704") and cid.birth_date == birth
        assert id_number_digest(number) == digest and mask_id_number(number) == masked
        seen.add(number)
    assert len(seen) == len(rows) > 1000
    assert Resident.objects.values("id_digest").distinct().count() == Resident.objects.count()


def test_tree_paths_consistent(county: str, db: Any) -> None:
    for model in (AreaNode, PartyOrg):
        paths = dict(model.objects.values_list("pk", "path"))
        for pk, parent_id, path, depth in model.objects.values_list("pk", "parent_id", "path", "depth"):
            expected = child_path(paths[parent_id] if parent_id else "", pk)
            assert path == expected and depth == path.count("/") - 1, (model, pk)
    # Orgs stand on their areas: a branch on a village, a party group on a grid of that village.
    for group in PartyOrg.objects.filter(kind=OrgKind.PARTY_GROUP).select_related("area", "parent__area"):
        assert group.area.kind == AreaKind.GRID and group.area.parent_id == group.parent.area_id
    for m in Member.objects.filter(org__area__path__startswith=generated()[0].path).select_related(
        "org", "party_group", "resident__household__hamlet"
    )[:500]:
        assert m.resident.household.hamlet.path.startswith(m.org.area.path if m.org.area.kind != "town" else "/")
        assert m.party_group is None or m.party_group.parent_id == m.org_id


def test_scopes(county: str, db: Any) -> None:
    bench_village = User.objects.get(username="bench_village")
    bench_grid = User.objects.get(username="bench_grid")
    bench_county = User.objects.get(username="bench_county")
    village = bench_village.assignments.get().area
    grid = bench_grid.assignments.get().area
    assert village.kind == AreaKind.VILLAGE and village.path.startswith(generated()[0].path)
    assert grid.kind == AreaKind.GRID and grid.parent_id == village.pk
    residents = scope_for(bench_village).filter(Resident.objects.all())
    assert residents.count() == Resident.objects.filter(household__hamlet__path__startswith=village.path).count() > 0
    matters = scope_for(bench_village).filter(Matter.objects.all())
    assert matters.exists() and not matters.exclude(origin_path__startswith=village.path).exists()
    assert scope_for(bench_grid).filter(Household.objects.all()).count() == (
        Household.objects.filter(hamlet__path__startswith=grid.path).count()
    )
    assert scope_for(bench_county).filter(Resident.objects.all()).count() == Resident.objects.count()
    assert scope_for(bench_county).filter(Matter.objects.all()).count() == Matter.objects.count()
    assert Open311Key.objects.get(digest=open311_key_digest(BENCH_OPEN311_KEY)).area.kind == AreaKind.COUNTY


def test_matter_invariants(county: str, db: Any) -> None:
    town = generated()[0]
    matters = list(Matter.objects.filter(origin_path__startswith=town.path).select_related("area", "category"))
    assert len(matters) > 1000
    events: dict[int, list[tuple[str, Any, str, str]]] = {}
    for matter_id, kind, at, from_level, to_level in (
        MatterEvent.objects.filter(matter__in=matters)
        .order_by("matter_id", "at", "id")
        .values_list("matter_id", "kind", "at", "from_level", "to_level")
    ):
        events.setdefault(matter_id, []).append((kind, at, from_level, to_level))
    agreements = set(Agreement.objects.filter(matter__in=matters).values_list("matter_id", flat=True))
    statuses: Counter[str] = Counter()
    settled: Counter[str] = Counter()
    rules: dict[tuple[int, str], tuple[int, int]] = {}
    for i, m in enumerate(matters):
        statuses[m.status] += 1
        assert m.number == f"{m.reported_at.astimezone(m.level_since.tzinfo).year}{m.pk:07d}" or m.number.endswith(
            f"{m.pk:07d}"
        )
        assert m.origin_path.startswith(m.area.path) and m.level == LEVEL_OF_KIND[m.area.kind]
        assert m.place.kind == AreaKind.HAMLET and m.origin_path == m.place.path
        trail = events[m.pk]
        assert trail[0][0] == EventKind.REPORT and trail[0][1] == m.reported_at
        assert all(a[1] <= b[1] for a, b in zip(trail, trail[1:], strict=False))
        assert m.escalations == sum(1 for e in trail if e[0] == EventKind.ESCALATE)
        assert m.level_since >= m.reported_at
        if m.status == MatterStatus.NEW:
            assert m.accepted_at is None and m.resolved_at is None and not m.resolved_level and not m.outcome
        elif m.status == MatterStatus.ACCEPTED:
            assert m.accepted_at is not None and m.resolved_at is None and not m.resolved_level
        else:
            assert m.resolved_at is not None and m.resolved_level == m.level and m.outcome
            assert m.accepted_at is not None and m.accepted_at <= m.resolved_at
            assert trail[-1][0] in (EventKind.RESOLVE, EventKind.FOLLOW_UP)
            settled[m.resolved_level] += 1
        if m.status == MatterStatus.CLOSED:
            assert trail[-1][0] == EventKind.FOLLOW_UP and m.satisfaction
        if m.outcome == Outcome.AGREEMENT:
            assert m.pk in agreements
        if i % 97 == 0:  # deadlines as the services compute them
            key = (m.category_id, m.level)
            if key not in rules:
                rules[key] = rule_for(m.category, m.level)[:2]
            accept, settle = rules[key]
            assert m.accept_due_at == add_working_days(m.level_since, accept)
            assert m.settle_due_at == add_working_days(m.level_since, settle)
    assert statuses[MatterStatus.CLOSED] > statuses[MatterStatus.RESOLVED] > 0
    assert statuses[MatterStatus.NEW] + statuses[MatterStatus.ACCEPTED] > 0
    assert settled["hamlet"] > settled["grid"] > 0 and settled["village"] > 0 and settled["town"] > 0


def test_meetings_marks_and_attendance(county: str, db: Any) -> None:
    town = generated()[0]
    meetings = Meeting.objects.filter(org__area__path__startswith=town.path).annotate(n=Count("attendance"))
    assert meetings.exists()
    for meeting in meetings[:300]:
        assert meeting.n > 0 and meeting.voting_present <= meeting.voting_total
        present = Attendance.objects.filter(meeting=meeting, present=True).count()
        assert meeting.voting_present <= present
    for mark in MeetingKindMark.objects.filter(kind=MeetingKind.MEMBER_MEETING, org__area__path__startswith=town.path):
        meeting = mark.meeting
        assert mark.org_id == meeting.org_id and mark.held_on == meeting.held_on
        assert mark.counts == (meeting.voting_present * 2 > meeting.voting_total)


def test_enterprises_have_valid_codes(county: str, db: Any) -> None:
    codes = list(Enterprise.objects.values_list("uscc", flat=True))
    assert codes and all(uscc.is_valid(c) for c in codes) and len(set(codes)) == len(codes)


def test_one_audit_row_and_second_run_changes_nothing(county: str, db: Any) -> None:
    rows = AuditEvent.objects.filter(action=AuditAction.IMPORT, actor_name=ACTOR_NAME)
    assert rows.count() == 1 and rows.get().changes["residents"] > 0
    before = (AreaNode.objects.count(), Resident.objects.count(), User.objects.count(), Open311Key.objects.count())
    out = io.StringIO()
    call_command("generate_county", "--scale", SCALE, "--quiet", stdout=out)
    assert "未重复生成" in out.getvalue()
    after = (AreaNode.objects.count(), Resident.objects.count(), User.objects.count(), Open311Key.objects.count())
    assert before == after and rows.count() == 1


def test_counters_rebuilt(county: str, db: Any) -> None:
    hamlet = AreaNode.objects.filter(kind=AreaKind.HAMLET, path__startswith=generated()[0].path).first()
    assert hamlet is not None
    if hasattr(hamlet, "households_here"):
        assert hamlet.households_here == Household.objects.filter(hamlet=hamlet).count() > 0
    # The enterprises' kept coverage, as defined (`enterprises.rollups`), in every state found.
    defined = enterprise_rollups.computed(Enterprise.objects.all())
    assert {(e.pk, e.computed_full_members, e.computed_coverage) for e in defined} == {
        (e.pk, e.full_members, e.coverage) for e in defined
    }


def fingerprint(county: AreaNode) -> tuple[Any, ...]:
    prefix = county.path
    return (
        list(AreaNode.objects.filter(path__startswith=prefix).order_by("id").values_list("name", flat=True)),
        list(
            Resident.objects.filter(household__hamlet__path__startswith=prefix)
            .order_by("id")
            .values_list("name", "birth_date", "sex", "id_digest")
        ),
        list(
            Matter.objects.filter(origin_path__startswith=prefix).order_by("id").values_list("title", "status", "level")
        ),
        list(
            RentInstalment.objects.filter(contract__area_path__startswith=prefix)
            .order_by("id")
            .values_list("household__number", "amount", "status")
        ),
        list(Voucher.objects.filter(books__area_path__startswith=prefix).order_by("id").values_list("summary", "date")),
    )


def test_same_seed_same_county(county: str, db: Any) -> None:
    """Two runs of one seed on fresh counties (rolled back in between) write the same county."""
    prints = []
    for _run in range(2):
        with transaction.atomic():
            other = f.area(None, "鄂州县(对照)", AreaKind.COUNTY, code="420704")
            gen = CountyGenerator(scale=0.002, seed=11, say=lambda _m: None, progress=lambda _m: None)
            summary = gen.run(other)
            prints.append((summary.counts, fingerprint(other)))
            transaction.set_rollback(True)
    assert prints[0][0] == prints[1][0] and prints[0][0]["residents"] > 1000
    assert prints[0][1] == prints[1][1]


def test_a_county_generated_on_a_leap_day(db: Any) -> None:
    """Ages and memberships counted back from 29 February land on the 28th in common years."""
    at = dt.datetime(2028, 2, 29, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(at, tick=False), transaction.atomic():
        other = f.area(None, "鄂州县(闰日)", AreaKind.COUNTY, code="420704")
        gen = CountyGenerator(scale=0.002, seed=11, say=lambda _m: None, progress=lambda _m: None)
        summary = gen.run(other)
        assert summary.counts["residents"] > 1000
        assert not Matter.objects.filter(origin_path__startswith=other.path, reported_at__gt=at).exists()
        transaction.set_rollback(True)


def test_every_village_has_books_that_verify_and_balance(county: str, db: Any) -> None:
    villages = [v for t in generated() for v in AreaNode.objects.filter(kind=AreaKind.VILLAGE, path__startswith=t.path)]
    books = list(Books.objects.filter(village__in=villages, kind=BooksKind.SHAREHOLDING))
    assert len(books) == len(villages) > 0
    today = timezone.localdate()
    for one in books:
        assert faults(one) == []
        assets, claims = balance_sheet_totals(one)
        assert assets == claims > 0
        vouchers = Voucher.objects.filter(books=one)
        assert vouchers.count() > 60
        for counter in VoucherCounter.objects.filter(books=one):
            assert counter.last_number == vouchers.filter(year=counter.year).count()
        closed = Period.objects.filter(books=one, status=PeriodStatus.CLOSED)
        assert closed.count() == 12 and not closed.filter(year=today.year, month=today.month).exists()
    out = io.StringIO()
    call_command("verify_ledger", stdout=out)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL's triggers refuse deleting posted books")
def test_a_second_run_gives_books_to_a_generated_village_that_has_none(county: str, db: Any) -> None:
    """A county generated before the ledger existed: its villages get books on the next run."""
    village = AreaNode.objects.filter(kind=AreaKind.VILLAGE, path__startswith=generated()[0].path).first()
    assert village is not None
    books = Books.objects.get(village=village, kind=BooksKind.SHAREHOLDING)
    strip_economy(books)
    VoucherLine.objects.filter(voucher__books=books).delete()
    Voucher.objects.filter(books=books).delete()
    Account.objects.filter(books=books).update(parent=None)
    books.delete()
    out = io.StringIO()
    call_command("generate_county", "--scale", SCALE, "--quiet", stdout=out)
    again = Books.objects.get(village=village, kind=BooksKind.SHAREHOLDING)
    assert faults(again) == [] and Voucher.objects.filter(books=again).count() > 60
    assert balance_sheet_totals(again)[0] == balance_sheet_totals(again)[1] > 0


# ---- the collective economy ------------------------------------------------------------------------


def generated_villages() -> list[AreaNode]:
    return [v for t in generated() for v in AreaNode.objects.filter(kind=AreaKind.VILLAGE, path__startswith=t.path)]


def test_every_village_has_its_collective_economy(county: str, db: Any) -> None:
    """Each generated village: its collective on its own books, most households members with shares,
    parcels under transfer contracts with rent due, last year's distribution, a returnee or two; the
    first village of each town (and some others) a cooperative with its books, plantings and work."""
    villages = generated_villages()
    assert "集体经济" in county
    for village in villages:
        org = EconomicOrg.objects.select_related("books").get(village=village, founded_by=None)
        assert org.books is not None and org.books.village_id == village.pk and org.area_path == village.path
        households = Household.objects.filter(hamlet__path__startswith=village.path).count()
        assert 0.75 * households <= Membership.objects.filter(org=org).count() < households
        assert ShareEntry.objects.filter(org=org, household=None, kind=ShareKind.COLLECTIVE).exists()
        assert Parcel.objects.filter(village=village).count() >= 6
        assert RentInstalment.objects.filter(contract__village=village, contract__org=org).exists()
        plan = DistributionPlan.objects.get(org=org)
        dividends = sum(Dividend.objects.filter(plan=plan).values_list("amount", flat=True))
        assert dividends == (plan.surplus * Decimal("0.7")).quantize(Decimal("0.01"))
        assert Returnee.objects.filter(village=village).exists()
    coops = EconomicOrg.objects.filter(village__in=villages, founded_by__isnull=False).select_related("books")
    assert {c.village.code[-3:] for c in coops} >= {"001"}
    for coop in coops:
        assert coop.books is not None and coop.books.kind == BooksKind.COOPERATIVE
        assert Planting.objects.filter(org=coop).exists() and WorkRecord.objects.filter(org=coop).exists()
    payments = RentPayment.objects.filter(contract__village__in=villages)
    assert payments.filter(kind=PaymentKind.PAID).exists()
    # an enterprise's rent: received for every household, split by area, then paid to them
    assert payments.filter(kind=PaymentKind.RECEIVED, contract__enterprise__isnull=False).exists()
    assert Business.objects.filter(village__in=villages).exists()


EVENTS = (RentInstalment, RentPayment, WorkRecord, WagePayment, DistributionPlan, Payout)


def test_the_economy_money_is_posted_as_the_services_post_it(county: str, db: Any) -> None:
    """Each money event names its voucher and the voucher names it back, in the books of its
    organisation; each household's sub-account sits below 113 / 213 in those books; every books
    (the cooperatives' too) verifies."""
    books_of_org = dict(EconomicOrg.objects.values_list("pk", "books_id"))
    for model in EVENTS:
        label = model._meta.label_lower
        org = {
            RentInstalment: "contract__org",
            RentPayment: "contract__org",
            DistributionPlan: "org",
            Payout: "dividend__plan__org",
        }.get(model, "org")
        rows = model.objects.filter(voucher__isnull=False).values_list("pk", org, "voucher__source", "voucher__books")
        assert rows.exists(), label
        for pk, org_id, source, books_id in rows:
            assert source == f"{label}:{pk}" and books_id == books_of_org[org_id]
    sources = Voucher.objects.exclude(source="").values_list("source", flat=True)
    for model in EVENTS:
        label = model._meta.label_lower
        ids = {int(s.split(":")[1]) for s in sources if s.startswith(f"{label}:")}
        assert ids == set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))
    for ha in HouseholdAccount.objects.select_related("account__parent"):
        account = ha.account
        assert account.books_id == ha.books_id and account.parent.code == ha.parent_code in ("113", "213")
        assert account.code.startswith(ha.parent_code) and not account.parent.is_postable
    for one in Books.objects.filter(village__in=generated_villages()):
        assert faults(one) == []
    out = io.StringIO()
    call_command("verify_ledger", stdout=out)
    assert "账套校验通过" in out.getvalue()


def test_a_households_benefits_equal_its_vouchers(county: str, db: Any) -> None:
    """The benefit page's figures for a household (rent, wages, dividends) are the payments on its
    sub-accounts this year, to the fen."""
    root = f.superuser()
    year = timezone.localdate().year
    households = {
        "rent": RentPayment.objects.values_list("household", flat=True)[:15],
        "wages": WagePayment.objects.values_list("household", flat=True)[:15],
        "dividends": Payout.objects.values_list("dividend__household", flat=True)[:15],
    }
    for source, ids in households.items():
        assert ids, source
        for household in Household.objects.filter(pk__in=list(ids)):
            totals = benefits.household_year(root, household, year).totals
            assert getattr(totals, source) > 0
            paid = VoucherLine.objects.filter(
                account__household_account__household=household, voucher__year=year, debit_fen__gt=0
            ).aggregate(s=Sum("debit_fen"))["s"]
            assert (totals.rent + totals.wages + totals.dividends) * 100 == paid


def test_the_economy_lists_find_rows_for_the_bench_users(county: str, db: Any) -> None:
    # The village's first books (the bench's books pages) stay the collective's, not a cooperative's.
    first = ledger.books_list(user=User.objects.get(username="bench_village")).order_by("area_path", "pk").first()
    assert first is not None and first.kind == BooksKind.SHAREHOLDING
    for username in ("bench_county", "bench_village"):
        user = User.objects.get(username=username)
        assert collective.orgs(user).exists() and collective.decisions(user).exists()
        assert land.parcels(user).exists() and land.contracts(user).exists()
        assert production.plantings(user).exists() and production.contracts(user).exists()
        assert distribution.plans(user).exists()
        assert returnees.returnees(user).exists() and returnees.businesses(user).exists()
    # A grid worker reads what lies in the grid: the economy's rows stand at the village, but for
    # the returnees (at their hamlet), one of whom each village has in its first grid.
    assert returnees.returnees(User.objects.get(username="bench_grid")).exists()
