"""The accounts an administrator manages, over the API (`/api/v1/users/`): list and search them,
create one with its first role and a one-time password or invitation link, edit the name and
phone, grant roles and read their history, reset the way in, deactivate and reactivate. The same
selectors, services and policy (`accounts.policy`) as the pages under `/accounts/users/`: a refusal
of the policy is a 403 with its Chinese reason, an account or node out of reach a 404 or a field
error, never a hint of what lies beyond. Role ends, town rules and invitations: `users.api_rules`."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts import policy, services_users
from hongniudai.accounts import selectors as account_selectors
from hongniudai.accounts.http import api_user, invitation_url
from hongniudai.accounts.models import Role, User
from hongniudai.accounts.services_users import Credential, Handover
from hongniudai.common.api import fresh

from . import selectors
from .api_serializers import (
    BAD_REQUEST,
    FORBIDDEN,
    NOT_ADMINISTRATOR,
    NOT_FOUND,
    CredentialSerializer,
    HandoverSerializer,
    ManagedUserSerializer,
    RoleGrantSerializer,
    RoleHistorySerializer,
    UserCreateSerializer,
    UserUpdateSerializer,
)

NO_STORE = {"Cache-Control": "no-store"}
ACTIVE_VALUES = {"true": True, "1": True, "false": False, "0": False}
LIST_PARAMETERS = [
    OpenApiParameter("q", str, description=_("用户名、姓名或完整手机号")),
    OpenApiParameter("active", bool, description=_("true:只列启用的账号;false:只列已停用的")),
    OpenApiParameter("role", str, enum=Role.values, description=_("只列今天担任这一角色的用户")),
]


def handover_data(request: Request, handover: Handover) -> Any:
    """The hand-over as answered, once."""
    key = handover.invitation_key
    return HandoverSerializer(
        {
            "user": handover.user,
            "password": handover.password,
            "invitation_url": invitation_url(request, key) if key else "",
            "invitation_expires_at": handover.expires_at,
        }
    ).data


def list_filters(request: Request) -> tuple[str, bool | None, str]:
    """The list's filters (`q`, `active`, `role`) read from the query: a 400 naming the parameter
    for a value it cannot take."""
    params = request.query_params
    active_text = params.get("active", "").strip().lower()
    if active_text and active_text not in ACTIVE_VALUES:
        raise serializers.ValidationError({"active": [str(_("请填写 true 或 false。"))]})
    role = params.get("role", "").strip()
    if role and role not in Role.values:
        raise serializers.ValidationError({"role": [str(_("未知的角色。"))]})
    return params.get("q", ""), ACTIVE_VALUES.get(active_text), role


@extend_schema_view(
    list=extend_schema(
        summary=_("我管理的用户账号"),
        parameters=LIST_PARAMETERS,
        responses={200: ManagedUserSerializer(many=True), 400: BAD_REQUEST, 403: NOT_ADMINISTRATOR},
    ),
    retrieve=extend_schema(summary=_("用户账号详情"), responses={200: ManagedUserSerializer, 404: NOT_FOUND}),
)
class ManagedUserViewSet(viewsets.ReadOnlyModelViewSet):
    """镇(县)管理员管理的用户账号:其角色都在管理员范围之内。只能授予自己范围之内、权限不超过自己的角色;
    停用账号或重置密码立即使其全部登录和 API 令牌失效。"""

    serializer_class = ManagedUserSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[User]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks without a user
            return User.objects.none()
        user = api_user(self.request)
        if self.action != "list":
            return account_selectors.managed_users(user)
        policy.require_administer(user)
        q, active, role = list_filters(self.request)
        return selectors.managed_user_list(user, q=q, active=active, role=role)

    @extend_schema(
        summary=_("新建用户账号"),
        description=_(
            "新建账号并授予第一个角色(地区 area 或党组织 org 二选一)。应答只这一次给出一次性密码或邀请链接;"
            "用户首次登录须自己设置密码,之后才能获取 API 令牌。"
        ),
        request=UserCreateSerializer,
        responses={201: HandoverSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    def create(self, request: Request) -> Response:
        actor = api_user(request)
        policy.require_administer(actor)
        form = UserCreateSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        data = form.validated_data
        handover = services_users.onboard_user(
            actor=actor,
            username=data["username"],
            display_name=data["display_name"],
            phone=data["phone"],
            role=data["role"],
            node=data["node"],
            credential=Credential(data["credential"]),
        )
        return Response(handover_data(request, handover), status=status.HTTP_201_CREATED, headers=NO_STORE)

    @extend_schema(
        summary=_("修改用户账号(姓名、手机号)"),
        request=UserUpdateSerializer,
        responses={200: ManagedUserSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        user = self.get_object()
        form = UserUpdateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services_users.update_user(actor=api_user(request), user=user, data=dict(form.validated_data))
        return Response(ManagedUserSerializer(fresh(self.get_queryset(), user)).data)

    @extend_schema(
        methods=["GET"],
        summary=_("用户的角色及其历史"),
        description=_("现任和已终止的全部角色,新的在前:谁在何时授予,谁终止、自哪一天起终止。"),
        responses={200: RoleHistorySerializer(many=True), 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["POST"],
        summary=_("授予角色"),
        description=_("在地区(area)或党组织(org)上授予角色;只能授予您范围之内、权限不超过您自己的角色。"),
        request=RoleGrantSerializer,
        responses={201: RoleHistorySerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def roles(self, request: Request, pk: str | None = None) -> Response:
        user = self.get_object()
        if request.method == "GET":
            return Response(RoleHistorySerializer(account_selectors.role_history(user), many=True).data)
        form = RoleGrantSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        assignment = services_users.grant_role(
            actor=api_user(request), user=user, role=form.validated_data["role"], node=form.validated_data["node"]
        )
        return Response(RoleHistorySerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("重置密码"),
        description=_("给出新的一次性密码或邀请链接(只显示这一次);该用户的全部登录和 API 令牌立即失效。"),
        request=CredentialSerializer,
        responses={200: HandoverSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="reset-password", url_name="reset-password")
    def reset_password(self, request: Request, pk: str | None = None) -> Response:
        user = self.get_object()
        form = CredentialSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        handover = services_users.reset_credentials(
            actor=api_user(request), user=user, credential=Credential(form.validated_data["credential"])
        )
        return Response(handover_data(request, handover), headers=NO_STORE)

    @extend_schema(
        summary=_("停用用户账号"),
        request=None,
        responses={200: ManagedUserSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, pk: str | None = None) -> Response:
        user = services_users.deactivate_user(actor=api_user(request), user=self.get_object())
        return Response(ManagedUserSerializer(user).data)

    @extend_schema(
        summary=_("重新启用用户账号"),
        request=None,
        responses={200: ManagedUserSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def reactivate(self, request: Request, pk: str | None = None) -> Response:
        user = services_users.reactivate_user(actor=api_user(request), user=self.get_object())
        return Response(ManagedUserSerializer(user).data)
