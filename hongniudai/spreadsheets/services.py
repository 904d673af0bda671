"""Import jobs: the upload of a file and the owner's confirmation, each queuing its task.

The tasks' work (checking the file, importing it) is in `jobs`; the templates in `import_templates`.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.audit import services as audit

from . import events, policy, selectors, tasks
from .importers import IMPORTERS
from .models import ALL_OR_NOTHING_KINDS, ImportJob, ImportKind, ImportMode, ImportStatus
from .workbook import SheetError, open_sheet


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
def create_job(*, actor: User, kind: str, upload: UploadedFile) -> ImportJob:
    """Store the upload as a new job, audit it, and queue its validation once committed."""
    policy.require_import(actor)
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
        area_path=selectors.import_area_path(actor),
    )
    job.file.save("upload.xlsx", upload, save=False)
    job.save()
    audit.record(
        actor=actor,
        action=events.IMPORT_UPLOADED,
        target=job,
        note=_("上传文件"),
        area_path=job.area_path,
        changes={"kind": job.kind, "file": job.original_name},
    )
    job_id = job.pk
    transaction.on_commit(lambda: tasks.validate_job(job_id))
    return job


@transaction.atomic
def start_import(*, actor: User, job: ImportJob, mode: str) -> ImportJob:
    """The owner confirms a validated job. With errors in the file nothing is imported unless
    `mode` is good-only; then exactly the rows without errors are."""
    policy.require_import(actor)
    if not policy.may_confirm(actor, job):
        raise PermissionDenied(_("只有上传人可以确认导入。"))
    if mode not in ImportMode.values:
        raise ValidationError(_("请选择导入方式。"))
    if job.status != ImportStatus.VALIDATED:
        raise ValidationError(_("该任务当前的状态是“%(status)s”,不能导入。") % {"status": job.get_status_display()})
    if job.good_rows == 0:
        raise ValidationError(_("文件中没有无误的行,没有可导入的数据。"))
    if mode != ImportMode.ALL and job.kind in ALL_OR_NOTHING_KINDS:
        raise ValidationError(_("“%(kind)s”只能全部导入:请改正有误的行后重新上传。") % {"kind": job.get_kind_display()})
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
    job_id = job.pk
    transaction.on_commit(lambda: tasks.import_job(job_id))
    job.refresh_from_db()
    return job
