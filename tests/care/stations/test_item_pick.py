"""The requests list's item filter is a picker (issue 14): every town has its own catalogue, so a
county's items are found by typing (labelled with their town), never listed as options; the picker
offers only the items of the user's towns, and an item out of scope is refused as a filter."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hongniudai.care.stations import services
from hongniudai.care.stations.models import ServiceItem
from hongniudai.places.models import AreaKind
from tests import factories as f

pytestmark = pytest.mark.django_db


def _other_town(town: Any, name: str = "汀祖镇") -> ServiceItem:
    """Another town of the county with its own 证明开具 (out of every fixture user's scope)."""
    other = f.area(town.county, name, AreaKind.TOWN)
    return ServiceItem.objects.create(area=other, area_path=other.path, name="证明开具", time_limit=2)


def test_the_item_picker_offers_the_user_s_towns_items_only(town, stations):
    elsewhere = _other_town(town)
    for who in ("admin", "xuqiao"):
        page = town.client_for(who).get(reverse("stations:item_pick"), {"item__q": "证明"}).content.decode()
        assert "证明开具 · 宋河镇" in page, who
        assert "汀祖镇" not in page, who
    page = town.client_for("admin").get(reverse("stations:item_pick"), {"q": "宋河"}).content.decode()
    assert "医保参保 · 宋河镇" in page and "证明开具 · 宋河镇" in page
    assert elsewhere.pk


def test_the_requests_filter_lists_no_item_and_refuses_one_out_of_scope(town, stations):
    elsewhere = _other_town(town)
    client = town.client_for("admin")
    page = client.get(reverse("stations:request_list")).content.decode()
    assert "证明开具</option>" not in page and "医保参保</option>" not in page
    assert reverse("stations:item_pick") in page
    page = client.get(reverse("stations:request_list"), {"item": elsewhere.pk}).content.decode()
    assert "请选择您管辖范围内的服务事项。" in page
    assert f'name="item" value="{elsewhere.pk}"' not in page


def test_a_chosen_item_is_shown_by_its_label_and_filters(town, stations):
    admin = town.users["admin"]
    res = f.resident(f.household(town.xuqiao.hamlet), "张三", phone="13812345678")
    services.request_receive(
        actor=admin, station=stations.xuqiao, item=stations.certificate, channel="walk_in", resident=res
    )
    services.request_receive(
        actor=admin, station=stations.xuqiao, item=stations.insurance, channel="walk_in", person_name="李四"
    )
    client = town.client_for("admin")
    page = client.get(reverse("stations:request_list"), {"item": stations.certificate.pk}).content.decode()
    assert f'name="item" value="{stations.certificate.pk}"' in page
    assert 'value="证明开具 · 宋河镇"' in page
    assert "张三" in page and "李四" not in page


def test_the_requests_list_reads_as_many_queries_however_many_towns_items(town, stations):
    client = town.client_for("admin")
    url = reverse("stations:request_list")
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"item": stations.certificate.pk}).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(6):
        services.item_create(
            actor=town.users["admin"], town=town.town, name=f"新事项{i}", time_limit=1, valid_from=None
        )
    assert count() == before


def test_a_chosen_item_is_read_once(town, stations):
    client = town.client_for("admin")
    url = reverse("stations:request_list")
    client.get(url)

    def count(params) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, params).status_code == 200
        return len(ctx.captured_queries)

    assert count({"item": stations.certificate.pk}) == count({}) + 1  # validated, then shown, by one read
