"""Precomputed counters and rollups: one registry, so that bulk writers (the county generator,
imports) can bring every rollup up to date after writing around the services.

A package that keeps a rollup registers its rebuild function with `@register("name")`; the
function takes `say` (a progress callback) and recomputes the rollup from the source tables.
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


def register(name: str) -> Callable[[R], R]:
    def decorator(fn: R) -> R:
        _REBUILDERS[name] = fn
        return fn

    return decorator


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
