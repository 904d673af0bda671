"""The demo town, loaded once per test process and shared by every test that asks for `demo`.

`load_demo` takes about a minute, so it runs once, inside a transaction left open while the
tests that need it follow one another; each of those tests runs in a savepoint of its own (the
`db` fixture), so what one test writes (a deleted account, a second load) is rolled back before
the next. As soon as the next test does not ask for `demo` and uses the database, the demo's
transaction is rolled back too, so that no other test ever sees the demo town; a later test that
asks for `demo` loads it again. Under `pytest -n 2 --dist loadgroup` (`make test`) every demo
test is sent to one worker as one group, so the run loads the demo once (plus the dated loads).
"""

from __future__ import annotations

import io
from collections.abc import Generator, Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from pytest_django.plugin import blocking_manager_key


class SharedDemo:
    """The demo loaded into the test database, inside a transaction held open until released."""

    def __init__(self) -> None:
        self.output = ""
        self.loads = 0
        self._atomic: Any = None

    @property
    def loaded(self) -> bool:
        return self._atomic is not None

    def ensure(self, django_db_blocker: Any) -> str:
        if self._atomic is None:
            with django_db_blocker.unblock():
                atomic = transaction.atomic()
                atomic.__enter__()
                try:
                    out = io.StringIO()
                    call_command("load_demo", stdout=out)
                except BaseException:
                    transaction.set_rollback(True)
                    atomic.__exit__(None, None, None)
                    raise
                self._atomic, self.output = atomic, out.getvalue()
                self.loads += 1
        return self.output

    def release(self, django_db_blocker: Any) -> None:
        if self._atomic is None:
            return
        atomic, self._atomic = self._atomic, None
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


SHARED = SharedDemo()


@pytest.fixture(scope="session")
def shared_demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[SharedDemo]:
    """The shared demo; released at the latest before the test database is torn down."""
    yield SHARED
    SHARED.release(django_db_blocker)


@pytest.fixture(autouse=True)
def _demo_in_place(request: pytest.FixtureRequest) -> None:
    """Before a test that asks for `demo` (and, being autouse, before its `db` savepoint): load
    the demo unless it is still in place from the previous test."""
    if "demo" in request.fixturenames:
        shared: SharedDemo = request.getfixturevalue("shared_demo")
        shared.ensure(request.getfixturevalue("django_db_blocker"))


@pytest.fixture
def demo(shared_demo: SharedDemo) -> str:
    """The output of `load_demo`; the demo town is in the database for the test."""
    assert shared_demo.loaded
    return shared_demo.output


def _keeps_demo(item: pytest.Item | None) -> bool:
    """Whether the demo may stay loaded for `item`: it asks for it, or it does not touch the
    database (a pure function of the plan, say)."""
    if item is None:
        return False
    names = getattr(item, "fixturenames", ())
    if "demo" in names:
        return True
    uses_db = item.get_closest_marker("django_db") is not None or any(
        name in names for name in ("db", "transactional_db", "django_db_reset_sequences", "live_server")
    )
    return not uses_db and getattr(item, "cls", None) is None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None]:
    yield  # the test's own fixtures (its savepoint) are torn down first
    if SHARED.loaded and not _keeps_demo(nextitem):
        SHARED.release(item.config.stash[blocking_manager_key])


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under `pytest -n 2 --dist loadgroup` (as `make test` runs) every test that asks for the demo
    goes to one worker, in a row, so the demo is loaded once per run rather than once per worker
    or again after other tests come between."""
    for item in items:
        if "demo" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("demo"))
