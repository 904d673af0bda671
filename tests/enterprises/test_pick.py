"""The enterprise picker (`enterprises:enterprise_pick`): a buyer, an adviser or a transferee is named
by typing the enterprise's name; a user finds only the enterprises of the scope."""

from __future__ import annotations

import re

from django.urls import reverse

from hongniudai.enterprises.models import Enterprise

URL = reverse("enterprises:enterprise_pick")


def _labels(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'data-pick-label="([^"]*)"', response.content.decode())


def test_an_enterprise_is_found_by_name_only_within_the_scope(town):
    Enterprise.objects.create(
        name="徐桥米业有限公司", uscc="91420704MA4XQ0001A", industry="agri_processing", area=town.xuqiao.area
    )
    assert _labels(town.client_for("xuqiao").get(URL, {"buyer__q": "米业"})) == ["徐桥米业有限公司"]
    assert _labels(town.client_for("fashuihe").get(URL, {"buyer__q": "米业"})) == []
    assert _labels(town.client_for("xuqiao").get(URL)) == []  # nothing listed before typing
