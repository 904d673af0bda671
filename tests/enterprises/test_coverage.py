"""应建尽建: every coverage state, the rates, the gap list, the page and its export."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.db.models import Case, Value, When
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from hongniudai.enterprises import selectors, services, services_instructors
from hongniudai.enterprises.models import Coverage, Industry
from hongniudai.party.models import MemberStatus

from .conftest import employ, make_enterprise


@pytest.fixture
def spread(town, park, instructor):
    """One enterprise in each state (and one closed down)."""
    admin = town.users["admin"]
    e = {
        "own": make_enterprise("宋河化工", town.park, branch=park.own_branch),
        "small_own": make_enterprise("宋河涂料", town.park, branch=park.own_branch, industry=Industry.NEW_MATERIALS),
        "joint": make_enterprise("园区物流", town.park, branch=park.joint_branch, industry=Industry.TRADE_LOGISTICS),
        "three_in_joint": make_enterprise(
            "园区建材", town.park, branch=park.joint_branch, industry=Industry.BUILDING_MATERIALS
        ),
        "three_none": make_enterprise("徐桥米业", town.xuqiao.area, industry=Industry.AGRI_PROCESSING),
        "one_none": make_enterprise("徐桥酒坊", town.xuqiao.area, industry=Industry.LIQUOR_FOOD),
        "watched": make_enterprise("何梅畈农场", town.hemeifan.area, industry=Industry.AGRI_PROCESSING),
        "nobody": make_enterprise("何梅畈商店", town.hemeifan.area, industry=Industry.SERVICES),
        "probationary_only": make_enterprise("何梅畈饭店", town.hemeifan.area, industry=Industry.SERVICES),
        "closed": make_enterprise("已停业工厂", town.xuqiao.area, is_active=False),
    }
    employ(e["own"], town.xuqiao.branch, 3)
    employ(e["small_own"], town.xuqiao.branch, 1)
    employ(e["joint"], town.xuqiao.branch, 2)
    employ(e["three_in_joint"], town.hemeifan.branch, 3)
    employ(e["three_none"], town.xuqiao.branch, 3)
    employ(e["three_none"], town.xuqiao.branch, 2, status=MemberStatus.PROBATIONARY, prefix="预备")
    employ(e["one_none"], town.xuqiao.branch, 1)
    employ(e["probationary_only"], town.hemeifan.branch, 2, status=MemberStatus.PROBATIONARY, prefix="预备")
    services_instructors.assign_instructor(actor=admin, instructor=instructor, enterprise=e["watched"])
    return e


EXPECTED = {
    "own": (3, Coverage.OWN_BRANCH),
    "small_own": (1, Coverage.OWN_BRANCH),
    "joint": (2, Coverage.JOINT_BRANCH),
    "three_in_joint": (3, Coverage.SHOULD_FOUND),
    "three_none": (3, Coverage.SHOULD_FOUND),
    "one_none": (1, Coverage.SHOULD_JOIN),
    "watched": (0, Coverage.WATCHED),
    "nobody": (0, Coverage.NO_INSTRUCTOR),
    "probationary_only": (0, Coverage.NO_INSTRUCTOR),
    "closed": (0, Coverage.NO_INSTRUCTOR),
}


def test_every_coverage_state_is_computed_by_the_database(town, spread):
    rows = {e.pk: (e.full_members, e.coverage) for e in selectors.enterprises_with_coverage(town.users["admin"])}
    for key, expected in EXPECTED.items():
        assert rows[spread[key].pk] == expected, key


def test_coverage_follows_the_data(town, park, instructor):
    admin = town.users["admin"]
    e = make_enterprise("变化中的企业", town.park)

    def state():
        return selectors.enterprises_with_coverage(admin).get(pk=e.pk).coverage

    assert state() == Coverage.NO_INSTRUCTOR
    assignment = services_instructors.assign_instructor(actor=admin, instructor=instructor, enterprise=e)
    assert state() == Coverage.WATCHED
    services_instructors.end_assignment(actor=admin, assignment=assignment)
    assert state() == Coverage.NO_INSTRUCTOR
    employ(e, town.xuqiao.branch, 2)
    assert state() == Coverage.SHOULD_JOIN
    services.update_enterprise(
        actor=admin, enterprise=e, name=e.name, uscc=e.uscc, industry=e.industry, area=e.area, branch=park.joint_branch
    )
    assert state() == Coverage.JOINT_BRANCH
    employ(e, town.xuqiao.branch, 1, prefix="第三人")
    assert state() == Coverage.SHOULD_FOUND
    services.update_enterprise(
        actor=admin, enterprise=e, name=e.name, uscc=e.uscc, industry=e.industry, area=e.area, branch=park.own_branch
    )
    assert state() == Coverage.OWN_BRANCH


def test_rates_overall_by_area_and_by_industry(town, spread):
    summary = selectors.coverage_summary(town.users["admin"])
    overall = summary.overall
    # In operation: 9; covered: own ×2, joint, watched = 4.
    assert overall.total == 9
    assert overall.covered == 4
    assert overall.rate == pytest.approx(4 / 9)
    assert overall.count(Coverage.SHOULD_FOUND) == 2
    assert overall.count(Coverage.NO_INSTRUCTOR) == 2
    by_area = {r.label: (r.total, r.covered) for r in summary.by_area}
    assert by_area == {"宋河精细化工产业园": (4, 3), "徐桥村": (2, 0), "何梅畈村": (3, 1)}
    assert [r.label for r in summary.by_area] == ["徐桥村", "何梅畈村", "宋河精细化工产业园"]  # tree order
    by_industry = {r.key: (r.total, r.covered) for r in summary.by_industry}
    assert by_industry[Industry.AGRI_PROCESSING] == (2, 1)
    assert by_industry[Industry.FINE_CHEMICALS] == (1, 1)
    assert by_industry[Industry.SERVICES] == (2, 0)


def test_rates_are_scoped(town, spread):
    summary = selectors.coverage_summary(town.users["xuqiao"])
    assert summary.overall.total == 2
    assert summary.overall.rate == 0
    assert [r.label for r in summary.by_area] == ["徐桥村"]
    assert selectors.coverage_summary(town.users["gridworker"]).overall.rate is None


def test_the_coverage_page_lists_every_enterprise_with_three_full_members_and_no_own_branch(town, spread):
    response = town.client_for("admin").get(reverse("enterprises:coverage"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "《中国共产党章程》第三十条" in body
    gap_list = body[body.index("缺口清单") :]
    for key in ("three_in_joint", "three_none", "one_none", "nobody", "probationary_only"):
        assert spread[key].name in gap_list, key
    for key in ("own", "small_own", "joint", "watched", "closed"):
        assert spread[key].name not in gap_list, key
    # Three or more full members first.
    assert gap_list.index("园区建材") < gap_list.index("徐桥酒坊")
    assert gap_list.index("徐桥米业") < gap_list.index("何梅畈商店")
    assert "44.4%" in body


def test_the_coverage_page_filters_by_area_and_is_scoped(town, spread):
    body = town.client_for("admin").get(reverse("enterprises:coverage"), {"area": town.park.pk}).content.decode()
    assert "园区建材" in body and "徐桥米业" not in body
    body = town.client_for("xuqiao").get(reverse("enterprises:coverage")).content.decode()
    assert "徐桥米业" in body
    assert "园区建材" not in body and "何梅畈" not in body and "宋河精细化工产业园" not in body


def test_the_coverage_export(town, spread):
    response = town.client_for("admin").get(reverse("enterprises:coverage"), {"export": "xlsx"})
    assert response.status_code == 200
    assert (
        "%E4%BC%81%E4%B8%9A%E5%85%9A%E7%BB%84%E7%BB%87%E8%A6%86%E7%9B%96%E6%83%85%E5%86%B5"
        in response["Content-Disposition"]
    )  # 企业党组织覆盖情况
    data = b"".join(response.streaming_content)
    ws = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "企业名称" and "覆盖情况" in rows[0]
    by_name = {r[0]: r for r in rows[1:]}
    assert len(by_name) == 9  # in operation only
    assert "正式党员3人以上未单独建支部" in by_name["徐桥米业"]
    assert by_name["宋河化工"][5] == 3
    from hongniudai.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="export", target_repr__startswith="企业党组织覆盖情况").exists()


def test_enterprises_of_an_org(town, park, spread):
    admin = town.users["admin"]
    names = {e.name for e in selectors.enterprises_of_org(admin, park.joint_org)}
    assert names == {"宋河化工", "宋河涂料", "园区物流", "园区建材"}
    names = {e.name for e in selectors.enterprises_of_org(admin, park.joint_branch)}
    assert names == {"园区物流", "园区建材"}
    from django.template.loader import render_to_string

    html = render_to_string(
        "enterprises/_org_enterprises.html",
        {"enterprises": selectors.enterprises_of_org(admin, park.joint_branch)},
    )
    assert "园区建材" in html and "正式党员3人以上未单独建支部" in html
    assert render_to_string("enterprises/_org_enterprises.html", {"enterprises": []}).strip() == ""


def test_the_coverage_page_takes_as_many_queries_for_more_enterprises_and_pages_the_gaps(
    town, park, spread, django_assert_max_num_queries
):
    client = town.client_for("admin")
    url = reverse("enterprises:coverage")
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    for i in range(60):
        area = (town.park, town.xuqiao.area, town.hemeifan.area)[i % 3]
        e = make_enterprise(f"新增企业{i}", area, industry=list(Industry.values)[i % len(Industry.values)])
        if i % 10 == 0:
            employ(e, town.xuqiao.branch, 1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    body = response.content.decode()
    gap_list = body[body.index("缺口清单") :]
    # 65 gaps: the first page shows 50 of them (a row each after the header), largest gaps first.
    assert gap_list.count("<tr>") == 1 + 50
    assert "徐桥米业" in gap_list and "page=2" in gap_list
    assert "新增企业0<" in gap_list  # one full member: before those with none


def _second_town(town):
    """Another town (a root beside the first) with a village and two enterprises, one of them a gap."""
    from tests import factories as f

    other = f.area(None, "临江镇", "town")
    village = f.area(f.area(other, "江口片区", "district"), "江口村", "village")
    make_enterprise("江口码头", village, industry=Industry.TRADE_LOGISTICS)
    make_enterprise("江口米厂", village, industry=Industry.AGRI_PROCESSING, is_active=False)
    return other, village


def test_a_page_spanning_towns_shows_a_row_per_town_with_the_same_totals(town, spread):
    """A county's page (here a superuser's, seeing two towns) sums each town's parks and villages
    into one row linking to the town's page, which shows them; totals and industries unchanged."""
    from tests import factories as f

    other, village = _second_town(town)
    root = f.superuser()
    plain = selectors.coverage_summary(root)
    summary = selectors.coverage_summary(root, towns=True)
    assert not plain.by_town and summary.by_town
    assert len(plain.by_area) == 4
    rows = {r.label: (r.total, r.covered, r.is_town) for r in summary.by_area}
    assert rows == {town.town.name: (9, 4, True), "临江镇": (1, 0, True)}
    assert (summary.overall.total, summary.overall.covered) == (plain.overall.total, plain.overall.covered) == (10, 4)
    assert [(r.key, r.total, r.counts) for r in summary.by_industry] == [
        (r.key, r.total, r.counts) for r in plain.by_industry
    ]
    client = Client()
    client.force_login(root)
    body = client.get(reverse("enterprises:coverage")).content.decode()
    assert f'href="{reverse("enterprises:coverage")}?area={other.pk}"' in body
    assert "江口村" not in body.split("按行业")[0]
    town_body = client.get(reverse("enterprises:coverage"), {"area": other.pk}).content.decode()
    assert f'href="{reverse("enterprises:enterprise_list")}?area={village.pk}"' in town_body


