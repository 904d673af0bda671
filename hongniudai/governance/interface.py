"""What the other domains may use of `governance`: raising a matter on the ladder from what they
observed (a soup round's welfare observation, a patrol's incident, a camera's alert, a campaign's
finding, a service request that turned out to be a dispute), attaching a photo to it, and the
working-day calendar and deadline signals that matters use, so every deadline in the platform
counts the same days."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from hongniudai.audit import services as audit
from hongniudai.common import uploads

from . import events
from .calendar import Signal, add_working_days, signal, working_days_left
from .models import Attachment, Category, Channel, EventKind, Matter, MatterStatus, Urgency
from .services import add_attachment, check_upload, report_matter
from .services.ladder import add_event, check_note

__all__ = [
    "Category",
    "Channel",
    "Matter",
    "MatterStatus",
    "Signal",
    "Urgency",
    "add_attachment",
    "add_working_days",
    "check_upload",
    "observe_matter",
    "report_matter",
    "signal",
    "working_days_left",
]


@transaction.atomic
def observe_matter(
    *, matter: Matter, note: str, at: dt.datetime | None = None, upload: UploadedFile | None = None
) -> None:
    """What a system without a user (a camera platform) observed on a matter: a note on its timeline
    and, where given, a photo checked and kept like any attachment (`add_attachment`, whose actor is
    a person who may attach; here the system, as `add_event` allows)."""
    check_note(note)
    add_event(matter, EventKind.NOTE, None, note=note, at=at)
    if upload is None:
        return
    ext, content_type = check_upload(upload)
    original, sha256 = uploads.anonymise(upload, ext)
    attachment = Attachment.objects.create(
        matter=matter,
        file=upload,
        original_name=original,
        content_type=content_type,
        size=upload.size or 0,
        sha256=sha256,
        uploaded_by=None,
    )
    add_event(matter, EventKind.ATTACH, None, note=original, at=at)
    audit.record(
        actor=None,
        action=events.ATTACHMENT_ADDED,
        target=attachment,
        changes={"file": [None, original]},
        **audit.at(area=matter.area),
    )
