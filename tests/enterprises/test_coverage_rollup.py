"""The coverage rollup (`Enterprise.full_members`, `Enterprise.coverage`): the kept columns equal
the definition (`rollups.computed`) in every state, every service that moves a state keeps them
equal to a rebuild, and the coverage page's queries do not grow with enterprises."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench import aggregates
from bench.aggregates import Scope
from hongniudai.common import rollups as common_rollups
from hongniudai.enterprises import rollups, selectors, services, services_instructors
from hongniudai.enterprises.models import Coverage, Enterprise
from hongniudai.party import services as party_services
from hongniudai.party.models import BranchType, MemberStatus, OrgKind
from tests import factories as f

from .conftest import employ, make_enterprise
from .test_coverage import EXPECTED, spread  # noqa: F401  # the fixture


def kept() -> dict[int, tuple[int, str]]:
    return dict((pk, (n, c)) for pk, n, c in Enterprise.objects.values_list("pk", "full_members", "coverage"))


def definition() -> dict[int, tuple[int, str]]:
    rows = rollups.computed(Enterprise.objects.all()).values_list("pk", "computed_full_members", "computed_coverage")
    return dict((pk, (n, c)) for pk, n, c in rows)


def assert_rollup_true() -> None:
    """The kept columns equal the definition, and a rebuild changes nothing."""
    before = kept()
    assert before == definition()
    rollups.rebuild()
    assert kept() == before


def test_the_kept_columns_hold_every_state_as_defined(town, spread):  # noqa: F811
    rows = kept()
    for key, expected in EXPECTED.items():
        assert rows[spread[key].pk] == expected, key
    assert_rollup_true()


def test_the_rebuild_is_registered_and_restores_wiped_columns(town, spread):  # noqa: F811
    assert "enterprise_coverage" in common_rollups.names()
    truth = kept()
    Enterprise.objects.update(full_members=0, coverage=Coverage.NO_INSTRUCTOR)
    common_rollups.rebuild_all(only={"enterprise_coverage"})
    assert kept() == truth


def test_every_writing_service_keeps_the_rollup_true(town, park, instructor):
    admin = town.users["admin"]
    e = make_enterprise("变化中的企业", town.park)
    assert_rollup_true()
    assignment = services_instructors.assign_instructor(actor=admin, instructor=instructor, enterprise=e)
    assert kept()[e.pk] == (0, Coverage.WATCHED)
    assert_rollup_true()
    services_instructors.end_assignment(actor=admin, assignment=assignment)
    assert kept()[e.pk] == (0, Coverage.NO_INSTRUCTOR)
    assert_rollup_true()
    members = employ(e, town.xuqiao.branch, 2)
    assert kept()[e.pk] == (2, Coverage.SHOULD_JOIN)
    assert_rollup_true()
    services.update_enterprise(
        actor=admin, enterprise=e, name=e.name, uscc=e.uscc, industry=e.industry, area=e.area, branch=park.joint_branch
    )
    assert e.coverage == Coverage.JOINT_BRANCH  # the object the service returns reads the same
    assert kept()[e.pk] == (2, Coverage.JOINT_BRANCH)
    assert_rollup_true()
    probationary = employ(e, town.xuqiao.branch, 1, status=MemberStatus.PROBATIONARY, prefix="预备")[0]
    assert kept()[e.pk] == (2, Coverage.JOINT_BRANCH)
    # A probationary member made full (party's service, as development's conversion calls it).
    party_services.update_member(
        actor=admin,
        member=probationary,
        org=probationary.org,
        joined_on=probationary.joined_on,
        status=MemberStatus.FULL,
        full_on=dt.date(2011, 7, 1),
    )
    assert kept()[e.pk] == (3, Coverage.SHOULD_FOUND)
    assert_rollup_true()
    # The joint branch becomes the enterprise's own.
    joint = park.joint_branch
    party_services.update_org(
        actor=admin, org=joint, name=joint.name, area=joint.area, branch_type=BranchType.ENTERPRISE
    )
    assert kept()[e.pk] == (3, Coverage.OWN_BRANCH)
    assert_rollup_true()
    # A member's record deleted (the employment goes with it).
    services.remove_employment(actor=admin, employment=members[0].employment)
    assert kept()[e.pk] == (2, Coverage.OWN_BRANCH)
    party_services.delete_member(actor=admin, member=members[1])
    assert kept()[e.pk] == (1, Coverage.OWN_BRANCH)
    assert_rollup_true()
    # Its branch deleted (the enterprise keeps no branch).
    spare = f.org(park.joint_org, "临时联合党支部", OrgKind.BRANCH, town.park, branch_type=BranchType.JOINT)
    services.update_enterprise(
        actor=admin, enterprise=e, name=e.name, uscc=e.uscc, industry=e.industry, area=e.area, branch=spare
    )
    assert kept()[e.pk] == (1, Coverage.JOINT_BRANCH)
    party_services.delete_org(actor=admin, org=spare)
    assert kept()[e.pk] == (1, Coverage.SHOULD_JOIN)
    assert_rollup_true()
    created = make_enterprise("新登记企业", town.park, branch=park.own_branch)
    assert created.coverage == Coverage.OWN_BRANCH
    assert kept()[created.pk] == (0, Coverage.OWN_BRANCH)
    assert_rollup_true()


def _queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_coverage_page_reads_the_kept_columns_with_as_many_queries_for_many(town, admin_client):
    url = reverse("enterprises:coverage")
    make_enterprise("发水河化工一厂", town.fashuihe.area)
    few = _queries(admin_client, url)
    with CaptureQueriesContext(connection) as ctx:
        admin_client.get(url)
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "enterprises_employment" not in sql  # no count of employments per enterprise
    for i in range(12):
        e = make_enterprise(f"发水河化工{i + 2}厂", town.fashuihe.area)
        if i % 3 == 0:
            employ(e, town.fashuihe.branch, 2 + i % 2, prefix=f"职工{i}")
    assert _queries(admin_client, url) == few
    summary = selectors.coverage_summary(town.users["admin"])
    assert summary.overall.total == 13


def test_the_benchmarks_raw_sql_computes_the_pages_figures_from_the_source_tables(town, spread):  # noqa: F811
    """bench/aggregates.py's yardstick for the page: the same counts and the same gap list."""
    scope = Scope(paths=[town.town.path], depths=[town.town.depth], today=dt.date.today(), now=timezone.now())
    (counts_sql, counts_args), (gaps_sql, gaps_args) = aggregates.coverage(scope, connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(counts_sql, counts_args)
        raw_counts = {(area, industry, state): n for area, industry, state, n in cursor.fetchall()}
        cursor.execute(gaps_sql, gaps_args)
        raw_gaps = [row[1] for row in cursor.fetchall()]
    admin = town.users["admin"]
    page_counts = {
        (r["area_id"], r["industry"], r["coverage"]): r["n"]
        for r in selectors.enterprises(admin, active=True)
        .order_by()
        .values("area_id", "industry", "coverage")
        .annotate(n=Count("pk"))
    }
    assert raw_counts == page_counts
    assert sum(raw_counts.values()) == selectors.coverage_summary(admin).overall.total == 9
    assert raw_gaps == [e.name for e in selectors.coverage_gaps(admin)][:20]
