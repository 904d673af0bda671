"""The enterprise registry: USCC checks, phones, branches, members working there, pages and scope."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hongniudai.audit.models import AuditEvent
from hongniudai.enterprises import events, services, services_visits, uscc
from hongniudai.enterprises.models import Employment, Enterprise, Industry
from hongniudai.party.models import BranchType, OrgKind
from tests import factories as f

from .conftest import employ, make_enterprise, make_uscc, wrong_check


def _post_data(town, **overrides):
    data = {
        "name": "徐桥米业有限公司",
        "uscc": make_uscc(),
        "industry": Industry.AGRI_PROCESSING,
        "area": town.xuqiao.area.pk,
        "size": "small",
        "employees": "35",
        "contact_name": "黄经理",
        "contact_phone": "13912340000",
        "is_active": "on",
    }
    data.update(overrides)
    return data


# ---- USCC -----------------------------------------------------------------------------------


def test_a_valid_uscc_is_normalised():
    code = make_uscc(12345)
    spaced = " ".join([code[:2], code[2:8], code[8:].lower()])
    assert uscc.clean_uscc(spaced) == code


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("9142070400000123", "应为 18 位,您填写了 16 位"),
        ("91420704000001234X9", "应为 18 位,您填写了 19 位"),
        ("9142O70400000123XX", "含有不允许的字符“O”"),
        ("91420704I0000123XX", "含有不允许的字符“I”"),
        ("", "请填写统一社会信用代码"),
    ],
)
def test_a_malformed_uscc_gets_its_own_message(value, message):
    with pytest.raises(ValidationError) as exc:
        uscc.clean_uscc(value)
    assert message in exc.value.messages[0]


def test_a_uscc_with_a_wrong_check_character_is_refused_with_a_clear_message(town):
    bad = wrong_check(make_uscc())
    with pytest.raises(ValidationError) as exc:
        services.create_enterprise(
            actor=town.users["admin"], name="错码企业", uscc=bad, industry=Industry.OTHER, area=town.xuqiao.area
        )
    assert exc.value.message_dict["uscc"] == ["统一社会信用代码校验位不正确,请核对"]
    assert not Enterprise.objects.filter(uscc=bad).exists()


def test_the_form_shows_the_check_character_message(town):
    client = town.client_for("xuqiao")
    response = client.post(reverse("enterprises:enterprise_create"), _post_data(town, uscc=wrong_check(make_uscc())))
    assert response.status_code == 200
    assert "统一社会信用代码校验位不正确,请核对" in response.content.decode()
    assert not Enterprise.objects.exists()


def test_a_uscc_is_unique(town):
    first = make_enterprise("甲公司", town.xuqiao.area)
    with pytest.raises(ValidationError) as exc:
        services.create_enterprise(
            actor=town.users["admin"],
            name="乙公司",
            uscc=first.uscc.lower(),
            industry=Industry.OTHER,
            area=town.park,
        )
    assert "已有企业登记了统一社会信用代码" in exc.value.message_dict["uscc"][0]


# ---- other rules ------------------------------------------------------------------------------


def test_the_area_must_be_a_park_or_a_village(town):
    with pytest.raises(ValidationError) as exc:
        make_enterprise("网格里的公司", town.xuqiao.grid)
    assert exc.value.message_dict["area"] == ["企业应登记在园区或村。"]
    make_enterprise("园区公司", town.park)
    make_enterprise("村里公司", town.xuqiao.area)


def test_the_phone_is_checked_and_shown_masked(town):
    with pytest.raises(ValidationError) as exc:
        make_enterprise("电话错", town.xuqiao.area, contact_phone="12345")
    assert "手机号" in exc.value.message_dict["contact_phone"][0]
    e = make_enterprise("电话对", town.xuqiao.area, contact_phone="139 1234 0000")
    assert e.contact_phone == "13912340000"
    body = town.client_for("admin").get(reverse("enterprises:enterprise_detail", args=[e.pk])).content.decode()
    assert "139****0000" in body
    assert "13912340000" not in body
    event = AuditEvent.objects.filter(target_type="enterprises.enterprise", target_id=str(e.pk)).get()
    assert "13912340000" not in str(event.changes)


def test_the_branch_must_be_an_enterprise_or_joint_branch(town, park):
    with pytest.raises(ValidationError) as exc:
        make_enterprise("挂错支部", town.xuqiao.area, branch=town.xuqiao.branch)
    assert "企业党支部、企业联合党支部或商会党支部" in exc.value.message_dict["branch"][0]
    make_enterprise("联合支部成员", town.park, branch=park.joint_branch)


def test_the_branch_choice_is_scoped(town, park):
    # A village secretary does not see the park's joint branch.
    with pytest.raises(ValidationError) as exc:
        make_enterprise("越界挂靠", town.xuqiao.area, branch=park.joint_branch, actor=town.users["xuqiao"])
    assert "不在您的范围之内" in exc.value.message_dict["branch"][0]
    page = town.client_for("xuqiao").get(reverse("enterprises:enterprise_create")).content.decode()
    assert "园区企业联合党支部" not in page
    xq_joint = f.org(
        town.general_branch, "徐桥村企业联合党支部", OrgKind.BRANCH, town.xuqiao.area, branch_type=BranchType.JOINT
    )
    page = town.client_for("xuqiao").get(reverse("enterprises:enterprise_create")).content.decode()
    assert xq_joint.name in page
    assert "徐桥村党支部<" not in page  # village branches are not offered


# ---- pages: create, edit, delete ----------------------------------------------------------------


def test_a_village_secretary_registers_edits_and_deletes_an_enterprise(town):
    client = town.client_for("xuqiao")
    response = client.post(reverse("enterprises:enterprise_create"), _post_data(town))
    enterprise = Enterprise.objects.get(name="徐桥米业有限公司")
    assert response.status_code == 302
    assert response["Location"] == reverse("enterprises:enterprise_detail", args=[enterprise.pk])
    assert enterprise.contact_phone == "13912340000"
    detail = client.get(response["Location"]).content.decode()
    assert "徐桥米业有限公司" in detail and "无党员且未派指导员" in detail

    response = client.post(
        reverse("enterprises:enterprise_edit", args=[enterprise.pk]),
        _post_data(town, uscc=enterprise.uscc, name="徐桥米业股份有限公司", employees="40"),
    )
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert (enterprise.name, enterprise.employees) == ("徐桥米业股份有限公司", 40)

    assert client.get(reverse("enterprises:enterprise_delete", args=[enterprise.pk])).status_code == 200
    response = client.post(reverse("enterprises:enterprise_delete", args=[enterprise.pk]))
    assert response.status_code == 302
    assert not Enterprise.objects.filter(pk=enterprise.pk).exists()
    actions = set(
        AuditEvent.objects.filter(target_type="enterprises.enterprise", target_id=str(enterprise.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == {events.ENTERPRISE_CREATED, events.ENTERPRISE_UPDATED, events.ENTERPRISE_DELETED}


def test_a_village_secretary_cannot_register_in_another_village(town):
    response = town.client_for("xuqiao").post(
        reverse("enterprises:enterprise_create"), _post_data(town, area=town.fashuihe.area.pk)
    )
    assert response.status_code == 200  # the choice is not offered: a form error
    assert not Enterprise.objects.exists()
    with pytest.raises(PermissionDenied):
        make_enterprise("越界", town.fashuihe.area, actor=town.users["xuqiao"])


def test_the_grid_worker_gets_403_on_writes(town):
    client = town.client_for("gridworker")
    assert client.get(reverse("enterprises:enterprise_create")).status_code == 403
    assert client.post(reverse("enterprises:enterprise_create"), _post_data(town)).status_code == 403
    assert client.get(reverse("enterprises:enterprise_list")).status_code == 200


def test_a_reader_who_sees_an_enterprise_gets_403_on_its_writes(town):
    e = make_enterprise("徐桥企业", town.xuqiao.area)
    reader = f.user("reader", "sent_down_cadre", area=town.xuqiao.area)
    town.users["reader"] = reader
    client = town.client_for("reader")
    assert client.get(reverse("enterprises:enterprise_detail", args=[e.pk])).status_code == 200
    for name in ("enterprise_edit", "enterprise_delete", "employment_add"):
        assert client.get(reverse(f"enterprises:{name}", args=[e.pk])).status_code == 403
        assert client.post(reverse(f"enterprises:{name}", args=[e.pk])).status_code == 403


def test_out_of_scope_enterprise_is_404(town, fashuihe_enterprise):
    client = town.client_for("xuqiao")
    for name in ("enterprise_detail", "enterprise_edit", "enterprise_delete", "employment_add"):
        url = reverse(f"enterprises:{name}", args=[fashuihe_enterprise.pk])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code in (404, 405)
    assert Enterprise.objects.filter(pk=fashuihe_enterprise.pk).exists()
    assert (
        town.client_for("fashuihe")
        .get(reverse("enterprises:enterprise_detail", args=[fashuihe_enterprise.pk]))
        .status_code
        == 200
    )


def test_an_enterprise_with_visits_cannot_be_deleted(town, instructor):
    e = make_enterprise("有记录的企业", town.xuqiao.area)
    services_visits.record_visit(
        actor=town.users["admin"], visited_on=e.created_at.date(), enterprise=e, instructor=instructor.user
    )
    with pytest.raises(ValidationError) as exc:
        services.delete_enterprise(actor=town.users["admin"], enterprise=e)
    assert "已有指导记录" in exc.value.messages[0]


# ---- the list -------------------------------------------------------------------------------


def test_the_list_filters_and_searches_within_scope(town, park, fashuihe_enterprise):
    rice = make_enterprise("徐桥米业", town.xuqiao.area, industry=Industry.AGRI_PROCESSING)
    chem = make_enterprise("宋河化工", town.park, industry=Industry.FINE_CHEMICALS, branch=park.own_branch)
    employ(chem, town.xuqiao.branch, 3)
    admin = town.client_for("admin")
    url = reverse("enterprises:enterprise_list")
    body = admin.get(url).content.decode()
    assert all(e.name in body for e in (rice, chem, fashuihe_enterprise))
    body = admin.get(url, {"area": town.park.pk}).content.decode()
    assert chem.name in body and rice.name not in body
    body = admin.get(url, {"industry": Industry.AGRI_PROCESSING}).content.decode()
    assert rice.name in body and chem.name not in body
    body = admin.get(url, {"coverage": "own_branch"}).content.decode()
    assert chem.name in body and rice.name not in body
    body = admin.get(url, {"q": f"{chem.uscc[:8]} {chem.uscc[8:].lower()}"}).content.decode()
    assert chem.name in body and rice.name not in body
    body = admin.get(url, {"q": "米业"}).content.decode()
    assert rice.name in body and chem.name not in body

    body = town.client_for("xuqiao").get(url).content.decode()
    assert rice.name in body
    assert fashuihe_enterprise.name not in body and chem.name not in body and "发水河村" not in body
    body = town.client_for("xuqiao").get(url, {"q": "酒厂"}).content.decode()
    assert fashuihe_enterprise.name not in body


def test_the_list_exports_with_masked_phones(town):
    make_enterprise("徐桥米业", town.xuqiao.area, contact_phone="13912340000")
    response = town.client_for("xuqiao").get(reverse("enterprises:enterprise_list"), {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    from tests.test_url_scoping import _body

    body = _body(response)
    assert "徐桥米业" in body and "139****0000" in body and "13912340000" not in body


# ---- members working there ------------------------------------------------------------------


def test_members_are_added_and_removed_through_the_pages(town):
    e = make_enterprise("徐桥米业", town.xuqiao.area)
    client = town.client_for("xuqiao")
    page = client.get(reverse("enterprises:employment_add", args=[e.pk]), {"member_q": "黄文华"}).content.decode()
    assert "黄文华" in page
    response = client.post(
        reverse("enterprises:employment_add", args=[e.pk]),
        {"member": town.xuqiao.member.pk, "position": "车间主任"},
    )
    assert response.status_code == 302
    employment = Employment.objects.get(member=town.xuqiao.member)
    assert employment.enterprise == e and employment.position == "车间主任"
    detail = client.get(reverse("enterprises:enterprise_detail", args=[e.pk])).content.decode()
    assert "黄文华" in detail and "车间主任" in detail

    response = client.post(reverse("enterprises:employment_remove", args=[employment.pk]))
    assert response.status_code == 302
    assert not Employment.objects.exists()


def test_one_workplace_per_member(town):
    first = make_enterprise("甲公司", town.xuqiao.area)
    second = make_enterprise("乙公司", town.xuqiao.area)
    services.add_employment(actor=town.users["xuqiao"], enterprise=first, member=town.xuqiao.member)
    with pytest.raises(ValidationError) as exc:
        services.add_employment(actor=town.users["xuqiao"], enterprise=second, member=town.xuqiao.member)
    assert "甲公司" in exc.value.message_dict["member"][0]


def test_only_members_of_the_actors_scope_can_be_added(town):
    e = make_enterprise("徐桥米业", town.xuqiao.area)
    with pytest.raises(PermissionDenied):
        services.add_employment(actor=town.users["xuqiao"], enterprise=e, member=town.fashuihe.member)
    page = town.client_for("xuqiao").get(reverse("enterprises:employment_add", args=[e.pk]), {"member_q": "shc"})
    assert "施华成" not in page.content.decode()
    response = town.client_for("xuqiao").post(
        reverse("enterprises:employment_add", args=[e.pk]), {"member": town.fashuihe.member.pk}
    )
    assert response.status_code == 200
    assert not Employment.objects.exists()


def test_an_out_of_scope_employment_is_404(town, fashuihe_enterprise):
    employment = services.add_employment(
        actor=town.users["fashuihe"], enterprise=fashuihe_enterprise, member=town.fashuihe.member
    )
    url = reverse("enterprises:employment_remove", args=[employment.pk])
    assert town.client_for("xuqiao").post(url).status_code == 404
    assert Employment.objects.filter(pk=employment.pk).exists()
