"""API authentication by the tokens of baolei.accounts.tokens (``Authorization: Token …``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request

from baolei.accounts import tokens
from baolei.accounts.middleware import password_expired

EXPIRED_DETAIL = "密码已过期，请先修改密码。"


class ApiTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        # Read as text: a header that is not Latin-1 must be refused, not crash.
        parts = str(request.META.get("HTTP_AUTHORIZATION", "")).split()
        if not parts or parts[0].lower() != self.keyword.lower():
            return None
        if len(parts) != 2 or not parts[1].isascii():
            raise exceptions.AuthenticationFailed(
                "令牌格式不正确，应为 Authorization: Token 令牌。"
            )
        key = parts[1]
        try:
            user = tokens.authenticate_token(key)
        except tokens.TokenRefused as exc:
            raise exceptions.AuthenticationFailed(str(exc)) from None
        if password_expired(user):
            # The same answer the pages' session gets (PasswordExpiryMiddleware).
            raise exceptions.PermissionDenied(EXPIRED_DETAIL)
        return user, None

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                f"Token 令牌。令牌在“接口令牌”页面签发，{settings.API_TOKEN_DAYS} 天后到期；"
                "修改密码、被强制下线或账户停用后失效。"
            ),
        }
