"""Creating users and assigning roles: each audited under its own named action."""

from __future__ import annotations

from hongniudai.accounts import events
from hongniudai.accounts import services as account_services
from hongniudai.accounts.models import Role
from hongniudai.audit.models import AuditEvent


def test_a_new_user_and_their_role_are_audited_by_name(town):
    admin = town.users["admin"]
    user = account_services.create_user(actor=admin, username="newclerk", password=None, display_name="新文书")
    account_services.assign_role(actor=admin, user=user, role=Role.VILLAGE_SECRETARY, area=town.xuqiao.area)
    created = AuditEvent.objects.get(action=events.USER_CREATED, target_id=str(user.pk))
    assert created.actor == admin and created.action_label == "新建用户"
    assigned = AuditEvent.objects.get(action=events.ROLE_ASSIGNED, actor=admin)
    assert assigned.area_path == town.xuqiao.area.path and assigned.action_label == "分配角色"
