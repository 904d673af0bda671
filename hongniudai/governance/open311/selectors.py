"""Every read of the Open311 endpoint. There is no acting user here: what a client may see is
decided by its api_key (the key's area) or, without one, only the requests that came in through
Open311, and in both cases only matters of public categories (never disputes)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Max, Q, QuerySet

from hongniudai.audit.models import AuditEvent
from hongniudai.places.models import AreaKind, AreaNode

from ..models import (
    OPEN_STATUSES,
    Category,
    CategoryKind,
    Channel,
    Matter,
    MatterStatus,
    Open311Key,
    open311_key_digest,
)

# What the public face of a matter reads (`public_rows`): each of `PublicMatter`'s value fields and
# the column it comes from. The place's names and the parties' are read alongside (`_CHAIN`, `id`).
PUBLIC_COLUMNS = {
    "number": "number",
    "status": "status",
    "public_notes": "public_notes",
    "category_name": "category__name",
    "category_code": "category__code",
    "description": "description",
    "reporter_name": "reporter_name",
    "other_parties": "other_parties",
    "agency": "area__name",
    "settle_due_at": "settle_due_at",
    "reported_at": "reported_at",
    "resolved_at": "resolved_at",
    "updated_at": "updated_at",
    "address": "address",
    "place_id": "place_id",
    "lat": "lat",
    "lon": "lon",
    "attributes": "attributes",
}
_CHAIN = ("place__name", "place__parent__name", "place__parent__parent__name")


def services() -> QuerySet[Category]:
    """The categories offered as Open311 services: active, public, and never a dispute."""
    return (
        Category.objects.filter(is_active=True, is_public=True)
        .exclude(kind=CategoryKind.DISPUTE)
        .prefetch_related("attributes")
        .order_by("sort_order", "code")
    )


def definitions_changed_at() -> dt.datetime | None:
    """When a category or one of its extra questions was last changed (from the audit trail):
    the discovery document's changeset, telling clients to refresh cached definitions."""
    labels = ("governance.category", "governance.categoryattribute")
    return AuditEvent.objects.filter(target_type__in=labels).aggregate(at=Max("at"))["at"]


def service(code: str) -> Category | None:
    return services().filter(code=code).first()


def key_for(raw: str) -> Open311Key | None:
    """The active key whose digest matches `raw`, or None."""
    raw = (raw or "").strip()
    if not raw or len(raw) > 200:
        return None
    return Open311Key.objects.select_related("area").filter(digest=open311_key_digest(raw), is_active=True).first()


def jurisdiction(value: str) -> AreaNode | None:
    """The town named by `jurisdiction_id`: its statistical code or its id."""
    value = (value or "").strip()
    if not value or len(value) > 20:
        return None
    towns = AreaNode.objects.filter(kind=AreaKind.TOWN)
    node = towns.filter(code=value).first()
    if node is None and value.isascii() and value.isdigit():
        node = towns.filter(pk=int(value)).first()
    return node


