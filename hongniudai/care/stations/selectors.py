"""Every read of the service stations and the mass organisations for an acting user (VIEW scope):
the catalogue, stations, requests with their yellow/red signal, activities, and the measures per
station, village and organisation. Lists run a fixed number of queries whatever their rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Case, CharField, Count, F, OuterRef, Prefetch, Q, QuerySet, Sum, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import RoleAssignment, User
from hongniudai.accounts.scope import AnyUser, Capability, scope_for
from hongniudai.common import parsing
from hongniudai.common.pick import PICK_LIMIT
from hongniudai.common.subqueries import count_of
from hongniudai.governance.interface import Signal
from hongniudai.places.models import AreaKind, AreaNode, Resident
from hongniudai.places.selectors import resident_search_q

from .models import (
    OPEN_STATUSES,
    ActivityPhoto,
    MassActivity,
    MassOrg,
    MassOrgKind,
    RequestOutcome,
    RequestStatus,
    RequestStep,
    Satisfaction,
    ServiceItem,
    ServiceItemLimit,
    ServiceRequest,
    ServiceStation,
    StationStaff,
)


def _scope(user: AnyUser, capability: Capability = Capability.VIEW) -> Any:
    return scope_for(user, capability)


def _get(user: AnyUser, queryset: QuerySet[Any], pk: Any) -> Any:
    """The record if it exists and the user may see it; otherwise 404, the same for both."""
    pk = parsing.parse_id(pk)
    obj = _scope(user).filter(queryset).filter(pk=pk).first() if pk else None
    if obj is None:
        raise Http404
    return obj


def _under(qs: QuerySet[Any], area: AreaNode | None, field_name: str = "area_path") -> QuerySet[Any]:
    return qs if area is None else qs.filter(**{f"{field_name}__under": area.path})


# ---- the catalogue ----------------------------------------------------------------------------


def items(user: AnyUser, *, active: bool | None = None) -> QuerySet[ServiceItem]:
    """The catalogue items of the towns above or within what the user sees (a village secretary
    sees the town's catalogue), with the number of stations offering each (`station_count`)."""
    return items_for_choice(user, active=active).annotate(station_count=Count("stations", distinct=True))


def items_for_choice(user: AnyUser, *, active: bool | None = None) -> QuerySet[ServiceItem]:
    """The same items, in the same order, as a form or a filter offers them: without counting their
    stations (a count over the catalogue's stations per request, for a list of names)."""
    scope = _scope(user)
    if scope.is_empty:
        return ServiceItem.objects.none()
    qs = ServiceItem.objects.all()
    if not scope.everything:
        towns = AreaNode.objects.filter(kind=AreaKind.TOWN)
        town_paths = [p for p in towns.values_list("path", flat=True) if _reaches(scope.area_paths, p)]
        qs = qs.filter(area_path__in=town_paths)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("sort_order", "id")


def pick_items(user: AnyUser, *, q: str) -> list[ServiceItem]:
    """The item picker's matches: catalogue items the user sees (a village's town's, a county's every
    town's) whose name or town contains `q`, town by town (one more than a picker shows)."""
    qs = items_for_choice(user)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(area__name__contains=q))
    qs = qs.select_related("area").only("id", "name", "area__name").order_by("area_path", "sort_order", "id")
    return list(qs[: PICK_LIMIT + 1])


def _reaches(paths: Sequence[str], town_path: str) -> bool:
    """Whether a scope with `paths` lies within (or above) the town at `town_path`."""
    return any(p.startswith(town_path) or town_path.startswith(p) for p in paths)


def item_get(user: AnyUser, pk: Any) -> ServiceItem:
    pk = parsing.parse_id(pk)
    item = items(user).filter(pk=pk).first() if pk else None
    if item is None:
        raise Http404
    return item


def item_limits(item: ServiceItem) -> list[ServiceItemLimit]:
    return list(item.limits.select_related("set_by").order_by("-valid_from", "-id"))


def towns_for_catalogue(user: AnyUser) -> QuerySet[AreaNode]:
    """The towns whose catalogue the user keeps (SERVICES over the town)."""
    return _scope(user, Capability.SERVICES).filter(AreaNode.objects.filter(kind=AreaKind.TOWN)).order_by("path")


