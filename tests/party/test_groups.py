"""Party groups (党员编入党小组): a group's members are seen by the grid's users, each group counts
its members, and a member is placed only in a group of their own branch."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from hongniudai.party import selectors, services
from hongniudai.party.models import OrgKind
from tests import factories as f


def _api(town, username: str) -> APIClient:
    api = APIClient()
    api.force_authenticate(town.users[username])
    return api


def test_a_grid_worker_sees_the_members_of_the_grids_party_group(town):
    page = town.client_for("gridworker").get(reverse("party:member_list")).content.decode()
    assert "黄文华" in page  # 徐桥村 5组党小组
    assert "施华成" not in page and "张圣福" not in page
    assert "没有符合条件的党员" not in page
    body = _api(town, "gridworker").get("/api/v1/members/").json()
    assert [m["id"] for m in body["results"]] == [town.xuqiao.member.pk]
    url = reverse("party:member_detail", args=[town.fashuihe.member.pk])
    assert town.client_for("gridworker").get(url).status_code == 404


def test_everyone_elses_view_of_members_is_unchanged(town):
    assert {m.pk for m in selectors.members(town.users["xuqiao"])} == {town.xuqiao.member.pk}
    assert {m.pk for m in selectors.members(town.users["zhangshengfu"])} == set()
    assert selectors.members(town.users["admin"]).count() == 3


def test_each_party_group_counts_its_members(town):
    res = f.resident(town.xuqiao.household, "黄国强", birth=dt.date(1970, 5, 6))
    member = f.member(res, town.xuqiao.branch)
    counts = {o.pk: o.member_count for o in selectors.orgs(town.users["admin"], kind=OrgKind.PARTY_GROUP)}
    assert counts[town.xuqiao.group.pk] == 1
    services.place_member_in_group(actor=town.users["xuqiao"], member=member, group=town.xuqiao.group)
    body = _api(town, "admin").get("/api/v1/party-orgs/", {"kind": OrgKind.PARTY_GROUP}).json()
    assert {o["id"]: o["member_count"] for o in body["results"]}[town.xuqiao.group.pk] == 2
    services.place_member_in_group(actor=town.users["xuqiao"], member=member, group=None)
    counts = {o.pk: o.member_count for o in selectors.orgs(town.users["admin"], kind=OrgKind.PARTY_GROUP)}
    assert counts[town.xuqiao.group.pk] == 1
    # A branch still counts its own members.
    assert {o.pk: o.member_count for o in selectors.orgs(town.users["admin"])}[town.xuqiao.branch.pk] == 2


def test_a_member_is_placed_only_in_a_group_of_their_branch(town):
    member = town.xuqiao.member
    with pytest.raises(ValidationError) as refused:
        services.place_member_in_group(actor=town.users["admin"], member=member, group=town.fashuihe.group)
    assert "党小组必须属于该党员所在的党支部" in " ".join(refused.value.messages)
    member.refresh_from_db()
    assert member.party_group_id == town.xuqiao.group.pk
    other = f.org(town.xuqiao.branch, "徐桥村6组党小组", OrgKind.PARTY_GROUP, town.xuqiao.grid)
    moved = services.place_member_in_group(actor=town.users["xuqiao"], member=member, group=other)
    assert moved.party_group_id == other.pk
    # Placing members is party work: a grid worker may see them but not move them.
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.place_member_in_group(actor=town.users["gridworker"], member=member, group=town.xuqiao.group)
