"""The area picker (`places:area_pick`): finds areas of the user's scope by name, pinyin or
initials, walks the tree a level at a time, and never shows an area outside the scope."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hongniudai.places.models import AreaKind
from tests import factories as f

URL = reverse("places:area_pick")


def _labels(response) -> list[str]:
    return re.findall(r'data-pick-label="([^"]*)"', response.content.decode())


def test_found_by_name_pinyin_or_initials(town):
    client = town.client_for("admin")
    for typed in ("何梅", "hemei", "HMF", "hmfc"):
        assert "东片区 › 何梅畈村" in _labels(client.get(URL, {"area__q": typed})), typed
    assert _labels(client.get(URL, {"area__q": "不存在的村"})) == [""]  # only "全部地区"


def test_outside_the_scope_nothing_is_found_or_walked(town):
    client = town.client_for("xuqiao")
    assert _labels(client.get(URL, {"area__q": "何梅"})) == [""]
    assert _labels(client.get(URL, {"area__q": "hmf"})) == [""]
    # Asking for the children of another village's node answers the user's own top instead.
    walked = _labels(client.get(URL, {"parent": town.hemeifan.area.pk}))
    assert walked == ["", "徐桥村"]


def test_the_tree_is_walked_one_level_at_a_time(town):
    client = town.client_for("admin")
    assert _labels(client.get(URL)) == ["", "宋河镇"]
    village = _labels(client.get(URL, {"parent": town.xuqiao.area.pk}))
    assert village == ["东片区 › 徐桥村 › 5组"]
    body = client.get(URL, {"parent": town.xuqiao.grid.pk}).content.decode()
    assert "黄家湾" in body and "parent=" not in body.split("黄家湾", 1)[1]  # a hamlet has no level below


def test_bad_input_is_no_error(town):
    client = town.client_for("admin")
    for params in ({"parent": "x"}, {"parent": "-1"}, {"parent": "9" * 30}, {"area__q": "%_" * 40}, {"q": "\u3000"}):
        assert client.get(URL, params).status_code == 200


def test_the_query_count_does_not_grow_with_the_matches(town):
    client = town.client_for("admin")
    client.get(URL, {"area__q": "村"})  # the session's once-a-minute save

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, {"area__q": "村"}).status_code == 200
        return len(ctx.captured_queries)

    before = queries()
    for i in range(6):
        f.area(town.district, f"新{i}村", AreaKind.VILLAGE)
    assert queries() == before