def items_for_station(station: ServiceStation) -> QuerySet[ServiceItem]:
    return station.items.filter(is_active=True).order_by("sort_order", "id")


# ---- stations ---------------------------------------------------------------------------------


def stations(user: AnyUser, *, village: AreaNode | None = None, q: str = "") -> QuerySet[ServiceStation]:
    """Visible stations with the number of open requests (`open_count`) and of staff (`staff_count`)."""
    qs = _scope(user).filter(
        ServiceStation.objects.select_related("village").annotate(
            open_count=count_of(ServiceRequest.objects.filter(station=OuterRef("pk"), status__in=OPEN_STATUSES)),
            staff_count=count_of(StationStaff.objects.filter(station=OuterRef("pk"))),
        )
    )
    qs = _under(qs, village)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(village__name__icontains=q))
    return qs.order_by("area_path", "id")


def station_get(user: AnyUser, pk: Any) -> ServiceStation:
    return _get(
        user,
        ServiceStation.objects.select_related("village").prefetch_related(
            Prefetch("items", queryset=ServiceItem.objects.order_by("sort_order", "id")),
            Prefetch("staff", queryset=StationStaff.objects.select_related("user")),
        ),
        pk,
    )


def staff_get(user: AnyUser, pk: Any) -> StationStaff:
    return _get(user, StationStaff.objects.select_related("station"), pk)


def stations_for_choice(user: AnyUser, capability: Capability = Capability.SERVICES) -> QuerySet[ServiceStation]:
    return _scope(user, capability).filter(ServiceStation.objects.select_related("village")).order_by("area_path")


def pick_stations(user: AnyUser, *, q: str) -> list[ServiceStation]:
    """The station picker's matches: stations the user sees whose name or village contains `q`
    (one more than a picker shows, to tell there are more)."""
    qs = stations_for_choice(user, Capability.VIEW)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(village__name__contains=q))
    return list(qs.only("id", "name", "area_path", "village__name")[: PICK_LIMIT + 1])


def villages_without_station(user: AnyUser) -> QuerySet[AreaNode]:
    return (
        _scope(user, Capability.SERVICES)
        .filter(AreaNode.objects.filter(kind=AreaKind.VILLAGE, service_station__isnull=True))
        .only("id", "name", "path", "kind")
        .order_by("path")
    )


def handlers_for_choice(station: ServiceStation, area_path: str = "") -> list[User]:
    """Users who may handle a request of the station made at `area_path` (the resident's hamlet;
    the station's village by default): those whose role within the village or above it carries
    SERVICES over that place — a short list, a village's cadres and grid workers."""
    where = area_path or station.area_path
    above = [*_ancestor_paths([station.area_path]), station.area_path]
    rows = (
        RoleAssignment.objects.filter(user__is_active=True, ended_on__isnull=True)
        .filter(Q(area__path__under=station.area_path) | Q(area__path__in=above))
        .select_related("user")
    )
    people = {a.user_id: a.user for a in rows}
    chosen = [u for u in people.values() if scope_for(u, Capability.SERVICES).covers_path(area_path=where)]
    return sorted(chosen, key=lambda u: (u.display_name or u.username, u.pk))


# ---- requests ---------------------------------------------------------------------------------


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def end_of_today(now: dt.datetime) -> dt.datetime:
    day = timezone.localtime(now, _tz()).date()
    return dt.datetime.combine(day, dt.time(23, 59, 59, 999999), tzinfo=_tz())


def signal_expr(now: dt.datetime) -> Case:
    """The matters' signal, in SQL: red past the deadline, yellow on its day (a deadline is the end
    of a working day, so its last working day is its own day), green before; a closed request
    has none ("")."""
    return Case(
        When(~Q(status__in=OPEN_STATUSES), then=Value("")),
        When(deadline__lt=now, then=Value(Signal.RED)),
        When(deadline__lte=end_of_today(now), then=Value(Signal.YELLOW)),
        default=Value(Signal.GREEN),
        output_field=CharField(),
    )


