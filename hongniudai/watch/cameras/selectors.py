"""Every read of the camera net for an acting user: cameras (never with their stream address in a
list), coverage per grid, the alerts received, the pending alerts, the town's alert kinds and the
platform keys. Reads use the VIEW scope (the keys: EDIT_PLACES); lists run a fixed number of
queries whatever their rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet
from django.http import Http404

from hongniudai.accounts.scope import AnyUser, Capability, scope_for
from hongniudai.common import parsing
from hongniudai.common.subqueries import count_of
from hongniudai.places.models import AreaKind, AreaNode

from .models import AlertKindRule, Camera, CameraAlert, CameraPlatformKey, CameraStatus, PendingAlert, PendingStatus

# What a camera list shows: everything but the stream address (PRIVATE).
LIST_FIELDS = (
    "id",
    "town_id",
    "grid_id",
    "grid__name",
    "grid__path",
    "area_path",
    "code",
    "name",
    "lat",
    "lng",
    "kind",
    "owner",
    "status",
    "last_seen_at",
    "note",
    "created_at",
)


def _view(user: AnyUser) -> Any:
    return scope_for(user, Capability.VIEW)


def _get(user: AnyUser, queryset: QuerySet[Any], pk: Any, capability: Capability = Capability.VIEW) -> Any:
    """The record if it exists and the user may see it; otherwise 404, the same for both."""
    pk = parsing.parse_id(pk)
    obj = scope_for(user, capability).filter(queryset).filter(pk=pk).first() if pk else None
    if obj is None:
        raise Http404
    return obj


# ---- cameras ----------------------------------------------------------------------------------


def cameras(
    user: AnyUser,
    *,
    area: AreaNode | None = None,
    status: str = "",
    kind: str = "",
    q: str = "",
) -> QuerySet[Camera]:
    """Visible cameras with their grid's name, without the stream address (deferred, never read)."""
    qs = _view(user).filter(Camera.objects.select_related("grid").only(*LIST_FIELDS))
    if area is not None:
        qs = qs.filter(area_path__startswith=area.path)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q))
    return qs.order_by("area_path", "code")


def camera_get(user: AnyUser, pk: Any) -> Camera:
    """One visible camera, with its stream address (its page masks it)."""
    return _get(user, Camera.objects.select_related("grid", "town"), pk)


def grids_for_choice(user: AnyUser) -> QuerySet[AreaNode]:
    """The grids and hamlets where `user` may register a camera (WATCH)."""
    return scope_for(user, Capability.WATCH).filter(
        AreaNode.objects.filter(kind__in=(AreaKind.GRID, AreaKind.HAMLET)).order_by("path")
    )


# ---- coverage ---------------------------------------------------------------------------------


def coverage(user: AnyUser, *, area: AreaNode | None = None, without_only: bool = False) -> QuerySet[AreaNode]:
    """Visible grids, each with `camera_count` (removed ones left out) and `working_count`, counted
    per grid by correlated subqueries (only the rows read are counted, not the whole scope grouped)."""
    grids = _view(user).filter(AreaNode.objects.filter(kind=AreaKind.GRID))
    if area is not None:
        grids = grids.filter(path__startswith=area.path)
    cameras = Camera.objects.filter(grid=OuterRef("pk"))
    qs = grids.annotate(
        camera_count=count_of(cameras.exclude(status=CameraStatus.REMOVED)),
        working_count=count_of(cameras.filter(status=CameraStatus.WORKING)),
    ).only("id", "name", "path", "parent_id")
    if without_only:
        qs = qs.filter(camera_count=0)  # type: ignore[misc]  # an annotation
    return qs.order_by("path")


@dataclass(frozen=True)
class CoverageTotals:
    grids: int
    cameras: int
    working: int
    grids_without: int


