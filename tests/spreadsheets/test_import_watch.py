"""Importing the watch from Excel: the cameras of the net (through `watch.cameras.services`) and the
members of night patrol teams (through `watch.patrols.services`). Row errors in Chinese with row
numbers, all or nothing, only in the importer's grids and teams, never twice, and neither a stream
address nor an ID number ever in what the pages and downloads show."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hongniudai.accounts.models import Role
from hongniudai.common.identity import decrypt_id_number
from hongniudai.places.models import AreaKind, Resident
from hongniudai.volunteers.interface import Volunteer
from hongniudai.watch.cameras.models import Camera
from hongniudai.watch.patrols import services as patrols
from hongniudai.watch.patrols.models import PatrolMember, PatrolTeam
from tests import factories as f
from tests.conftest import Town

from .helpers import confirm, messages_at, upload_job

CAMERA_HEADERS = ["编号", "名称", "村", "村组(网格)", "经度", "纬度", "类型", "权属", "状态", "视频流地址", "备注"]
MEMBER_HEADERS = ["巡逻队", "巡逻区域", "身份", "姓名", "身份证号", "手机号", "入队日期", "备注"]
STREAM = "rtsp://admin:s3cret@10.8.1.21:554/live/ch1"


def _cameras() -> list[list[Any]]:
    return [
        ["SH-XQ-101", "徐桥村5组路口", "徐桥村", "5组", 114.890321, 30.396512, "球机", "公安", "", STREAM, ""],
        ["SH-XQ-102", "徐桥村6组桥头", "", "420704101006", "114.8912", "30.3971", "", "", "故障", "", "桥头"],
        ["SH-XQ-103", "黄家湾稻场", "徐桥村", "5组", "114.8899", "30.3958", "枪机", "村委", "正常", "", ""],
    ]


@pytest.fixture
def grids(town: Town) -> Town:
    """徐桥村's second grid, 6组, known also by its statistical code."""
    town.grid6 = f.area(town.xuqiao.area, "6组", AreaKind.GRID, code="420704101006")  # type: ignore[attr-defined]
    return town


def _import(town: Town, kind: str, headers: list[str], rows: list[list[Any]], username: str = "xuqiao") -> Any:
    client = town.client_for(username)
    job = upload_job(client, kind, headers, rows)
    assert job.error_rows == 0, job.errors
    confirm(client, job, "all")
    job.refresh_from_db()
    assert job.status == "done", job.errors
    return job


def _shown(town: Town, job: Any, username: str = "xuqiao") -> str:
    """Everything the importer is shown of a job: its page and its error list's download."""
    client = town.client_for(username)
    page = client.get(reverse("spreadsheets:import_detail", args=[job.pk])).content.decode()
    errors = b"".join(client.get(reverse("spreadsheets:import_errors", args=[job.pk])).streaming_content)
    cells = [str(c) for row in load_workbook(io.BytesIO(errors)).active.iter_rows(values_only=True) for c in row]
    return page + "\n".join(cells) + str(job.errors) + str(job.outcome)


# ---- cameras ----------------------------------------------------------------------------------


def test_a_good_camera_file_registers_each_camera_at_its_grid(grids: Town) -> None:
    job = _import(grids, "watch_cameras", CAMERA_HEADERS, _cameras())
    assert job.imported_rows == 3
    cameras = {c.code: c for c in Camera.objects.all()}
    first, second = cameras["SH-XQ-101"], cameras["SH-XQ-102"]
    assert (first.grid, first.kind, first.owner, first.status) == (grids.xuqiao.grid, "dome", "police", "working")
    assert (str(first.lng), str(first.lat), first.stream_url) == ("114.890321", "30.396512", STREAM)
    assert (second.grid, second.status, second.kind, second.note) == (grids.grid6, "faulty", "bullet", "桥头")  # type: ignore[attr-defined]
    assert {c.town_id for c in cameras.values()} == {grids.town.pk}
    assert STREAM not in _shown(grids, job)


