"""What the user-administration API reads and answers (`users.api`, `users.api_rules`): the
accounts, their role history, the hand-over shown once, and the documented error answers. The
serializers only translate input: every rule is `accounts.policy`'s, every check the services'."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

from hongniudai.accounts import policy
from hongniudai.accounts.api import RoleLabelField, RoleSerializer
from hongniudai.accounts.models import Role, RoleAssignment, User
from hongniudai.accounts.services_users import Credential
from hongniudai.common.api import DateField, IdField, TextField, acting_user
from hongniudai.common.identity import mask_phone

from . import selectors

# ---- the documented error answers -------------------------------------------------------------

MESSAGE = inline_serializer("UserAdminMessage", {"detail": serializers.CharField()})
BAD_REQUEST = OpenApiResponse(description=_("输入有误:按字段给出中文说明,未作任何改动。"))
FORBIDDEN = OpenApiResponse(
    MESSAGE, description=_("您无权进行此操作,原因见 detail(如所授角色超出您自己的权限,或不能管理自己的账号)。")
)
NOT_ADMINISTRATOR = OpenApiResponse(MESSAGE, description=policy.NOT_ADMINISTRATOR)
NOT_FOUND = OpenApiResponse(MESSAGE, description=_("用户或角色不存在,或不在您的管理范围之内。"))
TOWN_NOT_FOUND = OpenApiResponse(MESSAGE, description=_("没有这个镇,或其账号设置不归您管。"))
NODE_MISSING = _("未找到该地区或党组织,或不在您的管理范围之内。")
CREDENTIALS = [
    (Credential.INVITATION.value, _("邀请链接(用户自己设置密码)")),
    (Credential.PASSWORD.value, _("一次性密码(首次登录须修改)")),
]


# ---- accounts ---------------------------------------------------------------------------------


class ManagedUserSerializer(serializers.ModelSerializer[User]):
    name = TextField(label=_("姓名"))
    masked_phone = serializers.SerializerMethodField(help_text=_("手机号(已脱敏)"))
    roles = RoleSerializer(source="assignments", many=True, read_only=True, help_text=_("现任角色"))

    class Meta:
        model = User
        fields = ["id", "username", "name", "display_name", "masked_phone", "is_active", "must_change_password"]
        fields += ["date_joined", "last_login", "roles"]
        read_only_fields = fields

    def get_masked_phone(self, obj: User) -> str:
        return mask_phone(obj.phone)


class RoleGrantSerializer(serializers.Serializer):
    """A role and the node it is held on: an area node (`area`) or a party organisation (`org`),
    one of the two, found within the actor's reach (`users.selectors.grantable_node`)."""

    role = serializers.ChoiceField(choices=Role.choices, label=_("角色"))
    area = IdField(required=False, allow_null=True, label=_("地区 id"), help_text=_("与 org 二选一"))
    org = IdField(required=False, allow_null=True, label=_("党组织 id"), help_text=_("与 area 二选一"))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        area, org = attrs.get("area"), attrs.get("org")
        if (area is None) == (org is None):
            raise serializers.ValidationError({"area": [str(_("请指定地区(area)或党组织(org)之一。"))]})
        node = selectors.grantable_node(acting_user(self.context), area_id=area, org_id=org)
        if node is None:
            raise serializers.ValidationError({"area" if area is not None else "org": [str(NODE_MISSING)]})
        return {**attrs, "node": node}


class UserCreateSerializer(RoleGrantSerializer):
    username = serializers.CharField(max_length=150, label=_("用户名"))
    display_name = serializers.CharField(max_length=50, label=_("姓名"))
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="", label=_("手机号"))
    credential = serializers.ChoiceField(
        choices=CREDENTIALS, default=Credential.INVITATION.value, label=_("首次登录方式")
    )


class UserUpdateSerializer(serializers.Serializer):
    display_name = serializers.CharField(max_length=50, required=False, label=_("姓名"))
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, label=_("手机号"))


class CredentialSerializer(serializers.Serializer):
    credential = serializers.ChoiceField(
        choices=CREDENTIALS, default=Credential.INVITATION.value, label=_("首次登录方式")
    )


class HandoverSerializer(serializers.Serializer):
    """What the administrator hands the user, answered once and never again: a one-time password,
    or an invitation link and its expiry."""

    user = ManagedUserSerializer()
    password = serializers.CharField(help_text=_("一次性密码(只显示这一次;用户首次登录后须修改);用邀请链接时为空。"))
    invitation_url = serializers.CharField(help_text=_("邀请链接(只显示这一次,到期失效);用一次性密码时为空。"))
    invitation_expires_at = serializers.DateTimeField(allow_null=True, help_text=_("邀请链接的过期时间"))


# ---- roles ------------------------------------------------------------------------------------


class RoleHistorySerializer(serializers.ModelSerializer[RoleAssignment]):
    role_label = RoleLabelField(read_only=True, label=_("角色名称"))
    node = serializers.SerializerMethodField(help_text=_("所在地区或党组织的名称"))
    granted_by = serializers.CharField(
        source="granted_by.username", read_only=True, allow_null=True, help_text=_("授予人的用户名")
    )
    ended_by = serializers.CharField(
        source="ended_by.username", read_only=True, allow_null=True, help_text=_("终止人的用户名")
    )
    is_current = serializers.BooleanField(read_only=True, help_text=_("今天是否仍然有效"))

    class Meta:
        model = RoleAssignment
        fields = ["id", "role", "role_label", "area", "org", "node", "granted_by", "created_at"]
        fields += ["ended_on", "ended_by", "ended_at", "is_current"]
        read_only_fields = fields

    def get_node(self, obj: RoleAssignment) -> str:
        return str(obj.node)


class EndRoleSerializer(serializers.Serializer):
    ended_on = DateField(
        required=False, allow_null=True, label=_("终止日期"), help_text=_("默认今天;该角色到这一天开始时失效。")
    )


# ---- town rules and invitations ---------------------------------------------------------------


class TownRulesSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text=_("镇的地区 id"))
    name = serializers.CharField(read_only=True, label=_("镇"))
    village_secretaries_manage = serializers.BooleanField(
        label=_("村党支部书记可管理本村网格员、党员中心户和志愿者账号")
    )


class InvitationAcceptSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=100, label=_("邀请码"), help_text=_("邀请链接的最后一段"))
    password = serializers.CharField(
        max_length=128, trim_whitespace=False, style={"input_type": "password"}, label=_("新密码")
    )


class AcceptedSerializer(serializers.Serializer):
    username = serializers.CharField(help_text=_("用此用户名和新密码获取令牌(/api/v1/auth/token/)"))
