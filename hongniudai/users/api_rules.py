"""The rest of user administration over the API: ending a role (`/api/v1/roles/{id}/end/`), the
towns' account rules (`/api/v1/town-account-rules/`) and accepting an invitation
(`/api/v1/invitations/accept/`, public). The same services and policy as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts import policy, services_users
from hongniudai.accounts import selectors as account_selectors
from hongniudai.accounts.http import api_user
from hongniudai.accounts.models import RoleAssignment
from hongniudai.common.api import fresh
from hongniudai.places.models import AreaNode

from . import selectors
from .api_serializers import (
    BAD_REQUEST,
    FORBIDDEN,
    MESSAGE,
    NOT_FOUND,
    TOWN_NOT_FOUND,
    AcceptedSerializer,
    EndRoleSerializer,
    InvitationAcceptSerializer,
    RoleHistorySerializer,
    TownRulesSerializer,
)


class RoleAssignmentViewSet(viewsets.GenericViewSet):
    """用户的角色:终止后仍留在历史中(谁授予、谁终止、自哪一天起)。读取见 /api/v1/users/{id}/roles/。"""

    serializer_class = RoleHistorySerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[RoleAssignment]:
        return RoleAssignment.history.none()  # read one by one through `managed_assignment`

    def get_object(self) -> RoleAssignment:
        return account_selectors.managed_assignment(api_user(self.request), int(self.kwargs["pk"]))

    @extend_schema(
        summary=_("终止角色"),
        description=_("角色到终止日期(默认今天)开始时失效,记录保留在历史中。不能终止自己的角色。"),
        request=EndRoleSerializer,
        responses={200: RoleHistorySerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        form = EndRoleSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        ended = services_users.end_role(
            actor=api_user(request), assignment=assignment, on=form.validated_data.get("ended_on")
        )
        return Response(RoleHistorySerializer(ended).data)


@extend_schema_view(
    list=extend_schema(
        summary=_("各镇的账号设置"),
        description=_("您可设置的各镇:是否允许村党支部书记管理本村网格员、党员中心户和志愿者的账号。"),
        responses={200: TownRulesSerializer(many=True), 403: OpenApiResponse(MESSAGE, policy.NOT_TOWN_RULER)},
    ),
    retrieve=extend_schema(summary=_("一个镇的账号设置"), responses={200: TownRulesSerializer, 404: TOWN_NOT_FOUND}),
)
class TownAccountRulesViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """镇的账号设置,以镇的地区 id 为准。"""

    serializer_class = TownRulesSerializer
    lookup_value_regex = r"\d+"
    pagination_class = None  # a county has a few dozen towns at most

    def get_queryset(self) -> QuerySet[AreaNode]:
        if getattr(self, "swagger_fake_view", False):
            return AreaNode.objects.none()
        towns = selectors.rule_towns(api_user(self.request))
        if self.action == "list" and not towns.exists():
            raise PermissionDenied(policy.NOT_TOWN_RULER)
        return towns

    @extend_schema(
        summary=_("修改一个镇的账号设置"),
        request=TownRulesSerializer,
        responses={200: TownRulesSerializer, 400: BAD_REQUEST, 404: TOWN_NOT_FOUND},
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        town = self.get_object()
        form = TownRulesSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services_users.set_town_rules(
            actor=api_user(request),
            town=town,
            village_secretaries_manage=form.validated_data["village_secretaries_manage"],
        )
        return Response(TownRulesSerializer(fresh(self.get_queryset(), town)).data)


def invitation_errors(exc: DjangoValidationError) -> dict[str, Any]:
    """The service's refusal keyed by this endpoint's fields (`password`, not `new_password`)."""
    if not hasattr(exc, "error_dict"):
        return {"key": exc.messages}
    errors = exc.message_dict
    return {"password" if name == "new_password" else name: messages for name, messages in errors.items()}


class InvitationViewSet(viewsets.GenericViewSet):
    """邀请链接:新用户(或被重置密码的用户)凭邀请码自己设置密码。无需登录。"""

    serializer_class = InvitationAcceptSerializer
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    def get_queryset(self) -> QuerySet[Any]:
        return RoleAssignment.history.none()  # names no records

    @extend_schema(
        summary=_("凭邀请链接设置密码"),
        description=_(
            "邀请码即邀请链接的最后一段。成功后邀请链接作废,用户以用户名和新密码获取令牌(/api/v1/auth/token/)。"
        ),
        request=InvitationAcceptSerializer,
        responses={
            200: AcceptedSerializer,
            400: OpenApiResponse(description=_("邀请链接无效、已使用或已过期(key),或新密码不符合密码规则(password)。")),
        },
        auth=[],
    )
    @action(detail=False, methods=["post"])
    def accept(self, request: Request) -> Response:
        form = InvitationAcceptSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            user = services_users.accept_invitation(
                key=form.validated_data["key"], password=form.validated_data["password"]
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(invitation_errors(exc)) from None
        return Response(AcceptedSerializer({"username": user.username}).data)
