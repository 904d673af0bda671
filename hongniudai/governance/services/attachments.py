"""Attachments of a matter: photos and documents, checked by their contents before they are kept."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from hongniudai.accounts.models import User
from hongniudai.audit import services as audit
from hongniudai.common import uploads
from hongniudai.common.uploads import ALLOWED_UPLOADS as ALLOWED_UPLOADS

from .. import events, policy
from ..models import Attachment, EventKind, Matter
from .ladder import add_event


def check_upload(upload: UploadedFile) -> tuple[str, str]:
    """(extension, content type) of an acceptable upload (`common.uploads`), up to the matters' limit."""
    return uploads.check_upload(upload, limit=settings.MATTER_ATTACHMENT_MAX_BYTES)


@transaction.atomic
def add_attachment(*, actor: User, matter: Matter, upload: UploadedFile) -> Attachment:
    """Keep a photo or document with the matter (by a handler, an invited person or its reporter),
    stored under a random name with its sha256."""
    policy.require_attacher(actor, matter)
    ext, content_type = check_upload(upload)
    original, sha256 = uploads.anonymise(upload, ext)
    attachment = Attachment.objects.create(
        matter=matter,
        file=upload,
        original_name=original,
        content_type=content_type,
        size=upload.size or 0,
        sha256=sha256,
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
