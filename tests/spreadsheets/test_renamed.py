"""The package was named `transfer` (a word kept for 组织关系转接): its old addresses still answer,
an existing database keeps its import jobs, and old audit rows still read as import jobs."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from hongniudai.audit.models import AuditEvent
from hongniudai.spreadsheets.models import ImportJob, ImportStatus

from .helpers import HOUSEHOLD_HEADERS, upload_job

carry_over_migration = importlib.import_module("hongniudai.spreadsheets.migrations.0002_carry_over_transfer_jobs")

ROWS = [["黄家湾", "XQ-60", "黄家湾 60 号", "", "", ""]]


def test_the_import_pages_are_under_imports(town):
    assert reverse("spreadsheets:import_list") == "/imports/"
    response = town.client_for("xuqiao").get("/imports/")
    assert response.status_code == 200 and "数据导入" in response.content.decode()


def test_old_addresses_redirect_permanently_to_the_same_page(town):
    client = town.client_for("xuqiao")
    job = upload_job(client, "households", HOUSEHOLD_HEADERS, ROWS)
    for old, new in (
        ("/transfer/imports/", "/imports/"),
        ("/transfer/imports/new/?kind=residents", "/imports/new/?kind=residents"),
        ("/transfer/imports/templates/households.xlsx", "/imports/templates/households.xlsx"),
        (f"/transfer/imports/{job.pk}/", f"/imports/{job.pk}/"),
        (f"/transfer/imports/{job.pk}/progress/", f"/imports/{job.pk}/progress/"),
        (f"/transfer/imports/{job.pk}/errors.xlsx", f"/imports/{job.pk}/errors.xlsx"),
    ):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (308, new), old
        assert client.get(new).status_code == 200, new


def test_a_confirmation_posted_to_the_old_address_still_imports(town):
    client = town.client_for("xuqiao")
    job = upload_job(client, "households", HOUSEHOLD_HEADERS, ROWS)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/transfer/imports/{job.pk}/confirm/", {"mode": "all"}, follow=True)
    assert response.redirect_chain[0] == (f"/imports/{job.pk}/confirm/", 308)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.imported_rows == 1


def test_old_addresses_of_others_jobs_are_still_404(town):
    other = ImportJob.objects.create(kind="households", user=town.users["fashuihe"], area_path=town.fashuihe.area.path)
    client = town.client_for("xuqiao")
    assert client.get(f"/transfer/imports/{other.pk}/", follow=True).status_code == 404


def _old_jobs_table(offset: int) -> list[int]:
    """Make the database look like one migrated before the rename: the jobs (ids shifted by `offset`)
    in `transfer_importjob`, the old app's migration record and content type."""
    columns = carry_over_migration.COLUMNS
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    selected = ", ".join(f"id + {offset}" if c == "id" else connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE transfer_importjob AS SELECT * FROM spreadsheets_importjob WHERE 1 = 0")
        cursor.execute(f"INSERT INTO transfer_importjob ({quoted}) SELECT {selected} FROM spreadsheets_importjob")
        cursor.execute("DELETE FROM spreadsheets_importjob")
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES (%s, %s, %s)",
            ["transfer", "0001_initial", timezone.now()],
        )
        cursor.execute("SELECT id FROM transfer_importjob ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def _carry_over() -> None:
    schema_editor = SimpleNamespace(connection=connection, quote_name=connection.ops.quote_name)
    carry_over_migration.carry_over(apps, schema_editor)
    ContentType.objects.clear_cache()


def test_the_migration_carries_the_old_jobs_over_with_their_ids(town):
    client = town.client_for("xuqiao")
    done = upload_job(client, "households", HOUSEHOLD_HEADERS, ROWS)
    failed = ImportJob.objects.create(
        kind="members", user=town.users["admin"], status=ImportStatus.FAILED, failure="坏文件", errors=[{"row": 2}]
    )
    before = {j.pk + 1000: j for j in ImportJob.objects.all()}
    ContentType.objects.filter(app_label="spreadsheets").delete()
    ContentType.objects.create(app_label="transfer", model="importjob")
    assert _old_jobs_table(1000) == sorted(before)

    _carry_over()

    with connection.cursor() as cursor:
        assert "transfer_importjob" not in connection.introspection.table_names(cursor)
        cursor.execute("SELECT COUNT(*) FROM django_migrations WHERE app = %s", ["transfer"])
        assert cursor.fetchone()[0] == 0
    moved = {j.pk: j for j in ImportJob.objects.all()}
    assert set(moved) == set(before)
    for pk, old in before.items():
        new = moved[pk]
        for field in ("kind", "user_id", "status", "total_rows", "good_rows", "errors", "failure", "area_path"):
            assert getattr(new, field) == getattr(old, field), field
        assert new.created_at == old.created_at and new.file.name == old.file.name
    assert moved[done.pk + 1000].good_rows == 1 and moved[failed.pk + 1000].failure == "坏文件"
    # The old content type now names the new app; nothing names `transfer` any more.
    assert not ContentType.objects.filter(app_label="transfer").exists()
    assert ContentType.objects.get_for_model(ImportJob).app_label == "spreadsheets"
    # A new job takes an id after the carried ones, and its page answers.
    fresh = upload_job(client, "households", HOUSEHOLD_HEADERS, [["黄家湾", "XQ-61", "黄家湾 61 号", "", "", ""]])
    assert fresh.pk > max(before)
    assert client.get(reverse("spreadsheets:import_detail", args=[done.pk + 1000])).status_code == 200


def test_the_migration_does_nothing_on_a_fresh_database(town):
    job = ImportJob.objects.create(kind="households", user=town.users["xuqiao"])
    _carry_over()
    assert list(ImportJob.objects.values_list("pk", flat=True)) == [job.pk]
    assert ContentType.objects.get_for_model(ImportJob).app_label == "spreadsheets"


def test_audit_rows_written_before_the_rename_still_read_as_import_jobs(town):
    client = town.client_for("xuqiao")
    job = upload_job(client, "households", HOUSEHOLD_HEADERS, ROWS)
    AuditEvent.objects.create(
        actor=town.users["xuqiao"],
        actor_name="xuqiao",
        action="import",
        target_type="transfer.importjob",
        target_id=str(job.pk),
        target_repr="住户 · 旧文件.xlsx",
        changes={"kind": "households", "total": 7, "errors": 2},
        note="校验完成",
        area_path=job.area_path,
    )
    admin = town.client_for("admin")
    page = admin.get(reverse("audit:list"), {"target_type": "transfer.importjob"}).content.decode()
    assert "旧文件.xlsx" in page and "导入任务" in page and "数据行数" in page and "有误行数" in page
    for target_type in ("transfer.importjob", "spreadsheets.importjob"):
        history = admin.get(reverse("audit:history", args=[target_type, job.pk]))
        assert history.status_code == 200, target_type
        body = history.content.decode()
        # The job's history holds the old row (its counts) and the new ones (the upload's file name).
        assert "数据行数" in body and "data.xlsx" in body, target_type
