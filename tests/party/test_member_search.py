"""Members are found by their resident's name, pinyin or ID number, on the page and through the API,
from the residents' search index (`places.search`)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from hongniudai.places import search
from tests import factories as f
from tests.places.conftest import full_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def xu(town):
    """徐明华, a member of 徐桥村's branch, beside the villages' heads 黄文华, 施华成 and 张圣福 (members)."""
    resident = f.resident(town.xuqiao.household, "徐明华", birth=dt.date(1970, 5, 1))
    f.member(resident, town.xuqiao.branch, group=town.xuqiao.group)
    f.resident(town.xuqiao.household, "徐秀英", sex="F")  # not a member
    return resident


def _names(client, q: str) -> set[str]:
    page = client.get(reverse("party:member_list"), {"q": q}).content.decode()
    api = client.get("/api/v1/members/", {"q": q}).json()["results"]
    names = {row["resident"]["name"] for row in api}
    assert {n for n in ("徐明华", "徐秀英", "黄文华", "施华成", "张圣福") if n in page} == names, q
    return names


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("徐", {"徐明华"}),
        ("华", {"徐明华", "黄文华", "施华成"}),
        ("明华", {"徐明华"}),
        ("徐明华", {"徐明华"}),
        ("xmh", {"徐明华"}),
        ("xu ming", {"徐明华"}),
        ("zhangshengfu", {"张圣福"}),
        ("邝", set()),
    ],
)
def test_members_are_found_by_name_and_pinyin(town, xu, admin_client, q, expected, monkeypatch):
    assert _names(admin_client, q) == expected
    if connection.vendor == "sqlite":  # the members walked, the index only a filter: the same members
        monkeypatch.setattr(search.FtsMatch, "DENSE_FOR_PAGE", 0)
        assert _names(admin_client, q) == expected


def test_a_member_is_found_by_id_number_without_it_showing(town, xu, admin_client):
    number = full_id(xu)
    response = admin_client.get(reverse("party:member_list"), {"q": number})
    assert response.status_code == 302 and number not in response["Location"]
    page = admin_client.get(response["Location"]).content.decode()
    assert "徐明华" in page and "黄文华" not in page and number not in page
    assert [
        row["resident"]["name"] for row in admin_client.get("/api/v1/members/", {"q": number}).json()["results"]
    ] == ["徐明华"]