def signal_q(signal: str, now: dt.datetime) -> Q:
    open_ = Q(status__in=OPEN_STATUSES)
    if signal == Signal.RED:
        return open_ & Q(deadline__lt=now)
    if signal == Signal.YELLOW:
        return open_ & Q(deadline__gte=now, deadline__lte=end_of_today(now))
    return open_ & Q(deadline__gt=end_of_today(now))


STATE_OPEN = "open"
STATE_CLOSED = "closed"


def requests(
    user: AnyUser,
    *,
    station: ServiceStation | None = None,
    village: AreaNode | None = None,
    state: str = "",
    status: str = "",
    signal: str = "",
    item: ServiceItem | None = None,
    channel: str = "",
    home_service: bool | None = None,
    received_from: dt.date | None = None,
    received_to: dt.date | None = None,
    q: str = "",
    now: dt.datetime | None = None,
) -> QuerySet[ServiceRequest]:
    """Visible requests, newest first, each with its `signal` (green, yellow, red; "" when closed)."""
    now = now or timezone.now()
    qs = _scope(user).filter(
        ServiceRequest.objects.select_related("station", "village", "item", "resident", "handler").annotate(
            signal=signal_expr(now)
        )
    )
    if station is not None:
        qs = qs.filter(station=station)
    qs = _under(qs, village)
    if state == STATE_OPEN:
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif state == STATE_CLOSED:
        qs = qs.filter(status=RequestStatus.CLOSED)
    if status:
        qs = qs.filter(status=status)
    if signal in (Signal.RED, Signal.YELLOW, Signal.GREEN):
        qs = qs.filter(signal_q(signal, now))
    if item is not None:
        qs = qs.filter(item=item)
    if channel:
        qs = qs.filter(channel=channel)
    if home_service is not None:
        qs = qs.filter(home_service=home_service)
    if received_from is not None:
        qs = qs.filter(received_at__gte=start_of(received_from))
    if received_to is not None:
        qs = qs.filter(received_at__lt=start_of(received_to + dt.timedelta(days=1)))
    q = (q or "").strip()
    if q:
        found = Resident.objects.filter(resident_search_q(q)).values("pk")
        qs = qs.filter(Q(resident__in=found) | Q(person_name__icontains=q) | Q(description__icontains=q))
    return qs.order_by("-received_at", "-id")


def start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=_tz())


def request_get(user: AnyUser, pk: Any) -> ServiceRequest:
    return _get(user, requests(user), pk)


def request_steps(request: ServiceRequest) -> list[RequestStep]:
    return list(request.steps.select_related("actor").order_by("at", "id"))


def hamlets_of_station(user: AnyUser, station: ServiceStation) -> QuerySet[AreaNode]:
    return (
        _scope(user)
        .filter(AreaNode.objects.filter(kind=AreaKind.HAMLET, path__under=station.area_path))
        .order_by("path")
    )


def residents_of_station(user: AnyUser, station: ServiceStation, *, q: str = "") -> QuerySet[Resident]:
    """Residents of the station's village the user may record requests for."""
    qs = _scope(user, Capability.SERVICES).filter(
        Resident.objects.select_related("household", "household__hamlet").filter(
            household__hamlet__path__under=station.area_path
        )
    )
    q = (q or "").strip()
    if q:
        qs = qs.filter(resident_search_q(q))
    return qs.order_by("household__hamlet__path", "name", "id")


def residents_for_request(user: AnyUser, *, q: str = "") -> QuerySet[Resident]:
    """Residents the user may record requests for (SERVICES scope); the service checks the station's village."""
    qs = _scope(user, Capability.SERVICES).filter(Resident.objects.select_related("household", "household__hamlet"))
    q = (q or "").strip()
    if q:
        qs = qs.filter(resident_search_q(q))
    return qs.order_by("household__hamlet__path", "name", "id")


