from __future__ import annotations

from typing import Any

import pytest

from .records import park_records


@pytest.fixture
def park(town: Any) -> dict[str, Any]:
    return park_records(town)
