"""The hamlet counters behind the tree's counts: kept true by every service that moves a
household, a resident or a member, and equal to what a rebuild computes."""

import datetime as dt

from hongniudai.party import services as party_services
from hongniudai.places import counters, selectors, services
from hongniudai.places.models import AreaKind, AreaNode, Household, Resident
from tests import factories as f


def _snapshot():
    return sorted(
        AreaNode.objects.filter(kind=AreaKind.HAMLET).values_list(
            "pk", "households_here", "residents_here", "members_here"
        )
    )


def _tree(user, node):
    return {c.node.pk: (c.households, c.residents, c.members) for c in selectors.area_children_with_counts(user, node)}


def _counted(node):
    from hongniudai.party.models import Member

    return (
        Household.objects.filter(hamlet__path__startswith=node.path).count(),
        Resident.objects.filter(household__hamlet__path__startswith=node.path).count(),
        Member.objects.filter(resident__household__hamlet__path__startswith=node.path).count(),
    )


def test_services_keep_the_counters_and_the_tree_shows_true_counts(town):
    admin = town.users["admin"]
    household = services.create_household(actor=admin, hamlet=town.xuqiao.hamlet, address="黄家湾 8 号")
    person = f.resident(household, "徐小明", birth=dt.date(1990, 3, 3))
    party_services.create_member(actor=admin, resident=person, org=town.xuqiao.branch, joined_on=dt.date(2015, 7, 1))
    # Move the person to 发水河村, then remove an empty household.
    services.update_resident(
        actor=admin, resident=person, household=town.fashuihe.household, name=person.name, sex=person.sex
    )
    services.delete_household(actor=admin, household=household)
    kept = _snapshot()
    for village in (town.xuqiao.area, town.fashuihe.area, town.hemeifan.area):
        assert _tree(admin, town.district)[village.pk] == _counted(village)
    assert _tree(admin, town.district)[town.fashuihe.area.pk][2] == 2  # the head member and 徐小明
    counters.rebuild()
    assert _snapshot() == kept


def test_deleting_a_member_and_a_resident_updates_the_counts(town):
    admin = town.users["admin"]
    person = f.resident(town.hemeifan.household, "何小红", birth=dt.date(1992, 1, 1))
    member = party_services.create_member(
        actor=admin, resident=person, org=town.hemeifan.branch, joined_on=dt.date(2016, 7, 1)
    )
    before = _tree(admin, town.district)[town.hemeifan.area.pk]
    party_services.delete_member(actor=admin, member=member)
    services.delete_resident(actor=admin, resident=Resident.objects.get(pk=person.pk))
    after = _tree(admin, town.district)[town.hemeifan.area.pk]
    assert after == (before[0], before[1] - 1, before[2] - 1) == _counted(town.hemeifan.area)
