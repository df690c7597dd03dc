"""Agencies (单位), users and their roles."""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from simple_history.models import HistoricalRecords

from baolei.core.scoping import ScopedQuerySet


class AgencyKind(models.TextChoices):
    CAMPAIGN_OFFICE = "campaign_office", "扫黑办"
    DISCIPLINE = "discipline", "纪委监委"
    POLICE = "police", "公安机关"
    PROCURATORATE = "procuratorate", "检察院"
    COURT = "court", "法院"
    ORGANISATION = "organisation", "组织部"
    POLITICAL_LEGAL = "political_legal", "政法委"
    TOWNSHIP_PARTY = "township_party", "乡镇党委"
    OTHER = "other", "其他"


class Role(models.TextChoices):
    CLERK = "clerk", "录入员"
    REVIEWER = "reviewer", "审核员"
    LEADER = "leader", "领导"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"


#: 三员分立: no user may hold two of these.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
#: 等保 level 3 双因素: these roles always sign in with a second factor.
TWO_FACTOR_ROLES = frozenset({*ADMIN_ROLES, Role.LEADER})


class AgencyQuerySet(ScopedQuerySet):
    region_field = "region"


class Agency(models.Model):
    """A participating agency (单位) at one level of the region tree."""

    name = models.CharField("单位名称", max_length=100, unique=True)
    kind = models.CharField("单位类别", max_length=32, choices=AgencyKind.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name="所在区划", on_delete=models.PROTECT, related_name="agencies"
    )
    requires_two_factor = models.BooleanField(
        "全员两步验证",
        default=False,
        help_text="开启后，本单位所有用户登录时都须输入验证器动态码。",
    )

    objects = AgencyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = verbose_name
        ordering = ["region__code", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind", "name"],
                name="agency_unique_per_region",
                violation_error_message="同一区划下已有同名同类单位。",
            )
        ]

    def __str__(self) -> str:
        return self.name


class UserQuerySet(ScopedQuerySet):
    region_field = "agency__region"


class BaoleiUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A person who signs in; belongs to one agency and sees its region's subtree."""

    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    name = models.CharField("姓名", max_length=50, blank=True)
    agency = models.ForeignKey(
        Agency,
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    # Bumped to end every session of this user at once.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)
    #: An agency's own system calling the API (SystemAccount): no password, never signs
    #: in to a page, works only through the tokens issued for it.
    is_system = models.BooleanField("系统账户", default=False, editable=False)

    objects = BaoleiUserManager()  # type: ignore[misc]
    history = HistoricalRecords(excluded_fields=["password", "last_login", "session_epoch"])

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = verbose_name
        ordering = ["username"]

    def __str__(self) -> str:
        return self.name or self.username

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Sessions carry a hash of the password and the session epoch, so changing
        # either ends every open session of the user.
        return salted_hmac(
            "baolei.accounts.User.session",
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(self.role_assignments.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def role_labels(self) -> list[str]:
        return [Role(role).label for role in sorted(self.roles)]

    @cached_property
    def scope_prefix(self) -> str | None:
        if not self.is_active or self.agency_id is None:
            return None
        if self.is_system:
            # A system account sees the region it was approved for, which may be
            # narrower than its agency's; unapproved or disabled, it sees nothing.
            account = getattr(self, "system_account", None)
            if account is None or account.status != SystemAccountStatus.APPROVED:
                return None
            return account.region.prefix
        return self.agency.region.prefix  # type: ignore[union-attr]

    @property
    def agency_kind(self) -> str | None:
        return self.agency.kind if self.agency_id else None  # type: ignore[union-attr]


class SystemAccountStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已驳回"
    DISABLED = "disabled", "已停用"


class SystemAccountQuerySet(ScopedQuerySet):
    # Administered where its agency is (its data region is the same or narrower).
    region_field = "agency__region"


class SystemAccount(models.Model):
    """An agency's own system (a police case system, the discipline commission's clue
    ledger) that reads and writes through the API: requested by a system administrator
    for an agency and a region in their scope, with the roles it acts in and the API
    modules it may read or write; approved by a security administrator, who is never the
    requester (三员分立). Approval creates its user (``User.is_system``): no password, the
    approved roles, seeing only the approved region. Its tokens never exceed the approved
    modules or lifetime, and every call it makes is in the security log."""

    name = models.CharField("系统名称", max_length=100)
    agency = models.ForeignKey(
        Agency, verbose_name="所属单位", on_delete=models.PROTECT, related_name="systems"
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name="数据范围",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="系统只能读写该区划内的记录，须在所属单位的区划之内。",
    )
    purpose = models.TextField("用途说明")
    roles = models.JSONField("办理角色", default=list)
    scopes = models.JSONField("权限范围", default=list)
    token_days = models.PositiveSmallIntegerField("令牌有效期（天）")
    status = models.CharField(
        "状态",
        max_length=16,
        choices=SystemAccountStatus.choices,
        default=SystemAccountStatus.PENDING,
    )
    requested_by = models.ForeignKey(
        User, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    decided_by = models.ForeignKey(
        User,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=200, blank=True)
    user = models.OneToOneField(
        User,
        verbose_name="系统用户",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="system_account",
    )

    objects = SystemAccountQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "系统账户"
        verbose_name_plural = verbose_name
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_text(self) -> str:
        """The modules it may read or write, as the list and its page name them."""
        from baolei.accounts.tokens import describe_scopes

        return describe_scopes(self.scopes)


class ApiTokenQuerySet(ScopedQuerySet):
    region_field = "user__agency__region"


class ApiToken(models.Model):
    """An API token of one user: it expires, and it ends with the user's sessions
    (password change, sign-out everywhere, deactivation). Only its digest is stored."""

    user = models.ForeignKey(
        User, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("用途", max_length=100)
    prefix = models.CharField("令牌开头", max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    # The user's session hash when issued (password and session epoch): a token
    # whose binding no longer matches is dead, like the user's sessions.
    binding = models.CharField(max_length=64)
    created_at = models.DateTimeField("签发时间", default=timezone.now)
    expires_at = models.DateTimeField("到期时间")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        User,
        verbose_name="吊销人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    #: What the token may do, per module of the API ("clues:read", "cases:write"; write
    #: implies read), within its user's rights; empty (NULL) for a token issued before
    #: scopes existed, which may do whatever its user may.
    scopes = models.JSONField("权限范围", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name}"


class RoleAssignment(models.Model):
    """A role held by a user, granted by a security administrator."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField("角色", max_length=32, choices=Role.choices)
    granted_by = models.ForeignKey(
        User, verbose_name="授权人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField("授权时间", default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "角色授权"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"],
                name="role_once_per_user",
                violation_error_message="该用户已拥有此角色。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class PasswordHistory(models.Model):
    """A password a user has held (its hash), kept to refuse reusing recent ones."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = verbose_name
        ordering = ["-set_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} · {timezone.localdate(self.set_at):%Y-%m-%d}"


class IdempotentRequest(models.Model):
    """One API write sent with an ``Idempotency-Key``: what was asked and what was answered."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+", verbose_name="用户")
    key = models.CharField("幂等键", max_length=255)
    fingerprint = models.CharField("请求摘要", max_length=64)
    #: Empty while the first request with the key is still being handled.
    status = models.PositiveSmallIntegerField("响应状态", null=True, blank=True)
    body = models.JSONField("响应内容", null=True, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "接口幂等请求"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                name="accounts_idempotent_user_key",
                violation_error_message="同一用户的幂等键不能重复。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"
