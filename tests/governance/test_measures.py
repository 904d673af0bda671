import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from hongniudai.governance import selectors, services
from hongniudai.governance.models import Outcome


def _matter(gov, actor="zhangshengfu", place=None, **kw):
    return services.report_matter(
        actor=gov.users[actor],
        category=kw.pop("category", gov.forest),
        title="纠纷",
        description="争议",
        channel="centre_household",
        place=place or gov.hemeifan.hamlet,
        **kw,
    )


def test_hamlet_and_village_resolution_rates(gov):
    zsf, admin = gov.users["zhangshengfu"], gov.users["admin"]
    a = _matter(gov, parties=[gov.li, gov.zhao])
    services.resolve(actor=zsf, matter=a, outcome=Outcome.RECONCILED, resolution="和好")
    b = _matter(gov)
    services.escalate(actor=zsf, matter=b, reason="难")
    services.escalate(actor=admin, matter=b, reason="难")
    services.resolve(actor=admin, matter=b, outcome=Outcome.RECONCILED, resolution="村调委会调解")
    c = _matter(gov)
    for _ in range(3):
        services.escalate(actor=admin, matter=c, reason="难")
    services.resolve(actor=admin, matter=c, outcome=Outcome.REFERRED_COURT, resolution="引导诉讼")
    _matter(gov, parties=[gov.li])  # open, and a repeat of a's party
    today = timezone.localdate()
    m = selectors.measures(admin, node=gov.hemeifan.area, start=today - dt.timedelta(days=30), end=today)
    assert (m.reported, m.settled, m.open) == (4, 3, 1)
    assert m.hamlet_rate == 1 / 3
    assert m.village_rate == 2 / 3
    assert m.repeat_matters >= 1
    assert m.mean_days is not None and m.p90_days is not None
    behind = selectors.drill_down(
        admin, node=gov.hemeifan.area, start=today - dt.timedelta(days=30), end=today, measure="settled_hamlet"
    )
    assert list(behind) == [a]


def test_measures_are_scoped(gov):
    _matter(gov)
    today = timezone.localdate()
    m = selectors.measures(gov.users["xuqiao"], node=None, start=today - dt.timedelta(days=30), end=today)
    assert m.reported == 0


def test_open_and_overdue_of_a_node_and_its_children_from_one_read(gov, django_assert_max_num_queries):
    from hongniudai.governance.models import Matter

    admin = gov.users["admin"]
    done = _matter(gov)
    services.resolve(actor=gov.users["zhangshengfu"], matter=done, outcome=Outcome.RECONCILED, resolution="和好")
    late = _matter(gov)
    _matter(gov)
    Matter.objects.filter(pk=late.pk).update(
        accept_due_at=timezone.now() - dt.timedelta(days=2), settle_due_at=timezone.now() - dt.timedelta(days=1)
    )
    today = timezone.localdate()
    start = today - dt.timedelta(days=30)
    for node in (gov.district, gov.hemeifan.area):
        total, children = selectors.measures_with_children(admin, node=node, start=start, end=today)
        alone = selectors.measures(admin, node=node, start=start, end=today)
        assert (total.open, total.overdue) == (alone.open, alone.overdue) == (2, 1)
        for child in children:
            one = selectors.measures(admin, node=child.node, start=start, end=today)
            assert (child.open, child.overdue) == (one.open, one.overdue)
        assert sum(c.open for c in children) == 2 and sum(c.overdue for c in children) == 1


@pytest.mark.parametrize("which", ["county", "village", "grid"])
def test_open_counts_read_the_partial_index_of_open_matters(gov, which):
    """The open and overdue counts of a node, grouped by child, read `matter_open_idx` (by path
    below the county), never the status index with every open matter looked up in the table, on
    SQLite too, which keeps no planner statistics (the plan as the bench's county gets it)."""
    from django.db import connection

    from hongniudai.governance.selectors import stats

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL plans by its statistics")
    node = {"county": gov.county, "village": gov.hemeifan.area, "grid": gov.hemeifan.hamlet.parent}[which]
    base = stats._under(gov.users["admin"], node)
    executed = []

    def capture(execute, sql, params, many, context):
        executed.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        stats._live_counts_by_prefix(base, timezone.localdate(), len(node.path) + 9)
    ((sql, params),) = executed
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "matter_open_idx" in plan, plan
    if which != "county":
        assert "matter_open_idx (origin_path>? AND origin_path<?)" in plan, plan


@pytest.mark.parametrize("who", ["hmf_grid", "admin"])
def test_measures_of_a_whole_narrow_scope_read_the_matters_by_path(gov, who):
    """With no area (the API's default: everything the user sees), a grid worker's measures count
    the matters of their grid by its path, not the whole county's year by date (SQLite, without
    statistics, took the date index: 1.8 s for a grid worker on the generated county); the town's
    administrator, whose scope is not a root, reads by path too. PostgreSQL plans by its statistics."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL plans by its statistics")
    today = timezone.localdate()
    executed: list[tuple[str, Any]] = []

    def capture(execute, sql, params, many, context):
        executed.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        m = selectors.measures(gov.users[who], node=None, start=today - dt.timedelta(days=365), end=today)
    assert m.reported >= 0
    counted = [(sql, params) for sql, params in executed if "COUNT(*)" in sql and "reported_at" in sql]
    assert counted, executed
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + counted[0][0], counted[0][1])
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "governance_matter_reported_at" not in plan, plan
