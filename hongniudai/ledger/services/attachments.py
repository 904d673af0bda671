"""The receipts and documents behind a voucher (原始凭证): checked by their contents, kept under a
random name with their sha256, in the same storage as every other upload. They may be added to a
draft or to a posted voucher (evidence, not figures); they are never removed from a posted one."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.audit import services as audit
from hongniudai.common import uploads
from hongniudai.common.text import check_lengths

from .. import events
from ..models import Voucher, VoucherAttachment, VoucherStatus
from ..policy import require

MAX_BYTES = 10 * 1024 * 1024


@transaction.atomic
def attach_to_voucher(*, actor: User, voucher: Voucher, upload: UploadedFile, note: str = "") -> VoucherAttachment:
    require(actor, Capability.BOOKS_WRITE, voucher.books)
    note = (note or "").strip()
    check_lengths(VoucherAttachment, {"note": note})
    ext, content_type = uploads.check_upload(upload, limit=MAX_BYTES)
    original, sha256 = uploads.anonymise(upload, ext)
    attachment = VoucherAttachment.objects.create(
        voucher=voucher,
        file=upload,
        original_name=original,
        content_type=content_type,
        size=upload.size or 0,
        sha256=sha256,
        note=note,
        uploaded_by=actor,
    )
    audit.record(
        actor=actor,
        action=events.ATTACHMENT_ADDED,
        target=attachment,
        changes={"file": [None, original], "voucher": [None, str(voucher)]},
        area_path=voucher.books.area_path,
    )
    return attachment


@transaction.atomic
def remove_attachment(*, actor: User, attachment: VoucherAttachment) -> None:
    """Remove an attachment of a draft; a posted voucher keeps its evidence."""
    voucher = attachment.voucher
    require(actor, Capability.BOOKS_WRITE, voucher.books)
    if voucher.status == VoucherStatus.POSTED:
        raise ValidationError({"file": _("已记账凭证的附件不能删除。")})
    audit.record(
        actor=actor,
        action=events.ATTACHMENT_REMOVED,
        target=attachment,
        changes={"file": [attachment.original_name, None]},
        area_path=voucher.books.area_path,
    )
    discard(attachment)


def discard(attachment: VoucherAttachment) -> None:
    """Delete the row now and its file once the transaction commits."""
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
