"""Import jobs: upload, validation, confirmation and import; the downloadable templates.

A job is validated by one task (nothing is written but the job's own counts and errors) and,
once its owner confirms, imported by another, which cleans every row again (the database may
have changed meanwhile) and writes each clean row through the places/party services, one
savepoint per row inside one transaction per batch: a row either is written whole or not at all.
"""

from __future__ import annotations

import io
import logging
import os
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from hongniudai.accounts.scope import Capability, scope_for
from hongniudai.audit import actions as audit_actions
from hongniudai.audit import services as audit

from .importers import EXAMPLE_MARK, IMPORTERS, NOTE, Importer, RowError, cell_text, importer_for
from .models import ImportJob, ImportKind, ImportMode, ImportStatus

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 200  # rows between progress updates while validating
BATCH_ROWS = 200  # rows per transaction while importing (progress is saved after each)
TEMPLATE_VALIDATION_ROWS = 5000  # rows the drop-down lists of a template cover

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def require_import(actor: Any) -> None:
    if scope_for(actor, Capability.IMPORT).is_empty:
        raise PermissionDenied(_("您没有导入数据的权限。"))


def import_area_path(actor: Any) -> str:
    """The deepest area path covering every area in which `actor` may import."""
    scope = scope_for(actor, Capability.IMPORT)
    if scope.everything or not scope.area_paths:
        return ""
    common = os.path.commonprefix(list(scope.area_paths))
    return common[: common.rfind("/") + 1] if "/" in common else ""


# ---- reading a workbook -------------------------------------------------------------------


class SheetError(Exception):
    """The file cannot be read as a workbook: a message for the user."""


def normalize_header(value: Any) -> str:
    return cell_text(value).replace("*", "").replace("*", "").strip()


@dataclass
class Sheet:
    headers: list[str]
    estimate: int  # data rows according to the sheet's dimension (may count empty rows)
    rows: Iterator[tuple[int, dict[str, Any]]] = field(repr=False)
    example_rows: int = 0

    def missing(self, required: list[str]) -> list[str]:
        return [h for h in required if h not in self.headers]