def residents_for_activity(user: AnyUser, *, q: str = "") -> QuerySet[Resident]:
    """Residents the user sees, to name as an activity's participants."""
    qs = _scope(user).filter(Resident.objects.select_related("household", "household__hamlet"))
    q = (q or "").strip()
    if q:
        qs = qs.filter(resident_search_q(q))
    return qs.order_by("household__hamlet__path", "name", "id")


def red_requests(now: dt.datetime) -> QuerySet[ServiceRequest]:
    """Open requests past their deadline at `now` (not scoped: the daily job's)."""
    return ServiceRequest.objects.filter(status__in=OPEN_STATUSES, deadline__lt=now).select_related("item", "handler")


# ---- measures ---------------------------------------------------------------------------------


@dataclass
class RequestMeasures:
    """A station's (or a total's) requests received in a period: completed, on time, home services,
    rated and satisfied (满意 or 基本满意)."""

    label: str
    station: ServiceStation | None = None
    requests: int = 0
    completed: int = 0
    on_time: int = 0
    home: int = 0
    rated: int = 0
    satisfied: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.completed, 1) if self.completed else None

    @property
    def satisfaction_rate(self) -> float | None:
        return round(100 * self.satisfied / self.rated, 1) if self.rated else None

    def add(self, other: RequestMeasures) -> None:
        for name in ("requests", "completed", "on_time", "home", "rated", "satisfied"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Measures:
    rows: list[RequestMeasures]
    total: RequestMeasures
    start: dt.date
    end: dt.date
    orgs: list[OrgMeasures] = field(default_factory=list)


def request_measures(
    user: AnyUser, *, start: dt.date, end: dt.date, village: AreaNode | None = None
) -> tuple[list[RequestMeasures], RequestMeasures]:
    """Per visible station, the requests received from `start` to `end` (both included): one
    grouped query for the figures, one for the stations."""
    qs = _under(_scope(user).filter(ServiceRequest.objects.all()), village).filter(
        received_at__gte=start_of(start), received_at__lt=start_of(end + dt.timedelta(days=1))
    )
    done = Q(status=RequestStatus.CLOSED)
    grouped = qs.values("station_id").annotate(
        n=Count("id"),
        completed=Count("id", filter=done),
        on_time=Count("id", filter=done & Q(completed_at__lte=F("deadline"))),
        home=Count("id", filter=Q(home_service=True)),
        rated=Count("id", filter=~Q(satisfaction="")),
        satisfied=Count("id", filter=Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY])),
    )
    figures = {r["station_id"]: r for r in grouped}
    total = RequestMeasures(label=_("合计"))
    rows: list[RequestMeasures] = []
    for station in _under(stations_for_choice(user, Capability.VIEW), village):
        r = figures.get(station.pk, {})
        row = RequestMeasures(
            label=station.village.name,
            station=station,
            requests=r.get("n", 0),
            completed=r.get("completed", 0),
            on_time=r.get("on_time", 0),
            home=r.get("home", 0),
            rated=r.get("rated", 0),
            satisfied=r.get("satisfied", 0),
        )
        rows.append(row)
        total.add(row)
    return rows, total


OUTCOMES = RequestOutcome


# ---- mass organisations -----------------------------------------------------------------------


def orgs(user: AnyUser, *, kind: str = "", area: AreaNode | None = None, q: str = "") -> QuerySet[MassOrg]:
    """Visible mass organisations with their activities counted; a town's are seen from its villages."""
    scope = _scope(user)
    if scope.is_empty:
        return MassOrg.objects.none()
    qs = MassOrg.objects.all()
    if not scope.everything:
        qs = qs.filter(Q(area_path__in=_ancestor_paths(scope.area_paths)) | _paths_q(scope.area_paths))
    qs = qs.select_related("area").annotate(activity_count=count_of(MassActivity.objects.filter(org=OuterRef("pk"))))
    if kind:
        qs = qs.filter(kind=kind)
    qs = _under(qs, area)
    q = (q or "").strip()
    if q:
        qs = qs.filter(name__icontains=q)
    return qs.order_by("area_path", "kind", "id")


def _paths_q(paths: Sequence[str]) -> Q:
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(area_path__under=p)
    return q


