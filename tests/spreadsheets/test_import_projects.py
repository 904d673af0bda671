"""Importing projects, their milestones and their blockers from Excel through the projects' services:
row errors in Chinese, all or nothing, only where the importer records projects, and never twice."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hongniudai.projects.models import Blocker, BlockerStatus, BlockerStep, Milestone, Project, StepKind
from tests.conftest import Town
from tests.projects.records import park_records

from .helpers import confirm, messages_at, upload_job

PROJECT_HEADERS = ["项目名称", "所在园区或镇", "业主企业", "施工及承建单位", "项目类型", "计划投资(元)",
                   "累计完成投资(元)", "项目状态", "牵头领导", "服务专班", "签约日期", "备注"]  # fmt: skip
MILESTONE_HEADERS = ["项目", "阶段", "节点名称", "权重", "计划完成日期", "实际完成日期", "备注"]
BLOCKER_HEADERS = ["项目", "问题类别", "问题描述", "责任部门", "责任人", "企业反映人", "提出日期", "办理时限",
                   "状态", "备注"]  # fmt: skip


@pytest.fixture
def park(town: Town) -> dict[str, Any]:
    return park_records(town)


def _projects() -> list[list[Any]]:
    return [
        ["高纯电子化学品项目", "宋河精细化工产业园", "91420704MA4KXXXX1X", "湖北建工", "工业项目",
         "300000000.50", 1200000, "在建", "lizhuanban", "专班一", "2025-03-01", ""],
        ["镇区污水管网", "宋河镇", "", "", "基础设施", "", "", "", "", "", "", ""],
    ]  # fmt: skip


def _blockers() -> list[list[Any]]:
    return [
        ["年产5万吨精细化学品项目", "场地平整", "厂区北侧土方未平整", "镇建设办", "wangganbu", "张经理",
         "2026-01-05", 10, "待处理", ""],
        ["年产5万吨精细化学品项目", "审批", "环评批复待出", "", "", "", "", "2099-12-31", "处理中", "已对接县环保局"],
    ]  # fmt: skip


def _import(town: Town, kind: str, headers: list[str], rows: list[list[Any]], username: str = "admin") -> Any:
    client = town.client_for(username)
    job = upload_job(client, kind, headers, rows)
    assert job.error_rows == 0, job.errors
    confirm(client, job, "all")
    job.refresh_from_db()
    assert job.status == "done", job.errors
    return job


def test_a_good_file_registers_the_projects_with_exact_yuan(town: Town, park: dict[str, Any]) -> None:
    job = _import(town, "projects", PROJECT_HEADERS, _projects())
    assert job.imported_rows == 2
    chem = Project.objects.get(name="高纯电子化学品项目")
    assert (chem.area, chem.owner, chem.team, chem.leader) == (town.park, park["firm"], park["team"],
                                                               town.users["leader"])  # fmt: skip
    assert (chem.planned_investment, chem.invested) == (Decimal("300000000.50"), Decimal("1200000.00"))
    assert (chem.kind, chem.status, str(chem.signed_on)) == ("industrial", "building", "2025-03-01")
    sewer = Project.objects.get(name="镇区污水管网")
    assert (sewer.area, sewer.kind, sewer.status, sewer.planned_investment) == (town.town, "infrastructure",
                                                                                "signed", Decimal(0))  # fmt: skip


def test_milestones_follow_their_project_and_make_its_progress(town: Town, park: dict[str, Any]) -> None:
    rows = [
        ["年产5万吨精细化学品项目", "前期", "取得施工许可", 1, "2025-10-01", "2025-09-20", ""],
        ["年产5万吨精细化学品项目", "投产", "试生产", "1.5", "2027-01-01", "", ""],
    ]
    job = _import(town, "project_milestones", MILESTONE_HEADERS, rows)
    assert job.imported_rows == 2
    names = set(Milestone.objects.filter(project=park["project"]).values_list("name", "weight"))
    assert names == {("主体厂房封顶", Decimal(2)), ("取得施工许可", Decimal(1)), ("试生产", Decimal("1.5"))}
    page = town.client_for("admin").get(reverse("projects:project_detail", args=[park["project"].pk]))
    assert "22%" in page.content.decode()  # 1 of 4.5 done


def test_a_good_file_raises_the_blockers_open_or_in_progress(town: Town, park: dict[str, Any]) -> None:
    job = _import(town, "project_blockers", BLOCKER_HEADERS, _blockers())
    assert job.imported_rows == 2
    site = Blocker.objects.get(description="厂区北侧土方未平整")
    assert (site.category.name, site.owner, site.owner_department, site.contact_name) == (
        "场地平整",
        town.users["cadre"],
        "镇建设办",
        "张经理",
    )
    assert (str(site.raised_at.date()), site.status) == ("2026-01-05", BlockerStatus.OPEN)
    assert str(site.due_at.date()) == "2026-01-19"  # ten working days after 5 January 2026
    approval = Blocker.objects.get(description="环评批复待出")
    assert (approval.status, str(approval.due_at.date())) == (BlockerStatus.IN_PROGRESS, "2099-12-31")
    steps = list(BlockerStep.objects.filter(blocker=approval).values_list("kind", "text"))
    assert steps == [(StepKind.RAISED, ""), (StepKind.STEP, "已对接县环保局")]


def test_bad_rows_are_named_in_chinese_and_nothing_is_saved(town: Town, park: dict[str, Any]) -> None:
    rows = _projects()
    rows[0][5] = "300000000.555"
    rows[0][6] = -1
    rows[0][9] = "专班九"
    rows[1][2] = "不存在的公司"
    rows[1][8] = "nobody"
    rows.append(["镇区污水管网", "宋河镇", "", "", "水利项目", "", "", "完工", "", "", "", ""])
    job = upload_job(town.client_for("admin"), "projects", PROJECT_HEADERS, rows)
    assert messages_at(job, 2, "计划投资(元)") == ["金额最多保留两位小数(到分)。"]
    assert messages_at(job, 2, "累计完成投资(元)") == ["金额不能为负数。"]
    assert messages_at(job, 2, "服务专班") == ["未找到专班“专班九”:请先在“服务专班”页面建立专班,导入不会新建专班。"]
    assert messages_at(job, 3, "业主企业") == [
        "未找到名称或统一社会信用代码为“不存在的公司”的企业,或该企业不在您的管辖范围内。"
    ]
    assert messages_at(job, 3, "牵头领导") == ["未找到用户名或姓名为“nobody”的园区或镇干部。"]
    assert messages_at(job, 4, "项目名称") == ["与第 3 行重复。"]
    assert messages_at(job, 4, "项目类型") == ["应为以下之一:工业项目、基础设施、农业项目、其他。"]
    assert (job.good_rows, job.error_rows) == (0, 3)
    confirm(town.client_for("admin"), job, "all")
    assert not Project.objects.exclude(pk=park["project"].pk).exists()


def test_bad_blocker_rows_are_named_and_a_solved_one_is_refused(town: Town, park: dict[str, Any]) -> None:
    rows = _blockers()
    rows[0][1] = "治安"
    rows[1][8] = "已销号"
    rows.append(["没有的项目", "用工", "缺人", "", "", "", "2099-01-01", "2020-01-01", "", ""])
    rows.append(["年产5万吨精细化学品项目", "用工", "缺人", "", "", "", "2026-02-02", "2026-01-01", "", ""])
    rows.append(["年产5万吨精细化学品项目", "用工", "缺人", "", "", "", "", "300", "", ""])
    job = upload_job(town.client_for("admin"), "project_blockers", BLOCKER_HEADERS, rows)
    assert messages_at(job, 2, "问题类别")[0].startswith("本镇没有堵点类别“治安”,应为以下之一:用工、场地平整")
    assert messages_at(job, 3, "状态") == [
        "导入的问题只能是“待处理”或“处理中”:问题解决须在平台上填写解决情况或上传佐证材料,并由专班组长销号。"
    ]
    assert messages_at(job, 4, "项目") == ["未找到项目“没有的项目”,或该项目不在您的管辖范围内。"]
    assert messages_at(job, 4, "提出日期") == ["日期不能晚于今天。"]
    assert messages_at(job, 5, "办理时限") == ["办结日期不能早于提出日期。"]
    assert messages_at(job, 6, "办理时限") == ["须是 1 至 250 之间的整数。"]
    assert messages_at(job, 6, "问题描述") == ["与第 5 行重复。"]
    assert job.error_rows == 5
    assert Blocker.objects.count() == 1  # the park's own


def test_out_of_scope_rows_are_refused_row_by_row(town: Town, park: dict[str, Any]) -> None:
    # A village secretary imports (IMPORT over the village) but records no projects in the park.
    xq = town.client_for("xuqiao")
    job = upload_job(xq, "projects", PROJECT_HEADERS, _projects())
    assert messages_at(job, 2, "所在园区或镇") == ["未找到园区或镇“宋河精细化工产业园”,或不在您的管辖范围内。"]
    assert (job.good_rows, job.error_rows) == (0, 2)
    job = upload_job(xq, "project_blockers", BLOCKER_HEADERS, _blockers())
    assert messages_at(job, 2, "项目") == ["未找到项目“年产5万吨精细化学品项目”,或该项目不在您的管辖范围内。"]
    # Nor does the template list what they cannot name.
    content = xq.get(reverse("spreadsheets:template_download", args=["projects"])).content
    wb = load_workbook(io.BytesIO(content))
    assert [r for r in wb["可选园区和专班"].iter_rows(min_row=2, values_only=True)] == [
        ("(您的管辖范围内没有可选项)", None)
    ]


def test_importing_the_same_files_again_writes_nothing_twice(town: Town, park: dict[str, Any]) -> None:
    _import(town, "projects", PROJECT_HEADERS, _projects())
    again = _import(town, "projects", PROJECT_HEADERS, _projects())
    assert again.imported_rows == 0
    assert [o["message"] for o in again.outcome] == [
        "宋河精细化工产业园已有项目“高纯电子化学品项目”,跳过。",
        "宋河镇已有项目“镇区污水管网”,跳过。",
    ]
    _import(town, "project_blockers", BLOCKER_HEADERS, _blockers())
    blockers = _import(town, "project_blockers", BLOCKER_HEADERS, _blockers())
    assert blockers.imported_rows == 0
    rows = [["年产5万吨精细化学品项目", "", "主体厂房封顶", 2, "2026-06-30", "", ""]]
    milestones = _import(town, "project_milestones", MILESTONE_HEADERS, rows)
    assert milestones.imported_rows == 0
    assert (Project.objects.count(), Blocker.objects.count(), Milestone.objects.count()) == (3, 3, 1)


def test_templates_have_an_example_row_and_say_a_solved_blocker_is_not_imported(town: Town, park: Any) -> None:
    client = town.client_for("admin")
    for kind, title in (("projects", "项目"), ("project_milestones", "项目节点"), ("project_blockers", "堵点问题")):
        wb = load_workbook(io.BytesIO(client.get(reverse("spreadsheets:template_download", args=[kind])).content))
        assert wb.worksheets[0].title == title
        assert wb.worksheets[0]["A2"].value
    notes = " ".join(str(r[0]) for r in wb["填写说明"].iter_rows(values_only=True) if r[0])
    assert "导入不会使问题“已解决”或“已销号”" in notes
    assert ("宋河镇", "用工", "10") in set(wb["可选类别"].iter_rows(min_row=2, values_only=True))


def test_the_lists_offer_the_import(town: Town, park: dict[str, Any]) -> None:
    client = town.client_for("admin")
    page = client.get(reverse("projects:project_list")).content.decode()
    assert reverse("spreadsheets:import_new") + "?kind=projects" in page
    board = client.get(reverse("projects:blocker_board")).content.decode()
    assert reverse("spreadsheets:import_new") + "?kind=project_blockers" in board
    # A team cadre records projects but imports nothing: no button.
    cadre = town.client_for("cadre").get(reverse("projects:project_list")).content.decode()
    assert "?kind=projects" not in cadre


def test_another_town_s_job_is_not_found(town: Town, park: dict[str, Any]) -> None:
    job = upload_job(town.client_for("admin"), "projects", PROJECT_HEADERS, _projects())
    for name in ("spreadsheets:import_detail", "spreadsheets:import_errors"):
        assert town.client_for("xuqiao").get(reverse(name, args=[job.pk])).status_code == 404
