"""List pages, exports and the tree cost the same number of queries for few rows as for many."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hongniudai.party import selectors
from hongniudai.party import services as party_services
from hongniudai.party.models import BranchType, OrgKind
from hongniudai.places.models import AreaKind
from tests import factories as f


def _queries(client, url, params=None) -> int:
    client.get(url, params or {})  # warm up (session, caches)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    if params and params.get("export"):
        b"".join(response.streaming_content)
    return len(ctx.captured_queries)


def _grow(town) -> None:
    """Many more members, organisations, hamlets and centre households."""
    admin = town.users["admin"]
    v = town.xuqiao
    for i in range(12):
        hamlet = f.area(v.grid, f"新湾{i}", AreaKind.HAMLET)
        hh = f.household(hamlet, f"新湾{i}1号")
        res = f.resident(hh, f"胡党员{i}", birth=dt.date(1970, 1, 1) + dt.timedelta(days=i))
        branch = f.org(town.general_branch, f"企业党支部{i}", OrgKind.BRANCH, v.area, branch_type=BranchType.ENTERPRISE)
        f.org(branch, f"企业党小组{i}", OrgKind.PARTY_GROUP, v.grid)
        member = f.member(
            res, v.branch if i % 2 else branch, group=v.group if i % 2 else None, post="secretary" if i == 3 else ""
        )
        party_services.set_centre_household(actor=admin, hamlet=hamlet, member=member, linked_households=[hh])


PAGES = [
    ("party:org_list", {}),
    ("party:org_list", {"kind": "branch"}),
    ("party:org_list", {"export": "xlsx"}),
    ("party:member_list", {}),
    ("party:member_list", {"q": "h"}),  # 黄文华 at first, then also 胡党员…
    ("party:member_list", {"export": "xlsx"}),
    ("party:centre_list", {}),
    ("party:centre_list", {"export": "xlsx"}),
]


def test_list_pages_cost_the_same_for_few_and_many_rows(party_town):
    t = party_town.town
    client = t.client_for("admin")
    few = {(name, tuple(p.items())): _queries(client, reverse(name), p) for name, p in PAGES}
    _grow(t)
    many = {(name, tuple(p.items())): _queries(client, reverse(name), p) for name, p in PAGES}
    assert few == many


def test_member_filter_by_org_costs_the_same(party_town):
    t = party_town.town
    client = t.client_for("admin")
    params = {"org": t.general_branch.pk}
    few = _queries(client, reverse("party:member_list"), params)
    _grow(t)
    assert _queries(client, reverse("party:member_list"), params) == few


def test_tree_costs_the_same_for_few_and_many_nodes(party_town):
    t = party_town.town
    client = t.client_for("admin")
    tree, node = reverse("party:org_tree"), {"node": t.xuqiao.group.pk}
    children = reverse("party:org_tree_children", args=[t.general_branch.pk])
    group_children = reverse("party:org_tree_children", args=[t.xuqiao.group.pk])
    few = (
        _queries(client, tree),
        _queries(client, tree, node),
        _queries(client, children),
        _queries(client, group_children),
    )
    _grow(t)
    many = (
        _queries(client, tree),
        _queries(client, tree, node),
        _queries(client, children),
        _queries(client, group_children),
    )
    assert few == many


def test_org_and_member_detail_cost_the_same(party_town):
    t = party_town.town
    client = t.client_for("admin")
    org = reverse("party:org_detail", args=[t.xuqiao.branch.pk])
    member = reverse("party:member_detail", args=[t.xuqiao.member.pk])
    few = (_queries(client, org), _queries(client, member))
    _grow(t)
    assert (_queries(client, org), _queries(client, member)) == few


def test_the_centre_list_counts_each_hamlets_linked_households(party_town):
    """The count is correlated per hamlet shown: n for a centre with n links, 0 without links or centre."""
    t = party_town.town
    admin = t.users["admin"]
    hamlet = f.area(t.xuqiao.grid, "计数湾", AreaKind.HAMLET)
    hh1, hh2 = f.household(hamlet, "计数湾1号"), f.household(hamlet, "计数湾2号")
    res = f.resident(hh1, "胡计数", birth=dt.date(1970, 1, 1))
    member = f.member(res, t.xuqiao.branch, group=t.xuqiao.group)
    party_services.set_centre_household(actor=admin, hamlet=hamlet, member=member, linked_households=[hh1, hh2])
    bare = f.area(t.xuqiao.grid, "空湾", AreaKind.HAMLET)
    counts = {h.pk: h.linked_count for h in selectors.hamlets_with_centres(admin)}
    assert counts[hamlet.pk] == 2 and counts[bare.pk] == 0
