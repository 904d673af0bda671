"""Attachments of a matter: photos and documents, checked by their contents before they are kept."""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.audit import services as audit

from .. import events, policy
from ..models import Attachment, EventKind, Matter
from .ladder import add_event

ALLOWED_UPLOADS: dict[str, tuple[bytes, str]] = {
    "jpg": (b"\xff\xd8\xff", "image/jpeg"),
    "jpeg": (b"\xff\xd8\xff", "image/jpeg"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png"),
    "gif": (b"GIF8", "image/gif"),
    "webp": (b"RIFF", "image/webp"),
    "pdf": (b"%PDF-", "application/pdf"),
    "docx": (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def check_upload(upload: UploadedFile) -> tuple[str, str]:
    """(extension, content type) of an acceptable upload; refuses unknown types, disguised files
    (contents not matching the extension) and oversized files."""
    name = upload.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED_UPLOADS:
        raise ValidationError({"file": _("只接受照片(jpg、png、gif、webp)和文档(pdf、docx、xlsx)。")})
    limit = settings.MATTER_ATTACHMENT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError({"file": _("文件不能超过 %(mb)s MB。") % {"mb": limit // (1024 * 1024)}})
    magic, content_type = ALLOWED_UPLOADS[ext]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(magic) or (ext == "webp" and head[8:12] != b"WEBP"):
        raise ValidationError({"file": _("文件内容与扩展名“.%(ext)s”不符,已拒收。") % {"ext": ext}})
    return ext, content_type


@transaction.atomic
def add_attachment(*, actor: User, matter: Matter, upload: UploadedFile) -> Attachment:
    """Keep a photo or document with the matter (by a handler, an invited person or its reporter),
    stored under a random name with its sha256."""
    policy.require_attacher(actor, matter)
    ext, content_type = check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    original = (upload.name or "file").replace("/", "_")[-200:]
    upload.name = f"{uuid.uuid4().hex}.{ext}"  # never the user's name on disk
    attachment = Attachment.objects.create(
        matter=matter,
        file=upload,
        original_name=original,
        content_type=content_type,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
        uploaded_by=actor if actor.pk else None,
    )
    add_event(matter, EventKind.ATTACH, actor, note=original)
    audit.record(
        actor=actor,
        action=events.ATTACHMENT_ADDED,
        target=attachment,
        changes={"file": [None, original]},
        **audit.at(area=matter.area),
    )
    return attachment
