"""The matter rollup: kept true by the services, rebuilt to the same cells, and summed by the
measures page to exactly what counting the matters gives."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hongniudai.governance import histograms, rollups, selectors, services
from hongniudai.governance.models import Matter, MatterMonth, Outcome, RollupTier
from hongniudai.governance.selectors import stats


def _matter(gov, place=None, reported_at=None, **kw):
    if kw.get("category") is not None and kw["category"].code == "safety-hazard":
        kw["attributes"] = {"hazard_type": "road"}
    return services.report_matter(
        actor=gov.users["admin"],
        category=kw.pop("category", gov.forest),
        title="纠纷",
        description="争议",
        channel="centre_household",
        place=place or gov.hemeifan.hamlet,
        reported_at=reported_at,
        **kw,
    )


def _raw(user, node, start, end):
    m = selectors.Measures(node=node, start=start, end=end)
    base = Matter.objects.filter(origin_path__startswith=node.path)
    selectors.measures_from_matters(m, user, base, node, start, end)
    return m


def _same(a, b):
    assert (a.reported, a.settled, a.settled_hamlet, a.settled_village_or_below) == (
        b.reported,
        b.settled,
        b.settled_hamlet,
        b.settled_village_or_below,
    )
    assert a.by_level == b.by_level
    assert (a.follow_ups, a.satisfaction, a.repeat_matters) == (b.follow_ups, b.satisfaction, b.repeat_matters)
    assert a.mean_days == pytest.approx(b.mean_days, abs=1e-4) if b.mean_days is not None else a.mean_days is None
    if b.p90_days is None:
        assert a.p90_days is None
    else:
        assert b.p90_days - 0.1 <= a.p90_days <= b.p90_days


@pytest.fixture
def history(gov):
    """Matters over three months in two villages: settled at each level, rated, reopened,
    repeated (same place and category; same party)."""
    admin, zsf = gov.users["admin"], gov.users["zhangshengfu"]
    now = timezone.now()
    a = _matter(gov, parties=[gov.li], reported_at=now - dt.timedelta(days=70))
    services.resolve(actor=zsf, matter=a, outcome=Outcome.RECONCILED, resolution="和好")
    services.follow_up(actor=zsf, matter=a, visited_on=timezone.localdate(), held=True, satisfaction=5)
    b = _matter(gov, parties=[gov.li], reported_at=now - dt.timedelta(days=40))  # a repeat by party
    services.escalate(actor=zsf, matter=b, reason="难")
    services.resolve(actor=admin, matter=b, outcome=Outcome.RECONCILED, resolution="组里调解")
    services.follow_up(actor=admin, matter=b, visited_on=timezone.localdate(), held=False, satisfaction=3)
    services.reopen(actor=admin, matter=b, reason="又起争执")
    c = _matter(gov, category=gov.hazard, reported_at=now - dt.timedelta(days=3))
    for _ in range(3):
        services.escalate(actor=admin, matter=c, reason="难")
    services.resolve(actor=admin, matter=c, outcome=Outcome.REFERRED_COURT, resolution="引导诉讼")
    _matter(gov, category=gov.hazard)  # open; a repeat of c by place and category
    _matter(gov, place=gov.xuqiao.hamlet, category=gov.hazard)
    return gov


def test_services_keep_the_rollup_equal_to_counting_the_matters(history):
    admin = history.users["admin"]
    today = timezone.localdate()
    start = (today - dt.timedelta(days=100)).replace(day=1)
    grid = history.hemeifan.hamlet.parent
    assert grid.kind == "grid"
    hamlet = history.hemeifan.hamlet
    nodes = (history.county, history.town, history.district, history.hemeifan.area, history.xuqiao.area, grid, hamlet)
    for node in nodes:
        assert rollups.covers(node, start, today)
        _same(selectors.measures(admin, node=node, start=start, end=today), _raw(admin, node, start, today))
    town = selectors.measures(admin, node=history.town, start=start, end=today)
    assert (town.reported, town.settled, town.repeat_matters, town.follow_ups) == (5, 2, 2, 1)


def test_histograms_summed_once_per_process_follow_every_change_of_a_cell(history):
    """The settling-time histograms of the cells a page reads are decoded and added once per
    process (`histograms.merged`, keyed by the cells' ids and numbers): a second read of the same
    cells does not read their histograms at all (PostgreSQL turning a county's `jsonb` into text
    was 5 ms a page) and takes the sum already made; a changed cell (deleted and inserted anew
    under a new id) is read afresh."""
    admin = history.users["admin"]
    today = timezone.localdate()
    start = rollups.months_back(today, 11)
    node = history.town
    with CaptureQueriesContext(connection) as first_read:
        first = selectors.measures(admin, node=node, start=start, end=today)
    assert any("durations" in q["sql"] for q in first_read)
    hits = histograms.merged.hits
    with CaptureQueriesContext(connection) as second_read:
        assert selectors.measures(admin, node=node, start=start, end=today).p90_days == first.p90_days
    assert histograms.merged.hits > hits
    assert not any("durations" in q["sql"] for q in second_read)
    assert len(second_read) == len(first_read) - 1
    # A matter settled after 100 days moves the 90th percentile, in the cell of this month.
    late = _matter(history, place=history.xuqiao.hamlet, reported_at=timezone.now() - dt.timedelta(days=100))
    services.resolve(actor=admin, matter=late, outcome=Outcome.RECONCILED, resolution="和好")
    with CaptureQueriesContext(connection) as after_read:
        after = selectors.measures(admin, node=node, start=start, end=today)
    assert any("durations" in q["sql"] for q in after_read)
    _same(after, _raw(admin, node, start, today))
    assert after.p90_days != first.p90_days and after.settled == first.settled + 1


def test_the_rollup_never_changes_a_cell_in_place(history):
    """`histograms.merged` keys a cell's histogram by its id: a refresh deletes a changed cell and
    inserts it under a new id, never updating it."""
    admin = history.users["admin"]
    before = dict(MatterMonth.objects.values_list("pk", "durations"))
    late = _matter(history, place=history.xuqiao.hamlet, reported_at=timezone.now() - dt.timedelta(days=100))
    services.resolve(actor=admin, matter=late, outcome=Outcome.RECONCILED, resolution="和好")
    after = dict(MatterMonth.objects.values_list("pk", "durations"))
    assert after != before
    assert all(after[pk] == before[pk] for pk in after.keys() & before.keys())


def test_rebuild_gives_the_cells_the_services_kept(history):
    fields = ("tier", "node_id", "month", "reported", "repeats", "settled_hamlet", "settled_grid", "settled_village")
    kept = sorted(MatterMonth.objects.values_list(*fields, "settled_town", "rated", "satisfaction_sum", "durations"))
    assert kept
    rollups.rebuild()
    rebuilt = sorted(MatterMonth.objects.values_list(*fields, "settled_town", "rated", "satisfaction_sum", "durations"))
    assert rebuilt == kept


def test_the_grid_tier_splits_each_village_cell_by_grid(history):
    """A village's measures per grid, and a grid's own, read the grid tier: the grids' cells of a
    month add up to the village's cell (no matter here is placed at a village itself)."""
    grid_cells = MatterMonth.objects.filter(tier=RollupTier.GRID)
    assert {c.node.parent_id for c in grid_cells} == {history.hemeifan.area.pk, history.xuqiao.area.pk}
    for village_cell in MatterMonth.objects.filter(tier=RollupTier.VILLAGE):
        total = rollups.Cell()
        for cell in grid_cells.filter(path__startswith=village_cell.path, month=village_cell.month):
            total.add(rollups.Cell.of(cell))
        assert total == rollups.Cell.of(village_cell)


def test_the_hamlet_tier_splits_each_grid_cell_by_hamlet(history):
    """A grid's measures per hamlet, and a hamlet's own, read the hamlet tier: the hamlets' cells
    of a month add up to the grid's cell (no matter here is placed at a grid itself)."""
    hamlet_cells = MatterMonth.objects.filter(tier=RollupTier.HAMLET)
    assert {c.node_id for c in hamlet_cells} == {history.hemeifan.hamlet.pk, history.xuqiao.hamlet.pk}
    for grid_cell in MatterMonth.objects.filter(tier=RollupTier.GRID):
        total = rollups.Cell()
        for cell in hamlet_cells.filter(path__startswith=grid_cell.path, month=grid_cell.month):
            total.add(rollups.Cell.of(cell))
        assert total == rollups.Cell.of(grid_cell)


def _all_cells():
    fields = ("tier", "node_id", "path", "month", "reported", "repeats", "settled_hamlet", "settled_grid")
    return sorted(
        MatterMonth.objects.values_list(
            *fields, "settled_village", "settled_town", "settled_seconds", "rated", "satisfaction_sum", "durations"
        )
    )


def test_each_writing_service_keeps_every_tier_equal_to_a_rebuild(gov):
    """Report, resolve, follow up, reopen: after each, the cells the services kept (the hamlet
    tier with the others) are what a rebuild computes, for matters in a hamlet, at a grid itself
    (in no hamlet's cell) and in a second hamlet of the grid."""
    from tests import factories

    admin, zsf = gov.users["admin"], gov.users["zhangshengfu"]
    grid = gov.hemeifan.hamlet.parent
    other = factories.area(grid, "李家湾", "hamlet")
    now = timezone.now()
    matters = []

    def kept_equals_rebuild(step):
        kept = _all_cells()
        assert any(row[0] == RollupTier.HAMLET for row in kept), step
        rollups.rebuild()
        assert _all_cells() == kept, step

    for place, days in ((gov.hemeifan.hamlet, 40), (grid, 35), (other, 3)):
        matters.append(_matter(gov, place=place, parties=[gov.li], reported_at=now - dt.timedelta(days=days)))
        kept_equals_rebuild(f"report at {place.name}")
    for matter in matters:
        services.resolve(actor=admin, matter=matter, outcome=Outcome.RECONCILED, resolution="和好")
        kept_equals_rebuild(f"resolve {matter.pk}")
    services.follow_up(actor=zsf, matter=matters[0], visited_on=timezone.localdate(), held=True, satisfaction=4)
    kept_equals_rebuild("follow up")
    services.reopen(actor=admin, matter=matters[2], reason="又起争执")
    kept_equals_rebuild("reopen")
    hamlets = {c.node_id for c in MatterMonth.objects.filter(tier=RollupTier.HAMLET)}
    assert hamlets == {gov.hemeifan.hamlet.pk, other.pk}


def test_the_town_tier_is_the_sum_of_the_village_cells(history):
    """A county's measures read one cell per town and month: each is its villages' sum."""
    town_cells = MatterMonth.objects.filter(tier=RollupTier.TOWN)
    assert {c.node_id for c in town_cells} == {history.town.pk}
    for cell in town_cells:
        total = rollups.Cell()
        for village_cell in MatterMonth.objects.filter(tier=RollupTier.VILLAGE, month=cell.month):
            total.add(rollups.Cell.of(village_cell))
        assert rollups.Cell.of(cell) == total
    assert set(rollups.cells(history.county, dt.date(2000, 1, 1), timezone.localdate())) == set(town_cells)


def test_monthly_counts_from_the_rollup_match_the_matters(history, monkeypatch):
    admin = history.users["admin"]
    today = timezone.localdate()
    start = (today - dt.timedelta(days=100)).replace(day=1)
    from_rollup = [
        (x.label, x.reported, x.settled) for x in selectors.monthly_counts(admin, history.town, start, today)
    ]
    monkeypatch.setattr(stats, "from_rollup", lambda *args: False)
    counted = [(x.label, x.reported, x.settled) for x in selectors.monthly_counts(admin, history.town, start, today)]
    assert from_rollup == counted
    assert sum(r for _label, r, _s in counted) == 5


def test_partial_months_and_narrow_scopes_count_the_matters(history):
    """A period that does not start on the 1st, or a user who sees only part of the node, is
    counted from the matters (and still right)."""
    today = timezone.localdate()
    start = today - dt.timedelta(days=45)
    admin = history.users["admin"]
    if start.day != 1:
        assert not rollups.covers(history.town, start, today)
    _same(selectors.measures(admin, node=history.town, start=start, end=today), _raw(admin, history.town, start, today))
    grid_worker = history.users["hmf_grid"]
    month_start = today.replace(day=1)
    assert not selectors.from_rollup(grid_worker, history.hemeifan.area, month_start, today)


def test_the_measures_of_a_town_read_a_constant_number_of_queries(history):
    admin = history.users["admin"]
    today = timezone.localdate()
    start = (today - dt.timedelta(days=100)).replace(day=1)
    with CaptureQueriesContext(connection) as before:
        selectors.measures(admin, node=history.town, start=start, end=today)
    for _ in range(5):
        _matter(history, place=history.xuqiao.hamlet)
    with CaptureQueriesContext(connection) as after:
        selectors.measures(admin, node=history.town, start=start, end=today)
    assert len(after) == len(before) <= 6


def test_the_api_default_period_is_whole_months_read_from_the_rollup(history):
    """Without from/to the API measures the last twelve months from the first of a month, like
    the page's 近12个月, so a county's figures are sums of the rollup."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(history.users["admin"])
    body = client.get("/api/v1/matter-measures/", {"area": history.town.pk}).json()
    start = dt.date.fromisoformat(body["start"])
    assert start.day == 1 and start == rollups.months_back(timezone.localdate(), 11)
    assert rollups.covers(history.town, start, timezone.localdate())
    assert body["reported"] == 5


def test_a_period_off_month_boundaries_sums_its_whole_months_and_counts_only_the_edge_days(history, monkeypatch):
    admin = history.users["admin"]
    today = timezone.localdate()
    start = rollups.months_back(today, 3) + dt.timedelta(days=9)  # the 10th, three months ago
    end = today - dt.timedelta(days=1) if today.day > 1 else today
    months = rollups.whole_months(start, end)
    assert months is not None and months[0] == rollups.next_month(start.replace(day=1))
    summed = []
    real_totals = rollups.totals
    monkeypatch.setattr(rollups, "totals", lambda node, a, b: summed.append((node, a, b)) or real_totals(node, a, b))
    got = selectors.measures(admin, node=history.town, start=start, end=end)
    assert summed == [(history.town, *months)]
    _same(got, _raw(admin, history.town, start, end))


@pytest.mark.parametrize("which", ["district", "village", "grid"])
def test_children_of_a_node_are_measured_together_in_a_fixed_number_of_queries(history, which, monkeypatch):
    """A district's villages are summed from the village tier, a village's grids from the grid
    tier, a grid's hamlets from the hamlet tier (none counted from the matters). Either way the
    queries do not grow with the children."""
    from tests import factories

    admin = history.users["admin"]
    today = timezone.localdate()
    start = rollups.months_back(today, 5)
    node = {"district": history.district, "village": history.hemeifan.area, "grid": history.hemeifan.hamlet.parent}[
        which
    ]
    if which == "village":
        factories.area(node, "七组", "grid")
    if which == "grid":
        factories.area(node, "李家湾", "hamlet")
    children = list(node.children.all())
    assert len(children) >= 2
    with monkeypatch.context() as m:
        m.setattr(stats, "_from_matters_by_prefix", lambda *args: pytest.fail("counted from the matters"))
        with CaptureQueriesContext(connection) as queries:
            total, together = selectors.measures_with_children(admin, node=node, start=start, end=today)
    assert len(queries) <= (7 if which == "district" else 8)
    alone_total = selectors.measures(admin, node=node, start=start, end=today)
    _same(total, alone_total)
    assert (total.open, total.overdue, total.p90_days) == (alone_total.open, alone_total.overdue, alone_total.p90_days)
    one_by_one = {c.pk: selectors.measures(admin, node=c, start=start, end=today) for c in children}
    assert [m.node.pk for m in together] == [c.pk for c in sorted(children, key=lambda c: (c.sort_order, c.name))]
    for m in together:
        alone = one_by_one[m.node.pk]
        _same(m, alone)
        assert (m.open, m.overdue, m.mean_days, m.p90_days) == (
            alone.open,
            alone.overdue,
            alone.mean_days,
            alone.p90_days,
        )
    assert sum(m.reported for m in together) == {"district": 5, "village": 4, "grid": 4}[which]
