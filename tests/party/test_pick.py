"""The organisation picker (`party:org_pick`): scoped search by name or pinyin, and the tree a level at a time."""

from __future__ import annotations

import re

from django.urls import reverse

URL = reverse("party:org_pick")


def _labels(response) -> list[str]:
    return re.findall(r'data-pick-label="([^"]*)"', response.content.decode())


def test_found_by_name_or_initials_within_the_scope(town):
    admin = town.client_for("admin")
    assert "东片区大总支 › 何梅畈村党支部" in _labels(admin.get(URL, {"org__q": "hmf"}))
    xuqiao = town.client_for("xuqiao")
    assert _labels(xuqiao.get(URL, {"org__q": "何梅畈"})) == [""]
    assert "徐桥村党支部 › 徐桥村5组党小组" not in _labels(xuqiao.get(URL, {"org__q": "xqc"}))
    assert "徐桥村5组党小组" in _labels(xuqiao.get(URL, {"org__q": "xqc"}))


def test_walking_the_tree(town):
    admin = town.client_for("admin")
    assert _labels(admin.get(URL)) == ["", "宋河镇党委"]
    assert "东片区大总支" in _labels(admin.get(URL, {"parent": town.committee.pk}))
    assert _labels(town.client_for("xuqiao").get(URL, {"parent": town.committee.pk})) == ["", "徐桥村党支部"]
