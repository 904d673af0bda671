"""Importing volunteers from Excel through the volunteers services: row errors in Chinese with their
row numbers, all or nothing, only in the importer's villages, never twice, phones and ID numbers masked."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.urls import reverse
from openpyxl import load_workbook

from hongniudai.places import services as place_services
from hongniudai.volunteers import services as volunteer_services
from hongniudai.volunteers.models import Volunteer
from tests import factories as f
from tests.conftest import Town

from .helpers import confirm, messages_at, upload_job

HEADERS = ["所属村", "姓名", "手机号", "身份证号", "服务队", "技能特长", "注册日期", "备注"]


def _setup(town: Town) -> dict[str, Any]:
    admin = town.users["admin"]
    hh = f.household(town.xuqiao.hamlet, "黄家湾8号", number="XQ-05-008")
    id_number = f.make_id_number(birth=dt.date(1980, 3, 1))
    resident = place_services.create_resident(
        actor=admin, household=hh, name="黄志强", id_number=id_number, sex="M", relation="head"
    )
    team = volunteer_services.create_team(actor=admin, area=town.xuqiao.area, name="徐桥村送汤队")
    volunteer_services.create_team(actor=admin, area=town.fashuihe.area, name="发水河村巡逻队")
    town_team = volunteer_services.create_team(actor=admin, area=town.town, name="宋河镇理发队")
    rows = [
        ["徐桥村", "黄志强", "", id_number, "徐桥村送汤队", "驾驶", "2025-03-01", ""],
        ["徐桥村", "李外来", "139 1234 0001", "", "宋河镇理发队", "理发", "", ""],
        ["宋河镇", "王镇干", "13912340002", "", "", "", "", "镇里的志愿者"],
    ]
    return {"rows": rows, "resident": resident, "id": id_number, "team": team, "town_team": town_team}


def _import(town: Town, rows: list[list[Any]], username: str = "admin") -> Any:
    client = town.client_for(username)
    job = upload_job(client, "volunteers", HEADERS, rows)
    assert job.error_rows == 0, job.errors
    confirm(client, job, "all")
    job.refresh_from_db()
    assert job.status == "done", job.errors
    return job


def test_a_good_file_registers_the_volunteers(town: Town) -> None:
    s = _setup(town)
    job = _import(town, s["rows"])
    assert job.imported_rows == 3
    by_name = {v.name: v for v in Volunteer.objects.all()}
    local = by_name["黄志强"]
    assert (local.resident_id, local.area_id, local.team_id, local.skills, local.joined_on) == (
        s["resident"].pk,
        town.xuqiao.area.pk,
        s["team"].pk,
        "驾驶",
        dt.date(2025, 3, 1),
    )
    outsider = by_name["李外来"]
    assert (outsider.resident_id, outsider.phone, outsider.team_id) == (None, "13912340001", s["town_team"].pk)
    assert by_name["王镇干"].area_id == town.town.pk


def test_bad_rows_are_named_in_chinese_with_their_row_numbers_and_nothing_is_saved(town: Town) -> None:
    s = _setup(town)
    rows = [
        *s["rows"],
        ["徐桥村", "黄志强", "", s["id"], "", "", "", ""],  # 5: the same resident twice
        ["徐桥村", "张三", "1391234", "", "", "", "", ""],  # 6: a bad phone
        ["徐桥村", "李四", "", "", "发水河村巡逻队", "", "2099-01-01", ""],  # 7: no phone, another's team, future
        ["", "", "", "", "", "", "", ""],  # 8: nothing (an empty row is not read)
        ["徐桥村", "王五", "13912340009", "", "", "", "", ""],  # good
    ]
    client = town.client_for("xuqiao")
    rows[2][0] = "徐桥村"  # 徐桥村's secretary: the town's row moved to the village
    job = upload_job(client, "volunteers", HEADERS, rows)
    assert messages_at(job, 5, "身份证号") == ["与第 2 行重复。"]
    assert messages_at(job, 6, "手机号") == ["手机号应为以 1 开头的 11 位数字。"]
    assert messages_at(job, 7, "手机号") == ["外来志愿者(不填身份证号)须填写手机号,以便联系。"]
    assert messages_at(job, 7, "服务队") == ["徐桥村没有名为“发水河村巡逻队”的志愿服务队。"]
    assert messages_at(job, 7, "注册日期") == ["日期不能晚于今天。"]
    confirm(client, job, "all")
    job.refresh_from_db()
    assert job.status == "validated" and not Volunteer.objects.exists()


def test_another_village_s_rows_are_refused_row_by_row(town: Town) -> None:
    s = _setup(town)
    job = upload_job(town.client_for("fashuihe"), "volunteers", HEADERS, s["rows"])
    assert messages_at(job, 2, "所属村") == ["未找到“徐桥村”,或它不在您的管辖范围内。"]
    assert messages_at(job, 4, "所属村") == ["未找到“宋河镇”,或它不在您的管辖范围内。"]
    assert not Volunteer.objects.exists()


def test_importing_the_same_file_again_registers_nobody_twice(town: Town) -> None:
    s = _setup(town)
    _import(town, s["rows"])
    job = _import(town, s["rows"])
    assert job.imported_rows == 0 and Volunteer.objects.count() == 3
    assert [o["row"] for o in job.outcome] == ["2", "3", "4"]
    assert job.outcome[1]["message"] == "李外来 已是徐桥村的志愿者,跳过。"


def test_phones_and_id_numbers_never_appear_in_the_errors(town: Town) -> None:
    s = _setup(town)
    rows = [
        ["徐桥村", "黄某", "", s["id"], "", "", "", ""],  # the name does not match the ID number
        ["发水河村", "黄志强", "13912340003", "", "", "", "", ""],  # another village's
        ["徐桥村", "李外来", "13912340004", "", "", "", "", ""],
        ["徐桥村", "李外来", "13912340004", "", "", "", "", ""],  # twice
    ]
    job = upload_job(town.client_for("xuqiao"), "volunteers", HEADERS, rows)
    assert messages_at(job, 2, "姓名") == ["姓名与该身份证号登记的居民姓名不一致。"]
    assert messages_at(job, 5, "手机号") == ["与第 4 行重复。"]
    page = town.client_for("xuqiao").get(reverse("spreadsheets:import_detail", args=[job.pk])).content.decode()
    for secret in (s["id"], "13912340003", "13912340004"):
        assert secret not in str(job.errors) and secret not in page


def test_the_template_and_the_jobs_stay_in_scope(town: Town) -> None:
    s = _setup(town)
    fsh = town.client_for("fashuihe")
    response = fsh.get(reverse("spreadsheets:template_download", args=["volunteers"]))
    wb = load_workbook(io.BytesIO(response.content))
    assert [r[0] for r in wb["可选村"].iter_rows(min_row=2, values_only=True)] == ["发水河村"]
    assert wb.worksheets[0]["A2"].value == "发水河村" and "填写说明" in wb.sheetnames
    assert wb.worksheets[0]["H2"].value.startswith("【示例】")
    assert town.client_for("gridworker").get(response.request["PATH_INFO"]).status_code == 403
    job = upload_job(town.client_for("admin"), "volunteers", HEADERS, s["rows"])
    for name in ("import_detail", "import_progress", "import_errors"):
        assert fsh.get(reverse(f"spreadsheets:{name}", args=[job.pk])).status_code == 404
    assert fsh.post(reverse("spreadsheets:import_confirm", args=[job.pk]), {"mode": "all"}).status_code == 404


def test_the_volunteers_list_links_to_the_import(town: Town) -> None:
    link = f'href="{reverse("spreadsheets:import_new")}?kind=volunteers"'
    assert link in town.client_for("xuqiao").get(reverse("volunteers:volunteer_list")).content.decode()
    assert link not in town.client_for("gridworker").get(reverse("volunteers:volunteer_list")).content.decode()
