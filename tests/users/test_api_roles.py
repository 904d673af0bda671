"""Roles and town rules over the API (issue 21): granting and ending roles keeps their history
(who granted, who ended, from which day), a town decides whether its village secretaries manage
their village's accounts, and every detail route answers 404 for what lies out of reach."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from hongniudai.accounts import events
from hongniudai.accounts.models import Role, RoleAssignment, TownAccountSettings, User
from hongniudai.audit.models import AuditEvent
from hongniudai.places.models import AreaKind
from tests import factories as f
from tests.users.test_api import api


@pytest.fixture
def stranger(town: Any) -> User:
    """The secretary of a village in another town, outside 宋河镇's administrator's reach."""
    other_town = f.area(town.county, "临江镇", AreaKind.TOWN)
    district = f.area(other_town, "江片区", AreaKind.DISTRICT)
    village = f.area(district, "江村", AreaKind.VILLAGE)
    return f.user("jiangcun", Role.VILLAGE_SECRETARY, area=village)


def test_roles_are_granted_and_ended_and_their_history_stays(town):
    admin = api(town.users["admin"])
    gridworker = town.users["gridworker"]
    roles_url = f"/api/v1/users/{gridworker.pk}/roles/"
    r = admin.post(roles_url, {"role": Role.VOLUNTEER, "area": town.xuqiao.area.pk}, format="json")
    assert r.status_code == 201, r.json()
    granted = r.json()
    assert granted["role_label"] == "志愿者" and granted["node"] == "徐桥村" and granted["granted_by"] == "admin"
    assert granted["is_current"] is True and granted["ended_on"] is None
    again = admin.post(roles_url, {"role": Role.VOLUNTEER, "area": town.xuqiao.area.pk}, format="json")
    assert again.status_code == 400 and list(again.json()) == ["role"]

    grid_role = RoleAssignment.objects.get(user=gridworker, role=Role.GRID_WORKER)
    end_url = f"/api/v1/roles/{grid_role.pk}/end/"
    too_early = admin.post(end_url, {"ended_on": "2000-01-01"}, format="json")
    assert too_early.status_code == 400 and list(too_early.json()) == ["ended_on"]
    r = admin.post(end_url, {}, format="json")
    assert r.status_code == 200, r.json()
    ended = r.json()
    assert ended["ended_on"] == timezone.localdate().isoformat() and ended["ended_by"] == "admin"
    assert ended["is_current"] is False
    assert admin.post(end_url, {}, format="json").json() == {"non_field_errors": ["该角色已终止。"]}

    history = admin.get(roles_url).json()
    assert [(row["role"], row["is_current"]) for row in history] == [("volunteer", True), ("grid_worker", False)]
    assert AuditEvent.objects.filter(action=events.ROLE_ENDED, target_id=str(grid_role.pk)).exists()
    # The ended role no longer counts: the user is a volunteer of 徐桥村 only.
    listed = admin.get(f"/api/v1/users/{gridworker.pk}/").json()
    assert [row["role"] for row in listed["roles"]] == ["volunteer"]


def test_a_role_ends_on_a_later_day(town):
    admin = api(town.users["admin"])
    grid_role = RoleAssignment.objects.get(user=town.users["gridworker"])
    later = timezone.localdate() + dt.timedelta(days=30)
    r = admin.post(f"/api/v1/roles/{grid_role.pk}/end/", {"ended_on": later.isoformat()}, format="json")
    assert r.status_code == 200 and r.json()["ended_on"] == later.isoformat() and r.json()["is_current"] is True
    for bad in ("2100-13-01", "tomorrow", (timezone.localdate() + dt.timedelta(days=400)).isoformat()):
        grid = RoleAssignment.objects.get(user=town.users["xuqiao"])
        r = admin.post(f"/api/v1/roles/{grid.pk}/end/", {"ended_on": bad}, format="json")
        assert r.status_code == 400 and list(r.json()) == ["ended_on"], bad


def test_no_one_ends_their_own_role_or_grants_above_themselves(town):
    admin = api(town.users["admin"])
    own = RoleAssignment.objects.get(user=town.users["admin"])
    r = admin.post(f"/api/v1/roles/{own.pk}/end/", {}, format="json")
    assert r.status_code == 403 and "自己的角色" in r.json()["detail"]
    gridworker = town.users["gridworker"]
    r = admin.post(f"/api/v1/users/{gridworker.pk}/roles/", {"role": Role.TOWN_ADMIN, "area": town.county.pk})
    assert r.status_code == 400 and "不在您的管理范围之内" in r.json()["area"][0]
    assert RoleAssignment.objects.filter(user=gridworker).count() == 1


def test_a_town_decides_whether_its_village_secretaries_manage_accounts(town):
    admin = api(town.users["admin"])
    assert admin.get("/api/v1/town-account-rules/").json() == [
        {"id": town.town.pk, "name": "宋河镇", "village_secretaries_manage": False}
    ]
    xuqiao = api(town.users["xuqiao"])
    r = xuqiao.get("/api/v1/town-account-rules/")
    assert r.status_code == 403 and "镇(县)管理员" in r.json()["detail"]
    assert xuqiao.get("/api/v1/users/").status_code == 403

    url = f"/api/v1/town-account-rules/{town.town.pk}/"
    assert xuqiao.patch(url, {"village_secretaries_manage": True}, format="json").status_code == 404
    assert admin.patch(url, {}, format="json").status_code == 400
    r = admin.patch(url, {"village_secretaries_manage": True}, format="json")
    assert r.status_code == 200 and r.json()["village_secretaries_manage"] is True
    assert TownAccountSettings.objects.get(town=town.town).village_secretaries_manage
    assert AuditEvent.objects.filter(action=events.TOWN_ACCOUNT_RULES).count() == 1

    # Now xuqiao manages 徐桥村's grid worker, and no one else.
    xuqiao = api(town.users["xuqiao"])
    names = [u["username"] for u in xuqiao.get("/api/v1/users/").json()["results"]]
    assert names == ["gridworker"]
    assert xuqiao.get(url).status_code == 404  # the town's rules stay the administrator's


def test_every_detail_route_answers_404_out_of_reach(town, stranger):
    admin = api(town.users["admin"])
    other_town = stranger.assignments.get().area.parent.parent
    stranger_role = RoleAssignment.objects.get(user=stranger)
    routes = [
        ("get", "/api/v1/users/{}/", stranger.pk),
        ("patch", "/api/v1/users/{}/", stranger.pk),
        ("get", "/api/v1/users/{}/roles/", stranger.pk),
        ("post", "/api/v1/users/{}/roles/", stranger.pk),
        ("post", "/api/v1/users/{}/reset-password/", stranger.pk),
        ("post", "/api/v1/users/{}/deactivate/", stranger.pk),
        ("post", "/api/v1/users/{}/reactivate/", stranger.pk),
        ("post", "/api/v1/roles/{}/end/", stranger_role.pk),
        ("get", "/api/v1/town-account-rules/{}/", other_town.pk),
        ("patch", "/api/v1/town-account-rules/{}/", other_town.pk),
    ]
    events_before = AuditEvent.objects.count()
    body = {"role": Role.VOLUNTEER, "area": town.xuqiao.area.pk, "village_secretaries_manage": True}
    for method, url, pk in routes:
        for target in (pk, 0, 999999, 99999999999999999999999):
            r = getattr(admin, method)(url.format(target), body, format="json")
            assert r.status_code == 404, f"{method.upper()} {url.format(target)} → {r.status_code}"
    assert AuditEvent.objects.count() == events_before
    stranger.refresh_from_db()
    assert stranger.is_active and RoleAssignment.objects.filter(user=stranger).count() == 1


def test_the_invitation_endpoint_needs_no_sign_in_and_ignores_tokens(town):
    anonymous = APIClient()
    r = anonymous.post("/api/v1/invitations/accept/", {"key": "nothing", "password": "Hnd-x-2026!"}, format="json")
    assert r.status_code == 400 and "key" in r.json()
    assert anonymous.get("/api/v1/invitations/accept/").status_code == 405
    stale = APIClient()
    stale.credentials(HTTP_AUTHORIZATION="Token no-such-token")
    assert stale.post("/api/v1/invitations/accept/", {"key": "k", "password": "p"}, format="json").status_code == 400
