"""Areas: create under a parent (kinds limited), edit, delete, and the grid page that joins the
party organisation to the grid."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hongniudai.audit.models import AuditEvent
from hongniudai.party import services as party_services
from hongniudai.places import events
from hongniudai.places.models import AreaKind, AreaNode
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_create_offers_only_allowed_kinds_and_is_audited(town, admin):
    village = town.xuqiao.area
    url = reverse("places:area_create") + f"?parent={village.pk}"
    page = admin.get(url).content.decode()
    assert 'value="grid"' in page and 'value="hamlet"' not in page and 'value="village"' not in page
    # A kind that may not sit under a village is refused by the form.
    response = admin.post(url, {"name": "偷设湾组", "kind": AreaKind.HAMLET})
    assert response.status_code == 200 and not AreaNode.objects.filter(name="偷设湾组").exists()
    response = admin.post(url, {"name": "6组", "kind": AreaKind.GRID, "sort_order": "2"})
    assert response.status_code == 302
    grid = AreaNode.objects.get(parent=village, name="6组")
    assert grid.kind == AreaKind.GRID
    assert AuditEvent.objects.filter(
        action=events.AREA_CREATED, target_type="places.areanode", target_id=str(grid.pk)
    ).exists()
    # The same name twice under one parent: a Chinese message on the name field.
    response = admin.post(url, {"name": "6组", "kind": AreaKind.GRID})
    assert "同一上级下已有名为“6组”的地区" in response.content.decode()


def test_edit_validates_code_and_geometry_in_chinese(town, admin):
    village = town.xuqiao.area
    url = reverse("places:area_edit", args=[village.pk])
    body = admin.post(url, {"name": "徐桥村", "code": "4207", "sort_order": "0"}).content.decode()
    assert "统计代码应为 12 位数字" in body
    body = admin.post(url, {"name": "徐桥村", "geometry": "{not json", "sort_order": "0"}).content.decode()
    assert "位置不是有效的 GeoJSON" in body
    response = admin.post(url, {"name": "徐桥村", "code": "420704101001", "is_community": "", "sort_order": "0"})
    assert response.status_code == 302
    village.refresh_from_db()
    assert village.code == "420704101001"
    assert AuditEvent.objects.filter(
        action=events.AREA_UPDATED, target_type="places.areanode", target_id=str(village.pk)
    ).exists()


def test_delete_refuses_non_empty_area_and_deletes_empty_one(town, admin):
    grid = town.xuqiao.grid
    response = admin.post(reverse("places:area_delete", args=[grid.pk]), follow=True)
    assert "不能删除" in response.content.decode()
    assert AreaNode.objects.filter(pk=grid.pk).exists()
    empty = f.area(grid, "新湾", AreaKind.HAMLET)
    page = admin.get(reverse("places:area_delete", args=[empty.pk])).content.decode()
    assert "确定要删除" in page and "新湾" in page
    response = admin.post(reverse("places:area_delete", args=[empty.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("places:area_detail", args=[grid.pk])
    assert not AreaNode.objects.filter(pk=empty.pk).exists()
    assert AuditEvent.objects.filter(
        action=events.AREA_DELETED, target_type="places.areanode", target_id=str(empty.pk)
    ).exists()


def test_grid_page_shows_party_group_members_and_centre_household(town, admin):
    hmf = town.hemeifan
    neighbour = f.household(hmf.hamlet, "张家冲2号")
    f.household(hmf.hamlet, "张家冲3号")
    party_services.set_centre_household(
        actor=town.users["admin"], hamlet=hmf.hamlet, member=hmf.member, linked_households=[hmf.household, neighbour]
    )
    page = admin.get(reverse("places:area_detail", args=[hmf.grid.pk])).content.decode()
    text = " ".join(page.split())
    overview = text.split('id="grid-overview"', 1)[1]
    assert "何梅畈村6组党小组" in overview
    assert "张圣福" in overview  # group member and the hamlet's centre household
    assert "党员 1 名" in overview
    hamlet_row = overview.split(reverse("places:area_detail", args=[hmf.hamlet.pk]), 1)[1].split("</tr>", 1)[0]
    assert "张圣福" in hamlet_row
    assert '<td class="text-end hnd-count">2</td>' in hamlet_row  # linked households
    assert ">3</a>" in hamlet_row  # households in the hamlet
    # The hamlet page names its centre household too.
    hamlet_page = " ".join(admin.get(reverse("places:area_detail", args=[hmf.hamlet.pk])).content.decode().split())
    assert "张圣福" in hamlet_page and "联系户 2 户" in hamlet_page


def test_grid_without_centre_household_says_so(town, admin):
    page = admin.get(reverse("places:area_detail", args=[town.xuqiao.grid.pk])).content.decode()
    assert "未设" in page and "徐桥村5组党小组" in page


def test_household_head_chosen_among_members(town, admin):
    xq = town.xuqiao
    url = reverse("places:household_edit", args=[xq.household.pk])
    page = admin.get(url).content.decode()
    assert "黄文华" in page and "施华成" not in page.split('name="head"', 1)[1].split("</select>", 1)[0]
    data = {"hamlet": xq.hamlet.pk, "address": xq.household.address, "head": town.fashuihe.head.pk}
    response = admin.post(url, data)
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    spouse = f.resident(xq.household, "李秀英", sex="F", relation="spouse")
    response = admin.post(url, {**data, "head": spouse.pk, "is_formerly_poor": "on"})
    assert response.status_code == 302
    xq.household.refresh_from_db()
    assert xq.household.head_id == spouse.pk and xq.household.is_formerly_poor
    assert AuditEvent.objects.filter(
        action=events.HOUSEHOLD_UPDATED, target_type="places.household", target_id=str(xq.household.pk)
    ).exists()


def test_household_create_and_delete(town, xuqiao):
    xq = town.xuqiao
    response = xuqiao.post(
        reverse("places:household_create") + f"?hamlet={xq.hamlet.pk}",
        {"hamlet": xq.hamlet.pk, "address": "", "number": "X1"},
    )
    assert response.status_code == 200 and "该字段是必填项" in response.content.decode()
    response = xuqiao.post(reverse("places:household_create"), {"hamlet": xq.hamlet.pk, "address": "徐桥村黄家湾9号"})
    assert response.status_code == 302
    from hongniudai.places.models import Household

    hh = Household.objects.get(address="徐桥村黄家湾9号")
    assert AuditEvent.objects.filter(
        action=events.HOUSEHOLD_CREATED, target_type="places.household", target_id=str(hh.pk)
    ).exists()
    # A household with members cannot go; an empty one can.
    response = xuqiao.post(reverse("places:household_delete", args=[xq.household.pk]), follow=True)
    assert "该户还有成员" in response.content.decode()
    assert xuqiao.post(reverse("places:household_delete", args=[hh.pk])).status_code == 302
    assert not Household.objects.filter(pk=hh.pk).exists()
    assert AuditEvent.objects.filter(
        action=events.HOUSEHOLD_DELETED, target_type="places.household", target_id=str(hh.pk)
    ).exists()