def place_by_id(value: str, *, within: AreaNode) -> AreaNode | None:
    """`address_id`: the id of a hamlet or grid inside `within`."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 12:
        return None
    return (
        AreaNode.objects.filter(kind__in=(AreaKind.HAMLET, AreaKind.GRID), path__under=within.path)
        .filter(pk=int(value))
        .first()
    )


def place_by_address(text: str, *, within: AreaNode) -> AreaNode | None:
    """`address_string`: the one hamlet (else the one grid) inside `within` whose name the text
    contains; village names in the text narrow the choice. None when nothing or several match."""
    text = (text or "").strip()
    if not text:
        return None
    nodes = AreaNode.objects.filter(path__under=within.path).only("id", "name", "kind", "path", "parent_id")
    villages = [v for v in nodes.filter(kind=AreaKind.VILLAGE) if v.name in text]
    for kind in (AreaKind.HAMLET, AreaKind.GRID):
        found = [n for n in nodes.filter(kind=kind) if n.name in text]
        if villages:
            found = [n for n in found if any(n.path.startswith(v.path) for v in villages)]
        if len(found) == 1:
            return AreaNode.objects.get(pk=found[0].pk)
        if len(found) > 1:
            return None
    return None


@dataclass(frozen=True, slots=True)
class PublicMatter:
    """What the Open311 face of a matter (`render.public_request`) reads of it: values, not a
    matter with its category, holder and three places as model instances of every column."""

    place_names: tuple[str, ...]  # the place, its parent and grandparent (those there are)
    party_names: tuple[str, ...]
    number: str  # and the rest: the keys of `PUBLIC_COLUMNS`
    status: str
    public_notes: str
    category_name: str
    category_code: str
    description: str
    reporter_name: str
    other_parties: str
    agency: str  # the name of the node that holds it
    settle_due_at: dt.datetime | None
    reported_at: dt.datetime
    resolved_at: dt.datetime | None
    updated_at: dt.datetime
    address: str
    place_id: int
    lat: Decimal | None
    lon: Decimal | None
    attributes: Any


def public_rows(qs: QuerySet[Matter], start: int = 0, stop: int | None = None) -> list[PublicMatter]:
    """The matters `qs[start:stop]` as `PublicMatter`s: one query for the rows (their names
    joined) and one for their parties' names."""
    fields = tuple(PUBLIC_COLUMNS)
    width = len(fields)
    rows = list(qs.values_list(*PUBLIC_COLUMNS.values(), *_CHAIN, "id")[start:stop])
    names: dict[int, list[str]] = {}
    if rows:
        through = Matter.parties.through.objects.filter(matter_id__in=[r[-1] for r in rows])
        for matter_id, name in through.values_list("matter_id", "resident__name"):
            names.setdefault(matter_id, []).append(name)
    out = []
    for row in rows:
        chain = row[width : width + 3]
        depth = chain.index(None) if None in chain else 3
        values = dict(zip(fields, row[:width], strict=True))
        out.append(PublicMatter(place_names=chain[:depth], party_names=tuple(names.get(row[-1], ())), **values))
    return out


def visible(*, key: Open311Key | None, jurisdiction: AreaNode | None) -> QuerySet[Matter]:
    """The matters an Open311 client may list. With a key: those that happened inside the key's
    area; without one: only those that came in through Open311. Always only public categories."""
    qs = Matter.objects.filter(category__is_public=True).exclude(category__kind=CategoryKind.DISPUTE)
    if key is not None:
        qs = qs.filter(origin_path__under=key.area.path)
    else:
        qs = qs.filter(channel=Channel.OPEN311)
    if jurisdiction is not None:
        qs = qs.filter(origin_path__under=jurisdiction.path)
    return qs


def requests(
    *,
    key: Open311Key | None,
    jurisdiction: AreaNode | None,
    ids: Sequence[str] = (),
    codes: Sequence[str] = (),
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    statuses: Sequence[str] = (),
) -> QuerySet[Matter]:
    """GET requests: `ids` (matter numbers) override every other filter, as the specification says."""
    qs = visible(key=key, jurisdiction=jurisdiction)
    if ids:
        return qs.filter(number__in=list(ids)).order_by("-reported_at", "-id")
    if codes:
        qs = qs.filter(category__code__in=list(codes))
    if start is not None:
        qs = qs.filter(reported_at__gte=start)
    if end is not None:
        qs = qs.filter(reported_at__lte=end)
    wanted = set(statuses)
    if wanted == {"open"}:
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif wanted == {"closed"}:
        qs = qs.filter(status__in=(MatterStatus.RESOLVED, MatterStatus.CLOSED))
    return qs.order_by("-reported_at", "-id")


def request_get(number: str, *, key: Open311Key | None, jurisdiction: AreaNode | None) -> PublicMatter | None:
    found = public_rows(visible(key=key, jurisdiction=jurisdiction).filter(number=number).order_by("pk"), 0, 1)
    return found[0] if found else None


def token_get(token: str, *, jurisdiction: AreaNode | None) -> Matter | None:
    """The Open311 matter whose token this is (a random UUID only its poster knows)."""
    try:
        value = uuid.UUID(str(token))
    except ValueError:
        return None
    qs = visible(key=None, jurisdiction=jurisdiction)
    return qs.filter(Q(open311_token=value)).first()
