"""The reads of matters for an acting user: lists and the inbox, a matter's file and timeline,
deadline signals, the report form's choices, and what the REST API shows of a matter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from hongniudai.accounts.models import Role, User
from hongniudai.accounts.scope import (
    Capability,
    get_covered_or_404,
    get_scoped_or_404,
    grant_q,
    roles_of,
    scope_for,
)
from hongniudai.common import parsing
from hongniudai.common.tree import ancestor_ids
from hongniudai.places import selectors as place_selectors
from hongniudai.places.models import AreaKind, AreaNode, Resident

from ..calendar import Signal, WorkCalendar, signal
from ..models import (
    OPEN_STATUSES,
    Agreement,
    Attachment,
    Category,
    Channel,
    FollowUp,
    Matter,
    MatterEvent,
    MatterStatus,
    MediationSession,
)

LIST_RELATED = ("category", "place", "place__parent", "area", "handler")


def for_list(qs: QuerySet[Matter]) -> QuerySet[Matter]:
    """A list of matters joins nothing: the categories, places (with their grid and village),
    holders and handlers of the rows shown are fetched after the page is cut, in four small
    queries. Joining them to every matter in scope before the sort cost a village's list 50 ms on
    PostgreSQL, and led SQLite to read a county's matters by category and sort them all."""
    return qs.prefetch_related(
        "category", Prefetch("place", queryset=AreaNode.objects.select_related("parent__parent")), "area", "handler"
    )


def ids_of(qs: QuerySet[Matter]) -> QuerySet[Any]:
    """The ids of a list of matters, in its order, to be cut into a page (`list_page_rows`, `api_page`)."""
    return qs.prefetch_related(None).values_list("pk", flat=True)


# What a row of the matter list reads of a matter (`governance.rows`): its own labels and deadlines,
# its category's name, and the names and kinds of its place, grid and village (`place_text`).
LIST_ROW_FIELDS = (
    "number",
    "title",
    "urgency",
    "level",
    "status",
    "accept_due_at",
    "settle_due_at",
    "reported_at",
    "category__name",
    *(f"place{up}__{name}" for up in ("", "__parent", "__parent__parent") for name in ("name", "kind")),
)


def list_page_rows(ids: Any) -> list[Matter]:
    """The matters of the list's page cut as ids (`ids_of`), in that order, each with only the
    columns its row shows (`LIST_ROW_FIELDS`) and its category and places joined, in one query on
    the page's rows (after the cut). The API's list reads its page with `api_page`."""
    ids = list(ids)
    qs = Matter.objects.filter(pk__in=ids).select_related("category", "place__parent__parent").only(*LIST_ROW_FIELDS)
    found = {m.pk: m for m in qs}
    return [found[pk] for pk in ids if pk in found]


def matters(
    user: User,
    *,
    q: str = "",
    status: str = "",
    level: str = "",
    category: Category | None = None,
    kind: str = "",
    area: AreaNode | None = None,
    overdue: bool | None = None,
    reported_from: dt.date | None = None,
    reported_to: dt.date | None = None,
) -> QuerySet[Matter]:
    qs = for_list(scope_for(user).filter(Matter.objects.all()))
    if q:
        q = q.strip()
        qs = qs.filter(
            Q(number=q) | Q(title__icontains=q) | Q(description__icontains=q) | Q(other_parties__icontains=q)
        )
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if level:
        qs = qs.filter(level=level)
    if category is not None:
        qs = qs.filter(category=category)
    if kind:
        qs = qs.filter(category__kind=kind)
    if area is not None:
        qs = qs.filter(origin_path__under=area.path)
    if overdue:
        qs = qs.filter(overdue_q(timezone.now()))
    if reported_from:
        qs = qs.filter(**on_days("reported_at", reported_from, None))
    if reported_to:
        qs = qs.filter(**on_days("reported_at", None, reported_to))
    return qs.order_by("-reported_at", "-id")


