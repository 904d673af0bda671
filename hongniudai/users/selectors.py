"""Reads for user administration: the nodes an administrator may name in a role (area nodes and
party organisations within their reach), found by key or by name (the picker, with each node's
path); the roles they may grant; the list's filters; the towns whose account rules they decide.
Whether a role may be granted on the node found is `accounts.policy`'s question, asked by the
service."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from hongniudai.accounts import policy
from hongniudai.accounts import selectors as account_selectors
from hongniudai.accounts.models import Role, RoleAssignment, User
from hongniudai.accounts.scope import CAPABILITIES, Capability, scope_for
from hongniudai.common import parsing, pick
from hongniudai.common.choices import choice_label
from hongniudai.common.identity import id_number_digest, mask_phone
from hongniudai.common.tree import chains
from hongniudai.party.models import Member, PartyOrg
from hongniudai.places.models import AreaKind, AreaNode, Resident

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


# ---- the node picker ----------------------------------------------------------------------


@dataclass(frozen=True)
class NodeChoice:
    """A node offered by the picker: its key, its path from the town ("宋河镇 › 东片区 › 徐桥村 ›
    5组") and what kind of node it is."""

    key: str
    label: str
    kind: str


def _choices(nodes: list[Any]) -> list[NodeChoice]:
    """The picker's rows for `nodes` (of one tree), labelled by `common.pick.rows_for` with their
    paths from the town (a county above it left out, unless it is the node itself)."""
    rows, _more = pick.rows_for(nodes, hide=(AreaKind.COUNTY,), limit=len(nodes))
    return [NodeChoice(key=node_key(n), label=r.label, kind=n.kind_label) for n, r in zip(nodes, rows, strict=True)]


def nodes_matching(actor: User, q: str, limit: int = PICK_LIMIT) -> list[NodeChoice]:
    """Up to `limit` area nodes and party organisations in `actor`'s reach whose name holds `q`,
    or its pinyin or initials (`common.pick.matching`), the higher ones first (areas, then
    organisations); nothing for an empty `q`. Four queries."""
    q = " ".join((q or "").split())[:50]
    if not q or not policy.may_administer(actor):
        return []
    out: list[NodeChoice] = []
    models: tuple[type[AreaNode] | type[PartyOrg], ...] = (AreaNode, PartyOrg)
    for model in models:
        room = limit - len(out)
        if room <= 0:
            break
        out += _choices(list(pick.matching(_in_reach(actor, model), q)[:room]))
    return out


def node_choice(actor: User, key: str) -> NodeChoice | None:
    """The picker's row for the node named by `key`, when it is in `actor`'s reach."""
    node = node_from_key(actor, key)
    if node is None:
        return None
    return _choices([node])[0]


# ---- roles, the list's filters, the towns' rules ------------------------------------------


def grantable_roles(actor: User) -> list[tuple[str, str]]:
    """The roles `actor` may grant somewhere (the role select offers these; whether one may be
    granted on the node chosen is `policy.grant_refusal`'s answer): those within the powers of the
    actor's own account-managing roles, and a delegating town's three roles for its secretaries."""
    if actor.is_superuser:
        return [(value, str(label)) for value, label in Role.choices]
    held: set[Capability] = set()
    for role in RoleAssignment.objects.filter(user=actor).values_list("role", flat=True):
        powers = CAPABILITIES.get(role, frozenset())
        if Capability.MANAGE_USERS in powers:
            held |= powers
    offered = {role for role, powers in CAPABILITIES.items() if held and powers <= held}
    if policy.delegated_paths(actor):
        offered |= policy.DELEGABLE_ROLES
    return [(value, str(label)) for value, label in Role.choices if value in offered]


def with_role_at(users: QuerySet[User], *, role: str = "", node: Any = None) -> QuerySet[User]:
    """The `users` holding a current `role` (any, when blank) at `node` or below it (anywhere, when
    None): one subquery, one role assignment meeting both."""
    if not role and node is None:
        return users
    held = RoleAssignment.objects.all()
    if role:
        held = held.filter(role=role)
    if isinstance(node, PartyOrg):
        held = held.filter(org__path__under=node.path)
    elif node is not None:
        held = held.filter(Q(area__path__under=node.path) | Q(org__area__path__under=node.path))
    return users.filter(pk__in=held.values("user_id"))


def current_roles(user_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """The current roles of the users `user_ids` (already read through a scoped selector), each as
    (role label, its node's name), in the order they were granted: one query of plain values."""
    label = choice_label(RoleAssignment, "role")
    held: dict[int, list[tuple[str, str]]] = {pk: [] for pk in user_ids}
    rows = (
        RoleAssignment.objects.filter(user_id__in=user_ids)
        .order_by("id")
        .values_list("user_id", "role", "area__name", "org__name")
    )
    for user_id, role, area, org in rows:
        held[user_id].append((label(role), area or org or ""))
    return held


# ---- reads of the user-administration API ----------------------------------------------------


def managed_user_list(actor: User, *, q: str = "", active: bool | None = None, role: str = "") -> QuerySet[User]:
    """`accounts.selectors.managed_users`, narrowed to the users who hold `role` today (any role
    when blank)."""
    return with_role_at(account_selectors.managed_users(actor, q=q, active=active), role=role)


def rule_towns(actor: User) -> QuerySet[AreaNode]:
    """The towns whose account rules `actor` sets (`policy.may_set_town_rules`: their MANAGE_USERS
    scope covers the town; several for a county administrator), by path, each with `village_secretaries_manage` (False where the town
    has decided nothing yet)."""
    towns = AreaNode.objects.filter(kind=AreaKind.TOWN)
    if not actor.is_superuser:
        towns = towns.filter(scope_for(actor, Capability.MANAGE_USERS).q(AreaNode))
    managed = Coalesce(F("account_settings__village_secretaries_manage"), Value(False))
    return towns.annotate(village_secretaries_manage=managed).only("id", "name", "path").order_by("path")


# ---- nodes named by their path of names (imports) -----------------------------------------

NODE_SEPARATORS = ("/", "／", "\\", ">")


def node_names(text: str) -> list[str]:
    """The names of a path such as 宋河镇/东片区/徐桥村/5组, last the node's own."""
    for sep in NODE_SEPARATORS[1:]:
        text = text.replace(sep, "/")
    return [part.strip() for part in (text or "").split("/") if part.strip()]


def _chains(nodes: list[Any]) -> dict[int, list[str]]:
    """{pk: names from the root} of `nodes` (`common.tree.chains`: one query for all ancestors)."""
    return {pk: [name for _pk, name, _kind in chain] for pk, chain in chains(nodes).items()}


def _matching(names: list[str], qs: Any) -> list[Any]:
    """The nodes of `qs` whose chain of names ends with `names` (the last four checked by the
    database, the rest against the chain)."""
    lookups = {"__".join(["parent"] * i + ["name"]): name for i, name in enumerate(reversed(names[-4:]))}
    candidates = list(qs.filter(**lookups).order_by("path")[:50])
    named = _chains(candidates)
    return [c for c in candidates if named[c.pk][-len(names) :] == names]


def nodes_named(actor: User, text: str) -> list[AreaNode | PartyOrg]:
    """The area nodes and party organisations whose chain of names ends with the names of `text`
    (宋河镇/东片区/徐桥村/5组, 徐桥村/5组, 徐桥村党支部): those within `actor`'s reach when any
    match (so a village secretary's 5组 is their own village's), else any. Names of places and
    organisations are not secret; whether a role may be granted there is the policy's question,
    answered with its reason."""
    names = node_names(text)
    if not names:
        return []
    for reach_only in (True, False):
        found: list[AreaNode | PartyOrg] = []
        for model in (AreaNode, PartyOrg):
            qs = _in_reach(actor, model) if reach_only else model.objects.all()
            found += _matching(names, qs)
        if found:
            return found
    return []


def reachable_node_labels(actor: User, *, limit: int = 3000) -> list[tuple[str, str]]:
    """(kind, path of names) of the area nodes and party organisations in `actor`'s reach, for the
    choices sheet of an import template; at most `limit` of each tree, in tree order."""
    out: list[tuple[str, str]] = []
    for model, kind in ((AreaNode, "地区"), (PartyOrg, "党组织")):
        nodes = list(_in_reach(actor, model).order_by("path")[:limit])
        named = _chains(nodes)
        out += [(kind, "/".join(named[n.pk])) for n in nodes]
    return out


def node_label(node: Any) -> str:
    """The path of names of a node from its root (鄂州县/宋河镇/东片区/徐桥村/5组)."""
    return "/".join(_chains([node])[node.pk])


# ---- the resident an account is -----------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """The resident (and party member) an account is, with personal data masked."""

    resident: Resident
    name: str
    id_masked: str
    phone_masked: str
    hamlet: str
    member: Member | None


def person_of(user: User) -> Person | None:
    """The resident linked to `user`'s account, and their party member record, masked; or None."""
    resident = (
        Resident.objects.filter(account=user)
        .select_related("household__hamlet", "party_member__org", "party_member__party_group")
        .first()
    )
    if resident is None:
        return None
    member = getattr(resident, "party_member", None)
    return Person(
        resident=resident,
        name=resident.name,
        id_masked=resident.id_masked,
        phone_masked=mask_phone(resident.phone),
        hamlet=str(resident.household.hamlet),
        member=member,
    )


def resident_to_link(actor: User, number: str) -> Resident | None:
    """The resident with this ID number where `actor` registers people, or None (missing and out
    of scope alike): found by the keyed digest, as places finds one."""
    qs = Resident.objects.filter(id_digest=id_number_digest(number)).select_related("household__hamlet", "account")
    return scope_for(actor, Capability.EDIT_PEOPLE).filter(qs).first()


# ---- the exported list of accounts --------------------------------------------------------


@dataclass(frozen=True)
class ExportedUser:
    """One account as the exported list shows it: the phone masked, the roles with node paths."""

    username: str
    name: str
    phone_masked: str
    is_active: bool
    roles: str
    last_login: Any


EXPORT_MAX = 20000


def exported_users(actor: User) -> list[ExportedUser]:
    """The accounts `actor` manages (`accounts.selectors.managed_users`), each with its current roles
    named by their node's path of names; a fixed number of queries whatever the number of rows."""
    users = list(account_selectors.managed_users(actor)[: EXPORT_MAX + 1])
    assignments = [a for u in users for a in u.assignments.all()]
    labels: dict[tuple[str, int], str] = {}
    for attr in ("area", "org"):
        nodes = {getattr(a, attr).pk: getattr(a, attr) for a in assignments if getattr(a, attr + "_id")}
        labels.update({(attr, pk): "/".join(chain) for pk, chain in _chains(list(nodes.values())).items()})
    rows = []
    for u in users:
        roles = [
            f"{a.get_role_display()} · {labels.get(('area', a.area_id or 0)) or labels.get(('org', a.org_id or 0), '')}"
            for a in u.assignments.all()
        ]
        rows.append(
            ExportedUser(
                username=u.username,
                name=u.display_name,
                phone_masked=mask_phone(u.phone),
                is_active=u.is_active,
                roles=";".join(roles),
                last_login=u.last_login,
            )
        )
    return rows
