"""The one access rule: a user sees the subtrees of the nodes their role assignments name.

Every scoped model declares where it hangs with class attributes holding ORM paths:
  scope_area_path = "household__hamlet__path"   (the path of its area-tree node)
  scope_org_path  = "org__path"                 (the path of its party-organisation node)
  scope_user_grants = "invited"                  (optional: users granted sight of one record,
                                                  e.g. a legal adviser invited to a matter; VIEW only)
A record hanging at two nodes of a tree names both paths in a tuple: a party member hangs at their
branch and at their party group (and the group's grid), so the grid's users see the group's members.
`Scope.filter(queryset)` and `Scope.covers(obj)` read those; selectors use them for every read,
forms for every choice list, the API for every endpoint, exports and search alike.
"""

from __future__ import annotations

import enum
import functools
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection, models
from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404
from django.utils.translation import gettext as _

from hongniudai.common.tree import is_narrow_path

from .caching import cached_assignments
from .models import Role, RoleAssignment, User

# Whoever asks: a signed-in user, or nobody (an anonymous request sees nothing).
AnyUser = User | AnonymousUser | None


class Capability(enum.StrEnum):
    VIEW = "view"
    EDIT_PLACES = "edit_places"
    EDIT_PEOPLE = "edit_people"
    EDIT_PARTY = "edit_party"
    REVEAL_ID = "reveal_id"
    IMPORT = "import"
    AUDIT = "audit"
    HANDLE = "handle"  # act on matters held at or below the node (accept, mediate, escalate, resolve)
    GUIDE = "guide"  # record guidance visits and their follow-ups (instructors, town staff)
    MANAGE_USERS = "manage_users"  # the accounts of the people whose roles lie under the node
    BOOKS_VIEW = "books_view"  # read the collective's books (账套) of the villages under the node
    BOOKS_WRITE = "books_write"  # keep them: accounts, vouchers, postings, reversals
    BOOKS_CLOSE = "books_close"  # close and reopen their periods (the town's 农经 staff)
    ECONOMY_VIEW = "economy_view"  # the collective economy: organisations, land, production, benefits
    ECONOMY_WRITE = "economy_write"  # record it: decisions, members and shares, contracts, work days …
    SERVICES = "services"  # record resident services: station requests, soup rounds, volunteers, activities
    WATCH = "watch"  # record the watch: patrols, cameras and their alerts, campaign reports
    PROJECTS = "projects"  # record projects, service teams, blockers and site visits


_ALL = frozenset(Capability)
CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.TOWN_ADMIN: _ALL,
    Role.DISTRICT_SECRETARY: frozenset(
        {
            Capability.VIEW,
            Capability.EDIT_PEOPLE,
            Capability.EDIT_PARTY,
            Capability.REVEAL_ID,
            Capability.AUDIT,
            Capability.HANDLE,
            Capability.ECONOMY_VIEW,
            Capability.SERVICES,
            Capability.WATCH,
        }
    ),
    Role.VILLAGE_SECRETARY: frozenset(
        {
            Capability.VIEW,
            Capability.EDIT_PEOPLE,
            Capability.EDIT_PARTY,
            Capability.REVEAL_ID,
            Capability.IMPORT,
            Capability.HANDLE,
            Capability.BOOKS_VIEW,
            Capability.BOOKS_WRITE,
            Capability.ECONOMY_VIEW,
            Capability.ECONOMY_WRITE,
            Capability.SERVICES,
            Capability.WATCH,
        }
    ),
    # Those who serve households see what reached them (the household's benefit).
    Role.GRID_WORKER: frozenset(
        {
            Capability.VIEW,
            Capability.EDIT_PEOPLE,
            Capability.HANDLE,
            Capability.ECONOMY_VIEW,
            Capability.SERVICES,
            Capability.WATCH,
        }
    ),
    Role.SENT_DOWN_CADRE: frozenset({Capability.VIEW, Capability.HANDLE}),
    Role.CENTRE_HOUSEHOLD: frozenset(
        {Capability.VIEW, Capability.HANDLE, Capability.ECONOMY_VIEW, Capability.SERVICES}
    ),
    Role.INSTRUCTOR: frozenset({Capability.VIEW, Capability.GUIDE}),
    Role.LEGAL_ADVISER: frozenset({Capability.VIEW}),
    # A volunteer sees their own tasks, hours and soup visits (through `Volunteer.user`) and nothing
    # else of the area: no capability on it. A matter they are invited to is theirs by that grant.
    Role.VOLUNTEER: frozenset(),
    # IMPORT with BOOKS_WRITE: the opening balances and a year of vouchers from Excel (nothing else:
    # every other import also asks for EDIT_PEOPLE or EDIT_PARTY).
    Role.VILLAGE_ACCOUNTANT: frozenset(
        {
            Capability.BOOKS_VIEW,
            Capability.BOOKS_WRITE,
            Capability.IMPORT,
            Capability.ECONOMY_VIEW,
            Capability.ECONOMY_WRITE,
        }
    ),
    Role.RURAL_ECONOMY_OFFICER: frozenset({Capability.BOOKS_VIEW, Capability.BOOKS_CLOSE, Capability.ECONOMY_VIEW}),
    # A service team's cadre (包联干部), on the park or the town node: sees it, records its projects.
    Role.PROJECT_CADRE: frozenset({Capability.VIEW, Capability.PROJECTS}),
}

