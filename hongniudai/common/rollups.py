"""Precomputed counters and rollups: one registry, so that bulk writers (the county generator,
imports) can bring every rollup up to date after writing around the services.

A package that keeps a rollup registers its rebuild function with `@register("name")`; the
function takes `say` (a progress callback) and recomputes the rollup from the source tables.

A rollup kept by a package above the one that writes its sources (利益联结 sums what land,
production, distribution and returnees paid) is told of each write through `changed(event, ...)`:
the writing service names the event and its key, the package keeping the rollup `listen`s to it
(in its `AppConfig.ready`), so that no lower package imports the one above. Skipped inside
`deferred()`, like every per-write refresh.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

Say = Callable[[str], None]
Rebuild = Callable[..., Any]
R = TypeVar("R", bound=Rebuild)

_REBUILDERS: dict[str, Rebuild] = {}
_LISTENERS: dict[str, list[Callable[..., None]]] = {}

# Money reached the households of a village in a year (keys: village_id, year).
PAID_TO_HOUSEHOLDS = "paid_to_households"
# A posted voucher was reversed in red (key: voucher_id): what it recorded no longer counts.
VOUCHER_REVERSED = "voucher_reversed"


def register(name: str) -> Callable[[R], R]:
    def decorator(fn: R) -> R:
        _REBUILDERS[name] = fn
        return fn

    return decorator


def listen(event: str, listener: Callable[..., None]) -> None:
    """Call `listener(**keys)` after every `changed(event, **keys)`, in the writer's transaction."""
    _LISTENERS.setdefault(event, []).append(listener)


def changed(event: str, **keys: Any) -> None:
    """A service wrote a source of the rollups listening to `event` (nothing inside `deferred()`)."""
    if is_deferred():
        return
    for listener in _LISTENERS.get(event, ()):
        listener(**keys)


def names() -> list[str]:
    """The registered rollups, in registration order."""
    return list(_REBUILDERS)


def rebuild_all(say: Say = lambda _msg: None, *, only: set[str] | None = None) -> list[str]:
    """Run every registered rebuild (or those named in `only`), in registration order; returns
    their names. An unknown name in `only` raises KeyError before anything runs."""
    unknown = sorted((only or set()) - set(_REBUILDERS))
    if unknown:
        raise KeyError(", ".join(unknown))
    chosen = [name for name in _REBUILDERS if only is None or name in only]
    for name in chosen:
        say(f"  rollup {name} …")
        _REBUILDERS[name](say)
    return chosen


_deferred: contextvars.ContextVar[bool] = contextvars.ContextVar("rollups_deferred", default=False)


def is_deferred() -> bool:
    """True inside `deferred()`: the services skip their per-write refreshes."""
    return _deferred.get()


@contextlib.contextmanager
def deferred(say: Say = lambda _msg: None) -> Iterator[None]:
    """For bulk writers (the demo loader): the services skip their per-write refreshes inside
    the block, and every rollup is rebuilt once when it ends without an error."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)
    rebuild_all(say)
