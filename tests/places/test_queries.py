"""List pages run the same number of queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hongniudai.places import selectors
from hongniudai.places.models import AreaKind, AreaNode, Household, Resident
from tests import factories as f

pytestmark = pytest.mark.django_db


def _grow(town, n: int) -> None:
    """Bring 徐桥村 up to n hamlets in its grid, n households in its hamlet and n residents."""
    xq = town.xuqiao
    while AreaNode.objects.filter(parent=xq.grid).count() < n:
        f.area(xq.grid, f"湾{AreaNode.objects.count()}", AreaKind.HAMLET)
    while Household.objects.filter(hamlet=xq.hamlet).count() < n:
        f.household(xq.hamlet, f"黄家湾{Household.objects.count() + 100}号")
    households = list(Household.objects.filter(hamlet=xq.hamlet))
    i = 0
    while Resident.objects.filter(household__hamlet__path__startswith=xq.area.path).count() < n:
        f.resident(households[i % len(households)], f"黄{'甲乙丙丁戊己庚辛壬癸'[i % 10]}{i}", sex="F" if i % 2 else "M")
        i += 1


def _counts(client, urls):
    out = {}
    for url in urls:
        client.get(url)  # warm caches that are not per-row (content types, translations)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, url
        out[url] = len(ctx.captured_queries)
    return out


def test_list_pages_query_count_does_not_grow_with_rows(town, admin):
    xq = town.xuqiao
    urls = [
        reverse("places:resident_list") + f"?area={xq.area.pk}",
        reverse("places:resident_list") + "?q=huang",
        reverse("places:resident_list") + "?q=黄",  # a surname: the search index, whatever the rows
        reverse("places:resident_list") + "?q=黄甲",
        reverse("places:household_list") + f"?area={xq.area.pk}",
        reverse("places:area_list") + f"?area={xq.area.pk}",
        reverse("places:tree") + f"?node={xq.grid.pk}",
        reverse("places:area_detail", args=[xq.grid.pk]),
        reverse("places:area_detail", args=[xq.hamlet.pk]),
        reverse("places:household_detail", args=[xq.household.pk]),
    ]
    _grow(town, 3)
    small = _counts(admin, urls)
    page = admin.get(urls[0]).content.decode()
    assert page.count("/places/residents/") >= 3
    _grow(town, 30)
    large = _counts(admin, urls)
    page = admin.get(urls[0]).content.decode()
    assert page.count("/places/residents/") >= 30
    assert large == small
    assert max(large.values()) < 40


def test_the_household_list_counts_each_households_members(town):
    """The count is correlated per household shown (no grouping of every household in scope)."""
    hh = town.xuqiao.household
    f.resident(hh, "黄小明", relation="son", birth=dt.date(1990, 5, 6))
    f.resident(hh, "黄小红", relation="daughter", birth=dt.date(1992, 7, 8))
    rows = {h.pk: h.member_count for h in selectors.households(town.users["admin"])}
    assert rows[hh.pk] == 3 and rows[town.fashuihe.household.pk] == 1
    empty = f.household(town.xuqiao.hamlet, "徐桥村黄家湾2号")
    assert {h.pk: h.member_count for h in selectors.households(town.users["admin"])}[empty.pk] == 0


@pytest.mark.parametrize(("url", "model"), [("places:resident_list", Resident), ("places:household_list", Household)])
def test_an_unfiltered_list_takes_its_total_from_the_hamlets_counters(town, url, model):
    # Counting a county's residents up to the cap reads 10,001 rows per page view; the hamlets'
    # counters, kept by the services, give the same total. A filtered list still counts its rows.
    _grow(town, 7)
    client = town.client_for("xuqiao")
    expected = selectors.households if model is Household else selectors.residents
    n = expected(town.users["xuqiao"]).count()
    table = model._meta.db_table
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(reverse(url)).content.decode()
    assert f"共 {n} 条" in body
    assert not [q for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(*)") and table in q["sql"]]
    area = town.xuqiao.hamlet
    in_hamlet = expected(town.users["xuqiao"], area=area).count()
    assert f"共 {in_hamlet} 条" in client.get(reverse(url), {"area": area.pk}).content.decode()
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(reverse(url), {"q": "黄"}).content.decode()
    assert f"共 {expected(town.users['xuqiao'], q='黄').count()} 条" in body
    assert [q for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(*)") and table in q["sql"]]
