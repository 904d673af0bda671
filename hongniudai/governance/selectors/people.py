"""Who a matter concerns: the handlers of a node, the people who may be invited to a matter, and
the node of the ladder where a point or a matter lies."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet

from hongniudai.accounts.models import Role, RoleAssignment, User
from hongniudai.common import geo
from hongniudai.common.tree import ancestor_ids
from hongniudai.places.models import AreaKind, AreaNode

from ..models import Matter

# The people who handle matters held at a node of each kind.
HANDLER_ROLES: dict[str, tuple[str, ...]] = {
    AreaKind.HAMLET: (Role.CENTRE_HOUSEHOLD,),
    AreaKind.GRID: (Role.GRID_WORKER, Role.SENT_DOWN_CADRE),
    AreaKind.VILLAGE: (Role.VILLAGE_SECRETARY,),
    AreaKind.TOWN: (Role.TOWN_ADMIN,),
}
# The roles of the people who may be invited to take part in a matter.
INVITABLE_ROLES = (Role.LEGAL_ADVISER, Role.SENT_DOWN_CADRE, Role.VOLUNTEER)


def handlers_of(area: AreaNode) -> list[User]:
    """The active users who handle the matters held at `area`."""
    roles = HANDLER_ROLES.get(area.kind, ())
    ids = RoleAssignment.objects.filter(area=area, role__in=roles).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def ancestor_of_kind(area: AreaNode, kind: str) -> AreaNode | None:
    """The node of `kind` above (or at) `area` on its branch."""
    return AreaNode.objects.filter(pk__in=ancestor_ids(area.path), kind=kind).first()


def locate(*, lon: Decimal | float, lat: Decimal | float, within: AreaNode | None = None) -> AreaNode | None:
    """The hamlet whose polygon holds the point, else the grid whose polygon holds it, else None."""
    x, y = float(lon), float(lat)
    for kind in (AreaKind.HAMLET, AreaKind.GRID):
        qs = AreaNode.objects.filter(kind=kind, geometry__isnull=False)
        if within is not None:
            qs = qs.filter(path__under=within.path)
        for node in qs.only("id", "geometry", "path", "kind", "name", "parent_id"):
            if geo.contains(node.geometry, x, y):
                return node
    return None


def invitable_users(matter: Matter) -> QuerySet[User]:
    """The active legal advisers, sent-down cadres and volunteers of the matter's village and of
    the levels above it on its branch, not yet invited: whom `services.invite` accepts."""
    assigned = RoleAssignment.objects.filter(
        area_id__in=ancestor_ids(matter.origin_path), role__in=INVITABLE_ROLES
    ).values("user_id")
    return User.objects.filter(pk__in=assigned, is_active=True).exclude(matters_invited=matter).order_by("username")


def invitable_of(user: User, matter: Matter) -> QuerySet[User]:
    """People the user may invite to the matter (the village's legal adviser and cadres)."""
    return invitable_users(matter)


def invitees(user: User) -> QuerySet[User]:
    """Every user, as someone named to be invited: whether they may be is the service's rule."""
    return User.objects.order_by("username")


def invitee_get(user: User, pk: int) -> User | None:
    """The user `pk` named to be invited, or None when there is none."""
    return invitees(user).filter(pk=pk).first()