def coverage_totals(user: AnyUser, *, area: AreaNode | None = None) -> CoverageTotals:
    """The coverage of every visible grid summed: grids, cameras, working cameras, grids with none.
    Two grouped counts (the grids; their cameras), not every grid's counts read and summed."""
    grids = _view(user).filter(AreaNode.objects.filter(kind=AreaKind.GRID))
    if area is not None:
        grids = grids.filter(path__startswith=area.path)
    counts = (
        Camera.objects.filter(grid__in=grids.values("pk"))
        .exclude(status=CameraStatus.REMOVED)
        .aggregate(
            cameras=Count("pk"),
            working=Count("pk", filter=Q(status=CameraStatus.WORKING)),
            covered=Count("grid", distinct=True),
        )
    )
    total = grids.count()
    return CoverageTotals(
        grids=total,
        cameras=counts["cameras"],
        working=counts["working"],
        grids_without=total - counts["covered"],
    )


# ---- alerts -----------------------------------------------------------------------------------


def alerts(
    user: AnyUser,
    *,
    area: AreaNode | None = None,
    camera: Camera | None = None,
    kind: str = "",
    merged: bool | None = None,
) -> QuerySet[CameraAlert]:
    """Visible alerts as received, newest first, with their camera, kind and matter."""
    qs = _view(user).filter(
        CameraAlert.objects.select_related("camera", "rule", "matter").only(
            "id",
            "alert_id",
            "area_path",
            "kind",
            "occurred_at",
            "received_at",
            "merged",
            "has_snapshot",
            "note",
            "pending_id",
            "matter_id",
            "camera_id",
            "camera__code",
            "camera__name",
            "rule_id",
            "rule__label",
            "matter__id",
            "matter__number",
            "matter__status",
        )
    )
    if area is not None:
        qs = qs.filter(area_path__startswith=area.path)
    if camera is not None:
        qs = qs.filter(camera=camera)
    if kind:
        qs = qs.filter(kind=kind)
    if merged is not None:
        qs = qs.filter(merged=merged)
    return qs.order_by("-received_at", "-id")


def pending_alerts(
    user: AnyUser, *, status: str = PendingStatus.WAITING, area: AreaNode | None = None
) -> QuerySet[PendingAlert]:
    """Visible pending alerts (by default those still waiting), newest first."""
    qs = _view(user).filter(PendingAlert.objects.select_related("camera", "camera__grid", "rule", "matter"))
    if status:
        qs = qs.filter(status=status)
    if area is not None:
        qs = qs.filter(area_path__startswith=area.path)
    alert_count = count_of(CameraAlert.objects.filter(pending=OuterRef("pk")))
    return qs.annotate(alert_count=alert_count).order_by("-occurred_at", "-id")


def pending_get(user: AnyUser, pk: Any) -> PendingAlert:
    return _get(user, PendingAlert.objects.select_related("camera", "camera__grid", "rule", "matter"), pk)


# ---- the town's table and keys ----------------------------------------------------------------


def alert_kinds(user: AnyUser) -> QuerySet[AlertKindRule]:
    """The alert kinds of the visible towns (VIEW), with their category."""
    return _view(user).filter(AlertKindRule.objects.select_related("town", "category")).order_by("area_path", "code")


def alert_kind_get(user: AnyUser, pk: Any) -> AlertKindRule:
    return _get(user, AlertKindRule.objects.select_related("town", "category"), pk, Capability.EDIT_PLACES)


def platform_keys(user: AnyUser) -> QuerySet[CameraPlatformKey]:
    """The platform keys of the towns `user` administers (EDIT_PLACES)."""
    return scope_for(user, Capability.EDIT_PLACES).filter(CameraPlatformKey.objects.select_related("town", "issued_by"))


def platform_key_get(user: AnyUser, pk: Any) -> CameraPlatformKey:
    return _get(user, CameraPlatformKey.objects.select_related("town"), pk, Capability.EDIT_PLACES)


def towns_kept(user: AnyUser) -> QuerySet[AreaNode]:
    """The towns `user` administers (EDIT_PLACES over the town)."""
    return scope_for(user, Capability.EDIT_PLACES).filter(AreaNode.objects.filter(kind=AreaKind.TOWN)).order_by("path")