def test_bad_camera_rows_are_named_in_chinese_and_nothing_is_saved(grids: Town) -> None:
    rows = _cameras()
    rows[0][4] = "东经114"
    rows[0][5] = 95
    rows[1][3] = "9组"
    rows[2][6] = "鱼眼"
    rows[2][9] = "ftp://10.8.1.22/" + STREAM
    rows.append(["SH-XQ-101", "重复", "徐桥村", "5组", 114.9, 30.4, "", "", "", "", ""])
    rows.append(["SH XQ 9", "", "徐桥村", "5组", "", 30.4, "", "", "", "", ""])
    client = grids.client_for("xuqiao")
    job = upload_job(client, "watch_cameras", CAMERA_HEADERS, rows)
    assert messages_at(job, 2, "经度") == ["经度应为 -180 到 180 之间的数字。"]
    assert messages_at(job, 2, "纬度") == ["纬度应为 -90 到 90 之间的数字。"]
    assert messages_at(job, 3, "村组(网格)") == [
        "未找到统计代码为“9组”的网格,或该网格不在您的管辖范围内;按名称填写时请同时填写村。"
    ]
    assert messages_at(job, 4, "类型") == ["应为以下之一:枪机、球机、人脸卡口、车辆卡口、其他。"]
    assert messages_at(job, 4, "视频流地址") == ["视频流地址应为 rtsp://、rtmp://、http:// 或 https:// 开头的网址。"]
    assert messages_at(job, 5, "编号") == ["与第 2 行重复。"]
    assert messages_at(job, 6, "编号") == ["编号只能包含字母、数字和 _ . : -。"]
    assert messages_at(job, 6, "名称") == ["必填项,不能为空。"]
    assert messages_at(job, 6, "经度") == ["必填项,不能为空。"]
    assert (job.good_rows, job.error_rows) == (0, 5)
    confirm(client, job, "all")
    assert not Camera.objects.exists()
    assert STREAM not in _shown(grids, job)


def test_another_village_s_grid_is_refused_row_by_row(grids: Town) -> None:
    rows = [*_cameras(), ["SH-FSH-101", "施家湾路口", "发水河村", "1组", 114.9, 30.4, "", "", "", "", ""]]
    job = upload_job(grids.client_for("xuqiao"), "watch_cameras", CAMERA_HEADERS, rows)
    assert (job.good_rows, job.error_rows) == (3, 1)
    assert messages_at(job, 5, "村组(网格)") == ["未找到“发水河村1组”,或该网格不在您的管辖范围内。"]
    other = upload_job(grids.client_for("fashuihe"), "watch_cameras", CAMERA_HEADERS, _cameras())
    assert (other.good_rows, other.error_rows) == (0, 3)


def test_importing_the_same_cameras_again_registers_none_twice_and_changes_none(grids: Town) -> None:
    _import(grids, "watch_cameras", CAMERA_HEADERS, _cameras())
    rows = _cameras()
    rows[0][1] = "改了名字"
    rows.append(["SH-XQ-104", "新路口", "徐桥村", "5组", 114.9, 30.4, "", "", "", "", ""])
    again = _import(grids, "watch_cameras", CAMERA_HEADERS, rows)
    assert again.imported_rows == 1 and Camera.objects.count() == 4
    assert [o["message"] for o in again.outcome][0] == "已有编号为“SH-XQ-101”的摄像机,跳过(不修改)。"
    assert Camera.objects.get(code="SH-XQ-101").name == "徐桥村5组路口"


def test_a_code_the_town_uses_in_another_village_is_an_error_not_a_skip(grids: Town) -> None:
    f.camera(grids.fashuihe.grid, "SH-XQ-103", "发水河村的摄像机")
    job = upload_job(grids.client_for("xuqiao"), "watch_cameras", CAMERA_HEADERS, _cameras())
    assert messages_at(job, 4, "编号") == ["本镇已有编号为“SH-XQ-103”的摄像机,且不在您的管辖范围内。"]


