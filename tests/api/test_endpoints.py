"""Each endpoint lists for the town admin, paginates and filters; writes go through the services."""

import datetime as dt

import pytest

from hongniudai.audit.models import AuditEvent
from hongniudai.party.models import CentreHousehold, Member, PartyOrg
from hongniudai.places import events as place_events
from hongniudai.places.models import AreaNode, Household
from tests import factories as f


@pytest.mark.parametrize(
    "endpoint, count",
    [("areas", 12), ("households", 3), ("residents", 3), ("party-orgs", 8), ("members", 3), ("centre-households", 3)],
)
def test_admin_lists_every_endpoint(town, api_for, centre_households, endpoint, count):
    r = api_for("admin").get(f"/api/v1/{endpoint}/")
    assert r.status_code == 200
    assert r.json()["count"] == count
    assert len(r.json()["results"]) == count


def test_pagination(town, api_for):
    client = api_for("admin")
    first = client.get("/api/v1/areas/", {"page_size": 5}).json()
    assert first["count"] == 12 and len(first["results"]) == 5 and first["next"]
    third = client.get("/api/v1/areas/", {"page_size": 5, "page": 3}).json()
    assert len(third["results"]) == 2 and third["next"] is None
    assert client.get("/api/v1/areas/", {"page": 99}).status_code == 404


def test_area_filters(town, api_for):
    client = api_for("admin")
    names = lambda params: [a["name"] for a in client.get("/api/v1/areas/", params).json()["results"]]  # noqa: E731
    assert names({"kind": "village"}) == ["徐桥村", "发水河村", "何梅畈村"]
    assert names({"within": town.fashuihe.area.pk}) == ["发水河村", "1组", "施家湾"]
    assert names({"parent": town.town.pk}) == ["东片区", "宋河精细化工产业园"]
    assert names({"q": "家"}) == ["黄家湾", "施家湾", "张家冲"]
    bad = client.get("/api/v1/areas/", {"kind": "planet"})
    assert bad.status_code == 400 and "kind" in bad.json()
    assert client.get("/api/v1/areas/", {"within": "x"}).status_code == 400


def test_household_and_resident_filters(town, api_for):
    hh = f.household(town.fashuihe.hamlet, "发水河村施家湾2号", is_formerly_poor=True, is_monitored=True)
    f.resident(hh, "施小军", birth=dt.date(2001, 2, 3), is_veteran=True)
    f.resident(hh, "施小红", sex="F", birth=dt.date(2003, 4, 5), is_disabled=True)
    client = api_for("admin")
    households = lambda params: [h["address"] for h in client.get("/api/v1/households/", params).json()["results"]]  # noqa: E731
    assert households({"formerly_poor": "true"}) == ["发水河村施家湾2号"]
    assert households({"monitored": "false", "area": town.fashuihe.area.pk}) == ["发水河村施家湾1号"]
    assert households({"q": "施华成"}) == ["发水河村施家湾1号"]

    residents = lambda params: [r["name"] for r in client.get("/api/v1/residents/", params).json()["results"]]  # noqa: E731
    assert residents({"elderly": "true"}) == ["黄文华", "施华成", "张圣福"]
    assert residents({"elderly": "false"}) == ["施小军", "施小红"]
    assert residents({"veteran": "true"}) == ["施小军"]
    assert residents({"disabled": "true"}) == ["施小红"]
    assert residents({"sex": "F"}) == ["施小红"]
    assert residents({"q": "sx"}) == ["施小军", "施小红"]
    assert residents({"q": "小", "area": town.fashuihe.hamlet.pk}) == ["施小军", "施小红"]
    assert residents({"area": town.xuqiao.area.pk}) == ["黄文华"]
    assert residents({"returnee": "true"}) == []


