"""The permission questions of places (`places.policy`), as the pages ask them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from hongniudai.accounts.scope import Capability
from hongniudai.places import policy


def test_the_town_reviews_registrations_a_village_does_not(town):
    assert policy.can_review_registrations(town.users["admin"])
    assert not policy.can_review_registrations(town.users["xuqiao"])


def test_a_grid_worker_registers_people_but_sees_no_whole_id_number(town):
    worker, head = town.users["gridworker"], town.xuqiao.head
    assert policy.may_register_households(worker) and policy.can_edit_people(worker, head)
    assert not policy.can_reveal(worker, head)
    assert policy.can_reveal(town.users["xuqiao"], head)


def test_a_village_secretary_is_refused_outside_the_village(town):
    xuqiao = town.users["xuqiao"]
    policy.require(xuqiao, Capability.EDIT_PEOPLE, town.xuqiao.household)
    assert not policy.can_view(xuqiao, town.fashuihe.household)
    with pytest.raises(PermissionDenied):
        policy.require(xuqiao, Capability.EDIT_PEOPLE, town.fashuihe.household)
    with pytest.raises(PermissionDenied):
        policy.require(xuqiao, Capability.EDIT_PLACES, town.xuqiao.area)
