"""The land pages pick villages, households and enterprises by search (issue 14's rule); the forms
still validate what is sent: an id out of the user's reach is refused with a Chinese message."""

from __future__ import annotations

from django.urls import reverse

from hongniudai.enterprises.models import Enterprise
from hongniudai.land.models import Parcel
from hongniudai.places.models import AreaKind
from tests import factories as f


def test_a_parcel_of_another_villages_household_is_refused(lt):
    client = lt.town.client_for("xuqiao")
    other = lt.town.fashuihe.household
    page = client.post(
        reverse("land:parcel_create"),
        {"household": other.pk, "name": "偷登的田", "registered_area": "1", "kind": "arable"},
    )
    assert page.status_code == 200 and "选择一个有效的选项" in page.content.decode()
    assert not Parcel.objects.filter(name="偷登的田").exists()
    # the form shows the household picker, not a list of households
    assert 'data-pick-q hx-get="/places/households/pick/' in page.content.decode()


def test_a_contract_for_an_area_that_is_no_village_is_refused_in_chinese(lt):
    client = lt.town.client_for("admin")
    page = client.post(reverse("land:contract_create"), {"village": lt.town.xuqiao.hamlet.pk})
    assert "请选择您管辖范围内的一个村。" in page.content.decode()


def test_the_village_filter_takes_any_area_of_the_scope(lt):
    client = lt.town.client_for("admin")
    names = {p.name for p in lt.parcels}
    page = client.get(reverse("land:parcel_list"), {"village": lt.town.district.pk}).content.decode()
    assert all(name in page for name in names)
    assert f'name="village" value="{lt.town.district.pk}"' in page
    page = client.get(reverse("land:parcel_list"), {"village": lt.town.fashuihe.area.pk}).content.decode()
    assert not any(name in page for name in names)
    # another village's secretary may not filter by 徐桥村 (not in reach: the filter is refused)
    page = lt.town.client_for("fashuihe").get(reverse("land:parcel_list"), {"village": lt.town.xuqiao.area.pk})
    assert "请选择您管辖范围内的地区。" in page.content.decode()


def test_an_edit_page_shows_the_chosen_household_and_enterprise_by_name(lt):
    client = lt.town.client_for("xuqiao")
    parcel = lt.parcels[0]
    page = client.get(reverse("land:parcel_edit", args=[parcel.pk])).content.decode()
    assert f'name="household" value="{parcel.household_id}"' in page
    assert f"黄家湾 · {parcel.household.head.name}" in page


def test_a_contract_with_another_towns_enterprise_is_refused(lt):
    """The transferee may be any enterprise of the village's town (`enterprises.counterparties`),
    none of another town."""
    other_town = f.area(lt.town.county, "杨叶镇", AreaKind.TOWN)
    elsewhere = Enterprise.objects.create(
        name="杨叶米业有限公司", uscc="91420704MA4FS0001A", industry="agri_processing", area=other_town
    )
    client = lt.town.client_for("xuqiao")
    page = client.post(reverse("land:contract_create"), {"enterprise": elsewhere.pk}).content.decode()
    assert "选择一个有效的选项" in page
    assert 'data-pick-q hx-get="/enterprises/pick/counterparty/' in page