def test_party_filters(town, api_for):
    client = api_for("admin")
    orgs = lambda params: [o["name"] for o in client.get("/api/v1/party-orgs/", params).json()["results"]]  # noqa: E731
    assert orgs({"kind": "branch"}) == ["徐桥村党支部", "发水河村党支部", "何梅畈村党支部"]
    assert orgs({"branch_type": "village", "q": "何梅"}) == ["何梅畈村党支部"]
    assert orgs({"within": town.xuqiao.branch.pk}) == ["徐桥村党支部", "徐桥村5组党小组"]
    members = lambda params: [m["resident"]["name"] for m in client.get("/api/v1/members/", params).json()["results"]]  # noqa: E731
    assert members({"org": town.general_branch.pk}) == ["黄文华", "施华成", "张圣福"]
    assert members({"org": town.hemeifan.group.pk}) == ["张圣福"]
    assert members({"q": "zsf"}) == ["张圣福"]
    assert members({"status": "probationary"}) == []
    assert members({"post": "secretary"}) == []


def test_area_crud_through_services(town, api_for):
    client = api_for("admin")
    r = client.post(
        "/api/v1/areas/", {"parent": town.xuqiao.grid.pk, "name": "李家湾", "kind": "hamlet"}, format="json"
    )
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    assert r.json()["path"].startswith(town.xuqiao.grid.path)
    assert AuditEvent.objects.filter(action=place_events.AREA_CREATED, target_type="places.areanode", target_id=str(pk))
    r = client.patch(f"/api/v1/areas/{pk}/", {"name": "新李家湾"}, format="json")
    assert r.status_code == 200 and r.json()["name"] == "新李家湾"
    r = client.patch(f"/api/v1/areas/{pk}/", {"kind": "grid"}, format="json")
    assert r.status_code == 400 and r.json() == {"kind": ["地区建立后不能修改类型。"]}
    assert client.delete(f"/api/v1/areas/{pk}/").status_code == 204
    assert not AreaNode.objects.filter(pk=pk).exists()


def test_area_rules_give_400(town, api_for):
    client = api_for("admin")
    r = client.post("/api/v1/areas/", {"parent": town.xuqiao.area.pk, "name": "湾", "kind": "hamlet"}, format="json")
    assert r.status_code == 400 and "kind" in r.json()
    r = client.post("/api/v1/areas/", {"parent": town.district.pk, "name": "徐桥村", "kind": "village"}, format="json")
    assert r.status_code == 400 and r.json()["name"] == ["同一上级下已有名为“徐桥村”的地区。"]
    r = client.post(
        "/api/v1/areas/", {"parent": town.district.pk, "name": "新村", "kind": "village", "code": "12a"}, format="json"
    )
    assert r.status_code == 400 and "code" in r.json()
    r = client.delete(f"/api/v1/areas/{town.xuqiao.area.pk}/")
    assert r.status_code == 400 and "non_field_errors" in r.json()


def test_household_crud(town, api_for):
    client = api_for("xuqiao")
    r = client.post(
        "/api/v1/households/",
        {"hamlet": town.xuqiao.hamlet.pk, "address": "黄家湾8号", "is_formerly_poor": True},
        format="json",
    )
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    assert r.json()["member_count"] == 0 and r.json()["hamlet_name"] == "黄家湾"
    r = client.post("/api/v1/households/", {"hamlet": town.xuqiao.grid.pk, "address": "x"}, format="json")
    assert r.status_code == 400 and "hamlet" in r.json()
    r = client.patch(f"/api/v1/households/{pk}/", {"head": town.xuqiao.head.pk}, format="json")
    assert r.status_code == 400 and r.json() == {"head": ["户主必须是本户成员。"]}
    r = client.patch(f"/api/v1/households/{pk}/", {"address": ""}, format="json")
    assert r.status_code == 400 and "address" in r.json()
    assert client.delete(f"/api/v1/households/{pk}/").status_code == 204
    assert not Household.objects.filter(pk=pk).exists()


