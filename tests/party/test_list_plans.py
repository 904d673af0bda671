"""The member and centre-household lists keep their rows and order, and on SQLite (no planner
statistics) walk the list's order to the page instead of sorting every row in scope."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hongniudai.accounts.scope import scope_for
from hongniudai.party import selectors
from hongniudai.party.models import Member
from hongniudai.places.models import AreaKind, AreaNode

from .test_queries import _grow

pytestmark = pytest.mark.django_db


def test_members_keep_their_order_for_a_town_and_a_village(party_town):
    t = party_town.town
    _grow(t)
    for user in (t.users["admin"], t.users["xuqiao"]):
        in_scope = scope_for(user).filter(Member.objects.select_related("org"))
        expected = [m.pk for m in sorted(in_scope, key=lambda m: (m.org.path, m.pk))]
        assert len(expected) > 1
        assert list(selectors.members(user).values_list("pk", flat=True)) == expected
        assert [m.pk for m in selectors.members(user, status="full")] == [
            m.pk for m in sorted(in_scope.filter(status="full"), key=lambda m: (m.org.path, m.pk))
        ]


def test_a_towns_members_are_walked_in_branch_order_on_sqlite(party_town):
    qs = selectors.members(party_town.town.users["admin"])[:50]
    sql = str(qs.query)
    if connection.vendor != "sqlite":
        assert "'/'" not in sql  # PostgreSQL gets no hint
        return
    plan = qs.explain()
    assert "SEARCH party_partyorg USING INDEX" in plan and "(path>? AND path<?)" in plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan


def test_a_villages_members_are_found_by_key_and_sorted_a_towns_walked(party_town):
    """A village's few members are sorted once found (PostgreSQL walked every organisation of the
    county in path order to fill their page); a town's are read in the order of the path's index."""
    t = party_town.town
    village, town = t.users["xuqiao"], t.users["admin"]
    assert scope_for(village).is_narrow and not scope_for(town).is_narrow
    order_of = {user: str(selectors.members(user)[:50].query).rsplit("ORDER BY", 1)[1] for user in (village, town)}
    sorted_path = '+"party_partyorg"."path"' if connection.vendor == "sqlite" else '("party_partyorg"."path" || \'\')'
    assert order_of[village].strip().startswith(sorted_path)
    assert order_of[town].strip().startswith('"party_partyorg"."path"')


def test_the_centre_list_keeps_every_hamlet_in_path_order(party_town):
    t = party_town.town
    _grow(t)
    for user in (t.users["admin"], t.users["xuqiao"]):
        hamlets = scope_for(user).filter(AreaNode.objects.filter(kind=AreaKind.HAMLET))
        expected = sorted(hamlets.values_list("path", "pk"))
        assert len(expected) > 1
        rows = list(selectors.hamlets_with_centres(user).values_list("path", "pk"))
        assert rows == expected


def test_the_centre_list_walks_the_path_index_on_sqlite(party_town):
    qs = selectors.hamlets_with_centres(party_town.town.users["admin"])[:50]
    if connection.vendor != "sqlite":
        assert "+" not in str(qs.query).split("WHERE", 1)[1]
        return
    plan = qs.explain()
    assert "places_areanode_kind" not in plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan


def test_the_centre_list_counts_its_hamlets_without_the_rows_joins(party_town):
    t = party_town.town
    _grow(t)
    client = t.client_for("admin")
    hamlets = scope_for(t.users["admin"]).filter(AreaNode.objects.filter(kind=AreaKind.HAMLET))
    for state, expected in (
        ("", hamlets.count()),
        ("set", hamlets.filter(centre_household__isnull=False).count()),
        ("missing", hamlets.filter(centre_household__isnull=True).count()),
    ):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("party:centre_list"), {"state": state} if state else {})
        assert response.context["page"].paginator.count == expected, state
        (count,) = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
        assert "party_member" not in count and "places_resident" not in count
