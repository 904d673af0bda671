"""Reads for user administration: the nodes an administrator may name in a role (area nodes and
party organisations within their reach), found by key or by name. Whether a role may be granted on
the node found is `accounts.policy`'s question, asked by the service."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from hongniudai.accounts import policy
from hongniudai.accounts import selectors as account_selectors
from hongniudai.accounts.models import RoleAssignment, User
from hongniudai.accounts.scope import Capability, scope_for
from hongniudai.common import parsing
from hongniudai.party.models import PartyOrg
from hongniudai.places.models import AreaKind, AreaNode

# A node is named in forms and the API as "area:<id>" or "org:<id>".
AREA, ORG = "area", "org"
PICK_LIMIT = 20


def node_key(node: Any) -> str:
    return f"{ORG if isinstance(node, PartyOrg) else AREA}:{node.pk}"


def _reach_q(actor: User, model: type[AreaNode] | type[PartyOrg]) -> Q | None:
    """The nodes of `model` in `actor`'s account-management reach (None: all of them)."""
    if actor.is_superuser:
        return None
    parts = [scope_for(actor, Capability.MANAGE_USERS).q(model)]
    if model is AreaNode:
        parts += [Q(path__under=p) for p in policy.delegated_paths(actor)]
    out = parts[0]
    for part in parts[1:]:
        out |= part
    return out


def _in_reach(actor: User, model: type[AreaNode] | type[PartyOrg]) -> Any:
    qs = model.objects.all()
    reach = _reach_q(actor, model)
    return qs if reach is None else qs.filter(reach)


def grantable_node(actor: User, *, area_id: Any = None, org_id: Any = None) -> AreaNode | PartyOrg | None:
    """The area node or party organisation with that id in `actor`'s reach, or None (missing and
    out of reach alike)."""
    if (area_id is None) == (org_id is None):
        return None
    model: type[AreaNode] | type[PartyOrg] = AreaNode if area_id is not None else PartyOrg
    pk = parsing.parse_id(area_id if area_id is not None else org_id)
    if pk is None:
        return None
    return _in_reach(actor, model).filter(pk=pk).first()


def node_from_key(actor: User, key: str) -> AreaNode | PartyOrg | None:
    """The node named by `key` ("area:12", "org:3") in `actor`'s reach, or None."""
    kind, _sep, pk = (key or "").partition(":")
    if kind == AREA:
        return grantable_node(actor, area_id=pk)
    if kind == ORG:
        return grantable_node(actor, org_id=pk)
    return None


# ---- reads of the user-administration API ----------------------------------------------------


def managed_user_list(actor: User, *, q: str = "", active: bool | None = None, role: str = "") -> QuerySet[User]:
    """`accounts.selectors.managed_users`, narrowed to the users who hold `role` today (any role
    when blank)."""
    users = account_selectors.managed_users(actor, q=q, active=active)
    if role:
        users = users.filter(pk__in=RoleAssignment.objects.filter(role=role).values("user_id"))
    return users


def rule_towns(actor: User) -> QuerySet[AreaNode]:
    """The towns whose account rules `actor` sets (`policy.may_set_town_rules`: their MANAGE_USERS
    scope covers the town), by path, each with `village_secretaries_manage` (False where the town
    has decided nothing yet)."""
    towns = AreaNode.objects.filter(kind=AreaKind.TOWN)
    if not actor.is_superuser:
        towns = towns.filter(scope_for(actor, Capability.MANAGE_USERS).q(AreaNode))
    managed = Coalesce(F("account_settings__village_secretaries_manage"), Value(False))
    return towns.annotate(village_secretaries_manage=managed).only("id", "name", "path").order_by("path")
