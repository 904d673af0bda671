"""Precomputed counters and rollups: one registry, so that bulk writers (the county generator,
imports) can bring every rollup up to date after writing around the services.

A package that keeps a rollup registers its rebuild function with `@register("name")`; the
function takes `say` (a progress callback) and recomputes the rollup from the source tables.
"""

from __future__ import annotations

from collections.abc import Callable

Say = Callable[[str], None]
Rebuild = Callable[[Say], None]

_REBUILDERS: dict[str, Rebuild] = {}


def register(name: str) -> Callable[[Rebuild], Rebuild]:
    def decorator(fn: Rebuild) -> Rebuild:
        _REBUILDERS[name] = fn
        return fn

    return decorator


def rebuild_all(say: Say = lambda _msg: None) -> list[str]:
    """Run every registered rebuild, in registration order; returns their names."""
    for name, fn in _REBUILDERS.items():
        say(f"  rollup {name} …")
        fn(say)
    return list(_REBUILDERS)
