"""`governance.interface.observe_matter`: what a system without a user (a camera platform) adds to a
matter — a note on its timeline and a photo checked like any attachment."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hongniudai.governance.interface import Category, Channel, observe_matter, report_matter
from hongniudai.governance.models import Attachment, EventKind, MatterEvent

pytestmark = pytest.mark.django_db
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32 + b"\xff\xd9"


def _matter(town: Any) -> Any:
    return report_matter(
        actor=None,
        category=Category.objects.get(code="public-security"),
        title="路口聚集",
        description="摄像机报警。",
        channel=Channel.CAMERA,
        place=town.xuqiao.grid,
        within=town.town,
    )


def test_a_system_adds_a_note_and_a_photo(town: Any) -> None:
    matter = _matter(town)
    observe_matter(matter=matter, note="再次报警", upload=SimpleUploadedFile("a.jpg", JPEG, content_type="image/jpeg"))
    assert MatterEvent.objects.filter(matter=matter, kind=EventKind.NOTE, note="再次报警", actor=None).exists()
    attachment = Attachment.objects.get(matter=matter)
    assert attachment.uploaded_by is None and attachment.content_type == "image/jpeg"


def test_a_disguised_file_is_refused(town: Any) -> None:
    matter = _matter(town)
    with pytest.raises(ValidationError):
        observe_matter(matter=matter, note="x", upload=SimpleUploadedFile("a.jpg", b"GIF89a" + b"\x00" * 8))
    assert not Attachment.objects.filter(matter=matter).exists()
