"""Creating a job: it is audited, and its validation is queued only once the upload is committed."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from hongniudai.audit.models import AuditEvent
from hongniudai.spreadsheets import events, services, tasks
from hongniudai.spreadsheets.models import ImportJob, ImportStatus

from .helpers import HOUSEHOLD_HEADERS, confirm, upload_job, xlsx_upload

ROWS = [["黄家湾", "XQ-20", "黄家湾 20 号", "", "", ""]]


def test_an_upload_is_audited_with_its_kind_and_file_name(town):
    job = services.create_job(
        actor=town.users["xuqiao"], kind="households", upload=xlsx_upload(HOUSEHOLD_HEADERS, ROWS, "户.xlsx")
    )
    event = AuditEvent.objects.get(
        action=events.IMPORT_UPLOADED, target_type="spreadsheets.importjob", target_id=str(job.pk), note="上传文件"
    )
    assert event.actor_name == "xuqiao"
    assert event.changes == {"kind": "households", "file": "户.xlsx"}
    assert event.area_path == job.area_path


def test_validation_is_queued_after_the_commit(town, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        job = services.create_job(
            actor=town.users["xuqiao"], kind="households", upload=xlsx_upload(HOUSEHOLD_HEADERS, ROWS)
        )
    job.refresh_from_db()
    assert job.status == ImportStatus.PENDING
    assert len(callbacks) == 1
    callbacks[0]()
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED and job.good_rows == 1


def test_no_validation_is_queued_when_the_upload_is_rolled_back(town, django_capture_on_commit_callbacks, monkeypatch):
    queued: list[int] = []
    monkeypatch.setattr(tasks, "validate_job", queued.append)
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.create_job(
                actor=town.users["xuqiao"], kind="households", upload=xlsx_upload(HOUSEHOLD_HEADERS, ROWS)
            )
            raise RuntimeError
    assert callbacks == [] and queued == []
    assert not ImportJob.objects.exists()
    assert not AuditEvent.objects.filter(target_type="spreadsheets.importjob").exists()


def test_no_import_is_queued_when_the_confirmation_is_rolled_back(
    town, django_capture_on_commit_callbacks, monkeypatch
):
    queued: list[int] = []
    user = town.users["xuqiao"]
    with django_capture_on_commit_callbacks(execute=True):
        job = services.create_job(actor=user, kind="households", upload=xlsx_upload(HOUSEHOLD_HEADERS, ROWS))
    monkeypatch.setattr(tasks, "import_job", queued.append)
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.start_import(actor=user, job=ImportJob.objects.get(pk=job.pk), mode="all")
            raise RuntimeError
    assert callbacks == [] and queued == []
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED


def test_each_step_of_a_job_records_its_named_action_and_the_audit_page_names_it(town):
    client = town.client_for("xuqiao")
    job = upload_job(client, "households", HOUSEHOLD_HEADERS, ROWS)
    confirm(client, job, "all")
    rows = AuditEvent.objects.filter(target_type="spreadsheets.importjob", target_id=str(job.pk)).order_by("id")
    assert [(e.action, e.note) for e in rows] == [
        (events.IMPORT_UPLOADED, "上传文件"),
        (events.IMPORT_VALIDATED, "校验完成"),
        (events.IMPORTED, "导入完成"),  # the platform's own `import`: data came in
    ]
    page = town.client_for("admin").get(reverse("audit:list"), {"target_type": "spreadsheets.importjob"})
    html = page.content.decode()
    for label in ("上传导入文件", "导入文件校验完成", "导入"):
        assert f'<span class="badge text-bg-secondary">{label}</span>' in html, label
