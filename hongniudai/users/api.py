"""The accounts an administrator manages, over the API (`/api/v1/users/`): the same selectors,
services and policy (`accounts.policy`) as the pages under `/accounts/users/`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts import policy, selectors, services_users
from hongniudai.accounts.api import RoleSerializer
from hongniudai.accounts.http import api_user
from hongniudai.accounts.models import User


class ManagedUserSerializer(serializers.ModelSerializer[User]):
    name = serializers.CharField(source="__str__", read_only=True, label=_("姓名"))
    roles = RoleSerializer(source="assignments", many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "name", "is_active", "last_login", "roles"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        summary=_("我管理的用户账号"), parameters=[OpenApiParameter("q", str, description=_("用户名或姓名"))]
    ),
    retrieve=extend_schema(summary=_("用户账号详情")),
)
class ManagedUserViewSet(viewsets.ReadOnlyModelViewSet):
    """镇(县)管理员管理的用户账号:其角色都在管理员范围之内。停用账号立即使其全部登录和 API 令牌失效。"""

    serializer_class = ManagedUserSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[User]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks without a user
            return User.objects.none()
        user = api_user(self.request)
        if self.action == "list" and not policy.may_administer(user):
            raise PermissionDenied(_("只有镇(县)管理员(或经本镇允许的村党支部书记)可以管理用户账号。"))
        q = self.request.query_params.get("q", "") if self.action == "list" else ""
        return selectors.managed_users(user, q=q)

    @extend_schema(summary=_("停用用户账号"), request=None, responses={200: ManagedUserSerializer})
    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, pk: str | None = None) -> Response:
        user = services_users.deactivate_user(actor=api_user(request), user=self.get_object())
        return Response(ManagedUserSerializer(user).data)

    @extend_schema(summary=_("重新启用用户账号"), request=None, responses={200: ManagedUserSerializer})
    @action(detail=True, methods=["post"])
    def reactivate(self, request: Request, pk: str | None = None) -> Response:
        user = services_users.reactivate_user(actor=api_user(request), user=self.get_object())
        return Response(ManagedUserSerializer(user).data)