M = TypeVar("M", bound=models.Model)


def minimal_paths(paths: Iterable[str]) -> tuple[str, ...]:
    """Drop paths that lie inside another path of the set."""
    out: list[str] = []
    for p in sorted(set(paths)):
        if not any(p.startswith(kept) for kept in out):
            out.append(p)
    return tuple(out)


def _resolve(obj: Any, dotted: str) -> Any:
    for part in dotted.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


def _paths(model: type[models.Model], attribute: str) -> tuple[str, ...]:
    """The ORM paths a model names in `scope_area_path` or `scope_org_path` (one, several or none)."""
    paths = getattr(model, attribute, None) or ()
    return (paths,) if isinstance(paths, str) else tuple(paths)


def _grants(model: type[models.Model]) -> tuple[str, ...]:
    grants = getattr(model, "scope_user_grants", ())
    return (grants,) if isinstance(grants, str) else tuple(grants)


# A user's individual grants of one kind are few (the matters they reported or were invited to);
# up to this many are listed by id, which every database answers from the primary key index.
GRANT_LIST_MAX = 500


def grant_q(model: type[models.Model], grant: str, user_id: int) -> Q | None:
    """The rows of `model` that `grant` (an ORM path ending at a user) gives `user_id`, as a
    condition the database can answer from an index, so that it can be OR-ed with the subtree
    conditions without a scan: a plain foreign-key chain compares the key; a path through a
    many-valued relation is resolved now to the ids at that hop (a join there would repeat rows).
    None when the grant gives nothing."""
    parts = grant.split("__")
    current: Any = model
    for i, name in enumerate(parts):
        field = current._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            prefix = "__".join(parts[:i])
            rest = "__".join(parts[i:])
            ids_qs = current._default_manager.filter(**{rest: user_id}).values_list("pk", flat=True)
            ids = list(ids_qs[: GRANT_LIST_MAX + 1])
            if not ids:
                return None
            target = f"{prefix}__in" if prefix else "pk__in"
            return Q(**{target: ids if len(ids) <= GRANT_LIST_MAX else ids_qs})
        if field.related_model is None:
            break
        current = field.related_model
    return Q(**{grant: user_id})


def granted_beyond(model: type[models.Model], user_id: int, subtree: Q | None) -> list[Q]:
    """The conditions for the rows of `model` that its grants give `user_id` beyond `subtree` (the
    rows of their own nodes), to be OR-ed with it.

    A grant on the model itself (`reporter`, `invited`) is resolved now to the ids of the rows it
    gives outside the subtree, all grants in one query: most such rows lie inside (a secretary
    reports in their own village), and then nothing is OR-ed at all. Compared in the query, the
    grant turned a village's list of matters into a bitmap OR that read the heap of each of its
    2,648 matters twice, for the count and for the page (14 ms on PostgreSQL), where the subtree
    alone is read from an index. Past `GRANT_LIST_MAX` rows, and for grants through another table
    (`matter__reporter`), the grant is a condition as `grant_q` writes it."""
    own = [g for g in _grants(model) if LOOKUP_SEP not in g]
    conditions = [grant_q(model, g, user_id) for g in _grants(model) if g not in own]
    if own:
        arms = []
        for grant in own:
            arm = model._default_manager.filter(**{grant: user_id})
            if subtree is not None:
                arm = arm.exclude(subtree)
            arms.append(arm.order_by().values_list("pk", flat=True))
        ids = list(arms[0].union(*arms[1:])[: GRANT_LIST_MAX + 1])
        if len(ids) > GRANT_LIST_MAX:
            conditions += [grant_q(model, g, user_id) for g in own]
        elif ids:
            conditions.append(Q(pk__in=ids))
    return [c for c in conditions if c is not None]


# A condition every row meets. Not Q(): callers OR the scope with other conditions, and an empty Q
# OR-ed with another is that other one alone (`Q() | Q(user=me)` is `Q(user=me)`).
EVERY_ROW = Q(pk__isnull=False)


