"""The county generator's share of the domains built after the economy: resident services, the
watch and projects (issues 17–19).

Each domain gives one `DomainStage`: `fill(scope)` writes that domain's rows for one town (read from
the database, so the same function fills a freshly generated town and a town of a county generated
before the domain existed) and returns how many rows it wrote; `present(town)` says whether the town
holds the domain's rows already. `fill_town` runs every stage for a new town; `add_missing_domains`
runs, for each generated town, the stages whose rows it lacks (`generate_county` on an existing
county). A stage writes in bulk, keeps true whatever the domain's services keep (counters, rollups),
and draws its numbers from `scope.rng(key)` so that one seed gives one county.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from hongniudai.places.models import AreaNode

from . import county_care, county_projects, county_watch
from .county_write import Stage

Say = Callable[[str], None]


@dataclass(frozen=True)
class TownScope:
    """What a domain stage is given: the town's node and the generation's parameters."""

    town: AreaNode
    seed: int
    scale: float
    now: dt.datetime  # aware, in the local time zone
    today: dt.date

    def rng(self, key: str) -> random.Random:
        """The stage's own random numbers for this town (the town's code, not its id: ids differ run to run)."""
        return random.Random(f"{self.seed}:{key}:{self.town.code}")


@dataclass(frozen=True)
class DomainStage:
    key: str
    label: str
    fill: Callable[[TownScope], int]
    present: Callable[[AreaNode], bool]


# The domains' stages, in the order they run (each domain's module adds its own).
STAGES: tuple[DomainStage, ...] = (
    DomainStage("services", "便民服务", county_care.fill, county_care.present),
    DomainStage("watch", "平安守护", county_watch.fill, county_watch.present),
    DomainStage("projects", "项目服务", county_projects.fill, county_projects.present),
)


def new_stages() -> dict[str, Stage]:
    return {s.key: Stage(s.label) for s in STAGES}


def fill_town(scope: TownScope, stages: dict[str, Stage], *, only_missing: bool = False) -> dict[str, int]:
    """Run every domain's stage for one town (only those whose rows it lacks when `only_missing`);
    returns the rows written per stage key and adds the time to `stages`."""
    written: dict[str, int] = {}
    for domain in STAGES:
        if only_missing and domain.present(scope.town):
            continue
        t0 = time.monotonic()
        rows = domain.fill(scope)
        stage = stages[domain.key]
        stage.rows += rows
        stage.seconds += time.monotonic() - t0
        written[domain.key] = rows
    return written


def add_missing_domains(
    towns: list[AreaNode], *, scale: float, seed: int, now: dt.datetime, progress: Say
) -> dict[str, int]:
    """The domains' rows for the generated towns that lack them; returns the rows written per stage."""
    stages = new_stages()
    totals: dict[str, int] = {}
    for town in towns:
        scope = TownScope(town=town, seed=seed, scale=scale, now=now, today=now.date())
        for key, rows in fill_town(scope, stages, only_missing=True).items():
            totals[key] = totals.get(key, 0) + rows
            progress(f"  {town.name} · {stages[key].label}:{rows:,}")
    return totals
