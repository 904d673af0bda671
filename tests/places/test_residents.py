"""Residents: creating with ID checks, editing, deleting (audited), search, and the ID reveal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from stdnum.cn import ric

from hongniudai.audit import actions as AuditAction
from hongniudai.audit.models import AuditEvent
from hongniudai.places import events
from hongniudai.places.models import Resident
from tests import factories as f
from tests.places.conftest import full_id, xlsx_text

pytestmark = pytest.mark.django_db


def _create(client, household, **data):
    payload = {"name": "黄新民", "sex": "M", "relation": "child", "phone": "", **data}
    return client.post(reverse("places:resident_create") + f"?household={household.pk}", payload)


def _impossible_date_id() -> str:
    body = "420704" + "19990231" + "123"
    return body + ric.calc_check_digit(body + "0")


@pytest.mark.parametrize(
    ("make_number", "sex", "message"),
    [
        (lambda: (lambda n: n[:17] + ("0" if n[17] != "0" else "1"))(f.make_id_number(sex="M")), "M", "校验位错误"),
        (_impossible_date_id, "M", "不是真实的日期"),
        (lambda: f.make_id_number(sex="M"), "F", "性别与身份证号不符"),
        (lambda: "4207041990", "M", "身份证号应为 18 位"),
    ],
)
def test_bad_id_number_shows_chinese_error_and_saves_nothing(town, admin, make_number, sex, message):
    before = Resident.objects.count()
    events = AuditEvent.objects.count()
    response = _create(admin, town.xuqiao.household, id_number=make_number(), sex=sex)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert 'class="invalid-feedback' in body
    assert Resident.objects.count() == before
    assert AuditEvent.objects.count() == events


def test_bad_phone_shows_chinese_error(town, admin):
    response = _create(admin, town.xuqiao.household, id_number=f.make_id_number(), phone="12345")
    assert "手机号应为以 1 开头的 11 位数字" in response.content.decode()
    assert not Resident.objects.filter(name="黄新民").exists()


def test_create_edit_delete_leave_audit_records(town, admin):
    number = f.make_id_number(birth=dt.date(1990, 5, 6), sex="M")
    response = _create(admin, town.xuqiao.household, id_number=number, phone="13800001111", is_veteran="on")
    assert response.status_code == 302
    resident = Resident.objects.get(name="黄新民")
    assert resident.birth_date == dt.date(1990, 5, 6) and resident.is_veteran
    created = AuditEvent.objects.get(
        action=events.RESIDENT_CREATED, target_type="places.resident", target_id=str(resident.pk)
    )
    assert number not in str(created.changes) and "13800001111" not in str(created.changes)

    # Edit with the ID field blank keeps the number; the form shows only the masked one.
    edit_url = reverse("places:resident_edit", args=[resident.pk])
    page = admin.get(edit_url).content.decode()
    assert resident.id_masked in page and number not in page
    response = admin.post(
        edit_url,
        {"household": resident.household_id, "name": "黄新明", "sex": "M", "relation": "child", "id_number": ""},
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.name == "黄新明" and full_id(resident) == number
    assert AuditEvent.objects.filter(
        action=events.RESIDENT_UPDATED, target_type="places.resident", target_id=str(resident.pk)
    ).exists()

    response = admin.post(reverse("places:resident_delete", args=[resident.pk]))
    assert response.status_code == 302
    assert not Resident.objects.filter(pk=resident.pk).exists()
    assert AuditEvent.objects.filter(
        action=events.RESIDENT_DELETED, target_type="places.resident", target_id=str(resident.pk)
    ).exists()


def test_party_member_cannot_be_deleted_here(town, admin):
    head = town.xuqiao.head
    response = admin.post(reverse("places:resident_delete", args=[head.pk]), follow=True)
    assert "该居民是党员" in response.content.decode()
    assert Resident.objects.filter(pk=head.pk).exists()


def test_search_by_initials_pinyin_and_exact_id(town, admin):
    url = reverse("places:resident_list")
    zsf = town.hemeifan.head
    detail = reverse("places:resident_detail", args=[zsf.pk])
    for q in ("zsf", "ZSF", "zhang sheng", "zhangshengfu", "Zhang", "圣福"):
        body = admin.get(url, {"q": q}).content.decode()
        assert detail in body, q
        assert reverse("places:resident_detail", args=[town.xuqiao.head.pk]) not in body, q
    number = full_id(zsf)
    response = admin.get(url, {"q": number})
    # The number is swapped for its keyed digest: it never appears in the page or its links.
    assert response.status_code == 302 and number not in response["Location"]
    page = admin.get(response["Location"]).content.decode()
    assert detail in page and number not in page
    assert reverse("places:resident_detail", args=[town.xuqiao.head.pk]) not in page
    # A partial number is not an ID search.
    assert detail not in admin.get(url, {"q": number[:10]}).content.decode()


def test_reveal_requires_permission_and_is_audited(town, admin):
    head = town.xuqiao.head
    number = full_id(head)
    url = reverse("places:resident_reveal_id", args=[head.pk])
    detail = reverse("places:resident_detail", args=[head.pk])

    # The grid worker (no reveal permission) sees no button and is refused.
    grid = town.client_for("gridworker")
    page = grid.get(detail).content.decode()
    assert url not in page and number not in page and head.id_masked in page
    assert grid.post(url, HTTP_HX_REQUEST="true").status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.REVEAL_ID).exists()

    # The administrator sees the button; the reveal answers a fragment and writes an audit row.
    page = admin.get(detail).content.decode()
    assert url in page and number not in page
    assert admin.get(url).status_code == 405  # POST only
    response = admin.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert number in body and "<html" not in body
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(action=AuditAction.REVEAL_ID)
    assert event.target_id == str(head.pk) and event.actor_name == "admin"
    assert number not in str(event.changes) + event.target_repr


def test_no_full_id_in_pages_or_exports_without_permission(town):
    client = town.client_for("gridworker")
    xq = town.xuqiao
    extra = f.resident(xq.household, "黄小梅", sex="F", phone="13700002222")
    numbers = [full_id(xq.head), full_id(extra)]
    urls = [
        reverse("places:resident_list"),
        reverse("places:resident_list") + "?q=hxm",
        reverse("places:resident_detail", args=[xq.head.pk]),
        reverse("places:resident_detail", args=[extra.pk]),
        reverse("places:resident_edit", args=[extra.pk]),
        reverse("places:household_detail", args=[xq.household.pk]),
        reverse("places:household_list"),
        reverse("places:area_detail", args=[xq.hamlet.pk]),
        reverse("places:area_detail", args=[xq.grid.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for number in numbers:
            assert number not in body, url
        assert "13700002222" not in body, url
    for url in (reverse("places:resident_list"), reverse("places:household_list")):
        text = xlsx_text(client.get(url, {"export": "xlsx"}))
        for number in numbers:
            assert number not in text
        assert "13700002222" not in text
    text = xlsx_text(client.get(reverse("places:resident_list"), {"export": "xlsx"}))
    assert extra.id_masked in text and "137****2222" in text


def test_edit_keeps_or_clears_the_phone_without_showing_it(town, admin):
    head = town.xuqiao.head  # phone 13912345678
    url = reverse("places:resident_edit", args=[head.pk])
    page = admin.get(url).content.decode()
    assert "13912345678" not in page and "139****5678" in page
    base = {"household": head.household_id, "name": head.name, "sex": "M", "relation": "head"}
    assert admin.post(url, {**base, "phone": ""}).status_code == 302
    head.refresh_from_db()
    assert head.phone == "13912345678"
    assert admin.post(url, {**base, "phone": "13611112222"}).status_code == 302
    head.refresh_from_db()
    assert head.phone == "13611112222"
    assert admin.post(url, {**base, "phone": "", "clear_phone": "on"}).status_code == 302
    head.refresh_from_db()
    assert head.phone == ""
