"""A village secretary (徐桥村) cannot reach 发水河村 through any place page: 404 like a missing
record, and no 发水河村 rows in lists, search or exports. Visible but not permitted: 403."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hongniudai.audit import actions as AuditAction
from hongniudai.audit.models import AuditEvent
from hongniudai.places.models import AreaNode, Household, Resident
from tests.places.conftest import full_id, xlsx_text

pytestmark = pytest.mark.django_db


def test_other_village_pages_answer_404(town, xuqiao):
    fsh = town.fashuihe
    get_urls = [
        reverse("places:tree") + f"?node={fsh.area.pk}",
        reverse("places:tree_children", args=[fsh.area.pk]),
        *(
            reverse(f"places:area_{v}", args=[a.pk])
            for v in ("detail", "edit", "delete")
            for a in (fsh.area, fsh.grid, fsh.hamlet)
        ),
        reverse("places:area_create") + f"?parent={fsh.grid.pk}",
        *(reverse(f"places:household_{v}", args=[fsh.household.pk]) for v in ("detail", "edit", "delete")),
        *(reverse(f"places:resident_{v}", args=[fsh.head.pk]) for v in ("detail", "edit", "delete")),
        reverse("places:resident_create") + f"?household={fsh.household.pk}",
        reverse("places:household_create") + f"?hamlet={fsh.hamlet.pk}",
        reverse("places:resident_list") + f"?area={fsh.area.pk}",
        reverse("places:household_list") + f"?area={fsh.area.pk}",
        reverse("places:area_list") + f"?area={fsh.area.pk}",
    ]
    for url in get_urls:
        assert xuqiao.get(url).status_code == 404, url
    post_urls = [
        reverse("places:area_delete", args=[fsh.hamlet.pk]),
        reverse("places:household_delete", args=[fsh.household.pk]),
        reverse("places:resident_delete", args=[fsh.head.pk]),
        reverse("places:resident_edit", args=[fsh.head.pk]),
        reverse("places:resident_reveal_id", args=[fsh.head.pk]),
    ]
    for url in post_urls:
        assert xuqiao.post(url, {"name": "改名"}).status_code == 404, url
    # The same answer as for a record that does not exist.
    assert xuqiao.get(reverse("places:resident_detail", args=[999999])).status_code == 404
    # Nothing changed and no full ID was revealed.
    assert Resident.objects.filter(pk=fsh.head.pk, name="施华成").exists()
    assert Household.objects.filter(pk=fsh.household.pk).exists()
    assert AreaNode.objects.filter(pk=fsh.hamlet.pk).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.REVEAL_ID).exists()


def test_other_village_rows_absent_from_lists_search_and_export(town, xuqiao):
    fsh = town.fashuihe
    pages = {
        "residents": reverse("places:resident_list"),
        "households": reverse("places:household_list"),
        "areas": reverse("places:area_list"),
        "tree": reverse("places:tree"),
    }
    for name, url in pages.items():
        body = xuqiao.get(url).content.decode()
        assert "施华成" not in body and "施家湾" not in body and "发水河村" not in body, name
        assert "黄家湾" in body or "徐桥村" in body, name
    # Search by initials, full pinyin and exact ID number finds nothing of 发水河村.
    detail = reverse("places:resident_detail", args=[fsh.head.pk])
    for q in ("shc", "shi hua", "施华成", full_id(fsh.head)):
        body = xuqiao.get(reverse("places:resident_list"), {"q": q}, follow=True).content.decode()
        assert detail not in body and fsh.head.id_masked not in body, q
        assert "没有符合条件的居民" in body, q
    for url in (pages["residents"], pages["households"], pages["areas"]):
        text = xlsx_text(xuqiao.get(url, {"export": "xlsx"}))
        assert "施华成" not in text and "发水河村" not in text and "施家湾" not in text, url
        assert "黄文华" in text or "徐桥村" in text, url


def test_forms_offer_only_choices_in_scope_and_refuse_others(town, xuqiao):
    xq, fsh = town.xuqiao, town.fashuihe
    form_page = xuqiao.get(reverse("places:household_create")).content.decode()
    assert "黄家湾" in form_page and "施家湾" not in form_page
    before = Household.objects.count()
    response = xuqiao.post(reverse("places:household_create"), {"hamlet": fsh.hamlet.pk, "address": "偷偷登记"})
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert Household.objects.count() == before
    # Moving a resident: only 徐桥村's households are offered.
    edit_page = xuqiao.get(reverse("places:resident_edit", args=[xq.head.pk])).content.decode()
    assert fsh.household.address not in edit_page
    response = xuqiao.post(
        reverse("places:resident_edit", args=[xq.head.pk]),
        {"household": fsh.household.pk, "name": xq.head.name, "sex": "M", "relation": "head"},
    )
    assert response.status_code == 200
    xq.head.refresh_from_db()
    assert xq.head.household_id == xq.household.pk


def test_visible_but_not_permitted_answers_403(town, xuqiao):
    xq = town.xuqiao
    # A village secretary may not change the area tree (that is the town's job).
    for url in (
        reverse("places:area_edit", args=[xq.area.pk]),
        reverse("places:area_delete", args=[xq.grid.pk]),
        reverse("places:area_create") + f"?parent={xq.grid.pk}",
    ):
        assert xuqiao.get(url).status_code == 403, url
    assert xuqiao.post(reverse("places:area_delete", args=[xq.hamlet.pk])).status_code == 403
    assert AreaNode.objects.filter(pk=xq.hamlet.pk).exists()
    page = xuqiao.get(reverse("places:area_detail", args=[xq.area.pk])).content.decode()
    assert reverse("places:area_edit", args=[xq.area.pk]) not in page
    # A centre household may look but not edit people.
    hmf = town.hemeifan
    zsf = town.client_for("zhangshengfu")
    assert zsf.get(reverse("places:resident_detail", args=[hmf.head.pk])).status_code == 200
    assert zsf.get(reverse("places:resident_edit", args=[hmf.head.pk])).status_code == 403
    assert zsf.get(reverse("places:household_create")).status_code == 403
    assert zsf.get(reverse("places:resident_create") + f"?household={hmf.household.pk}").status_code == 403
