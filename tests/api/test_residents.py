import datetime as dt

import pytest
from stdnum.cn import ric

from hongniudai.audit import actions as AuditAction
from hongniudai.audit.models import AuditEvent
from hongniudai.common.identity import decrypt_id_number
from hongniudai.places.models import Resident
from tests.factories import make_id_number

from .conftest import assert_no_full_id

URL = "/api/v1/residents/"


def _payload(town, **overrides):
    data = {
        "household": town.xuqiao.household.pk,
        "name": "黄小梅",
        "id_number": make_id_number(birth=dt.date(1990, 5, 6), sex="F"),
        "phone": "13800138000",
        "relation": "child",
    }
    data.update(overrides)
    return data


def test_create_resident_returns_masked_data_only(town, api_for):
    data = _payload(town)
    r = api_for("xuqiao").post(URL, data, format="json")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert "id_number" not in body and "phone" not in body
    assert body["id_masked"] == data["id_number"][:3] + "*" * 11 + data["id_number"][-4:]
    assert body["phone_masked"] == "138****8000"
    assert body["sex"] == "F"  # from digit 17
    assert body["elderly"] is False
    assert body["hamlet_name"] == "黄家湾"
    assert_no_full_id(body)
    resident = Resident.objects.get(pk=body["id"])
    assert decrypt_id_number(resident.id_cipher) == data["id_number"]
    assert resident.birth_date == dt.date(1990, 5, 6)


def _bad_numbers():
    good = make_id_number(birth=dt.date(1985, 1, 2), sex="M")
    wrong_check = good[:17] + ("0" if good[17] != "0" else "1")
    body = "420704" + "19800230" + "123"
    impossible_date = body + ric.calc_check_digit(body + "0")
    return [
        (wrong_check, "F", "校验位错误"),
        (impossible_date, "", "不是真实的日期"),
        (good, "F", "性别与身份证号不符"),
        ("4207041985", "", "应为 18 位"),
        ("", "", "请填写身份证号"),
    ]


@pytest.mark.parametrize("number, sex, message", _bad_numbers())
def test_bad_id_number_is_400_with_chinese_message_and_nothing_saved(town, api_for, number, sex, message):
    before = Resident.objects.count()
    payload = _payload(town, id_number=number)
    if sex:
        payload["sex"] = sex
    r = api_for("xuqiao").post(URL, payload, format="json")
    assert r.status_code == 400
    errors = r.json()
    assert list(errors) == ["id_number"]
    assert message in errors["id_number"][0]
    assert Resident.objects.count() == before
    assert_no_full_id(errors)


def test_duplicate_id_number_is_refused(town, api_for):
    number = decrypt_id_number(town.xuqiao.head.id_cipher)
    r = api_for("xuqiao").post(URL, _payload(town, id_number=number), format="json")
    assert r.status_code == 400
    assert r.json() == {"id_number": ["该身份证号已登记。"]}


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"phone": "12345"}, "phone"),
        ({"name": "  "}, "name"),
        ({"relation": "cousin"}, "relation"),
        ({"household": "abc"}, "household"),
        ({"household": 999999}, "household"),
        ({"is_veteran": "maybe"}, "is_veteran"),
    ],
)
def test_other_bad_input_is_400_never_500(town, api_for, overrides, field):
    r = api_for("xuqiao").post(URL, _payload(town, **overrides), format="json")
    assert r.status_code == 400
    assert field in r.json()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in r.json()[field][0])  # a Chinese message


def test_update_keeps_id_number_when_omitted(town, api_for):
    head = town.xuqiao.head
    number = decrypt_id_number(head.id_cipher)
    r = api_for("xuqiao").patch(f"{URL}{head.pk}/", {"phone": "13700001111", "is_veteran": True}, format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["phone_masked"] == "137****1111"
    assert r.json()["is_veteran"] is True
    assert r.json()["name"] == "黄文华"
    head.refresh_from_db()
    assert decrypt_id_number(head.id_cipher) == number
    assert head.phone == "13700001111"
    assert_no_full_id(r.json())


def test_update_with_wrong_sex_is_400(town, api_for):
    r = api_for("xuqiao").patch(f"{URL}{town.xuqiao.head.pk}/", {"sex": "F"}, format="json")
    assert r.status_code == 400
    assert "sex" in r.json()


def test_delete_resident_who_is_a_member_is_400(town, api_for):
    r = api_for("xuqiao").delete(f"{URL}{town.xuqiao.head.pk}/")
    assert r.status_code == 400
    assert r.json() == {"non_field_errors": ["该居民是党员,请先处理其党员档案。"]}


def test_no_response_carries_a_full_id_number(town, api_for, centre_households):
    client = api_for("admin")
    for endpoint in ["areas", "households", "residents", "party-orgs", "members", "centre-households"]:
        listed = client.get(f"/api/v1/{endpoint}/")
        assert listed.status_code == 200
        assert_no_full_id(listed.content.decode())
        for row in listed.json()["results"]:
            detail = client.get(f"/api/v1/{endpoint}/{row['id']}/")
            assert detail.status_code == 200
            assert_no_full_id(detail.content.decode())
    # Nor does searching by the number echo it back.
    number = decrypt_id_number(town.hemeifan.head.id_cipher)
    found = client.get(URL, {"q": number})
    assert [row["name"] for row in found.json()["results"]] == ["张圣福"]
    assert_no_full_id(found.content.decode())


def test_reveal_id_for_permitted_user_is_audited(town, api_for):
    head = town.xuqiao.head
    r = api_for("xuqiao").post(f"{URL}{head.pk}/reveal-id/")
    assert r.status_code == 200
    assert r.json() == {"id_number": decrypt_id_number(head.id_cipher)}
    assert r["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(action=AuditAction.REVEAL_ID)
    assert event.actor == town.users["xuqiao"]
    assert event.target_id == str(head.pk)


def test_reveal_id_without_the_capability_is_403(town, api_for):
    # The grid worker sees the resident but holds no reveal capability.
    head = town.xuqiao.head
    client = api_for("gridworker")
    assert client.get(f"{URL}{head.pk}/").status_code == 200
    r = client.post(f"{URL}{head.pk}/reveal-id/")
    assert r.status_code == 403
    assert r.json() == {"detail": "您没有查看完整身份证号的权限。"}
    assert not AuditEvent.objects.filter(action=AuditAction.REVEAL_ID).exists()
