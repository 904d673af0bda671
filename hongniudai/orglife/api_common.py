"""What the organisational-life API modules share: the help text listing the meeting kinds."""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import MeetingKind

KIND_HELP = format_lazy(
    "{}{}", _("会议类型代码:"), "、".join(f"{value} {label}" for value, label in MeetingKind.choices)
)
