"""The household and resident pickers (`places:household_pick`, `places:resident_pick`): the forms of
the collective economy name a household or a resident by typing a name or its pinyin; a user finds only
those of the scope, labelled by the hamlet's path, never by an ID number or a phone."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hongniudai.common.pick import PICK_LIMIT
from tests import factories as f

HOUSEHOLDS = reverse("places:household_pick")
RESIDENTS = reverse("places:resident_pick")


def _labels(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'data-pick-label="([^"]*)"', response.content.decode())


def test_a_household_is_found_by_its_head_name_or_pinyin_within_the_scope(town):
    client = town.client_for("xuqiao")
    for typed in ("黄文华", "文华", "hwh", "huangwenhua"):
        assert _labels(client.get(HOUSEHOLDS, {"household__q": typed})) == ["5组 › 黄家湾 · 黄文华"], (
            typed
        )  # below her own village


def test_another_villages_secretary_does_not_find_xuqiaos_households_or_residents(town):
    client = town.client_for("fashuihe")
    for typed in ("黄文华", "hwh"):
        assert _labels(client.get(HOUSEHOLDS, {"household__q": typed})) == []
        assert _labels(client.get(RESIDENTS, {"resident__q": typed})) == []
    assert _labels(client.get(RESIDENTS, {"resident__q": "施华成"})) == ["1组 › 施家湾 · 施华成"]


def test_a_resident_is_found_by_name_or_initials_and_shown_without_personal_numbers(town):
    client = town.client_for("admin")
    page = client.get(RESIDENTS, {"resident__q": "hwh"})
    assert _labels(page) == ["东片区 › 徐桥村 › 5组 › 黄家湾 · 黄文华"]
    assert not re.search(r"\d{17}[\dXx]", page.content.decode())
    assert "13912345678" not in page.content.decode()


def test_a_blank_search_lists_nobody_and_many_matches_are_cut(town):
    client = town.client_for("xuqiao")
    assert _labels(client.get(HOUSEHOLDS)) == []
    for i in range(PICK_LIMIT + 3):
        household = f.household(town.xuqiao.hamlet, f"黄家湾{i + 2}号")
        f.resident(household, f"黄{i}号", relation="head")
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(HOUSEHOLDS, {"household__q": "黄"})
    assert len(_labels(page)) == PICK_LIMIT and "只列出前" in page.content.decode()
    assert len(ctx.captured_queries) < 15  # not one per row


def test_the_pickers_ask_for_a_login(client):
    assert client.get(HOUSEHOLDS, {"q": "黄"}).status_code == 302
    assert client.get(RESIDENTS, {"q": "黄"}).status_code == 302
