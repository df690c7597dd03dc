"""System accounts (系统账户): an agency's own system calling the API.

A police case system or the discipline commission's clue ledger pushes its records
instead of someone typing them twice. It acts as an account of its agency, with the
domain roles it was approved for (录入员, 审核员 — never a leader or an administrator),
sees only the region it was approved for, and holds tokens limited to the approved API
modules and lifetime. Two people bring one about (三员分立): the system administrator
who asks for it and the security administrator who approves it. Every call it makes is
in the security log (``SystemCallLogMiddleware``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from baolei.accounts import tokens
from baolei.accounts.models import (
    Agency,
    ApiToken,
    Role,
    RoleAssignment,
    SystemAccount,
    SystemAccountStatus,
    User,
)
from baolei.audit.models import Action
from baolei.audit.services import record_event
from baolei.core import policy
from baolei.regions.models import Region

#: The roles a system may act in: it records and reviews, it never leads or administers.
SYSTEM_ROLES = (Role.CLERK, Role.REVIEWER)
USERNAME_PREFIX = "system-"


def _scopes(scopes: Sequence[str]) -> list[str]:
    unknown = sorted(set(scopes) - set(tokens.scope_names()))
    if unknown:
        raise ValidationError({"scopes": f"未知的权限范围：{'、'.join(unknown)}。"})
    if not scopes:
        raise ValidationError({"scopes": "请至少选择一个可读或可写的模块。"})
    return sorted(set(scopes), key=tokens.scope_names().index)


def within(scopes: Sequence[str], approved: Sequence[str]) -> list[str]:
    """The scopes asked for that the approval does not cover (write covers read)."""
    held = set(approved)
    beyond = []
    for scope in scopes:
        module, _, access = scope.partition(":")
        if f"{module}:{tokens.WRITE}" in held:
            continue
        if access == tokens.READ and scope in held:
            continue
        beyond.append(scope)
    return beyond


@transaction.atomic
def request_system_account(
    *,
    actor: User,
    name: str,
    agency: Agency,
    region: Region,
    purpose: str,
    roles: Sequence[str],
    scopes: Sequence[str],
    token_days: int,
    request: HttpRequest | None = None,
) -> SystemAccount:
    """A system administrator asks for a system account of an agency in their scope,
    for a region within that agency's."""
    policy.require(actor, "accounts.request_system", agency)
    name, purpose = name.strip(), purpose.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "请填写系统名称。"
    if not purpose:
        errors["purpose"] = "请说明系统用途及对接内容。"
    if not region.code.startswith(agency.region.prefix):
        errors["region"] = f"数据范围须在所属单位的区划（{agency.region.name}）之内。"
    if not roles or set(roles) - set(SYSTEM_ROLES):
        errors["roles"] = "系统账户只能以录入员或审核员的身份办理，请至少选择一个。"
    if not 1 <= token_days <= settings.API_TOKEN_DAYS:
        errors["token_days"] = f"令牌有效期须在 1 至 {settings.API_TOKEN_DAYS} 天之间。"
    live = (SystemAccountStatus.PENDING, SystemAccountStatus.APPROVED)
    if SystemAccount.objects.filter(agency=agency, name=name, status__in=live).exists():
        errors["name"] = f"{agency.name}已有同名的系统账户（待审批或已批准）。"
    if errors:
        raise ValidationError(errors)
    account = SystemAccount.objects.create(
        name=name,
        agency=agency,
        region=region,
        purpose=purpose,
        roles=[r for r in SYSTEM_ROLES if r in roles],
        scopes=_scopes(scopes),
        token_days=token_days,
        requested_by=actor,
    )
    record_event(
        Action.SYSTEM_REQUESTED,
        actor=actor,
        request=request,
        target=name,
        detail={
            "account": account.pk,
            "agency": agency.name,
            "region": region.code,
            "roles": account.roles,
            "scopes": account.scopes,
        },
    )
    return account


