"""Every change to users and roles: one transaction, one security-log entry."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest

from baolei.accounts.models import ADMIN_ROLES, Agency, Role, RoleAssignment, User
from baolei.audit.models import Action
from baolei.audit.services import record_event


def require_role(actor: User, role: Role, what: str) -> None:
    if not actor.is_active or not actor.has_role(role):
        raise PermissionDenied(f"只有{role.label}可以{what}。")


def require_in_scope(actor: User, user: User) -> None:
    if not User.objects.visible_to(actor).filter(pk=user.pk).exists():
        raise PermissionDenied("该用户不在您的管理范围内。")


@transaction.atomic
def create_user(
    *,
    actor: User,
    username: str,
    name: str,
    agency: Agency,
    password: str,
    request: HttpRequest | None = None,
) -> User:
    """Accounts are created by the system administrator, inside their own region."""
    require_role(actor, Role.SYSTEM_ADMIN, "创建用户")
    if not Agency.objects.visible_to(actor).filter(pk=agency.pk).exists():
        raise PermissionDenied("所选单位不在您的管理范围内。")
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": "用户名已被使用。"})
    user = User(username=username, name=name, agency=agency)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    record_event(Action.USER_CREATED, actor=actor, request=request, target=username)
    return user


@transaction.atomic
def grant_role(
    *, actor: User, user: User, role: Role, request: HttpRequest | None = None
) -> RoleAssignment:
    """三员分立: only the security administrator grants roles, and no user may hold
    two of the system, security and audit administrator roles."""
    require_role(actor, Role.SECURITY_ADMIN, "授予角色")
    require_in_scope(actor, user)
    held = set(user.role_assignments.values_list("role", flat=True))
    if role in held:
        raise ValidationError(f"{user} 已拥有“{role.label}”角色。")
    if role in ADMIN_ROLES and held & ADMIN_ROLES:
        other = Role(next(iter(held & ADMIN_ROLES))).label
        raise ValidationError(f"三员分立：{user} 已是{other}，不能再授予{role.label}。")
    assignment = RoleAssignment.objects.create(user=user, role=role, granted_by=actor)
    user.__dict__.pop("roles", None)
    record_event(
        Action.ROLE_GRANT,
        actor=actor,
        request=request,
        target=user.username,
        detail={"role": role.value},
    )
    return assignment


@transaction.atomic
def revoke_role(*, actor: User, user: User, role: Role, request: HttpRequest | None = None) -> None:
    """Only the security administrator revokes roles; it cannot revoke its own."""
    require_role(actor, Role.SECURITY_ADMIN, "撤销角色")
    require_in_scope(actor, user)
    if user.pk == actor.pk and role == Role.SECURITY_ADMIN:
        raise ValidationError("不能撤销自己的安全管理员角色。")
    deleted, _ = RoleAssignment.objects.filter(user=user, role=role).delete()
    if not deleted:
        raise ValidationError(f"{user} 没有“{role.label}”角色。")
    user.__dict__.pop("roles", None)
    record_event(
        Action.ROLE_REVOKE,
        actor=actor,
        request=request,
        target=user.username,
        detail={"role": role.value},
    )


@transaction.atomic
def end_sessions(*, actor: User, user: User, request: HttpRequest | None = None) -> None:
    """The security administrator can sign a user out everywhere at once."""
    require_role(actor, Role.SECURITY_ADMIN, "强制用户下线")
    require_in_scope(actor, user)
    _bump_epoch(user)
    record_event(Action.SESSIONS_ENDED, actor=actor, request=request, target=user.username)


@transaction.atomic
def set_active(
    *, actor: User, user: User, active: bool, request: HttpRequest | None = None
) -> None:
    """Deactivating a user also ends all of their sessions."""
    if not (actor.has_role(Role.SYSTEM_ADMIN) or actor.has_role(Role.SECURITY_ADMIN)):
        raise PermissionDenied("只有系统管理员或安全管理员可以停用或启用用户。")
    require_in_scope(actor, user)
    if user.pk == actor.pk:
        raise ValidationError("不能停用自己的账户。")
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        _bump_epoch(user)
    action = Action.USER_ACTIVATED if active else Action.USER_DEACTIVATED
    record_event(action, actor=actor, request=request, target=user.username)


def _bump_epoch(user: User) -> None:
    # A model save (not QuerySet.update) so record history sees the change.
    user.session_epoch += 1
    user.save(update_fields=["session_epoch"])
