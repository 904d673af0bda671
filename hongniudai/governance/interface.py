"""What the other domains may use of `governance`: raising a matter on the ladder from what they
observed (a soup round's welfare observation, a patrol's incident, a camera's alert, a campaign's
finding, a service request that turned out to be a dispute), attaching a photo to it, and the
working-day calendar and deadline signals that matters use, so every deadline in the platform
counts the same days."""

from __future__ import annotations

from .calendar import Signal, add_working_days, signal, working_days_left
from .models import Category, Channel, Matter, MatterStatus, Urgency
from .services import add_attachment, check_upload, report_matter

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
    "report_matter",
    "signal",
    "working_days_left",
]