def _ancestor_paths(paths: Sequence[str]) -> list[str]:
    """Every path above `paths` (a path is a sequence of fixed-width segments each ending in "/")."""
    out: set[str] = set()
    for p in paths:
        parts = [s for s in p.split("/") if s]
        for i in range(1, len(parts)):
            out.add("/" + "/".join(parts[:i]) + "/")
    return sorted(out)


def org_get(user: AnyUser, pk: Any) -> MassOrg:
    pk = parsing.parse_id(pk)
    org = orgs(user).filter(pk=pk).first() if pk else None
    if org is None:
        raise Http404
    return org


def orgs_for_choice(user: AnyUser) -> QuerySet[MassOrg]:
    """Organisations whose activities the user may record (SERVICES over where they are held)."""
    return orgs(user).order_by("area_path", "kind", "id")


def pick_orgs(user: AnyUser, *, q: str) -> list[MassOrg]:
    """The organisation picker's matches: organisations the user records activities of, by name."""
    qs = orgs_for_choice(user)
    if q:
        qs = qs.filter(name__contains=q)
    return list(qs[: PICK_LIMIT + 1])


def areas_for_org(user: AnyUser) -> QuerySet[AreaNode]:
    return (
        _scope(user, Capability.SERVICES)
        .filter(AreaNode.objects.filter(kind__in=[AreaKind.TOWN, AreaKind.VILLAGE]))
        .only("id", "name", "path", "kind")
        .order_by("path")
    )


def activities(
    user: AnyUser,
    *,
    org: MassOrg | None = None,
    kind: str = "",
    village: AreaNode | None = None,
    held_from: dt.date | None = None,
    held_to: dt.date | None = None,
    q: str = "",
) -> QuerySet[MassActivity]:
    """Visible activities (held within what the user sees), with their photos and named participants counted."""
    qs = _scope(user).filter(
        MassActivity.objects.select_related("org", "village", "station").annotate(
            photo_count=count_of(ActivityPhoto.objects.filter(activity=OuterRef("pk"))),
            named_count=count_of(MassActivity.participants.through.objects.filter(massactivity=OuterRef("pk"))),
        )
    )
    if org is not None:
        qs = qs.filter(org=org)
    if kind:
        qs = qs.filter(org__kind=kind)
    qs = _under(qs, village)
    if held_from is not None:
        qs = qs.filter(held_on__gte=held_from)
    if held_to is not None:
        qs = qs.filter(held_on__lte=held_to)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(place__icontains=q))
    return qs.order_by("-held_on", "-id")


def activity_get(user: AnyUser, pk: Any) -> MassActivity:
    return _get(user, activities(user), pk)


def activity_participants(activity: MassActivity) -> list[Resident]:
    return list(activity.participants.select_related("household__hamlet").order_by("name", "id"))


def activity_photos(activity: MassActivity) -> list[ActivityPhoto]:
    return list(activity.photos.order_by("uploaded_at", "id"))


def photo_get(user: AnyUser, pk: Any) -> ActivityPhoto:
    return _get(user, ActivityPhoto.objects.select_related("activity"), pk)


@dataclass
class OrgMeasures:
    """Activities and participants of one kind of organisation in one village (or at the town)."""

    village: str
    kind: str
    kind_label: str
    activities: int
    participants: int


def org_measures(user: AnyUser, *, start: dt.date, end: dt.date, village: AreaNode | None = None) -> list[OrgMeasures]:
    """Per village and kind of organisation, the activities held from `start` to `end`: one grouped query."""
    labels = dict(MassOrgKind.choices)
    qs = _under(_scope(user).filter(MassActivity.objects.all()), village).filter(held_on__gte=start, held_on__lte=end)
    rows = (
        qs.values("village__name", "village__path", "org__kind")
        .annotate(n=Count("id"), people=Sum("participant_count"))
        .order_by("village__path", "org__kind")
    )
    return [
        OrgMeasures(
            village=r["village__name"] or _("镇级"),
            kind=r["org__kind"],
            kind_label=str(labels.get(r["org__kind"], r["org__kind"])),
            activities=r["n"],
            participants=r["people"] or 0,
        )
        for r in rows
    ]
