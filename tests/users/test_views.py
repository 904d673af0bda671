"""An administrator's user accounts (issue 21): the list in scope, deactivation that ends every
session and token at once, and nothing outside the administrator's scope or power."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from hongniudai.accounts import events, services_users
from hongniudai.accounts.models import ApiToken, Role, User
from hongniudai.accounts.services_tokens import issue_token
from hongniudai.audit.models import AuditEvent
from hongniudai.places.models import AreaKind
from tests import factories as f
from tests.conftest import PASSWORD


@pytest.fixture
def stranger(town) -> User:
    """The secretary of a village in another town, outside 宋河镇's administrator's scope."""
    other_town = f.area(town.county, "临江镇", AreaKind.TOWN)
    district = f.area(other_town, "江片区", AreaKind.DISTRICT)
    village = f.area(district, "江村", AreaKind.VILLAGE)
    return f.user("jiangcun", Role.VILLAGE_SECRETARY, area=village)


def _signed_in(username: str) -> Client:
    client = Client()
    client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    return client


def test_the_list_holds_the_users_in_scope_only(town, stranger):
    body = town.client_for("admin").get(reverse("users:user_list")).content.decode()
    assert "xuqiao" in body and "gridworker" in body and "村党支部书记" in body
    assert "jiangcun" not in body
    found = town.client_for("admin").get(reverse("users:user_list"), {"q": "grid"}).content.decode()
    assert "gridworker" in found and "xuqiao" not in found


def test_the_list_names_current_roles_and_their_nodes_not_ended_ones(town):
    admin = town.users["admin"]
    worker = town.users["gridworker"]
    grid_role = worker.assignments.get()
    member_role = services_users.grant_role(actor=admin, user=worker, role=Role.DISTRICT_SECRETARY, node=town.district)
    services_users.end_role(actor=admin, assignment=grid_role)
    html = town.client_for("admin").get(reverse("users:user_list"), {"q": "gridworker"}).content.decode()
    row = html[html.index(">gridworker<") :]
    row = row[: row.index("</tr>")]
    assert f"{member_role.get_role_display()} · 东片区" in row
    assert str(grid_role.get_role_display()) not in row  # ended today: history only


def test_a_village_secretary_manages_no_accounts(town):
    client = town.client_for("xuqiao")
    r = client.get(reverse("users:user_list"))
    assert r.status_code == 403 and "管理员" in r.content.decode()
    gridworker = town.users["gridworker"]
    assert client.get(reverse("users:user_detail", args=[gridworker.pk])).status_code == 404
    assert client.post(reverse("users:user_deactivate", args=[gridworker.pk])).status_code == 404
    gridworker.refresh_from_db()
    assert gridworker.is_active


def test_a_user_of_another_town_is_not_found(town, stranger):
    client = town.client_for("admin")
    for name in ("users:user_detail", "users:user_deactivate", "users:user_reactivate"):
        assert client.get(reverse(name, args=[stranger.pk])).status_code == 404
    assert client.post(reverse("users:user_deactivate", args=[stranger.pk])).status_code == 404
    stranger.refresh_from_db()
    assert stranger.is_active


def test_deactivation_ends_every_session_and_token_at_once(town):
    gridworker = town.users["gridworker"]
    web = _signed_in("gridworker")
    assert web.get(reverse("accounts:me")).status_code == 200
    key, _token = issue_token(actor=gridworker)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/areas/").status_code == 200

    admin = town.client_for("admin")
    assert "停用" in admin.get(reverse("users:user_deactivate", args=[gridworker.pk])).content.decode()
    r = admin.post(reverse("users:user_deactivate", args=[gridworker.pk]))
    assert r.status_code == 302
    assert api.get("/api/v1/areas/").status_code == 401
    assert web.get(reverse("accounts:me")).status_code == 302
    assert not ApiToken.objects.filter(user=gridworker).exists()
    assert Client().post(reverse("accounts:login"), {"username": "gridworker", "password": PASSWORD}).status_code == 200
    event = AuditEvent.objects.get(action=events.USER_DEACTIVATED)
    assert event.actor == town.users["admin"] and event.target_id == str(gridworker.pk)
    assert "停用用户" in admin.get(reverse("audit:list")).content.decode()

    assert admin.post(reverse("users:user_reactivate", args=[gridworker.pk])).status_code == 302
    gridworker.refresh_from_db()
    assert gridworker.is_active
    assert _signed_in("gridworker").get(reverse("accounts:me")).status_code == 200


def test_no_one_deactivates_themselves_or_someone_more_powerful(town):
    admin = town.users["admin"]
    client = town.client_for("admin")
    r = client.post(reverse("users:user_deactivate", args=[admin.pk]), follow=True)
    assert "不能在这里管理自己的账号" in r.content.decode()
    # A second administrator of the same town holds as much as the first: allowed. A county
    # administrator holds more than the town's: refused.
    county_admin = f.user("county_admin", Role.TOWN_ADMIN, area=town.county)
    r = client.post(reverse("users:user_deactivate", args=[county_admin.pk]), follow=True)
    assert r.status_code == 404  # their role lies above the town: not in the town's list at all
    admin.refresh_from_db()
    county_admin.refresh_from_db()
    assert admin.is_active and county_admin.is_active


def test_the_list_costs_the_same_queries_for_more_users(town):
    client = town.client_for("admin")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("users:user_list")).status_code == 200
        return len(ctx.captured_queries)

    count()  # the session's first request of the minute writes it
    few = count()
    for i in range(12):
        f.user(f"worker{i}", Role.GRID_WORKER, area=town.xuqiao.grid)
    assert count() == few


def _api(user: User) -> APIClient:
    key, _token = issue_token(actor=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_the_api_lists_and_deactivates_by_the_same_rules(town, stranger):
    admin = _api(town.users["admin"])
    names = [u["username"] for u in admin.get("/api/v1/users/", {"page_size": 100}).json()["results"]]
    assert "gridworker" in names and "jiangcun" not in names
    assert admin.get(f"/api/v1/users/{stranger.pk}/").status_code == 404
    assert admin.post(f"/api/v1/users/{stranger.pk}/deactivate/").status_code == 404
    gridworker = town.users["gridworker"]
    worker = _api(gridworker)
    r = admin.post(f"/api/v1/users/{gridworker.pk}/deactivate/")
    assert r.status_code == 200 and r.json()["is_active"] is False
    assert worker.get("/api/v1/areas/").status_code == 401
    assert admin.post(f"/api/v1/users/{gridworker.pk}/deactivate/").json() == {"non_field_errors": ["该用户已停用。"]}
    me = town.users["admin"]
    r = admin.post(f"/api/v1/users/{me.pk}/deactivate/")
    assert r.status_code == 403 and "自己" in r.json()["detail"]


def test_the_api_refuses_a_village_secretary(town):
    r = _api(town.users["xuqiao"]).get("/api/v1/users/")
    assert r.status_code == 403 and "管理员" in r.json()["detail"]
