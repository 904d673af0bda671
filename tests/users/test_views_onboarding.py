"""Creating accounts through the pages (issue 21): the administrator creates a grid worker with a
one-time password or an invitation link, shown once; the new user signs in, must choose a password
and starts on their inbox. A village secretary grants only what the town lets them, where it lets
them; the node picker finds only nodes in reach."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hongniudai.accounts import events
from hongniudai.accounts.models import Invitation, Role, RoleAssignment, TownAccountSettings, User
from hongniudai.accounts.services_users import open_invitation
from hongniudai.audit.models import AuditEvent
from hongniudai.places.models import AreaKind
from hongniudai.users.selectors import node_key
from tests import factories as f

NEW_PASSWORD = "Mei-Hua-2026-Xuqiao"


def _create(client: Client, **fields: str):
    data = {
        "username": "wanggang",
        "display_name": "王刚",
        "phone": "",
        "role": Role.GRID_WORKER,
        "credential": "password",
        **fields,
    }
    return client.post(reverse("users:user_create"), data)


def test_admin_creates_a_grid_worker_who_signs_in_chooses_a_password_and_lands_on_the_inbox(town):
    admin = town.client_for("admin")
    form = admin.get(reverse("users:user_create")).content.decode()
    assert "首次登录方式" in form and "镇管理员" in form
    r = _create(admin, node=node_key(town.xuqiao.grid))
    body = r.content.decode()
    assert r.status_code == 200 and "只显示这一次" in body
    assert "no-store" in r["Cache-Control"]
    password = re.search(r'id="handover-password">([^<]+)<', body).group(1)
    user = User.objects.get(username="wanggang")
    assert user.must_change_password and user.display_name == "王刚"
    assignment = RoleAssignment.objects.get(user=user)
    assert (assignment.role, assignment.area, assignment.granted_by) == (
        Role.GRID_WORKER,
        town.xuqiao.grid,
        town.users["admin"],
    )
    assert AuditEvent.objects.filter(action=events.ROLE_ASSIGNED, actor=town.users["admin"]).exists()
    # The password is shown once: the user's page does not show it again.
    assert password not in admin.get(reverse("users:user_detail", args=[user.pk])).content.decode()

    newcomer = Client()
    r = newcomer.post(reverse("accounts:login"), {"username": "wanggang", "password": password}, follow=True)
    assert r.redirect_chain[-1][0] == reverse("accounts:password_change")
    assert "初始密码" in r.content.decode()
    r = newcomer.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert r.status_code == 302 and r["Location"] == reverse("governance:inbox")
    assert newcomer.get(r["Location"]).status_code == 200
    user.refresh_from_db()
    assert not user.must_change_password


def test_an_invited_user_sets_a_password_with_the_link_once_and_lands_on_the_inbox(town):
    admin = town.client_for("admin")
    r = _create(admin, node=node_key(town.xuqiao.grid), credential="invitation", phone="13912340000")
    body = r.content.decode()
    link = re.search(r'id="handover-link">([^<]+)<', body).group(1)
    assert link.startswith("http://testserver/accounts/invite/")
    invitation = Invitation.objects.get(user__username="wanggang")
    expires = timezone.localtime(invitation.expires_at)
    assert f"{expires:%Y-%m-%d %H:%M}" in body and "北京时间" in body
    assert "13912340000" not in admin.get(reverse("users:user_detail", args=[invitation.user_id])).content.decode()

    invited = Client()
    page = invited.get(link)
    assert page.status_code == 200 and "wanggang" in page.content.decode() and "王刚" in page.content.decode()
    r = invited.post(link, {"new_password": NEW_PASSWORD, "confirm": "something-else-2026"})
    assert r.status_code == 200 and "两次输入的新密码不一致" in r.content.decode()
    r = invited.post(link, {"new_password": "123", "confirm": "123"})
    assert r.status_code == 200 and "invalid-feedback" in r.content.decode()
    r = invited.post(link, {"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert r.status_code == 302 and r["Location"] == reverse("governance:inbox")
    assert invited.get(reverse("governance:inbox")).status_code == 200
    # The link works once.
    r = Client().get(link)
    assert r.status_code == 404 and "已使用或已过期" in r.content.decode()
    assert Client().login(username="wanggang", password=NEW_PASSWORD)


def test_an_expired_or_forged_invitation_is_a_clear_404(town):
    admin = town.client_for("admin")
    body = _create(admin, node=node_key(town.xuqiao.grid), credential="invitation").content.decode()
    link = re.search(r'id="handover-link">([^<]+)<', body).group(1)
    key = link.rstrip("/").rsplit("/", 1)[1]
    with time_machine.travel(timezone.now() + dt.timedelta(days=4)):
        r = Client().post(link, {"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
        assert r.status_code == 404 and "邀请链接无效" in r.content.decode()
    assert open_invitation(key) is not None  # nothing was used up
    for forged in ("x", "A" * 99, "A" * 500, "-1", "%E2%80%AE"):
        assert Client().get(f"/accounts/invite/{forged}/").status_code == 404


def test_the_node_picker_finds_nodes_in_reach_with_their_path(town):
    admin = town.client_for("admin")
    r = admin.get(reverse("users:node_options"), {"q": "5组"})
    body = r.content.decode()
    assert "宋河镇 › 东片区 › 徐桥村 › 5组" in body and node_key(town.xuqiao.grid) in body
    assert "鄂州县" not in body
    body = admin.get(reverse("users:node_options"), {"node_q": "徐桥村"}).content.decode()
    assert node_key(town.xuqiao.area) in body and node_key(town.xuqiao.branch) in body
    assert "宋河镇党委 › 东片区大总支 › 徐桥村党支部" in body
    # Nothing above or beside the administrator's town is offered.
    other = f.area(town.county, "临江镇", AreaKind.TOWN)
    f.area(other, "临江5组片", AreaKind.DISTRICT)
    body = admin.get(reverse("users:node_options"), {"q": "鄂州"}).content.decode()
    assert "鄂州县" not in body and "没有找到" in body
    assert "临江" not in admin.get(reverse("users:node_options"), {"q": "5组"}).content.decode()
    # Without JavaScript: the search button sends the form back, filled in, with the matches.
    r = admin.post(
        reverse("users:user_create"), {"username": "wanggang", "display_name": "王刚", "node_q": "6组", "find": "1"}
    )
    body = r.content.decode()
    assert r.status_code == 200 and 'value="wanggang"' in body and node_key(town.hemeifan.grid) in body
    assert not User.objects.filter(username="wanggang").exists()
    # Enter in a box saves (the form's first button): with no node picked, the matches are shown.
    r = _create(admin, node_q="6组")
    body = r.content.decode()
    assert "请搜索并选择一个地区或党组织" in body and node_key(town.hemeifan.grid) in body


def test_the_picker_costs_the_same_queries_for_many_matches(town):
    admin = town.client_for("admin")

    def count(q: str) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            body = admin.get(reverse("users:node_options"), {"q": q}).content.decode()
        return len(ctx.captured_queries), body.count('type="radio"')

    count("5组")  # the session's first request of the minute writes it
    few, shown = count("5组")
    assert shown == 2  # the grid and its party group
    assert count("组") == (few, 6)  # three grids and three party groups


def test_a_village_secretary_without_the_towns_leave_manages_no_accounts(town):
    xuqiao = town.client_for("xuqiao")
    for name in ("users:user_create", "users:node_options", "users:town_rules"):
        assert xuqiao.get(reverse(name)).status_code == 403
    r = _create(xuqiao, node=node_key(town.xuqiao.grid))
    assert r.status_code == 403 and "管理员" in r.content.decode()
    assert not User.objects.filter(username="wanggang").exists()


@pytest.fixture
def delegating(town):
    TownAccountSettings.objects.create(town=town.town, village_secretaries_manage=True)
    return town


def test_with_the_towns_leave_a_village_secretary_creates_grid_workers_of_their_village_only(delegating):
    town = delegating
    xuqiao = town.client_for("xuqiao")
    form = xuqiao.get(reverse("users:user_create")).content.decode()
    assert "网格员" in form and "镇管理员" not in form
    # 何梅畈村 is not found by the picker, and a forged key is a field error.
    assert node_key(town.hemeifan.grid) not in xuqiao.get(reverse("users:node_options"), {"q": "组"}).content.decode()
    r = _create(xuqiao, node=node_key(town.hemeifan.grid))
    assert r.status_code == 200 and "未找到该地区或党组织,或不在您的管理范围之内。" in r.content.decode()
    for forged in ("area:99999999", "area:-1", "org:abc", f"area:{2**70}", "x" * 40, "party:1"):
        r = _create(xuqiao, node=forged)
        assert r.status_code == 200 and "不在您的管理范围之内" in r.content.decode()
    r = _create(xuqiao, node=node_key(town.xuqiao.grid), role=Role.TOWN_ADMIN)
    assert r.status_code == 200 and "不能授予“镇管理员”" in r.content.decode()
    r = _create(xuqiao, node=node_key(town.xuqiao.area), role=Role.VILLAGE_SECRETARY)
    assert "不能授予“村党支部书记”" in r.content.decode()
    assert not User.objects.filter(username="wanggang").exists()

    r = _create(xuqiao, node=node_key(town.xuqiao.grid))
    assert r.status_code == 200 and "只显示这一次" in r.content.decode()
    assert RoleAssignment.objects.get(user__username="wanggang").granted_by == town.users["xuqiao"]


def test_an_administrator_creates_no_town_administrator_above_their_town(town):
    admin = town.client_for("admin")
    r = _create(admin, node=node_key(town.county), role=Role.TOWN_ADMIN)
    assert "不在您的管理范围之内" in r.content.decode()
    r = _create(admin, node=node_key(town.xuqiao.grid), username="admin")
    assert "用户名已存在" in r.content.decode()
