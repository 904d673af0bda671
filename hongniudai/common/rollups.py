"""Precomputed counters and rollups: one registry, so that bulk writers (the county generator,
imports) can bring every rollup up to date after writing around the services.

A package that keeps a rollup registers its rebuild function with `@register("name")`; the
function takes `say` (a progress callback) and recomputes the rollup from the source tables.
"""

from __future__ import annotations

from collections.abc import Callable
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


def rebuild_all(say: Say = lambda _msg: None) -> list[str]:
    """Run every registered rebuild, in registration order; returns their names."""
    for name, fn in _REBUILDERS.items():
        say(f"  rollup {name} …")
        fn(say)
    return list(_REBUILDERS)
