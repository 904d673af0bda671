"""The returnee and business lists' "村" filter is the area picker: any area of the scope may be chosen
and the list shows what lies under it; an area out of reach is refused in Chinese."""

from __future__ import annotations

from django.urls import reverse

from tests.returnees.url_scope import fashuihe_records


def test_the_village_filter_takes_any_area_of_the_scope(town):
    fashuihe_records(town)
    client = town.client_for("admin")
    for name, shown in (("returnees:returnee_list", "施华成"), ("returnees:business_list", "施家湾鱼苗繁育场")):
        assert shown in client.get(reverse(name), {"village": town.district.pk}).content.decode(), name
        assert shown not in client.get(reverse(name), {"village": town.xuqiao.area.pk}).content.decode(), name
        page = town.client_for("xuqiao").get(reverse(name), {"village": town.fashuihe.area.pk}).content.decode()
        assert "请选择您管辖范围内的地区。" in page and shown not in page, name
