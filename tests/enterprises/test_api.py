"""The REST API of enterprise party work."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from hongniudai.accounts.models import Role, RoleAssignment
from hongniudai.enterprises import services_instructors
from hongniudai.enterprises.models import Employment, Enterprise, GuidanceVisit, Instructor, InstructorAssignment

from .conftest import employ, fresh, make_enterprise, make_uscc, wrong_check


def api(user):
    client = APIClient()
    client.force_authenticate(fresh(user))
    return client


@pytest.fixture
def data(town, park):
    chem = make_enterprise("宋河化工", town.park, branch=park.own_branch, contact_phone="13912340000")
    employ(chem, town.xuqiao.branch, 3)
    rice = make_enterprise("徐桥米业", town.xuqiao.area, industry="agri_processing")
    employ(rice, town.xuqiao.branch, 3, prefix="米业")
    wine = make_enterprise("发水河村酒厂", town.fashuihe.area, industry="liquor_food")
    return {"chem": chem, "rice": rice, "wine": wine}


def test_enterprise_list_has_coverage_and_full_members(town, data):
    response = api(town.users["admin"]).get("/api/v1/enterprises/")
    assert response.status_code == 200
    rows = {r["name"]: r for r in response.json()["results"]}
    assert rows["宋河化工"]["full_members"] == 3 and rows["宋河化工"]["coverage"] == "own_branch"
    assert rows["徐桥米业"]["coverage"] == "should_found"
    assert rows["徐桥米业"]["coverage_label"] == "正式党员3人以上未单独建支部"
    assert rows["宋河化工"]["contact_phone_masked"] == "139****0000"
    assert "13912340000" not in response.content.decode()


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"coverage": "should_found"}, {"徐桥米业"}),
        ({"industry": "liquor_food"}, {"发水河村酒厂"}),
        ({"q": "化工"}, {"宋河化工"}),
        ({"area": "PARK"}, {"宋河化工"}),
        ({"branch": "JOINT_ORG"}, {"宋河化工"}),
    ],
)
def test_enterprise_filters(town, park, data, params, names):
    ids = {"PARK": town.park.pk, "JOINT_ORG": park.joint_org.pk}
    params = {k: ids.get(v, v) for k, v in params.items()}
    rows = api(town.users["admin"]).get("/api/v1/enterprises/", params).json()["results"]
    assert {r["name"] for r in rows} == names


def test_enterprise_api_is_scoped(town, data):
    client = api(town.users["xuqiao"])
    rows = client.get("/api/v1/enterprises/").json()["results"]
    assert {r["name"] for r in rows} == {"徐桥米业"}
    assert client.get(f"/api/v1/enterprises/{data['wine'].pk}/").status_code == 404
    assert client.delete(f"/api/v1/enterprises/{data['wine'].pk}/").status_code == 404
    assert client.get("/api/v1/enterprises/", {"area": town.fashuihe.area.pk}).json()["results"] == []


def test_enterprise_create_update_delete(town):
    client = api(town.users["xuqiao"])
    body = {"name": "徐桥砖厂", "uscc": make_uscc(), "industry": "building_materials", "area": town.xuqiao.area.pk}
    response = client.post("/api/v1/enterprises/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["coverage"] == "no_instructor" and response.json()["full_members"] == 0
    pk = response.json()["id"]
    response = client.patch(f"/api/v1/enterprises/{pk}/", {"employees": 88}, format="json")
    assert response.status_code == 200 and response.json()["employees"] == 88
    # A partial update answers the whole record, as the schema describes it: no branch is null.
    assert response.json().keys() == client.get(f"/api/v1/enterprises/{pk}/").json().keys()
    assert response.json()["branch_name"] is None
    assert client.delete(f"/api/v1/enterprises/{pk}/").status_code == 204
    assert not Enterprise.objects.exists()


def test_a_wrong_check_character_is_400_with_the_message(town):
    body = {
        "name": "错码企业",
        "uscc": wrong_check(make_uscc()),
        "industry": "other",
        "area": town.xuqiao.area.pk,
    }
    response = api(town.users["xuqiao"]).post("/api/v1/enterprises/", body, format="json")
    assert response.status_code == 400
    assert response.json()["uscc"] == ["统一社会信用代码校验位不正确,请核对"]


def test_writes_without_the_capability_are_403(town, data):
    client = api(town.users["gridworker"])
    body = {"name": "网格企业", "uscc": make_uscc(), "industry": "other", "area": town.xuqiao.grid.pk}
    assert client.post("/api/v1/enterprises/", body, format="json").status_code == 403
    assert client.post("/api/v1/employments/", {}, format="json").status_code in (400, 403)
    reader_area = town.xuqiao.area
    from tests import factories as f

    reader = f.user("reader", "sent_down_cadre", area=reader_area)
    response = api(reader).patch(f"/api/v1/enterprises/{data['rice'].pk}/", {"employees": 1}, format="json")
    assert response.status_code == 403


def test_employments_api(town, data):
    client = api(town.users["xuqiao"])
    response = client.post(
        "/api/v1/employments/", {"enterprise": data["rice"].pk, "member": town.xuqiao.member.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    again = client.post(
        "/api/v1/employments/", {"enterprise": data["chem"].pk, "member": town.xuqiao.member.pk}, format="json"
    )
    assert again.status_code == 400  # the park's enterprise is not visible to xuqiao, or one workplace per member
    rows = client.get("/api/v1/employments/", {"enterprise": data["rice"].pk}).json()["results"]
    assert len(rows) == 4
    out = client.post(
        "/api/v1/employments/", {"enterprise": data["rice"].pk, "member": town.fashuihe.member.pk}, format="json"
    )
    assert out.status_code == 400  # a member out of scope is refused like a missing one
    assert client.delete(f"/api/v1/employments/{pk}/").status_code == 204
    assert not Employment.objects.filter(pk=pk).exists()


def test_instructors_assignments_visits_and_follow_ups(town, park, data):
    admin = api(town.users["admin"])
    response = admin.post(
        "/api/v1/instructors/",
        {
            "username": "api-instructor",
            "display_name": "王指导",
            "password": "Zhidao-2026-long",
            "area": town.town.pk,
            "phone": "13800004444",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["phone_masked"] == "138****4444" and "13800004444" not in response.content.decode()
    profile = Instructor.objects.get(pk=response.json()["id"])

    response = admin.post(
        "/api/v1/instructor-assignments/", {"instructor": profile.pk, "org": park.joint_branch.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    branch_assignment = response.json()["id"]
    response = admin.post(
        "/api/v1/instructor-assignments/", {"instructor": profile.pk, "enterprise": data["rice"].pk}, format="json"
    )
    assert response.status_code == 201
    assert RoleAssignment.objects.filter(user=profile.user, role=Role.INSTRUCTOR, org=park.joint_branch).exists()
    assert data["rice"].instructors.filter(pk=profile.user.pk).exists()
    both = admin.post(
        "/api/v1/instructor-assignments/",
        {"instructor": profile.pk, "org": park.joint_branch.pk, "enterprise": data["rice"].pk},
        format="json",
    )
    assert both.status_code == 400

    instructor = api(profile.user)
    names = {r["name"] for r in instructor.get("/api/v1/enterprises/").json()["results"]}
    assert names == {"徐桥米业"}
    assert instructor.get(f"/api/v1/enterprises/{data['chem'].pk}/").status_code == 404
    today = timezone.localdate()
    response = instructor.post(
        "/api/v1/guidance-visits/",
        {
            "visited_on": today.isoformat(),
            "enterprise": data["rice"].pk,
            "checked": ["member_files"],
            "findings": "3 名正式党员,应单独建支部",
            "new_follow_ups": [{"description": "筹建党支部", "due_on": (today - dt.timedelta(days=0)).isoformat()}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    visit = response.json()
    assert visit["org"] is None and visit["area"] == town.xuqiao.area.pk
    assert [fu["description"] for fu in visit["follow_ups"]] == ["筹建党支部"]
    bad = instructor.post(
        "/api/v1/guidance-visits/", {"visited_on": today.isoformat(), "checked": ["nonsense"]}, format="json"
    )
    assert bad.status_code == 400
    assert instructor.post(
        "/api/v1/guidance-visits/", {"visited_on": today.isoformat(), "org": park.own_branch.pk}, format="json"
    ).status_code in (400, 403)

    fu_id = visit["follow_ups"][0]["id"]
    response = instructor.post(
        "/api/v1/guidance-follow-ups/",
        {"visit": visit["id"], "description": "建活动室", "due_on": today.isoformat()},
        format="json",
    )
    assert response.status_code == 201
    open_items = instructor.get("/api/v1/guidance-follow-ups/", {"open": "true"}).json()["results"]
    assert len(open_items) == 2
    assert instructor.post(f"/api/v1/guidance-follow-ups/{fu_id}/close/", {}, format="json").status_code == 400
    response = instructor.post(
        f"/api/v1/guidance-follow-ups/{fu_id}/close/", {"closing_note": "已提交建支部申请"}, format="json"
    )
    assert response.status_code == 200 and response.json()["closed_on"] == today.isoformat()

    response = admin.post(f"/api/v1/instructor-assignments/{branch_assignment}/end/", {}, format="json")
    assert response.status_code == 200 and response.json()["ended_on"] == today.isoformat()
    assert not RoleAssignment.objects.filter(user=profile.user, role=Role.INSTRUCTOR).exists()
    assert InstructorAssignment.objects.filter(ended_on__isnull=True).count() == 1
    assert GuidanceVisit.objects.count() == 1

    rows = admin.get("/api/v1/instructors/").json()["results"]
    assert rows[0]["current_assignments"] == 1 and rows[0]["open_follow_ups"] == 1


def test_instructor_and_assignment_writes_are_for_town_admins(town, data):
    profile = services_instructors.create_instructor(
        actor=town.users["admin"], username="t", display_name="甲", area=town.town
    )
    client = api(town.users["xuqiao"])
    response = client.post(
        "/api/v1/instructors/", {"username": "x", "display_name": "乙", "area": town.town.pk}, format="json"
    )
    assert response.status_code == 400  # the town is not a choice for a village secretary
    response = client.post(
        "/api/v1/instructors/", {"username": "x", "display_name": "乙", "area": town.xuqiao.area.pk}, format="json"
    )
    assert response.status_code == 400 and "请选择镇" in response.json()["area"][0]
    response = api(town.users["gridworker"]).post(
        "/api/v1/instructors/", {"username": "x", "display_name": "乙", "area": town.xuqiao.grid.pk}, format="json"
    )
    assert response.status_code == 403
    response = client.post(
        "/api/v1/instructor-assignments/", {"instructor": profile.pk, "enterprise": data["rice"].pk}, format="json"
    )
    assert response.status_code == 400  # the town's instructor is not visible to xuqiao
    assert client.get(f"/api/v1/instructors/{profile.pk}/").status_code == 404


def test_coverage_summary(town, data):
    response = api(town.users["admin"]).get("/api/v1/enterprise-coverage/")
    assert response.status_code == 200
    body = response.json()
    assert body["basis"] == "《中国共产党章程》第三十条"
    assert body["overall"]["total"] == 3 and body["overall"]["covered"] == 1
    assert body["overall"]["counts"]["should_found"] == 1
    assert body["overall"]["rate"] == pytest.approx(1 / 3, abs=1e-4)
    assert {r["name"] for r in body["by_area"]} == {"宋河精细化工产业园", "徐桥村", "发水河村"}
    scoped = api(town.users["xuqiao"]).get("/api/v1/enterprise-coverage/").json()
    assert scoped["overall"]["total"] == 1 and [r["name"] for r in scoped["by_area"]] == ["徐桥村"]
    assert (
        api(town.users["xuqiao"]).get("/api/v1/enterprise-coverage/", {"area": town.fashuihe.area.pk}).status_code
        == 404
    )
    assert api(town.users["xuqiao"]).get("/api/v1/enterprise-coverage/", {"area": "x"}).status_code == 400
