"""Helpers for the import tests: workbooks built in memory with openpyxl, uploads through the pages.

A test runs inside one transaction that never commits, so the work a service leaves for after its
commit (queuing the validation or the import task) would never run. `upload_job` and `confirm`
stand for a user's request followed by its commit: they run that work, with pytest-django's
`django_capture_on_commit_callbacks(execute=True)` (the fixture is `TestCase.captureOnCommitCallbacks`).
A test that looks at that work itself uses the fixture directly.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse
from openpyxl import Workbook

from hongniudai.spreadsheets.models import ImportJob

HOUSEHOLD_HEADERS = ["湾组", "户编号", "住址", "脱贫户", "监测户", "备注"]
RESIDENT_HEADERS = [
    "户编号",
    "姓名",
    "身份证号",
    "性别",
    "手机号",
    "与户主关系",
    "退役军人",
    "返乡能人",
    "残疾人",
    "备注",
]
MEMBER_HEADERS = ["姓名", "身份证号", "所在党支部", "党小组", "党员类别", "入党日期", "转正日期", "党内职务", "备注"]


def xlsx_bytes(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_upload(headers: Sequence[str], rows: Sequence[Sequence[Any]], name: str = "data.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, xlsx_bytes(headers, rows))


def upload(client: Client, kind: str, file: Any) -> Any:
    return client.post(reverse("spreadsheets:import_new"), {"kind": kind, "file": file})


def upload_job(client: Client, kind: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> ImportJob:
    """Upload a workbook, commit (its validation runs: huey is inline under the test settings), return its job."""
    before = set(ImportJob.objects.values_list("pk", flat=True))
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = upload(client, kind, xlsx_upload(headers, rows))
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.exclude(pk__in=before).get()
    assert response["Location"] == reverse("spreadsheets:import_detail", args=[job.pk])
    return job


def confirm(client: Client, job: ImportJob, mode: str, *, follow: bool = False) -> Any:
    """Confirm the job's import through its page and commit (the import runs)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("spreadsheets:import_confirm", args=[job.pk]), {"mode": mode}, follow=follow)


def errors_of(job: ImportJob) -> set[tuple[int, str]]:
    job.refresh_from_db()
    return {(e["row"], e["column"]) for e in job.errors}


def messages_at(job: ImportJob, row: int, column: str) -> list[str]:
    return [e["message"] for e in job.errors if e["row"] == row and e["column"] == column]