def test_a_town_s_page_keeps_its_village_rows(town, spread):
    _second_town(town)
    summary = selectors.coverage_summary(town.users["admin"], towns=True)
    assert not summary.by_town
    assert [r.label for r in summary.by_area] == ["徐桥村", "何梅畈村", "宋河精细化工产业园"]


def test_the_gap_list_keeps_its_order_and_rows(town, spread):
    """The gaps sorted by the area's path read per row equal the gaps sorted through the join,
    and the page's rows read by key are those of the joined read."""
    from hongniudai.enterprises import rows as rows_of

    admin = town.users["admin"]
    gaps = selectors.coverage_gaps(admin)
    ids = list(gaps.values_list("pk", flat=True))
    # The order as first written: the state's rank, then the full members, the area, the name.
    rank = Case(When(full_members__gte=3, then=Value(0)), When(full_members__gte=1, then=Value(1)), default=Value(2))
    joined = gaps.annotate(rank=rank).order_by("rank", "-full_members", "area__path", "name")
    assert ids == list(joined.values_list("pk", flat=True)) and len(ids) == 5
    fields = rows_of.ENTERPRISE_ROW_FIELDS
    assert selectors.enterprise_values(ids, fields) == list(joined.values(*fields))


def test_the_coverage_page_counts_its_gaps_by_the_summary_and_reads_the_grants_once(town, park, spread):
    """The page's gaps number what `coverage_gaps` counts (the summary's gaps: no COUNT of its
    own), and the scope's grants (an instructor's enterprises) are looked up once, not per read."""
    for i in range(55):
        make_enterprise(f"新增企业{i}", town.xuqiao.area)
    admin = town.users["admin"]
    client = town.client_for("admin")
    url = reverse("enterprises:coverage")
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(url).content.decode()
    n = selectors.coverage_gaps(admin).count()
    assert n == 60 and f"共 {n} 条" in body
    sqls = [q["sql"] for q in ctx.captured_queries]
    assert not [s for s in sqls if s.startswith("SELECT COUNT(*)") and "enterprises_enterprise" in s]
    assert len([s for s in sqls if "enterprises_enterprise_instructors" in s]) <= 1
    summary, gap_list = selectors.coverage_page(admin)
    assert summary.overall.gaps == gap_list.count() == n
