"""A village secretary sees the API exactly as the web: their own village, nothing of the next one."""

import pytest

from hongniudai.common.identity import decrypt_id_number
from hongniudai.places.models import Resident


def _fashuihe_urls(town, centre_households):
    v = town.fashuihe
    return {
        "village": f"/api/v1/areas/{v.area.pk}/",
        "grid": f"/api/v1/areas/{v.grid.pk}/",
        "hamlet": f"/api/v1/areas/{v.hamlet.pk}/",
        "household": f"/api/v1/households/{v.household.pk}/",
        "resident": f"/api/v1/residents/{v.head.pk}/",
        "branch": f"/api/v1/party-orgs/{v.branch.pk}/",
        "group": f"/api/v1/party-orgs/{v.group.pk}/",
        "member": f"/api/v1/members/{v.member.pk}/",
        "centre": f"/api/v1/centre-households/{centre_households['fashuihe'].pk}/",
    }


def test_details_of_another_village_are_404(town, api_for, centre_households):
    xuqiao, admin = api_for("xuqiao"), api_for("admin")
    for what, url in _fashuihe_urls(town, centre_households).items():
        assert admin.get(url).status_code == 200, what
        r = xuqiao.get(url)
        assert r.status_code == 404, what
        # The same answer as for a record that does not exist.
        missing = xuqiao.get(url.rstrip("/").rsplit("/", 1)[0] + "/999999/")
        assert r.json() == missing.json(), what


def test_writes_to_another_village_are_404(town, api_for, centre_households):
    xuqiao = api_for("xuqiao")
    urls = _fashuihe_urls(town, centre_households)
    assert xuqiao.patch(urls["resident"], {"name": "改名"}, format="json").status_code == 404
    assert xuqiao.delete(urls["household"]).status_code == 404
    assert xuqiao.post(urls["resident"] + "reveal-id/").status_code == 404
    assert xuqiao.delete(urls["centre"]).status_code == 404
    assert Resident.objects.get(pk=town.fashuihe.head.pk).name == "施华成"


@pytest.mark.parametrize(
    "endpoint, field, own, other",
    [
        ("areas", "name", "徐桥村", "发水河村"),
        ("households", "address", "徐桥村黄家湾1号", "发水河村施家湾1号"),
        ("residents", "name", "黄文华", "施华成"),
        ("party-orgs", "name", "徐桥村党支部", "发水河村党支部"),
        ("centre-households", "hamlet_name", "黄家湾", "施家湾"),
    ],
)
def test_lists_hold_only_the_own_village(town, api_for, centre_households, endpoint, field, own, other):
    rows = api_for("xuqiao").get(f"/api/v1/{endpoint}/", {"page_size": 500}).json()["results"]
    values = {row[field] for row in rows}
    assert own in values
    assert other not in values
    admin_values = {
        row[field] for row in api_for("admin").get(f"/api/v1/{endpoint}/", {"page_size": 500}).json()["results"]
    }
    assert other in admin_values


def test_member_list_holds_only_the_own_village(town, api_for):
    rows = api_for("xuqiao").get("/api/v1/members/").json()["results"]
    assert [row["resident"]["name"] for row in rows] == ["黄文华"]


def test_searches_never_reach_another_village(town, api_for):
    number = decrypt_id_number(town.fashuihe.head.id_cipher)
    xuqiao, admin = api_for("xuqiao"), api_for("admin")
    # The admin finds 施华成 by each of these; xuqiao finds nothing.
    for endpoint, q in [
        ("residents", number),
        ("residents", "施华成"),
        ("residents", "shc"),
        ("members", number),
        ("members", "施华成"),
        ("households", "发水河村"),
        ("areas", "发水河"),
        ("party-orgs", "发水河"),
    ]:
        assert admin.get(f"/api/v1/{endpoint}/", {"q": q}).json()["count"] >= 1, (endpoint, q)
        r = xuqiao.get(f"/api/v1/{endpoint}/", {"q": q})
        assert r.status_code == 200
        assert r.json()["count"] == 0, (endpoint, q)


def test_filtering_by_another_villages_node_matches_nothing(town, api_for):
    xuqiao = api_for("xuqiao")
    assert xuqiao.get("/api/v1/residents/", {"area": town.fashuihe.area.pk}).json()["count"] == 0
    assert xuqiao.get("/api/v1/households/", {"area": town.fashuihe.area.pk}).json()["count"] == 0
    assert xuqiao.get("/api/v1/areas/", {"within": town.fashuihe.area.pk}).json()["count"] == 0
    assert xuqiao.get("/api/v1/members/", {"org": town.fashuihe.branch.pk}).json()["count"] == 0
    assert xuqiao.get("/api/v1/party-orgs/", {"within": town.fashuihe.branch.pk}).json()["count"] == 0
    assert xuqiao.get("/api/v1/residents/", {"area": town.xuqiao.area.pk}).json()["count"] == 1


def test_references_to_another_village_are_refused_like_missing_ones(town, api_for):
    from tests.factories import make_id_number

    r = api_for("xuqiao").post(
        "/api/v1/residents/",
        {"household": town.fashuihe.household.pk, "name": "王五", "id_number": make_id_number()},
        format="json",
    )
    assert r.status_code == 400
    assert "household" in r.json()
    assert "对象不存在" in r.json()["household"][0]
    assert not Resident.objects.filter(name="王五").exists()


def test_visible_but_not_permitted_writes_are_403(town, api_for):
    # A grid worker may edit people but not places; a centre household may only look.
    r = api_for("gridworker").patch(f"/api/v1/areas/{town.xuqiao.hamlet.pk}/", {"name": "新名"}, format="json")
    assert r.status_code == 403
    assert r.json()["detail"] == "您没有在该范围内进行此操作的权限。"
    r = api_for("zhangshengfu").patch(
        f"/api/v1/households/{town.hemeifan.household.pk}/", {"note": "改"}, format="json"
    )
    assert r.status_code == 403