def _tree_of(model: type[models.Model], field: str) -> tuple[type[models.Model], bool] | None:
    """The tree model that `field` (an ORM path ending at a tree node's `path`) reaches, and whether
    the first hop may be empty; None when the path goes through a nullable later hop, a to-many
    relation, or ends at a copied column rather than a tree node (the whole-tree shortcut does not
    apply to those)."""
    parts = field.split(LOOKUP_SEP)
    current: Any = model
    first_nullable = False
    for i, name in enumerate(parts[:-1]):
        hop = current._meta.get_field(name)
        if hop.many_to_many or hop.one_to_many or hop.related_model is None:
            return None
        if hop.null:
            if i > 0:
                return None
            first_nullable = True
        current = hop.related_model
    parent = next((f for f in current._meta.fields if f.name == "parent"), None)
    if parts[-1] != "path" or parent is None or parent.related_model is not current:
        return None
    return current, first_nullable


def _sole_root(tree: type[models.Model]) -> str | None:
    """The path of the tree's root when it has exactly one (a county's, or a town's deployment)."""
    roots = list(tree._default_manager.filter(parent__isnull=True).values_list("path", flat=True)[:2])
    return roots[0] if len(roots) == 1 else None


def _under_q(model: type[models.Model], field: str, path: str, *, alone: bool, roots: dict[Any, str | None]) -> Q:
    """The rows of `model` whose node (`field`, an ORM path ending at a tree path) lies under `path`.

    Alone, that is a path condition through the joins. OR-ed with others (a member hangs at their
    branch's area and at their group's), no index answers the OR across joined tables, and the
    database reads every row of the model. So within a narrow subtree (a village, a grid) the
    first hop is resolved now: the ids of the related rows under `path` (a branch and its groups),
    and the condition is on the model's own key column, which its index answers, OR or not.

    At the other end, `path` may be the root of the whole tree (the county's administrator, when the
    deployment holds one county): every node lies under it, so every row whose chain of keys reaches
    a node is in scope, and the condition is only that its first key is set (or nothing). Joining every
    row to the tree to compare paths cost a county's list pages 5-10 ms each on PostgreSQL (`roots`
    keeps the tree's root for the request). Not on SQLite: there the path's range is what makes the
    planner walk a list in path order from the tree's index; without it, it sorted every resident
    of the county for a page (2 s instead of 0.1)."""
    tree = _tree_of(model, field) if path.count("/") == 2 and connection.vendor == "postgresql" else None
    if tree is not None:
        tree_model, first_nullable = tree
        if tree_model not in roots:
            roots[tree_model] = _sole_root(tree_model)
        if roots[tree_model] == path:
            first = field.partition(LOOKUP_SEP)[0]
            return Q(**{f"{first}__isnull": False}) if first_nullable else EVERY_ROW
    first, _sep, rest = field.partition(LOOKUP_SEP)
    if alone or not rest or not is_narrow_path(path):
        return Q(**{f"{field}__under": path})
    related = model._meta.get_field(first).related_model
    if related is None or isinstance(related, str):
        return Q(**{f"{field}__under": path})
    ids = list(
        related._default_manager.filter(**{f"{rest}__under": path})
        .order_by()
        .values_list("pk", flat=True)[: GRANT_LIST_MAX + 1]
    )
    if len(ids) > GRANT_LIST_MAX:
        return Q(**{f"{field}__under": path})
    return Q(**{f"{first}__in": ids})


