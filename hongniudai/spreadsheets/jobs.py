"""The background work of an import job: checking its file, then importing it once confirmed.

A job is validated by one task (nothing is written but the job's own counts and errors) and,
once its owner confirms, imported by another, which cleans every row again (the database may
have changed meanwhile) and writes each clean row through the places/party/users services, one
savepoint per row inside one transaction per batch: a row either is written whole or not at all.
A kind imported all or nothing (user accounts) writes the whole file in one transaction, rolled
back when any row fails.
A failure of either ends the job with a message; a job never stays running.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hongniudai.audit import services as audit

from . import events, selectors
from .importers import importer_for
from .importers.rows import SKIPPED, Importer, RowError
from .models import ImportJob, ImportStatus
from .workbook import SheetError, open_sheet

logger = logging.getLogger(__name__)

Row = tuple[int, dict[str, Any]]  # (row number, raw cell values by header)

PROGRESS_EVERY = 200  # rows between progress updates while validating
BATCH_ROWS = 200  # rows per transaction while importing (progress is saved after each)


def _save(job: ImportJob, **fields: Any) -> None:
    for key, value in fields.items():
        setattr(job, key, value)
    job.save(update_fields=list(fields))


def _error_rows(errors: list[RowError]) -> int:
    return len({e["row"] for e in errors})


def _sorted(errors: list[RowError]) -> list[RowError]:
    return sorted(errors, key=lambda e: (e["row"],))


def _header_errors(missing: list[str]) -> list[RowError]:
    return [{"row": 1, "column": h, "message": _("缺少这一列,请按模板填写表头。")} for h in missing]


def _fail(job: ImportJob, message: str) -> None:
    _save(job, status=ImportStatus.FAILED, failure=message[:255], finished_at=timezone.now())


def run_validation(job_id: int) -> None:
    """Check every row of the job's file; record counts and errors. Writes nothing else."""
    job = selectors.import_job_for_task(job_id)
    if job is None or job.status != ImportStatus.PENDING:
        return
    with translation.override(settings.LANGUAGE_CODE):
        _save(job, status=ImportStatus.VALIDATING, processed_rows=0)
        try:
            _validate(job)
        except SheetError as exc:
            _fail(job, str(exc))
        except Exception:  # any failure ends the job with a message, never a stuck job
            logger.exception("import job %s: validation failed", job.pk)
            _fail(job, _("校验时出错,文件可能已损坏。请重新保存为 .xlsx 后再上传。"))


def _validate(job: ImportJob) -> None:
    importer = importer_for(job.kind, job.user)
    errors: list[RowError] = []
    total = good = 0
    with job.file.open("rb") as fh, open_sheet(fh) as sheet:
        missing = sheet.missing(importer.required_headers())
        if missing:
            errors = _header_errors(missing)
        else:
            _save(job, total_rows=sheet.estimate)
            for row_no, raw in sheet.rows:
                _cleaned, row_errors = importer.clean(row_no, raw)
                total += 1
                if row_errors:
                    errors.extend(row_errors)
                else:
                    good += 1
                if total % PROGRESS_EVERY == 0:
                    _save(job, processed_rows=total, total_rows=max(total, job.total_rows))
        examples = sheet.example_rows
    if not missing:
        errors.extend(importer.file_errors())
    if not missing and total == 0:
        errors = [{"row": 2, "column": "", "message": _("文件中没有数据行。")}]
    _save(
        job,
        status=ImportStatus.VALIDATED,
        total_rows=total,
        processed_rows=total,
        good_rows=good,
        error_rows=_error_rows(errors),
        errors=_sorted(errors),
        skipped_example_rows=examples,
        outcome=importer.outcome(),
        validated_at=timezone.now(),
    )
    audit.record(
        actor=job.user,
        action=events.IMPORT_VALIDATED,
        target=job,
        note=_("校验完成"),
        area_path=job.area_path,
        changes={"kind": job.kind, "total": total, "good": good, "errors": job.error_rows},
    )


