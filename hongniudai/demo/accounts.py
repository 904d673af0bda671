"""Accounts for the demo town's people: a grid worker for every grid (the grid's party-group
leader, who acts for the grid in the demo's matters) and every hamlet's centre household, each
linked to the resident they are, with the demo password. The town lets its village secretaries
manage them (`TownAccountSettings`).

Usernames follow the node, so they can be guessed from the tree: `wg-<village>-<grid>` for a grid
worker (wg-xuqiao-5: 徐桥村 5组) and `zxh-<village>-<hamlet>` for a centre household
(zxh-hemeifan-zhangjiachong), in pinyin, with a number when taken. A person who is both gets one
account with both roles. A node that already has such an account (the headline `gridworker` and
`zhangshengfu`) gets no second one.

Hundreds of accounts: the demo password is hashed once and the hash reused (PBKDF2 takes a
noticeable fraction of a second per hash), and the rows are written in bulk, each audited in the
loader's name. `generate_county` writes no such accounts for the towns it generates (only its
few bench accounts): a county's hundreds of thousands of people get none.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pypinyin import lazy_pinyin

from hongniudai.accounts import events as account_events
from hongniudai.accounts.models import Role, RoleAssignment, User
from hongniudai.accounts.services import USER_FIELDS
from hongniudai.accounts.services_users import set_town_rules
from hongniudai.audit import services as audit
from hongniudai.common.tree import ancestor_ids
from hongniudai.party.models import CentreHousehold, Member, Post
from hongniudai.places import events as place_events
from hongniudai.places.models import AreaKind, AreaNode, Resident

from . import data

Say = Callable[[str], None]
PEOPLE_ROLES = (Role.GRID_WORKER, Role.CENTRE_HOUSEHOLD)
_SUFFIXES = re.compile(r"(村|社区|组|网格)$")


def slug(name: str) -> str:
    """The pinyin of a place name without its kind (徐桥村 → xuqiao, 5组 → 5), letters and digits only."""
    text = "".join(lazy_pinyin(_SUFFIXES.sub("", name) or name, errors="default")).lower()
    return re.sub(r"[^a-z0-9]", "", text)[:20] or "x"


@dataclass
class PersonAccount:
    """One planned account: its roles on area nodes and the resident it is (when known)."""

    username: str
    display_name: str
    resident: Resident | None
    roles: list[tuple[str, AreaNode]] = field(default_factory=list)


def _free(base: str, taken: set[str]) -> str:
    name, n = base[:30], 2
    while name.lower() in taken:
        name = f"{base[: 30 - len(str(n))]}{n}"
        n += 1
    taken.add(name.lower())
    return name


def area_path(assignment: RoleAssignment) -> str:
    return assignment.area.path if assignment.area is not None else ""


def group_leaders(town: AreaNode) -> dict[int, Resident]:
    """{grid id: the resident who leads the grid's party group} in `town`: the demo's grid workers."""
    leaders: dict[int, Resident] = {}
    members = (
        Member.objects.filter(post=Post.GROUP_LEADER, party_group__area__path__under=town.path)
        .select_related("resident", "party_group")
        .order_by("id")
    )
    for m in members:
        if m.party_group is not None:
            leaders.setdefault(m.party_group.area_id, m.resident)
    return leaders


def planned_accounts(town: AreaNode) -> list[PersonAccount]:
    """The grid workers and centre households of `town` that have no account yet, by node order."""
    held = set(
        RoleAssignment.objects.filter(role__in=PEOPLE_ROLES, area__path__under=town.path).values_list("role", "area_id")
    )
    taken = {u.lower() for u in User.objects.values_list("username", flat=True)}
    leaders = group_leaders(town)
    by_resident: dict[int, PersonAccount] = {}
    plans: list[PersonAccount] = []

    def add(
        role: str, node: AreaNode, village: AreaNode, resident: Resident | None, prefix: str, fallback: str
    ) -> None:
        if (role, node.pk) in held:
            return
        name = resident.name if resident is not None else fallback
        if resident is not None and resident.account_id is not None:
            resident = None  # the person has a headline account already: this one stays unlinked
        plan = by_resident.get(resident.pk) if resident is not None else None
        if plan is None:
            username = _free(f"{prefix}-{slug(village.name)}-{slug(node.name)}", taken)
            plan = PersonAccount(username, name, resident)
            plans.append(plan)
            if resident is not None:
                by_resident[resident.pk] = plan
        plan.roles.append((role, node))

    grids = AreaNode.objects.filter(kind=AreaKind.GRID, path__under=town.path).select_related("parent").order_by("path")
    for grid in grids:
        village = grid.parent
        if village is None:
            continue
        add(Role.GRID_WORKER, grid, village, leaders.get(grid.pk), "wg", f"{village.name}{grid.name}网格员")
    centres = (
        CentreHousehold.objects.filter(hamlet__path__under=town.path)
        .select_related("hamlet__parent__parent", "member__resident")
        .order_by("hamlet__path")
    )
    for centre in centres:
        hamlet = centre.hamlet
        village = hamlet.parent.parent if hamlet.parent is not None else None
        if village is not None:
            add(Role.CENTRE_HOUSEHOLD, hamlet, village, centre.member.resident, "zxh", hamlet.name)
    return plans


def link_headline_accounts(actor: User, town: AreaNode) -> int:
    """Link the headline accounts that hold a grid-worker or centre-household role (`gridworker`,
    `zhangshengfu`) to the resident of the same name who is that node's group leader or centre
    household, when neither is linked yet."""
    people: dict[tuple[str, int], Resident] = {
        (Role.CENTRE_HOUSEHOLD, c.hamlet_id): c.member.resident
        for c in CentreHousehold.objects.filter(hamlet__path__under=town.path).select_related("member__resident")
    }
    people |= {(Role.GRID_WORKER, grid_id): resident for grid_id, resident in group_leaders(town).items()}
    linked = 0
    held = RoleAssignment.objects.filter(
        role__in=PEOPLE_ROLES, area__path__under=town.path, user__username__in=[a.username for a in data.DEMO_ACCOUNTS]
    ).select_related("user", "area")
    for a in held:
        resident = people.get((a.role, a.area_id or 0))
        if resident is None or resident.account_id or resident.name != a.user.display_name:
            continue
        if Resident.objects.filter(account=a.user).exists():
            continue
        resident.account = a.user
        resident.save(update_fields=["account"])
        audit.record(
            actor=actor,
            action=place_events.ACCOUNT_LINKED,
            target=resident,
            changes={"account": a.user.username, "id_masked": resident.id_masked},
            area_path=area_path(a),
        )
        linked += 1
    return linked


@transaction.atomic
def ensure_people_accounts(actor: User, town: AreaNode, say: Say) -> int:
    """Let the town's village secretaries manage accounts, and create the missing grid-worker and
    centre-household accounts of `town` (see the module's docstring). Returns how many were created."""
    start = time.monotonic()
    set_town_rules(actor=actor, town=town, village_secretaries_manage=True)
    link_headline_accounts(actor, town)
    plans = planned_accounts(town)
    if not plans:
        return 0
    password = make_password(data.DEMO_PASSWORD)  # once for all: PBKDF2 is slow on purpose
    now = timezone.now()
    users = User.objects.bulk_create(
        [
            User(username=p.username, display_name=p.display_name, password=password, password_changed_at=now)
            for p in plans
        ]
    )
    assignments: list[RoleAssignment] = []
    residents: list[Resident] = []
    for plan, user in zip(plans, users, strict=True):
        audit.record_create(
            actor=actor, action=account_events.USER_CREATED, target=user, after=audit.snapshot(user, USER_FIELDS)
        )
        assignments += [RoleAssignment(user=user, role=role, area=node) for role, node in plan.roles]
        if plan.resident is not None:
            plan.resident.account = user
            residents.append(plan.resident)
            audit.record(
                actor=actor,
                action=place_events.ACCOUNT_LINKED,
                target=plan.resident,
                changes={"account": user.username, "id_masked": plan.resident.id_masked},
                area_path=plan.roles[0][1].path,
            )
    for a in RoleAssignment.objects.bulk_create(assignments):
        after = {"user": a.user.username, "role": str(a.get_role_display()), "node": str(a.area)}
        audit.record_create(
            actor=actor, action=account_events.ROLE_ASSIGNED, target=a, after=after, area_path=area_path(a)
        )
    Resident.objects.bulk_update(residents, ["account"])
    say(
        _("  网格员和党员中心户账号:%(n)s 个(%(roles)s 个角色;演示密码同上;%(t).1f 秒)")
        % {"n": len(users), "roles": len(assignments), "t": time.monotonic() - start}
    )
    return len(users)


def people_account_rows(town: AreaNode) -> list[tuple[str, str, str, str]]:
    """(username, name, role, node names from the town) of every grid-worker and centre-household
    account of `town`, in tree order."""
    rows = list(
        RoleAssignment.objects.filter(role__in=PEOPLE_ROLES, area__path__under=town.path)
        .select_related("user", "area")
        .order_by("area__path", "role", "user__username")
    )
    ids = {i for a in rows for i in ancestor_ids(area_path(a))}
    names = dict(AreaNode.objects.filter(pk__in=ids, depth__gte=town.depth).values_list("pk", "name"))
    out = []
    for a in rows:
        chain = [names[i] for i in ancestor_ids(area_path(a)) if i in names]
        out.append((a.user.username, a.user.display_name, str(a.get_role_display()), " › ".join(chain)))
    return out
