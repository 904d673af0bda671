"""The one access rule (`accounts/scope.py`): a user sees the subtrees of the nodes their role
assignments name, in the area tree and in the party-organisation tree, plus the single records a
grant names; anything else answers 404, exactly like a record that does not exist.

The town of tests/conftest.py: 徐桥村 (黄文华), 发水河村 (施华成), 何梅畈村 (张圣福), each head a
member of the village branch and of the party group of the village's one grid.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Q
from django.http import Http404
from django.urls import reverse

from hongniudai.accounts import services as account_services
from hongniudai.accounts.models import Role, RoleAssignment, User
from hongniudai.accounts.scope import Capability, Scope, get_scoped_or_404, scope_for, user_can
from hongniudai.governance import services as gov_services
from hongniudai.governance.models import Category, Matter, MatterEvent
from hongniudai.party.models import Member, PartyOrg
from hongniudai.places.models import AreaKind, AreaNode, Household, Resident
from tests import factories as f

HEADS = {"徐桥村": "黄文华", "发水河村": "施华成", "何梅畈村": "张圣福"}


def _fresh(user: User) -> User:
    """The user as the next request loads them: scopes are computed once per user object."""
    return User.objects.get(pk=user.pk)


def _residents(user: Any) -> set[str]:
    return set(scope_for(user).filter(Resident.objects.all()).values_list("name", flat=True))


def _members(user: Any) -> set[str]:
    return set(scope_for(user).filter(Member.objects.all()).values_list("resident__name", flat=True))


def _assert_covers_agrees_with_filter(user: Any, queryset: Any) -> None:
    """`covers(obj)` (one record, in Python) answers as `filter` (the database) does, row by row."""
    scope = scope_for(user)
    seen = set(scope.filter(queryset).values_list("pk", flat=True))
    for obj in queryset:
        assert scope.covers(obj) == (obj.pk in seen), (user, obj)


# -- area subtrees ------------------------------------------------------------------------------


AREA_NODES = {
    "county": ("county", set(HEADS.values())),
    "town": ("town", set(HEADS.values())),
    "district": ("district", set(HEADS.values())),
    "village": ("xuqiao.area", {"黄文华"}),
    "grid": ("fashuihe.grid", {"施华成"}),
    "hamlet": ("hemeifan.hamlet", {"张圣福"}),
    "park": ("park", set()),
}


def _node(town: Any, dotted: str) -> Any:
    obj = town
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


@pytest.mark.parametrize("kind", AREA_NODES)
def test_an_area_assignment_sees_its_subtree_and_nothing_beside_it(town, kind):
    dotted, expected = AREA_NODES[kind]
    node = _node(town, dotted)
    user = f.user(f"at-{kind}", Role.DISTRICT_SECRETARY, area=node)
    assert _residents(user) == expected
    households = scope_for(user).filter(Household.objects.all())
    assert households.count() == len(expected)
    assert not households.exclude(hamlet__path__startswith=node.path).exists()
    areas = scope_for(user).filter(AreaNode.objects.all())
    assert set(areas.values_list("pk", flat=True)) == set(
        AreaNode.objects.filter(path__startswith=node.path).values_list("pk", flat=True)
    )
    _assert_covers_agrees_with_filter(user, Resident.objects.all())
    _assert_covers_agrees_with_filter(user, AreaNode.objects.all())


def test_a_path_prefix_is_not_a_sibling(town):
    """Paths end with "/": a node numbered 1 does not cover a sibling numbered 10 or 12."""
    user = f.user("grid-only", Role.GRID_WORKER, area=town.xuqiao.grid)
    siblings = [f.area(town.xuqiao.area, f"{n}组", "grid") for n in range(10, 13)]
    scope = scope_for(user)
    assert all(not scope.covers(s) for s in siblings)
    assert not scope.filter(AreaNode.objects.filter(pk__in=[s.pk for s in siblings])).exists()


# -- party-organisation subtrees ------------------------------------------------------------------


def test_an_org_assignment_sees_its_subtree_of_orgs_and_members(town):
    committee = f.user("at-committee", Role.DISTRICT_SECRETARY, org=town.committee)
    branch = f.user("at-branch", Role.DISTRICT_SECRETARY, org=town.fashuihe.branch)
    assert _members(committee) == set(HEADS.values())
    assert _members(branch) == {"施华成"}
    orgs = set(scope_for(branch).filter(PartyOrg.objects.all()).values_list("name", flat=True))
    assert orgs == {"发水河村党支部", "发水河村1组党小组"}
    for user in (committee, branch):
        _assert_covers_agrees_with_filter(user, Member.objects.all())
        _assert_covers_agrees_with_filter(user, PartyOrg.objects.all())


def test_an_org_assignment_gives_no_sight_of_households(town):
    """Residents and households hang only in the area tree: a party-organisation node shows none."""
    user = f.user("at-branch", Role.DISTRICT_SECRETARY, org=town.fashuihe.branch)
    assert _residents(user) == set()
    assert not scope_for(user).filter(Household.objects.all()).exists()
    assert not scope_for(user).covers(town.fashuihe.head)


# -- a record hanging at two nodes ---------------------------------------------------------------


def test_a_member_is_seen_at_the_branch_and_at_the_party_groups_grid(town):
    grid_worker = town.users["gridworker"]  # 徐桥村 5组
    group_leader = f.user("group-leader", Role.DISTRICT_SECRETARY, org=town.xuqiao.group)
    # A second member of 徐桥村's branch, living in 5组 but in no party group.
    loose = f.member(f.resident(town.xuqiao.household, "黄小明", birth=dt.date(1970, 1, 1)), town.xuqiao.branch)
    assert _members(grid_worker) == {"黄文华"}  # through the party group's grid only
    assert _members(group_leader) == {"黄文华"}  # through the party group's own node
    assert _members(town.users["xuqiao"]) == {"黄文华", "黄小明"}  # through the branch's village
    assert not scope_for(grid_worker).covers(loose) and scope_for(grid_worker).covers(town.xuqiao.member)
    _assert_covers_agrees_with_filter(grid_worker, Member.objects.all())
    # Joining a party group of the grid brings the member into the grid's sight.
    loose.party_group = town.xuqiao.group
    loose.save(update_fields=["party_group"])
    assert _members(_fresh(grid_worker)) == {"黄文华", "黄小明"}


def test_a_narrow_scope_over_two_paths_reads_the_members_own_keys_and_sees_the_same(town, monkeypatch):
    # A member hangs at their branch's area and at their group's: an OR across joined tables, which
    # no index answers. In a village or grid the branches and groups under it are looked up first
    # and the condition is on the member's own columns; more of them than a list holds, and the
    # condition stays on the paths. Either way the same members are seen.
    grid_worker, secretary = town.users["gridworker"], town.users["xuqiao"]
    f.member(f.resident(town.xuqiao.household, "黄小明", birth=dt.date(1970, 1, 1)), town.xuqiao.branch)
    where = str(scope_for(grid_worker).filter(Member.objects.all()).query).split("WHERE")[1]
    assert "path" not in where and "org_id" in where and "party_group_id" in where
    seen = {user.username: _members(_fresh(user)) for user in (grid_worker, secretary)}
    assert seen == {"gridworker": {"黄文华"}, "xuqiao": {"黄文华", "黄小明"}}
    monkeypatch.setattr("hongniudai.accounts.scope.GRANT_LIST_MAX", 0)
    assert "path" in str(scope_for(_fresh(grid_worker)).filter(Member.objects.all()).query).split("WHERE")[1]
    assert {user.username: _members(_fresh(user)) for user in (grid_worker, secretary)} == seen


def test_the_administrator_of_the_only_root_reads_every_row_without_comparing_paths(town):
    # The county is the area tree's only root: every node lies under it, so on PostgreSQL its
    # administrator's lists need no join to the tree (which cost a county's pages 5-10 ms each), and
    # see the same. On SQLite the path's range stays: it walks a list in path order.
    county_admin = f.user("county_admin", Role.TOWN_ADMIN, area=town.county)
    query = str(scope_for(county_admin).filter(Resident.objects.all()).query)
    joined = "places_areanode" in query
    assert joined is (connection.vendor == "sqlite")
    assert _residents(county_admin) == set(HEADS.values())
    # The scope is OR-ed with other conditions by some selectors: it must not vanish from the OR.
    either = Resident.objects.filter(scope_for(_fresh(county_admin)).q(Resident) | Q(pk=-1))
    assert set(either.values_list("name", flat=True)) == set(HEADS.values())


def test_with_a_second_root_its_rows_stay_out_of_the_first_roots_scope(town):
    other = f.area(None, "邻县", AreaKind.COUNTY, code="420705")
    district = f.area(f.area(other, "邻镇", AreaKind.TOWN), "西片区", AreaKind.DISTRICT)
    village = f.area(district, "邻村", AreaKind.VILLAGE)
    hamlet = f.area(f.area(village, "1组", AreaKind.GRID), "李家湾", AreaKind.HAMLET)
    f.resident(f.household(hamlet), "李外县", birth=dt.date(1970, 1, 1))
    county_admin = f.user("county_admin", Role.TOWN_ADMIN, area=town.county)
    assert _residents(county_admin) == set(HEADS.values())
    assert "李外县" not in {
        m for m in Resident.objects.filter(scope_for(_fresh(county_admin)).q(Resident)).values_list("name", flat=True)
    }


# -- several assignments, capabilities, removal ----------------------------------------------------


def test_several_assignments_add_up_and_each_role_brings_its_own_capabilities(town):
    admin, user = town.users["admin"], town.users["xuqiao"]
    account_services.assign_role(actor=admin, user=user, role=Role.LEGAL_ADVISER, area=town.fashuihe.area)
    account_services.assign_role(actor=admin, user=user, role=Role.GRID_WORKER, area=town.xuqiao.grid)
    user = _fresh(user)
    assert _residents(user) == {"黄文华", "施华成"}
    view = scope_for(user)
    # The grid lies inside the village: one path is enough.
    assert view.area_paths == tuple(sorted((town.xuqiao.area.path, town.fashuihe.area.path)))
    # A legal adviser only looks: 发水河村 is visible, not editable, not importable.
    assert user_can(user, Capability.VIEW, town.fashuihe.head)
    assert not user_can(user, Capability.EDIT_PEOPLE, town.fashuihe.head)
    assert user_can(user, Capability.EDIT_PEOPLE, town.xuqiao.head)
    assert scope_for(user, Capability.IMPORT).area_paths == (town.xuqiao.area.path,)
    assert scope_for(user, Capability.GUIDE).is_empty


def test_a_volunteer_sees_nothing_of_the_area(town):
    """A volunteer's own tasks and soup visits reach them through their volunteer record; their role
    brings no capability over the area (issue 17: "sees their own tasks and nothing else")."""
    user = f.user("volunteer_only", Role.VOLUNTEER, area=town.xuqiao.area)
    assert _residents(user) == set()
    assert all(scope_for(user, capability).is_empty for capability in Capability)


def test_a_removed_assignment_no_longer_shows_anything(town):
    """Assignments have no end date: ending one is removing it, seen from the next request on."""
    user = town.users["fashuihe"]
    assert _residents(user) == {"施华成"}
    RoleAssignment.objects.filter(user=user).delete()
    user = _fresh(user)
    assert scope_for(user).is_empty and _residents(user) == set()
    with pytest.raises(Http404):
        get_scoped_or_404(user, Resident.objects.all(), pk=town.fashuihe.head.pk)


def test_nobody_signed_in_inactive_or_without_roles_sees_nothing(town):
    inactive = town.users["fashuihe"]
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    bare = User.objects.create_user("bare", password="x")
    for user in (AnonymousUser(), None, _fresh(inactive), bare):
        scope = scope_for(user)
        assert scope == Scope(grantee_id=scope.grantee_id) and scope.is_empty
        assert not scope.filter(Resident.objects.all()).exists()
        assert not scope.covers(town.xuqiao.head)


def test_a_superuser_sees_everything(town):
    root = f.superuser()
    assert scope_for(root).everything
    assert _residents(root) == set(HEADS.values())
    assert scope_for(root).covers_path(area_path="/anything/")


def test_covers_path(town):
    user = town.users["xuqiao"]
    scope = scope_for(user)
    assert scope.covers_path(area_path=town.xuqiao.hamlet.path)
    assert not scope.covers_path(area_path=town.fashuihe.hamlet.path)
    assert not scope.covers_path(area_path=town.town.path)  # above the node is not inside it
    assert not scope.covers_path()


# -- grants ------------------------------------------------------------------------------------


def _fashuihe_matter(town: Any, title: str = "排水纠纷") -> Matter:
    return gov_services.report_matter(
        actor=town.users["fashuihe"],
        category=Category.objects.get(code="dispute-neighbour"),
        title=title,
        description="排水沟堵塞",
        channel="web",
        place=town.fashuihe.hamlet,
    )


def test_a_grant_shows_one_record_to_view_and_nothing_more(town):
    granted, other = _fashuihe_matter(town), _fashuihe_matter(town, "另一纠纷")
    outsider = town.users["xuqiao"]
    assert not user_can(outsider, Capability.VIEW, granted)
    granted.invited.add(outsider)  # the grant itself (the invitation rule would not let a secretary in)
    outsider = _fresh(outsider)
    assert set(scope_for(outsider).filter(Matter.objects.all())) == {granted}
    assert user_can(outsider, Capability.VIEW, granted) and not user_can(outsider, Capability.VIEW, other)
    # The record's own rows (its events) follow it; the grant gives sight, not a hand in it.
    assert set(scope_for(outsider).filter(MatterEvent.objects.all()).values_list("matter", flat=True)) == {granted.pk}
    assert not user_can(outsider, Capability.HANDLE, granted)
    assert scope_for(outsider, Capability.HANDLE).grantee_id is None
    # Nor does it show the rest of the village.
    assert _residents(outsider) == {"黄文华"}


# -- out of scope answers as missing ---------------------------------------------------------------


def test_out_of_scope_is_404_exactly_like_missing(town):
    user = town.users["xuqiao"]
    missing = Resident.objects.order_by("-pk").first().pk + 1000
    for pk in (town.fashuihe.head.pk, missing):
        with pytest.raises(Http404):
            get_scoped_or_404(user, Resident.objects.all(), pk=pk)
    assert get_scoped_or_404(user, Resident.objects.all(), pk=town.xuqiao.head.pk) == town.xuqiao.head
    client = town.client_for("xuqiao")
    foreign = client.get(reverse("places:resident_detail", kwargs={"pk": town.fashuihe.head.pk}))
    absent = client.get(reverse("places:resident_detail", kwargs={"pk": missing}))
    assert foreign.status_code == absent.status_code == 404
    assert _page(foreign.content, foreign.request["PATH_INFO"]) == _page(absent.content, absent.request["PATH_INFO"])


def _page(body: bytes, path: str) -> bytes:
    """The page without what differs on every response (the masked CSRF token) or names the
    address asked for (the language form's return address)."""
    body = re.sub(rb'("X-CSRFToken": |name="csrfmiddlewaretoken" value=)"[^"]*"', b"", body)
    return body.replace(path.encode(), b"")
