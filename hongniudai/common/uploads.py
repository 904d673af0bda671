"""Uploaded photos and documents, checked by their contents before anything keeps them (a matter's
attachments, a voucher's receipts), and kept under a random name with their sha256."""

from __future__ import annotations

import hashlib
import uuid

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

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


def check_upload(upload: UploadedFile, *, limit: int) -> tuple[str, str]:
    """(extension, content type) of an acceptable upload; refuses unknown types, disguised files
    (contents not matching the extension) and files over `limit` bytes."""
    name = upload.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED_UPLOADS:
        raise ValidationError({"file": _("只接受照片(jpg、png、gif、webp)和文档(pdf、docx、xlsx)。")})
    if upload.size is None or upload.size > limit:
        raise ValidationError({"file": _("文件不能超过 %(mb)s MB。") % {"mb": limit // (1024 * 1024)}})
    magic, content_type = ALLOWED_UPLOADS[ext]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(magic) or (ext == "webp" and head[8:12] != b"WEBP"):
        raise ValidationError({"file": _("文件内容与扩展名“.%(ext)s”不符,已拒收。") % {"ext": ext}})
    return ext, content_type


def anonymise(upload: UploadedFile, ext: str) -> tuple[str, str]:
    """(the user's file name, sha256 of the contents); renames the upload to a random name, so that
    the user's name never reaches the disk."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    original = (upload.name or "file").replace("/", "_")[-200:]
    upload.name = f"{uuid.uuid4().hex}.{ext}"
    return original, digest.hexdigest()
