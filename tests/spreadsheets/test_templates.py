from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hongniudai.places.models import Household

from .helpers import confirm, upload_job


def _template(client, kind):
    response = client.get(reverse("spreadsheets:template_download", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def _column(ws, header):
    for cell in ws[1]:
        if str(cell.value).rstrip("*") == header:
            return cell.column_letter
    raise AssertionError(f"no column {header}")


@pytest.mark.parametrize(
    ("kind", "headers", "text_columns"),
    [
        ("households", ["湾组", "户编号", "住址", "脱贫户", "监测户"], ["户编号"]),
        (
            "residents",
            ["户编号", "姓名", "身份证号", "性别", "手机号", "与户主关系", "退役军人", "返乡能人", "残疾人"],
            ["身份证号", "手机号"],
        ),
        ("members", ["身份证号", "所在党支部", "党小组", "党员类别", "入党日期", "转正日期", "党内职务"], ["身份证号"]),
    ],
)
def test_template_has_chinese_headers_example_text_columns_and_explanations(town, kind, headers, text_columns):
    wb = _template(town.client_for("xuqiao"), kind)
    ws = wb.worksheets[0]
    found = [str(c.value).rstrip("*") for c in ws[1]]
    for header in headers:
        assert header in found
    assert any(c.value for c in ws[2]), "an example row"
    for header in text_columns:
        letter = _column(ws, header)
        assert ws[f"{letter}2"].number_format == "@"
        assert ws.column_dimensions[letter].number_format == "@"
    help_ws = wb["填写说明"]
    explained = {row[0] for row in help_ws.iter_rows(values_only=True)}
    for header in headers:
        assert header in explained


def test_template_lists_allowed_values(town):
    wb = _template(town.client_for("xuqiao"), "residents")
    help_rows = {row[0]: row for row in wb["填写说明"].iter_rows(values_only=True) if row and row[0]}
    assert "户主" in help_rows["与户主关系"][3] and "儿媳/女婿" in help_rows["与户主关系"][3]
    assert help_rows["退役军人"][3] == "是、否"
    notes = " ".join(str(r[0]) for r in wb["填写说明"].iter_rows(values_only=True) if r and r[0])
    assert "户编号" in notes  # how a resident's household is found is documented
    members = _template(town.client_for("xuqiao"), "members")
    member_rows = {row[0]: row for row in members["填写说明"].iter_rows(values_only=True) if row and row[0]}
    assert "预备党员" in member_rows["党员类别"][3]


def test_household_template_lists_only_hamlets_in_scope(town):
    wb = _template(town.client_for("xuqiao"), "households")
    listed = [row[0] for row in wb["可选湾组"].iter_rows(min_row=2, values_only=True)]
    assert listed == ["徐桥村/5组/黄家湾"]
    assert wb.worksheets[0]["A2"].value == "徐桥村/5组/黄家湾"
    admin = _template(town.client_for("admin"), "households")
    assert len(list(admin["可选湾组"].iter_rows(min_row=2))) == 3


def test_filled_template_imports_real_rows_and_skips_the_example(town):
    client = town.client_for("xuqiao")
    ws = _template(client, "households").worksheets[0]
    headers = [str(c.value) for c in ws[1]]  # with the * marks, as downloaded
    example = [c.value for c in ws[2]]
    job = upload_job(client, "households", headers, [example, ["黄家湾", "XQ-05-900", "黄家湾 30 号", "是", "", ""]])
    assert job.status == "validated"
    assert (job.total_rows, job.good_rows, job.error_rows, job.skipped_example_rows) == (1, 1, 0, 1)
    confirm(client, job, "all")
    household = Household.objects.get(number="XQ-05-900")
    assert household.hamlet == town.xuqiao.hamlet and household.is_formerly_poor
    assert not Household.objects.filter(number="XQ-05-001").exists()


def test_unknown_template_kind_is_404(town):
    response = town.client_for("xuqiao").get(reverse("spreadsheets:template_download", args=["cats"]))
    assert response.status_code == 404
