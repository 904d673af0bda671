"""Finding residents by name, pinyin and ID number from the search index (`places.search`), on the
residents page, the members page and the API, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hongniudai.common.pinyin import name_pinyin
from hongniudai.places import search, selectors, services
from hongniudai.places.models import Resident
from tests import factories as f
from tests.places.conftest import full_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(town):
    """徐明华 and 李徐明 in 徐桥村's household, 徐秀英 in 发水河村's; the heads are 黄文华, 施华成, 张圣福."""
    xq, fsh = town.xuqiao.household, town.fashuihe.household
    return {
        "徐明华": f.resident(xq, "徐明华"),
        "李徐明": f.resident(xq, "李徐明", sex="F"),
        "徐秀英": f.resident(fsh, "徐秀英", sex="F"),
    }


def _found(client, q: str) -> set[str]:
    """The names the residents page lists for the search `q`."""
    body = client.get(reverse("places:resident_list"), {"q": q}).content.decode()
    return {r.name for r in Resident.objects.all() if reverse("places:resident_detail", args=[r.pk]) in body}


def _names(q: str) -> set[str]:
    return set(Resident.objects.filter(selectors.resident_search_q(q)).values_list("name", flat=True))


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("徐", {"徐明华", "李徐明", "徐秀英"}),  # one character: anywhere in the name, not only the surname
        ("明", {"徐明华", "李徐明"}),
        ("徐明", {"徐明华", "李徐明"}),  # two characters, in this order
        ("明徐", set()),
        ("徐明华", {"徐明华"}),  # three and more
        ("明华", {"徐明华"}),
        (" 华 ", {"徐明华", "黄文华", "施华成"}),
        ("xmh", {"徐明华"}),  # pinyin initials
        ("XM", {"徐明华"}),
        ("xuminghua", {"徐明华"}),  # full pinyin, together or apart, from its start
        ("xu ming", {"徐明华"}),
        ("xu", {"徐明华", "徐秀英"}),
        ("minghua", set()),
        ("zhang sheng", {"张圣福"}),
        ("李明", set()),
    ],
)
def test_the_residents_page_finds_by_name_and_pinyin(town, people, admin_client, q, expected):
    assert _found(admin_client, q) == expected
    assert _names(q) == expected


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's two ways of using its index")
@pytest.mark.parametrize("q", ["徐", "徐明", "明华", "xu", "xmh", "xu ming"])
def test_a_common_name_walks_the_list_and_finds_the_same_residents(town, people, admin_client, q, monkeypatch):
    """A name the index matches in many rows is found by walking the rows in the list's order (see
    `search.FtsMatch`): the page, its count and its export list the same residents."""
    expected = _found(admin_client, q)
    monkeypatch.setattr(search.FtsMatch, "DENSE_FOR_PAGE", 0)
    assert _found(admin_client, q) == expected
    monkeypatch.setattr(search.FtsMatch, "DENSE_FOR_COUNT", 0)
    with CaptureQueriesContext(connection) as ctx:
        assert _found(admin_client, q) == expected and _names(q) == expected
    # Walking, the rows in scope are checked by the plain condition; the index is only counted.
    assert not any("IN (SELECT rowid" in query["sql"] for query in ctx.captured_queries)
    body = admin_client.get(reverse("places:resident_list"), {"q": q}).content.decode()
    assert f"共 {len(expected)} 条" in body


def test_an_id_number_finds_that_resident_only(town, people):
    number = full_id(people["徐秀英"])
    assert _names(number) == {"徐秀英"}
    assert _names(number[:10]) == set()


def test_the_search_stays_within_the_users_scope(town, people, xuqiao_client):
    """A village's secretary: the village's rows are walked (a narrow subtree), not the index's
    answer for the whole county."""
    with CaptureQueriesContext(connection) as ctx:
        assert _found(xuqiao_client, "徐") == {"徐明华", "李徐明"}
    if connection.vendor == "sqlite":
        assert not any("IN (SELECT rowid" in query["sql"] for query in ctx.captured_queries)
    assert _found(xuqiao_client, "xu") == {"徐明华"}


def test_registered_renamed_and_deleted_residents_are_found_as_they_are_now(town, people, admin_client):
    admin = town.users["admin"]
    added = f.resident(town.hemeifan.household, "邝志远")
    assert _found(admin_client, "邝") == {"邝志远"} and _names("kzy") == {"邝志远"}
    services.update_resident(actor=admin, resident=added, household=added.household, name="邝远航")
    assert _names("志远") == set() and _names("kzy") == set()
    assert _names("远航") == {"邝远航"} and _names("kuangyuan") == {"邝远航"}
    services.delete_resident(actor=admin, resident=added)
    assert _names("邝") == set() and _names("kyh") == set()


def test_a_rename_outside_the_services_is_found_too(town, people):
    """The index follows the table itself (database triggers or indexes), so rows written in bulk (the
    imports, the county generator) are found like those the services write."""
    full, initials = name_pinyin("聂海生")
    Resident.objects.filter(pk=people["徐秀英"].pk).update(name="聂海生", name_pinyin=full, name_initials=initials)
    assert _names("徐") == {"徐明华", "李徐明"}
    assert _names("海") == {"聂海生"} and _names("nhs") == {"聂海生"}
    Resident.objects.filter(pk=people["李徐明"].pk).delete()
    assert _names("徐明") == {"徐明华"}


def test_the_members_page_and_the_api_search_the_same_way(town, people, admin_client):
    # The villages' heads 黄文华, 施华成 and 张圣福 are party members.
    members = admin_client.get(reverse("party:member_list"), {"q": "华"}).content.decode()
    assert "黄文华" in members and "施华成" in members and "张圣福" not in members
    members = admin_client.get(reverse("party:member_list"), {"q": "hwh"}).content.decode()
    assert "黄文华" in members and "施华成" not in members
    for q, expected in (("徐", {"徐明华", "李徐明", "徐秀英"}), ("徐明华", {"徐明华"}), ("xu ming", {"徐明华"})):
        response = admin_client.get("/api/v1/residents/", {"q": q})
        assert response.status_code == 200
        assert {row["name"] for row in response.json()["results"]} == expected, q


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 index")
def test_sqlite_keeps_the_search_index_and_its_triggers_after_all_migrations():
    """SQLite drops a table's triggers when a migration rebuilds the table: a later migration that
    rebuilds places_resident must call `places.search.install_index` again."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        names = {row[0] for row in cursor.fetchall()}
    assert search.FTS_TABLE in names
    assert set(search.SQLITE_TRIGGERS) <= names


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes")
def test_postgresql_has_the_search_indexes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'places_resident'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"places_resident_name_trgm", "places_resident_name_chars", "places_resident_pinyin_compact"} <= names
