"""The signed-in user's own account over the API: who they are and their roles, their tokens
(list, revoke), changing their password, signing out of the web elsewhere. Registered by
`hongniudai.api.urls`; the same services as the `/accounts/me/` pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hongniudai.common.api import TextField
from hongniudai.common.choices import choice_label

from . import selectors, services_self, services_tokens
from .http import api_user
from .models import ApiToken, RoleAssignment, User


class UserBriefSerializer(serializers.ModelSerializer[User]):
    """A user as other records name them (a matter's handler, a visit's instructor): id, username, name."""

    name = TextField(label=_("姓名"))

    class Meta:
        model = User
        fields = ["id", "username", "name"]
        read_only_fields = fields


class RoleLabelField(serializers.CharField):
    """A role assignment's role label, the labels looked up once per serializer (in the request's
    language), not `get_role_display()`, which rebuilds the role choices for every row."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._label: Callable[[Any], str] | None = None

    def get_attribute(self, instance: RoleAssignment) -> str:
        if self._label is None:
            self._label = choice_label(RoleAssignment, "role")
        return self._label(instance.role)


class RoleSerializer(serializers.Serializer):
    role = serializers.CharField(help_text=_("角色代码"))
    role_label = RoleLabelField(help_text=_("角色"))
    node = serializers.SerializerMethodField(help_text=_("所在地区或党组织"))

    def get_node(self, obj: RoleAssignment) -> str:
        return str(obj.area or obj.org)


class MeSerializer(serializers.Serializer):
    username = serializers.CharField(source="user.username")
    display_name = serializers.CharField(source="user.display_name")
    masked_phone = serializers.CharField(help_text=_("手机号(已脱敏)"))
    must_change_password = serializers.BooleanField(source="user.must_change_password")
    roles = RoleSerializer(many=True)


class TokenRowSerializer(serializers.ModelSerializer[ApiToken]):
    current = serializers.SerializerMethodField(help_text=_("是否为本次请求所用的令牌"))

    class Meta:
        model = ApiToken
        fields = ["id", "prefix", "device", "created_at", "last_used_at", "expires_at", "current"]

    def get_current(self, obj: ApiToken) -> bool:
        auth = getattr(self.context.get("request"), "auth", None)
        return isinstance(auth, ApiToken) and auth.pk == obj.pk


class PasswordSerializer(serializers.Serializer):
    old_password = serializers.CharField(max_length=128, trim_whitespace=False, label=_("原密码"))
    new_password = serializers.CharField(max_length=128, trim_whitespace=False, label=_("新密码"))


class MeView(APIView):
    @extend_schema(summary=_("我的账号"), responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(selectors.my_account(api_user(request))).data)


class MyTokensView(APIView):
    @extend_schema(summary=_("我的有效令牌"), responses=TokenRowSerializer(many=True))
    def get(self, request: Request) -> Response:
        tokens = selectors.my_tokens(api_user(request))
        return Response(TokenRowSerializer(tokens, many=True, context={"request": request}).data)


class MyTokenView(APIView):
    @extend_schema(
        summary=_("作废我的一个令牌"),
        responses={204: None, 404: OpenApiResponse(description=_("没有这个令牌。"))},
    )
    def delete(self, request: Request, pk: int) -> Response:
        user = api_user(request)
        token = selectors.my_token(user, pk)
        if token is None:
            raise Http404
        services_tokens.revoke_token(actor=user, token=token)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyPasswordView(APIView):
    @extend_schema(
        summary=_("修改我的密码"),
        request=PasswordSerializer,
        responses={204: None, 400: OpenApiResponse(description=_("原密码不正确,或新密码不符合密码规则。"))},
    )
    def post(self, request: Request) -> Response:
        form = PasswordSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services_self.change_password(
            actor=api_user(request),
            old_password=form.validated_data["old_password"],
            new_password=form.validated_data["new_password"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class SignOutElsewhereView(APIView):
    @extend_schema(summary=_("退出网页上的全部登录"), request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        services_self.end_other_sessions(actor=api_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
