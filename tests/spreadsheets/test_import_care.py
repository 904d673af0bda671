"""Importing 爱心汤 soup recipients from Excel through the soup services: row errors in Chinese with
their row numbers, all or nothing, only in the importer's villages, never twice, ID numbers masked."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.urls import reverse
from openpyxl import load_workbook

from hongniudai.care.soup import services as soup
from hongniudai.care.soup.models import RecipientStatus, RuleKind, SoupRecipient
from hongniudai.places import services as place_services
from hongniudai.places.models import Resident
from tests import factories as f
from tests.conftest import Town

from .helpers import confirm, messages_at, upload_job

HEADERS = ["村", "湾组", "姓名", "身份证号", "户编号", "送汤原因", "原因说明", "备注"]


def _resident(town: Town, name: str, birth: dt.date, number: str, **kwargs: Any) -> tuple[Resident, str]:
    hh = f.household(town.xuqiao.hamlet, f"黄家湾{number}", number=number)
    id_number = f.make_id_number(birth=birth)
    resident = place_services.create_resident(
        actor=town.users["admin"], household=hh, name=name, id_number=id_number, sex="M", relation="head", **kwargs
    )
    return resident, id_number


def _setup(town: Town) -> dict[str, Any]:
    admin = town.users["admin"]
    soup.save_rule(actor=admin, area=town.town, kind=RuleKind.AGE, min_age=80)
    soup.save_rule(actor=admin, area=town.town, kind=RuleKind.DISABLED)
    old, old_id = _resident(town, "黄老汉", dt.date(1938, 5, 1), "XQ-05-101")
    lame, lame_id = _resident(town, "黄跛子", dt.date(1970, 5, 1), "XQ-05-102", is_disabled=True)
    young, young_id = _resident(town, "黄青年", dt.date(1990, 5, 1), "XQ-05-103")
    rows = [
        ["徐桥村", "黄家湾", "黄老汉", old_id, "", "年满规定年龄", "", ""],
        ["徐桥村", "", "黄青年", "", "XQ-05-103", "人工选定", "儿女在外,独自照看瘫痪老人", ""],
        ["徐桥村", "", "黄跛子", lame_id, "", "残疾人", "", ""],
    ]
    return {"rows": rows, "old": old, "lame": lame, "young": young, "young_id": young_id}


def _import(town: Town, rows: list[list[Any]], username: str = "xuqiao") -> Any:
    client = town.client_for(username)
    job = upload_job(client, "soup_recipients", HEADERS, rows)
    assert job.error_rows == 0, job.errors
    confirm(client, job, "all")
    job.refresh_from_db()
    assert job.status == "done", job.errors
    return job


def test_a_good_file_puts_the_residents_on_the_list_for_the_village_to_approve(town: Town) -> None:
    s = _setup(town)
    job = _import(town, s["rows"])
    assert job.imported_rows == 3
    rows = {r.resident_id: r for r in SoupRecipient.objects.all()}
    assert {r.status for r in rows.values()} == {RecipientStatus.PROPOSED}
    assert (rows[s["old"].pk].reasons, rows[s["old"].pk].by_hand) == ("年满 80 周岁", False)
    assert (rows[s["lame"].pk].reasons, rows[s["lame"].pk].by_hand) == ("残疾人", False)
    assert (rows[s["young"].pk].reasons, rows[s["young"].pk].by_hand) == ("儿女在外,独自照看瘫痪老人", True)
    assert {r.village_id for r in rows.values()} == {town.xuqiao.area.pk}


def test_bad_rows_are_named_in_chinese_with_their_row_numbers_and_nothing_is_saved(town: Town) -> None:
    s = _setup(town)
    bad_id = s["young_id"][:-1] + ("0" if s["young_id"][-1] != "0" else "1")
    rows = [
        *s["rows"],
        ["徐桥村", "", "黄青年", s["young_id"], "", "年满规定年龄", "", ""],  # 5: too young, and twice in the file
        ["徐桥村", "", "黄某", bad_id, "", "人工选定", "", ""],  # 6: bad check digit, no reason
        ["徐桥村", "", "黄某", "", "XQ-05-999", "独居", "", ""],  # 7: no such household; rule not in force
        ["徐桥村", "施家湾", "黄老汉", "", "", "送米", "", ""],  # 8: no resident named; unknown reason
    ]
    job = upload_job(town.client_for("xuqiao"), "soup_recipients", HEADERS, rows)
    assert messages_at(job, 5, "姓名") == ["与第 3 行重复。"]
    assert messages_at(job, 6, "身份证号")[0].startswith("身份证号校验位错误")
    assert messages_at(job, 6, "原因说明") == ["“人工选定”时请填写原因说明。"]
    assert messages_at(job, 7, "户编号") == ["徐桥村没有户编号为“XQ-05-999”的住户。"]
    assert messages_at(job, 8, "身份证号") == ["请填写身份证号,或填写户编号和姓名。"]
    assert messages_at(job, 8, "送汤原因") == ["应为以下之一:年满规定年龄、独居、残疾人、脱贫户、人工选定。"]
    assert job.error_rows == 4
    client = town.client_for("xuqiao")
    confirm(client, job, "all")
    job.refresh_from_db()
    assert job.status == "validated" and not SoupRecipient.objects.exists()
    page = client.get(reverse("spreadsheets:import_detail", args=[job.pk])).content.decode()
    assert "第 3 行" in page or "与第 3 行重复" in page


def test_a_resident_who_does_not_meet_the_rule_named_is_refused(town: Town) -> None:
    s = _setup(town)
    rows = [["徐桥村", "", "黄青年", s["young_id"], "", "年满规定年龄", "", ""]]
    job = upload_job(town.client_for("xuqiao"), "soup_recipients", HEADERS, rows)
    assert messages_at(job, 2, "送汤原因") == ["该居民不符合“年满 80 周岁”条件。"]


def test_another_village_s_rows_are_refused_row_by_row(town: Town) -> None:
    s = _setup(town)
    job = upload_job(town.client_for("fashuihe"), "soup_recipients", HEADERS, s["rows"])
    for row in (2, 3, 4):
        assert messages_at(job, row, "村") == ["未找到村“徐桥村”,或该村不在您的管辖范围内。"]
    assert not SoupRecipient.objects.exists()


def test_importing_the_same_file_again_puts_nobody_on_the_list_twice(town: Town) -> None:
    s = _setup(town)
    _import(town, s["rows"])
    job = _import(town, s["rows"])
    assert job.imported_rows == 0
    assert SoupRecipient.objects.count() == 3
    assert [o["row"] for o in job.outcome] == ["2", "3", "4"]
    assert job.outcome[0]["message"] == "黄老汉 已在送汤名单上,跳过。"


def test_id_numbers_never_appear_in_the_errors(town: Town) -> None:
    s = _setup(town)
    rows = [["徐桥村", "", "黄某", s["young_id"], "", "人工选定", "", ""]]  # the name does not match
    job = upload_job(town.client_for("xuqiao"), "soup_recipients", HEADERS, rows)
    assert messages_at(job, 2, "姓名") == ["姓名与该身份证号登记的居民姓名不一致。"]
    page = town.client_for("xuqiao").get(reverse("spreadsheets:import_detail", args=[job.pk])).content.decode()
    assert "姓名与该身份证号登记的居民姓名不一致" in page and s["young_id"] not in page
    assert s["young_id"] not in str(job.errors)


def test_the_template_and_the_jobs_stay_in_scope(town: Town) -> None:
    s = _setup(town)
    fsh = town.client_for("fashuihe")
    response = fsh.get(reverse("spreadsheets:template_download", args=["soup_recipients"]))
    wb = load_workbook(io.BytesIO(response.content))
    assert [r[:2] for r in wb["可选村和条件"].iter_rows(min_row=2, values_only=True)] == [
        ("发水河村", "年满 80 周岁、残疾人")
    ]
    assert wb.worksheets[0]["A2"].value == "发水河村" and "填写说明" in wb.sheetnames
    assert town.client_for("gridworker").get(response.request["PATH_INFO"]).status_code == 403
    job = upload_job(town.client_for("xuqiao"), "soup_recipients", HEADERS, s["rows"])
    for name in ("import_detail", "import_progress", "import_errors"):
        assert fsh.get(reverse(f"spreadsheets:{name}", args=[job.pk])).status_code == 404
    assert fsh.post(reverse("spreadsheets:import_confirm", args=[job.pk]), {"mode": "all"}).status_code == 404


def test_the_recipients_list_links_to_the_import(town: Town) -> None:
    link = f'href="{reverse("spreadsheets:import_new")}?kind=soup_recipients"'
    assert link in town.client_for("xuqiao").get(reverse("soup:recipient_list")).content.decode()