def _open_workbook(fh: IO[bytes]) -> Any:
    try:
        return load_workbook(fh, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise SheetError(
            _("文件无法作为 Excel 工作簿(.xlsx)打开。请用 Excel 或 WPS 将文件“另存为”.xlsx 格式后重新上传。")
        ) from exc


@contextmanager
def open_sheet(fh: IO[bytes]) -> Iterator[Sheet]:
    """The first worksheet: its headers and its non-empty, non-example rows as
    (Excel row number, {header: value})."""
    wb = _open_workbook(fh)
    try:
        if not wb.worksheets:
            raise SheetError(_("文件中没有工作表。"))
        ws = wb.worksheets[0]
        raw_rows = ws.iter_rows(values_only=True)
        first = next(raw_rows, None) or ()
        headers = [normalize_header(v) for v in first]
        try:
            estimate = max(0, (ws.max_row or 1) - 1)
        except (TypeError, ValueError):
            estimate = 0
        sheet = Sheet(headers=headers, estimate=estimate, rows=iter(()))
        index: dict[str, int] = {}
        for i, h in enumerate(headers):
            if h and h not in index:
                index[h] = i

        def rows() -> Iterator[tuple[int, dict[str, Any]]]:
            for row_no, values in enumerate(raw_rows, start=2):
                if not values or all(v is None or cell_text(v) == "" for v in values):
                    continue
                raw = {h: (values[i] if i < len(values) else None) for h, i in index.items()}
                if cell_text(raw.get(NOTE)).startswith(EXAMPLE_MARK):
                    sheet.example_rows += 1
                    continue
                yield row_no, raw

        sheet.rows = rows()
        yield sheet
    finally:
        wb.close()


def check_upload(upload: UploadedFile, kind: str) -> None:
    """Raise ValidationError (Chinese message) unless `upload` is an .xlsx within the size limit
    whose first sheet has the columns `kind` needs. Leaves the file rewound."""
    name = upload.name or ""
    if not name.lower().endswith(".xlsx"):
        raise ValidationError(_("只能上传 Excel 工作簿(.xlsx)文件。请下载模板填写后上传。"), code="extension")
    if upload.size is not None and upload.size > settings.IMPORT_MAX_BYTES:
        raise ValidationError(
            _("文件太大(%(size)s MB),不能超过 %(limit)s MB。请分成几个文件上传。")
            % {"size": f"{upload.size / 1048576:.1f}", "limit": settings.IMPORT_MAX_BYTES // 1048576},
            code="size",
        )
    if not upload.size:
        raise ValidationError(_("文件是空的。"), code="empty")
    upload.seek(0)
    try:
        with open_sheet(upload) as sheet:
            missing = sheet.missing(IMPORTERS[kind].required_headers())
    except SheetError as exc:
        raise ValidationError(str(exc), code="invalid") from None
    finally:
        upload.seek(0)
    if missing:
        raise ValidationError(
            _("表头与“%(kind)s”模板不符,缺少列:%(columns)s。请下载模板,按模板的表头填写。")
            % {"kind": ImportKind(kind).label, "columns": "、".join(missing)},
            code="headers",
        )


# ---- jobs ---------------------------------------------------------------------------------


@transaction.atomic
def create_job(*, actor: Any, kind: str, upload: UploadedFile) -> ImportJob:
    """Store the upload as a new job, audit it, and queue its validation once committed."""
    require_import(actor)
    if kind not in ImportKind.values:
        raise ValidationError({"kind": _("请选择导入内容。")})
    try:
        check_upload(upload, kind)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    job = ImportJob(
        kind=kind,
        user=actor,
        original_name=os.path.basename(upload.name or "")[:200],
        area_path=import_area_path(actor),
    )
    job.file.save("upload.xlsx", upload, save=False)
    job.save()
    audit.record(
        actor=actor,
        action=audit_actions.IMPORT,
        target=job,
        note=_("上传文件"),
        area_path=job.area_path,
        changes={"kind": job.kind, "file": job.original_name},
    )
    from . import tasks

    job_id = job.pk
    transaction.on_commit(lambda: tasks.validate_job(job_id))
    return job


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
    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
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
        validated_at=timezone.now(),
    )
    audit.record(
        actor=job.user,
        action=audit_actions.IMPORT,
        target=job,
        note=_("校验完成"),
        area_path=job.area_path,
        changes={"kind": job.kind, "total": total, "good": good, "errors": job.error_rows},
    )


@transaction.atomic
def start_import(*, actor: Any, job: ImportJob, mode: str) -> ImportJob:
    """The owner confirms a validated job. With errors in the file nothing is imported unless
    `mode` is good-only; then exactly the rows without errors are."""
    require_import(actor)
    if job.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("只有上传人可以确认导入。"))
    if mode not in ImportMode.values:
        raise ValidationError(_("请选择导入方式。"))
    if job.status != ImportStatus.VALIDATED:
        raise ValidationError(_("该任务当前的状态是“%(status)s”,不能导入。") % {"status": job.get_status_display()})
    if job.good_rows == 0:
        raise ValidationError(_("文件中没有无误的行,没有可导入的数据。"))
    if mode == ImportMode.ALL and job.error_rows:
        raise ValidationError(
            _("文件中有 %(n)s 行有错误,未导入任何数据。请改正后重新上传,或选择“只导入无误的行”。")
            % {"n": job.error_rows}
        )
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.VALIDATED).update(
        status=ImportStatus.IMPORTING, mode=mode, processed_rows=0
    )
    if not claimed:
        raise ValidationError(_("该任务已在导入中。"))
    from . import tasks

    job_id = job.pk
    transaction.on_commit(lambda: tasks.import_job(job_id))
    job.refresh_from_db()
    return job


