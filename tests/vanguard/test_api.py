"""The vanguard API: scoped lists with filters, writes through the services (400 with Chinese
messages, 403 without the right, 404 outside the scope)."""

from __future__ import annotations

import datetime as dt

import pytest

from hongniudai.vanguard import services
from hongniudai.vanguard.models import Activity, ActivityKind, VanguardPost

from .url_scope import fashuihe_activity, fashuihe_post

POSTS = "/api/v1/vanguard-posts/"
ACTIVITIES = "/api/v1/party-activities/"


@pytest.fixture
def xq_post(vt):
    t = vt.town
    return services.create_post(
        actor=t.users["xuqiao"],
        member=t.xuqiao.member,
        title="安全生产先锋岗",
        place_name="碾米车间",
        since=dt.date(2024, 3, 1),
    )


def _names(response, key: str = "title") -> set[str]:
    assert response.status_code == 200, response.content
    return {row[key] for row in response.json()["results"]}


def test_post_list_is_scoped_and_filters(vt, xq_post, api_for):
    t = vt.town
    fashuihe_post(t)
    admin, xq = api_for("admin"), api_for("xuqiao")
    assert _names(admin.get(POSTS)) == {"安全生产先锋岗", "防汛值守先锋岗"}
    assert _names(xq.get(POSTS)) == {"安全生产先锋岗"}
    assert _names(xq.get(POSTS, {"q": "hwh"})) == {"安全生产先锋岗"}
    assert _names(xq.get(POSTS, {"q": "施华成"})) == set()
    assert _names(xq.get(POSTS, {"state": "ended"})) == set()
    assert _names(xq.get(POSTS, {"enterprise": vt.xq_enterprise.pk})) == {"安全生产先锋岗"}
    assert _names(xq.get(POSTS, {"org": t.fashuihe.branch.pk})) == set()
    assert _names(admin.get(POSTS, {"org": t.fashuihe.branch.pk})) == {"防汛值守先锋岗"}
    row = xq.get(f"{POSTS}{xq_post.pk}/").json()
    assert row["member_name"] == "黄文华" and row["org_name"] == "徐桥村党支部" and row["active"] is True
    assert row["enterprise_name"] == "徐桥米业有限公司"