def test_the_camera_template_and_jobs_stay_in_scope(grids: Town) -> None:
    xq, fsh = grids.client_for("xuqiao"), grids.client_for("fashuihe")
    url = reverse("spreadsheets:template_download", args=["watch_cameras"])
    wb = load_workbook(io.BytesIO(xq.get(url).content))
    assert [r[:3] for r in wb["可选网格"].iter_rows(min_row=2, values_only=True)] == [
        ("徐桥村", "5组", None),
        ("徐桥村", "6组", "420704101006"),
    ]
    assert [c.value for c in wb.worksheets[0][2]][2:4] == ["徐桥村", "5组"]
    assert "填写说明" in wb.sheetnames
    assert grids.client_for("gridworker").get(url).status_code == 403  # WATCH, but no IMPORT
    job = upload_job(xq, "watch_cameras", CAMERA_HEADERS, _cameras())
    for name in ("import_detail", "import_progress", "import_errors"):
        assert fsh.get(reverse(f"spreadsheets:{name}", args=[job.pk])).status_code == 404
    assert fsh.post(reverse("spreadsheets:import_confirm", args=[job.pk]), {"mode": "all"}).status_code == 404
    assert not Camera.objects.exists()


def test_the_camera_list_links_to_its_import_for_those_who_may_import(grids: Town) -> None:
    link = f'href="{reverse("spreadsheets:import_new")}?kind=watch_cameras"'
    assert link in grids.client_for("xuqiao").get(reverse("cameras:camera_list")).content.decode()
    response = grids.client_for("gridworker").get(reverse("cameras:camera_list"))
    assert response.status_code == 200 and link not in response.content.decode()


# ---- patrol team members ------------------------------------------------------------------------


@dataclass
class Teams:
    town: Town
    village: PatrolTeam
    market: PatrolTeam
    militia: Resident
    volunteer: Volunteer
    resident_volunteer: Volunteer

    def id_of(self, resident: Resident) -> str:
        return decrypt_id_number(resident.id_cipher)


@pytest.fixture
def teams(town: Town) -> Teams:
    admin = town.users["admin"]
    village = patrols.team_set_up(actor=admin, area=town.xuqiao.area, name="徐桥村巡逻队")
    market = patrols.team_set_up(actor=admin, area=town.town, name="集镇夜间巡逻队")
    militia = f.resident(town.xuqiao.household, "李强")
    volunteer = f.volunteer(town.xuqiao.area, "王志愿", phone="13900001111")
    other = f.resident(town.xuqiao.household, "黄小梅", sex="F")
    resident_volunteer = f.volunteer(town.xuqiao.area, "黄小梅", resident=other)
    return Teams(town, village, market, militia, volunteer, resident_volunteer)


def _members(t: Teams) -> list[list[Any]]:
    return [
        ["徐桥村巡逻队", "", "党员", "黄文华", t.id_of(t.town.xuqiao.head), "", "2026-01-01", ""],
        ["徐桥村巡逻队", "徐桥村", "民兵", "", t.id_of(t.militia), "", "", ""],
        ["徐桥村巡逻队", "", "民兵", "赵民兵", "", "", "", ""],
        ["徐桥村巡逻队", "", "志愿者", "王志愿", "", "139-0000-1111", "", ""],
        ["徐桥村巡逻队", "", "志愿者", "", t.id_of(t.resident_volunteer.resident), "", "", ""],  # type: ignore[arg-type]
    ]


def test_a_good_member_file_adds_each_person_to_the_team(teams: Teams) -> None:
    job = _import(teams.town, "patrol_members", MEMBER_HEADERS, _members(teams))
    assert job.imported_rows == 5
    got = {(m.kind, m.name): m for m in PatrolMember.objects.filter(team=teams.village)}
    assert set(got) == {
        ("party_member", "黄文华"),
        ("militia", "李强"),
        ("militia", "赵民兵"),
        ("volunteer", "王志愿"),
        ("volunteer", "黄小梅"),
    }
    assert got[("party_member", "黄文华")].party_member == teams.town.xuqiao.member
    assert str(got[("party_member", "黄文华")].joined_on) == "2026-01-01"
    assert got[("militia", "李强")].resident == teams.militia
    assert got[("militia", "赵民兵")].resident is None
    assert got[("volunteer", "王志愿")].volunteer == teams.volunteer
    assert got[("volunteer", "黄小梅")].volunteer == teams.resident_volunteer


