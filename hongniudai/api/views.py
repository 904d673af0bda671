"""API views that belong to no single domain: tokens and the OpenAPI documentation pages."""

from __future__ import annotations

import json
import threading
from typing import Any, ClassVar

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework import serializers, status
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hongniudai.accounts import services as account_services
from hongniudai.accounts import services_tokens
from hongniudai.accounts.http import api_user
from hongniudai.accounts.models import ApiToken

from .authentication import ExpiringTokenAuthentication

NO_STORE = {"Cache-Control": "no-store"}


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, label=gettext_lazy("用户名"))
    password = serializers.CharField(
        max_length=128, trim_whitespace=False, style={"input_type": "password"}, label=gettext_lazy("密码")
    )
    device = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        label=gettext_lazy("设备"),
        help_text=gettext_lazy("这台设备的名称(如“张三的手机”),在“我的账号”中列出;不填则记下客户端的 User-Agent。"),
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(label=gettext_lazy("令牌"), help_text=gettext_lazy("只显示这一次,请妥善保存。"))
    expires_at = serializers.DateTimeField(label=gettext_lazy("过期时间"))


_MESSAGE = inline_serializer("Message", {"detail": serializers.CharField()})


class TokenView(APIView):
    """Issue a token for a username and password (POST), or revoke the presenting token (DELETE)."""

    def get_authenticators(self) -> list[BaseAuthentication]:
        # Signing in needs no credentials (a stale token must not stand in the way);
        # revoking needs the token itself.
        if self.request is not None and self.request.method == "POST":
            return []
        return [ExpiringTokenAuthentication()]

    def get_permissions(self) -> list[BasePermission]:
        if self.request is not None and self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        summary=gettext_lazy("获取令牌"),
        description=gettext_lazy("以用户名和密码换取 API 令牌。失败记入审计日志;连续失败次数过多时账号暂时锁定(429)。"),
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description=gettext_lazy("用户名或密码不正确,或缺少字段。")),
            403: OpenApiResponse(_MESSAGE, description=gettext_lazy("须先在网页上修改管理员设置的初始密码。")),
            429: OpenApiResponse(_MESSAGE, description=gettext_lazy("登录失败次数过多,账号暂时锁定。")),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        form = TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            user = account_services.login_attempt(
                request=request._request,
                username=form.validated_data["username"],
                password=form.validated_data["password"],
            )
        except account_services.LoginLocked as locked:
            local = timezone.localtime(locked.until)
            wait = max(1, int((locked.until - timezone.now()).total_seconds()))
            return Response(
                {"detail": _("登录失败次数过多,账号已暂时锁定,请在 %(time)s 之后再试。") % {"time": f"{local:%H:%M}"}},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(wait)},
            )
        if user is None:
            return Response(
                {"non_field_errors": [_("用户名或密码不正确。")]}, status=status.HTTP_400_BAD_REQUEST, headers=NO_STORE
            )
        device = form.validated_data.get("device") or request.headers.get("User-Agent", "")
        key, token = services_tokens.issue_token(actor=user, device=device)
        return Response(TokenSerializer({"token": key, "expires_at": token.expires_at}).data, headers=NO_STORE)

    @extend_schema(
        summary=gettext_lazy("作废当前令牌"),
        request=None,
        responses={204: None, 401: OpenApiResponse(_MESSAGE, description=gettext_lazy("未提供令牌或令牌无效。"))},
    )
    def delete(self, request: Request) -> Response:
        token = request.auth
        if not isinstance(token, ApiToken):  # pragma: no cover - only token authentication is offered here
            return Response({"detail": _("请求未使用令牌。")}, status=status.HTTP_400_BAD_REQUEST)
        services_tokens.revoke_token(actor=api_user(request), token=token)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SchemaView(SpectacularAPIView):
    """The OpenAPI document, generated once per process for each language and format (generating
    it takes two seconds; it changes only with the code) and then served from memory. `lang` is
    honoured for the site's languages only; a `version` parameter is generated afresh each time."""

    _served: ClassVar[dict[tuple[str, str], tuple[bytes, str, str]]] = {}
    _lock = threading.Lock()

    @classmethod
    def forget(cls) -> None:
        """Drop the documents kept in memory (tests that change what the schema shows)."""
        with cls._lock:
            cls._served.clear()

    @extend_schema(exclude=True)  # as SERVE_INCLUDE_SCHEMA = False says
    def get(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("version"):
            return super().get(request, *args, **kwargs)
        languages = {code for code, _name in settings.LANGUAGES}
        asked = request.GET.get("lang", "")
        language = asked if asked in languages else translation.get_language()
        key = (language, request.accepted_renderer.format)
        with self._lock:
            served = self._served.get(key)
            if served is None:
                with translation.override(language):
                    response = self._get_schema_response(request)
                    response = self.finalize_response(request, response, *args, **kwargs)
                    response.render()
                served = (response.content, response["Content-Type"], response["Content-Disposition"])
                self._served[key] = served
        content, content_type, disposition = served
        return HttpResponse(content, content_type=content_type, headers={"Content-Disposition": disposition})


class SwaggerView(SpectacularSwaggerView):
    """Swagger UI from the local sidecar files; the online spec validator (an outside call) is off."""

    url_name = "api:schema"

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().get(request, *args, **kwargs)
        ui_settings = spectacular_settings.SWAGGER_UI_SETTINGS
        if isinstance(ui_settings, dict):
            response.data["settings"] = json.dumps({**ui_settings, "validatorUrl": None}, indent=2)
        return response


class RedocView(SpectacularRedocView):
    """ReDoc from the local sidecar files, without the stock template's web fonts."""

    url_name = "api:schema"
    template_name = "api/redoc.html"
