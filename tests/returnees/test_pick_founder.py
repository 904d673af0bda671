"""The founder of a returnee business is picked by typing (`returnees:returnee_pick`), never chosen
from a list of every returnee: a user finds only the returnees of the scope they record, and a
founder outside it sent anyway is refused."""

from __future__ import annotations

import re

from django.urls import reverse

from hongniudai.returnees.models import Business

PICK = reverse("returnees:returnee_pick")


def _labels(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'data-pick-label="([^"]*)"', response.content.decode())


def test_the_business_form_picks_its_founder_by_search(town, programme):
    client = town.client_for("xuqiao")
    body = client.get(reverse("returnees:business_create")).content.decode()
    assert PICK in body
    assert "罗华清" not in body and "陈磊" not in body  # no list of every returnee
    chosen = client.get(reverse("returnees:business_create"), {"founder": programme.luo.pk}).content.decode()
    assert "罗华清" in chosen and "陈磊" not in chosen  # the one chosen is labelled


def test_a_returnee_is_found_by_name_or_initials_within_the_scope(town, programme):
    client = town.client_for("xuqiao")
    for typed in ("罗华清", "华清", "lhq"):
        assert _labels(client.get(PICK, {"founder__q": typed})) == ["罗华清 · 徐桥村"], typed
    assert _labels(client.get(PICK, {"founder__q": "施华成"})) == []
    assert _labels(client.get(PICK)) == []
    other = town.client_for("fashuihe")
    assert _labels(other.get(PICK, {"founder__q": "罗华清"})) == []
    assert _labels(other.get(PICK, {"founder__q": "施华成"})) == ["施华成 · 发水河村"]


def test_a_founder_outside_the_scope_is_refused(town, programme):
    client = town.client_for("xuqiao")
    response = client.post(
        reverse("returnees:business_create"),
        {"founder": programme.shi.pk, "name": "越界渔场", "kind": "breeding", "started_on": "2020-06-01"},
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode() or "不在" in response.content.decode()
    assert not Business.objects.filter(name="越界渔场").exists()
