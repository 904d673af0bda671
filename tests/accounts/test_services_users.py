"""Onboarding and managing accounts (accounts.services_users): one-time passwords and invitations,
roles granted and ended with their history, resets that end sessions and tokens, all audited."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hongniudai.accounts import services_users
from hongniudai.accounts.models import ApiToken, Invitation, Role, RoleAssignment, User
from hongniudai.accounts.services_tokens import issue_token
from hongniudai.accounts.services_users import Credential
from hongniudai.audit.models import AuditEvent


def _onboard(town, credential=Credential.PASSWORD, **kwargs):
    data = {"username": "wangfang", "display_name": "王芳", "role": Role.GRID_WORKER, "node": town.xuqiao.grid}
    data.update(kwargs)
    return services_users.onboard_user(actor=town.users["admin"], credential=credential, **data)


def test_a_one_time_password_lets_the_user_in_once_and_they_must_choose_their_own(town):
    handover = _onboard(town, phone="139 1234 5678")
    user = User.objects.get(username="wangfang")
    assert handover.password and user.check_password(handover.password)
    assert user.must_change_password
    assert user.phone == "13912345678"
    assignment = RoleAssignment.objects.get(user=user)
    assert (assignment.role, assignment.area, assignment.granted_by) == (
        Role.GRID_WORKER,
        town.xuqiao.grid,
        town.users["admin"],
    )
    granted = AuditEvent.objects.get(action="role_assigned", target_id=str(assignment.pk))
    assert granted.actor == town.users["admin"] and "wangfang" in str(granted.changes)
    assert handover.password not in str(list(AuditEvent.objects.values_list("changes", flat=True)))


def test_an_invitation_sets_the_password_once_and_expires(town, settings):
    handover = _onboard(town, credential=Credential.INVITATION)
    user = handover.user
    assert not user.has_usable_password() and handover.invitation_key
    assert Invitation.objects.get(user=user).digest != handover.invitation_key
    with pytest.raises(ValidationError) as weak:
        services_users.accept_invitation(key=handover.invitation_key, password="short")
    assert "new_password" in weak.value.message_dict
    services_users.accept_invitation(key=handover.invitation_key, password="Xuqiao-grid-2026")
    user.refresh_from_db()
    assert user.check_password("Xuqiao-grid-2026") and not user.must_change_password
    with pytest.raises(ValidationError, match="已使用或已过期"):
        services_users.accept_invitation(key=handover.invitation_key, password="Another-pass-2026")

    later = services_users.reset_credentials(actor=town.users["admin"], user=user, credential=Credential.INVITATION)
    hours = settings.INVITATION_MAX_AGE_HOURS
    with time_machine.travel(timezone.now() + dt.timedelta(hours=hours, minutes=1)):
        assert services_users.open_invitation(later.invitation_key) is None


def test_onboarding_refuses_bad_input_and_keeps_nothing(town):
    with pytest.raises(ValidationError) as bad:
        _onboard(town, username="王芳")
    assert "username" in bad.value.message_dict
    with pytest.raises(ValidationError) as phone:
        _onboard(town, phone="12345")
    assert "phone" in phone.value.message_dict
    with pytest.raises(ValidationError, match="用户名已存在"):
        _onboard(town, username="GridWorker")
    assert not User.objects.filter(username="wangfang").exists()


def test_onboarding_outside_ones_reach_is_refused_with_the_reason(town):
    services_users.set_town_rules(actor=town.users["admin"], town=town.town, village_secretaries_manage=True)
    xuqiao = town.users["xuqiao"]
    with pytest.raises(PermissionDenied, match="不能授予“镇管理员”"):
        services_users.onboard_user(
            actor=xuqiao, username="boss", display_name="甲", role=Role.TOWN_ADMIN, node=town.xuqiao.area
        )
    with pytest.raises(PermissionDenied, match="不在您的账号管理范围"):
        services_users.onboard_user(
            actor=xuqiao, username="far", display_name="乙", role=Role.GRID_WORKER, node=town.hemeifan.grid
        )
    assert not User.objects.filter(username__in=["boss", "far"]).exists()
    ok = services_users.onboard_user(
        actor=xuqiao, username="near", display_name="丙", role=Role.GRID_WORKER, node=town.xuqiao.grid
    )
    assert RoleAssignment.objects.get(user=ok.user).granted_by == xuqiao


def test_a_reset_ends_sessions_and_withdraws_tokens(town):
    gridworker = town.users["gridworker"]
    issue_token(actor=gridworker)
    stamp = gridworker.security_stamp
    handover = services_users.reset_credentials(actor=town.users["admin"], user=gridworker)
    gridworker.refresh_from_db()
    assert gridworker.security_stamp != stamp
    assert not ApiToken.objects.filter(user=gridworker).exists()
    assert handover.invitation_key and not gridworker.has_usable_password()
    assert AuditEvent.objects.filter(action="password_reset", target_id=str(gridworker.pk)).exists()


def test_roles_are_granted_once_and_ended_with_history(town):
    admin, gridworker = town.users["admin"], town.users["gridworker"]
    with pytest.raises(ValidationError, match="已在此处担任"):
        services_users.grant_role(actor=admin, user=gridworker, role=Role.GRID_WORKER, node=town.xuqiao.grid)
    extra = services_users.grant_role(actor=admin, user=gridworker, role=Role.VOLUNTEER, node=town.xuqiao.hamlet)
    services_users.end_role(actor=admin, assignment=extra)
    assert list(RoleAssignment.objects.filter(user=gridworker).values_list("role", flat=True)) == [Role.GRID_WORKER]
    ended = RoleAssignment.history.get(pk=extra.pk)
    assert (ended.ended_on, ended.ended_by) == (timezone.localdate(), admin)
    again = services_users.grant_role(actor=admin, user=gridworker, role=Role.VOLUNTEER, node=town.xuqiao.hamlet)
    assert again.pk != extra.pk
    with pytest.raises(PermissionDenied, match="自己的角色"):
        services_users.end_role(actor=admin, assignment=RoleAssignment.objects.get(user=admin))


def test_profile_edits_are_audited(town):
    admin, gridworker = town.users["admin"], town.users["gridworker"]
    changed = services_users.update_user(actor=admin, user=gridworker, data={"display_name": " 黄 丽娟 ", "phone": ""})
    assert changed == ["display_name"]
    assert User.objects.get(pk=gridworker.pk).display_name == "黄 丽娟"
    assert AuditEvent.objects.filter(action="user_updated", target_id=str(gridworker.pk)).exists()
    with pytest.raises(PermissionDenied):
        services_users.update_user(actor=town.users["xuqiao"], user=gridworker, data={"display_name": "x"})
