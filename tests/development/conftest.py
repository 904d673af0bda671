"""Development fixtures on top of the shared `town`: applicants in 徐桥村 and a helper that
walks a case through its steps."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from hongniudai.development import services
from hongniudai.development.models import DevelopmentCase
from hongniudai.places.models import Resident
from tests import factories as f
from tests.conftest import Town

D = dt.date


@pytest.fixture
def applicant(town: Town) -> Resident:
    """黄小明 of 徐桥村, born 2000-05-06."""
    return f.resident(town.xuqiao.household, "黄小明", birth=D(2000, 5, 6))


def open_case(town: Town, resident: Resident, applied_on: dt.date = D(2024, 1, 10)) -> DevelopmentCase:
    return services.open_case(
        actor=town.users["xuqiao"], resident=resident, org=town.xuqiao.branch, applied_on=applied_on
    )


def step(town: Town, case: DevelopmentCase, kind: str, on: dt.date, **kwargs: Any) -> Any:
    return services.record_step(actor=town.users["xuqiao"], case=case, kind=kind, on=on, **kwargs)


def walk_to(town: Town, case: DevelopmentCase, stage: str) -> DevelopmentCase:
    """Take a case opened on 2024-01-10 by the book up to `stage`."""
    plan = [
        ("talk", D(2024, 1, 20), {}),
        ("activist", D(2024, 2, 1), {}),
        ("assessment", D(2024, 7, 15), {}),
        ("assessment", D(2025, 1, 10), {}),
        ("candidate", D(2025, 2, 10), {}),
        ("training", D(2025, 3, 1), {"training_days": 3, "training_hours": 24}),
        ("resolution", D(2025, 4, 1), {}),
        ("approval", D(2025, 5, 15), {}),
        ("convert", D(2026, 4, 10), {}),
    ]
    stop = {"activist": 2, "candidate": 5, "resolved": 7, "probationary": 8, "full": 9}[stage]
    for kind, on, kwargs in plan[:stop]:
        step(town, case, kind, on, **kwargs)
    case.refresh_from_db()
    return case


def xlsx_text(response: Any) -> str:
    content = b"".join(response.streaming_content)
    wb = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        "" if v is None else str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
    )
