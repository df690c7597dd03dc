"""API authentication by the tokens of baolei.accounts.tokens (``Authorization: Token …``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, permissions
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request

from baolei.accounts import tokens
from baolei.accounts.middleware import password_expired
from baolei.accounts.models import ApiToken
from baolei.audit.models import Action
from baolei.audit.services import record_event

EXPIRED_DETAIL = "密码已过期，请先修改密码。"


class ApiTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
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
            token = tokens.authenticate_key(key)
        except tokens.TokenRefused as exc:
            raise exceptions.AuthenticationFailed(str(exc)) from None
        if password_expired(token.user):
            # The same answer the pages' session gets (PasswordExpiryMiddleware).
            raise exceptions.PermissionDenied(EXPIRED_DETAIL)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class TokenScopePermission(permissions.BasePermission):
    """A token limited to scopes reads only the modules it names and writes only those
    it names for writing; within them, its user's rights and the action policy apply as
    ever. A refusal is 403 with the reason, in the security log."""

    message = "该令牌无权访问此模块。"

    def has_permission(self, request: Any, view: Any) -> bool:
        token = request.auth
        module = tokens.module_of(request.path)
        if not isinstance(token, ApiToken) or module is None:
            return True
        write = request.method not in permissions.SAFE_METHODS
        if tokens.scope_allows(token, module, write):
            return True
        label = tokens.MODULES.get(module, module)
        doing = "写入" if write else "读取"
        self.message = (
            f"该令牌（{token.name}）无权{doing}“{label}”，"
            f"其权限范围为：{tokens.describe_scopes(token.scopes) or '无'}。"
        )
        record_event(
            Action.ACCESS_DENIED,
            actor=token.user,
            request=request,
            success=False,
            target=request.path,
            detail={"token": token.prefix, "module": module, "write": write, "api": True},
        )
        return False


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
