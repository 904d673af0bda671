"""Who may import, whose jobs one sees, bad uploads, and the progress fragment."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from hongniudai.spreadsheets.models import ImportJob, ImportStatus

from .helpers import HOUSEHOLD_HEADERS, confirm, upload, upload_job, xlsx_upload


def _job(town, username="xuqiao", **fields):
    return ImportJob.objects.create(kind="households", user=town.users[username], **fields)


@pytest.mark.parametrize("username", ["gridworker", "zhangshengfu"])
def test_users_without_import_permission_get_403(town, username):
    client = town.client_for(username)
    job = _job(town, username)  # even a job of their own (e.g. from a former role)
    for url in (
        reverse("spreadsheets:import_list"),
        reverse("spreadsheets:import_new"),
        reverse("spreadsheets:template_download", args=["residents"]),
        reverse("spreadsheets:import_detail", args=[job.pk]),
        reverse("spreadsheets:import_progress", args=[job.pk]),
    ):
        assert client.get(url).status_code == 403, url
    response = upload(client, "households", xlsx_upload(HOUSEHOLD_HEADERS, [["黄家湾", "X", "1 号", "", "", ""]]))
    assert response.status_code == 403
    assert ImportJob.objects.count() == 1


def test_navigation_shows_import_only_to_importers(town):
    link = f'href="{reverse("spreadsheets:import_list")}"'
    for username, shown in (("xuqiao", True), ("admin", True), ("gridworker", False)):
        request = RequestFactory().get("/")
        request.user = town.users[username]
        assert (link in render_to_string("base.html", request=request)) is shown, username


def test_village_secretary_sees_only_own_jobs(town):
    mine = _job(town, "xuqiao", original_name="mine.xlsx")
    other = _job(town, "fashuihe", original_name="other.xlsx", area_path=town.fashuihe.area.path)
    client = town.client_for("xuqiao")
    listing = client.get(reverse("spreadsheets:import_list")).content.decode()
    assert "mine.xlsx" in listing and "other.xlsx" not in listing
    for name in ("import_detail", "import_progress", "import_errors"):
        assert client.get(reverse(f"spreadsheets:{name}", args=[other.pk])).status_code == 404
    assert client.post(reverse("spreadsheets:import_confirm", args=[other.pk]), {"mode": "all"}).status_code == 404
    assert client.get(reverse("spreadsheets:import_detail", args=[mine.pk])).status_code == 200


def test_town_admin_sees_jobs_in_scope_but_only_the_owner_confirms(town):
    client = town.client_for("xuqiao")
    job = upload_job(client, "households", HOUSEHOLD_HEADERS, [["黄家湾", "XQ-40", "黄家湾 40 号", "", "", ""]])
    assert job.area_path == town.xuqiao.area.path
    admin = town.client_for("admin")
    assert admin.get(reverse("spreadsheets:import_detail", args=[job.pk])).status_code == 200
    assert str(job.original_name) in admin.get(reverse("spreadsheets:import_list")).content.decode()
    assert confirm(admin, job, "all").status_code == 403
    assert town.client_for("fashuihe").get(reverse("spreadsheets:import_detail", args=[job.pk])).status_code == 404


def test_non_xlsx_uploads_get_a_chinese_error_and_no_job(town):
    client = town.client_for("xuqiao")
    response = upload(client, "households", SimpleUploadedFile("data.txt", "湾组,户编号\n".encode()))
    assert response.status_code == 200
    assert "只能上传 Excel 工作簿(.xlsx)文件" in response.content.decode()
    renamed = SimpleUploadedFile("data.xlsx", "这不是 Excel 文件\n".encode())
    response = upload(client, "households", renamed)
    assert response.status_code == 200
    assert "文件无法作为 Excel 工作簿(.xlsx)打开" in response.content.decode()
    assert ImportJob.objects.count() == 0


@override_settings(IMPORT_MAX_BYTES=1024)
def test_too_large_upload_is_refused(town):
    rows = [["黄家湾", f"XQ-{i}", f"黄家湾 {i} 号", "", "", "x" * 50] for i in range(200)]
    response = upload(town.client_for("xuqiao"), "households", xlsx_upload(HOUSEHOLD_HEADERS, rows))
    assert response.status_code == 200
    assert "文件太大" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_progress_fragment_polls_while_running_and_stops_when_finished(town):
    job = _job(town, status=ImportStatus.VALIDATING, total_rows=400, processed_rows=100)
    client = town.client_for("xuqiao")
    url = reverse("spreadsheets:import_progress", args=[job.pk])
    html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in html and f'hx-get="{url}"' in html
    assert "progress-bar" in html and "width: 25%" in html and "已处理 100 / 400 行" in html
    detail = client.get(reverse("spreadsheets:import_detail", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in detail

    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.VALIDATED, processed_rows=400)
    response = client.get(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "hx-trigger" not in html and "width: 100%" in html
    assert response["HX-Refresh"] == "true"  # reload once to show the counts and the buttons


def test_detail_page_shows_counts_errors_and_error_download(town):
    client = town.client_for("xuqiao")
    job = upload_job(
        client,
        "households",
        HOUSEHOLD_HEADERS,
        [["黄家湾", "XQ-50", "黄家湾 50 号", "", "", ""], ["李家湾", "XQ-51", "1 号", "", "", ""]],
    )
    html = client.get(reverse("spreadsheets:import_detail", args=[job.pk])).content.decode()
    assert "只导入无误的行" in html and "未找到湾组“李家湾”" in html
    assert 'id="count-errors">1<' in html and 'id="count-good">1<' in html
    response = client.get(reverse("spreadsheets:import_errors", args=[job.pk]))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("行号", "列", "错误原因")
    assert rows[1][:2] == (3, "湾组")
