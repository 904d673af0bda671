"""`manage.py rebuild_rollups`: after a bulk write around the services (an import, a restore), an
operator brings the kept rollups back to the source tables, all or some by name."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from hongniudai.common import rollups


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    registry = {name: (lambda say, name=name: calls.append(name)) for name in ("alpha", "beta", "gamma")}
    monkeypatch.setattr(rollups, "_REBUILDERS", registry)
    return calls


def test_rebuilds_every_rollup_in_order(recorded: list[str]) -> None:
    out = StringIO()
    call_command("rebuild_rollups", stdout=out)
    assert recorded == ["alpha", "beta", "gamma"]
    assert "gamma" in out.getvalue()


def test_rebuilds_only_the_named_ones(recorded: list[str]) -> None:
    call_command("rebuild_rollups", "gamma", "alpha", stdout=StringIO())
    assert recorded == ["alpha", "gamma"]


def test_an_unknown_name_is_refused_before_anything_runs(recorded: list[str]) -> None:
    with pytest.raises(CommandError, match="delta"):
        call_command("rebuild_rollups", "alpha", "delta", stdout=StringIO())
    assert recorded == []


def test_list_names_them_without_rebuilding(recorded: list[str]) -> None:
    out = StringIO()
    call_command("rebuild_rollups", "--list", stdout=out)
    assert out.getvalue().split() == ["alpha", "beta", "gamma"]
    assert recorded == []


def test_the_project_registers_its_rollups() -> None:
    # The packages register at start-up (apps.ready), so the command sees them all.
    assert {"matter_months", "orglife_obligations", "ledger_balances", "hamlet_counters"} <= set(rollups.names())
