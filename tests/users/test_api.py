"""User administration over the API (issue 21): an administrator creates an account with a role
and a one-time password or invitation link, the new user chooses their own password before they
get a token; a village secretary is refused what would reach beyond them, in Chinese; a reset or a
deactivation withdraws the user's tokens on the very next request."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from hongniudai.accounts import events
from hongniudai.accounts.models import Role, RoleAssignment, User
from hongniudai.accounts.services_tokens import issue_token
from hongniudai.audit.models import AuditEvent
from tests import factories as f
from tests.conftest import PASSWORD

NEW_PASSWORD = "Hnd-chosen-2026!"


def api(user: User) -> APIClient:
    key, _token = issue_token(actor=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def token_for(username: str, password: str) -> Any:
    return APIClient().post("/api/v1/auth/token/", {"username": username, "password": password}, format="json")


def grid_worker(town: Any, **extra: Any) -> dict[str, Any]:
    return {
        "username": "wangwu",
        "display_name": "王五",
        "phone": "13912340000",
        "role": Role.GRID_WORKER,
        "area": town.xuqiao.grid.pk,
        **extra,
    }


def test_a_new_grid_worker_chooses_a_password_before_getting_a_token(town):
    admin = api(town.users["admin"])
    r = admin.post("/api/v1/users/", grid_worker(town, credential="password"), format="json")
    assert r.status_code == 201, r.json()
    assert r["Cache-Control"] == "no-store"
    body = r.json()
    one_time = body["password"]
    assert one_time and body["invitation_url"] == "" and body["invitation_expires_at"] is None
    assert body["user"]["username"] == "wangwu" and body["user"]["must_change_password"] is True
    assert body["user"]["masked_phone"] == "139****0000" and "13912340000" not in r.content.decode()
    assert [(role["role"], role["node"]) for role in body["user"]["roles"]] == [("grid_worker", "5组")]
    user_id = body["user"]["id"]
    # The one-time password is shown once: the account's detail does not repeat it.
    assert one_time not in admin.get(f"/api/v1/users/{user_id}/").content.decode()

    refused = token_for("wangwu", one_time)
    assert refused.status_code == 403 and "修改初始密码" in refused.json()["detail"]

    web = APIClient()
    web.post(reverse("accounts:login"), {"username": "wangwu", "password": one_time})
    changed = web.post("/api/v1/me/password/", {"old_password": one_time, "new_password": NEW_PASSWORD}, format="json")
    assert changed.status_code == 204
    granted = token_for("wangwu", NEW_PASSWORD)
    assert granted.status_code == 200
    worker = APIClient()
    worker.credentials(HTTP_AUTHORIZATION=f"Token {granted.json()['token']}")
    me = worker.get("/api/v1/me/").json()
    assert me["username"] == "wangwu" and me["must_change_password"] is False
    event = AuditEvent.objects.filter(action=events.ROLE_ASSIGNED).latest("id")
    assert event.actor == town.users["admin"]
    assert event.changes == {"user": [None, "wangwu"], "role": [None, "网格员"], "node": [None, "5组"]}


def test_an_invited_user_sets_their_password_once_with_the_link(town):
    admin = api(town.users["admin"])
    body = admin.post("/api/v1/users/", grid_worker(town), format="json").json()
    assert body["password"] == "" and body["invitation_expires_at"]
    url = body["invitation_url"]
    assert url.startswith("http://testserver/accounts/invite/")
    key = url.rstrip("/").rsplit("/", 1)[1]

    public = APIClient()
    weak = public.post("/api/v1/invitations/accept/", {"key": key, "password": "123"}, format="json")
    assert weak.status_code == 400 and list(weak.json()) == ["password"]
    r = public.post("/api/v1/invitations/accept/", {"key": key, "password": NEW_PASSWORD}, format="json")
    assert r.status_code == 200 and r.json() == {"username": "wangwu"}
    assert token_for("wangwu", NEW_PASSWORD).status_code == 200
    again = public.post("/api/v1/invitations/accept/", {"key": key, "password": "Hnd-other-2026!"}, format="json")
    assert again.status_code == 400 and "邀请链接无效、已使用或已过期" in again.json()["key"][0]
    forged = public.post("/api/v1/invitations/accept/", {"key": "x" * 100, "password": NEW_PASSWORD}, format="json")
    assert forged.status_code == 400


def test_a_village_secretary_is_refused_in_chinese(town):
    xuqiao = api(town.users["xuqiao"])
    users_before = User.objects.count()
    # Without the town's leave, a village secretary manages no accounts at all.
    for asked in (
        grid_worker(town),
        grid_worker(town, role=Role.TOWN_ADMIN, area=town.xuqiao.area.pk),
        grid_worker(town, area=town.hemeifan.grid.pk),
    ):
        r = xuqiao.post("/api/v1/users/", asked, format="json")
        assert r.status_code == 403
        assert r.json()["detail"] == "只有镇(县)管理员(或经本镇允许的村党支部书记)可以管理用户账号。"

    town_rules = api(town.users["admin"]).patch(
        f"/api/v1/town-account-rules/{town.town.pk}/", {"village_secretaries_manage": True}, format="json"
    )
    assert town_rules.status_code == 200 and town_rules.json()["village_secretaries_manage"] is True
    r = xuqiao.post("/api/v1/users/", grid_worker(town, role=Role.TOWN_ADMIN, area=town.xuqiao.area.pk), format="json")
    assert r.status_code == 403
    assert r.json()["detail"] == "村党支部书记只能为本村授予网格员、党员中心户和志愿者角色,不能授予“镇管理员”。"
    r = xuqiao.post("/api/v1/users/", grid_worker(town, area=town.hemeifan.grid.pk), format="json")
    assert r.status_code == 400
    assert r.json() == {"area": ["未找到该地区或党组织,或不在您的管理范围之内。"]}
    assert User.objects.count() == users_before
    # What the town allows them: a grid worker of their own village.
    assert xuqiao.post("/api/v1/users/", grid_worker(town), format="json").status_code == 201


def test_an_administrator_grants_nothing_above_their_own_town(town):
    admin = api(town.users["admin"])
    r = admin.post("/api/v1/users/", grid_worker(town, role=Role.TOWN_ADMIN, area=town.county.pk), format="json")
    assert r.status_code == 400 and "不在您的管理范围之内" in r.json()["area"][0]
    r = admin.post("/api/v1/users/", grid_worker(town, area=None, org=None), format="json")
    assert r.status_code == 400 and "area" in r.json()
    r = admin.post("/api/v1/users/", grid_worker(town, org=town.xuqiao.branch.pk), format="json")
    assert r.status_code == 400 and "area" in r.json()
    r = admin.post("/api/v1/users/", grid_worker(town, username="admin"), format="json")
    assert r.status_code == 400 and r.json() == {"username": ["用户名已存在。"]}
    r = admin.post("/api/v1/users/", grid_worker(town, phone="12345"), format="json")
    assert r.status_code == 400 and list(r.json()) == ["phone"]
    r = admin.post("/api/v1/users/", grid_worker(town, role="emperor"), format="json")
    assert r.status_code == 400 and list(r.json()) == ["role"]
    assert not User.objects.filter(username="wangwu").exists()


def test_editing_an_account_shows_the_phone_masked(town):
    admin = api(town.users["admin"])
    gridworker = town.users["gridworker"]
    r = admin.patch(
        f"/api/v1/users/{gridworker.pk}/", {"display_name": " 徐  网格 ", "phone": "13800001234"}, format="json"
    )
    assert r.status_code == 200, r.json()
    assert r.json()["display_name"] == "徐 网格" and r.json()["masked_phone"] == "138****1234"
    assert "13800001234" not in r.content.decode()
    gridworker.refresh_from_db()
    assert gridworker.phone == "13800001234"
    assert AuditEvent.objects.filter(action=events.USER_UPDATED, target_id=str(gridworker.pk)).exists()
    r = admin.patch(f"/api/v1/users/{gridworker.pk}/", {"display_name": ""}, format="json")
    assert r.status_code == 400 and list(r.json()) == ["display_name"]
    me = town.users["admin"]
    r = admin.patch(f"/api/v1/users/{me.pk}/", {"display_name": "我"}, format="json")
    assert r.status_code == 403 and "自己" in r.json()["detail"]
    assert admin.put(f"/api/v1/users/{gridworker.pk}/", {}, format="json").status_code == 405


def test_the_list_filters_by_role_and_state(town):
    admin = api(town.users["admin"])

    def names(**params: Any) -> list[str]:
        r = admin.get("/api/v1/users/", {"page_size": 100, **params})
        assert r.status_code == 200, r.json()
        return [u["username"] for u in r.json()["results"]]

    assert names(role="grid_worker") == ["gridworker"]
    assert set(names(role="village_secretary")) == {"fashuihe", "hemeifan", "xuqiao"}
    admin.post(f"/api/v1/users/{town.users['fashuihe'].pk}/deactivate/")
    assert names(active="false") == ["fashuihe"]
    assert "fashuihe" not in names(active="true") and "xuqiao" in names(active="true")
    assert names(q="hemei") == ["hemeifan"]
    bad = admin.get("/api/v1/users/", {"active": "perhaps"})
    assert bad.status_code == 400 and list(bad.json()) == ["active"]
    bad = admin.get("/api/v1/users/", {"role": "emperor"})
    assert bad.status_code == 400 and list(bad.json()) == ["role"]


@pytest.mark.parametrize("credential", ["password", "invitation"])
def test_a_reset_withdraws_every_token_at_once(town, credential):
    gridworker = town.users["gridworker"]
    worker = api(gridworker)
    assert worker.get("/api/v1/me/").status_code == 200
    r = api(town.users["admin"]).post(
        f"/api/v1/users/{gridworker.pk}/reset-password/", {"credential": credential}, format="json"
    )
    assert r.status_code == 200 and r["Cache-Control"] == "no-store"
    assert bool(r.json()["password"]) == (credential == "password")
    assert bool(r.json()["invitation_url"]) == (credential == "invitation")
    assert worker.get("/api/v1/me/").status_code == 401
    assert token_for("gridworker", PASSWORD).status_code == 400  # the old password works no more
    assert AuditEvent.objects.filter(action=events.PASSWORD_RESET, target_id=str(gridworker.pk)).exists()


def test_deactivation_answers_401_to_the_users_token_on_the_next_request(town):
    gridworker = town.users["gridworker"]
    worker = api(gridworker)
    assert worker.get("/api/v1/areas/").status_code == 200
    admin = api(town.users["admin"])
    assert admin.post(f"/api/v1/users/{gridworker.pk}/deactivate/").status_code == 200
    assert worker.get("/api/v1/areas/").status_code == 401
    r = admin.post(f"/api/v1/users/{gridworker.pk}/reset-password/", {}, format="json")
    assert r.status_code == 400 and "已停用" in r.json()["non_field_errors"][0]
    assert admin.post(f"/api/v1/users/{gridworker.pk}/reactivate/").json()["is_active"] is True
    assert RoleAssignment.objects.filter(user=gridworker).count() == 1


def test_the_list_costs_the_same_queries_for_more_users(town):
    admin = api(town.users["admin"])
    admin.get("/api/v1/me/")  # the token's first use of the minute records it (one more query)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            r = admin.get("/api/v1/users/", {"page_size": 100, "role": "grid_worker", "active": "true"})
        assert r.status_code == 200
        return len(ctx.captured_queries), r.json()["count"]

    count()  # the first list also reads the admin's roles, kept across requests (accounts.caching)
    few, rows = count()
    for i in range(15):
        f.user(f"worker{i}", Role.GRID_WORKER, area=town.xuqiao.grid)
    assert count() == (few, rows + 15)
