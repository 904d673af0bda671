"""Changing the accounts an administrator manages through the pages (issue 21): a user's page with
their roles and role history, editing the name and phone, granting and ending roles (access ends
on the next request, the history stays), resetting the password (every session ends), the towns'
account rules, the list's filters; forged ids answer 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hongniudai.accounts import events
from hongniudai.accounts.models import Role, RoleAssignment, TownAccountSettings
from hongniudai.audit.models import AuditEvent
from hongniudai.users.selectors import node_key
from tests import factories as f
from tests.conftest import PASSWORD


def _signed_in(username: str) -> Client:
    client = Client()
    assert client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD}).status_code == 302
    return client


def test_a_users_page_shows_their_roles_history_and_the_actions(town):
    gridworker = town.users["gridworker"]
    gridworker.phone = "13912345678"
    gridworker.save(update_fields=["phone"])
    body = town.client_for("admin").get(reverse("users:user_detail", args=[gridworker.pk])).content.decode()
    assert "网格员 · 5组" in body and "139****5678" in body and "13912345678" not in body
    for action in ("编辑", "授予角色", "重置密码", "停用", "终止", "角色历史"):
        assert action in body
    # A user whose role lies beyond the administrator: seen, not managed.
    county_admin = f.user("county_admin", Role.TOWN_ADMIN, area=town.county)
    f.user("both", Role.GRID_WORKER, area=town.xuqiao.grid)
    RoleAssignment.objects.create(user=county_admin, role=Role.GRID_WORKER, area=town.xuqiao.grid)
    body = town.client_for("admin").get(reverse("users:user_detail", args=[county_admin.pk])).content.decode()
    assert "超出了您的管理范围" in body and "授予角色" not in body and "重置密码" not in body


def test_editing_keeps_the_phone_masked_and_unchanged_when_left_blank(town):
    gridworker = town.users["gridworker"]
    gridworker.phone = "13912345678"
    gridworker.save(update_fields=["phone"])
    admin = town.client_for("admin")
    url = reverse("users:user_edit", args=[gridworker.pk])
    page = admin.get(url).content.decode()
    assert "139****5678" in page and "13912345678" not in page
    r = admin.post(url, {"display_name": "李  网格", "phone": ""})
    assert r.status_code == 302
    gridworker.refresh_from_db()
    assert (gridworker.display_name, gridworker.phone) == ("李 网格", "13912345678")
    r = admin.post(url, {"display_name": "李网格", "phone": "12345"})
    assert r.status_code == 200 and "invalid-feedback" in r.content.decode()
    assert admin.post(url, {"display_name": "李网格", "clear_phone": "on"}).status_code == 302
    gridworker.refresh_from_db()
    assert gridworker.phone == ""
    assert AuditEvent.objects.filter(action=events.USER_UPDATED, target_id=str(gridworker.pk)).count() == 2


def test_granting_a_role_on_a_picked_node(town):
    gridworker = town.users["gridworker"]
    admin = town.client_for("admin")
    url = reverse("users:role_grant", args=[gridworker.pk])
    page = admin.post(url, {"role": Role.VOLUNTEER, "node_q": "发水河", "find": "1"}).content.decode()
    assert node_key(town.fashuihe.area) in page and 'value="volunteer" selected' in page
    r = admin.post(url, {"role": Role.VOLUNTEER, "node": node_key(town.fashuihe.area)})
    assert r.status_code == 302
    assert RoleAssignment.objects.filter(user=gridworker, role=Role.VOLUNTEER, area=town.fashuihe.area).exists()
    r = admin.post(url, {"role": Role.VOLUNTEER, "node": node_key(town.fashuihe.area)})
    assert "该用户已在此处担任这一角色" in r.content.decode()
    r = admin.post(url, {"role": Role.VOLUNTEER, "node": node_key(town.county)})
    assert "不在您的管理范围之内" in r.content.decode()
    r = admin.post(url, {"role": "emperor", "node": node_key(town.xuqiao.area)})
    assert r.status_code == 200 and "invalid-feedback" in r.content.decode()


def test_ending_a_role_removes_access_on_the_next_request_and_keeps_the_history(town):
    gridworker = town.users["gridworker"]
    web = _signed_in("gridworker")
    household = reverse("places:household_detail", args=[town.xuqiao.household.pk])
    assert web.get(household).status_code == 200
    assignment = RoleAssignment.objects.get(user=gridworker)
    admin = town.client_for("admin")
    url = reverse("users:role_end", args=[assignment.pk])
    page = admin.get(url).content.decode()
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in page and "网格员" in page
    too_late = timezone.localdate() + dt.timedelta(days=400)
    assert "一年之后" in admin.post(url, {"ended_on": f"{too_late:%Y-%m-%d}"}).content.decode()
    assert admin.post(url, {"ended_on": "9999-01-01"}).status_code == 200
    r = admin.post(url, {"ended_on": f"{timezone.localdate():%Y-%m-%d}"})
    assert r.status_code == 302 and r["Location"] == reverse("users:user_detail", args=[gridworker.pk])
    assert web.get(household).status_code == 404
    assignment.refresh_from_db()
    assert assignment.ended_by == town.users["admin"] and not assignment.is_current
    body = admin.get(r["Location"]).content.decode()
    assert "没有当前角色" in body and "网格员 · 5组" in body  # in the history
    r = admin.post(url, {"ended_on": f"{timezone.localdate():%Y-%m-%d}"})
    assert "该角色已终止" in r.content.decode()


def test_no_one_ends_their_own_role(town):
    mine = RoleAssignment.objects.get(user=town.users["admin"])
    today = f"{timezone.localdate():%Y-%m-%d}"
    r = town.client_for("admin").post(reverse("users:role_end", args=[mine.pk]), {"ended_on": today})
    assert r.status_code == 200 and "不能终止自己的角色" in r.content.decode()
    assert RoleAssignment.objects.filter(pk=mine.pk).exists()


def test_reset_ends_every_session_and_shows_the_new_way_in_once(town):
    gridworker = town.users["gridworker"]
    web = _signed_in("gridworker")
    assert web.get(reverse("accounts:me")).status_code == 200
    admin = town.client_for("admin")
    url = reverse("users:user_reset", args=[gridworker.pk])
    assert "API 令牌全部作废" in admin.get(url).content.decode()
    r = admin.post(url, {"credential": "password"})
    assert r.status_code == 200 and "只显示这一次" in r.content.decode() and "handover-password" in r.content.decode()
    assert web.get(reverse("accounts:me")).status_code == 302
    assert AuditEvent.objects.filter(action=events.PASSWORD_RESET, target_id=str(gridworker.pk)).exists()
    r = admin.post(url, {"credential": "invitation"})
    assert "handover-link" in r.content.decode()
    assert admin.post(url, {"credential": "carrier-pigeon"}).status_code == 200


def test_the_town_rules_page_lets_village_secretaries_manage_their_village(town):
    admin = town.client_for("admin")
    assert "镇账号设置" in admin.get(reverse("users:user_list")).content.decode()
    page = admin.get(reverse("users:town_rules")).content.decode()
    assert "宋河镇" in page and "允许村党支部书记管理本村网格员、党员中心户和志愿者账号" in page
    r = admin.post(reverse("users:town_rules"), {"town": town.town.pk, "allowed": "on"})
    assert r.status_code == 302
    assert TownAccountSettings.objects.get(town=town.town).village_secretaries_manage
    xuqiao = town.client_for("xuqiao")
    body = xuqiao.get(reverse("users:user_list")).content.decode()
    assert "gridworker" in body and "fashuihe" not in body and "镇账号设置" not in body
    assert xuqiao.get(reverse("users:town_rules")).status_code == 403
    assert xuqiao.post(reverse("users:town_rules"), {"town": town.town.pk}).status_code == 403
    for forged in ("", "abc", "-1", str(2**70), str(town.county.pk)):
        assert admin.post(reverse("users:town_rules"), {"town": forged, "allowed": "on"}).status_code == 404
    assert admin.post(reverse("users:town_rules"), {"town": town.town.pk}).status_code == 302
    assert not TownAccountSettings.objects.get(town=town.town).village_secretaries_manage


def test_a_county_administrator_sees_each_town(town):
    f.area(town.county, "临江镇", "town")
    county_admin = f.user("county_admin", Role.TOWN_ADMIN, area=town.county)
    client = Client()
    client.force_login(county_admin)
    page = client.get(reverse("users:town_rules")).content.decode()
    assert "宋河镇" in page and "临江镇" in page


@pytest.mark.parametrize(
    "name", ["user_detail", "user_edit", "role_grant", "user_reset", "user_deactivate", "role_end"]
)
def test_forged_ids_are_not_found(town, name):
    admin = town.client_for("admin")
    for pk in (0, 99999999, 2**63, 2**70):
        assert admin.get(reverse(f"users:{name}", args=[pk])).status_code == 404
        assert admin.post(reverse(f"users:{name}", args=[pk])).status_code == 404
    base = reverse(f"users:{name}", args=[1]).replace("/1/", "/-1/")
    assert admin.get(base).status_code == 404


def test_the_list_filters_by_role_and_node(town):
    f.user("volunteer_fsh", Role.VOLUNTEER, area=town.fashuihe.hamlet)
    admin = town.client_for("admin")
    url = reverse("users:user_list")
    body = admin.get(url, {"role": Role.GRID_WORKER}).content.decode()
    assert "gridworker" in body and "xuqiao" not in body
    body = admin.get(url, {"node": node_key(town.fashuihe.area)}).content.decode()
    assert "volunteer_fsh" in body and "fashuihe" in body and "gridworker" not in body
    assert "宋河镇 › 东片区 › 发水河村" in body  # the chosen node, shown in the picker
    body = admin.get(url, {"node": node_key(town.fashuihe.area), "role": Role.VOLUNTEER}).content.decode()
    assert "volunteer_fsh" in body and ">fashuihe<" not in body
    body = admin.get(url, {"node": node_key(town.fashuihe.branch)}).content.decode()
    assert "volunteer_fsh" not in body
    r = admin.get(url, {"node": node_key(town.county)})
    assert r.status_code == 200 and "不在您的管理范围之内" in r.content.decode()
    assert admin.get(url, {"node": "area:" + "9" * 40, "role": "x", "status": "y"}).status_code == 200


def test_the_list_costs_the_same_queries_for_5_and_40_users(town):
    client = town.client_for("admin")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(reverse("users:user_list"), {"role": Role.GRID_WORKER, "page_size": 50})
            assert r.status_code == 200
        return len(ctx.captured_queries)

    count()  # the session's first request of the minute writes it
    for i in range(4):
        f.user(f"worker{i}", Role.GRID_WORKER, area=town.xuqiao.grid)
    few = count()
    for i in range(4, 39):
        f.user(f"worker{i}", Role.GRID_WORKER, area=town.fashuihe.grid)
    assert count() == few