def test_post_writes(vt, xq_post, api_for):
    t = vt.town
    xq = api_for("xuqiao")
    response = xq.post(
        POSTS,
        {
            "member": vt.xu_ming.pk,
            "title": "便民先锋岗",
            "place_kind": "service_window",
            "place_name": "窗口",
            "since": "2025-01-02",
        },
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["org"] == t.xuqiao.branch.pk
    response = xq.patch(f"{POSTS}{pk}/", {"until": "2024-12-01"}, format="json")
    assert response.status_code == 400 and response.json() == {"until": ["撤岗日期不能早于设岗日期。"]}
    response = xq.patch(f"{POSTS}{pk}/", {"member": t.xuqiao.member.pk}, format="json")
    assert response.status_code == 400 and response.json() == {"member": ["先锋岗设立后不能更换党员。"]}
    response = xq.patch(f"{POSTS}{pk}/", {"commitment": "群众事马上办"}, format="json")
    assert response.status_code == 200 and response.json()["commitment"] == "群众事马上办"
    response = xq.post(f"{POSTS}{pk}/end/", {"until": "2025-02-01"}, format="json")
    assert (
        response.status_code == 200 and response.json()["until"] == "2025-02-01" and response.json()["active"] is False
    )
    response = xq.post(f"{POSTS}{pk}/end/", {}, format="json")
    assert response.status_code == 400 and response.json() == {"until": ["该先锋岗已于 2025-02-01 撤销。"]}
    assert xq.delete(f"{POSTS}{pk}/").status_code == 204
    assert not VanguardPost.objects.filter(pk=pk).exists()
    # Bad input never gives a 500.
    response = xq.post(POSTS, {"member": "x", "since": "2025-99-01", "place_kind": "moon"})
    assert response.status_code == 400 and {"member", "since", "place_kind", "title"} <= set(response.json())


def test_post_scope_and_rights(vt, xq_post, api_for):
    t = vt.town
    fp = fashuihe_post(t)
    xq = api_for("xuqiao")
    assert xq.get(f"{POSTS}{fp.pk}/").status_code == 404
    assert xq.patch(f"{POSTS}{fp.pk}/", {"title": "x"}, format="json").status_code == 404
    assert xq.post(f"{POSTS}{fp.pk}/end/").status_code == 404
    assert xq.delete(f"{POSTS}{fp.pk}/").status_code == 404
    # Another village's member is not a valid reference.
    response = xq.post(POSTS, {"member": t.fashuihe.member.pk, "title": "岗", "place_name": "x", "since": "2025-01-01"})
    assert response.status_code == 400 and "member" in response.json()
    grid = api_for("gridworker")
    response = grid.post(POSTS, {"member": t.xuqiao.member.pk, "title": "岗", "place_name": "x", "since": "2025-01-01"})
    assert response.status_code == 403
    viewer = api_for("xq_viewer")
    assert viewer.get(f"{POSTS}{xq_post.pk}/").status_code == 200
    assert viewer.patch(f"{POSTS}{xq_post.pk}/", {"title": "x"}, format="json").status_code == 403
    assert viewer.post(f"{POSTS}{xq_post.pk}/end/").status_code == 403
    assert viewer.delete(f"{POSTS}{xq_post.pk}/").status_code == 403
    xq_post.refresh_from_db()
    assert xq_post.title == "安全生产先锋岗" and xq_post.until is None


def test_activity_api(vt, api_for):
    t = vt.town
    fa = fashuihe_activity(t)
    xq = api_for("xuqiao")
    response = xq.post(
        ACTIVITIES,
        {
            "kind": "workshop_party_day",
            "title": "车间党日",
            "held_on": "2025-06-01",
            "org": t.xuqiao.branch.pk,
            "enterprise": vt.xq_enterprise.pk,
            "participants": [t.xuqiao.member.pk, vt.xu_ming.pk],
            "other_participants": 8,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["member_count"] == 2 and sorted(body["participants"]) == sorted([t.xuqiao.member.pk, vt.xu_ming.pk])
    pk = body["id"]
    assert _names(xq.get(ACTIVITIES)) == {"车间党日"}
    assert _names(api_for("admin").get(ACTIVITIES)) == {"车间党日", "发水河村清淤志愿服务"}
    assert _names(xq.get(ACTIVITIES, {"kind": "night_class"})) == set()
    assert _names(xq.get(ACTIVITIES, {"date_from": "2025-06-02"})) == set()
    assert _names(xq.get(ACTIVITIES, {"q": "党日", "enterprise": vt.xq_enterprise.pk})) == {"车间党日"}
    response = xq.patch(f"{ACTIVITIES}{pk}/", {"held_on": "2099-01-01"}, format="json")
    assert response.status_code == 400 and response.json() == {"held_on": ["活动日期不能晚于今天:请在活动举行后登记。"]}
    response = xq.patch(f"{ACTIVITIES}{pk}/", {"title": "车间党日(六月)"}, format="json")
    assert response.status_code == 200 and response.json()["member_count"] == 2  # participants kept
    response = xq.patch(f"{ACTIVITIES}{pk}/", {"participants": [t.fashuihe.member.pk]}, format="json")
    assert response.status_code == 400 and "participants" in response.json()
    assert xq.get(f"{ACTIVITIES}{fa.pk}/").status_code == 404
    assert xq.delete(f"{ACTIVITIES}{fa.pk}/").status_code == 404
    response = xq.post(
        ACTIVITIES, {"kind": "other", "title": "x", "held_on": "2025-01-01", "org": t.fashuihe.branch.pk}, format="json"
    )
    assert response.status_code == 400 and "org" in response.json()
    grid = api_for("gridworker")
    response = grid.post(
        ACTIVITIES, {"kind": "other", "title": "x", "held_on": "2025-01-01", "org": t.xuqiao.branch.pk}, format="json"
    )
    assert response.status_code == 403
    assert api_for("xq_viewer").delete(f"{ACTIVITIES}{pk}/").status_code == 403
    assert xq.delete(f"{ACTIVITIES}{pk}/").status_code == 204
    assert not Activity.objects.filter(pk=pk).exists()
    assert Activity.objects.filter(pk=fa.pk, kind=ActivityKind.VOLUNTEER_SERVICE).exists()


def test_activity_api_keeps_participants_the_caller_cannot_see(vt, api_for):
    t = vt.town
    activity = services.create_activity(
        actor=t.users["admin"],
        kind=ActivityKind.SKILL_CONTEST,
        title="全镇技能比武",
        held_on=dt.date(2025, 9, 9),
        org=t.xuqiao.branch,
        participants=[t.xuqiao.member, t.fashuihe.member],
    )
    xq = api_for("xuqiao")
    body = xq.get(f"{ACTIVITIES}{activity.pk}/").json()
    assert body["participants"] == [t.xuqiao.member.pk]
    response = xq.patch(f"{ACTIVITIES}{activity.pk}/", {"participants": [vt.xu_ming.pk]}, format="json")
    assert response.status_code == 200, response.content
    assert set(activity.participants.all()) == {vt.xu_ming, t.fashuihe.member}