def test_org_crud(town, api_for):
    client = api_for("admin")
    r = client.post(
        "/api/v1/party-orgs/",
        {"parent": town.committee.pk, "name": "园区联合党支部", "kind": "branch", "area": town.park.pk},
        format="json",
    )
    assert r.status_code == 400 and r.json() == {"branch_type": ["请选择支部类别。"]}
    r = client.post(
        "/api/v1/party-orgs/",
        {
            "parent": town.committee.pk,
            "name": "园区联合党支部",
            "kind": "branch",
            "branch_type": "joint",
            "area": town.park.pk,
            "founded_on": "2021-07-01",
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    assert r.json()["kind_label"] == "企业联合党支部" and r.json()["member_count"] == 0
    r = client.patch(f"/api/v1/party-orgs/{pk}/", {"founded_on": "2031-13-01"}, format="json")
    assert r.status_code == 400 and "founded_on" in r.json()
    r = client.patch(f"/api/v1/party-orgs/{pk}/", {"has_committee": False}, format="json")
    assert r.status_code == 200 and r.json()["has_committee"] is False
    assert client.delete(f"/api/v1/party-orgs/{pk}/").status_code == 204
    assert not PartyOrg.objects.filter(pk=pk).exists()


def test_member_crud(town, api_for):
    res = f.resident(town.xuqiao.household, "黄建国", birth=dt.date(1980, 1, 1))
    client = api_for("xuqiao")
    payload = {
        "resident_id": res.pk,
        "org": town.xuqiao.branch.pk,
        "party_group": town.xuqiao.group.pk,
        "status": "probationary",
        "joined_on": "1995-01-01",
    }
    r = client.post("/api/v1/members/", payload, format="json")
    assert r.status_code == 400 and r.json() == {"joined_on": ["入党时应年满 18 周岁。"]}
    r = client.post("/api/v1/members/", {**payload, "joined_on": "2020-01-01"}, format="json")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["resident"] == {"id": res.pk, "name": "黄建国", "id_masked": res.id_masked}
    assert body["org_name"] == "徐桥村党支部"
    r = client.patch(f"/api/v1/members/{body['id']}/", {"status": "full", "full_on": "2021-01-01"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "full"
    r = client.patch(f"/api/v1/members/{body['id']}/", {"resident_id": town.xuqiao.head.pk}, format="json")
    assert r.status_code == 400 and "resident_id" in r.json()
    r = client.post("/api/v1/members/", {**payload, "joined_on": "2020-01-01"}, format="json")
    assert r.status_code == 400 and r.json() == {"resident": ["该居民已有党员档案。"]}
    assert client.delete(f"/api/v1/members/{body['id']}/").status_code == 204
    assert not Member.objects.filter(resident=res).exists()


def test_set_centre_household(town, api_for):
    client = api_for("xuqiao")
    other = f.household(town.xuqiao.hamlet, "黄家湾2号")
    payload = {
        "hamlet": town.xuqiao.hamlet.pk,
        "member": town.xuqiao.member.pk,
        "linked_households": [town.xuqiao.household.pk, other.pk],
        "since": "2024-03-01",
    }
    r = client.post("/api/v1/centre-households/", payload, format="json")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["member_name"] == "黄文华" and body["linked_count"] == 2
    assert sorted(body["linked_households"]) == sorted([town.xuqiao.household.pk, other.pk])
    # Setting again replaces the linked households of the same hamlet.
    r = client.post("/api/v1/centre-households/", {**payload, "linked_households": [other.pk]}, format="json")
    assert r.status_code == 201
    assert CentreHousehold.objects.get(hamlet=town.xuqiao.hamlet).linked_households.count() == 1
    r = client.post("/api/v1/centre-households/", {**payload, "hamlet": town.xuqiao.grid.pk}, format="json")
    assert r.status_code == 400 and "hamlet" in r.json()
    r = client.post("/api/v1/centre-households/", {**payload, "member": town.fashuihe.member.pk}, format="json")
    assert r.status_code == 400 and "member" in r.json()
    assert client.delete(f"/api/v1/centre-households/{body['id']}/").status_code == 204
