"""The security log: append-only, each entry chained to the previous one by HMAC."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Action(models.TextChoices):
    LOGIN = "login", "登录"
    LOGOUT = "logout", "退出"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOCKOUT = "lockout", "账户锁定"
    PASSWORD_CHANGE = "password_change", "修改密码"
    ROLE_GRANT = "role_grant", "授予角色"
    ROLE_REVOKE = "role_revoke", "撤销角色"
    SESSIONS_ENDED = "sessions_ended", "强制下线"
    USER_CREATED = "user_created", "创建用户"
    USER_DEACTIVATED = "user_deactivated", "停用用户"
    USER_ACTIVATED = "user_activated", "启用用户"
    EXPORT = "export", "导出"
    IMPORT = "import", "导入"
    IMPORT_REFUSED = "import_refused", "导入被拒"
    VETTING_RUN = "vetting_run", "发起背景审查比对"
    VETTING_RUN_DONE = "vetting_run_done", "比对批次完成"
    VETTING_RUN_FAILED = "vetting_run_failed", "比对批次失败"
    VETTING_DECISION = "vetting_decision", "研判比对结果"
    VETTING_FOLLOW_UP = "vetting_follow_up", "比中人员后续处置"
    VETTING_LIST_IMPORT = "vetting_list_import", "导入外部名单"
    SENSITIVE_VIEW = "sensitive_view", "查看敏感信息"
    ACCESS_DENIED = "access_denied", "越权访问"
    RATIO_OVERRIDE = "ratio_override", "未达比例结束排查"
    PURGE = "purge", "清理过期日志"
    TOKEN_CREATED = "token_created", "签发接口令牌"
    TOKEN_REVOKED = "token_revoked", "吊销接口令牌"
    TWO_FACTOR_ENROLLED = "two_factor_enrolled", "启用两步验证"
    TWO_FACTOR_RESET = "two_factor_reset", "重置两步验证"
    RECOVERY_CODES_RENEWED = "recovery_codes_renewed", "重新生成恢复码"
    AGENCY_TWO_FACTOR = "agency_two_factor", "设置单位两步验证"
    SYSTEM_REQUESTED = "system_requested", "申请系统账户"
    SYSTEM_APPROVED = "system_approved", "批准系统账户"
    SYSTEM_REJECTED = "system_rejected", "驳回系统账户"
    SYSTEM_DISABLED = "system_disabled", "停用系统账户"
    API_CALL = "api_call", "系统账户调用接口"


class SecurityEvent(models.Model):
    """One entry of the security log; never updated, deleted only past retention."""

    seq = models.PositiveBigIntegerField("序号", unique=True)
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    action = models.CharField("事件", max_length=32, choices=Action.choices, db_index=True)
    actor_id = models.BigIntegerField("操作人ID", null=True, blank=True)
    actor = models.CharField("操作人", max_length=150, blank=True)
    ip = models.CharField("IP地址", max_length=45, blank=True)
    success = models.BooleanField("成功", default=True)
    target = models.CharField("对象", max_length=200, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "安全日志"
        verbose_name_plural = verbose_name
        ordering = ["-seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_action_display()} {self.actor}"
