"""Importing user accounts with their first role: through the policy row by row, all or nothing,
and their first credentials handed over once in a downloaded sheet, never stored."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from hongniudai.accounts import events as account_events
from hongniudai.accounts.models import Invitation, Role, RoleAssignment, User
from hongniudai.accounts.services_users import set_town_rules
from hongniudai.audit.models import AuditEvent
from hongniudai.common.identity import decrypt_id_number
from hongniudai.places.models import AreaKind
from hongniudai.spreadsheets.import_templates import build_template
from hongniudai.spreadsheets.models import ImportJob
from tests import factories as f

from .helpers import confirm, messages_at, upload_job

USER_HEADERS = ["用户名", "姓名", "手机号", "角色", "所在节点", "身份证号", "初始方式", "备注"]


def _rows(town):
    head_id = decrypt_id_number(town.xuqiao.head.id_cipher)
    return [
        ["wg-xuqiao-5", "黄志刚", "13800001234", "网格员", "宋河镇/东片区/徐桥村/5组", "", "", ""],
        ["zxh-huangjiawan", "黄文华", "", "党员中心户", "徐桥村/5组/黄家湾", head_id, "邀请链接", ""],
    ]


def _sheet(response) -> list[tuple]:
    content = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_admin_imports_accounts_with_roles_then_downloads_the_hand_over_sheet_once(town):
    client = town.client_for("admin")
    job = upload_job(client, "users", USER_HEADERS, _rows(town))
    assert (job.good_rows, job.error_rows) == (2, 0), job.errors
    confirm(client, job, "all")
    job.refresh_from_db()
    assert job.status == "done" and job.imported_rows == 2
    grid_worker = User.objects.get(username="wg-xuqiao-5")
    assert grid_worker.display_name == "黄志刚" and grid_worker.phone == "13800001234"
    assert RoleAssignment.objects.get(user=grid_worker).area == town.xuqiao.grid
    centre = User.objects.get(username="zxh-huangjiawan")
    assignment = RoleAssignment.objects.get(user=centre)
    assert (assignment.role, assignment.area, assignment.granted_by) == (
        Role.CENTRE_HOUSEHOLD,
        town.xuqiao.hamlet,
        town.users["admin"],
    )
    town.xuqiao.head.refresh_from_db()
    assert town.xuqiao.head.account == centre  # and so the party member record, through the resident
    granted = AuditEvent.objects.filter(action=account_events.ROLE_ASSIGNED, actor_name="admin")
    assert granted.count() == 2
    # No secret in the job: usernames and the wanted way in only; nobody can sign in yet.
    assert job.outcome == [
        {"username": "wg-xuqiao-5", "credential": "password"},
        {"username": "zxh-huangjiawan", "credential": "invitation"},
    ]
    assert not grid_worker.has_usable_password()

    page = client.get(reverse("spreadsheets:import_detail", args=[job.pk])).content.decode()
    assert reverse("spreadsheets:import_handover", args=[job.pk]) in page
    url = reverse("spreadsheets:import_handover", args=[job.pk])
    assert client.get(url).status_code == 405  # issuing secrets is a POST
    rows = _sheet(client.post(url))
    assert rows[0][:4] == ("用户名", "姓名", "一次性密码", "邀请链接")
    by_name = {r[0]: r for r in rows[1:]}
    password = by_name["wg-xuqiao-5"][2]
    assert password and not by_name["wg-xuqiao-5"][3]
    assert by_name["zxh-huangjiawan"][3].startswith("http://testserver/accounts/invite/")
    assert Invitation.objects.filter(user=centre, used_at__isnull=True).count() == 1
    # The grid worker signs in with it and must choose a password; a later sheet issues none for them.
    grid_worker.refresh_from_db()
    assert grid_worker.check_password(password) and grid_worker.must_change_password
    assert password not in str(list(AuditEvent.objects.values_list("changes", flat=True)))
    assert password not in str(ImportJob.objects.filter(pk=job.pk).values().get())
    # Downloading again issues fresh secrets and voids the earlier ones.
    again = {r[0]: r for r in _sheet(client.post(url))[1:]}
    assert again["wg-xuqiao-5"][2] and again["wg-xuqiao-5"][2] != password
    grid_worker.refresh_from_db()
    assert not grid_worker.check_password(password)
    assert again["zxh-huangjiawan"][3] != by_name["zxh-huangjiawan"][3]
    assert Invitation.objects.filter(user=centre, used_at__isnull=True).count() == 1
    # Once the user has signed in, a later sheet issues nothing for them.
    User.objects.filter(pk=grid_worker.pk).update(last_login="2026-01-01T00:00:00Z")
    third = {r[0]: r for r in _sheet(client.post(url))[1:]}
    assert third["wg-xuqiao-5"][2] is None and "已登录" in third["wg-xuqiao-5"][5]
    grid_worker.refresh_from_db()
    assert grid_worker.check_password(again["wg-xuqiao-5"][2])


def test_only_the_uploader_downloads_the_hand_over_sheet(town):
    job = upload_job(town.client_for("admin"), "users", USER_HEADERS, _rows(town)[:1])
    confirm(town.client_for("admin"), job, "all")
    town.users["xuqiao"].refresh_from_db()
    other = town.client_for("xuqiao")
    assert other.post(reverse("spreadsheets:import_handover", args=[job.pk])).status_code == 404


def test_a_role_outside_the_village_secretary_s_reach_refuses_the_file_row_by_row(town):
    set_town_rules(actor=town.users["admin"], town=town.town, village_secretaries_manage=True)
    client = town.client_for("xuqiao")
    rows = [
        ["wg-xuqiao-5", "黄志刚", "", "网格员", "徐桥村/5组", "", "", ""],  # delegated: fine
        ["wg-hmf-6", "张红", "", "网格员", "何梅畈村/6组", "", "", ""],  # another village
        ["xq-admin", "徐管", "", "镇管理员", "宋河镇", "", "", ""],  # escalation
    ]
    job = upload_job(client, "users", USER_HEADERS, rows)
    assert (job.good_rows, job.error_rows) == (1, 2)
    assert messages_at(job, 3, "角色") == ["“6组”不在您的账号管理范围之内。"]
    assert messages_at(job, 4, "角色") == ["“宋河镇”不在您的账号管理范围之内。"]
    # All or nothing: no "good rows only" for accounts, and nothing is created.
    response = confirm(client, job, "good_only", follow=True)
    assert "只能全部导入" in response.content.decode()
    assert "只导入无误的行" not in client.get(reverse("spreadsheets:import_detail", args=[job.pk])).content.decode()
    assert not User.objects.filter(username__in=["wg-xuqiao-5", "wg-hmf-6", "xq-admin"]).exists()


def test_a_row_refused_at_import_time_rolls_back_the_whole_file(town):
    client = town.client_for("admin")
    job = upload_job(client, "users", USER_HEADERS, _rows(town))
    assert job.error_rows == 0
    # Meanwhile someone takes the second username: the first row must not stay created either.
    User.objects.create(username="zxh-huangjiawan")
    confirm(client, job, "all")
    job.refresh_from_db()
    assert job.status == "done" and job.imported_rows == 0 and job.outcome == []
    assert messages_at(job, 3, "用户名") == ["用户名已存在。"]
    assert not User.objects.filter(username="wg-xuqiao-5").exists()
    page = client.get(reverse("spreadsheets:import_detail", args=[job.pk])).content.decode()
    assert "整个文件未导入" in page


def test_duplicate_and_taken_usernames_and_unknown_nodes_are_row_errors(town):
    client = town.client_for("admin")
    rows = [
        ["wg-a", "甲", "", "网格员", "徐桥村/5组", "", "", ""],
        ["WG-A", "乙", "", "网格员", "徐桥村/5组", "", "", ""],
        ["xuqiao", "丙", "", "网格员", "徐桥村/5组", "", "", ""],
        ["wg-b", "丁", "12345", "网格员", "徐桥村/9组", "", "", ""],
        ["wg-c", "戊", "", "队长", "徐桥村/5组", "110105194912310021", "", ""],
    ]
    job = upload_job(client, "users", USER_HEADERS, rows)
    assert messages_at(job, 3, "用户名") == ["与第 2 行的用户名重复。"]
    assert messages_at(job, 4, "用户名") == ["用户名已存在。"]
    assert messages_at(job, 5, "手机号") and messages_at(job, 5, "所在节点")
    assert messages_at(job, 6, "角色") and messages_at(job, 6, "身份证号")
    assert job.good_rows == 1 and job.error_rows == 4


def test_an_id_number_outside_the_importer_s_scope_is_a_row_error(town):
    set_town_rules(actor=town.users["admin"], town=town.town, village_secretaries_manage=True)
    other_id = decrypt_id_number(town.hemeifan.head.id_cipher)
    rows = [["zxh-x", "张圣福", "", "党员中心户", "徐桥村/5组/黄家湾", other_id, "", ""]]
    job = upload_job(town.client_for("xuqiao"), "users", USER_HEADERS, rows)
    assert messages_at(job, 2, "身份证号") == ["未找到该身份证号对应的居民,或该居民不在您的管辖范围内;请先登记该居民。"]


def test_the_template_has_a_grid_worker_and_a_centre_household_example(town):
    wb = load_workbook(io.BytesIO(build_template("users", town.users["admin"])))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert [c.rstrip("*") for c in rows[0]] == USER_HEADERS
    assert {rows[1][3], rows[2][3]} == {"网格员", "党员中心户"}
    assert all(r[-1].startswith("【示例】") for r in rows[1:3])
    nodes = [r[1] for r in wb["可选节点"].iter_rows(min_row=2, values_only=True)]
    assert "鄂州县/宋河镇/东片区/徐桥村/5组" in nodes


def test_a_short_node_path_means_the_one_in_reach_else_asks_for_more(town):
    f.area(town.fashuihe.area, "5组", AreaKind.GRID)
    set_town_rules(actor=town.users["admin"], town=town.town, village_secretaries_manage=True)
    row = ["wg-5", "黄志刚", "", "网格员", "5组", "", "", ""]
    mine = upload_job(town.client_for("xuqiao"), "users", USER_HEADERS, [row])
    assert mine.error_rows == 0, mine.errors  # 徐桥村's own 5组
    both = upload_job(town.client_for("admin"), "users", USER_HEADERS, [row])
    assert messages_at(both, 2, "所在节点") == ["“5组”对应多个节点,请填写更完整的路径(如 宋河镇/东片区/徐桥村/5组)。"]
    full = upload_job(town.client_for("admin"), "users", USER_HEADERS, [[*row[:4], "发水河村/5组", *row[5:]]])
    assert full.error_rows == 0


def test_a_role_on_a_party_organisation_by_its_name(town):
    client = town.client_for("admin")
    job = upload_job(client, "users", USER_HEADERS, [["zyz-1", "李敏", "", "志愿者", "徐桥村党支部", "", "", ""]])
    assert job.error_rows == 0, job.errors
    confirm(client, job, "all")
    assert RoleAssignment.objects.get(user__username="zyz-1").org == town.xuqiao.branch
