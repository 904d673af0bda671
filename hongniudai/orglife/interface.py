"""What the other domain packages may use of organisational life: the one door into `orglife`.

Sibling domains do not import one another (`docs/architecture.md`, the import contracts in
`pyproject.toml`); where one must show what orglife knows, it imports this module and nothing else.
Enterprise party work shows the compliance of the branches an instructor guides; the collective
economy's decisions (四议两公开) point to the meetings that took their steps."""

from __future__ import annotations

from .models import Meeting, MeetingKind
from .selectors import ComplianceCounts, org_compliance

__all__ = ["ComplianceCounts", "Meeting", "MeetingKind", "org_compliance"]
