"""API tokens: issued on a signed-in page, stored as a digest, and valid only while
the user's sessions would be.

A token expires after ``BAOLEI_API_TOKEN_DAYS`` days. It carries the user's session
hash from when it was issued (a digest of the password hash and the session epoch),
so a password change, "sign out everywhere" and deactivation end it exactly as they
end the user's sessions; an expired password refuses it as it refuses the pages.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from baolei.accounts.models import ApiToken, Role, User
from baolei.accounts.services import require_in_scope, require_role
from baolei.audit.models import Action
from baolei.audit.services import record_event

KEY_PREFIX = "bl_"
#: How often the last-use time is written back (not on every request).
LAST_USED_RESOLUTION = timedelta(minutes=1)

VALID = "有效"
EXPIRED = "已过期"
REVOKED = "已吊销"
ENDED = "已失效"  # password changed, signed out everywhere, or deactivated


#: The modules of the API a token's scopes name: the first part of a path under
#: /api/v1/ (a test keeps every route's in this list).
MODULES = {
    "regions": "行政区划",
    "governance-centres": "综治中心",
    "agencies": "单位",
    "users": "用户",
    "people": "人员",
    "ledger": "台账",
    "screening": "排查整顿",
    "supervision": "督导",
    "cases": "案件",
    "clues": "线索",
    "vetting": "背景审查",
    "coordination": "统筹协调",
    "cadres": "村干部",
    "network": "关系网络",
    "search": "搜索",
    "reports": "统计通报",
    "me": "本人待办与通知",
}
READ, WRITE = "read", "write"
API_PREFIX = "/api/v1/"


def scope_names() -> list[str]:
    return [f"{module}:{access}" for module in MODULES for access in (READ, WRITE)]


def module_of(path: str) -> str | None:
    """The module an API address belongs to ("cases" for /api/v1/cases/3/stage/)."""
    if not path.startswith(API_PREFIX):
        return None
    return path.removeprefix(API_PREFIX).split("/", 1)[0].split(".", 1)[0] or None


def scope_allows(token: ApiToken, module: str, write: bool) -> bool:
    """Whether the token's scopes let it read (or write) the module; a token without
    scopes is its user's, whole."""
    if token.scopes is None:
        return True
    held = set(token.scopes)
    return f"{module}:{WRITE}" in held or (not write and f"{module}:{READ}" in held)


def describe_scopes(scopes: list[str] | None) -> str:
    """ "线索（读写）、案件（只读）", or 不限 for a token without scopes."""
    if scopes is None:
        return "不限（与本人权限相同）"
    held = set(scopes)
    parts = [
        f"{label}（{'读写' if f'{module}:{WRITE}' in held else '只读'}）"
        for module, label in MODULES.items()
        if f"{module}:{WRITE}" in held or f"{module}:{READ}" in held
    ]
    return "、".join(parts)


class TokenRefused(Exception):
    """The token does not authenticate; the message says why, in Chinese."""


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _bound_to_current_sessions(token: ApiToken) -> bool:
    user = token.user
    hashes = [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]
    return any(hmac.compare_digest(token.binding, value) for value in hashes)


def token_state(token: ApiToken, *, now: datetime | None = None) -> str:
    if token.revoked_at is not None:
        return REVOKED
    if token.expires_at <= (now or timezone.now()):
        return EXPIRED
    if not token.user.is_active or not _bound_to_current_sessions(token):
        return ENDED
    return VALID


@transaction.atomic
def issue_token(
    *,
    actor: User,
    name: str,
    request: HttpRequest | None = None,
    scopes: Sequence[str] | None = None,
    owner: User | None = None,
    lifetime: timedelta | None = None,
) -> tuple[ApiToken, str]:
    """A user issues tokens to themself, each for BAOLEI_API_TOKEN_DAYS days, limited
    to ``scopes`` (read or write per module) or, without, whole. For a system account
    (``owner``, via ``baolei.accounts.systems``) its administrator issues them, for the
    approved ``lifetime``.

    Returns the token and its key; the key is shown once and never stored."""
    owner = owner or actor
    if not actor.is_active or not owner.is_active:
        raise PermissionDenied("账户已停用，不能签发令牌。")
    name = name.strip()
    if not name:
        raise ValidationError({"name": "请填写令牌用途。"})
    if len(name) > 100:
        raise ValidationError({"name": "用途最多 100 个字。"})
    if scopes is not None:
        unknown = sorted(set(scopes) - set(scope_names()))
        if unknown:
            raise ValidationError({"scopes": f"未知的权限范围：{'、'.join(unknown)}。"})
        if not scopes:
            raise ValidationError({"scopes": "请至少选择一个可读或可写的模块。"})
        scopes = sorted(set(scopes), key=scope_names().index)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=owner,
        name=name,
        prefix=key[:10],
        digest=digest(key),
        binding=owner.get_session_auth_hash(),
        created_at=now,
        expires_at=now + (lifetime or timedelta(days=settings.API_TOKEN_DAYS)),
        scopes=None if scopes is None else list(scopes),
    )
    record_event(
        Action.TOKEN_CREATED,
        actor=actor,
        request=request,
        target=owner.username,
        detail={
            "token": token.prefix,
            "name": name,
            "expires_at": token.expires_at.isoformat(),
            "scopes": token.scopes,
        },
    )
    return token, key


@transaction.atomic
def revoke_token(*, actor: User, token: ApiToken, request: HttpRequest | None = None) -> None:
    """A token is revoked by its owner, by the security administrator of the owner's
    region, or (a system account's) by the system administrator of its region."""
    if token.user_id != actor.pk:
        if not (token.user.is_system and actor.has_role(Role.SYSTEM_ADMIN)):
            require_role(actor, Role.SECURITY_ADMIN, "吊销他人的接口令牌")
        require_in_scope(actor, token.user)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError("该令牌已被吊销。")
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    record_event(
        Action.TOKEN_REVOKED,
        actor=actor,
        request=request,
        target=token.user.username,
        detail={"token": token.prefix, "name": token.name},
    )


def authenticate_token(key: str) -> User:
    """The user a token key stands for, or TokenRefused naming why not."""
    return authenticate_key(key).user


def authenticate_key(key: str) -> ApiToken:
    """The valid token of a key, or TokenRefused naming why not."""
    token = ApiToken.objects.select_related("user").filter(digest=digest(key)).first()
    if token is None:
        raise TokenRefused("令牌无效。")
    now = timezone.now()
    state = token_state(token, now=now)
    if state == ENDED:
        raise TokenRefused("令牌已失效（密码已修改、已被强制下线或账户已停用），请重新签发。")
    if state != VALID:
        raise TokenRefused(f"令牌{state}。")
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