@dataclass(frozen=True)
class Scope:
    area_paths: tuple[str, ...] = ()
    org_paths: tuple[str, ...] = ()
    everything: bool = False
    # Set for the VIEW scope only: records that name this user in `scope_user_grants`.
    grantee_id: int | None = None
    # Each tree's sole root, read once for the scope's life (a request): see `_under_q`.
    roots: dict[Any, str | None] = dataclass_field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def is_empty(self) -> bool:
        """True when no node is in scope (individual grants do not count)."""
        return not (self.everything or self.area_paths or self.org_paths)

    @property
    def is_narrow(self) -> bool:
        """Every node in scope roots a narrow subtree (`is_narrow_path`: a district's, a village's, a
        grid's): its lists hold few rows, found by their keys (`_under_q`), cheaper to sort than to
        find by walking a county-wide index in the list's order (`common.tree.Sorted`)."""
        paths = self.area_paths + self.org_paths
        return not self.everything and bool(paths) and all(is_narrow_path(p) for p in paths)

    def q(self, model: type[models.Model]) -> Q:
        if self.everything:
            return EVERY_ROW
        pairs = [(field, p) for field in _paths(model, "scope_area_path") for p in self.area_paths]
        pairs += [(field, p) for field in _paths(model, "scope_org_path") for p in self.org_paths]
        parts = [_under_q(model, f, p, alone=len(pairs) == 1, roots=self.roots) for f, p in pairs]
        if self.grantee_id is not None:
            subtree = functools.reduce(operator.or_, parts) if parts else None
            parts += granted_beyond(model, self.grantee_id, subtree)
        if not parts:
            return Q(pk__in=[])
        return functools.reduce(operator.or_, parts)

    def filter(self, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
        if self.everything:
            return queryset
        return queryset.filter(self.q(queryset.model))

    def covers(self, obj: models.Model) -> bool:
        if self.everything:
            return True
        for attribute, mine in (("scope_area_path", self.area_paths), ("scope_org_path", self.org_paths)):
            if not mine:
                continue
            for field in _paths(type(obj), attribute):
                path = _resolve(obj, field) or ""
                if path and any(path.startswith(p) for p in mine):
                    return True
        grants = _grants(type(obj))
        if self.grantee_id is not None and grants:
            query = functools.reduce(operator.or_, [Q(**{g: self.grantee_id}) for g in grants])
            return type(obj)._default_manager.filter(query, pk=obj.pk).exists()
        return False

    def covers_path(self, area_path: str = "", org_path: str = "") -> bool:
        if self.everything:
            return True
        return bool(
            (area_path and any(area_path.startswith(p) for p in self.area_paths))
            or (org_path and any(org_path.startswith(p) for p in self.org_paths))
        )


def scope_for(user: AnyUser, capability: Capability = Capability.VIEW) -> Scope:
    """The scope in which `user` holds `capability`; computed once per user object."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    cache: dict[Capability, Scope] | None = getattr(user, "_hnd_scopes", None)
    if cache is None:
        cache = {}
        setattr(user, "_hnd_scopes", cache)  # noqa: B010 - a cache on the user object, not a field
    if capability in cache:
        return cache[capability]
    if getattr(user, "is_superuser", False):
        scope = Scope(everything=True)
    else:
        areas, orgs = [], []
        for role, area_path, org_path in assignment_rows(user):
            if capability not in CAPABILITIES.get(role, frozenset()):
                continue
            if area_path:
                areas.append(area_path)
            if org_path:
                orgs.append(org_path)
        scope = Scope(
            area_paths=minimal_paths(areas),
            org_paths=minimal_paths(orgs),
            grantee_id=user.pk if capability == Capability.VIEW else None,
        )
    cache[capability] = scope
    return scope


def assignment_rows(user: User) -> list[tuple[str, str | None, str | None]]:
    """(role, area path, org path) of each assignment of `user` in force: read once per user object
    (a request's user), whatever number of capabilities the page asks about, and kept across
    requests in the shared cache until the user's assignments change (`caching`)."""
    rows: list[tuple[str, str | None, str | None]] | None = getattr(user, "_hnd_assignments", None)
    if rows is None:
        rows = cached_assignments(
            user,
            lambda: list(RoleAssignment.objects.filter(user_id=user.pk).values_list("role", "area__path", "org__path")),
        )
        setattr(user, "_hnd_assignments", rows)  # noqa: B010 - a cache on the user object, not a field
    return rows


def forget_scopes(user: AnyUser) -> None:
    """The role assignments of `user` changed: drop the scopes `scope_for` cached on this user object."""
    for cache in ("_hnd_scopes", "_hnd_delegated", "_hnd_assignments", "_hnd_versions"):
        if hasattr(user, cache):
            delattr(user, cache)


def roles_of(user: AnyUser) -> set[str]:
    if not isinstance(user, User):
        return set()
    return {role for role, _area, _org in assignment_rows(user)}


def get_scoped_or_404(user: AnyUser, queryset: models.QuerySet[M], **lookup: Any) -> M:
    """The record if it exists and the user may see it; otherwise 404, the same for both cases."""
    obj = scope_for(user).filter(queryset).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def get_covered_or_404(user: AnyUser, queryset: models.QuerySet[M], pk: Any) -> M:
    """The record `pk` of `queryset` if it exists and the user may see it; otherwise 404, the same
    for both. Read by its key alone and checked against the scope in Python (`Scope.covers`): for a
    record under the user's nodes that takes no query, where `get_scoped_or_404` first reads the
    user's individual grants to build the filter; only a record outside them asks the database
    whether it names the user (`scope_user_grants`)."""
    obj = queryset.filter(pk=pk).first()
    if obj is None or not scope_for(user).covers(obj):
        raise Http404
    return obj


def user_can(user: AnyUser, capability: Capability, obj: models.Model) -> bool:
    return scope_for(user, capability).covers(obj)


def require(user: AnyUser, capability: Capability, obj: models.Model) -> None:
    """Refuse (`PermissionDenied`, a 403) unless `user` holds `capability` over the node `obj` hangs
    at: the first line of every service that changes `obj` (each package's `policy.require`)."""
    if not user_can(user, capability, obj):
        raise PermissionDenied(_("您没有在该范围内进行此操作的权限。"))