def _pending(account: SystemAccount) -> SystemAccount:
    account = SystemAccount.objects.select_for_update().get(pk=account.pk)
    if account.status != SystemAccountStatus.PENDING:
        raise ValidationError(f"该申请已{account.get_status_display()}，不能再审批。")
    return account


@transaction.atomic
def approve_system_account(
    *, actor: User, account: SystemAccount, note: str = "", request: HttpRequest | None = None
) -> SystemAccount:
    """The security administrator approves: the system's user is created with no
    password and the approved roles."""
    policy.require(actor, "accounts.decide_system", account)
    account = _pending(account)
    username = f"{USERNAME_PREFIX}{account.pk}"
    if User.objects.filter(username=username).exists():
        raise ValidationError(f"用户名 {username} 已被占用，请先更改该用户的用户名再批准。")
    user = User(
        username=username,
        name=account.name,
        agency=account.agency,
        is_system=True,
    )
    user.set_unusable_password()
    user.save()
    for role in account.roles:
        RoleAssignment.objects.create(user=user, role=role, granted_by=actor)
    account.user = user
    account.status = SystemAccountStatus.APPROVED
    account.decided_by = actor
    account.decided_at = timezone.now()
    account.decision_note = note.strip()
    account.save()
    record_event(
        Action.SYSTEM_APPROVED,
        actor=actor,
        request=request,
        target=user.username,
        detail={"account": account.pk, "name": account.name, "roles": account.roles},
    )
    return account


@transaction.atomic
def reject_system_account(
    *, actor: User, account: SystemAccount, note: str, request: HttpRequest | None = None
) -> SystemAccount:
    policy.require(actor, "accounts.decide_system", account)
    if not note.strip():
        raise ValidationError({"note": "驳回须说明理由。"})
    account = _pending(account)
    account.status = SystemAccountStatus.REJECTED
    account.decided_by = actor
    account.decided_at = timezone.now()
    account.decision_note = note.strip()
    account.save()
    record_event(
        Action.SYSTEM_REJECTED,
        actor=actor,
        request=request,
        target=account.name,
        detail={"account": account.pk, "note": account.decision_note},
    )
    return account


@transaction.atomic
def disable_system_account(
    *, actor: User, account: SystemAccount, request: HttpRequest | None = None
) -> SystemAccount:
    """Ends the system at once: its user is deactivated, so every token of it stops."""
    policy.require(actor, "accounts.disable_system", account)
    account = SystemAccount.objects.select_for_update().get(pk=account.pk)
    if account.status != SystemAccountStatus.APPROVED or account.user is None:
        raise ValidationError(f"该系统账户{account.get_status_display()}，不能停用。")
    user = account.user
    user.is_active = False
    user.session_epoch += 1
    user.save(update_fields=["is_active", "session_epoch"])
    account.status = SystemAccountStatus.DISABLED
    account.save(update_fields=["status"])
    record_event(
        Action.SYSTEM_DISABLED,
        actor=actor,
        request=request,
        target=user.username,
        detail={"account": account.pk, "name": account.name},
    )
    return account


def issue_system_token(
    *,
    actor: User,
    account: SystemAccount,
    name: str,
    scopes: Sequence[str],
    request: HttpRequest | None = None,
) -> tuple[ApiToken, str]:
    """A token for an approved system, within its approved modules and lifetime; the
    key is shown once to the administrator who issues it."""
    policy.require(actor, "accounts.issue_system_token", account)
    account = SystemAccount.objects.select_related("user").get(pk=account.pk)  # as it is now
    if account.status != SystemAccountStatus.APPROVED or account.user is None:
        raise ValidationError(f"该系统账户{account.get_status_display()}，不能签发令牌。")
    beyond = within(scopes, account.scopes)
    if beyond:
        raise ValidationError(
            {
                "scopes": "超出批准的权限范围："
                + tokens.describe_scopes(beyond)
                + "。批准的范围为："
                + tokens.describe_scopes(account.scopes)
                + "。"
            }
        )
    return tokens.issue_token(
        actor=actor,
        owner=account.user,
        name=name,
        request=request,
        scopes=scopes,
        lifetime=timedelta(days=account.token_days),
    )