def run_import(job_id: int) -> None:
    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
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
    processed = imported = 0
    with job.file.open("rb") as fh, open_sheet(fh) as sheet:
        missing = sheet.missing(importer.required_headers())
        if missing:
            raise SheetError(_("文件的表头已改变,请重新上传。"))
        batch: list[tuple[int, dict[str, Any]]] = []
        for item in sheet.rows:
            batch.append(item)
            if len(batch) >= BATCH_ROWS:
                imported += _import_batch(importer, batch, errors)
                processed += len(batch)
                batch = []
                _save(job, processed_rows=processed, imported_rows=imported)
        if batch:
            imported += _import_batch(importer, batch, errors)
            processed += len(batch)
    errors = _sorted(errors)
    _save(
        job,
        status=ImportStatus.DONE,
        processed_rows=processed,
        total_rows=max(processed, job.total_rows),
        imported_rows=imported,
        error_rows=_error_rows(errors),
        errors=errors,
        finished_at=timezone.now(),
    )
    audit.record(
        actor=job.user,
        action=audit_actions.IMPORT,
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


def _import_batch(importer: Importer, batch: list[tuple[int, dict[str, Any]]], errors: list[RowError]) -> int:
    written = 0
    with transaction.atomic():
        for row_no, raw in batch:
            cleaned, row_errors = importer.clean(row_no, raw)
            if cleaned is None:
                errors.extend(row_errors)
                continue
            try:
                with transaction.atomic():
                    importer.write(cleaned)
            except ValidationError as exc:
                errors.extend(importer.service_errors(row_no, exc))
            except PermissionDenied as exc:
                errors.append({"row": row_no, "column": "", "message": str(exc) or _("没有权限。")})
            except Exception:  # the savepoint is rolled back; the row is reported, the rest goes on
                logger.exception("import: row %s could not be written", row_no)
                errors.append({"row": row_no, "column": "", "message": _("保存这一行时出错,未导入。")})
            else:
                written += 1
    return written


# ---- templates and error lists ------------------------------------------------------------

_HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
_EXAMPLE_FONT = Font(italic=True, color="808080")


def build_template(kind: str, user: Any) -> bytes:
    """The .xlsx template of `kind`: headers, one example row, text-formatted ID and phone
    columns, drop-down lists, an explanation sheet, and what the user may refer to."""
    with translation.override(settings.LANGUAGE_CODE):
        importer = importer_for(kind, user)
        wb = Workbook()
        ws = cast(Worksheet, wb.active)
        ws.title = importer.sheet_title
        example = importer.example_row()
        for col, spec in enumerate(importer.specs, start=1):
            letter = get_column_letter(col)
            header = ws.cell(row=1, column=col, value=spec.header + ("*" if spec.required else ""))
            header.font = Font(bold=True, color="C00000" if spec.required else "000000")
            header.fill = _HEADER_FILL
            header.alignment = Alignment(horizontal="center")
            ws.column_dimensions[letter].width = spec.width
            cell = ws.cell(row=2, column=col, value=example[col - 1])
            cell.font = _EXAMPLE_FONT
            if spec.text:
                # Excel and WPS apply the column style to what is typed later: no lost digits.
                ws.column_dimensions[letter].number_format = "@"
                cell.number_format = "@"
            values = importer.allowed_values(spec)
            if values:
                dv = DataValidation(
                    type="list",
                    formula1='"' + ",".join(values) + '"',
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle=_("填写有误"),
                    error=_("请从下拉列表中选择。"),
                )
                dv.add(f"{letter}2:{letter}{TEMPLATE_VALIDATION_ROWS}")
                ws.add_data_validation(dv)
        ws.freeze_panes = "A2"

        help_ws = wb.create_sheet(_("填写说明"))
        help_ws.column_dimensions["A"].width = 16
        help_ws.column_dimensions["B"].width = 8
        help_ws.column_dimensions["C"].width = 70
        help_ws.column_dimensions["D"].width = 40
        help_ws.append([_("%(kind)s导入模板填写说明") % {"kind": ImportKind(kind).label}])
        help_ws["A1"].font = Font(bold=True, size=14)
        for note in importer.notes():
            help_ws.append([f"· {note}"])
        help_ws.append([])
        help_ws.append([_("列名"), _("必填"), _("说明"), _("可填写的值")])
        for cell in help_ws[help_ws.max_row]:
            cell.font = Font(bold=True)
            cell.fill = _HEADER_FILL
        for spec in importer.specs:
            values = importer.allowed_values(spec)
            help_ws.append([spec.header, _("是") if spec.required else _("否"), spec.help, "、".join(values)])
        for row in help_ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")

        extra = importer.choices_sheet()
        if extra is not None:
            title, headers, rows = extra
            extra_ws = wb.create_sheet(title)
            extra_ws.append(headers)
            for cell in extra_ws[1]:
                cell.font = Font(bold=True)
            for i in range(1, len(headers) + 1):
                extra_ws.column_dimensions[get_column_letter(i)].width = 40
            for r in rows:
                extra_ws.append(r)
            if not rows:
                extra_ws.append([_("(您的管辖范围内没有可选项)")])
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()


def template_filename(kind: str) -> str:
    return _("%(kind)s导入模板") % {"kind": ImportKind(kind).label}
