"""What the other domain packages may use of enterprise party work: the one door into `enterprises`.

Sibling domains do not import one another (`docs/architecture.md`, the import contracts in
`pyproject.toml`); where one must name what enterprises knows, it imports this module and nothing
else. Vanguard posts and party activities may be held at an enterprise, by the members employed there.
The collective economy names enterprises as the other party of its business (`counterparties`)."""

from __future__ import annotations

from .counterparties import counterparties, counterparty_widget, may_name
from .models import Employment, Enterprise
from .pickers import enterprise_widget

__all__ = ["Employment", "Enterprise", "counterparties", "counterparty_widget", "enterprise_widget", "may_name"]
