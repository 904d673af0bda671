"""What the packages above `places` add to its counters and pages, without `places` importing them.

`places` sits below `party` in the layers (`docs/architecture.md`), yet a hamlet counts its party
members, a resident wears a "党员" badge, a grid's page lists its party groups and a hamlet's page its
centre household. Those are party's to compute: `party` registers them here when the app is ready
(`PartyConfig.ready`), and `places` calls whatever is registered. This is the one way a package
extends the counters of a package below it; pages use `common.contributions.PageParts`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from hongniudai.accounts.models import User
from hongniudai.common.contributions import PageParts


@dataclass(frozen=True)
class HamletCount:
    """A counter kept on each hamlet (`AreaNode.<field>`), recomputed by `places.counters`.

    `in_households(ids)` counts for the given households (the write path); `per_hamlet(ref)` is the
    same count as an expression over the hamlet `ref` (an `OuterRef`, for the bulk rebuild)."""

    field: str
    in_households: Callable[[list[int]], int]
    per_hamlet: Callable[[Any], Any]


@dataclass
class Contributions:
    hamlet_counts: list[HamletCount] = field(default_factory=list)
    # name -> an expression over OuterRef("pk") of a resident (a flag the resident list shows)
    resident_flags: dict[str, Callable[[], Any]] = field(default_factory=dict)
    # name -> the count of something among the given (already scoped) residents of a subtree
    resident_counts: dict[str, Callable[[User, QuerySet[Any]], int]] = field(default_factory=dict)
    # links on a household's page: given the user and the household, a (label, url) or None
    household_links: list[Callable[[User, Any], tuple[str, str] | None]] = field(default_factory=list)


# Pages: "area:<kind>" (an area page of that kind, given the user and the area), "resident" (a
# resident's page, given the user and the resident).
pages = PageParts()
registry = Contributions()


def add_hamlet_count(count: HamletCount) -> None:
    registry.hamlet_counts = [c for c in registry.hamlet_counts if c.field != count.field] + [count]


def add_resident_flag(name: str, expression: Callable[[], Any]) -> None:
    registry.resident_flags[name] = expression


def add_resident_count(name: str, count: Callable[[User, QuerySet[Any]], int]) -> None:
    registry.resident_counts[name] = count


def add_household_link(link: Callable[[User, Any], tuple[str, str] | None]) -> None:
    if link not in registry.household_links:
        registry.household_links.append(link)


def household_links(user: User, household: Any) -> list[tuple[str, str]]:
    """The links the packages above add to a household's page, in the order they were added."""
    return [pair for link in registry.household_links if (pair := link(user, household)) is not None]
