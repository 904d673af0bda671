"""The organisation picker (`collective:org_pick`): a filter or form names a collective economic
organisation by its name or its village's (pinyin too); a user finds only those of the scope."""

from __future__ import annotations

import re

from django.urls import reverse

from tests.production.conftest import make_org

URL = reverse("collective:org_pick")


def _labels(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'data-pick-label="([^"]*)"', response.content.decode())


def test_an_organisation_is_found_by_its_or_its_villages_name_within_the_scope(town):
    make_org(town.xuqiao.area, "徐桥村股份经济合作社")
    make_org(town.fashuihe.area, "发水河村股份经济合作社")
    for typed in ("股份", "徐桥", "xuqiao", "xqc"):
        assert _labels(town.client_for("xuqiao").get(URL, {"org__q": typed})) == ["徐桥村股份经济合作社"], typed
    assert _labels(town.client_for("fashuihe").get(URL, {"org__q": "徐桥"})) == []
    assert len(_labels(town.client_for("admin").get(URL, {"org__q": "股份"}))) == 2