def run_import(job_id: int) -> None:
    """Write every clean row of a confirmed job through the services; record counts and errors."""
    job = selectors.import_job_for_task(job_id)
    if job is None or job.status != ImportStatus.IMPORTING:
        return
    with translation.override(settings.LANGUAGE_CODE):
        try:
            _import(job)
        except SheetError as exc:
            _fail(job, str(exc))
        except Exception:  # any failure ends the job with a message, never a stuck job
            logger.exception("import job %s: import failed", job.pk)
            job.refresh_from_db(fields=["imported_rows"])
            _fail(job, _("导入中断,已导入 %(n)s 行。请联系管理员。") % {"n": job.imported_rows})


def _import(job: ImportJob) -> None:
    importer = importer_for(job.kind, job.user)
    importer.requests_reviews = True
    errors: list[RowError] = []
    with job.file.open("rb") as fh, open_sheet(fh) as sheet:
        missing = sheet.missing(importer.required_headers())
        if missing:
            raise SheetError(_("文件的表头已改变,请重新上传。"))
        if importer.all_or_nothing:
            processed, imported = _write_all_or_nothing(job, importer, sheet.rows, errors)
        else:
            processed, imported = _write_rows(job, importer, sheet.rows, errors)
    errors = _sorted(errors)
    _save(
        job,
        status=ImportStatus.DONE,
        processed_rows=processed,
        total_rows=max(processed, job.total_rows),
        imported_rows=imported,
        error_rows=_error_rows(errors),
        errors=errors,
        outcome=importer.outcome(),
        finished_at=timezone.now(),
    )
    audit.record(
        actor=job.user,
        action=events.IMPORTED,
        target=job,
        note=_("导入完成"),
        area_path=job.area_path,
        changes={
            "kind": job.kind,
            "mode": job.mode,
            "total": job.total_rows,
            "imported": imported,
            "errors": job.error_rows,
        },
    )
    # The uploaded file holds ID numbers in clear: once imported it is not kept.
    job.file.delete(save=True)


def _write_rows(job: ImportJob, importer: Importer, rows: Iterable[Row], errors: list[RowError]) -> tuple[int, int]:
    """Write the rows in batches, one transaction each (progress saved after each): (processed, written)."""
    processed = imported = 0
    batch: list[Row] = []
    for item in rows:
        batch.append(item)
        if len(batch) >= BATCH_ROWS:
            imported += _import_batch(importer, batch, errors)
            processed += len(batch)
            batch = []
            _save(job, processed_rows=processed, imported_rows=imported)
    if batch:
        imported += _import_batch(importer, batch, errors)
        processed += len(batch)
    return processed, imported


class _RollBack(Exception):
    pass


def _write_all_or_nothing(
    job: ImportJob, importer: Importer, rows: Iterable[Row], errors: list[RowError]
) -> tuple[int, int]:
    """Write every row in one transaction, rolled back whole when any row fails: (processed, written)."""
    processed = 0
    try:
        with transaction.atomic():
            processed, imported = _write_rows(job, importer, rows, errors)
            if not errors:
                errors.extend(importer.finish())
            if errors:
                raise _RollBack
    except _RollBack:
        importer.forget()
        return processed, 0
    return processed, imported


def _import_batch(importer: Importer, batch: list[Row], errors: list[RowError]) -> int:
    written = 0
    with transaction.atomic():
        for row_no, raw in batch:
            cleaned, row_errors = importer.clean(row_no, raw)
            if cleaned is None:
                errors.extend(row_errors)
                continue
            try:
                with transaction.atomic():
                    result = importer.write(cleaned)
            except ValidationError as exc:
                errors.extend(importer.service_errors(row_no, exc))
            except PermissionDenied as exc:
                errors.append({"row": row_no, "column": "", "message": str(exc) or _("没有权限。")})
            except Exception:  # the savepoint is rolled back; the row is reported, the rest goes on
                logger.exception("import: row %s could not be written", row_no)
                errors.append({"row": row_no, "column": "", "message": _("保存这一行时出错,未导入。")})
            else:
                if result is not SKIPPED:
                    written += 1
    return written