def day_start(day: dt.date) -> dt.datetime:
    """Local midnight at the start of `day`, as an aware datetime."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def on_days(field_name: str, first: dt.date | None, last: dt.date | None) -> dict[str, dt.datetime]:
    """Lookups for `field_name` falling on local days first..last (either end open): a range on
    the stored instant, which the index answers, instead of casting every row to a date."""
    bounds = {}
    if first is not None:
        bounds[f"{field_name}__gte"] = day_start(first)
    if last is not None:
        bounds[f"{field_name}__lt"] = day_start(last + dt.timedelta(days=1))
    return bounds


def overdue_q(now: dt.datetime) -> Q:
    return Q(status__in=OPEN_STATUSES) & (Q(status=MatterStatus.NEW, accept_due_at__lt=now) | Q(settle_due_at__lt=now))


def matter_get(user: User, pk: int, *, lists: bool = False) -> Matter:
    """One matter the user may see (404 otherwise), with what its page and its actions read of it
    joined: category, place with its grid and village (`place_text`), holder, handler, reporter
    and the agreement (None when there is none). `lists`: for its page, whether each list of its
    file (`matter_file`) has any row, so that an empty one is not read."""
    related = (*LIST_RELATED, "place__parent__parent", "reporter", "agreement")
    qs = Matter.objects.select_related(*related)
    if lists:
        qs = qs.annotate(**{f"has_{name}": _HasRows(model) for name, model in _LISTS.items()})
    return get_covered_or_404(user, qs, pk)


class _HasRows(Func):
    """Whether the list `model` of a matter's file (a table with a `matter` key) has a row of the
    matter: `EXISTS` on the key, written out (the table and column names are the model's). Django's
    `Exists(model.objects.filter(matter=OuterRef("pk")))` builds and compiles a query per list:
    1.5 ms of CPU for the five, more than the queries of the empty lists it saves."""

    output_field = BooleanField()

    def __init__(self, model: Any) -> None:
        self.table, self.column = model._meta.db_table, model._meta.get_field("matter").column
        super().__init__(F("pk"))

    def as_sql(self, compiler: Any, connection: Any, *args: Any, **extra_context: Any) -> Any:
        table, column = connection.ops.quote_name(self.table), connection.ops.quote_name(self.column)
        extra_context["template"] = f"EXISTS (SELECT 1 FROM {table} WHERE {table}.{column} = %(expressions)s)"
        return super().as_sql(compiler, connection, **extra_context)


def timeline(user: User, matter: Matter) -> QuerySet[MatterEvent]:
    return matter.events.select_related("actor").order_by("at", "id")


def inbox(user: User) -> QuerySet[Matter]:
    """What awaits the user: open matters held exactly at a node they handle, plus those they
    are invited to, most urgent deadline first."""
    handle = scope_for(user, Capability.HANDLE)
    if handle.everything:
        held = Q(status__in=OPEN_STATUSES)
    else:
        held = Q(area_path__in=handle.area_paths, status__in=OPEN_STATUSES)
    # Every arm is answered from an index (held path, invited ids, handler), so the OR stays cheap.
    wanted = held | Q(status=MatterStatus.RESOLVED, handler=user)
    invited = grant_q(Matter, "invited", user.pk)
    if invited is not None:
        wanted |= invited & Q(status__in=OPEN_STATUSES)
    return (
        for_list(Matter.objects.filter(wanted))
        .annotate(due=_next_due())
        .order_by(F("due").asc(nulls_last=True), "reported_at")
    )


def _next_due() -> Any:
    return Case(
        When(status=MatterStatus.NEW, then=F("accept_due_at")),
        When(status=MatterStatus.ACCEPTED, then=F("settle_due_at")),
        default=None,
    )


def due_of(matter: Matter) -> dt.datetime | None:
    return _due(matter.status, matter.accept_due_at, matter.settle_due_at)


def _due(status: str, accept_due_at: dt.datetime | None, settle_due_at: dt.datetime | None) -> dt.datetime | None:
    """The current deadline of a matter in `status`: to accept it, then to settle it; none once settled."""
    if status == MatterStatus.NEW:
        return accept_due_at
    if status == MatterStatus.ACCEPTED:
        return settle_due_at
    return None


def signal_of(matter: Matter, now: dt.datetime | None = None) -> str:
    return signal(now or timezone.now(), due_of(matter)) if matter.is_open else "done"


# ---- for the work pages -------------------------------------------------------------------


@dataclass
class Row:
    """A matter with its deadline signal (green / yellow / red, or "done" when settled)."""

    matter: Matter
    signal: str
    due: dt.datetime | None

    @property
    def place(self) -> str:
        return place_text(self.matter)


def place_text(matter: Matter) -> str:
    """村 / 组 / 湾 of where the matter happened (cheap when `place__parent__parent` is loaded)."""
    names = [matter.place.name]
    parent = matter.place.parent
    while parent is not None and len(names) < 3 and parent.kind in ("grid", "village"):
        names.insert(0, parent.name)
        parent = parent.parent if parent.kind == "grid" else None
    return " / ".join(names)


def with_signals(rows: Any, now: dt.datetime | None = None) -> list[Row]:
    """Signals for many matters with one calendar query (instead of one per matter)."""
    items = list(rows)
    dues = [due_of(m) if m.is_open else None for m in items]
    signals = deadline_signals([(m.is_open, due) for m, due in zip(items, dues, strict=True)], now)
    return [Row(matter=m, signal=sig, due=due) for m, sig, due in zip(items, signals, dues, strict=True)]


def deadline_signals(deadlines: list[tuple[bool, dt.datetime | None]], now: dt.datetime | None = None) -> list[str]:
    """The signal of each (still open?, current deadline) pair — "done" when settled, else green,
    yellow or red as `signal_of` gives it — with one calendar query for them all."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    future = [
        timezone.localtime(due).date() for is_open, due in deadlines if is_open and due is not None and due >= now
    ]
    cal = WorkCalendar(today, max(future)) if future else None
    out = []
    for is_open, due in deadlines:
        if not is_open:
            sig = "done"
        elif due is None:
            sig = Signal.GREEN
        elif now > due:
            sig = Signal.RED
        else:
            assert cal is not None
            due_day = timezone.localtime(due).date()
            day, left = today, 0
            while day < due_day and left == 0:
                day += dt.timedelta(days=1)
                left += 1 if cal.is_working(day) else 0
            sig = Signal.GREEN if left else Signal.YELLOW
        out.append(sig)
    return out


