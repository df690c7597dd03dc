"""Who may act on a user account (三员分立).

The security administrator (安全管理员) grants and revokes roles, ends a user's
sessions and resets a lost authenticator; the system administrator (系统管理员) or the
security administrator deactivates and reactivates an account — each only for users
inside the region of their own agency, and nobody for their own account's activity.
No domain role (clerk, reviewer, leader) administers accounts.
"""

from __future__ import annotations

from typing import Any

import rules

from baolei.accounts.models import Agency, Role, SystemAccount, User
from baolei.core.policy import rule


@rules.predicate
def is_security_admin(user: Any) -> bool:
    return bool(user.has_role(Role.SECURITY_ADMIN))


@rules.predicate
def is_user_admin(user: Any) -> bool:
    return bool(user.has_role(Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN))


@rules.predicate
def in_scope(user: Any, subject: Any) -> bool:
    return subject is not None and User.objects.visible_to(user).filter(pk=subject.pk).exists()


@rules.predicate
def is_self(user: Any, subject: Any) -> bool:
    return subject is not None and subject.pk == user.pk


def outside(what: str, who: str) -> Any:
    def why(user: Any, subject: Any) -> str:
        if subject is not None and not in_scope(user, subject):
            return "该用户不在您的管理范围内。"
        return f"只有{who}可以{what}。"

    return why


rule("accounts.grant", is_security_admin & in_scope, outside("授予角色", "安全管理员"))
rule("accounts.revoke", is_security_admin & in_scope, outside("撤销角色", "安全管理员"))
rule("accounts.end_sessions", is_security_admin & in_scope, outside("强制用户下线", "安全管理员"))
rule(
    "accounts.reset_two_factor",
    is_security_admin & in_scope,
    outside("重置两步验证", "安全管理员"),
)
rule(
    "accounts.set_active",
    is_user_admin & in_scope & ~is_self,
    lambda user, subject: (
        "不能停用或启用自己的账户。"
        if subject is not None and is_self(user, subject)
        else outside("停用或启用用户", "系统管理员或安全管理员")(user, subject)
    ),
)


@rules.predicate
def is_system_admin(user: Any) -> bool:
    return bool(user.has_role(Role.SYSTEM_ADMIN))


rule("accounts.create_user", is_system_admin, "只有系统管理员可以创建用户。")
rule(
    "accounts.agency_two_factor",
    is_security_admin,
    "只有安全管理员可以设置单位的两步验证要求。",
)


@rules.predicate
def agency_in_scope(user: Any, agency: Any) -> bool:
    """The agency is in the user's region (asked of no agency: the form, which offers
    only those)."""
    return agency is None or Agency.objects.visible_to(user).filter(pk=agency.pk).exists()


@rules.predicate
def system_in_scope(user: Any, account: Any) -> bool:
    return (
        account is not None
        and SystemAccount.objects.visible_to(user).filter(pk=account.pk).exists()
    )


@rules.predicate
def requested_it(user: Any, account: Any) -> bool:
    return account is not None and account.requested_by_id == user.pk


def system_refusal(what: str, who: str) -> Any:
    def why(user: Any, account: Any) -> str:
        if account is not None and not system_in_scope(user, account):
            return "该系统账户不在您的管理范围内。"
        if account is not None and requested_it(user, account):
            return "申请人不能审批自己的申请。"
        return f"只有{who}可以{what}。"

    return why


rule(
    "accounts.request_system",
    is_system_admin & agency_in_scope,
    lambda user, agency: (
        "所选单位不在您的管理范围内。"
        if agency is not None and is_system_admin(user)
        else "只有系统管理员可以申请系统账户。"
    ),
)
rule(
    "accounts.decide_system",
    is_security_admin & system_in_scope & ~requested_it,
    system_refusal("审批系统账户", "安全管理员"),
)
rule(
    "accounts.issue_system_token",
    is_system_admin & system_in_scope,
    system_refusal("为系统账户签发令牌", "系统管理员"),
)
rule(
    "accounts.disable_system",
    is_user_admin & system_in_scope,
    system_refusal("停用系统账户", "系统管理员或安全管理员"),
)
