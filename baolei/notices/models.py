"""Notifications (通知): one row per person told of an event that needs them."""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from baolei.core.scoping import ScopedQuerySet


class Kind(models.TextChoices):
    REFERRAL_RECEIVED = "referral_received", "线索移送待签收"
    FEEDBACK_RECEIVED = "feedback_received", "移送线索已反馈"
    ITEM_RETURNED = "item_returned", "台账事项退回整改"
    DEADLINE_NEAR = "deadline_near", "台账事项临近期限"
    DEADLINE_PASSED = "deadline_passed", "台账事项已逾期"
    ADJUSTMENT_PROPOSED = "adjustment_proposed", "村干部调整待审批"
    RUN_DONE = "run_done", "背景审查比对完成"
    RUN_FAILED = "run_failed", "背景审查比对失败"
    PROBLEM_REOPENED = "problem_reopened", "督导问题反弹"


class NotificationQuerySet(ScopedQuerySet):
    def visible_to(self, user: Any) -> Self:
        """A notification is its recipient's alone: nobody else sees it, whatever their scope."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(recipient=user.pk)

    def unread(self) -> Self:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An event that needs its recipient, naming the record and linking to it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField("类型", max_length=24, choices=Kind.choices)
    text = models.CharField("内容", max_length=500)
    link = models.CharField("链接", max_length=300)
    record_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    record_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("record_type", "record_id")
    #: What makes a time-driven notification once only (a warning level and the deadline
    #: it warns of, "blue:2026-12-08"); empty for notifications of events.
    once_key = models.CharField(max_length=40, blank=True, default="")
    created_at = models.DateTimeField("通知时间", default=timezone.now)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The bell: a count of the recipient's unread notifications on every page.
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(read_at__isnull=True),
                name="notice_unread_by_recipient",
            ),
            models.Index(fields=["recipient", "-created_at"], name="notice_by_recipient"),
            models.Index(fields=["record_type", "record_id", "once_key"], name="notice_record"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "record_type", "record_id", "once_key"],
                condition=~Q(once_key=""),
                name="notice_once_per_recipient",
                violation_error_message="该通知已发送。",
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
