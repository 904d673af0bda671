"""The import tests run inside one transaction that never commits, so the work the services leave
for after the commit (queuing the validation and import tasks) would never run: run it at once, as
the commit right after the service would. A test that looks at that work itself
(`django_capture_on_commit_callbacks`) keeps Django's own behaviour."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction


@pytest.fixture(autouse=True)
def on_commit_at_once(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if "django_capture_on_commit_callbacks" in request.fixturenames:
        return

    def run_now(func: Callable[[], Any], using: str | None = None, robust: bool = False) -> None:
        func()

    monkeypatch.setattr(transaction, "on_commit", run_now)
