"""The compliance rollup: the pages read the same figures as the derivation in Python
(`compute_obligations`), the services keep it true after every write that moves an obligation,
and the pages' queries do not grow with organisations."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hongniudai.accounts.scope import Scope
from hongniudai.common import rollups as common_rollups
from hongniudai.orglife import rollups, selectors, services
from hongniudai.orglife.models import ObligationSum, ObligationUnit, ObligationYear
from hongniudai.party import services as party_services
from hongniudai.party.models import BranchType, OrgKind
from tests import factories as f

from .conftest import YEAR, attendance, hold

TODAY = dt.date(YEAR + 1, 3, 31)  # the last day of Q1 of the next year: its units pending, some due soon


@pytest.fixture
def today():
    with time_machine.travel(
        dt.datetime(TODAY.year, TODAY.month, TODAY.day, 10, tzinfo=timezone.get_current_timezone())
    ):
        yield TODAY


def _rows_of(obs):
    return sorted(
        (o.org_id, o.kind, o.unit.start, o.unit.end, o.unit.frequency, o.times, o.held, o.remind_days) for o in obs
    )


def assert_rollup_true():
    """The rollup's rows equal the derivation's for every built year."""
    years = sorted(rollups.built_years())
    assert years
    derived = selectors.compute_obligations(
        Scope(everything=True),
        paths=None,
        start=dt.date(years[0], 1, 1),
        end=dt.date(years[-1], 12, 31),
        today=dt.date(years[-1], 12, 31),
    )
    stored = [
        (r.org_id, r.kind, r.unit_start, r.unit_end, r.frequency, r.times, r.held, r.remind_days)
        for r in ObligationUnit.objects.all()
    ]
    assert sorted(stored) == _rows_of(derived)
    # The organisation's path and its area's, beside the key (scope and subtree read no join).
    assert not ObligationUnit.objects.exclude(path=F("org__path")).exists()
    assert not ObligationUnit.objects.exclude(area_path=F("org__area__path")).exists()
    # The coarse tier equals its rebuild from the rows.
    assert _sums() == _rebuilt_sums()


def _sums():
    return sorted(ObligationSum.objects.values_list("path", "area_path", "unit_start", "unit_end", "due", "met"))


def _rebuilt_sums():
    rows = rollups._sums_of(ObligationUnit.objects.all())
    return sorted((r.path, r.area_path, r.unit_start, r.unit_end, r.due, r.met) for r in rows)


def _varied(ol):
    """Meetings over two years, a local rule, a branch founded mid-year, one without a committee,
    a new party group and a member meeting below quorum."""
    t = ol.town
    admin = ol.admin
    xq = t.xuqiao
    services.create_rule(actor=admin, kind="theme_day", area=xq.area, frequency="monthly", times=2, source="村规")
    f.org(
        t.general_branch,
        "新建党支部",
        OrgKind.BRANCH,
        xq.area,
        branch_type=BranchType.VILLAGE,
        founded_on=dt.date(YEAR, 3, 15),
    )
    f.org(xq.branch, "徐桥村6组党小组", OrgKind.PARTY_GROUP, f.area(xq.area, "6组", "grid"))
    t.fashuihe.branch.has_committee = False
    t.fashuihe.branch.save(update_fields=["has_committee"])
    for month in (1, 2, 4, 7, 11):
        hold(xq.branch, dt.date(YEAR, month, 10), "committee_meeting", "theme_day")
    hold(xq.branch, dt.date(YEAR, 1, 20), "theme_day")
    hold(xq.branch, dt.date(YEAR, 3, 3), "member_meeting", "party_lecture")
    hold(xq.branch, dt.date(YEAR, 6, 3), "member_meeting", absent=ol.members[:2])  # below quorum
    hold(xq.group, dt.date(YEAR, 5, 8), "group_meeting")
    hold(t.fashuihe.branch, dt.date(YEAR, 12, 1), "review_meeting", "member_appraisal")
    hold(xq.branch, dt.date(YEAR + 1, 1, 9), "committee_meeting")
    hold(xq.branch, dt.date(YEAR + 1, 3, 2), "theme_day", "committee_meeting")


def _report_figures(report):
    return {
        "total": report.total,
        "children": [(org.pk, c) for org, c in report.children],
        "grid": [(row.org_id, row.kind, _rows_of(row.cells), [c.status for c in row.cells]) for row in report.grid],
        "due_soon": [(o.org_id, o.kind, o.unit.start, o.due_soon) for o in report.due_soon],
    }


def _all_figures(ol):
    t = ol.town
    admin = ol.admin
    periods = [
        (dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)),
        (dt.date(YEAR, 2, 14), dt.date(YEAR, 8, 3)),
        (dt.date(YEAR + 1, 1, 1), TODAY),
        (dt.date(YEAR, 6, 1), dt.date(YEAR + 1, 12, 31)),
    ]
    nodes = [None, t.committee, t.general_branch, t.xuqiao.branch, t.xuqiao.group, t.fashuihe.branch]
    out = []
    for start, end in periods:
        for node in nodes:
            for user in (admin, t.users["xuqiao"]):
                if user != admin and node not in (None, t.xuqiao.branch, t.xuqiao.group):
                    continue  # out of the village secretary's sight
                report = selectors.compliance_report(user, node=node, start=start, end=end)
                missing = list(selectors.missing_obligations(user, node=node, start=start, end=end))
                out.append((start, end, node and node.pk, user.pk, _report_figures(report), _rows_of(missing)))
        orgs = [t.committee, t.xuqiao.branch, t.fashuihe.group, t.general_branch]
        out.append(dict(selectors.org_compliance(admin, orgs=orgs, start=start, end=end)))
    return out


def test_pages_read_from_the_rollup_the_figures_derived_in_python(ol, today):
    _varied(ol)
    rollups.rebuild()
    assert ObligationYear.objects.filter(year=YEAR).exists()
    assert_rollup_true()
    from_rollup = _all_figures(ol)
    ObligationYear.objects.all().delete()  # the pages derive every obligation in Python again
    derived = _all_figures(ol)
    assert from_rollup == derived
    assert any(fig[4]["due_soon"] for fig in from_rollup if isinstance(fig, tuple))


def test_a_year_the_rollup_does_not_hold_is_derived(ol, today):
    rollups.rebuild()
    admin = ol.admin
    report = selectors.compliance_report(admin, node=None, start=dt.date(2015, 1, 1), end=dt.date(2015, 12, 31))
    assert report.total.due > 0 and report.total.missing == report.total.due


def test_the_services_keep_the_rollup_true(ol, today):
    t = ol.town
    admin = ol.admin
    xq = t.xuqiao
    rollups.rebuild()
    meeting = hold(xq.branch, dt.date(YEAR, 2, 10), "committee_meeting", "member_meeting")
    assert_rollup_true()
    services.update_meeting(
        actor=admin,
        meeting=meeting,
        held_on=dt.date(YEAR + 1, 2, 10),
        topic=meeting.topic,
        kinds=["theme_day"],
        attendance=attendance(xq.branch, dt.date(YEAR + 1, 2, 10), kinds=["theme_day"]),
    )
    assert_rollup_true()
    services.delete_meeting(actor=admin, meeting=meeting)
    assert_rollup_true()
    rule = services.create_rule(actor=admin, kind="theme_day", area=t.town, frequency="monthly", times=2, source="镇")
    assert_rollup_true()
    services.update_rule(actor=admin, rule=rule, frequency="monthly", times=3, remind_days=3, source="镇")
    assert_rollup_true()
    services.delete_rule(actor=admin, rule=rule)
    assert_rollup_true()
    new = party_services.create_org(
        actor=admin,
        name="新建党支部",
        kind=OrgKind.BRANCH,
        area=xq.area,
        parent=t.general_branch,
        branch_type=BranchType.VILLAGE,
        founded_on=dt.date(YEAR, 5, 2),
    )
    assert ObligationUnit.objects.filter(org=new).exists()
    assert_rollup_true()
    party_services.update_org(
        actor=admin,
        org=new,
        name=new.name,
        area=t.fashuihe.area,
        branch_type=BranchType.VILLAGE,
        founded_on=dt.date(YEAR, 9, 1),
        has_committee=False,
    )
    assert not ObligationUnit.objects.filter(org=new, kind="committee_meeting").exists()
    assert_rollup_true()
    party_services.delete_org(actor=admin, org=new)
    assert not ObligationUnit.objects.filter(org_id=new.pk).exists()
    assert_rollup_true()


def test_a_new_year_is_added_by_the_daily_task(ol, today):
    rollups.rebuild()
    assert max(rollups.built_years()) == TODAY.year
    assert not rollups.ensure_year(TODAY)
    assert rollups.ensure_year(dt.date(TODAY.year + 1, 1, 1))
    assert max(rollups.built_years()) == TODAY.year + 1
    assert_rollup_true()


def _more_branches(t, n, first):
    for i in range(first, first + n):
        area = f.area(t.district, f"新村{i}", "village")
        branch = f.org(t.general_branch, f"新村{i}党支部", OrgKind.BRANCH, area, branch_type=BranchType.VILLAGE)
        f.org(branch, f"新村{i}1组党小组", OrgKind.PARTY_GROUP, f.area(area, "1组", "grid"))
        hold(branch, dt.date(YEAR, 2, 1), "committee_meeting")


def test_the_compliance_pages_queries_do_not_grow_with_organisations(ol, today, client, django_assert_max_num_queries):
    t = ol.town
    client.force_login(ol.admin)
    urls = [
        reverse("orglife:compliance"),
        reverse("orglife:compliance") + f"?org={t.general_branch.pk}&start={YEAR}-01-01&end={YEAR + 1}-03-31",
        reverse("orglife:compliance") + f"?org={t.xuqiao.branch.pk}",
        reverse("orglife:missing_list") + f"?start={YEAR}-01-01",
        "/api/v1/orglife-compliance/",
    ]
    counts = {}
    for size, first in ((1, 0), (12, 1)):
        _more_branches(t, size, first)
        rollups.rebuild()
        for url in urls:
            with django_assert_max_num_queries(40) as captured:
                assert client.get(url).status_code == 200
            counts.setdefault(url, []).append(len(captured.captured_queries))
    for url, (small, large) in counts.items():
        assert large <= small, url


def test_bulk_writers_fill_the_rollup_once_at_the_end(ol, today):
    """The demo loader and the county generator write inside `common.rollups.deferred()` (or call
    `rebuild_all` after bulk inserts): the rollup is rebuilt with the others when they finish."""
    xq = ol.town.xuqiao
    rollups.rebuild()
    with common_rollups.deferred():
        hold(xq.branch, dt.date(YEAR, 5, 5), "committee_meeting")
        assert not ObligationUnit.objects.filter(org=xq.branch, held__gt=0).exists()
    assert ObligationUnit.objects.get(org=xq.branch, kind="committee_meeting", unit_start=dt.date(YEAR, 5, 1)).held == 1
    assert_rollup_true()
    assert "orglife_obligations" in common_rollups.rebuild_all()


def test_the_compliance_page_counts_its_total_and_children_in_one_read_of_the_rollup(ol, today, client):
    """The total is the sum of the children's groups (and of rows outside them), not a second
    scan of the scope: one aggregate over the rollup, and the due-soon rows."""
    t = ol.town
    _varied(ol)
    rollups.rebuild()
    client.force_login(ol.admin)
    for query in ("", f"?org={t.general_branch.pk}&start={YEAR}-01-01&end={YEAR + 1}-03-31"):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("orglife:compliance") + query).status_code == 200
        counted = [
            q["sql"]
            for q in captured.captured_queries
            if 'FROM "orglife_obligationunit"' in q["sql"] or 'FROM "orglife_obligationsum"' in q["sql"]
        ]
        assert sum("COUNT(" in sql or "SUM(" in sql for sql in counted) == 1, counted


def test_the_scope_s_page_counts_from_the_coarse_tier(ol, today, client):
    """The page of the whole scope (its roots) sums the tier per root, area and unit, not the
    obligations; a branch's page (deeper than the tier's key) counts the obligations."""
    t = ol.town
    _varied(ol)
    rollups.rebuild()
    assert ObligationSum.objects.exists()
    client.force_login(ol.admin)
    for query, tier in (("", True), (f"?org={t.general_branch.pk}", False)):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("orglife:compliance") + query).status_code == 200
        sqls = [q["sql"] for q in captured.captured_queries]
        assert any('FROM "orglife_obligationsum"' in sql for sql in sqls) == tier, sqls
        assert any('FROM "orglife_obligationunit"' in sql and "COUNT(" in sql for sql in sqls) != tier, sqls


def test_due_soon_is_read_from_today_on_not_from_the_periods_start(ol, today):
    """The due-soon list's one lower bound on the units' ends is today: given the period's start as
    well, SQLite walked the index from the start, through the whole year's units."""
    _varied(ol)
    rollups.rebuild()
    start = dt.date(YEAR + 1, 1, 1)
    with CaptureQueriesContext(connection) as ctx:
        report = selectors.compliance_report(ol.admin, node=None, start=start, end=dt.date(YEAR + 1, 12, 31))
    assert report.due_soon
    (soon,) = [q["sql"] for q in ctx.captured_queries if "remind_on" in q["sql"]]
    assert TODAY.isoformat() in soon and start.isoformat() not in soon
