from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from hongniudai.accounts.models import ApiToken
from hongniudai.accounts.services_tokens import token_digest, touch_token


class ExpiringTokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>`; keys expire after API_TOKEN_TTL_SECONDS."""

    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        token = ApiToken.objects.select_related("user").filter(digest=token_digest(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("令牌无效。"))
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(_("令牌已过期,请重新获取。"))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("用户已停用。"))
        touch_token(token)
        return token.user, token


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    """Documents `ExpiringTokenAuthentication` in the OpenAPI schema."""

    target_class = ExpiringTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _(
                "令牌认证:先 POST /api/v1/auth/token/ 提交用户名和密码获取令牌,之后每个请求带上请求头 "
                "`Authorization: Token <令牌>`(在此处填写时请包含前缀 “Token ”)。令牌在 expires_at 过期,"
                "过期后返回 401;DELETE /api/v1/auth/token/ 可立即作废当前令牌。"
            ),
        }