# What a row of the export reads (`governance.views._export_columns`): the list row's columns and
# the category's kind, the holder's name, the channel, when and where it was settled, its outcome,
# other parties and satisfaction; the parties' names come in one more query.
EXPORT_FIELDS = (
    *LIST_ROW_FIELDS,
    "category__kind",
    "area__name",
    "channel",
    "resolved_at",
    "resolved_level",
    "outcome",
    "other_parties",
    "satisfaction",
)


def matter_rows(user: User, **filters: Any) -> QuerySet[Matter]:
    """`matters(...)` for the export: every row is read, so what a row shows is joined in the one
    cursor (not three queries per chunk of rows, as a list's page does after its cut), only the
    columns the file shows (`EXPORT_FIELDS`); the parties' names too."""
    return (
        matters(user, **filters)
        .prefetch_related(None)
        .select_related("category", "place__parent__parent", "area")
        .only(*EXPORT_FIELDS)
        .prefetch_related(Prefetch("parties", queryset=Resident.objects.only("name")))
    )


def report_places(user: User) -> QuerySet[AreaNode]:
    """Hamlets and grids where the user may report a matter."""
    qs = AreaNode.objects.filter(kind__in=(AreaKind.GRID, AreaKind.HAMLET)).select_related("parent__parent")
    return scope_for(user).filter(qs).order_by("path")


def report_channel(user: User) -> str:
    """The channel a signed-in user reports through: centre household, grid patrol, or the web form."""
    roles = roles_of(user)
    if Role.CENTRE_HOUSEHOLD in roles:
        return Channel.CENTRE_HOUSEHOLD
    if Role.GRID_WORKER in roles:
        return Channel.GRID_PATROL
    return Channel.WEB


def party_candidates(
    user: User, *, place: AreaNode | None, q: str = "", exclude: Any = (), limit: int = 20
) -> list[Any]:
    """Residents the user may name as parties: of the village where the matter happened (name,
    pinyin initials or full pinyin), the ones already chosen left out."""
    qs = scope_for(user).filter(Resident.objects.select_related("household__hamlet"))
    if place is not None:
        village = AreaNode.objects.filter(pk__in=ancestor_ids(place.path), kind=AreaKind.VILLAGE).first()
        qs = qs.filter(household__hamlet__path__under=(village or place).path)
    if q.strip():
        qs = qs.filter(place_selectors.resident_search_q(q))
    return list(qs.exclude(pk__in=list(exclude)).order_by("household__hamlet__path", "name", "id")[:limit])


def residents_by_ids(user: User, ids: Any) -> list[Any]:
    clean = [pk for pk in (parsing.parse_id(str(i)) for i in ids) if pk]
    qs = Resident.objects.filter(pk__in=clean).select_related("household__hamlet")
    return list(scope_for(user).filter(qs).order_by("name", "id"))


