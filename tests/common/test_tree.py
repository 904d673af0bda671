import pytest
from django.db import connection

from hongniudai.common.tree import (
    Sorted,
    SortedUnlessNarrow,
    Unindexed,
    ancestor_ids,
    child_path,
    path_length_at_depth,
    prefix_successor,
    walked_in_path_order,
)
from hongniudai.places.models import AreaKind, AreaNode, Resident
from tests import factories


def test_paths_nest_and_do_not_collide_on_prefix():
    root = child_path("", 1)
    a = child_path(root, 5)
    b = child_path(root, 50)
    assert a.startswith(root) and b.startswith(root)
    assert not b.startswith(a)
    assert ancestor_ids(b) == [1, 50]
    assert len(b) == path_length_at_depth(2)


def test_prefix_successor_bounds_every_string_with_the_prefix():
    p = child_path("", 7)
    upper = prefix_successor(p)
    inside = [p, child_path(p, 1), child_path(p, 99_999_999)]
    outside = [child_path("", 8), child_path("", 6), child_path(child_path("", 70), 1)]
    assert all(p <= s < upper for s in inside)
    assert not any(p <= s < upper for s in outside)


@pytest.mark.django_db
def test_under_selects_a_subtree_like_startswith_and_nothing_beside_it():
    county = factories.area(None, "县", AreaKind.COUNTY)
    town = factories.area(county, "镇", AreaKind.TOWN)
    district = factories.area(town, "片区", AreaKind.DISTRICT)
    village = factories.area(district, "村", AreaKind.VILLAGE)
    other = factories.area(county, "邻镇", AreaKind.TOWN)
    factories.area(other, "邻片区", AreaKind.DISTRICT)
    under = set(AreaNode.objects.filter(path__under=town.path).values_list("pk", flat=True))
    assert under == {town.pk, district.pk, village.pk}
    assert under == set(AreaNode.objects.filter(path__startswith=town.path).values_list("pk", flat=True))


@pytest.mark.django_db
def test_under_is_answered_from_the_path_index():
    town = factories.area(None, "镇", AreaKind.TOWN)
    qs = AreaNode.objects.filter(path__under=town.path)
    plan = qs.explain()
    if connection.vendor == "sqlite":
        deep = child_path(child_path(town.path, 8), 9)  # a village's subtree: the index is used
        assert "(path>? AND path<?)" in AreaNode.objects.filter(path__under=deep).explain()
        # A town's subtree holds most rows: SQLite is kept off the path index (it has no
        # histogram) when the list is ordered by something else…
        broad = AreaNode.objects.filter(path__under=town.path)
        assert "(path>? AND path<?)" not in broad.order_by("name").explain()
        # …and walks it when the list is ordered by that path: the index gives both the subtree
        # and the order, and a page of 30 stops after 30 rows instead of sorting the subtree.
        assert "(path>? AND path<?)" in broad.order_by("path").explain()
        residents = Resident.objects.filter(household__hamlet__path__under=town.path)
        assert "(path>? AND path<?)" in residents.order_by("household__hamlet__path", "id").explain()
        assert "(path>? AND path<?)" not in residents.order_by("-birth_date").explain()
    else:
        assert "LIKE" in str(qs.query) or "~~" in plan


@pytest.mark.django_db
def test_under_writes_a_tree_path_into_the_query_on_postgresql():
    """Each subtree's query is its own prepared statement there, planned for that subtree: a
    pattern sent as a parameter may get one plan for all, which cannot use the path's index."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    town = factories.area(None, "镇", AreaKind.TOWN)
    district = factories.area(town, "片区", AreaKind.DISTRICT)
    village = factories.area(district, "村", AreaKind.VILLAGE)
    for _ in range(7):  # past the prepare threshold: the statement is prepared
        found = set(AreaNode.objects.filter(path__under=town.path).values_list("pk", flat=True))
        assert found == {town.pk, district.pk, village.pk}
    sql, params = AreaNode.objects.filter(path__under=town.path).query.sql_with_params()
    assert f"LIKE '{town.path}%%'" in sql and town.path + "%" not in params
    assert list(AreaNode.objects.filter(path__under=village.path).values_list("pk", flat=True)) == [village.pk]
    # Anything but a tree path stays a parameter.
    sql, params = AreaNode.objects.filter(path__under="/x'%").query.sql_with_params()
    assert "/x'" not in sql and not AreaNode.objects.filter(path__under="/x'%").exists()


@pytest.mark.django_db
def test_walked_is_every_path_and_a_range_on_sqlite_only():
    town = factories.area(None, "镇", AreaKind.TOWN)
    village = factories.area(factories.area(town, "片区", AreaKind.DISTRICT), "村", AreaKind.VILLAGE)
    every = AreaNode.objects.all()
    assert set(every.filter(path__walked=True)) == set(every) == {town, village, village.parent}
    walked = str(walked_in_path_order(every, "path").query)
    if connection.vendor == "sqlite":
        assert '"places_areanode"."path" >= / AND "places_areanode"."path" < 0' in walked
    else:
        assert "WHERE" not in walked
        assert "WHERE" not in str(every.filter(path__walked=True).query)


@pytest.mark.django_db
def test_unindexed_and_sorted_unless_narrow_are_the_column_itself_but_for_sqlites_planner():
    town = factories.area(None, "镇", AreaKind.TOWN)
    village = factories.area(factories.area(town, "片区", AreaKind.DISTRICT), "村", AreaKind.VILLAGE)
    kinds = AreaNode.objects.alias(k=Unindexed("kind")).filter(k=AreaKind.VILLAGE)
    assert list(kinds) == [village]
    broad = AreaNode.objects.filter(path__under=town.path).order_by(SortedUnlessNarrow("name").desc())
    narrow = AreaNode.objects.filter(path__under=village.path).order_by(SortedUnlessNarrow("name"))
    assert list(broad) == list(AreaNode.objects.order_by("-name")) and list(narrow) == [village]
    sqlite = connection.vendor == "sqlite"
    assert ('+"places_areanode"."kind"' in str(kinds.query)) == sqlite
    assert '+"places_areanode"."name"' not in str(broad.query)
    assert ('+"places_areanode"."name"' in str(narrow.query)) == sqlite


@pytest.mark.django_db
def test_sorted_orders_as_the_column_does_without_its_index():
    district = factories.area(factories.area(None, "镇", AreaKind.TOWN), "片区", AreaKind.DISTRICT)
    for name in ("乙村", "甲村", "丙村"):
        factories.area(district, name, AreaKind.VILLAGE)
    qs = AreaNode.objects.order_by(Sorted("path"))
    assert list(qs) == list(AreaNode.objects.order_by("path"))
    written = '+"places_areanode"."path"' if connection.vendor == "sqlite" else '("places_areanode"."path" || \'\')'
    assert written in str(qs.query)
