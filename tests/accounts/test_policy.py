"""Who may grant which role where (accounts.policy): no escalation, only inside one's own reach, and
what a town lets its village secretaries do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hongniudai.accounts import policy, services_users
from hongniudai.accounts.models import Role, RoleAssignment, TownAccountSettings
from hongniudai.accounts.scope import Capability, scope_for
from tests import factories as f


def _allow_village_secretaries(town) -> None:
    services_users.set_town_rules(actor=town.users["admin"], town=town.town, village_secretaries_manage=True)


def test_town_admin_grants_any_role_inside_the_town_and_nothing_outside(town):
    admin = town.users["admin"]
    assert policy.may_grant(admin, Role.GRID_WORKER, town.xuqiao.grid)
    assert policy.may_grant(admin, Role.TOWN_ADMIN, town.town)
    assert policy.may_grant(admin, Role.INSTRUCTOR, town.fashuihe.branch)
    other_town = f.area(town.county, "长港镇", "town")
    assert "不在您的账号管理范围" in policy.grant_refusal(admin, Role.GRID_WORKER, other_town)
    assert policy.grant_refusal(admin, Role.TOWN_ADMIN, town.county) is not None


def test_a_village_secretary_grants_nothing_until_the_town_allows_it(town):
    xuqiao = town.users["xuqiao"]
    assert not policy.may_administer(xuqiao)
    assert policy.grant_refusal(xuqiao, Role.GRID_WORKER, town.xuqiao.grid) is not None


def test_allowed_village_secretary_grants_only_the_delegable_roles_in_their_own_village(town):
    _allow_village_secretaries(town)
    xuqiao = town.users["xuqiao"]
    assert policy.may_administer(xuqiao)
    assert policy.may_grant(xuqiao, Role.GRID_WORKER, town.xuqiao.grid)
    assert policy.may_grant(xuqiao, Role.CENTRE_HOUSEHOLD, town.xuqiao.hamlet)
    assert "不能授予“镇管理员”" in policy.grant_refusal(xuqiao, Role.TOWN_ADMIN, town.xuqiao.area)
    assert "不能授予“村党支部书记”" in policy.grant_refusal(xuqiao, Role.VILLAGE_SECRETARY, town.xuqiao.area)
    refusal = policy.grant_refusal(xuqiao, Role.GRID_WORKER, town.hemeifan.grid)
    assert "何梅畈村" not in refusal or "不在您的账号管理范围" in refusal
    assert "不在您的账号管理范围" in refusal


def test_a_role_stronger_than_the_granters_is_refused(town, monkeypatch):
    """Were village secretaries to manage users, they still could not grant a role holding more
    capabilities than their own (a town administrator's), even inside their village."""
    stronger = policy.CAPABILITIES[Role.VILLAGE_SECRETARY] | {Capability.MANAGE_USERS}
    monkeypatch.setitem(policy.CAPABILITIES, Role.VILLAGE_SECRETARY, stronger)
    xuqiao = town.users["xuqiao"]
    assert policy.may_grant(xuqiao, Role.GRID_WORKER, town.xuqiao.grid)
    refusal = policy.grant_refusal(xuqiao, Role.TOWN_ADMIN, town.xuqiao.area)
    assert "权限超出了您自己在“徐桥村”的权限" in refusal
    assert policy.grant_refusal(town.users["admin"], Role.TOWN_ADMIN, town.county) is not None


def test_who_manages_whom(town):
    admin, xuqiao = town.users["admin"], town.users["xuqiao"]
    gridworker = town.users["gridworker"]
    assert policy.may_manage(admin, gridworker)
    assert not policy.may_manage(admin, admin)
    assert "自己的账号" in policy.manage_refusal(admin, admin)
    assert not policy.may_manage(xuqiao, gridworker)
    _allow_village_secretaries(town)
    xuqiao = type(xuqiao).objects.get(pk=xuqiao.pk)  # a fresh object: the reach is cached per object
    assert policy.may_manage(xuqiao, gridworker)
    assert not policy.may_manage(xuqiao, town.users["fashuihe"])
    assert not policy.may_manage(xuqiao, town.users["zhangshengfu"])  # centre household of 何梅畈村
    superuser = f.user("root_user", Role.TOWN_ADMIN, area=town.town)
    superuser.is_superuser = True
    superuser.save()
    assert "超级管理员" in policy.manage_refusal(admin, superuser)


def test_a_user_whose_roles_all_ended_is_still_managed_by_who_granted_them(town):
    admin, gridworker = town.users["admin"], town.users["gridworker"]
    assignment = RoleAssignment.objects.get(user=gridworker)
    services_users.end_role(actor=admin, assignment=assignment)
    assert not RoleAssignment.objects.filter(user=gridworker).exists()
    assert RoleAssignment.history.filter(user=gridworker).count() == 1
    assert policy.may_manage(type(admin).objects.get(pk=admin.pk), gridworker)


def test_town_rules_are_the_town_administrators(town):
    with pytest.raises(PermissionDenied):
        services_users.set_town_rules(actor=town.users["xuqiao"], town=town.town, village_secretaries_manage=True)
    _allow_village_secretaries(town)
    assert TownAccountSettings.objects.get(town=town.town).village_secretaries_manage


def test_an_ended_role_stops_counting_from_its_end_date(town):
    admin, gridworker = town.users["admin"], town.users["gridworker"]
    assignment = RoleAssignment.objects.get(user=gridworker)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    services_users.end_role(actor=admin, assignment=assignment, on=tomorrow)
    fresh = type(gridworker).objects.get(pk=gridworker.pk)
    assert not scope_for(fresh).is_empty  # still in force today
    with pytest.raises(ValidationError):
        services_users.end_role(actor=admin, assignment=assignment, on=dt.date(2000, 1, 1))