@dataclass
class MatterFile:
    """Everything about one matter for its page."""

    matter: Matter
    events: list[MatterEvent]
    sessions: list[Any]
    agreement: Any
    follow_ups: list[Any]
    attachments: list[Any]
    parties: list[Any]
    invited: list[Any]


# The lists of a matter's file that are often empty, by the name of their flag (`matter_get`).
_LISTS: dict[str, Any] = {
    "sessions": MediationSession,
    "follow_ups": FollowUp,
    "attachments": Attachment,
    "parties": Matter.parties.through,
    "invited": Matter.invited.through,
}


def matter_file(user: User, matter: Matter, *, households: bool = False) -> MatterFile:
    """The file of a matter read by `matter_get` (its agreement joined there): one query for each
    list it shows, however long its history, and none for a list `matter_get(lists=True)` found
    empty. `households`: each party's household and hamlet too (the printed agreement names
    them; the matter page does not)."""

    def read(name: str, rows: QuerySet[Any]) -> list[Any]:
        return list(rows) if getattr(matter, f"has_{name}", True) else []

    parties = matter.parties.order_by("name", "id")
    return MatterFile(
        matter=matter,
        events=list(timeline(user, matter)),
        sessions=read("sessions", matter.sessions.select_related("recorded_by").order_by("held_on", "id")),
        agreement=getattr(matter, "agreement", None),
        follow_ups=read("follow_ups", matter.follow_ups.select_related("visited_by").order_by("visited_on", "id")),
        attachments=read("attachments", matter.attachments.select_related("uploaded_by").order_by("uploaded_at", "id")),
        parties=read("parties", parties.select_related("household__hamlet") if households else parties),
        invited=read("invited", matter.invited.order_by("username")),
    )


def agreement_get(user: User, matter_pk: int) -> Agreement:
    """The agreement of a matter the user may see; 404 when there is none or it is out of scope."""
    return get_scoped_or_404(user, Agreement.objects.select_related("matter", "matter__place"), matter_id=matter_pk)


def attachment_get(user: User, pk: int) -> Attachment:
    return get_scoped_or_404(user, Attachment.objects.select_related("matter"), pk=pk)


def hand_down_targets(user: User, matter: Matter) -> QuerySet[AreaNode]:
    """Nodes between the current holder (exclusive) and the place (inclusive) on its branch."""
    return (
        AreaNode.objects.filter(pk__in=ancestor_ids(matter.origin_path))
        .filter(path__under=matter.area.path, kind__in=(AreaKind.VILLAGE, AreaKind.GRID, AreaKind.HAMLET))
        .exclude(pk=matter.area_id)
        .order_by("depth")
    )


# ---- for the REST API ---------------------------------------------------------------------


def with_details(qs: QuerySet[Matter]) -> QuerySet[Matter]:
    """Matters with what the API shows of each: the reporter, the parties (name and masked ID
    only), the invited people, and counts of sessions, attachments, follow-up visits and events,
    all in a fixed number of queries however many matters there are. `qs` is a list queryset
    (`matters(...)`, or `for_list` of one), whose related rows come after the page is cut."""
    return qs.annotate(**_detail_counts()).prefetch_related(
        # Into lists (`to_attr`): a prefetch into the managers builds a queryset per matter.
        Prefetch(
            "parties",
            queryset=Resident.objects.only("id", "name", "id_masked").order_by("name", "id"),
            to_attr="parties_shown",
        ),
        Prefetch(
            "invited",
            queryset=User.objects.only("id", "username", "display_name").order_by("username"),
            to_attr="invited_shown",
        ),
        "reporter",
    )


def _detail_counts() -> dict[str, Any]:
    """The counts the API shows of a matter, each a subquery on the matter's key."""

    def count_of(model: Any) -> Any:
        rows = model.objects.filter(matter=OuterRef("pk")).order_by().values("matter").annotate(n=Count("*"))
        return Coalesce(Subquery(rows.values("n")[:1], output_field=IntegerField()), Value(0))

    return {
        "session_count": count_of(MediationSession),
        "attachment_count": count_of(Attachment),
        "follow_up_count": count_of(FollowUp),
        "event_count": count_of(MatterEvent),
        "has_agreement": Exists(Agreement.objects.filter(matter=OuterRef("pk"))),
    }