def test_bad_member_rows_are_named_in_chinese_with_no_id_number_and_nothing_is_saved(teams: Teams) -> None:
    good_id = teams.id_of(teams.militia)
    bad_id = good_id[:-1] + ("0" if good_id[-1] != "0" else "1")
    rows = _members(teams)
    rows[0][4] = bad_id  # a wrong check digit
    rows[1][2] = "队长"
    rows[2][0] = "集镇夜间巡逻队"  # the town's team: not 徐桥村's secretary's
    rows[3][5] = "13900002222"  # no such volunteer
    rows.append(["徐桥村巡逻队", "", "党员", "", good_id, "", "", ""])  # 李强 is no party member
    rows.append(["徐桥村巡逻队", "", "民兵", "李四", good_id, "", "", ""])  # not 李强's name
    rows.append(rows[4])  # row 6 again
    client = teams.town.client_for("xuqiao")
    job = upload_job(client, "patrol_members", MEMBER_HEADERS, rows)
    assert messages_at(job, 2, "身份证号")[0].startswith("身份证号校验位错误")
    assert messages_at(job, 3, "身份") == ["应为以下之一:党员、民兵、志愿者。"]
    assert messages_at(job, 4, "巡逻队") == ["未找到巡逻队“集镇夜间巡逻队”,或该队不在您的管辖范围内。"]
    assert messages_at(job, 5, "手机号") == ["志愿者名册中没有对应的志愿者(或不在您的管辖范围内),请先登记志愿者。"]
    assert messages_at(job, 7, "身份证号") == ["该居民没有党员档案。"]
    assert messages_at(job, 8, "姓名") == ["姓名与该身份证号登记的居民姓名不一致。"]
    assert messages_at(job, 9, "身份证号") == ["与第 6 行重复。"]
    assert job.good_rows == 1
    confirm(client, job, "all")
    assert not PatrolMember.objects.exists()
    shown = _shown(teams.town, job)
    for number in (good_id, bad_id, teams.id_of(teams.town.xuqiao.head)):
        assert number not in shown and number[6:14] not in shown


def test_another_village_s_secretary_finds_none_of_the_team(teams: Teams) -> None:
    job = upload_job(teams.town.client_for("fashuihe"), "patrol_members", MEMBER_HEADERS, _members(teams))
    assert (job.good_rows, job.error_rows) == (0, 5)
    assert messages_at(job, 2, "巡逻队") == ["未找到巡逻队“徐桥村巡逻队”,或该队不在您的管辖范围内。"]
    # The town's administrator reaches the market town's team; 徐桥村's people are in the town.
    rows = [["集镇夜间巡逻队", "宋河镇", *r[2:]] for r in _members(teams)]
    job = _import(teams.town, "patrol_members", MEMBER_HEADERS, rows, username="admin")
    assert PatrolMember.objects.filter(team=teams.market).count() == 5


def test_importing_the_same_members_again_adds_none_twice(teams: Teams) -> None:
    _import(teams.town, "patrol_members", MEMBER_HEADERS, _members(teams))
    again = _import(teams.town, "patrol_members", MEMBER_HEADERS, _members(teams))
    assert again.imported_rows == 0 and len(again.outcome) == 5
    assert again.outcome[0]["message"] == "该队员已在“徐桥村巡逻队”,跳过。"
    assert PatrolMember.objects.count() == 5
    for number in (teams.id_of(teams.town.xuqiao.head), teams.id_of(teams.militia)):
        assert number not in _shown(teams.town, again)


def test_the_team_page_links_to_the_member_import(teams: Teams) -> None:
    link = f'href="{reverse("spreadsheets:import_new")}?kind=patrol_members"'
    url = reverse("patrols:team_detail", args=[teams.village.pk])
    assert link in teams.town.client_for("xuqiao").get(url).content.decode()
    teams.town.users["xq_grid"] = f.user("xq_grid", Role.GRID_WORKER, area=teams.town.xuqiao.area)  # no IMPORT
    response = teams.town.client_for("xq_grid").get(url)
    assert response.status_code == 200 and link not in response.content.decode()
    wb = load_workbook(io.BytesIO(teams.town.client_for("xuqiao").get(
        reverse("spreadsheets:template_download", args=["patrol_members"])
    ).content))  # fmt: skip
    assert list(wb["可选巡逻队"].iter_rows(min_row=2, values_only=True)) == [("徐桥村巡逻队", "徐桥村")]
