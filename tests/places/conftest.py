"""Helpers for the place-page tests (the shared `town` fixture lives in tests/conftest.py)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from hongniudai.common.identity import decrypt_id_number
from hongniudai.places.models import Resident


def full_id(resident: Resident) -> str:
    """The resident's whole ID number (only tests read it back)."""
    return decrypt_id_number(resident.id_cipher)


def xlsx_text(response: Any) -> str:
    """Every cell of an .xlsx response, joined into one string."""
    content = b"".join(response.streaming_content)
    wb = load_workbook(io.BytesIO(content), read_only=True)
    cells = []
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            cells.extend("" if v is None else str(v) for v in row)
    return "\n".join(cells)


@pytest.fixture
def admin(town: Any) -> Any:
    return town.client_for("admin")


@pytest.fixture
def xuqiao(town: Any) -> Any:
    return town.client_for("xuqiao")
