"""REST API of this package; `ROUTES` is registered by `hongniudai.api.urls`."""

from __future__ import annotations

from typing import Any

ROUTES: list[tuple[str, Any, str]] = []  # (prefix, viewset, basename)
