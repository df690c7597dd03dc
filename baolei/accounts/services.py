"""Every change to users and roles: one transaction, one security-log entry."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from baolei.accounts import two_factor
from baolei.accounts.models import ADMIN_ROLES, Agency, Role, RoleAssignment, User
from baolei.audit.models import Action
from baolei.audit.services import record_event
from baolei.core import policy
from baolei.regions.models import Region


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
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
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
    policy.require(actor, "accounts.grant", user)
    if user.is_system:
        raise ValidationError("系统账户的角色在审批时确定，不能另行授予。")
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
    policy.require(actor, "accounts.revoke", user)
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
    policy.require(actor, "accounts.end_sessions", user)
    _bump_epoch(user)
    record_event(Action.SESSIONS_ENDED, actor=actor, request=request, target=user.username)


@transaction.atomic
def set_active(
    *, actor: User, user: User, active: bool, request: HttpRequest | None = None
) -> None:
    """Deactivating a user also ends all of their sessions."""
    if user.pk == actor.pk:
        raise ValidationError("不能停用自己的账户。")
    policy.require(actor, "accounts.set_active", user)
    if user.is_system:
        raise ValidationError("系统账户在“系统账户”页面停用；停用后不能重新启用，请重新申请。")
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


def start_two_factor(*, actor: User) -> TOTPDevice:
    """An authenticator awaiting its first code; the same one until it is confirmed,
    so reloading the enrolment page keeps the QR code."""
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=actor, name=two_factor.AUTHENTICATOR, confirmed=False
        )
    return device


@transaction.atomic
def confirm_two_factor(*, actor: User, token: str, request: HttpRequest | None = None) -> list[str]:
    """The first correct code confirms the authenticator; one-time recovery codes
    come with it and are shown once."""
    if two_factor.is_enrolled(actor):
        raise ValidationError("已启用两步验证；如需更换验证器，请联系安全管理员重置。")
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).first()
    if device is None:
        raise ValidationError("绑定已失效，请重新打开绑定页面。")
    if not device.verify_token(two_factor.normalise(token)):
        raise ValidationError("动态码不正确，请核对手机时间后重新输入。")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(actor)
    record_event(Action.TWO_FACTOR_ENROLLED, actor=actor, request=request, target=actor.username)
    return codes


@transaction.atomic
def renew_recovery_codes(*, actor: User, request: HttpRequest | None = None) -> list[str]:
    """New recovery codes replace all earlier ones, used or not."""
    if not two_factor.is_enrolled(actor):
        raise ValidationError("尚未启用两步验证。")
    codes = _new_recovery_codes(actor)
    record_event(Action.RECOVERY_CODES_RENEWED, actor=actor, request=request, target=actor.username)
    return codes


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=two_factor.RECOVERY, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(two_factor.RECOVERY_CODE_COUNT)]
    for code in codes:
        StaticToken.objects.create(device=device, token=code)
    return codes


@transaction.atomic
def verify_second_factor(*, user: User, token: str) -> str | None:
    """The factor a correct code belongs to ("totp" or "recovery_code"), else None.
    A recovery code works once; a TOTP code once within its time step."""
    token = two_factor.normalise(token)
    if token.isdigit() and len(token) == 6:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        return "totp" if device is not None and device.verify_token(token) else None
    recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if recovery is not None and token and recovery.verify_token(token):
        return "recovery_code"
    return None


@transaction.atomic
def reset_two_factor(*, actor: User, user: User, request: HttpRequest | None = None) -> None:
    """A lost authenticator is reset by the security administrator only: the user's
    sessions end, and the next sign-in enrols a new authenticator."""
    policy.require(actor, "accounts.reset_two_factor", user)
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    if not removed:
        raise ValidationError(f"{user} 尚未绑定验证器，无需重置。")
    _bump_epoch(user)
    record_event(Action.TWO_FACTOR_RESET, actor=actor, request=request, target=user.username)


@transaction.atomic
def set_agency_two_factor(
    *, actor: User, agency: Agency, required: bool, request: HttpRequest | None = None
) -> None:
    """The security administrator can require two-factor sign-in of a whole agency."""
    require_role(actor, Role.SECURITY_ADMIN, "设置单位的两步验证要求")
    if not Agency.objects.visible_to(actor).filter(pk=agency.pk).exists():
        raise PermissionDenied("该单位不在您的管理范围内。")
    if agency.requires_two_factor == required:
        return
    agency.requires_two_factor = required
    agency.save(update_fields=["requires_two_factor"])
    record_event(
        Action.AGENCY_TWO_FACTOR,
        actor=actor,
        request=request,
        target=agency.name,
        detail={"required": required},
    )


@transaction.atomic
def bootstrap_admin(
    *,
    username: str,
    name: str,
    password: str,
    role: Role,
    agency_name: str,
    agency_kind: str,
    region: Region,
) -> User:
    """The first administrator of each of the three roles, made from the command line:
    once one exists, accounts are created by the system administrator and roles
    granted by the security administrator."""
    if role not in ADMIN_ROLES:
        raise ValidationError("只能创建系统管理员、安全管理员或审计管理员。")
    if RoleAssignment.objects.filter(role=role, user__is_active=True).exists():
        raise ValidationError(
            f"已有{role.label}。此后的账户由系统管理员创建，角色由安全管理员授予。"
        )
    if User.objects.filter(username=username).exists():
        raise ValidationError(f"用户名 {username} 已被使用。")
    agency = Agency.objects.filter(name=agency_name).first()
    if agency is None:
        agency = Agency(name=agency_name, kind=agency_kind, region=region)
        agency.full_clean()
        agency.save()
    elif agency.region_id != region.pk:
        raise ValidationError(f"单位“{agency_name}”已存在，但位于{agency.region}，不是{region}。")
    user = User(username=username, name=name, agency=agency)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    user.save()
    RoleAssignment.objects.create(user=user, role=role, granted_by=None)
    origin = "命令行 bootstrap_admin"
    record_event(Action.USER_CREATED, actor=origin, target=username, detail={"agency": agency.name})
    record_event(Action.ROLE_GRANT, actor=origin, target=username, detail={"role": role.value})
    return user
