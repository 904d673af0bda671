"""Every place page renders, for the town administrator, with what a user would look for."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hongniudai.places import services
from tests import factories as f
from tests.places.conftest import xlsx_text

pytestmark = pytest.mark.django_db


def _page_urls(town):
    xq = town.xuqiao
    return [
        reverse("places:tree"),
        reverse("places:tree") + f"?node={town.district.pk}",
        reverse("places:area_list"),
        reverse("places:area_list") + "?kind=village&q=村",
        *(
            reverse("places:area_detail", args=[a.pk])
            for a in (town.town, town.district, town.park, xq.area, xq.grid, xq.hamlet)
        ),
        reverse("places:area_create") + f"?parent={xq.area.pk}",
        reverse("places:area_edit", args=[xq.hamlet.pk]),
        reverse("places:area_delete", args=[xq.hamlet.pk]),
        reverse("places:household_list"),
        reverse("places:household_list") + f"?area={xq.area.pk}&formerly_poor=0",
        reverse("places:household_detail", args=[xq.household.pk]),
        reverse("places:household_create") + f"?hamlet={xq.hamlet.pk}",
        reverse("places:household_edit", args=[xq.household.pk]),
        reverse("places:household_delete", args=[xq.household.pk]),
        reverse("places:resident_list"),
        reverse("places:resident_list") + f"?area={xq.grid.pk}&elderly=1&sex=M&veteran=0",
        reverse("places:resident_detail", args=[xq.head.pk]),
        reverse("places:resident_create") + f"?household={xq.household.pk}",
        reverse("places:resident_edit", args=[xq.head.pk]),
        reverse("places:resident_delete", args=[xq.head.pk]),
    ]


def test_every_page_renders_for_admin(town, admin):
    for url in _page_urls(town):
        response = admin.get(url)
        assert response.status_code == 200, url
        assert "<!doctype html>" in response.content.decode()[:200].lower(), url


def test_tree_shows_children_with_counts_and_expands_with_htmx(town, admin):
    f.resident(town.xuqiao.household, "黄小华", sex="F")
    page = admin.get(reverse("places:tree") + f"?node={town.district.pk}").content.decode()
    assert "徐桥村" in page and "发水河村" in page and "何梅畈村" in page
    # 徐桥村: 1 grid below, 1 household, 2 residents, 1 party member.
    assert "下级 1 · 户 1 · 人 2 · 党员 1" in " ".join(page.split())
    # Breadcrumbs: the town above the district.
    assert "宋河镇" in page
    # The expand link works with HTMX (fragment) and without (link to the tree at that node).
    children_url = reverse("places:tree_children", args=[town.xuqiao.area.pk])
    assert f'hx-get="{children_url}"' in page
    fragment = admin.get(children_url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    body = fragment.content.decode()
    assert "5组" in body and "<html" not in body
    plain = admin.get(children_url)
    assert plain.status_code == 302 and plain["Location"].endswith(f"?node={town.xuqiao.area.pk}")


def test_tree_root_for_village_secretary_is_the_village(town, xuqiao):
    page = xuqiao.get(reverse("places:tree")).content.decode()
    assert "徐桥村" in page
    assert "宋河镇" not in page.split("<main", 1)[1]


def test_area_detail_links_to_filtered_lists_and_history(town, admin):
    xq = town.xuqiao
    page = admin.get(reverse("places:area_detail", args=[xq.area.pk])).content.decode()
    assert f"{reverse('places:household_list')}?area={xq.area.pk}" in page
    assert f"{reverse('places:resident_list')}?area={xq.area.pk}" in page
    assert f"/audit/history/places.areanode/{xq.area.pk}/" in page
    assert "5组" in page  # its child grid, with counts


def test_area_map_only_when_geometry_present(town, admin):
    hamlet = town.xuqiao.hamlet
    page = admin.get(reverse("places:area_detail", args=[hamlet.pk])).content.decode()
    assert "area-map" not in page and "leaflet.js" not in page
    square = {"type": "Polygon", "coordinates": [[[114.7, 30.3], [114.71, 30.3], [114.71, 30.31], [114.7, 30.3]]]}
    services.update_area(actor=town.users["admin"], area=hamlet, name=hamlet.name, geometry=square)
    page = admin.get(reverse("places:area_detail", args=[hamlet.pk])).content.decode()
    assert 'id="area-map"' in page
    assert "/static/vendor/leaflet/leaflet.js" in page
    assert "114.71" in page  # the geometry is handed to the map
    assert "L.tileLayer" not in page and "://" not in page.split("leaflet.js", 1)[1]  # no tiles: offline


def test_lists_export_xlsx_with_the_same_filters(town, admin):
    xq = town.xuqiao
    for name, url in (
        ("areas", reverse("places:area_list") + "?kind=village"),
        ("households", reverse("places:household_list") + f"?area={xq.area.pk}"),
        ("residents", reverse("places:resident_list") + f"?area={xq.area.pk}"),
    ):
        response = admin.get(url + "&export=xlsx")
        assert response.status_code == 200, name
        assert response["Content-Type"].startswith("application/vnd.openxmlformats"), name
        text = xlsx_text(response)
        if name == "areas":
            assert "徐桥村" in text and "发水河村" in text and "5组" not in text
        else:
            assert "黄文华" in text and "施华成" not in text, name


def test_resident_list_shows_columns_and_flags(town, admin):
    page = admin.get(reverse("places:resident_list")).content.decode()
    head = town.xuqiao.head
    assert head.id_masked in page
    assert "139****5678" in page and "13912345678" not in page
    assert "老年人" in page  # born 1958
    assert "党员" in page
    assert "黄家湾" in page


def test_household_list_filters(town, admin):
    services.update_household(
        actor=town.users["admin"],
        household=town.fashuihe.household,
        hamlet=town.fashuihe.hamlet,
        address=town.fashuihe.household.address,
        head=town.fashuihe.head,
        is_formerly_poor=True,
    )
    page = admin.get(reverse("places:household_list") + "?formerly_poor=1").content.decode()
    assert "施华成" in page and "黄文华" not in page
    page = admin.get(reverse("places:household_list") + "?q=徐桥村黄家湾").content.decode()
    assert "黄文华" in page and "施华成" not in page


def test_export_beyond_the_row_limit_is_refused_with_a_message(town, admin, monkeypatch):
    from hongniudai.audit import actions as AuditAction
    from hongniudai.audit.models import AuditEvent
    from hongniudai.common import xlsx as export

    url = reverse("places:resident_list") + "?q="
    assert len(admin.get(url).context["page"].object_list) > 1
    monkeypatch.setattr(export, "EXPORT_MAX_ROWS", 1)
    response = admin.get(url + "&export=xlsx", follow=True)
    assert response.redirect_chain == [(url, 302)]  # back to the same list, filters kept
    page = response.content.decode()
    assert "要导出的记录超过 1 条" in page and "缩小范围" in page
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
    monkeypatch.setattr(export, "EXPORT_MAX_ROWS", 10_000)
    assert admin.get(url + "&export=xlsx").status_code == 200