# The columns of a matter the API shows, as `values()` names them (a key's value for a key).
API_COLUMNS = (
    "id",
    "number",
    "title",
    "description",
    "category",
    "place",
    "lon",
    "lat",
    "address",
    "level",
    "area",
    "handler",
    "status",
    "urgency",
    "channel",
    "reporter",
    "reporter_name",
    "reporter_phone",
    "other_parties",
    "attributes",
    "reported_at",
    "level_since",
    "accepted_at",
    "accept_due_at",
    "settle_due_at",
    "resolved_at",
    "resolved_level",
    "outcome",
    "resolution",
    "public_notes",
    "satisfaction",
    "escalations",
    "reopened",
)
# What the API shows of a matter's relations, joined: category, place and its parent, holder,
# handler and reporter (the last two may be missing: null).
API_LABELS = (
    "category__code",
    "category__name",
    "category__kind",
    "place__name",
    "place__parent__name",
    "area__name",
    "handler__username",
    "handler__display_name",
    "reporter__username",
    "reporter__display_name",
)


@cache
def _api_queries() -> tuple[QuerySet[Any], QuerySet[Any], QuerySet[Any]]:
    """The three queries of `api_page` — the matters, their parties, their invited people — built
    once per process and only ever filtered (a clone) per page, never read themselves: building
    the first, its 43 columns and five counting subqueries, cost more than reading its rows."""
    matters = Matter.objects.order_by().values(*API_COLUMNS, *API_LABELS, **_detail_counts())
    parties = Matter.parties.through.objects.order_by("resident__name", "resident_id").values_list(
        "matter_id", "resident_id", "resident__name", "resident__id_masked"
    )
    invited = Matter.invited.through.objects.order_by("user__username").values_list(
        "matter_id", "user_id", "user__username", "user__display_name"
    )
    return matters, parties, invited


def api_page(ids: Any, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """The matters of a page cut as ids (`ids_of`), in that order, as plain rows for the API list:
    `API_COLUMNS` (foreign keys as ids), `API_LABELS`, the counts of `with_details`, `parties`
    (id, name, id_masked; by name) and `invited` (id, username, display_name; by username) as
    lists of dicts, and the deadline's `due` and `signal`. Three queries and one calendar query
    however long the page, and no model instance: building some 340 of them per page, and
    serializing them field by field, was most of the list's time."""
    ids = list(ids)
    matters, parties, invited = _api_queries()
    found = {row["id"]: row for row in matters.filter(pk__in=ids)}
    for row in found.values():
        row["parties"], row["invited"] = [], []
    for matter_id, pk, name, id_masked in parties.filter(matter_id__in=found):
        found[matter_id]["parties"].append({"id": pk, "name": name, "id_masked": id_masked})
    for matter_id, pk, username, display_name in invited.filter(matter_id__in=found):
        found[matter_id]["invited"].append({"id": pk, "username": username, "display_name": display_name})
    rows = [found[pk] for pk in ids if pk in found]
    deadlines = []
    for row in rows:
        row["due"] = _due(row["status"], row["accept_due_at"], row["settle_due_at"])
        deadlines.append((row["status"] in OPEN_STATUSES, row["due"]))
    for row, sig in zip(rows, deadline_signals(deadlines, now), strict=True):
        row["signal"] = sig
    return rows


def matter_detail(user: User, pk: int) -> Matter:
    """One matter with `with_details`; 404 when missing or out of the user's scope."""
    return get_scoped_or_404(user, with_details(for_list(Matter.objects.all())), pk=pk)


def matter_after_action(user: User, matter: Matter) -> Matter:
    """The matter as it stands after the user acted on it, with `with_details`. Read without the
    scope filter on purpose: a handler who has just handed a matter up may read the result of
    their own action even though the matter has now left their scope."""
    return with_details(for_list(Matter.objects.filter(pk=matter.pk))).get()


def sessions_of(user: User, matter: Matter) -> QuerySet[MediationSession]:
    """Visits and mediation sessions of a matter the user may see (checked by the caller)."""
    return matter.sessions.select_related("recorded_by").order_by("held_on", "id")


def follow_ups_of(user: User, matter: Matter) -> QuerySet[FollowUp]:
    return matter.follow_ups.select_related("visited_by").order_by("visited_on", "id")


def attachments_of(user: User, matter: Matter) -> QuerySet[Attachment]:
    return matter.attachments.select_related("uploaded_by").order_by("uploaded_at", "id")


def has_agreement(user: User, matter: Matter) -> bool:
    """Whether a mediation agreement of the matter (which the user may see) is recorded."""
    return Agreement.objects.filter(matter=matter).exists()
